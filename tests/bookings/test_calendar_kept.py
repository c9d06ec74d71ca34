"""The calendar keeps its markup per resource stamps (bookings/migrations/0004) and cache versions, and
must never show a stale calendar: every kind of write to what it shows appears on the next request —
services, ``queryset.update()``, raw SQL, blackouts, resource and requester names, holidays — and a
user who may open only some bookings never gets another user's markup."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from slots import at

from bookings import queries, services
from bookings.models import Blackout, Booking, Building, Resource
from situok.calendar_models import CalendarDay


@pytest.fixture
def day() -> dt.date:
    d = timezone.localdate() + dt.timedelta(days=10)
    return d + dt.timedelta(days=(2 - d.weekday()) % 7)  # a Wednesday


@pytest.fixture
def rooms(personas) -> list[Resource]:
    building = Building.objects.create(name="Gedung Wiswa Sabha")
    return [
        Resource.objects.create(
            kind=Resource.Kind.ROOM, name=f"Ruang Rapat {n}", building=building, capacity=30
        )
        for n in (1, 2)
    ]


def book(personas, resource, start, end, purpose, who="pegawai") -> Booking:
    user = personas[who]
    booking = services.booking_request(
        resource=resource, requester=user.employee, start=start, end=end, purpose=purpose, by=user
    )
    return services.booking_approve(booking, by=personas["peminjaman"])


def page(client, day: dt.date, **params) -> str:
    query = "&".join(
        f"{k}={v}" for k, v in {"tampilan": "bulan", "tanggal": day.isoformat(), **params}.items()
    )
    html = client.get(f"{reverse('bookings:calendar')}?{query}").content.decode()
    return html.split('<section id="bk-calendar"', 1)[1].split("</section>", 1)[0]  # without the CSRF token


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{"sumber": 0}, {"jenis": "room"}], ids=["one room", "all rooms"])
def test_every_write_shows_on_the_next_request(client_as, personas, rooms, day, params):
    room = rooms[0]
    params = {"sumber": room.pk} if "sumber" in params else params
    client = client_as("peminjaman")
    booking = book(personas, room, at(day, "09:00"), at(day, "10:00"), "Rapat anggaran")
    assert "Rapat anggaran" in page(client, day, **params)
    assert page(client, day, **params) == page(client, day, **params)  # kept, and the same

    Booking.objects.filter(pk=booking.pk).update(purpose="Rapat anggaran perubahan")  # no save()
    assert "Rapat anggaran perubahan" in page(client, day, **params)

    with connection.cursor() as cursor:  # raw SQL
        cursor.execute("UPDATE bookings_booking SET purpose = %s WHERE id = %s", ["Rapat pleno", booking.pk])
    assert "Rapat pleno" in page(client, day, **params)

    services.booking_cancel(Booking.objects.get(pk=booking.pk), by=personas["pegawai"], reason="Batal")
    assert "Rapat pleno" not in page(client, day, **params)

    book(personas, room, at(day, "13:00"), at(day, "14:00"), "Gladi upacara")
    assert "Gladi upacara" in page(client, day, **params)

    blackout = Blackout.objects.create(
        resource=room, start=at(day, "06:00"), end=at(day, "07:00"), reason="Fogging"
    )
    assert "Fogging" in page(client, day, **params)
    blackout.delete()
    assert "Fogging" not in page(client, day, **params)

    with connection.cursor() as cursor:  # a delete the ORM does not see
        cursor.execute("DELETE FROM bookings_bookingevent")
        cursor.execute("DELETE FROM bookings_booking WHERE purpose = %s", ["Gladi upacara"])
    assert "Gladi upacara" not in page(client, day, **params)


@pytest.mark.django_db
def test_names_of_resources_and_requesters_and_the_work_calendar_show_on_the_next_request(
    client_as, personas, rooms, day
):
    client = client_as("peminjaman")
    book(personas, rooms[0], at(day, "09:00"), at(day, "10:00"), "Rapat koordinasi")
    employee = personas["pegawai"].employee
    before = page(client, day, jenis="room")
    assert "Ruang Rapat 1" in before and employee.name in before

    Resource.objects.filter(pk=rooms[0].pk).update(name="Ruang Bima")
    employee.__class__.objects.filter(pk=employee.pk).update(name="Ni Luh Putu Ganti Nama")
    after = page(client, day, jenis="room")
    assert "Ruang Bima" in after and "Ni Luh Putu Ganti Nama" in after and "Ruang Rapat 1" not in after

    cell = f'data-date="{day.isoformat()}"'
    assert "bg-danger-subtle" not in after.split(cell, 1)[0].rsplit("<li", 1)[1]
    CalendarDay.objects.create(date=day, kind=CalendarDay.Kind.LIBUR_NASIONAL, name="Libur uji")
    holiday = page(client, day, jenis="room")
    assert "bg-danger-subtle" in holiday.split(cell, 1)[0].rsplit("<li", 1)[1]


@pytest.mark.django_db
def test_each_user_gets_what_they_may_open(client_as, personas, rooms, day):
    Resource.objects.filter(pk=rooms[0].pk).update(approver_rule=Resource.ApproverRule.USERS)
    rooms[0].approvers.add(personas["peminjaman"])
    mine = book(personas, rooms[0], at(day, "09:00"), at(day, "10:00"), "Rapat saya", who="pegawai")
    theirs = book(personas, rooms[0], at(day, "11:00"), at(day, "12:00"), "Rapat orang lain", who="humas")
    link = reverse("bookings:booking_detail", args=[theirs.pk])
    operator, employee = client_as("peminjaman"), client_as("pegawai")
    assert link in page(operator, day, sumber=rooms[0].pk)  # kept for those who see all
    shown = page(employee, day, sumber=rooms[0].pk)
    assert reverse("bookings:booking_detail", args=[mine.pk]) in shown
    assert "Rapat orang lain" in shown and link not in shown
    assert personas["humas"].employee.name not in shown
    other = page(client_as("humas"), day, sumber=rooms[0].pk)  # another user who sees only some
    assert link in other and reverse("bookings:booking_detail", args=[mine.pk]) not in other
    assert link in page(operator, day, sumber=rooms[0].pk)

    rooms[0].approvers.add(personas["pegawai"])  # now an approver of the room: opens every booking
    assert link in page(employee, day, sumber=rooms[0].pk)


@pytest.mark.django_db
def test_today_is_marked_on_the_day_it_is(client_as, personas, rooms, day, monkeypatch):
    from bookings import views_calendar

    client = client_as("peminjaman")
    monkeypatch.setattr(views_calendar, "_today", lambda: day)
    assert (
        'aria-current="date"' in page(client, day, sumber=rooms[0].pk).split(f'data-date="{day}"', 1)[1][:40]
    )
    following = day + dt.timedelta(days=1)
    monkeypatch.setattr(views_calendar, "_today", lambda: following)
    html = page(client, day, sumber=rooms[0].pk)
    assert html.count('aria-current="date"') == 1
    assert 'aria-current="date"' in html.split(f'data-date="{following}"', 1)[1][:40]


@pytest.mark.django_db(transaction=True)
def test_a_write_stamps_only_its_own_resource_and_a_rolled_back_one_leaves_no_trace(personas, rooms, day):
    first, second = rooms
    book(personas, first, at(day, "09:00"), at(day, "10:00"), "Rapat awal")
    before = dict(s.split(":") for s in queries.calendar_stamps([first.pk, second.pk]).split(","))
    book(personas, second, at(day, "09:00"), at(day, "10:00"), "Rapat ruang dua")
    after = dict(s.split(":") for s in queries.calendar_stamps([first.pk, second.pk]).split(","))
    assert after[str(first.pk)] == before[str(first.pk)]
    assert after[str(second.pk)] != before.get(str(second.pk))
    with pytest.raises(RuntimeError), transaction.atomic():
        Booking.objects.filter(resource=first).update(purpose="Tidak jadi")
        assert queries.calendar_stamps([first.pk, second.pk]) != ",".join(
            f"{k}:{v}" for k, v in after.items()
        )
        raise RuntimeError
    assert queries.calendar_stamps([first.pk, second.pk]) == ",".join(
        f"{k}:{v}" for k, v in sorted(after.items())
    )
