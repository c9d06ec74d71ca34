"""Read-only rules of an SPT: the travel type its regions imply, member conflicts and the warnings shown
before submitting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext as _

from situok.calendar_models import CalendarDay
from situok.formats import tanggal, tanggal_hari
from situok.workcalendar import working_days_in
from staff.models import Employee

from ..models import DEFAULT_ORIGIN_CODE, TravelType, Trip, TripMember
from ..selectors import BLOCKING_STATUSES
from ._common import DALAM_KOTA_TYPES, _trip_label


# --- Travel type -----------------------------------------------------------------------------------
def travel_type_suggest(
    origin_code: str | None, destination_codes: Iterable[str | None], over_8_hours: bool = True
) -> TravelType | None:
    """The travel type the origin and destinations imply (domain.md §2.4), ``None`` without any region.

    Outside the origin's province (Bali, 51) → *luar daerah*; another regency/city in the province →
    *luar kota*; the same city → *dalam kota* more than or up to 8 hours. *Diklat* is never implied: the
    requester chooses it.
    """
    origin = origin_code or DEFAULT_ORIGIN_CODE
    codes = [c for c in destination_codes if c]
    if not codes:
        return None
    if any(c[:2] != origin[:2] for c in codes):
        return TravelType.LUAR_DAERAH
    origin_regency = origin[:5]
    if any(len(c) < 5 or c[:5] != origin_regency for c in codes):
        return TravelType.LUAR_KOTA
    return TravelType.DALAM_KOTA_LEBIH_8_JAM if over_8_hours else TravelType.DALAM_KOTA_SAMPAI_8_JAM


def _allowed_types(suggested: TravelType | None) -> set[str] | None:
    if suggested is None:
        return None
    if suggested in DALAM_KOTA_TYPES:
        return {*DALAM_KOTA_TYPES, TravelType.DIKLAT}
    return {suggested, TravelType.DIKLAT}


# --- Conflicts and warnings ------------------------------------------------------------------------
def trip_conflicts(
    members: Iterable[Employee],
    depart: dt.date,
    return_: dt.date,
    exclude_trip: Trip | None = None,
) -> list[tuple[Employee, Trip]]:
    """``(employee, other trip)`` for every member already on a submitted/approved/numbered/travelling
    trip whose dates overlap ``[depart, return_]`` (both inclusive: a trip ending on the day another
    starts overlaps it; enclosing and enclosed ranges overlap too)."""
    ids = [m.pk for m in members]
    if not ids or depart is None or return_ is None:
        return []
    qs = TripMember.objects.filter(
        employee_id__in=ids,
        trip__status__in=BLOCKING_STATUSES,
        trip__depart_date__lte=return_,
        trip__return_date__gte=depart,
    ).select_related("employee", "trip")
    if exclude_trip is not None and exclude_trip.pk:
        qs = qs.exclude(trip_id=exclude_trip.pk)
    return [(m.employee, m.trip) for m in qs.order_by("employee__name", "trip__depart_date", "trip_id")]


def conflict_message(employee: Employee, other: Trip) -> str:
    return _("%(name)s sudah ditugaskan pada SPT %(spt)s (%(start)s s.d. %(end)s).") % {
        "name": employee.name_with_titles,
        "spt": _trip_label(other),
        "start": tanggal(other.depart_date),
        "end": tanggal(other.return_date),
    }


def approved_leave_overlaps(employee: Employee, start: dt.date, end: dt.date) -> list:
    """Approved leave of ``employee`` overlapping ``[start, end]``.

    No leave model exists yet: this returns ``[]``. The leave issue (attendance/) will fill it with the
    employee's approved leave periods, and :func:`trip_warnings` will then name them."""
    return []


def trip_warnings(trip: Trip) -> list[str]:
    """Indonesian warnings (never blocks): days that are not working days, and travellers on leave."""
    warnings: list[str] = []
    days = [trip.depart_date + dt.timedelta(days=i) for i in range(trip.days)]
    working = set(working_days_in(days))
    off = [d for d in days if d not in working]
    if off:
        names: dict[dt.date, list[str]] = {}
        for day, name in CalendarDay.objects.filter(date__in=off, is_day_off=True).values_list(
            "date", "name"
        ):
            names.setdefault(day, []).append(name)
        parts = []
        for day in off:
            label = tanggal_hari(day)
            if names.get(day):
                label = f"{label} ({', '.join(sorted(set(names[day])))})"
            parts.append(label)
        warnings.append(
            _("Perjalanan mencakup hari libur atau akhir pekan: %(days)s.") % {"days": "; ".join(parts)}
        )
    for member in trip.members.select_related("employee"):
        for leave in approved_leave_overlaps(member.employee, trip.depart_date, trip.return_date):
            warnings.append(
                _("%(name)s sedang cuti pada rentang tanggal ini (%(leave)s).")
                % {"name": member.employee.name_with_titles, "leave": leave}
            )
    return warnings
