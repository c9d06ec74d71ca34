"""Permission-matrix rows of bookings/ (see tests/test_permissions.py).

``make_objects`` builds: a room with a photo (``@room``, ``@room_photo``), a vehicle (``@vehicle``), a
pending room request of pegawai with an attachment (``@booking``), an approved car booking of pegawai not
yet handed over (``@vbooking``), an approved car booking of pegawai handed over with a photo
(``@vbooking_out``, ``@trip_photo``), a pending weekly series of pegawai (``@series``) and the room's ICS
token (``@ics``).
"""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

EVERYONE = (
    "admin", "pimpinan", "atasan", "kepegawaian", "perjalanan", "bendahara", "ppk",
    "pengurus", "peminjaman", "humas", "pegawai", "honorer", "luar",
)  # fmt: skip
SEE_ALL = ("admin", "pimpinan", "peminjaman")
NOT_SEE_ALL = tuple(p for p in EVERYONE if p not in SEE_ALL)
B = {"pk": "@booking"}
V = {"pk": "@vbooking"}
VO = {"pk": "@vbooking_out"}
REPORTS = (
    "bookings-utilisation",
    "bookings-per-unit",
    "bookings-vehicle-usage",
    "bookings-no-show",
    "bookings-list",
)

ROWS = [
    *[("bookings:my_bookings", {}, "get", p, 200) for p in EVERYONE],
    ("bookings:my_bookings", {}, "get", "anon", 302),
    *[("bookings:request_create", {}, "get", p, 200) for p in ("pegawai", "honorer", "luar", "peminjaman")],
    ("bookings:request_create", {}, "get", "anon", 302),
    ("bookings:series_create", {}, "get", "pegawai", 200),
    ("bookings:series_create", {}, "get", "anon", 302),
    # A booking: its requester, their unit head, the approver (Operator) and those who see all.
    *[("bookings:booking_detail", B, "get", p, 200) for p in ("pegawai", "atasan", *SEE_ALL)],
    *[("bookings:booking_detail", B, "get", p, 404) for p in ("honorer", "luar", "humas", "kepegawaian")],
    ("bookings:booking_detail", {"pk": 999999}, "get", "peminjaman", 404),
    ("bookings:booking_detail", B, "get", "anon", 302),
    ("bookings:booking_attachment", {"pk": "@booking", "which": "lampiran"}, "get", "pegawai", 200),
    ("bookings:booking_attachment", {"pk": "@booking", "which": "lampiran"}, "get", "peminjaman", 200),
    ("bookings:booking_attachment", {"pk": "@booking", "which": "lampiran"}, "get", "luar", 404),
    ("bookings:booking_attachment", {"pk": "@booking", "which": "surat"}, "get", "pegawai", 404),
    ("bookings:booking_attachment", {"pk": "@booking", "which": "lampiran"}, "get", "anon", 302),
    ("bookings:booking_cancel", B, "get", "pegawai", 200),
    ("bookings:booking_cancel", B, "get", "peminjaman", 200),
    ("bookings:booking_cancel", B, "get", "atasan", 403),
    ("bookings:booking_cancel", B, "get", "pimpinan", 403),
    ("bookings:booking_cancel", B, "get", "luar", 404),
    ("bookings:booking_cancel", B, "post", "luar", 404),
    ("bookings:booking_cancel", B, "get", "anon", 302),
    ("bookings:booking_reschedule", B, "get", "pegawai", 200),
    ("bookings:booking_reschedule", B, "get", "atasan", 403),
    ("bookings:booking_reschedule", B, "get", "luar", 404),
    ("bookings:booking_reschedule", B, "get", "anon", 302),
    ("bookings:booking_bump", B, "get", "peminjaman", 200),
    ("bookings:booking_bump", B, "get", "pegawai", 403),
    ("bookings:booking_bump", B, "post", "pegawai", 403),
    ("bookings:booking_bump", B, "get", "pimpinan", 403),
    ("bookings:booking_bump", B, "get", "luar", 404),
    ("bookings:booking_bump", B, "get", "anon", 302),
    ("bookings:booking_driver", V, "get", "peminjaman", 200),
    ("bookings:booking_driver", B, "get", "peminjaman", 404),  # a room has no driver
    ("bookings:booking_driver", V, "get", "pegawai", 403),
    ("bookings:booking_driver", V, "get", "luar", 404),
    ("bookings:booking_driver", V, "get", "anon", 302),
    ("bookings:booking_no_show", V, "get", "peminjaman", 200),
    ("bookings:booking_no_show", V, "get", "pegawai", 403),
    ("bookings:booking_no_show", V, "post", "pegawai", 403),
    ("bookings:booking_no_show", V, "get", "anon", 302),
    ("bookings:series_detail", {"pk": "@series"}, "get", "pegawai", 200),
    ("bookings:series_detail", {"pk": "@series"}, "get", "peminjaman", 200),
    ("bookings:series_detail", {"pk": "@series"}, "get", "atasan", 200),
    ("bookings:series_detail", {"pk": "@series"}, "get", "luar", 404),
    ("bookings:series_detail", {"pk": "@series"}, "get", "anon", 302),
    # Trip log: the Operator Peminjaman records; the requester may see the photos.
    ("bookings:trip_handover", V, "get", "peminjaman", 200),
    ("bookings:trip_handover", V, "get", "pegawai", 403),
    ("bookings:trip_handover", V, "post", "pegawai", 403),
    ("bookings:trip_handover", V, "get", "luar", 404),
    ("bookings:trip_handover", B, "get", "peminjaman", 404),  # not a vehicle
    ("bookings:trip_handover", V, "get", "anon", 302),
    ("bookings:trip_return", VO, "get", "peminjaman", 200),
    ("bookings:trip_return", VO, "get", "pegawai", 403),
    ("bookings:trip_return", VO, "get", "luar", 404),
    ("bookings:trip_return", VO, "get", "anon", 302),
    ("bookings:trip_photo", {"pk": "@vbooking_out", "photo_pk": "@trip_photo"}, "get", "pegawai", 200),
    ("bookings:trip_photo", {"pk": "@vbooking_out", "photo_pk": "@trip_photo"}, "get", "peminjaman", 200),
    ("bookings:trip_photo", {"pk": "@vbooking_out", "photo_pk": "@trip_photo"}, "get", "luar", 404),
    ("bookings:trip_photo", {"pk": "@vbooking", "photo_pk": "@trip_photo"}, "get", "peminjaman", 404),
    ("bookings:trip_photo", {"pk": "@vbooking_out", "photo_pk": "@trip_photo"}, "get", "anon", 302),
    # Calendars, availability and resources: every signed-in employee.
    *[("bookings:calendar", {}, "get", p, 200) for p in EVERYONE],
    ("bookings:calendar", {}, "get", "anon", 302),
    ("bookings:ics_feed", {"token": "@ics"}, "get", "anon", 200),
    ("bookings:ics_feed", {"token": "@ics"}, "get", "pegawai", 200),
    ("bookings:ics_feed", {"token": "bukan-token-yang-benar"}, "get", "anon", 404),
    ("bookings:daily_schedule", {}, "get", "pegawai", 200),
    ("bookings:daily_schedule", {}, "get", "peminjaman", 200),
    ("bookings:daily_schedule", {}, "get", "anon", 302),
    ("bookings:daily_schedule_pdf", {}, "get", "pegawai", 200),
    ("bookings:daily_schedule_pdf", {}, "get", "anon", 302),
    *[("bookings:availability", {}, "get", p, 200) for p in ("pegawai", "luar", "peminjaman")],
    ("bookings:availability", {}, "get", "anon", 302),
    *[("bookings:resource_list", {}, "get", p, 200) for p in ("pegawai", "luar", "peminjaman")],
    ("bookings:resource_list", {}, "get", "anon", 302),
    *[
        ("bookings:resource_detail", {"pk": "@room"}, "get", p, 200)
        for p in ("pegawai", "luar", "peminjaman")
    ],
    ("bookings:resource_detail", {"pk": 999999}, "get", "pegawai", 404),
    ("bookings:resource_detail", {"pk": "@room"}, "get", "anon", 302),
    ("bookings:resource_photo", {"pk": "@room", "photo_pk": "@room_photo"}, "get", "luar", 200),
    ("bookings:resource_photo", {"pk": "@vehicle", "photo_pk": "@room_photo"}, "get", "pegawai", 404),
    ("bookings:resource_photo", {"pk": "@room", "photo_pk": "@room_photo"}, "get", "anon", 302),
    # Evidence and reports: whoever sees all bookings.
    *[("bookings:history_search", {}, "get", p, 200) for p in SEE_ALL],
    *[("bookings:history_search", {}, "get", p, 403) for p in ("pegawai", "atasan", "luar")],
    ("bookings:history_search", {}, "get", "anon", 302),
    *[("bookings:reports", {}, "get", p, 200) for p in SEE_ALL],
    *[("bookings:reports", {}, "get", p, 403) for p in ("pegawai", "atasan", "bendahara")],
    ("bookings:reports", {}, "get", "anon", 302),
    *[
        ("export_download", {"identifier": r, "fmt": fmt}, "get", "peminjaman", 200)
        for r in REPORTS
        for fmt in ("xlsx", "pdf")
    ],
    *[("export_download", {"identifier": r, "fmt": "xlsx"}, "get", "pimpinan", 200) for r in REPORTS],
    *[("export_download", {"identifier": r, "fmt": "xlsx"}, "get", "pegawai", 404) for r in REPORTS],
]


def _png(name: str) -> SimpleUploadedFile:
    data = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(data, format="PNG")
    return SimpleUploadedFile(name, data.getvalue(), content_type="image/png")


def make_objects(personas) -> dict:
    from bookings import services
    from bookings.models import Building, Facility, Resource, ResourcePhoto
    from bookings.services import SeriesRule

    pegawai, operator = personas["pegawai"], personas["peminjaman"]
    me = pegawai.employee
    building = Building.objects.create(name="Gedung Matriks")
    room = Resource.objects.create(
        kind=Resource.Kind.ROOM, name="Ruang Matriks", building=building, capacity=20
    )
    room.facilities.add(Facility.objects.create(code="proyektor-matriks", name="Proyektor"))
    photo = ResourcePhoto(resource=room, caption="Tampak depan")
    photo.file.save("ruang.png", ContentFile(_png("ruang.png").read()), save=True)
    vehicle = Resource.objects.create(kind=Resource.Kind.VEHICLE, name="Innova", plate="DK 1234 X", seats=7)

    day = timezone.localdate() + dt.timedelta(days=10)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    tz = timezone.get_default_timezone()

    def at(hour: int, d: dt.date = day) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(d, dt.time(hour)), tz)

    pdf = SimpleUploadedFile("undangan.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    booking = services.booking_request(
        resource=room, requester=me, start=at(9), end=at(10), purpose="Rapat matriks",
        participants=10, attachment=pdf, by=pegawai,
    )  # fmt: skip
    vbooking = services.booking_request(
        resource=vehicle, requester=me, start=at(8), end=at(12), purpose="Perjalanan matriks",
        destination="Gianyar", by=pegawai,
    )  # fmt: skip
    services.booking_approve(vbooking, by=operator)
    out = services.booking_request(
        resource=vehicle, requester=me, start=at(13), end=at(16), purpose="Perjalanan sore",
        destination="Tabanan", by=pegawai,
    )  # fmt: skip
    services.booking_approve(out, by=operator)
    log = services.trip_handover(
        out, by=operator, odometer=1000, fuel_level="75", condition="Baik", photos=[_png("depan.png")]
    )
    series = services.series_create(
        rule=SeriesRule(
            resource=room, first_date=day + dt.timedelta(days=7), start_time=dt.time(9), end_time=dt.time(10),
            frequency="weekly", until=day + dt.timedelta(days=28),
        ),
        requester=me, purpose="Rapat mingguan matriks", participants=8, by=pegawai,
    )  # fmt: skip
    return {
        "@room": room.pk,
        "@room_photo": photo.pk,
        "@vehicle": vehicle.pk,
        "@booking": booking.pk,
        "@vbooking": vbooking.pk,
        "@vbooking_out": out.pk,
        "@trip_photo": log.photos.first().pk,
        "@series": series.pk,
        "@ics": room.ics_token,
    }
