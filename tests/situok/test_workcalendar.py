"""Work calendar: Pawukon arithmetic, national holidays, seeding, working-day arithmetic, hours and ICS.

The first group needs no database; the second works on the CalendarDay/WorkSchedule tables.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from hypothesis import given
from hypothesis import strategies as st

from situok.audit import AuditEvent
from situok.calendar_models import CalendarDay, WorkSchedule
from situok.workcalendar import (
    CUTI_BERSAMA_2026,
    PAWUKON_ANCHOR,
    _ics_fold,
    calendar_day_confirm,
    calendar_ics,
    day_info,
    is_working_day,
    national_holidays,
    next_working_day,
    package_cuti_bersama,
    pawukon_days,
    seed_year,
    working_days_between,
    working_hours,
)

D = dt.date
T = dt.time
Kind = CalendarDay.Kind

WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, TUESDAY = 2, 3, 4, 5, 1

# --- Pawukon (pure) ----------------------------------------------------------------------------------

# Published / listed in domain.md §5.3.
PUBLISHED = [
    (D(2024, 7, 13), "Hari Raya Saraswati"),
    (D(2024, 9, 25), "Hari Raya Galungan"),
    (D(2025, 4, 23), "Hari Raya Galungan"),
    (D(2025, 5, 3), "Hari Raya Kuningan"),
    (D(2025, 11, 19), "Hari Raya Galungan"),
    (D(2025, 11, 29), "Hari Raya Kuningan"),
    (D(2026, 4, 4), "Hari Raya Saraswati"),
    (D(2026, 4, 8), "Hari Raya Pagerwesi"),
    (D(2026, 6, 17), "Hari Raya Galungan"),
    (D(2026, 6, 27), "Hari Raya Kuningan"),
    (D(2026, 10, 31), "Hari Raya Saraswati"),
    (D(2026, 11, 4), "Hari Raya Pagerwesi"),
    (D(2027, 1, 13), "Hari Raya Galungan"),
]


@pytest.mark.parametrize(("day", "name"), PUBLISHED, ids=[f"{n} {d}" for d, n in PUBLISHED])
def test_published_pawukon_dates_are_computed(day, name):
    assert (day, name) in pawukon_days(day.year)


# Worked by hand: Saraswati 31 Oct 2026 + 210 days = 29 May 2027 (Oct 31 → Nov 30 is 30 days,
# → Dec 31 61, → Jan 31 92, → Feb 28 120, → Mar 31 151, → Apr 30 181, → May 29 210); + 210 again =
# 25 Dec 2027; + 210 = 22 Jul 2028. Galungan = Saraswati + 74 of the previous Saraswati:
# 29 May 2027 + 74 = 11 Aug 2027 (2 to May 31, 30 in June, 31 in July, 11 in August = 74);
# 25 Dec 2027 + 74 = 8 Mar 2028 (6 + 31 + 29 (leap) + 8 = 74); 22 Jul 2028 + 74 = 4 Oct 2028
# (9 + 31 + 30 + 4 = 74). Kuningan = Galungan + 10, Pagerwesi = Saraswati + 4, Penampahan the day
# before, Umanis the day after. January 2027 carries the cycle of Saraswati 31 Oct 2026.
EXPECTED_2027 = [
    (D(2027, 1, 12), "Penampahan Galungan"),
    (D(2027, 1, 13), "Hari Raya Galungan"),
    (D(2027, 1, 14), "Umanis Galungan"),
    (D(2027, 1, 22), "Penampahan Kuningan"),
    (D(2027, 1, 23), "Hari Raya Kuningan"),
    (D(2027, 5, 29), "Hari Raya Saraswati"),
    (D(2027, 6, 2), "Hari Raya Pagerwesi"),
    (D(2027, 8, 10), "Penampahan Galungan"),
    (D(2027, 8, 11), "Hari Raya Galungan"),
    (D(2027, 8, 12), "Umanis Galungan"),
    (D(2027, 8, 20), "Penampahan Kuningan"),
    (D(2027, 8, 21), "Hari Raya Kuningan"),
    (D(2027, 12, 25), "Hari Raya Saraswati"),
    (D(2027, 12, 29), "Hari Raya Pagerwesi"),
]
EXPECTED_2028 = [
    (D(2028, 3, 7), "Penampahan Galungan"),
    (D(2028, 3, 8), "Hari Raya Galungan"),
    (D(2028, 3, 9), "Umanis Galungan"),
    (D(2028, 3, 17), "Penampahan Kuningan"),
    (D(2028, 3, 18), "Hari Raya Kuningan"),
    (D(2028, 7, 22), "Hari Raya Saraswati"),
    (D(2028, 7, 26), "Hari Raya Pagerwesi"),
    (D(2028, 10, 3), "Penampahan Galungan"),
    (D(2028, 10, 4), "Hari Raya Galungan"),
    (D(2028, 10, 5), "Umanis Galungan"),
    (D(2028, 10, 13), "Penampahan Kuningan"),
    (D(2028, 10, 14), "Hari Raya Kuningan"),
]


def test_pawukon_2027_and_2028_are_exactly_the_hand_computed_lists():
    assert pawukon_days(2027) == EXPECTED_2027
    assert pawukon_days(2028) == EXPECTED_2028


def test_pawukon_2026_is_complete():
    assert pawukon_days(2026) == [
        (D(2026, 4, 4), "Hari Raya Saraswati"),
        (D(2026, 4, 8), "Hari Raya Pagerwesi"),
        (D(2026, 6, 16), "Penampahan Galungan"),
        (D(2026, 6, 17), "Hari Raya Galungan"),
        (D(2026, 6, 18), "Umanis Galungan"),
        (D(2026, 6, 26), "Penampahan Kuningan"),
        (D(2026, 6, 27), "Hari Raya Kuningan"),
        (D(2026, 10, 31), "Hari Raya Saraswati"),
        (D(2026, 11, 4), "Hari Raya Pagerwesi"),
    ]


def test_years_before_the_anchor_count_cycles_backwards():
    # 28 Feb 2024 (= 25 Sep 2024 - 210) and 2 Aug 2023 (- 420) and 24 Jul 2019 were Galungan days.
    assert (D(2024, 2, 28), "Hari Raya Galungan") in pawukon_days(2024)
    assert (D(2023, 8, 2), "Hari Raya Galungan") in pawukon_days(2023)
    assert (D(2019, 7, 24), "Hari Raya Galungan") in pawukon_days(2019)


WEEKDAY_OF = {
    "Penampahan Galungan": TUESDAY,
    "Hari Raya Galungan": WEDNESDAY,
    "Umanis Galungan": THURSDAY,
    "Penampahan Kuningan": FRIDAY,
    "Hari Raya Kuningan": SATURDAY,
    "Hari Raya Saraswati": SATURDAY,
    "Hari Raya Pagerwesi": WEDNESDAY,
}


@given(st.integers(min_value=1900, max_value=2200))
def test_pawukon_days_fall_on_their_weekday_inside_the_year_in_whole_cycles(year):
    days = pawukon_days(year)
    assert days == sorted(set(days))
    galungan_offset = (D(2024, 9, 25) - PAWUKON_ANCHOR).days
    for day, name in days:
        assert day.year == year
        assert day.weekday() == WEEKDAY_OF[name], (day, name)
        if name == "Hari Raya Galungan":
            assert (day - PAWUKON_ANCHOR).days % 210 == galungan_offset
    # 365 days hold one or two of each (a 210-day cycle).
    for name in WEEKDAY_OF:
        assert 1 <= sum(n == name for _d, n in days) <= 2


def test_consecutive_years_join_without_gap_or_overlap():
    joined = [d for year in range(2020, 2031) for d, n in pawukon_days(year) if n == "Hari Raya Galungan"]
    assert all((b - a).days == 210 for a, b in itertools.pairwise(joined))


# --- holidays package (pure) -------------------------------------------------------------------------


def test_national_holidays_2026_match_the_skb_list_with_indonesian_names():
    holidays_2026 = national_holidays(2026)
    assert [d for d, _n in holidays_2026] == [
        D(2026, 1, 1), D(2026, 1, 16), D(2026, 2, 17), D(2026, 3, 19), D(2026, 3, 21), D(2026, 3, 22),
        D(2026, 4, 3), D(2026, 4, 5), D(2026, 5, 1), D(2026, 5, 14), D(2026, 5, 27), D(2026, 5, 31),
        D(2026, 6, 1), D(2026, 6, 16), D(2026, 8, 17), D(2026, 8, 25), D(2026, 12, 25),
    ]  # fmt: skip
    assert (D(2026, 3, 19), "Hari Suci Nyepi") in holidays_2026
    assert (D(2026, 8, 17), "Hari Kemerdekaan Republik Indonesia") in holidays_2026


def test_the_package_cuti_bersama_2026_agree_with_the_domain_list():
    assert [d for d, _n in package_cuti_bersama(2026)] == [d for d, _n in CUTI_BERSAMA_2026]


# --- ICS folding (pure) ------------------------------------------------------------------------------


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=400))
def test_folding_keeps_lines_within_75_octets_and_unfolds_to_the_original(text):
    line = "SUMMARY:" + text
    folded = _ics_fold(line)
    physical = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in physical)
    assert all(p.startswith(" ") for p in physical[1:])
    assert folded.replace("\r\n ", "") == line


# --- Database ----------------------------------------------------------------------------------------


@pytest.fixture
def cal_db(db):
    return db


@pytest.fixture
def seeded_2026(cal_db):
    seed_year(2026)


def test_seeding_2026_creates_pawukon_national_and_cuti_bersama_days(cal_db):
    assert seed_year(2026) == 9 + 17 + 8
    assert CalendarDay.objects.filter(kind=Kind.DISPENSASI_BALI, source="computed_pawukon").count() == 9
    assert CalendarDay.objects.filter(kind=Kind.LIBUR_NASIONAL, source="holidays_package").count() == 17
    cuti = CalendarDay.objects.filter(kind=Kind.CUTI_BERSAMA)
    assert cuti.count() == 8
    assert set(cuti.values_list("source", "dasar_hukum")) == {("manual", "SKB 3 Menteri 2026 (periksa)")}
    assert not CalendarDay.objects.filter(confirmed=True).exists()
    assert AuditEvent.objects.filter(action="situok.calendar.seeded", data__year=2026).exists()


def test_seeding_is_idempotent_and_keeps_the_admins_edits(cal_db):
    seed_year(2026)
    total = CalendarDay.objects.count()
    galungan = CalendarDay.objects.get(date=D(2026, 6, 17), kind=Kind.DISPENSASI_BALI)
    assert not is_working_day(D(2026, 6, 17))  # unconfirmed computed days count as days off
    galungan.is_day_off = False
    galungan.name = "Galungan (tidak diliburkan)"
    galungan.save()

    assert seed_year(2026) == 0
    assert CalendarDay.objects.count() == total
    galungan.refresh_from_db()
    assert (galungan.is_day_off, galungan.name) == (False, "Galungan (tidak diliburkan)")
    assert is_working_day(D(2026, 6, 17))


def test_a_deleted_seeded_day_comes_back_on_the_next_seed(cal_db):
    seed_year(2026)
    CalendarDay.objects.filter(date=D(2026, 4, 8), kind=Kind.DISPENSASI_BALI).delete()
    assert seed_year(2026) == 1


def test_other_years_take_cuti_bersama_from_the_package(cal_db):
    seed_year(2025)
    assert CalendarDay.objects.filter(
        date=D(2025, 4, 7), kind=Kind.CUTI_BERSAMA, source="holidays_package"
    ).exists()


def test_working_days_across_nyepi_and_idulfitri_2026(seeded_2026):
    # 16 Mon ✓, 17 Tue ✓, 18 Wed cuti Nyepi, 19 Thu Nyepi, 20 Fri cuti Idulfitri, 21–22 weekend
    # (Idulfitri), 23 Mon + 24 Tue cuti Idulfitri, 25 Wed ✓, 26 Thu ✓, 27 Fri ✓.
    assert working_days_between(D(2026, 3, 16), D(2026, 3, 27)) == 5
    # March 2026 has 22 weekdays (1 Mar is a Sunday); five of them are off.
    assert working_days_between(D(2026, 3, 1), D(2026, 3, 31)) == 17
    assert working_days_between(D(2026, 3, 18), D(2026, 3, 24)) == 0
    assert working_days_between(D(2026, 3, 27), D(2026, 3, 16)) == 0


def test_hindu_only_days_are_off_for_hindu_staff_and_by_default(cal_db):
    day = D(2026, 7, 15)  # a Wednesday with nothing else on it
    CalendarDay.objects.create(
        date=day, kind=Kind.DISPENSASI_BALI, name="Hari Suci (uji)", applies_to="hindu_only"
    )
    assert is_working_day(day, hindu=True) is False
    assert is_working_day(day, hindu=None) is False
    assert is_working_day(day, hindu=False) is True
    week = (D(2026, 7, 13), D(2026, 7, 17))
    assert working_days_between(*week, hindu=True) == 4
    assert working_days_between(*week, hindu=False) == 5


def test_a_special_working_day_overrides_weekend_and_days_off(seeded_2026):
    saturday = D(2026, 8, 8)
    assert not is_working_day(saturday)
    CalendarDay.objects.create(
        date=saturday, kind=Kind.HARI_KERJA_KHUSUS, name="Hari kerja", is_day_off=False
    )
    assert is_working_day(saturday)
    assert day_info(saturday).hours == (T(7, 30), T(16, 30))  # Monday–Thursday hours

    CalendarDay.objects.create(
        date=D(2026, 8, 17), kind=Kind.HARI_KERJA_KHUSUS, name="Upacara", is_day_off=False
    )
    assert is_working_day(D(2026, 8, 17))


def test_a_special_working_day_cannot_be_a_day_off(cal_db):
    day = CalendarDay(date=D(2026, 8, 8), kind=Kind.HARI_KERJA_KHUSUS, name="Hari kerja", is_day_off=True)
    with pytest.raises(ValidationError):
        day.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        day.save()


def test_next_working_day_skips_a_long_weekend(seeded_2026):
    # Thu 2 Apr → Fri 3 Apr Wafat Yesus Kristus, Sat 4 Apr (Saraswati), Sun 5 Apr Paskah → Mon 6 Apr.
    assert next_working_day(D(2026, 4, 2)) == D(2026, 4, 6)
    # 6 Mon, 7 Tue, 8 Wed Pagerwesi (off), 9 Thu.
    assert next_working_day(D(2026, 4, 2), 3) == D(2026, 4, 9)
    assert next_working_day(D(2026, 4, 3), 0) == D(2026, 4, 6)
    assert next_working_day(D(2026, 4, 2), 0) == D(2026, 4, 2)
    # Tue 17 Mar → the Nyepi/Idulfitri stretch ends on Wed 25 Mar.
    assert next_working_day(D(2026, 3, 17)) == D(2026, 3, 25)
    with pytest.raises(ValueError):
        next_working_day(D(2026, 4, 2), -1)


def test_next_working_day_agrees_with_working_days_between(seeded_2026, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        day = next_working_day(D(2025, 12, 31), 200)
    assert is_working_day(day)
    assert working_days_between(D(2026, 1, 1), day) == 200


def test_working_days_between_uses_one_query_whatever_the_range(seeded_2026, django_assert_num_queries):
    with django_assert_num_queries(1):
        full_year = working_days_between(D(2026, 1, 1), D(2026, 12, 31))
    with django_assert_num_queries(1):
        working_days_between(D(2026, 3, 1), D(2026, 3, 3))
    # 261 weekdays in 2026 (1 Jan is a Thursday, 52 weeks + 1 day). Off on weekdays: 13 national
    # holidays (21–22 Mar, 5 Apr and 31 May are weekends), the 8 cuti bersama (all weekdays, none on a
    # holiday) and 5 Pawukon days: of the six on weekdays (8 Apr, 16–18 Jun, 26 Jun, 4 Nov),
    # Penampahan Galungan 16 Jun is also 1 Muharam; Saraswati ×2 and Kuningan are Saturdays.
    assert full_year == 261 - 13 - 8 - 5


def test_day_info_describes_nyepi_and_an_ordinary_friday(seeded_2026):
    nyepi = day_info(D(2026, 3, 19))
    assert nyepi.is_working_day is False
    assert nyepi.kinds == [Kind.LIBUR_NASIONAL]
    assert nyepi.names == ["Hari Suci Nyepi"]
    assert nyepi.hours is None
    assert nyepi.weekday_name == "Kamis"

    friday = day_info(D(2026, 4, 10))
    assert (friday.is_working_day, friday.kinds, friday.hours) == (True, [], (T(7, 30), T(14, 30)))
    assert friday.weekday_name == "Jumat"


def test_working_hours_default_to_pergub_58_2023(cal_db):
    assert working_hours(D(2026, 4, 9)) == (T(7, 30), T(12), T(13), T(16, 30))  # Thursday
    assert working_hours(D(2026, 4, 10)) == (T(7, 30), T(11, 30), T(13), T(14, 30))  # Friday
    assert working_hours(D(2026, 4, 11)) is None  # Saturday


def test_a_ramadan_schedule_wins_over_the_normal_one(cal_db):
    WorkSchedule.objects.create(name="Normal", valid_from=D(2024, 1, 2))
    WorkSchedule.objects.create(
        name="Ramadan 1447 H",
        valid_from=D(2026, 2, 18),
        valid_to=D(2026, 3, 19),
        **WorkSchedule.ramadan_defaults(),
    )
    assert working_hours(D(2026, 2, 23)) == (T(8), T(12), T(12, 30), T(15, 30))  # Monday
    assert working_hours(D(2026, 2, 27)) == (T(8), T(11, 30), T(12, 30), T(13, 30))  # Friday
    assert working_hours(D(2026, 3, 20)) == (T(7, 30), T(11, 30), T(13), T(14, 30))  # after Ramadan


def test_a_schedule_must_have_an_ordered_period_and_times(cal_db):
    with pytest.raises(ValidationError):
        WorkSchedule(name="x", valid_from=D(2026, 2, 1), valid_to=D(2026, 1, 1)).full_clean()
    with pytest.raises(ValidationError):
        WorkSchedule(name="x", valid_from=D(2026, 1, 1), fri_end=T(11)).full_clean()


def test_confirming_a_day_records_who_and_when(seeded_2026, django_user_model):
    admin = django_user_model.objects.create_user("admin-kalender", password="x")
    day = CalendarDay.objects.get(date=D(2026, 6, 17), kind=Kind.DISPENSASI_BALI)
    calendar_day_confirm(day, by=admin)
    day.refresh_from_db()
    assert day.confirmed and day.confirmed_by == admin and day.confirmed_at is not None
    assert AuditEvent.objects.filter(action="situok.calendarday.confirmed", target_id=str(day.pk)).exists()


def _unfold(ics: str) -> list[str]:
    return ics.replace("\r\n ", "").split("\r\n")[:-1]


def test_ics_is_a_well_formed_icalendar_file(seeded_2026):
    CalendarDay.objects.create(
        date=D(2026, 3, 18),
        kind=Kind.DISPENSASI_BALI,
        name="Hari Pengerupukan/Tawur Kesanga; libur fakultatif, berlaku bagi seluruh ASN Pemprov Bali – uji",
        dasar_hukum="SE Gubernur Bali Nomor 16 Tahun 2024 tentang Dispensasi Hari Raya Suci Hindu",
    )
    ics = calendar_ics(2026)

    assert ics.endswith("\r\n")
    assert "\n" not in ics.replace("\r\n", "")  # CRLF only
    physical = ics.split("\r\n")[:-1]
    assert max(len(line.encode("utf-8")) for line in physical) <= 75
    assert any(line.startswith(" ") for line in physical)  # the long name was folded

    lines = _unfold(ics)
    stack: list[str] = []
    for line in lines:
        if line.startswith("BEGIN:"):
            stack.append(line[6:])
        elif line.startswith("END:"):
            assert stack.pop() == line[4:]
    assert stack == []
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)

    rows = CalendarDay.objects.filter(date__year=2026)
    assert lines.count("BEGIN:VEVENT") == rows.count()
    uids = [line for line in lines if line.startswith("UID:")]
    assert len(set(uids)) == rows.count()
    assert len([line for line in lines if line.startswith("DTSTAMP:")]) == rows.count()
    nyepi = rows.get(date=D(2026, 3, 19), kind=Kind.LIBUR_NASIONAL)
    event = lines[lines.index(f"UID:calendarday-{nyepi.pk}@situok") - 1 :]
    event = event[: event.index("END:VEVENT")]
    assert "SUMMARY:Hari Suci Nyepi" in event
    assert "DTSTART;VALUE=DATE:20260319" in event and "DTEND;VALUE=DATE:20260320" in event
    assert "CATEGORIES:LIBUR_NASIONAL" in event
    assert "SUMMARY:Hari Pengerupukan/Tawur Kesanga\\; libur fakultatif\\, berlaku bagi" in "\n".join(lines)


def test_ics_uids_are_stable_between_exports(seeded_2026):
    assert calendar_ics(2026) == calendar_ics(2026)
