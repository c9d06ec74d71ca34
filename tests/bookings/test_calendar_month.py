"""The calendar's reads (bookings/queries.py, migration 0003): the month of all rooms shows each day's
first entries and "+N lainnya" from the per-day summary on PostgreSQL and must show exactly what
reading every booking shows; bookings over several days appear on each day they cover (also when they
start before the window); the summary follows every kind of write; the resource list and unit names
are cached derived data that follow writes; pages cost a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import importlib
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from slots import at

from bookings import queries, services
from bookings.models import Blackout, Booking, Building, Resource
from bookings.views_calendar import MONTH_CELL_ENTRIES
from situok.formats import WITA

POSTGRES = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the per-day summary exists on PostgreSQL only"
)


def calendar_url(**params) -> str:
    return reverse("bookings:calendar") + "?" + "&".join(f"{k}={v}" for k, v in params.items())


def cell(html: str, day: dt.date) -> str:
    return html.split(f'data-date="{day.isoformat()}"', 1)[1].split("</li>", 1)[0]


@pytest.fixture
def first() -> dt.date:
    """The first day of the month after next (all in the future, a full month)."""
    today = timezone.localdate()
    return (today.replace(day=1) + dt.timedelta(days=62)).replace(day=1)


@pytest.fixture
def rooms(personas) -> list[Resource]:
    building = Building.objects.create(name="Gedung Jayasabha")
    return [
        Resource.objects.create(kind=Resource.Kind.ROOM, name=f"Ruang {i}", building=building, capacity=20)
        for i in range(1, 7)
    ]


def make(personas, resource, start, end, *, status=Booking.Status.APPROVED, purpose="Rapat", who="pegawai"):
    user = personas[who]
    return Booking.objects.create(
        resource=resource,
        requester=user.employee,
        unit=user.employee.unit,
        start=start,
        end=end,
        block_end=end,
        purpose=purpose,
        status=status,
        created_by=user,
    )


def busy_month(personas, rooms, first: dt.date) -> None:
    """Crowded days, cancelled and pending bookings, multi-day ones (one from the previous month) and
    blackouts; a vehicle booking that the rooms' calendar must ignore."""
    busy, later = first + dt.timedelta(days=2), first + dt.timedelta(days=9)
    for i, room in enumerate(rooms):
        make(personas, room, at(busy, "09:00"), at(busy, "10:00"), purpose=f"Rapat pagi {i}")
        make(personas, room, at(busy, "13:00"), at(busy, f"{14 + i % 2}:00"), purpose=f"Rapat siang {i}")
    make(personas, rooms[0], at(busy, "07:00"), at(busy, "08:00"), status=Booking.Status.CANCELLED)
    make(
        personas, rooms[1], at(busy, "07:30"), at(busy, "08:00"), status=Booking.Status.PENDING, who="atasan"
    )
    make(personas, rooms[2], at(busy, "16:00"), at(busy, "17:00"), status=Booking.Status.REJECTED)
    # From the previous month into the first two days; over three days in the middle.
    make(personas, rooms[3], at(first - dt.timedelta(days=2), "20:00"), at(first + dt.timedelta(days=1), "10:00"),
         purpose="Pameran panjang")  # fmt: skip
    make(
        personas,
        rooms[4],
        at(later, "18:00"),
        at(later + dt.timedelta(days=2), "09:00"),
        purpose="Gladi resik",
    )
    make(
        personas,
        rooms[5],
        at(later, "00:00"),
        at(later + dt.timedelta(days=1), "00:00"),
        purpose="Sehari penuh",
    )
    for hour in range(8, 16):
        make(
            personas,
            rooms[hour % 6],
            at(later, f"{hour:02d}:00"),
            at(later, f"{hour:02d}:30"),
            purpose=f"Sesi {hour}",
        )
    Blackout.objects.create(
        resource=rooms[0], start=at(busy, "06:00"), end=at(busy, "07:00"), reason="Perawatan AC"
    )
    Blackout.objects.create(
        resource=rooms[1], start=at(later, "12:00"), end=at(later + dt.timedelta(days=1), "12:00"), reason="Renovasi"
    )  # fmt: skip
    car = Resource.objects.create(kind=Resource.Kind.VEHICLE, name="Innova", plate="DK 1 A", seats=7)
    make(personas, car, at(busy, "08:00"), at(busy, "12:00"), purpose="Perjalanan dinas")


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["peminjaman", "pegawai", "luar"])
def test_capped_month_of_all_rooms_shows_what_reading_every_booking_shows(
    client_as, personas, rooms, first, monkeypatch, persona
):
    busy_month(personas, rooms, first)
    client = client_as(persona)
    url = calendar_url(jenis="room", tampilan="bulan", tanggal=first.isoformat())
    capped = client.get(url).context
    monkeypatch.setattr(queries, "calendar_day_counts", lambda *args, **kwargs: None)  # read everything
    full = client.get(url).context
    assert capped["body"] == full["body"]
    assert capped["booking_count"] == full["booking_count"] == 6 * 2 + 1 + 3 + 8


@pytest.mark.django_db
def test_a_crowded_day_shows_its_first_entries_and_how_many_more(client_as, personas, rooms, first):
    busy_month(personas, rooms, first)
    busy = first + dt.timedelta(days=2)
    html = client_as("peminjaman").get(
        calendar_url(jenis="room", tampilan="bulan", tanggal=first.isoformat())
    )
    day = cell(html.content.decode(), busy)
    # 12 approved + 1 pending + 1 blackout; cancelled and rejected ones are not on calendars
    assert day.count('class="bk-e"') == MONTH_CELL_ENTRIES
    assert f"+{14 - MONTH_CELL_ENTRIES} lainnya" in day
    # in time order: the blackout at 06.00, the pending request at 07.30, then the 09.00 meetings
    assert day.index("06.00–07.00") < day.index("07.30–08.00") < day.index("09.00–10.00")
    assert "Perjalanan dinas" not in html.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("jenis", [None, "room"])
def test_a_booking_over_several_days_shows_on_each_day_with_its_times(
    client_as, personas, rooms, first, jenis
):
    busy_month(personas, rooms, first)
    later = first + dt.timedelta(days=9)
    params = {"jenis": "room"} if jenis else {"sumber": rooms[4].pk}
    html = client_as("pegawai").get(calendar_url(**params, tampilan="bulan", tanggal=first.isoformat()))
    html = html.content.decode()
    if not jenis:  # (in the month of all rooms that crowded day shows earlier entries first)
        assert "mulai 18.00" in cell(html, later) and "Gladi resik" in cell(html, later)
    assert "sepanjang hari" in cell(html, later + dt.timedelta(days=1))
    assert "s.d. 09.00" in cell(html, later + dt.timedelta(days=2))
    assert "Gladi resik" not in cell(html, later + dt.timedelta(days=3))
    if jenis:  # started in the previous month, still shown on the month's first two days
        assert "s.d. 10.00" in cell(html, first + dt.timedelta(days=1))
        assert "Pameran panjang" in cell(html, first) and "sepanjang hari" in cell(html, first)


@pytest.mark.django_db
def test_week_and_day_views_show_a_booking_that_started_the_week_before(client_as, personas, rooms, first):
    monday = first + dt.timedelta(days=(7 - first.weekday()) % 7 + 7)
    make(personas, rooms[0], at(monday - dt.timedelta(days=3), "08:00"), at(monday + dt.timedelta(days=1), "12:00"),
         purpose="Pameran UMKM")  # fmt: skip
    client = client_as("pegawai")
    week = client.get(calendar_url(sumber=rooms[0].pk, tampilan="minggu", tanggal=monday.isoformat()))
    assert "Pameran UMKM" in cell(week.content.decode(), monday)
    assert "s.d. 12.00" in cell(week.content.decode(), monday + dt.timedelta(days=1))
    day = client.get(calendar_url(jenis="room", tampilan="hari", tanggal=monday.isoformat())).content.decode()
    assert "Pameran UMKM" in day and "sepanjang hari" in day


def brute_force_counts(resources, first: dt.date, last: dt.date) -> dict[dt.date, int]:
    counts: Counter = Counter()
    for start, end in Booking.objects.filter(resource__in=resources, status__in=Booking.VISIBLE).values_list(
        "start", "end"
    ):
        day, last_day = (
            start.astimezone(WITA).date(),
            (end - dt.timedelta(microseconds=1)).astimezone(WITA).date(),
        )
        while day <= last_day:
            if first <= day <= last:
                counts[day] += 1
            day += dt.timedelta(days=1)
    return dict(counts)


def summary(resources, first, last) -> dict[dt.date, int]:
    return {d: n for d, n in queries.calendar_day_counts([r.pk for r in resources], first, last).items() if n}


@POSTGRES
@pytest.mark.django_db
def test_the_per_day_summary_follows_every_kind_of_write(personas, rooms, first):
    last = first + dt.timedelta(days=40)

    def check():
        assert summary(rooms, first, last) == brute_force_counts(rooms, first, last)

    busy_month(personas, rooms, first)
    check()
    later = first + dt.timedelta(days=9)
    Booking.objects.filter(purpose__startswith="Rapat pagi").update(status=Booking.Status.CANCELLED)  # bulk
    check()
    gladi = Booking.objects.get(purpose="Gladi resik")
    gladi.start, gladi.end = (
        at(later + dt.timedelta(days=5), "08:00"),
        at(later + dt.timedelta(days=8), "08:00"),
    )
    gladi.block_end = gladi.end
    gladi.save()  # moved and longer
    check()
    Booking.objects.filter(purpose="Sehari penuh").update(resource=rooms[0])
    Booking.objects.filter(purpose__startswith="Sesi").update(purpose="Sesi pleno")  # nets to nothing
    check()
    Booking.objects.filter(purpose="Sesi pleno", start__hour__lt=4).delete()
    Booking.objects.filter(status=Booking.Status.CANCELLED).update(status=Booking.Status.COMPLETED)
    check()
    # through the services, as the users do
    user = personas["pegawai"]
    requested = services.booking_request(
        resource=rooms[2], requester=user.employee, start=at(later, "19:00"), end=at(later, "21:00"),
        purpose="Rapat malam", by=user,
    )  # fmt: skip
    check()
    services.booking_approve(requested, by=personas["peminjaman"])
    services.booking_cancel(Booking.objects.get(pk=requested.pk), by=user, reason="Batal")
    check()
    with connection.cursor() as cursor:
        cursor.execute(
            "SET CONSTRAINTS ALL IMMEDIATE"
        )  # no deferred checks pending in the test's transaction
        cursor.execute("TRUNCATE bookings_booking CASCADE")
    assert summary(rooms, first, last) == {}


@POSTGRES
@pytest.mark.django_db
def test_the_calendar_queries_use_the_indexes_of_migration_0003(rooms, first):
    """The multi-day predicate is written twice (index and queries): the planner only uses the partial
    index when both match, so a drift shows here as a missing index in the plans."""
    migration = importlib.import_module("bookings.migrations.0003_calendar_day_counts")
    casts = {"resources": "::bigint[]", "statuses": "::text[]", "first": "::timestamp", "last": "::timestamp"}

    def param(name: str) -> str:
        return f"%({name})s{casts.get(name, '')}"

    start, end = queries.day_bounds(first)
    midnight = dt.datetime.combine(first, dt.time.min)
    params = {
        "resources": [r.pk for r in rooms],
        "statuses": list(Booking.VISIBLE),
        "start": start,
        "end": end,
    }
    params.update(first=midnight, last=midnight, per_day=MONTH_CELL_ENTRIES)
    plans = []
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for sql in (migration.window_sql(param), migration.first_sql(param)):
            cursor.execute("EXPLAIN " + sql, params)
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    assert all("bk_booking_multiday_idx" in plan for plan in plans), plans
    assert "bk_booking_day_order_idx" in plans[1], plans[1]


@pytest.mark.django_db
def test_the_resource_list_and_unit_names_follow_writes(client_as, personas, rooms, first):
    client = client_as("pegawai")
    url = calendar_url(jenis="room", tampilan="bulan", tanggal=first.isoformat())
    booking = make(personas, rooms[0], at(first, "09:00"), at(first, "10:00"))
    assert "Aula Baru" not in client.get(url).content.decode()
    Resource.objects.create(kind=Resource.Kind.ROOM, name="Aula Baru", capacity=100)
    rooms[0].name = "Ruang Satu Diganti"
    rooms[0].save()
    html = client.get(url).content.decode()
    assert "Aula Baru" in html and "Ruang Satu Diganti" in html
    unit = booking.unit
    unit.name = "Biro Nama Baru"
    unit.save()
    assert "Biro Nama Baru" in client.get(url).content.decode()


@pytest.mark.django_db
def test_an_inactive_room_calendar_is_hidden_except_from_those_who_manage(client_as, personas, rooms, first):
    rooms[0].is_active = False
    rooms[0].save()
    url = calendar_url(sumber=rooms[0].pk, tampilan="bulan", tanggal=first.isoformat())
    assert client_as("pegawai").get(url).status_code == 404
    assert client_as("peminjaman").get(url).status_code == 200
    assert client_as("pegawai").get(calendar_url(sumber="abc", tampilan="bulan")).status_code == 404
    assert client_as("pegawai").get(calendar_url(sumber=999999, tampilan="bulan")).status_code == 404
    assert client_as("anon").get(url).status_code == 302


# Queries of a calendar page, the request's own included: session, user, cache versions, then the
# page's: the resource (from the cached list: none), the bookings with the blackouts (PostgreSQL: one
# query; elsewhere two); the work calendar's working days come from the cache once warm (none); the
# month of all rooms adds the per-day counts (PostgreSQL). Plus three for users who do not see every booking (their employee record, the units
# they head, which of the bookings they may open).
def expected_queries(view: str, *, one_resource: bool, sees_all: bool, kept: bool) -> int:
    """Session, user, cache versions, the resources' stamps; unless the calendar is kept: the bookings
    and blackouts (two queries on SQLite), the per-day counts (month of all resources, PostgreSQL) and
    for those who may open only some bookings which ones (their units, their permissions, the ids)."""
    n = 3 + 1
    if kept:
        return n
    n += 1 if connection.vendor == "postgresql" else 2
    if view == "bulan" and not one_resource and connection.vendor == "postgresql":
        n += 1
    return n + (0 if sees_all else 3)


@pytest.mark.django_db
@pytest.mark.parametrize("view", ["bulan", "minggu", "hari"])
@pytest.mark.parametrize("one_resource", [True, False])
@pytest.mark.parametrize("persona", ["peminjaman", "pegawai"])
def test_calendar_pages_cost_a_fixed_number_of_queries(
    client_as, personas, rooms, first, view, one_resource, persona
):
    busy_month(personas, rooms, first)
    day = first + dt.timedelta(days=9)
    params = {"sumber": rooms[1].pk} if one_resource else {"jenis": "room"}
    url = calendar_url(**params, tampilan=view, tanggal=day.isoformat())
    client = client_as(persona)
    client.get(url)  # warm per-process caches (content types, resources, units) and keep the calendar
    later = first + dt.timedelta(days=100)
    for headers in ({}, {"HX-Request": "true"}):
        for kept in (True, False):
            if not kept:  # a write to a shown resource, outside the window: the calendar is built again
                make(personas, rooms[1], at(later, "08:00"), at(later, "09:00"))
            with CaptureQueriesContext(connection) as queries_run:
                response = client.get(url, headers=headers)
            assert response.status_code == 200
            sees_all = persona == "peminjaman"
            expected = expected_queries(view, one_resource=one_resource, sees_all=sees_all, kept=kept)
            sqls = [q["sql"][:150] for q in queries_run.captured_queries]
            assert len(sqls) == expected, "\n".join(sqls)


@pytest.mark.django_db
def test_the_month_of_one_room_shows_each_days_first_entries_and_the_week_shows_all(
    client_as, personas, rooms, first
):
    busy_month(personas, rooms, first)
    busy = first + dt.timedelta(days=2)
    room = rooms[0]
    for hour in (10, 11, 12):  # with the two meetings and the blackout: six entries that day
        make(personas, room, at(busy, f"{hour}:00"), at(busy, f"{hour}:30"), purpose=f"Rapat tambahan {hour}")
    client = client_as("peminjaman")
    response = client.get(calendar_url(sumber=room.pk, tampilan="bulan", tanggal=first.isoformat()))
    day = cell(response.content.decode(), busy)
    assert day.count('class="bk-e"') == MONTH_CELL_ENTRIES
    assert "Perawatan AC" in day and "Rapat pagi 0" in day and "Rapat siang 0" not in day  # by time
    more = f'href="/peminjaman/kalender/?jenis=room&amp;sumber={room.pk}&amp;tampilan=hari&amp;tanggal={busy.isoformat()}"'
    assert f'{more} data-testid="calendar-more">+{6 - MONTH_CELL_ENTRIES} lainnya</a>' in day
    shown = Booking.objects.filter(resource=room, status__in=Booking.VISIBLE).count()
    assert response.context["booking_count"] == shown == 2 + 3 + 1  # bookings, not the entries shown
    week = client.get(calendar_url(sumber=room.pk, tampilan="minggu", tanggal=busy.isoformat()))
    day = cell(week.content.decode(), busy)
    assert day.count('class="bk-e"') == 6 and "lainnya" not in day and "Rapat siang 0" in day


@pytest.mark.django_db
def test_entries_name_their_room_in_the_month_of_all_rooms_but_not_under_the_rooms_own_row_of_the_day(
    client_as, personas, rooms, first
):
    busy = first + dt.timedelta(days=2)
    make(personas, rooms[2], at(busy, "09:00"), at(busy, "10:00"), purpose="Rapat pimpinan")
    client = client_as("peminjaman")
    month = client.get(calendar_url(jenis="room", tampilan="bulan", tanggal=first.isoformat()))
    entry = cell(month.content.decode(), busy).split('class="bk-e"', 1)[1].split("</div>", 1)[0]
    assert "Rapat pimpinan" in entry and "<small>Ruang 3</small>" in entry
    day = client.get(calendar_url(jenis="room", tampilan="hari", tanggal=busy.isoformat())).content.decode()
    row = day.split(">Ruang 3</a>", 1)[1].split("</li>", 1)[0]
    assert "Rapat pimpinan" in row and "<small>Ruang 3</small>" not in row
