"""Calendars (month/week/day, one resource or all, htmx partials, constant queries), the ICS feed (parsed
strictly: CRLF lines, folding, balanced components, required properties) and the daily schedule PDF."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
import io
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from slots import at

from bookings import services
from bookings.models import Blackout, Booking, Building, Resource
from situok import formats


@pytest.fixture
def day() -> dt.date:
    d = timezone.localdate() + dt.timedelta(days=10)
    return d + dt.timedelta(days=(3 - d.weekday()) % 7)  # a Thursday


@pytest.fixture
def building(personas) -> Building:
    return Building.objects.create(name="Gedung Kertha Sabha")


@pytest.fixture
def room(building) -> Resource:
    return Resource.objects.create(
        kind=Resource.Kind.ROOM, name="Aula Kertha Sabha", building=building, capacity=200
    )


def book(personas, resource, start, end, who="pegawai", purpose="Rapat", approve=True) -> Booking:
    user = personas[who]
    b = services.booking_request(
        resource=resource, requester=user.employee, start=start, end=end, purpose=purpose, by=user
    )
    if approve:
        services.booking_approve(b, by=personas["peminjaman"])
    return b


def calendar_url(**params) -> str:
    return reverse("bookings:calendar") + "?" + "&".join(f"{k}={v}" for k, v in params.items())


# --- Calendar pages ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_month_week_and_day_views_show_bookings_coloured_by_status_and_blackouts(
    client_as, personas, room, day
):
    book(personas, room, at(day, "09:00"), at(day, "11:00"), purpose="Pelantikan pejabat")
    book(
        personas,
        room,
        at(day, "13:00"),
        at(day, "14:00"),
        who="atasan",
        purpose="Rapat menunggu",
        approve=False,
    )
    Blackout.objects.create(
        resource=room, start=at(day, "18:00"), end=at(day, "22:00"), reason="Gladi resik HUT"
    )
    client = client_as("luar")  # another Biro: sees the room's use, not the requester's name
    for view in ("bulan", "minggu", "hari"):
        page = client.get(calendar_url(jenis="room", tampilan=view, tanggal=day.isoformat())).content.decode()
        assert "Pelantikan pejabat" in page, view
        assert "Rapat menunggu" in page, view
        assert "Gladi resik HUT" in page, view
        assert "09.00–11.00" in page, view
        assert "text-bg-success" in page and "text-bg-warning" in page and "text-bg-dark" in page
        assert personas["pegawai"].employee.name not in page  # not the outsider's to see
        assert reverse("bookings:booking_detail", args=[Booking.objects.first().pk]) not in page
    mine = client_as("pegawai").get(calendar_url(sumber=room.pk, tampilan="minggu", tanggal=day.isoformat()))
    html = mine.content.decode()
    assert personas["pegawai"].employee.name in html
    assert (
        reverse("bookings:booking_detail", args=[Booking.objects.get(purpose="Pelantikan pejabat").pk])
        in html
    )
    assert 'data-testid="calendar-list"' in html  # the phone's day list is there too


@pytest.mark.django_db
def test_htmx_navigation_returns_only_the_calendar_partial_with_prev_next_links(
    client_as, personas, room, day
):
    client = client_as("pegawai")
    url = calendar_url(jenis="room", tampilan="bulan", tanggal=day.isoformat())
    full = client.get(url)
    partial = client.get(url, headers={"HX-Request": "true"})
    assert "<html" in full.content.decode()
    body = partial.content.decode()
    assert "<html" not in body and body.lstrip().startswith('<section id="bk-calendar"')
    following = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    assert 'data-testid="calendar-next"' in body
    next_link = body.split('data-testid="calendar-next"', 1)[0].rsplit("<a ", 1)[1]
    assert (
        f'href="/peminjaman/kalender/?jenis=room&amp;tampilan=bulan&amp;tanggal={following.isoformat()}"'
        in next_link
    )
    assert (
        f'hx-get="/peminjaman/kalender/?jenis=room&amp;tampilan=bulan&amp;tanggal={following.isoformat()}"'
        in next_link
    )
    assert "HX-Request" in full["Vary"]
    week = client.get(calendar_url(jenis="vehicle", tampilan="minggu", tanggal=day.isoformat()))
    monday = day - dt.timedelta(days=day.weekday())
    assert f"tanggal={(monday - dt.timedelta(days=7)).isoformat()}" not in week.context["previous_url"]
    assert week.context["previous_url"].endswith(f"tanggal={(day - dt.timedelta(days=7)).isoformat()}")


@pytest.mark.django_db
@pytest.mark.parametrize("view", ["bulan", "minggu", "hari"])
def test_calendar_queries_do_not_grow_with_the_number_of_bookings(client_as, personas, room, day, view):
    other = Resource.objects.create(kind=Resource.Kind.ROOM, name="Ruang Kecil", capacity=10)
    book(personas, room, at(day, "08:00"), at(day, "08:30"))
    client = client_as("pegawai")
    url = calendar_url(jenis="room", tampilan=view, tanggal=day.isoformat())
    client.get(url)  # warm per-process caches (content types, sessions)
    later = day + dt.timedelta(days=90)  # a write outside the window: the kept calendar is not used
    book(personas, room, at(later, "08:00"), at(later, "08:30"))
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for hour in range(9, 16):
        book(personas, room, at(day, f"{hour:02d}:00"), at(day, f"{hour:02d}:30"), who="atasan")
        book(personas, other, at(day, f"{hour:02d}:00"), at(day, f"{hour:02d}:45"))
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.context["booking_count"] == 15
    assert len(many.captured_queries) == len(one.captured_queries)


# --- ICS ---------------------------------------------------------------------------------------------------


def parse_ics(raw: bytes) -> list[dict]:
    """A strict little RFC 5545 reader: CRLF line ends, folded lines ≤ 75 octets, balanced BEGIN/END,
    every VEVENT with UID, DTSTAMP, DTSTART, DTEND and SUMMARY; returns the events' properties."""
    assert raw.endswith(b"\r\n")
    physical = raw[:-2].split(b"\r\n")
    assert all(b"\n" not in line and b"\r" not in line for line in physical)
    assert all(len(line) <= 75 for line in physical)
    lines: list[str] = []
    for line in physical:
        if line.startswith(b" "):
            lines[-1] += line[1:].decode("utf-8")
        else:
            lines.append(line.decode("utf-8"))
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    stack, events, current = [], [], None
    for line in lines:
        name, _, value = line.partition(":")
        assert re.fullmatch(r"[A-Z-]+(;[A-Z-]+=[^:;]+)*", name), line
        if name == "BEGIN":
            stack.append(value)
            if value == "VEVENT":
                current = {}
        elif name == "END":
            assert stack.pop() == value
            if value == "VEVENT":
                assert {"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"} <= set(current), current
                events.append(current)
                current = None
        elif current is not None:
            current[name.split(";")[0]] = value
    assert stack == []
    return events


def unescape(text: str) -> str:
    return text.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")


@pytest.mark.django_db
def test_ics_feed_parses_and_lists_bookings_with_utc_times_without_login(client, personas, room, day):
    book(personas, room, at(day, "09:00"), at(day, "11:00"), purpose="Rapat; anggaran, perubahan " + "x" * 80)
    book(personas, room, at(day, "13:00"), at(day, "14:00"), purpose="Menunggu", approve=False)
    Blackout.objects.create(resource=room, start=at(day, "18:00"), end=at(day, "20:00"), reason="Perawatan")
    response = client.get(reverse("bookings:ics_feed", args=[room.ics_token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = parse_ics(response.content)
    assert len(events) == 3
    by_summary = {unescape(e["SUMMARY"]).split(" (")[0]: e for e in events}
    approved = by_summary["Rapat; anggaran, perubahan " + "x" * 80]
    assert approved["DTSTART"] == at(day, "09:00").astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert approved["DTEND"] == at(day, "11:00").astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert approved["STATUS"] == "CONFIRMED"
    assert by_summary["Menunggu"]["STATUS"] == "TENTATIVE"
    assert any(unescape(e["SUMMARY"]) == "Tidak tersedia: Perawatan" for e in events)
    assert len({e["UID"] for e in events}) == 3
    assert client.get(reverse("bookings:ics_feed", args=["x" * 43])).status_code == 404


# --- Daily schedule -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_daily_schedule_per_building_prints_as_pdf(client_as, personas, building, room, day):
    book(personas, room, at(day, "09:00"), at(day, "11:00"), purpose="Pelantikan pejabat administrator")
    book(
        personas,
        room,
        at(day + dt.timedelta(days=1), "09:00"),
        at(day + dt.timedelta(days=1), "10:00"),
        purpose="Besok",
    )
    client = client_as("pegawai")
    page = client.get(reverse("bookings:daily_schedule"), {"building": building.pk, "date": day.isoformat()})
    assert [b.purpose for b in page.context["rows"]] == ["Pelantikan pejabat administrator"]
    pdf = client.get(
        reverse("bookings:daily_schedule_pdf"), {"building": building.pk, "date": day.isoformat()}
    )
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split())
    assert "Jadwal Penggunaan Gedung Kertha Sabha" in text
    assert "Pelantikan pejabat administrator" in text
    assert "09.00–11.00" in text
    assert "Besok" not in text


@pytest.mark.django_db
def test_month_of_all_rooms_caps_a_busy_day_and_links_to_its_day_view(client_as, personas, building, day):
    from bookings.views_calendar import MONTH_CELL_ENTRIES

    rooms = [
        Resource.objects.create(kind=Resource.Kind.ROOM, name=f"Ruang {i}", building=building, capacity=20)
        for i in range(MONTH_CELL_ENTRIES + 2)
    ]
    for room in rooms:
        book(personas, room, at(day, "09:00"), at(day, "10:00"), purpose=f"Rapat {room.name}")
    client = client_as("peminjaman")
    month = client.get(calendar_url(jenis="room", tampilan="bulan", tanggal=day.isoformat()))
    html = month.content.decode()
    cell = html.split(f'data-date="{day.isoformat()}"', 1)[1].split("</li>", 1)[0]
    assert cell.count("Rapat Ruang") == MONTH_CELL_ENTRIES
    assert "+2 lainnya" in cell
    assert f"tampilan=hari&amp;tanggal={day.isoformat()}" in cell
    # the day view lists every room's booking; one room's month is never capped
    day_view = client.get(
        calendar_url(jenis="room", tampilan="hari", tanggal=day.isoformat())
    ).content.decode()
    assert all(f"Rapat {room.name}" in day_view for room in rooms)
    one = client.get(
        calendar_url(sumber=rooms[0].pk, tampilan="bulan", tanggal=day.isoformat())
    ).content.decode()
    assert "lainnya" not in one.split(f'data-date="{day.isoformat()}"', 1)[1].split("</li>", 1)[0]


# --- One markup for the grid and the phone list --------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("view", ["bulan", "minggu"])
def test_month_and_week_write_each_entry_once_in_one_list_of_days(client_as, personas, room, day, view):
    book(personas, room, at(day, "09:00"), at(day, "11:00"), purpose="Pelantikan pejabat")
    html = (
        client_as("peminjaman")
        .get(calendar_url(sumber=room.pk, tampilan=view, tanggal=day.isoformat()))
        .content.decode()
    )
    assert html.count("Pelantikan pejabat") == 1  # once: no separate phone list any more
    assert html.count('class="bk-e"') == 1
    assert "<table" not in html and 'class="list-group list-group-flush d-md-none"' not in html
    grid = html.split('data-testid="calendar-grid"', 1)[1].split("</ol>", 1)[0]
    assert '<div class="bk-cal-head" aria-hidden="true"><div>Senin</div>' in grid
    assert '<ol class="bk-cal-days" aria-label="' in grid and 'data-testid="calendar-list"' in grid
    days = re.findall(r'<li class="([^"]*)" data-date="([\d-]+)"', grid)
    if view == "minggu":
        assert days[0][1] == (day - dt.timedelta(days=day.weekday())).isoformat()
        assert len(days) == 7
    else:
        assert len(days) == pycalendar.monthrange(day.year, day.month)[1]
        first = day.replace(day=1)
        assert ("bk-col-" in days[0][0]) == (first.weekday() > 0)
        assert f"bk-col-{first.weekday() + 1}" in days[0][0] or first.weekday() == 0
    classes = {d: c for c, d in days}
    assert "bk-empty" not in classes[day.isoformat()]  # shown on phones
    assert all("bk-empty" in c for d, c in classes.items() if d != day.isoformat())  # hidden on phones
    saturday = day + dt.timedelta(days=2)  # ``day`` is a Thursday
    if saturday.isoformat() in classes:
        assert "bg-body-secondary" in classes[saturday.isoformat()]
    # every day has a heading with its full date (the grid shows only the number) and links to it
    cell = html.split(f'data-date="{day.isoformat()}"', 1)[1].split("</li>", 1)[0]
    assert f'<span class="bk-num" aria-hidden="true">{day.day}</span>' in cell
    assert f'<span class="bk-date">{formats.tanggal_hari(day)}</span></a></h3>' in cell
    assert f"tampilan=hari&amp;tanggal={day.isoformat()}" in cell
    assert "Tidak ada peminjaman pada periode ini." not in html


@pytest.mark.django_db
def test_today_is_marked_and_an_empty_period_says_so_on_phones(client_as, room):
    today = timezone.localdate()
    html = (
        client_as("peminjaman")
        .get(calendar_url(sumber=room.pk, tampilan="bulan", tanggal=today.isoformat()))
        .content.decode()
    )
    assert re.search(
        rf'<li class="bk-day[^"]* border border-primary border-2" data-date="{today.isoformat()}" '
        r'aria-current="date">',
        html,
    )
    assert html.count('aria-current="date"') == 1
    assert (
        '<li class="bk-none d-md-none text-body-secondary">Tidak ada peminjaman pada periode ini.</li>'
        in html
    )


def test_the_calendar_css_defines_the_grid_and_phone_list():
    css = (settings.BASE_DIR / "static" / "css" / "app.css").read_text()
    section = css.split("/* --- Booking calendar", 1)[1]
    for rule in (".bk-cal-head", ".bk-cal-days", ".bk-day", ".bk-empty", ".bk-num", ".bk-date", ".bk-e"):
        assert rule in section
    assert "grid-template-columns: repeat(7, minmax(0, 1fr))" in section
    assert all(f".bk-col-{n} {{ grid-column-start: {n}; }}" in section for n in range(2, 8))
