"""Work-calendar pages: month grid, htmx navigation, confirming, seeding, ICS; the admin and the command."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
import time_machine
from django.contrib import admin
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from situok.audit import AuditEvent
from situok.calendar_admin import CalendarDayAdmin, WorkScheduleAdmin, register
from situok.calendar_models import CalendarDay, WorkSchedule
from situok.workcalendar import seed_year

Kind = CalendarDay.Kind
JUNE_2026 = {"tahun": 2026, "bulan": 6}
HTMX = {"HTTP_HX_REQUEST": "true"}


def cell(html: str, day: str) -> str:
    """The HTML of the grid cell of ``day`` (``YYYY-MM-DD``)."""
    match = re.search(rf'data-date="{day}">(.*?)</td>', html, re.S)
    assert match, f"no cell for {day}"
    return match.group(1)


def td_classes(html: str, day: str) -> str:
    match = re.search(rf'<td class="([^"]*)" data-date="{day}">', html)
    assert match, f"no cell for {day}"
    return match.group(1)


def month_shown(html: str) -> tuple[int, int]:
    match = re.search(r'id="calendar-month"[^>]*data-year="(\d+)" data-month="(\d+)"', html)
    assert match, "no month section"
    return int(match.group(1)), int(match.group(2))


@pytest.fixture
def galungan(db) -> CalendarDay:
    seed_year(2026)
    return CalendarDay.objects.get(date=dt.date(2026, 6, 17), kind=Kind.DISPENSASI_BALI)


# --- Month page ---------------------------------------------------------------------------------------


def test_month_page_shows_galungan_with_the_bali_dispensation_badge(client_as, galungan):
    response = client_as("pegawai").get(reverse("calendar"), JUNE_2026)
    assert response.status_code == 200
    html = response.content.decode()
    day = cell(html, "2026-06-17")
    assert "Hari Raya Galungan" in day
    assert "Dispensasi Bali" in day and "text-bg-primary" in day
    assert "belum dikonfirmasi" in day
    assert "bg-danger-subtle" in td_classes(html, "2026-06-17")  # a Wednesday off
    assert "bg-body-secondary" in td_classes(html, "2026-06-20")  # Saturday
    assert "Libur nasional" in cell(html, "2026-06-01")  # Hari Lahir Pancasila
    assert "Hari Raya Galungan" not in cell(html, "2026-06-18")
    assert 'data-testid="calendar-legend"' in html and "Cuti bersama" in html
    assert reverse("calendar_ics", args=[2026]) in html


def test_pegawai_sees_no_admin_buttons_and_admin_does(client_as, galungan):
    pegawai = client_as("pegawai").get(reverse("calendar"), JUNE_2026).content.decode()
    assert 'data-testid="calendar-confirm"' not in pegawai
    assert 'data-testid="calendar-seed"' not in pegawai
    admin_html = client_as("admin").get(reverse("calendar"), JUNE_2026).content.decode()
    assert reverse("calendar_confirm", args=[galungan.pk]) in admin_html
    assert 'data-testid="calendar-seed"' in admin_html and "Isi otomatis tahun 2026" in admin_html
    assert 'data-testid="calendar-unconfirmed"' in admin_html


@time_machine.travel(dt.datetime(2026, 6, 30, 16, 30, tzinfo=dt.UTC), tick=False)  # 1 Jul 00.30 WITA
def test_default_month_is_the_current_month_in_wita(client_as):
    response = client_as("pegawai").get(reverse("calendar"))
    assert month_shown(response.content.decode()) == (2026, 7)
    assert "border-primary" in td_classes(response.content.decode(), "2026-07-01")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"tahun": "abc", "bulan": "6"}, (2026, 6)),
        ({"tahun": "2027", "bulan": "13"}, (2027, 7)),
        ({"tahun": "2027", "bulan": "0"}, (2027, 7)),
        ({"tahun": "2026", "bulan": "-1"}, (2026, 7)),
        ({"tahun": "99999999999999999999", "bulan": "2"}, (2026, 2)),
        ({"tahun": "1", "bulan": "x"}, (2026, 7)),
        ({"tahun": "", "bulan": ""}, (2026, 7)),
        ({"tahun": ["2025", "2024"], "bulan": "12"}, (2024, 12)),
    ],
)
@time_machine.travel(dt.datetime(2026, 7, 15, 4, 0, tzinfo=dt.UTC), tick=False)
def test_invalid_month_parameters_fall_back_to_the_current_values(client_as, params, expected):
    response = client_as("pegawai").get(reverse("calendar"), params)
    assert response.status_code == 200
    assert month_shown(response.content.decode()) == expected


def test_htmx_navigation_gets_only_the_month_partial(client_as, galungan):
    client = client_as("pegawai")
    response = client.get(reverse("calendar"), {"tahun": 2026, "bulan": 1}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and html.lstrip().startswith("<section")
    assert month_shown(html) == (2026, 1)
    previous = reverse("calendar") + "?tahun=2025&amp;bulan=12"
    assert f'hx-get="{previous}"' in html and 'hx-target="#calendar-month"' in html
    assert 'hx-get="{}?tahun=2026&amp;bulan=2"'.format(reverse("calendar")) in html
    assert "HX-Request" in response["Vary"]
    full = client.get(reverse("calendar"), {"tahun": 2026, "bulan": 1}).content.decode()
    assert "<html" in full and 'id="calendar-month"' in full
    # Back button after an htmx history-cache miss: the whole page again.
    restore = client.get(
        reverse("calendar"), {"tahun": 2026, "bulan": 1}, HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HTMX
    )
    assert "<html" in restore.content.decode()


def test_month_without_entries_says_so(client_as):
    html = client_as("pegawai").get(reverse("calendar"), {"tahun": 2031, "bulan": 2}).content.decode()
    assert 'data-testid="calendar-empty"' in html


def test_month_page_query_count_does_not_grow_with_entries(client_as, galungan):
    client = client_as("admin")
    client.get(reverse("calendar"), JUNE_2026)  # warm the session and permission caches

    def count(params) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("calendar"), params).status_code == 200
        return len(queries)

    busy, empty = count({"tahun": 2026, "bulan": 3}), count({"tahun": 2031, "bulan": 2})
    assert CalendarDay.objects.filter(date__year=2026, date__month=3).count() >= 5
    assert busy == empty
    assert busy <= 10  # session, user, permissions, two calendar queries


# --- Confirm ------------------------------------------------------------------------------------------


def test_admin_confirms_a_day_and_an_audit_event_is_written(client_as, personas, galungan):
    response = client_as("admin").post(reverse("calendar_confirm", args=[galungan.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("calendar") + "?tahun=2026&bulan=6"
    galungan.refresh_from_db()
    assert galungan.confirmed and galungan.confirmed_by == personas["admin"] and galungan.confirmed_at
    event = AuditEvent.objects.get(action="situok.calendarday.confirmed")
    assert event.target_id == str(galungan.pk) and event.actor == personas["admin"]


def test_confirming_twice_writes_one_audit_event(client_as, galungan):
    client = client_as("admin")
    client.post(reverse("calendar_confirm", args=[galungan.pk]))
    response = client.post(reverse("calendar_confirm", args=[galungan.pk]), follow=True)
    assert "sudah dikonfirmasi" in [str(m) for m in get_messages(response.wsgi_request)][-1]
    assert AuditEvent.objects.filter(action="situok.calendarday.confirmed").count() == 1


def test_htmx_confirm_swaps_the_month_in_place(client_as, galungan):
    response = client_as("admin").post(reverse("calendar_confirm", args=[galungan.pk]), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and month_shown(html) == (2026, 6)
    assert "belum dikonfirmasi" not in cell(html, "2026-06-17")
    assert reverse("calendar_confirm", args=[galungan.pk]) not in html


def test_pegawai_cannot_confirm(client_as, galungan):
    response = client_as("pegawai").post(reverse("calendar_confirm", args=[galungan.pk]))
    assert response.status_code == 403
    galungan.refresh_from_db()
    assert not galungan.confirmed
    assert not AuditEvent.objects.filter(action="situok.calendarday.confirmed").exists()


def test_confirm_needs_post_and_an_existing_day(client_as, galungan):
    client = client_as("admin")
    assert client.get(reverse("calendar_confirm", args=[galungan.pk])).status_code == 405
    assert client.post(reverse("calendar_confirm", args=[987654])).status_code == 404


# --- Seed ---------------------------------------------------------------------------------------------


def test_seed_post_is_idempotent(client_as, personas):
    client = client_as("admin")
    first = client.post(reverse("calendar_seed"), {"tahun": 2026, "bulan": 6})
    assert first.status_code == 302 and first["Location"] == reverse("calendar") + "?tahun=2026&bulan=6"
    rows = CalendarDay.objects.filter(date__year=2026).count()
    assert rows > 30
    second = client.post(reverse("calendar_seed"), {"tahun": 2026, "bulan": 6}, follow=True)
    assert CalendarDay.objects.filter(date__year=2026).count() == rows
    assert "sudah lengkap" in [str(m) for m in get_messages(second.wsgi_request)][-1]
    events = AuditEvent.objects.filter(action="situok.calendar.seeded").order_by("id")
    assert [e.data["created"] for e in events] == [rows, 0]
    assert {e.actor for e in events} == {personas["admin"]}


@time_machine.travel(dt.datetime(2027, 3, 10, 4, 0, tzinfo=dt.UTC), tick=False)
def test_seed_without_a_valid_year_fills_the_current_year(client_as):
    response = client_as("admin").post(reverse("calendar_seed"), {"tahun": "dua ribu"})
    assert response["Location"] == reverse("calendar") + "?tahun=2027&bulan=3"
    assert CalendarDay.objects.filter(date__year=2027).exists()


def test_pegawai_cannot_seed(client_as):
    assert client_as("pegawai").post(reverse("calendar_seed"), {"tahun": 2026}).status_code == 403
    assert not CalendarDay.objects.exists()


# --- ICS ----------------------------------------------------------------------------------------------


def test_ics_download_is_an_icalendar_attachment(client_as, galungan):
    response = client_as("pegawai").get(reverse("calendar_ics", args=[2026]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="kalender-kerja-2026.ics"'
    body = response.content.decode("utf-8")
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "\n" not in body.replace("\r\n", "")  # every line ends with CRLF
    assert "SUMMARY:Hari Raya Galungan" in body
    assert "DTSTART;VALUE=DATE:20260617" in body


def test_ics_for_an_absurd_year_is_not_found(client_as):
    assert client_as("pegawai").get(reverse("calendar_ics", args=[99999])).status_code == 404


# --- Admin and command --------------------------------------------------------------------------------


def test_register_is_idempotent():
    site = admin.AdminSite(name="calendar-test")
    register(site)
    register(site)
    assert isinstance(site._registry[CalendarDay], CalendarDayAdmin)
    assert isinstance(site._registry[WorkSchedule], WorkScheduleAdmin)


def test_admin_action_confirms_each_selected_day(personas, galungan):
    request = RequestFactory().post("/")
    request.user = personas["admin"]
    request.session = {}
    request._messages = FallbackStorage(request)
    model_admin = CalendarDayAdmin(CalendarDay, admin.AdminSite(name="calendar-action-test"))
    june = CalendarDay.objects.filter(date__year=2026, date__month=6)
    model_admin.confirm_selected(request, june)
    assert not june.filter(confirmed=False).exists()
    assert AuditEvent.objects.filter(action="situok.calendarday.confirmed").count() == june.count()
    assert "dikonfirmasi" in [str(m) for m in request._messages][-1]


def test_seed_calendar_command_fills_the_given_years_idempotently(db):
    out = io.StringIO()
    call_command("seed_calendar", "--year", "2026", stdout=out)
    rows = CalendarDay.objects.count()
    assert rows > 30 and "2026:" in out.getvalue()
    call_command("seed_calendar", "--year", "2026", stdout=io.StringIO())
    assert CalendarDay.objects.count() == rows


@time_machine.travel(dt.datetime(2026, 12, 31, 17, 0, tzinfo=dt.UTC), tick=False)  # 1 Jan 2027 WITA
def test_seed_calendar_command_defaults_to_this_and_next_year(db):
    out = io.StringIO()
    call_command("seed_calendar", stdout=out)
    assert out.getvalue().splitlines()[0].startswith("2027:")
    assert out.getvalue().splitlines()[1].startswith("2028:")
    assert CalendarDay.objects.filter(date__year=2028).exists()
