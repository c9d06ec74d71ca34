"""Working days and office hours of the Pemprov Bali secretariat.

Sources (domain.md §5.1, §5.3):

- national holidays from the ``holidays`` package (SKB of Menag, Menaker and MenPANRB every year);
- cuti bersama: the 2026 list from the SKB as copied into domain.md, other years from the package's
  ``government`` category;
- Bali's *dispensasi hari raya suci Hindu* (Surat Edaran Gubernur every year): the Pawukon days are
  computed here (210-day cycle); the lunar ones (Siwaratri, Tawur Kesanga, Nyepi, Ngembak Geni) are
  entered by hand;
- office hours from :class:`~situok.calendar_models.WorkSchedule` (Pergub Bali 58/2023 by default).

Every seeded row starts *unconfirmed*: an administrator checks it against the signed decree. Unconfirmed
rows nevertheless **count** as days off — they are the best default available, and a working-day
computation that ignored them would be wrong far more often than one that uses them. To drop a seeded
day, untick ``is_day_off`` (keep the row): :func:`seed_year` re-creates missing rows.

Reading functions take ``hindu``: ``True`` for a Hindu employee, ``False`` for a non-Hindu one, ``None``
when unknown — then ``hindu_only`` entries apply to everyone (the offices largely close on those days).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import holidays
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .audit import log_action
from .calendar_models import NORMAL_HOURS, CalendarDay, WorkSchedule

Kind = CalendarDay.Kind
Source = CalendarDay.Source
AppliesTo = CalendarDay.AppliesTo

ONE_DAY = dt.timedelta(days=1)
WEEKEND = (5, 6)  # Saturday, Sunday

WEEKDAY_NAMES = (_("Senin"), _("Selasa"), _("Rabu"), _("Kamis"), _("Jumat"), _("Sabtu"), _("Minggu"))

# --- Pawukon -----------------------------------------------------------------------------------------

#: Saraswati (Saniscara Umanis Watugunung, the last day of a Pawukon cycle); domain.md §5.3.
PAWUKON_ANCHOR = dt.date(2024, 7, 13)
PAWUKON_CYCLE = 210
#: Days after Saraswati of each holy day of the following cycle. Names are stored data (proper names
#: as the Surat Edaran writes them), deliberately not translated.
PAWUKON_OFFSETS: tuple[tuple[int, str], ...] = (
    (0, "Hari Raya Saraswati"),
    (4, "Hari Raya Pagerwesi"),  # Buda Kliwon Sinta
    (73, "Penampahan Galungan"),
    (74, "Hari Raya Galungan"),  # Buda Kliwon Dungulan
    (75, "Umanis Galungan"),
    (83, "Penampahan Kuningan"),
    (84, "Hari Raya Kuningan"),  # Saniscara Kliwon Kuningan
)

# --- Cuti bersama 2026 (SKB Menag 1497/2025, Menaker 2/2025, MenPANRB 5/2025; domain.md §5.3) -----------

CUTI_BERSAMA_2026: tuple[tuple[dt.date, str], ...] = (
    (dt.date(2026, 2, 16), "Cuti Bersama Tahun Baru Imlek"),
    (dt.date(2026, 3, 18), "Cuti Bersama Hari Suci Nyepi"),
    (dt.date(2026, 3, 20), "Cuti Bersama Hari Raya Idul Fitri"),
    (dt.date(2026, 3, 23), "Cuti Bersama Hari Raya Idul Fitri"),
    (dt.date(2026, 3, 24), "Cuti Bersama Hari Raya Idul Fitri"),
    (dt.date(2026, 5, 15), "Cuti Bersama Kenaikan Yesus Kristus"),
    (dt.date(2026, 5, 28), "Cuti Bersama Hari Raya Idul Adha"),
    (dt.date(2026, 12, 24), "Cuti Bersama Hari Raya Natal"),
)
CUTI_BERSAMA_2026_BASIS = "SKB 3 Menteri 2026 (periksa)"


def pawukon_days(year: int) -> list[tuple[dt.date, str]]:
    """The Pawukon holy days falling in Gregorian ``year``, sorted by date.

    Counted in whole 210-day cycles from :data:`PAWUKON_ANCHOR`, forwards or backwards, so any year
    works. A year holds one or two occurrences of each day.
    """
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    max_offset = max(offset for offset, _name in PAWUKON_OFFSETS)
    # Cycle k can reach into the year when its Saraswati lies in [first - max_offset, last]; floor
    # division widens that to whole cycles in both directions from the anchor.
    k_min = (first - dt.timedelta(days=max_offset) - PAWUKON_ANCHOR).days // PAWUKON_CYCLE
    k_max = (last - PAWUKON_ANCHOR).days // PAWUKON_CYCLE
    days: list[tuple[dt.date, str]] = []
    for k in range(k_min, k_max + 1):
        saraswati = PAWUKON_ANCHOR + dt.timedelta(days=k * PAWUKON_CYCLE)
        for offset, name in PAWUKON_OFFSETS:
            day = saraswati + dt.timedelta(days=offset)
            if first <= day <= last:
                days.append((day, name))
    return sorted(days)


# --- The holidays package ----------------------------------------------------------------------------


def _package_days(year: int, category: str) -> list[tuple[dt.date, str]]:
    kwargs: dict = {"years": year, "categories": (category,)}
    # The package ships an Indonesian localisation ("id", also its default); ask for it explicitly so a
    # change of default cannot switch the stored names to English.
    if "id" in getattr(holidays.ID, "supported_languages", ()):
        kwargs["language"] = "id"
    calendar = holidays.country_holidays("ID", **kwargs)
    # Two holidays on one date come back joined with "; " — keep them as separate entries.
    return sorted((day, name) for day in calendar for name in calendar.get_list(day))


def national_holidays(year: int) -> list[tuple[dt.date, str]]:
    """Indonesian public holidays of ``year`` per the ``holidays`` package, Indonesian names."""
    return _package_days(year, "public")


def package_cuti_bersama(year: int) -> list[tuple[dt.date, str]]:
    """Cuti bersama of ``year`` per the ``holidays`` package (its ``government`` category)."""
    return _package_days(year, "government")


# --- Seeding -----------------------------------------------------------------------------------------


@transaction.atomic
def seed_year(year: int, *, by=None) -> int:
    """Pre-fill the calendar of ``year``; returns how many rows were created. Idempotent.

    Creates, unconfirmed: the Pawukon days (``DISPENSASI_BALI``), the package's national holidays
    (``LIBUR_NASIONAL``) and the cuti bersama (the domain.md list for 2026, the package's otherwise).
    A candidate is skipped when the date already holds an entry of the same kind, so an administrator's
    edits (renamed, re-worded, ``is_day_off`` unticked, confirmed) are never overwritten or duplicated.
    """
    candidates: list[CalendarDay] = [
        CalendarDay(
            date=day,
            kind=Kind.DISPENSASI_BALI,
            name=name,
            source=Source.COMPUTED_PAWUKON,
            dasar_hukum=f"SE Gubernur Bali {year} (periksa)",
        )
        for day, name in pawukon_days(year)
    ]
    candidates += [
        CalendarDay(
            date=day,
            kind=Kind.LIBUR_NASIONAL,
            name=name,
            source=Source.HOLIDAYS_PACKAGE,
            dasar_hukum=f"SKB 3 Menteri {year} (periksa)",
        )
        for day, name in national_holidays(year)
    ]
    if year == 2026:
        candidates += [
            CalendarDay(
                date=day,
                kind=Kind.CUTI_BERSAMA,
                name=name,
                source=Source.MANUAL,
                dasar_hukum=CUTI_BERSAMA_2026_BASIS,
            )
            for day, name in CUTI_BERSAMA_2026
        ]
    else:
        candidates += [
            CalendarDay(
                date=day,
                kind=Kind.CUTI_BERSAMA,
                name=name,
                source=Source.HOLIDAYS_PACKAGE,
                dasar_hukum=f"SKB 3 Menteri {year} (periksa)",
            )
            for day, name in package_cuti_bersama(year)
        ]
    in_year = CalendarDay.objects.filter(date__year=year)
    existing = list(in_year.values_list("date", "kind"))  # one row per entry
    taken, before = set(existing), len(existing)
    missing = [c for c in candidates if (c.date, c.kind) not in taken]
    # ignore_conflicts: a concurrent seed of the same year loses quietly on the unique constraint.
    CalendarDay.objects.bulk_create(missing, ignore_conflicts=True)
    created = in_year.count() - before if missing else 0
    log_action(
        None,
        "situok.calendar.seeded",
        by=by,
        data={"year": year, "created": created},
        label=f"Kalender kerja {year}",
    )
    return created


@transaction.atomic
def calendar_day_confirm(day: CalendarDay, *, by) -> CalendarDay:
    """Mark ``day`` as checked against the signed decree by ``by``."""
    day.confirmed = True
    day.confirmed_by = by
    day.confirmed_at = timezone.now()
    day.full_clean()
    day.save(update_fields=["confirmed", "confirmed_by", "confirmed_at", "updated_at"])
    log_action(day, "situok.calendarday.confirmed", by=by)
    return day


# --- Reading -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    kind: str
    name: str
    applies_to: str
    is_day_off: bool


class _CalendarWindow:
    """The CalendarDays of ``[first, last]``, loaded in one query and answered from memory."""

    def __init__(self, first: dt.date, last: dt.date) -> None:
        self.first, self.last = first, last
        self.by_date: dict[dt.date, list[_Entry]] = defaultdict(list)
        rows = CalendarDay.objects.filter(date__range=(first, last)).values_list(
            "date", "kind", "name", "applies_to", "is_day_off"
        )
        for day, kind, name, applies_to, is_day_off in rows.order_by("date", "kind", "name"):
            self.by_date[day].append(_Entry(kind, name, applies_to, is_day_off))

    def entries(self, day: dt.date) -> list[_Entry]:
        return self.by_date.get(day, [])

    def is_working_day(self, day: dt.date, hindu: bool | None = None) -> bool:
        applicable = [e for e in self.entries(day) if _applies(e.applies_to, hindu)]
        if any(e.kind == Kind.HARI_KERJA_KHUSUS for e in applicable):
            return True
        if day.weekday() in WEEKEND:
            return False
        return not any(e.is_day_off for e in applicable)


def _applies(applies_to: str, hindu: bool | None) -> bool:
    return applies_to != AppliesTo.HINDU_ONLY or hindu is not False


def is_working_day(d: dt.date, *, hindu: bool | None = None) -> bool:
    """Whether ``d`` is a working day (one query).

    Saturday and Sunday are off; so is any date with an applicable entry whose ``is_day_off`` is set,
    confirmed or not. An applicable ``HARI_KERJA_KHUSUS`` entry makes the date a working day whatever
    else it holds. A ``hindu_only`` entry applies unless ``hindu`` is ``False``.
    """
    return _CalendarWindow(d, d).is_working_day(d, hindu)


def working_days_between(a: dt.date, b: dt.date, *, hindu: bool | None = None) -> int:
    """Working days from ``a`` to ``b``, both included (0 when ``b`` is before ``a``); one query."""
    if b < a:
        return 0
    window = _CalendarWindow(a, b)
    return sum(window.is_working_day(a + dt.timedelta(days=i), hindu) for i in range((b - a).days + 1))


def working_days_in(days: Iterable[dt.date], *, hindu: bool | None = None) -> list[dt.date]:
    """The working days among ``days`` (e.g. the dates of a leave request), in one query."""
    days = sorted(set(days))
    if not days:
        return []
    window = _CalendarWindow(days[0], days[-1])
    return [d for d in days if window.is_working_day(d, hindu)]


# Longest stretch searched for a working day; a year of days off is a data error, not a calendar.
_SEARCH_LIMIT = 366


def next_working_day(d: dt.date, n: int = 1, *, hindu: bool | None = None) -> dt.date:
    """The ``n``-th working day after ``d``; ``n=0`` gives ``d`` itself when it is a working day, else the
    next one. Loads the calendar in windows, so a few queries whatever ``n`` is."""
    if n < 0:
        raise ValueError("n must be >= 0")
    day = d if n == 0 else d + ONE_DAY
    remaining = max(n, 1)
    days_off_in_a_row = 0
    while True:
        # Seven calendar days hold five working days in a normal week; the slack covers holidays.
        span = remaining * 2 + 14
        window = _CalendarWindow(day, day + dt.timedelta(days=span - 1))
        for _i in range(span):
            if window.is_working_day(day, hindu):
                remaining -= 1
                if remaining == 0:
                    return day
                days_off_in_a_row = 0
            else:
                days_off_in_a_row += 1
                if days_off_in_a_row > _SEARCH_LIMIT:
                    raise ValueError(f"no working day within {_SEARCH_LIMIT} days before {day}")
            day += ONE_DAY


WorkingHours = tuple[dt.time, dt.time, dt.time, dt.time]


def _schedule_hours(values: dict, weekday: int) -> WorkingHours | None:
    if weekday in WEEKEND:
        return None
    prefix = "fri" if weekday == 4 else "mon_thu"
    return (
        values[f"{prefix}_start"],
        values[f"{prefix}_break_start"],
        values[f"{prefix}_break_end"],
        values[f"{prefix}_end"],
    )


def _schedule_on(d: dt.date) -> dict:
    schedule = (
        WorkSchedule.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=d), valid_from__lte=d)
        .order_by("-is_ramadan", "-valid_from", "-pk")
        .values(*NORMAL_HOURS)
        .first()
    )
    return schedule if schedule is not None else NORMAL_HOURS


def working_hours(d: dt.date) -> WorkingHours | None:
    """``(start, break_start, break_end, end)`` of the schedule valid on ``d``; ``None`` on a weekend.

    Holidays are not considered here (see :func:`day_info`). Without any schedule row the Pergub Bali
    58/2023 normal hours apply. A Ramadan schedule wins over an overlapping normal one.
    """
    return _schedule_hours(_schedule_on(d), d.weekday())


@dataclass(frozen=True)
class DayInfo:
    date: dt.date
    is_working_day: bool
    kinds: list[str] = field(default_factory=list)  # CalendarDay.Kind values of the date's entries
    names: list[str] = field(default_factory=list)
    hours: tuple[dt.time, dt.time] | None = None  # (start, end) when a working day
    weekday_name: str = ""


def day_info(d: dt.date, *, hindu: bool | None = None) -> DayInfo:
    """Everything a calendar cell needs about ``d`` (two queries).

    ``kinds``/``names`` list every entry of the date, including those not applicable to ``hindu`` or
    kept with ``is_day_off`` unticked. A weekend declared a working day gets the Monday–Thursday hours.
    """
    window = _CalendarWindow(d, d)
    working = window.is_working_day(d, hindu)
    hours = None
    if working:
        values = _schedule_on(d)
        full = _schedule_hours(values, d.weekday()) or _schedule_hours(values, 0)
        hours = (full[0], full[3])
    entries = window.entries(d)
    return DayInfo(
        date=d,
        is_working_day=working,
        kinds=[Kind(e.kind) for e in entries],
        names=[e.name for e in entries],
        hours=hours,
        weekday_name=str(WEEKDAY_NAMES[d.weekday()]),
    )


# --- iCalendar export (RFC 5545) ---------------------------------------------------------------------

ICS_PRODID = "-//Pemerintah Provinsi Bali//SITU OK Kalender Kerja//ID"
ICS_UID_DOMAIN = "situok"
_ICS_MAX_OCTETS = 75


def _ics_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 §3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _ics_fold(line: str) -> str:
    """Fold a content line to at most 75 octets per physical line (§3.1), never inside a UTF-8 character."""
    encoded = line.encode("utf-8")
    if len(encoded) <= _ICS_MAX_OCTETS:
        return line
    parts: list[str] = []
    current, size, limit = [], 0, _ICS_MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append("".join(current))
            # Continuation lines start with one space, which counts towards their 75 octets.
            current, size, limit = [], 0, _ICS_MAX_OCTETS - 1
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


def _ics_utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar_ics(year: int) -> str:
    """The calendar of ``year`` as an iCalendar file: one all-day VEVENT per CalendarDay row.

    UIDs are derived from the row id, so re-imports update events instead of duplicating them.
    Without a METHOD property DTSTAMP is the row's last change (RFC 5545 §3.8.7.2), which keeps the
    output stable between downloads.
    """
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{ICS_PRODID}",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:" + _ics_text(str(_("Kalender kerja %(year)s") % {"year": year})),
        "X-WR-TIMEZONE:Asia/Makassar",
    ]
    for row in CalendarDay.objects.filter(date__year=year).order_by("date", "kind", "name"):
        description = [str(row.get_kind_display())]
        if row.dasar_hukum:
            description.append(str(_("Dasar hukum: %(basis)s") % {"basis": row.dasar_hukum}))
        if row.applies_to == AppliesTo.HINDU_ONLY:
            description.append(str(row.get_applies_to_display()))
        if not row.is_day_off:
            description.append(str(_("Bukan hari libur.")))
        if not row.confirmed:
            description.append(str(_("Belum dikonfirmasi.")))
        lines += [
            "BEGIN:VEVENT",
            f"UID:calendarday-{row.pk}@{ICS_UID_DOMAIN}",
            f"DTSTAMP:{_ics_utc(row.updated_at)}",
            f"DTSTART;VALUE=DATE:{row.date:%Y%m%d}",
            f"DTEND;VALUE=DATE:{row.date + ONE_DAY:%Y%m%d}",
            "SUMMARY:" + _ics_text(row.name),
            "DESCRIPTION:" + _ics_text("\n".join(description)),
            f"CATEGORIES:{row.kind}",
            "STATUS:" + ("CONFIRMED" if row.confirmed else "TENTATIVE"),
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(_ics_fold(line) + "\r\n" for line in lines)
