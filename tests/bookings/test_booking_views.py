"""Bookings UI: the request form (errors next to the fields, the clear conflict message, never a 500),
recurring series with a preview of conflicts, cancel/reschedule, the Operator's bump, driver and trip log,
the availability and history searches, and the list's constant query count."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from slots import at

from bookings import services
from bookings.models import Booking, BookingSeries, Building, Driver, Facility, Resource, TripLog
from situok.approval_models import ApprovalRequest
from situok.approvals import approval_approve


@pytest.fixture
def day() -> dt.date:
    """A Wednesday two to three weeks ahead."""
    d = timezone.localdate() + dt.timedelta(days=14)
    return d + dt.timedelta(days=(2 - d.weekday()) % 7)


@pytest.fixture
def room(personas) -> Resource:
    building = Building.objects.create(name="Gedung Wiswa Sabha Utama")
    r = Resource.objects.create(
        kind=Resource.Kind.ROOM, name="Ruang Rapat Utama", building=building, capacity=30
    )
    r.facilities.add(Facility.objects.create(code="proyektor", name="Proyektor"))
    return r


@pytest.fixture
def vehicle(personas) -> Resource:
    return Resource.objects.create(
        kind=Resource.Kind.VEHICLE, name="Toyota Innova", plate="DK 1234 X", seats=7
    )


@pytest.fixture
def second_operator(personas):
    """A second Operator Peminjaman: approves what the first one records on someone's behalf."""
    from django.contrib.auth.models import Group

    Group.objects.get(name="operator_peminjaman").user_set.add(personas["admin"])
    return personas["admin"]


def book(personas, resource, start, end, who="pegawai", approve=True, **kw) -> Booking:
    user = personas[who]
    booking = services.booking_request(
        resource=resource, requester=user.employee, start=start, end=end, purpose=kw.pop("purpose", "Rapat"),
        by=user, **kw,
    )  # fmt: skip
    if approve:
        services.booking_approve(booking, by=personas["peminjaman"])
    booking.refresh_from_db()
    return booking


def form_data(resource, day, start="10:00", end="11:00", **extra) -> dict:
    return {
        "jenis": resource.kind,
        "resource": resource.pk,
        "start_date": day.isoformat(),
        "start": start,
        "end_date": "",
        "end": end,
        "purpose": "Rapat koordinasi",
        "participants": 10,
        **extra,
    }


def png(name="foto.png") -> SimpleUploadedFile:
    data = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(data, format="PNG")
    return SimpleUploadedFile(name, data.getvalue(), content_type="image/png")


# --- Request form ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_employee_requests_a_room_and_it_waits_in_the_operators_inbox(client_as, personas, room, day):
    client = client_as("pegawai")
    pdf = SimpleUploadedFile("undangan.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    response = client.post(reverse("bookings:request_create"), form_data(room, day, attachment=pdf))
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("bookings:booking_detail", args=[booking.pk])
    assert booking.status == Booking.Status.PENDING
    assert (booking.start, booking.end) == (at(day, "10:00"), at(day, "11:00"))
    assert booking.attachment
    req = ApprovalRequest.objects.get(object_id=booking.pk, document_type="bookings-booking")
    assert req.status == "pending"

    detail = client.get(response["Location"]).content.decode()
    assert "Menunggu persetujuan" in detail
    assert "Rapat koordinasi" in detail
    assert 'data-testid="booking-history"' in detail
    assert "Diajukan" in detail


@pytest.mark.django_db
def test_overlapping_request_is_refused_next_to_the_time_naming_the_conflicting_booking(
    client_as, personas, room, day
):
    book(personas, room, at(day, "10:00"), at(day, "11:00"), who="atasan", purpose="Rapat pimpinan")
    response = client_as("pegawai").post(
        reverse("bookings:request_create"), form_data(room, day, start="10:30", end="11:30")
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["start"]
    message = form.errors["start"][0]
    assert "bentrok" in message
    assert "10.00–11.00" in message
    assert personas["atasan"].employee.name_with_titles in message
    assert response.context["conflicts"][0].purpose == "Rapat pimpinan"
    assert 'data-testid="conflicts"' in response.content.decode()
    assert Booking.objects.count() == 1
    # Back to back is fine.
    ok = client_as("pegawai").post(reverse("bookings:request_create"), form_data(room, day, "11:00", "12:00"))
    assert ok.status_code == 302


@pytest.mark.django_db
def test_form_errors_are_shown_next_to_their_fields_and_nothing_is_saved(client_as, personas, room, day):
    client = client_as("pegawai")
    too_many = client.post(reverse("bookings:request_create"), form_data(room, day, participants=31))
    assert "participants" in too_many.context["form"].errors
    assert "kapasitas" in too_many.context["form"].errors["participants"][0]
    backwards = client.post(reverse("bookings:request_create"), form_data(room, day, "11:00", "10:00"))
    assert backwards.context["form"].errors["end"] == ["Waktu selesai harus setelah waktu mulai."]
    bad_file = SimpleUploadedFile("x.pdf", b"not a pdf", content_type="application/pdf")
    wrong = client.post(reverse("bookings:request_create"), form_data(room, day, attachment=bad_file))
    assert "attachment" in wrong.context["form"].errors
    assert Booking.objects.count() == 0


@pytest.mark.django_db
def test_vehicle_form_has_vehicle_fields_and_only_the_operator_may_record_an_outside_party(
    client_as, personas, room, vehicle, day
):
    employee_form = client_as("pegawai").get(reverse("bookings:request_create") + "?jenis=vehicle")
    fields = employee_form.context["form"].fields
    assert {"destination", "passengers", "needs_driver", "trip"} <= set(fields)
    assert "outside_party" not in fields
    operator_form = client_as("peminjaman").get(reverse("bookings:request_create") + "?jenis=room")
    assert "outside_party" in operator_form.context["form"].fields
    assert "destination" not in operator_form.context["form"].fields
    missing_letter = client_as("peminjaman").post(
        reverse("bookings:request_create"), form_data(room, day, outside_party="Dinas Pariwisata")
    )
    assert "outside_letter" in missing_letter.context["form"].errors
    assert Booking.objects.count() == 0


@pytest.mark.django_db
def test_the_availability_search_prefills_the_request_form(client_as, personas, room, day):
    url = (
        reverse("bookings:request_create")
        + f"?jenis=room&sumber={room.pk}&tanggal={day}&mulai=09:00&selesai=12:00&orang=30"
    )
    form = client_as("pegawai").get(url).context["form"]
    assert form.initial["resource"] == str(room.pk)
    assert form.initial["start"] == "09:00"
    assert form.initial["participants"] == "30"


# --- Booking page and actions ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_requester_cancels_and_reschedules_with_conflicts_refused(client_as, personas, room, day):
    mine = book(personas, room, at(day, "09:00"), at(day, "10:00"))
    book(personas, room, at(day, "13:00"), at(day, "14:00"), who="atasan")
    client = client_as("pegawai")
    url = reverse("bookings:booking_reschedule", args=[mine.pk])
    data = {"start_date": day.isoformat(), "start": "13:30", "end": "14:30"}
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "bentrok" in refused.context["form"].errors["start"][0]
    moved = client.post(url, {**data, "start": "15:00", "end": "16:00"})
    assert moved.status_code == 302
    mine.refresh_from_db()
    assert mine.start == at(day, "15:00")
    assert mine.status == Booking.Status.PENDING  # an approved booking moved by its requester is re-approved

    cancel = client.post(reverse("bookings:booking_cancel", args=[mine.pk]), {"reason": "Acara ditunda"})
    assert cancel.status_code == 302
    mine.refresh_from_db()
    assert mine.status == Booking.Status.CANCELLED
    assert mine.cancel_reason == "Acara ditunda"
    page = client.get(reverse("bookings:booking_detail", args=[mine.pk])).content.decode()
    assert "Dibatalkan" in page
    assert reverse("bookings:booking_cancel", args=[mine.pk]) not in page


@pytest.mark.django_db
def test_operator_bumps_for_a_leadership_event_and_the_requester_is_told(client_as, personas, room, day):
    # The leader's request was filed first (pending requests do not hold the room) ...
    leader = services.booking_request(
        resource=room, requester=personas["peminjaman"].employee, start=at(day, "10:00"), end=at(day, "12:00"),
        purpose="Audiensi Gubernur", by=personas["peminjaman"],
    )  # fmt: skip
    # ... then a colleague's overlapping booking was approved.
    theirs = book(personas, room, at(day, "09:00"), at(day, "11:00"))
    client = client_as("peminjaman")
    page = client.get(reverse("bookings:booking_bump", args=[leader.pk]))
    assert [b.pk for b in page.context["conflicts"]] == [theirs.pk]
    response = client.post(reverse("bookings:booking_bump", args=[leader.pk]), {"reason": "Acara Gubernur"})
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.status == Booking.Status.BUMPED
    assert personas["pegawai"].notifications.exists()


@pytest.mark.django_db
def test_operator_books_a_leadership_event_over_an_approved_booking_from_the_form(
    client_as, personas, room, day
):
    theirs = book(personas, room, at(day, "09:00"), at(day, "11:00"))
    data = form_data(
        room, day, "10:00", "12:00", purpose="Rapat terbatas Wakil Gubernur", bump_reason="Acara pimpinan"
    )
    response = client_as("peminjaman").post(reverse("bookings:request_create"), data)
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.status == Booking.Status.BUMPED
    assert Booking.objects.get(purpose="Rapat terbatas Wakil Gubernur").priority


@pytest.mark.django_db
def test_operator_assigns_a_free_driver_hands_over_and_takes_back_a_late_vehicle(
    client_as, personas, vehicle, day, second_operator
):
    driver = Driver.objects.create(
        employee=personas["honorer"].employee, licence_expiry=timezone.localdate() + dt.timedelta(days=400)
    )
    past_day = timezone.localdate() - dt.timedelta(days=1)
    earlier = services.booking_request(
        resource=vehicle, requester=personas["atasan"].employee, start=at(past_day, "08:00"),
        end=at(past_day, "10:00"), purpose="Antar dokumen", by=personas["peminjaman"],
    )  # fmt: skip
    services.booking_approve(earlier, by=second_operator)
    services.trip_handover(
        earlier, by=personas["peminjaman"], odometer=500, fuel_level="100", at=at(past_day, "08:00")
    )
    services.trip_return(
        earlier, by=personas["peminjaman"], odometer=540, fuel_level="75", condition="Lecet di pintu kiri",
        at=at(past_day, "09:50"),
    )  # fmt: skip
    trip = book(
        personas, vehicle, at(day, "08:00"), at(day, "12:00"), destination="Gianyar", needs_driver=True
    )
    client = client_as("peminjaman")

    drivers = client.get(reverse("bookings:booking_driver", args=[trip.pk])).context["form"].fields["driver"]
    assert list(drivers.queryset) == [driver]
    assert (
        client.post(reverse("bookings:booking_driver", args=[trip.pk]), {"driver": driver.pk}).status_code
        == 302
    )
    trip.refresh_from_db()
    assert trip.driver == driver

    handover = client.get(reverse("bookings:trip_handover", args=[trip.pk]))
    assert "Lecet di pintu kiri" in handover.content.decode()  # the last return's condition
    assert handover.context["form"].initial["odometer"] == 540
    response = client.post(
        reverse("bookings:trip_handover", args=[trip.pk]),
        {"odometer": 540, "fuel_level": "75", "condition": "Baik", "photos": [png("a.png"), png("b.png")]},
    )
    assert response.status_code == 302
    log = TripLog.objects.get(booking=trip)
    assert log.photos.count() == 2

    backwards = client.post(
        reverse("bookings:trip_return", args=[trip.pk]),
        {"returned_date": day.isoformat(), "returned_time": "13:30", "odometer": 100, "fuel_level": "50"},
    )
    assert backwards.status_code == 200
    assert backwards.context["form"].errors
    late = client.post(
        reverse("bookings:trip_return", args=[trip.pk]),
        {
            "returned_date": day.isoformat(), "returned_time": "13:30", "odometer": 660, "fuel_level": "50",
            "fuel_litres": "20.5", "fuel_cost": "205000", "condition": "Baik",
        },
    )  # fmt: skip
    assert late.status_code == 302
    log.refresh_from_db()
    assert (log.is_late, log.distance_km, str(log.fuel_cost)) == (True, 120, "205000.00")
    page = client.get(reverse("bookings:booking_detail", args=[trip.pk])).content.decode()
    assert 'data-testid="late"' in page


# --- Recurring ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_series_preview_lists_conflicts_and_submitting_skips_them(client_as, personas, room, day):
    book(
        personas,
        room,
        at(day + dt.timedelta(weeks=1), "09:30"),
        at(day + dt.timedelta(weeks=1), "10:30"),
        who="atasan",
    )
    client = client_as("pegawai")
    data = {
        "resource": room.pk, "first_date": day.isoformat(), "start": "09:00", "end": "10:00",
        "frequency": "weekly", "interval": 1, "until": (day + dt.timedelta(weeks=3)).isoformat(),
        "purpose": "Rapat mingguan", "participants": 10,
    }  # fmt: skip
    preview = client.post(reverse("bookings:series_create"), {**data, "action": "preview"})
    assert preview.status_code == 200
    assert len(preview.context["preview"]) == 4
    assert [o.date for o in preview.context["blocked"]] == [day + dt.timedelta(weeks=1)]
    assert "bentrok" in preview.content.decode()
    assert BookingSeries.objects.count() == 0

    without_skip = client.post(reverse("bookings:series_create"), {**data, "action": "submit"})
    assert without_skip.status_code == 200
    assert BookingSeries.objects.count() == 0

    response = client.post(
        reverse("bookings:series_create"), {**data, "action": "submit", "skip_conflicts": "1"}
    )
    series = BookingSeries.objects.get()
    assert response["Location"] == reverse("bookings:series_detail", args=[series.pk])
    assert series.occurrences.count() == 3
    assert series.skipped == [(day + dt.timedelta(weeks=1)).isoformat()]

    # Approval applies to the series; then cancel the rest from the second kept occurrence.
    req = ApprovalRequest.objects.get(document_type="bookings-series", object_id=series.pk)
    approval_approve(req, by=personas["peminjaman"])
    occurrences = list(series.occurrences.order_by("start"))
    assert {o.status for o in occurrences} == {Booking.Status.APPROVED}
    rest = client.post(reverse("bookings:booking_cancel", args=[occurrences[1].pk]), {"seterusnya": "1"})
    assert rest.status_code == 302
    statuses = list(series.occurrences.order_by("start").values_list("status", flat=True))
    assert statuses == ["approved", "cancelled", "cancelled"]
    page = client.get(reverse("bookings:series_detail", args=[series.pk])).content.decode()
    assert "Rapat mingguan" in page


# --- Searches and lists ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_availability_finds_free_rooms_with_capacity_and_facility_and_free_vehicles(
    client_as, personas, room, vehicle, day
):
    small = Resource.objects.create(kind=Resource.Kind.ROOM, name="Ruang Kecil", capacity=8)
    busy = Resource.objects.create(kind=Resource.Kind.ROOM, name="Ruang Sibuk", capacity=40)
    busy.facilities.add(Facility.objects.get(code="proyektor"))
    book(personas, busy, at(day, "10:00"), at(day, "11:00"))
    client = client_as("pegawai")
    params = {"kind": "room", "date": day.isoformat(), "start": "09:00", "end": "12:00", "people": 30}
    params["facilities"] = Facility.objects.get(code="proyektor").pk
    response = client.get(reverse("bookings:availability"), params)
    assert [r.pk for r in response.context["results"]] == [room.pk]
    assert small.pk not in [r.pk for r in response.context["results"]]
    assert f"sumber={room.pk}" in response.content.decode()
    cars = client.get(
        reverse("bookings:availability"),
        {"kind": "vehicle", "date": day.isoformat(), "start": "08:00", "end": "15:00", "people": 7},
    )
    assert [r.pk for r in cars.context["results"]] == [vehicle.pk]


@pytest.mark.django_db
def test_who_had_the_vehicle_is_answered_from_the_plate(client_as, personas, vehicle, second_operator):
    past_day = timezone.localdate() - dt.timedelta(days=3)
    trip = services.booking_request(
        resource=vehicle, requester=personas["atasan"].employee, start=at(past_day, "13:00"),
        end=at(past_day, "16:00"), purpose="Kunjungan ke Tabanan", by=personas["peminjaman"],
    )  # fmt: skip
    services.booking_approve(trip, by=second_operator)
    client = client_as("peminjaman")
    found = client.get(
        reverse("bookings:history_search"),
        {"plate": "dk1234x", "date": past_day.isoformat(), "time": "14:00"},
    )
    assert found.context["found"].pk == trip.pk
    assert personas["atasan"].employee.name_with_titles in found.content.decode()
    none = client.get(
        reverse("bookings:history_search"),
        {"plate": "DK 1234 X", "date": past_day.isoformat(), "time": "17:00"},
    )
    assert none.context["found"] is None
    assert 'data-testid="history-none"' in none.content.decode()
    empty = client.get(reverse("bookings:history_search"), {"date": past_day.isoformat(), "time": "14:00"})
    assert "plate" in empty.context["form"].errors


@pytest.mark.django_db
def test_my_bookings_list_costs_the_same_queries_for_one_or_many_rows(
    client_as, personas, room, day, django_assert_max_num_queries
):
    book(personas, room, at(day, "08:00"), at(day, "08:30"))
    client = client_as("pegawai")
    url = reverse("bookings:my_bookings")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for hour in range(9, 16):
        book(personas, room, at(day, f"{hour:02d}:00"), at(day, f"{hour:02d}:30"))
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 8
    outsider = client_as("luar").get(url + "?semua=1")
    assert len(outsider.context["page"].object_list) == 0


@pytest.mark.django_db
def test_operator_records_an_outside_agency_with_its_letter(client_as, personas, room, day, second_operator):
    room.outside_parties_allowed = True
    room.save()
    letter = SimpleUploadedFile("surat.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    data = form_data(
        room, day, outside_party="Dinas Kebudayaan Provinsi Bali", outside_contact="0361 123456",
        outside_letter=letter, bump_reason="",
    )  # fmt: skip
    response = client_as("peminjaman").post(reverse("bookings:request_create"), data)
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert (booking.outside_party, booking.requester) == (
        "Dinas Kebudayaan Provinsi Bali",
        personas["peminjaman"].employee,
    )
    letter_url = reverse("bookings:booking_attachment", args=[booking.pk, "surat"])
    assert client_as("peminjaman").get(letter_url).status_code == 200
    page = client_as("peminjaman").get(reverse("bookings:booking_detail", args=[booking.pk])).content.decode()
    assert "Dinas Kebudayaan Provinsi Bali" in page
