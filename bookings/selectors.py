"""Reads of bookings/: scoping, calendars, conflicts, booking rules, availability, "who had it".

Every list of bookings starts from :func:`bookings_visible_to`; single objects come through
:func:`booking_get_for_user`. Calendar reads (:func:`bookings_in_range`) are one query whatever the
number of bookings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from situok.formats import jam, tanggal, to_local
from situok.permissions import get_for_user, has_perm
from situok.workcalendar import working_days_in
from staff.selectors import employee_for_user, supervised_unit_paths

from .models import (
    Blackout,
    Booking,
    BookingEvent,
    BookingSeries,
    BookingStatus,
    Driver,
    Facility,
    Resource,
    TripLog,
    normalise_plate,
)
from .queries import calendar_resources

ONE_MICRO = dt.timedelta(microseconds=1)


# --- Access ----------------------------------------------------------------------------------------
def booking_can_manage(user) -> bool:
    return has_perm(user, "bookings.manage_booking")


def sees_all_bookings(user) -> bool:
    """Whether the user may open every booking (the calendar keeps one markup for all of them)."""
    return has_perm(user, "bookings.view_booking") or has_perm(user, "bookings.manage_booking")


def _visible_q(user, prefix: str = "") -> Q:
    """Who sees a booking (or series, with the same field names): the requester and whoever filed it,
    the heads of the requester's unit and of the units above it, and the resource's approvers."""
    p = prefix
    cond = Q(**{f"{p}requester__user": user}) | Q(**{f"{p}created_by": user})
    for path in supervised_unit_paths(user):
        cond |= Q(**{f"{p}unit__path__startswith": path})
    cond |= Q(**{f"{p}resource__approver_rule": Resource.ApproverRule.USERS, f"{p}resource__approvers": user})
    cond |= Q(**{f"{p}resource__managing_unit__head__user": user})
    return cond


def bookings_visible_to(user) -> QuerySet[Booking]:
    """Bookings ``user`` may see (operators and leaders with ``view_booking``: all)."""
    qs = Booking.objects.select_related(
        "resource__building", "requester", "unit", "driver__employee", "series"
    )
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if sees_all_bookings(user):
        return qs
    return qs.filter(pk__in=Booking.objects.filter(_visible_q(user)).values("pk"))


def booking_ids_visible_to(user, ids: Iterable[int]) -> set[int]:
    """Which of the bookings ``ids`` the user may open: one query, none for those who see all."""
    ids = list(ids)
    if not ids or not getattr(user, "is_authenticated", False):
        return set()
    if sees_all_bookings(user):
        return set(ids)
    return set(bookings_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


def booking_can_change(user, booking: Booking) -> bool:
    """The requester, whoever filed it, and the Operator Peminjaman may change/cancel a booking."""
    if not getattr(user, "is_authenticated", False):
        return False
    if booking_can_manage(user):
        return True
    return user.pk == booking.created_by_id or (
        booking.requester.user_id is not None and booking.requester.user_id == user.pk
    )


def booking_get_for_user(user, pk, *, write: bool = False) -> Booking:
    """404 when the user may not see the booking; 403 on ``write`` unless :func:`booking_can_change`."""
    return get_for_user(
        user,
        Booking.objects.select_related(
            "resource__building",
            "resource__managing_unit",
            "requester__unit",
            "unit",
            "driver__employee",
            "series",
            "trip",
            "created_by",
        ),
        pk,
        visible=lambda u, qs: qs.filter(pk__in=bookings_visible_to(u).values("pk")),
        can_change=booking_can_change,
        write=write,
    )


def series_get_for_user(user, pk, *, write: bool = False) -> BookingSeries:
    def visible(u, qs):
        if not getattr(u, "is_authenticated", False):
            return qs.none()
        if sees_all_bookings(u):
            return qs
        return qs.filter(pk__in=BookingSeries.objects.filter(_visible_q(u)).values("pk"))

    def can_change(u, obj) -> bool:
        return booking_can_manage(u) or u.pk == obj.created_by_id or obj.requester.user_id == u.pk

    return get_for_user(
        user,
        BookingSeries.objects.select_related("resource", "requester", "unit"),
        pk,
        visible=visible,
        can_change=can_change,
        write=write,
    )


# --- Resources --------------------------------------------------------------------------------------
def resource_list(kind: str | None = None, *, active_only: bool = True) -> QuerySet[Resource]:
    qs = Resource.objects.select_related("building", "managing_unit")
    if kind:
        qs = qs.filter(kind=kind)
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.order_by("kind", "building__name", "name", "id")


def _sees_inactive_resources(user) -> bool:
    return has_perm(user, "bookings.change_resource") or sees_all_bookings(user)


def resource_get_for_user(user, pk, *, write: bool = False) -> Resource:
    """Any signed-in user sees active resources (resource managers also inactive ones); changing
    needs ``bookings.change_resource``."""

    def visible(u, qs):
        if not getattr(u, "is_authenticated", False):
            return qs.none()
        if _sees_inactive_resources(u):
            return qs
        return qs.filter(is_active=True)

    return get_for_user(
        user,
        Resource.objects.select_related("building", "managing_unit"),
        pk,
        visible=visible,
        can_change=lambda u, obj: has_perm(u, "bookings.change_resource"),
        write=write,
    )


def resource_for_calendar(user, pk) -> Resource:
    """:func:`resource_get_for_user` (read) with only what a calendar shows of the resource: id, kind,
    name, plate, whether active and ``building_name``, from the cached resource list (no query)."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    found = next((r for r in calendar_resources() if r[0] == pk), None)
    if found is None:
        raise Http404
    _pk, name, kind, plate, is_active, building_name = found
    if not is_active and not _sees_inactive_resources(user):
        raise Http404
    resource = Resource(id=pk, kind=kind, name=name, plate=plate, is_active=is_active)
    resource.building_name = building_name or ""
    return resource


def resource_by_ics_token(token: str) -> Resource | None:
    if not token or len(token) > 64:
        return None
    return Resource.objects.filter(ics_token=token, is_active=True).first()


# --- Calendars ---------------------------------------------------------------------------------------
def _resource_filter(resource_or_kind, field: str = "resource") -> Q:
    if resource_or_kind is None:
        return Q()
    if isinstance(resource_or_kind, Resource):
        return Q(**{field: resource_or_kind})
    if isinstance(resource_or_kind, str):
        return Q(**{f"{field}__kind": resource_or_kind})
    return Q(**{f"{field}__in": list(resource_or_kind)})


def bookings_in_range(
    resource_or_kind,
    start: dt.datetime,
    end: dt.datetime,
    *,
    statuses: Iterable[str] | None = Booking.VISIBLE,
) -> QuerySet[Booking]:
    """Bookings overlapping ``[start, end)`` of a resource, a list of resources, a kind ("room" /
    "vehicle") or all (``None``); ``statuses=None`` gives every status. One query."""
    qs = Booking.objects.filter(_resource_filter(resource_or_kind), start__lt=end, end__gt=start)
    if statuses is not None:
        qs = qs.filter(status__in=list(statuses))
    return qs.select_related("resource__building", "requester", "unit", "driver__employee").order_by(
        "start", "resource_id", "id"
    )


def blackouts_in_range(resource_or_kind, start: dt.datetime, end: dt.datetime) -> QuerySet[Blackout]:
    return (
        Blackout.objects.filter(_resource_filter(resource_or_kind), start__lt=end, end__gt=start)
        .select_related("resource")
        .order_by("start", "id")
    )


def booking_history(booking: Booking) -> QuerySet[BookingEvent]:
    return booking.events.select_related("by").order_by("at", "id")


# --- Conflicts and rules -------------------------------------------------------------------------------
def _block_end(resource: Resource, end: dt.datetime) -> dt.datetime:
    return end + dt.timedelta(minutes=resource.buffer_minutes)


def booking_conflicts(
    resource: Resource,
    start: dt.datetime,
    end: dt.datetime,
    *,
    driver: Driver | None = None,
    exclude: Booking | int | None = None,
) -> list[Booking]:
    """Bookings holding their slot that a booking of ``resource`` over ``[start, end)`` would collide
    with (the resource with its buffer; the driver on the plain range). Uses the range indexes."""
    exclude_pk = getattr(exclude, "pk", exclude)
    related = ("resource", "requester", "unit", "driver__employee")
    qs = Booking.objects.filter(
        resource=resource, holds_slot=True, start__lt=_block_end(resource, end), block_end__gt=start
    )
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    found = list(qs.select_related(*related).order_by("start", "id")[:20])
    if driver is not None:
        dq = Booking.objects.filter(driver=driver, holds_slot=True, start__lt=end, end__gt=start)
        if exclude_pk is not None:
            dq = dq.exclude(pk=exclude_pk)
        seen = {b.pk for b in found}
        found += [b for b in dq.select_related(*related).order_by("start", "id")[:20] if b.pk not in seen]
    return found


def _local_days(start: dt.datetime, end: dt.datetime) -> list[dt.date]:
    first, last = to_local(start).date(), to_local(end - ONE_MICRO).date()
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def _span_text(start: dt.datetime, end: dt.datetime) -> str:
    if to_local(start).date() == to_local(end - ONE_MICRO).date():
        return _("%(date)s pukul %(start)s–%(end)s WITA") % {
            "date": tanggal(start),
            "start": jam(start),
            "end": jam(end),
        }
    return _("%(start_date)s pukul %(start)s s.d. %(end_date)s pukul %(end)s WITA") % {
        "start_date": tanggal(start),
        "start": jam(start),
        "end_date": tanggal(end),
        "end": jam(end),
    }


def span_text(start: dt.datetime, end: dt.datetime) -> str:
    """``3 Maret 2026 pukul 10.00–11.00 WITA`` (for messages and lists)."""
    return _span_text(start, end)


def hours_problem(resource: Resource, start: dt.datetime, end: dt.datetime) -> str | None:
    if resource.bookable_from is None:
        return None
    ls, le = to_local(start), to_local(end)
    same_day = ls.date() == to_local(end - ONE_MICRO).date()
    end_time = le.time() if le.date() == ls.date() else dt.time(23, 59, 59, 999999)
    if not same_day or ls.time() < resource.bookable_from or end_time > resource.bookable_until:
        return _("%(resource)s hanya dapat dipinjam pukul %(start)s–%(end)s WITA pada hari yang sama.") % {
            "resource": resource.name,
            "start": jam(resource.bookable_from),
            "end": jam(resource.bookable_until),
        }
    return None


def rule_problems(
    resource: Resource,
    start: dt.datetime,
    end: dt.datetime,
    *,
    participants: int = 1,
    by=None,
    now: dt.datetime | None = None,
    check_calendar: bool = True,
) -> list[tuple[str | None, str]]:
    """``(field, message)`` of every booking rule ``[start, end)`` breaks on ``resource``.

    Operators (``bookings.manage_booking``) may record bookings in the past and beyond the notice and
    look-ahead limits (outside parties' letters, entering history); every other rule applies to all.
    """
    problems: list[tuple[str | None, str]] = []
    if not resource.is_active:
        problems.append(("resource", _("%(resource)s tidak aktif.") % {"resource": resource}))
    if resource.is_vehicle and resource.vehicle_status != Resource.VehicleStatus.AVAILABLE:
        problems.append(
            (
                "resource",
                _("%(resource)s sedang %(status)s.")
                % {"resource": resource, "status": resource.get_vehicle_status_display().lower()},
            )
        )
    if end <= start:
        problems.append(("end", _("Waktu selesai harus setelah waktu mulai.")))
        return problems
    minutes = (end - start).total_seconds() / 60
    if minutes < resource.min_duration_minutes:
        problems.append(
            ("end", _("Durasi peminjaman paling singkat %(n)s menit.") % {"n": resource.min_duration_minutes})
        )
    if resource.max_duration_minutes is not None and minutes > resource.max_duration_minutes:
        problems.append(
            ("end", _("Durasi peminjaman paling lama %(n)s menit.") % {"n": resource.max_duration_minutes})
        )
    now = now or timezone.now()
    privileged = by is not None and booking_can_manage(by)
    if not privileged:
        if start < now + dt.timedelta(minutes=resource.min_notice_minutes):
            if start < now:
                problems.append(("start", _("Waktu mulai sudah lewat.")))
            else:
                problems.append(
                    (
                        "start",
                        _("Peminjaman harus diajukan paling lambat %(n)s menit sebelum waktu mulai.")
                        % {"n": resource.min_notice_minutes},
                    )
                )
        if start > now + dt.timedelta(days=resource.max_days_ahead):
            problems.append(
                (
                    "start",
                    _("Peminjaman paling jauh %(n)s hari ke depan.") % {"n": resource.max_days_ahead},
                )
            )
    hours = hours_problem(resource, start, end)
    if hours:
        problems.append(("start", hours))
    if check_calendar and resource.working_days_only:
        days = _local_days(start, end)
        working = set(working_days_in(days))
        off = [d for d in days if d not in working]
        if off:
            problems.append(
                (
                    "start",
                    _("%(date)s bukan hari kerja; %(resource)s hanya dapat dipinjam pada hari kerja.")
                    % {"date": tanggal(off[0]), "resource": resource.name},
                )
            )
    if check_calendar:
        blackout = (
            Blackout.objects.filter(resource=resource, start__lt=end, end__gt=start).order_by("start").first()
        )
        if blackout is not None:
            problems.append(
                (
                    "start",
                    _("%(resource)s tidak tersedia %(span)s: %(reason)s.")
                    % {
                        "resource": resource.name,
                        "span": _span_text(blackout.start, blackout.end),
                        "reason": blackout.reason,
                    },
                )
            )
    limit = resource.limit
    if participants is not None and participants < 1:
        problems.append(("participants", _("Jumlah peserta paling sedikit 1.")))
    elif limit is not None and participants is not None and participants > limit:
        if resource.is_vehicle:
            message = _("Jumlah penumpang %(n)s melebihi %(limit)s kursi %(resource)s.")
        else:
            message = _("Jumlah peserta %(n)s melebihi kapasitas %(resource)s (%(limit)s orang).")
        problems.append(
            ("participants", message % {"n": participants, "limit": limit, "resource": resource.name})
        )
    return problems


# --- Availability ---------------------------------------------------------------------------------------
def _free(candidates: list[Resource], start: dt.datetime, end: dt.datetime) -> list[Resource]:
    """The candidates free over ``[start, end)``: bookable hours, working days, blackouts and holding
    bookings (with each resource's buffer). Three queries whatever the number of candidates."""
    if not candidates or end <= start:
        return []
    candidates = [r for r in candidates if hours_problem(r, start, end) is None]
    if any(r.working_days_only for r in candidates):
        days = _local_days(start, end)
        all_working = len(working_days_in(days)) == len(days)
        if not all_working:
            candidates = [r for r in candidates if not r.working_days_only]
    if not candidates:
        return []
    ids = [r.pk for r in candidates]
    blocked = set(
        Blackout.objects.filter(resource__in=ids, start__lt=end, end__gt=start).values_list(
            "resource", flat=True
        )
    )
    max_buffer = max(r.buffer_minutes for r in candidates)
    rows = Booking.objects.filter(
        resource__in=ids,
        holds_slot=True,
        start__lt=end + dt.timedelta(minutes=max_buffer),
        block_end__gt=start,
    ).values_list("resource", "start")
    by_id = {r.pk: r for r in candidates}
    for resource_id, other_start in rows:
        if other_start < _block_end(by_id[resource_id], end):
            blocked.add(resource_id)
    return [r for r in candidates if r.pk not in blocked]


def free_rooms(
    start: dt.datetime,
    end: dt.datetime,
    *,
    min_capacity: int = 0,
    facilities: Iterable = (),
    building=None,
) -> list[Resource]:
    """Active rooms with at least ``min_capacity`` seats and every facility asked for (objects, ids or
    codes), free over ``[start, end)``."""
    qs = resource_list(Resource.Kind.ROOM)
    if min_capacity:
        qs = qs.filter(capacity__gte=min_capacity)
    if building is not None:
        qs = qs.filter(building=building)
    for facility in facilities or ():
        if isinstance(facility, Facility):
            qs = qs.filter(facilities=facility)
        elif isinstance(facility, int) or (isinstance(facility, str) and facility.isdigit()):
            qs = qs.filter(facilities__pk=int(facility))
        else:
            qs = qs.filter(facilities__code=facility)
    return _free(list(qs.distinct()), start, end)


def free_vehicles(start: dt.datetime, end: dt.datetime, *, min_seats: int = 0) -> list[Resource]:
    """Available vehicles with at least ``min_seats`` seats, free over ``[start, end)``."""
    qs = resource_list(Resource.Kind.VEHICLE).filter(vehicle_status=Resource.VehicleStatus.AVAILABLE)
    if min_seats:
        qs = qs.filter(seats__gte=min_seats)
    return _free(list(qs), start, end)


def free_drivers(start: dt.datetime, end: dt.datetime, *, exclude: Booking | None = None) -> list[Driver]:
    """Active drivers with a valid licence and no holding assignment overlapping ``[start, end)``."""
    busy = Booking.objects.filter(holds_slot=True, driver__isnull=False, start__lt=end, end__gt=start)
    if exclude is not None:
        busy = busy.exclude(pk=exclude.pk)
    day = to_local(end - ONE_MICRO).date()
    return list(
        Driver.objects.filter(is_active=True)
        .filter(Q(licence_expiry__isnull=True) | Q(licence_expiry__gte=day))
        .exclude(pk__in=busy.values("driver"))
        .select_related("employee")
        .order_by("employee__name", "id")
    )


# --- History as evidence ---------------------------------------------------------------------------------
def who_had(resource: Resource, at: dt.datetime) -> Booking | None:
    """Who had ``resource`` at ``at``: the booking whose handover..return covers ``at`` (vehicles with a
    trip log), else the approved/completed booking whose range covers it. One query."""
    handed = Q(trip_log__handed_over_at__lte=at) & (
        Q(trip_log__returned_at__gt=at) | Q(trip_log__returned_at__isnull=True)
    )
    booked = Q(
        trip_log__isnull=True,
        status__in=(BookingStatus.APPROVED, BookingStatus.COMPLETED),
        start__lte=at,
        end__gt=at,
    )
    return (
        Booking.objects.filter(resource=resource)
        .filter(handed | booked)
        .select_related("resource", "requester__unit", "unit", "driver__employee", "trip_log")
        .order_by("-start", "-id")
        .first()
    )


def who_had_plate(plate: str, at: dt.datetime) -> Booking | None:
    """:func:`who_had` for the vehicle with ``plate`` (``"dk1234x"`` is fine)."""
    resource = Resource.objects.filter(kind=Resource.Kind.VEHICLE, plate=normalise_plate(plate)).first()
    return who_had(resource, at) if resource is not None else None


def last_return(resource: Resource, *, before: dt.datetime | None = None) -> TripLog | None:
    """The latest return of ``resource`` (its condition is shown on the next handover)."""
    qs = TripLog.objects.filter(booking__resource=resource, returned_at__isnull=False)
    if before is not None:
        qs = qs.filter(returned_at__lte=before)
    return (
        qs.select_related("booking__requester", "returned_by")
        .prefetch_related("photos")
        .order_by("-returned_at", "-id")
        .first()
    )


def employee_of(user):
    return employee_for_user(user)
