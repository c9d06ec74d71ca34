"""Booking services: requests through the approval engine, no double booking (intervals, buffers,
blackouts, drivers), rules, bumping, recurring series, the vehicle trip log and the history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from slots import at

from bookings import selectors, services
from bookings.models import (
    Blackout,
    Booking,
    BookingEvent,
    BookingSeries,
    Building,
    Driver,
    Facility,
    Resource,
    TripLog,
)
from bookings.services import BookingError, SeriesRule
from situok.approval_models import ApprovalAssignment, ApprovalRequest
from situok.approvals import ApprovalError, approval_approve, inbox_assignments
from situok.audit import AuditEvent
from situok.calendar_models import CalendarDay
from situok.notification_models import Notification
from staff.models import Employee


@pytest.fixture
def day() -> dt.date:
    """A Tuesday two to three weeks ahead."""
    d = timezone.localdate() + dt.timedelta(days=14)
    return d + dt.timedelta(days=(1 - d.weekday()) % 7)


@pytest.fixture
def room(personas) -> Resource:
    building = Building.objects.create(name="Gedung Wiswa Sabha Utama")
    res = Resource.objects.create(
        kind=Resource.Kind.ROOM, name="Ruang Rapat Utama", building=building, capacity=30
    )
    res.facilities.add(Facility.objects.create(code="proyektor", name="Proyektor"))
    return res


@pytest.fixture
def vehicles(personas) -> list[Resource]:
    return [
        Resource.objects.create(kind=Resource.Kind.VEHICLE, name="Toyota Innova", plate="DK 1234 X", seats=7),
        Resource.objects.create(
            kind=Resource.Kind.VEHICLE, name="Toyota Avanza", plate="DK 1701 AB", seats=6
        ),
    ]


@pytest.fixture
def driver(personas) -> Driver:
    return Driver.objects.create(
        employee=personas["honorer"].employee,
        licence_number="123456789012",
        licence_expiry=timezone.localdate() + dt.timedelta(days=400),
    )


def request(personas, resource, start, end, who="pegawai", **kw) -> Booking:
    user = personas[who]
    kw.setdefault("purpose", "Rapat koordinasi")
    return services.booking_request(
        resource=resource, requester=user.employee, start=start, end=end, by=user, **kw
    )


def approve(personas, booking) -> Booking:
    return services.booking_approve(booking, by=personas["peminjaman"])


# --- Request and approval --------------------------------------------------------------------------
def test_request_waits_in_the_operators_inbox_and_approval_takes_the_slot(personas, room, day):
    b = request(personas, room, at(day, "09:00"), at(day, "10:00"), participants=12)
    assert b.status == Booking.Status.PENDING and not b.holds_slot
    assert b.unit == personas["pegawai"].employee.unit
    inbox = list(inbox_assignments(personas["peminjaman"], document_type="bookings-booking"))
    assert [a.request.object_id for a in inbox] == [b.pk]
    assert "Ruang Rapat Utama" in inbox[0].request.title and "09.00–10.00 WITA" in inbox[0].request.title

    b = approve(personas, b)
    assert b.status == Booking.Status.APPROVED and b.holds_slot
    assert b.decided_by == personas["peminjaman"]
    kinds = list(b.events.values_list("kind", flat=True))
    assert kinds == [BookingEvent.Kind.CREATED, BookingEvent.Kind.APPROVED]
    actions = set(AuditEvent.objects.filter(target_id=str(b.pk)).values_list("action", flat=True))
    assert {"bookings.booking.created", "bookings.booking.approved"} <= actions


def test_reject_keeps_the_slot_free(personas, room, day):
    b = request(personas, room, at(day, "09:00"), at(day, "10:00"))
    b = services.booking_reject(b, by=personas["peminjaman"], note="Ruang dipakai acara lain")
    assert b.status == Booking.Status.REJECTED and not b.holds_slot
    assert b.events.last().note == "Ruang dipakai acara lain"
    other = approve(personas, request(personas, room, at(day, "09:00"), at(day, "10:00"), who="honorer"))
    assert other.status == Booking.Status.APPROVED


def test_requester_cannot_request_in_someone_elses_name(personas, room, day):
    with pytest.raises(BookingError) as exc:
        services.booking_request(
            resource=room,
            requester=personas["honorer"].employee,
            start=at(day, "09:00"),
            end=at(day, "10:00"),
            purpose="Rapat",
            by=personas["pegawai"],
        )
    assert exc.value.field == "requester"


def test_a_request_overlapping_an_approved_booking_is_refused_naming_it(personas, room, day):
    first = approve(personas, request(personas, room, at(day, "10:00"), at(day, "11:00")))
    with pytest.raises(BookingError) as exc:
        request(personas, room, at(day, "10:30"), at(day, "11:30"), who="honorer")
    assert exc.value.field == "start" and exc.value.conflicts == [first]
    assert "10.00–11.00 WITA" in exc.value.message and personas["pegawai"].employee.name in exc.value.message
    assert Booking.objects.count() == 1


def test_approving_an_overlapping_pending_request_is_refused_naming_the_booking(personas, room, day):
    # The room does not hold pending requests: both may be filed, only one approved.
    first = request(personas, room, at(day, "10:00"), at(day, "11:00"))
    second = request(personas, room, at(day, "10:30"), at(day, "11:30"), who="honorer")
    first = approve(personas, first)
    with pytest.raises(BookingError) as exc:
        approve(personas, second)
    message = exc.value.message
    assert "10.00–11.00 WITA" in message and personas["pegawai"].employee.name in message
    assert exc.value.conflicts == [first]
    second.refresh_from_db()
    assert second.status == Booking.Status.PENDING and not second.holds_slot


def test_the_shared_inbox_shows_the_conflict_as_an_approval_error(personas, room, day):
    first = request(personas, room, at(day, "10:00"), at(day, "11:00"))
    second = request(personas, room, at(day, "10:00"), at(day, "11:00"), who="honorer")
    approve(personas, first)
    req = ApprovalRequest.objects.get(object_id=second.pk, document_type="bookings-booking")
    with pytest.raises(ApprovalError, match="bentrok"):
        approval_approve(req, by=personas["peminjaman"])
    req.refresh_from_db()
    assert req.status == ApprovalRequest.Status.PENDING  # rolled back with the conflict


@pytest.mark.parametrize(
    ("start", "end", "conflict"),
    [
        ("09:00", "12:00", True),  # enclosing
        ("10:15", "10:45", True),  # enclosed
        ("10:00", "11:00", True),  # identical
        ("09:30", "10:30", True),  # overlapping start
        ("10:30", "11:30", True),  # overlapping end
        ("11:00", "12:00", False),  # touching after
        ("09:00", "10:00", False),  # touching before
    ],
)
def test_interval_cases_on_a_room_holding_pending_requests(personas, room, day, start, end, conflict):
    room.holds_pending = True
    room.save()
    request(personas, room, at(day, "10:00"), at(day, "11:00"))
    if conflict:
        with pytest.raises(BookingError) as exc:
            request(personas, room, at(day, start), at(day, end), who="honorer")
        assert exc.value.field == "start" and "10.00–11.00 WITA" in exc.value.message
        assert "menunggu persetujuan" in exc.value.message
    else:
        assert request(personas, room, at(day, start), at(day, end), who="honorer").holds_slot


@pytest.mark.parametrize(
    ("start", "end", "conflict"),
    [
        ("11:00", "12:00", True),
        ("11:10", "12:00", True),
        ("11:15", "12:00", False),
        ("09:00", "09:50", True),
        ("08:45", "09:45", False),
    ],
)
def test_buffer_between_bookings_is_honoured_on_both_sides(personas, room, day, start, end, conflict):
    room.buffer_minutes = 15
    room.holds_pending = True
    room.save()
    request(personas, room, at(day, "10:00"), at(day, "11:00"))
    if conflict:
        with pytest.raises(BookingError):
            request(personas, room, at(day, start), at(day, end), who="honorer")
    else:
        request(personas, room, at(day, start), at(day, end), who="honorer")


def test_blackout_refuses_bookings_inside_it(personas, room, day):
    services.blackout_create(
        resource=room,
        start=at(day, "08:00"),
        end=at(day, "12:00"),
        reason="Perawatan AC",
        by=personas["peminjaman"],
    )
    with pytest.raises(BookingError, match="Perawatan AC"):
        request(personas, room, at(day, "11:30"), at(day, "13:00"))
    assert request(personas, room, at(day, "12:00"), at(day, "13:00")).pk
    assert Blackout.objects.count() == 1


def test_only_resource_managers_create_blackouts(personas, room, day):
    with pytest.raises(BookingError):
        services.blackout_create(
            resource=room, start=at(day, "08:00"), end=at(day, "12:00"), reason="x", by=personas["pegawai"]
        )


# --- Rules -------------------------------------------------------------------------------------------
def test_booking_rules(personas, room, day):
    room.bookable_from, room.bookable_until = dt.time(7, 30), dt.time(16, 30)
    room.min_duration_minutes, room.max_duration_minutes = 30, 240
    room.min_notice_minutes, room.max_days_ahead = 24 * 60, 60
    room.save()

    def refused(start, end, field, text, **kw):
        with pytest.raises(BookingError) as exc:
            request(personas, room, start, end, **kw)
        assert exc.value.field == field, exc.value.message
        assert text in exc.value.message

    refused(at(day, "07:00"), at(day, "08:00"), "start", "07.30–16.30")
    refused(at(day, "16:00"), at(day, "17:00"), "start", "07.30–16.30")
    refused(at(day, "09:00"), at(day, "09:15"), "end", "30 menit")
    refused(at(day, "08:00"), at(day, "13:00"), "end", "240 menit")
    refused(at(day, "09:00"), at(day, "08:00"), "end", "setelah waktu mulai")
    refused(at(day, "09:00"), at(day, "10:00"), "participants", "kapasitas", participants=31)
    refused(at(day, "09:00"), at(day, "10:00"), "purpose", "keperluan", purpose=" ")
    soon = timezone.localtime() + dt.timedelta(hours=2)
    refused(soon, soon + dt.timedelta(hours=1), "start", "1440 menit")
    far = day + dt.timedelta(days=80)
    refused(at(far, "09:00"), at(far, "10:00"), "start", "60 hari")
    past = timezone.localdate() - dt.timedelta(days=3)
    refused(at(past, "09:00"), at(past, "10:00"), "start", "sudah lewat")
    # The Operator records outside the notice/look-ahead limits (letters that came late, history).
    b = request(personas, room, at(past, "09:00"), at(past, "10:00"), who="peminjaman")
    assert b.pk
    assert request(personas, room, at(day, "07:30"), at(day, "11:30"), participants=30).pk


def test_working_days_only_refuses_holidays_and_weekends(personas, room, day):
    room.working_days_only = True
    room.save()
    CalendarDay.objects.create(date=day, kind="libur_nasional", name="Hari Uji", is_day_off=True)
    with pytest.raises(BookingError, match="bukan hari kerja"):
        request(personas, room, at(day, "09:00"), at(day, "10:00"))
    saturday = day + dt.timedelta(days=4)
    with pytest.raises(BookingError, match="bukan hari kerja"):
        request(personas, room, at(saturday, "09:00"), at(saturday, "10:00"))
    wednesday = day + dt.timedelta(days=1)
    assert request(personas, room, at(wednesday, "09:00"), at(wednesday, "10:00")).pk


def test_vehicle_rules(personas, vehicles, day):
    car = vehicles[0]
    with pytest.raises(BookingError, match="7 kursi"):
        request(personas, car, at(day, "08:00"), at(day, "15:00"), participants=8)
    car.vehicle_status = Resource.VehicleStatus.MAINTENANCE
    car.save()
    with pytest.raises(BookingError, match="perawatan"):
        request(personas, car, at(day, "08:00"), at(day, "15:00"))


def test_plate_is_normalised_and_validated(personas):
    car = Resource(kind=Resource.Kind.VEHICLE, name="Mobil", plate="dk1234xy", seats=4)
    services.resource_save(car, by=personas["peminjaman"])
    assert car.plate == "DK 1234 XY"
    with pytest.raises(BookingError) as exc:
        services.resource_save(
            Resource(kind=Resource.Kind.VEHICLE, name="Mobil 2", plate="B 1234 XY", seats=4),
            by=personas["peminjaman"],
        )
    assert exc.value.field == "plate"


def test_outside_party_is_recorded_by_the_operator_with_a_letter(personas, room, day, tmp_path):
    letter = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    with pytest.raises(BookingError) as exc:
        request(
            personas,
            room,
            at(day, "09:00"),
            at(day, "10:00"),
            outside_party="Dinas Pariwisata",
            outside_letter=letter,
        )
    assert exc.value.field == "outside_party"  # not by a regular employee
    with pytest.raises(BookingError) as exc:
        request(
            personas,
            room,
            at(day, "09:00"),
            at(day, "10:00"),
            who="peminjaman",
            outside_party="Dinas Pariwisata",
            outside_letter=letter,
        )
    assert "pihak luar" in exc.value.message  # the room does not admit outside parties
    room.outside_parties_allowed = True
    room.save()
    with pytest.raises(BookingError) as exc:
        request(
            personas,
            room,
            at(day, "09:00"),
            at(day, "10:00"),
            who="peminjaman",
            outside_party="Dinas Pariwisata",
        )
    assert exc.value.field == "outside_letter"
    b = request(
        personas,
        room,
        at(day, "09:00"),
        at(day, "10:00"),
        who="peminjaman",
        outside_party="Dinas Pariwisata",
        outside_letter=letter,
    )
    assert b.outside_letter.name.endswith(".pdf") and b.is_outside
    # The Operator filed it, so somebody else (the nearest unit head) approves.
    assigned = ApprovalAssignment.objects.filter(request__object_id=b.pk, is_current=True)
    assert assigned.exists() and personas["peminjaman"].pk not in {a.user_id for a in assigned}


# --- Cancel, reschedule, bump ------------------------------------------------------------------------
def test_a_request_filed_by_the_only_operator_goes_to_a_unit_head(personas, room, day):
    op = personas["peminjaman"]
    b = services.booking_request(
        resource=room, requester=personas["pegawai"].employee, start=at(day, "09:00"), end=at(day, "10:00"),
        purpose="Rapat", by=op,
    )  # fmt: skip
    assigned = set(
        ApprovalAssignment.objects.filter(request__object_id=b.pk, is_current=True).values_list(
            "user", flat=True
        )
    )
    assert assigned and op.pk not in assigned and personas["pegawai"].pk not in assigned


def test_cancel_frees_the_slot_and_closes_the_approval(personas, room, day):
    b = approve(personas, request(personas, room, at(day, "09:00"), at(day, "10:00")))
    b = services.booking_cancel(b, by=personas["pegawai"], reason="Rapat ditunda")
    assert b.status == Booking.Status.CANCELLED and not b.holds_slot
    pending = request(personas, room, at(day, "11:00"), at(day, "12:00"))
    services.booking_cancel(pending, by=personas["pegawai"])
    req = ApprovalRequest.objects.get(object_id=pending.pk, document_type="bookings-booking")
    assert req.status == ApprovalRequest.Status.CANCELLED
    assert not inbox_assignments(personas["peminjaman"]).filter(request=req).exists()
    with pytest.raises(BookingError):
        services.booking_cancel(b, by=personas["pegawai"])


def test_others_cannot_cancel(personas, room, day):
    b = request(personas, room, at(day, "09:00"), at(day, "10:00"))
    with pytest.raises(BookingError):
        services.booking_cancel(b, by=personas["luar"])


def test_reschedule_by_requester_needs_new_approval_and_by_operator_keeps_it(personas, room, day):
    b = approve(personas, request(personas, room, at(day, "09:00"), at(day, "10:00")))
    b = services.booking_reschedule(b, start=at(day, "13:00"), end=at(day, "14:00"), by=personas["pegawai"])
    assert b.status == Booking.Status.PENDING and not b.holds_slot
    assert ApprovalRequest.objects.filter(object_id=b.pk, status="pending").count() == 1
    b = approve(personas, b)
    b = services.booking_reschedule(
        b, start=at(day, "14:00"), end=at(day, "15:00"), by=personas["peminjaman"]
    )
    assert b.status == Booking.Status.APPROVED and b.holds_slot
    other = approve(personas, request(personas, room, at(day, "09:00"), at(day, "10:00"), who="honorer"))
    with pytest.raises(BookingError, match="bentrok"):
        services.booking_reschedule(
            b, start=at(day, "09:30"), end=at(day, "10:30"), by=personas["peminjaman"]
        )
    b.refresh_from_db()
    assert b.start == at(day, "14:00")
    assert other.holds_slot


def test_bump_gives_a_leadership_event_the_slot_and_notifies_the_bumped(personas, room, day):
    first = request(personas, room, at(day, "09:00"), at(day, "11:00"))
    leader = request(personas, room, at(day, "10:00"), at(day, "12:00"), who="pimpinan")
    first = approve(personas, first)
    with pytest.raises(BookingError):
        services.booking_bump(leader, by=personas["pegawai"], reason="Acara Gubernur")
    bumped = services.booking_bump(leader, by=personas["peminjaman"], reason="Rapat terbatas Gubernur")
    assert [b.pk for b in bumped] == [first.pk]
    first.refresh_from_db()
    leader.refresh_from_db()
    assert first.status == Booking.Status.BUMPED and not first.holds_slot
    assert leader.priority and leader.holds_slot and leader.status == Booking.Status.PENDING
    note = Notification.objects.get(recipient=personas["pegawai"], category="booking")
    assert "Rapat terbatas Gubernur" in note.body
    assert first.events.filter(kind=BookingEvent.Kind.BUMPED).exists()
    leader = approve(personas, leader)
    assert leader.status == Booking.Status.APPROVED


def test_operator_books_a_leadership_event_with_bump_in_one_step(personas, room, day):
    first = approve(personas, request(personas, room, at(day, "09:00"), at(day, "11:00")))
    leader = request(
        personas, room, at(day, "09:00"), at(day, "10:00"), who="peminjaman", bump_reason="Acara Wagub"
    )
    first.refresh_from_db()
    assert first.status == Booking.Status.BUMPED and leader.holds_slot and leader.priority


# --- Drivers ----------------------------------------------------------------------------------------
def test_a_driver_cannot_drive_two_overlapping_trips(personas, vehicles, driver, day):
    a = approve(
        personas, request(personas, vehicles[0], at(day, "08:00"), at(day, "12:00"), destination="Singaraja")
    )
    b = approve(personas, request(personas, vehicles[1], at(day, "11:00"), at(day, "15:00"), who="honorer"))
    services.driver_assign(a, driver=driver, by=personas["peminjaman"])
    with pytest.raises(BookingError) as exc:
        services.driver_assign(b, driver=driver, by=personas["peminjaman"])
    assert exc.value.field == "driver" and "08.00–12.00 WITA" in exc.value.message
    later = approve(
        personas, request(personas, vehicles[0], at(day, "12:00"), at(day, "15:00"), who="atasan")
    )
    services.driver_assign(later, driver=driver, by=personas["peminjaman"])  # touching is fine
    assert selectors.free_drivers(at(day, "09:00"), at(day, "10:00")) == []


def test_expired_licence_is_refused(personas, vehicles, driver, day):
    driver.licence_expiry = day - dt.timedelta(days=1)
    driver.save()
    b = approve(personas, request(personas, vehicles[0], at(day, "08:00"), at(day, "12:00")))
    with pytest.raises(BookingError, match="SIM"):
        services.driver_assign(b, driver=driver, by=personas["peminjaman"])


def test_only_the_operator_assigns_drivers(personas, vehicles, driver, day):
    b = request(personas, vehicles[0], at(day, "08:00"), at(day, "12:00"))
    with pytest.raises(BookingError):
        services.driver_assign(b, driver=driver, by=personas["pegawai"])


# --- Series -----------------------------------------------------------------------------------------
def test_weekly_series_lists_conflicts_skips_them_and_is_approved_as_one(personas, room, day):
    taken = day + dt.timedelta(weeks=2)
    blocker = approve(
        personas, request(personas, room, at(taken, "09:30"), at(taken, "10:30"), who="honorer")
    )
    rule = SeriesRule(
        resource=room,
        first_date=day,
        start_time=dt.time(9),
        end_time=dt.time(10),
        frequency=BookingSeries.Frequency.WEEKLY,
        until=day + dt.timedelta(weeks=4),
    )
    preview = services.series_preview(rule)
    assert len(preview) == 5
    assert [o.date for o in preview if not o.ok] == [taken]
    assert preview[2].conflicts == [blocker]
    user = personas["pegawai"]
    with pytest.raises(BookingError) as exc:
        services.series_create(rule=rule, requester=user.employee, purpose="Rapat mingguan", by=user)
    assert exc.value.conflicts == [blocker]
    assert not BookingSeries.objects.exists()

    series = services.series_create(
        rule=rule, requester=user.employee, purpose="Rapat mingguan", by=user, skip_conflicts=True
    )
    assert series.skipped == [taken.isoformat()]
    occurrences = list(series.occurrences.order_by("start"))
    assert len(occurrences) == 4 and all(o.status == "pending" for o in occurrences)
    assert ApprovalRequest.objects.filter(document_type="bookings-series", object_id=series.pk).count() == 1
    with pytest.raises(BookingError):
        services.booking_approve(occurrences[0], by=personas["peminjaman"])

    series = services.series_approve(series, by=personas["peminjaman"])
    assert series.status == BookingSeries.Status.APPROVED
    assert set(series.occurrences.values_list("status", flat=True)) == {"approved"}

    services.occurrence_cancel(occurrences[0], by=user, reason="Libur")
    cancelled = services.series_cancel_from(occurrences[2], by=user, reason="Selesai")
    assert len(cancelled) == 2
    statuses = list(series.occurrences.order_by("start").values_list("status", flat=True))
    assert statuses == ["cancelled", "approved", "cancelled", "cancelled"]
    services.occurrence_cancel(occurrences[1], by=user)
    series.refresh_from_db()
    assert series.status == BookingSeries.Status.CANCELLED


def test_series_approval_rejects_occurrences_taken_meanwhile(personas, room, day):
    rule = SeriesRule(
        resource=room, first_date=day, start_time=dt.time(9), end_time=dt.time(10),
        frequency="weekly", until=day + dt.timedelta(weeks=1),
    )  # fmt: skip
    user = personas["pegawai"]
    series = services.series_create(rule=rule, requester=user.employee, purpose="Rapat", by=user)
    nxt = day + dt.timedelta(weeks=1)
    approve(personas, request(personas, room, at(nxt, "09:00"), at(nxt, "09:30"), who="honorer"))
    services.series_approve(series, by=personas["peminjaman"])
    statuses = list(series.occurrences.order_by("start").values_list("status", flat=True))
    assert statuses == ["approved", "rejected"]


def test_monthly_series_leaves_out_months_without_the_day():
    rule = SeriesRule(
        resource=Resource(kind="room", name="x", capacity=1), first_date=dt.date(2027, 1, 31),
        start_time=dt.time(9), end_time=dt.time(10), frequency="monthly", until=dt.date(2027, 6, 30),
    )  # fmt: skip
    assert rule.dates() == [dt.date(2027, 1, 31), dt.date(2027, 3, 31), dt.date(2027, 5, 31)]


# --- Trip log and history ---------------------------------------------------------------------------
def test_handover_and_late_return_with_history_and_who_had(personas, vehicles, driver, day):
    car = vehicles[0]
    b = approve(
        personas, request(personas, car, at(day, "08:00"), at(day, "15:00"), destination="Karangasem")
    )
    services.driver_assign(b, driver=driver, by=personas["peminjaman"])
    op = personas["peminjaman"]
    log = services.trip_handover(
        b, by=op, odometer=12000, fuel_level="100", condition="Baik, ban serep ada", at=at(day, "07:55")
    )
    assert log.odometer_start == 12000
    with pytest.raises(BookingError, match="kurang dari odometer awal"):
        services.trip_return(b, by=op, odometer=11000, fuel_level="50", at=at(day, "15:00"))
    log = services.trip_return(
        b, by=op, odometer=12187, fuel_level="50", fuel_litres="20.5", fuel_cost="205000",
        condition="Lecet pintu kiri", at=at(day, "16:10"),
    )  # fmt: skip
    assert log.is_late and log.distance_km == 187 and log.fuel_cost == Decimal("205000")
    b.refresh_from_db()
    assert b.status == Booking.Status.COMPLETED and b.holds_slot
    kinds = list(b.events.values_list("kind", flat=True))
    assert kinds == ["created", "approved", "driver_assigned", "handed_over", "returned"]

    assert selectors.who_had(car, at(day, "14:00")) == b
    assert selectors.who_had(car, at(day, "16:00")) == b  # still out (late)
    assert selectors.who_had(car, at(day, "16:30")) is None
    assert selectors.who_had_plate("dk1234x", at(day, "14:00")) == b
    assert selectors.last_return(car).condition_end == "Lecet pintu kiri"

    nxt = approve(
        personas,
        request(
            personas, car, at(day + dt.timedelta(days=1), "08:00"), at(day + dt.timedelta(days=1), "10:00")
        ),
    )
    with pytest.raises(BookingError, match="12187"):
        services.trip_handover(nxt, by=op, odometer=12100, fuel_level="50")
    assert TripLog.objects.count() == 1


def test_who_had_answers_from_the_booking_when_no_trip_log(personas, room, day):
    b = approve(personas, request(personas, room, at(day, "09:00"), at(day, "10:00")))
    assert selectors.who_had(room, at(day, "09:30")) == b
    assert selectors.who_had(room, at(day, "10:00")) is None


# --- Access -----------------------------------------------------------------------------------------
def test_booking_access(personas, room, day):
    b = request(personas, room, at(day, "09:00"), at(day, "10:00"))
    assert selectors.booking_get_for_user(personas["pegawai"], b.pk, write=True) == b
    assert selectors.booking_get_for_user(personas["atasan"], b.pk) == b  # head of the requester's unit
    assert selectors.booking_get_for_user(personas["pimpinan"], b.pk) == b  # view_booking
    assert selectors.booking_get_for_user(personas["peminjaman"], b.pk, write=True) == b
    with pytest.raises(PermissionDenied):
        selectors.booking_get_for_user(personas["atasan"], b.pk, write=True)
    with pytest.raises(Http404):
        selectors.booking_get_for_user(personas["luar"], b.pk)
    with pytest.raises(Http404):
        selectors.booking_get_for_user(personas["honorer"], b.pk)
    assert list(selectors.bookings_visible_to(personas["luar"])) == []


def test_calendar_range_is_one_query(personas, room, vehicles, day, django_assert_num_queries):
    for i in range(5):
        request(personas, room, at(day, f"{8 + i}:00"), at(day, f"{8 + i}:30"))
    with django_assert_num_queries(1):
        rows = list(selectors.bookings_in_range("room", at(day, "00:00"), at(day, "23:59")))
        assert [r.requester.name for r in rows]
        assert all(r.resource.building.name for r in rows)
    assert len(rows) == 5
    assert Employee.objects.exists()
