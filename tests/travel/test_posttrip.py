"""After the trip: visum, expenses and the cost sheet, advance and payment, trip report,
acknowledgement, due dates, overdue reminders and settlement (travel/posttrip/ and its views).

Trips are built with the ORM in the state under test (numbered / returned …) with one SPPD per member
carrying a frozen rate snapshot, as the SPT workflow leaves them."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from situok.audit import AuditEvent
from situok.calendar_models import CalendarDay
from situok.notification_models import Notification
from situok.permissions import pending_for
from situok.regions import Region
from travel import posttrip
from travel.costs import compute_costs
from travel.models import (
    DailyAllowanceRate,
    LodgingCeiling,
    Sppd,
    SppdStop,
    TravelType,
    Trip,
    TripDestination,
    TripExpense,
    TripMember,
    TripReport,
    TripReportFile,
)
from travel.posttrip import PostTripError
from travel.rates import seed_default_rates
from travel.tasks_posttrip import report_overdue_reminders

pytestmark = pytest.mark.django_db

S = Trip.Status
K = TripExpense.Kind
_numbers = itertools.count(1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def today() -> dt.date:
    return timezone.localdate()


def morning(days_ahead: int) -> dt.datetime:
    """07:00 WITA ``days_ahead`` days from today (for time_machine)."""
    return timezone.make_aware(dt.datetime.combine(today() + dt.timedelta(days=days_ahead), dt.time(7)))


def make_trip(
    personas,
    *,
    status: str = S.RETURNED,
    members: tuple[str, ...] = ("pegawai", "honorer"),
    depart: dt.date | None = None,
    days: int = 3,
    travel_type: str = TravelType.LUAR_KOTA,
    daily: str = "480000",
    ceiling: str = "1100000",
    representation: str = "0",
) -> tuple[Trip, list[Sppd]]:
    """An SPT in ``status`` (default: back from a 3-day trip a week ago), one SPPD per member with the
    frozen rates; totals are computed by ``sppd_recompute`` as the workflow would."""
    depart = depart or today() - dt.timedelta(days=10)
    n = next(_numbers)
    trip = Trip.objects.create(
        unit=personas[members[0]].employee.unit,
        purpose="Koordinasi pengelolaan barang milik daerah",
        travel_type=travel_type,
        depart_date=depart,
        return_date=depart + dt.timedelta(days=days - 1),
        status=status,
        spt_number=f"000.1.2.3/{n}/Biro Umum/2026",
        spt_date=depart - dt.timedelta(days=2),
        created_by=personas["perjalanan"],
    )
    TripDestination.objects.create(trip=trip, order=0, place="Kantor Bupati Buleleng")
    TripDestination.objects.create(trip=trip, order=1, place="Kantor Bupati Jembrana")
    sppds = []
    for order, name in enumerate(members):
        member = TripMember.objects.create(
            trip=trip, employee=personas[name].employee, order=order, is_lead=order == 0
        )
        sppd = Sppd.objects.create(
            member=member,
            number=f"000.1.2.3/{n}-{order}/Biro Umum/2026",
            cost_tier="E",
            rates_on=depart,
            daily_rate=Decimal(daily),
            representation_rate=Decimal(representation),
            lodging_ceiling=Decimal(ceiling),
        )
        sppds.append(posttrip.sppd_recompute(sppd))
    return trip, sppds


def expense(sppd, by, **data):
    values = {
        "kind": K.TRANSPORT,
        "description": "Taksi bandara",
        "quantity": 1,
        "amount": Decimal("150000"),
        "has_receipt": False,
        "spent_on": sppd.member.trip.depart_date,
    } | data
    receipt = values.pop("receipt", None)
    return posttrip.expense_save(sppd, by=by, data=values, receipt=receipt)


def lines_by_kind(sppd) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for line in Sppd.objects.get(pk=sppd.pk).cost_lines:
        out.setdefault(line["kind"], []).append(line)
    return out


def jpeg_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "KameraMerek"  # Make
    exif[0x013B] = "Ni Made Ayu Kartika"  # Artist
    exif[0x0132] = "2026:06:01 10:00:00"  # DateTime
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, format="JPEG", exif=exif.tobytes())
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif()  # the test image really carries EXIF
    return data


def stop(place, arrived=None, departed=None, to="", officer=""):
    return {
        "place": place,
        "arrived_on": arrived,
        "departed_on": departed,
        "departed_to": to,
        "officer_name": officer,
    }


# --- Visum ----------------------------------------------------------------------------------------------
def test_traveller_records_visum_stops_and_actual_return(personas):
    trip, (sppd, _) = make_trip(personas)
    d0 = trip.depart_date
    posttrip.sppd_stops_save(
        sppd,
        stops=[
            stop("Kantor Bupati Buleleng", d0, d0 + dt.timedelta(days=1), "Jembrana", "I Ketut Budi"),
            stop("", None, None),  # an empty block is skipped
            stop("Kantor Bupati Jembrana", d0 + dt.timedelta(days=1), trip.return_date, "Denpasar"),
        ],
        actual_return_date=trip.return_date,
        by=personas["pegawai"],
    )
    stops = list(SppdStop.objects.filter(sppd=sppd).order_by("order"))
    assert [(s.order, s.place, s.officer_name) for s in stops] == [
        (0, "Kantor Bupati Buleleng", "I Ketut Budi"),
        (1, "Kantor Bupati Jembrana", ""),
    ]
    assert all(s.recorded_by == personas["pegawai"] and s.recorded_at for s in stops)
    sppd.refresh_from_db()
    assert sppd.actual_return_date == trip.return_date
    assert AuditEvent.objects.filter(action="travel.sppd.visum_recorded", target_id=str(sppd.pk)).exists()


def test_visum_initial_rows_come_from_the_spt_destinations(personas):
    _trip, (sppd, _) = make_trip(personas)
    rows = posttrip.sppd_stops_initial(sppd)
    assert [(r["place"], r["departed_to"]) for r in rows] == [
        ("Kantor Bupati Buleleng", "Kantor Bupati Jembrana"),
        ("Kantor Bupati Jembrana", "Denpasar"),
    ]


@pytest.mark.parametrize(
    ("rows", "index", "field", "fragment"),
    [
        # departure before arrival
        (lambda d: [stop("Singaraja", d(1), d(0))], 0, "departed_on", "sebelum tanggal tiba"),
        # far before the trip
        (lambda d: [stop("Singaraja", d(-5), d(0))], 0, "arrived_on", "di antara"),
        # in the future
        (lambda d: [stop("Singaraja", d(0), d(30))], 0, "departed_on", "melewati hari ini"),
        # second stop earlier than the first
        (lambda d: [stop("Singaraja", d(1), d(2)), stop("Negara", d(0), d(2))], 1, "arrived_on", "runtut"),
        # a block with dates but no place
        (lambda d: [stop("", d(0), d(1))], 0, "place", "nama tempat"),
    ],
)
def test_visum_validation_names_the_field(personas, rows, index, field, fragment):
    trip, (sppd, _) = make_trip(personas)

    def d(n):
        return trip.depart_date + dt.timedelta(days=n)

    with pytest.raises(PostTripError) as exc:
        posttrip.sppd_stops_save(sppd, stops=rows(d), actual_return_date=None, by=personas["pegawai"])
    assert (exc.value.index, exc.value.field) == (index, field)
    assert fragment in exc.value.message
    assert not SppdStop.objects.filter(sppd=sppd).exists()


def test_actual_return_before_last_stop_is_refused(personas):
    trip, (sppd, _) = make_trip(personas)
    d0 = trip.depart_date
    with pytest.raises(PostTripError) as exc:
        posttrip.sppd_stops_save(
            sppd,
            stops=[stop("Singaraja", d0, d0 + dt.timedelta(days=2))],
            actual_return_date=d0 + dt.timedelta(days=1),
            by=personas["pegawai"],
        )
    assert exc.value.field == "actual_return_date"


def test_visum_waits_for_the_trip_to_start_and_belongs_to_the_traveller(personas):
    trip, (sppd, honorer_sppd) = make_trip(personas, status=S.NUMBERED, depart=today() + dt.timedelta(days=5))
    with pytest.raises(PostTripError, match="setelah perjalanan dinas dimulai"):
        posttrip.sppd_stops_save(sppd, stops=[], actual_return_date=None, by=personas["pegawai"])
    trip.depart_date = trip.return_date = today()
    trip.save()
    posttrip.sppd_stops_save(
        sppd, stops=[stop("Singaraja", today())], actual_return_date=None, by=personas["pegawai"]
    )
    with pytest.raises(PostTripError, match="Hanya pelaksana"):
        posttrip.sppd_stops_save(honorer_sppd, stops=[], actual_return_date=None, by=personas["pegawai"])
    # The travel operator records for anyone.
    posttrip.sppd_stops_save(
        honorer_sppd, stops=[stop("Singaraja", today())], actual_return_date=None, by=personas["perjalanan"]
    )


def test_early_return_pays_fewer_days(personas):
    trip, (sppd, _) = make_trip(personas, days=3)
    assert lines_by_kind(sppd)["uang_harian"][0]["quantity"] == 3
    posttrip.sppd_stops_save(
        sppd, stops=[], actual_return_date=trip.depart_date + dt.timedelta(days=1), by=personas["pegawai"]
    )
    sppd.refresh_from_db()
    assert lines_by_kind(sppd)["uang_harian"][0]["quantity"] == 2
    assert sppd.lump_sum_total == Decimal("960000.00")


# --- Cost sheet --------------------------------------------------------------------------------------------
def test_recompute_uses_the_frozen_rates_after_the_tables_change(personas):
    seed_default_rates()
    trip, _ = make_trip(personas, members=("pegawai",))
    sheet = compute_costs(
        travel_type=trip.travel_type,
        days=trip.days,
        destination_province_code="51",
        tier="E",
        on=trip.depart_date,
        representation=True,
    )
    member = trip.members.get()
    Sppd.objects.filter(member=member).delete()
    sppd = Sppd.objects.create(
        member=member, number="X/1", cost_tier="E", rates_on=trip.depart_date, **sheet.snapshot()
    )
    sppd = posttrip.sppd_no_hotel_set(sppd, no_hotel=True, by=personas["pegawai"])
    expense(sppd, personas["pegawai"], kind=K.LODGING, quantity=1, amount=Decimal("2000000"), has_receipt=True,
            receipt=SimpleUploadedFile("hotel.pdf", PDF))  # fmt: skip
    before = Sppd.objects.get(pk=sppd.pk)
    # The Administrator edits the rows in force and adds a newer row valid on the departure date.
    DailyAllowanceRate.objects.filter(province_id="51").update(amount=Decimal("999000"))
    LodgingCeiling.objects.filter(province_id="51").update(amount=Decimal("5000000"))
    DailyAllowanceRate.objects.create(
        province=Region.objects.get(code="51"),
        travel_type=TravelType.LUAR_KOTA,
        amount=Decimal("777000"),
        berlaku_mulai=trip.depart_date - dt.timedelta(days=1),
        dasar_hukum="Pergub baru",
    )
    after = posttrip.sppd_recompute(sppd)
    assert (after.lump_sum_total, after.at_cost_total, after.total) == (
        before.lump_sum_total,
        before.at_cost_total,
        before.total,
    )
    assert after.cost_lines == before.cost_lines
    assert lines_by_kind(after)["uang_harian"][0]["unit_amount"] == "480000.00"
    assert lines_by_kind(after)["penginapan"][0]["amount"] == "1100000.00"  # the frozen ceiling


@pytest.mark.parametrize(
    ("nights", "claimed", "paid"),
    [
        (1, "1500000", "1100000.00"),
        (1, "900000", "900000.00"),
        (2, "2300000", "2200000.00"),
        (2, "2000000", "2000000.00"),
    ],
)
def test_hotel_bill_is_capped_at_the_frozen_ceiling_per_night(personas, nights, claimed, paid):
    _trip, (sppd, _) = make_trip(personas, days=3)
    expense(sppd, personas["pegawai"], kind=K.LODGING, description="Hotel", quantity=nights,
            amount=Decimal(claimed), has_receipt=True, receipt=SimpleUploadedFile("bill.pdf", PDF))  # fmt: skip
    line = lines_by_kind(sppd)["penginapan"][0]
    assert line["amount"] == paid and line["claimed"] == f"{claimed}.00"
    assert line["capped"] is (Decimal(paid) < Decimal(claimed))
    sppd.refresh_from_db()
    assert sppd.at_cost_total == Decimal(paid)
    assert sppd.total == Decimal("1440000") + Decimal(paid)


@pytest.mark.parametrize(
    ("rule", "no_hotel", "expected"),
    [(True, True, Decimal("660000")), (True, False, None), (False, True, None), (False, False, None)],
)
def test_no_hotel_thirty_percent_rule_on_and_off(personas, settings, rule, no_hotel, expected):
    settings.TRAVEL_NO_HOTEL_RULE = rule
    _trip, (sppd, _) = make_trip(personas, days=3)  # 2 nights, ceiling 1.100.000
    sppd = posttrip.sppd_no_hotel_set(sppd, no_hotel=no_hotel, by=personas["pegawai"])
    lines = lines_by_kind(sppd)
    if expected is None:
        assert "penginapan_30" not in lines
        assert sppd.lump_sum_total == Decimal("1440000")
    else:
        (line,) = lines["penginapan_30"]
        assert (line["basis"], line["quantity"], line["unit_amount"]) == ("lump_sum", 2, "330000.00")
        assert sppd.lump_sum_total == Decimal("1440000") + expected


def test_thirty_percent_only_for_nights_without_a_hotel_bill(personas):
    _trip, (sppd, _) = make_trip(personas, days=4)  # 3 nights
    posttrip.sppd_no_hotel_set(sppd, no_hotel=True, by=personas["pegawai"])
    expense(sppd, personas["pegawai"], kind=K.LODGING, quantity=1, amount=Decimal("800000"), has_receipt=True,
            receipt=SimpleUploadedFile("bill.pdf", PDF))  # fmt: skip
    assert lines_by_kind(sppd)["penginapan_30"][0]["quantity"] == 2


def test_expense_without_receipt_goes_on_the_dpr_and_lump_sum_stays_apart(personas):
    _trip, (sppd, _) = make_trip(personas)
    taxi = expense(sppd, personas["pegawai"], description="Taksi bandara", amount=Decimal("175000"))
    ticket = expense(sppd, personas["pegawai"], description="Tiket pesawat", amount=Decimal("1250000"),
                     has_receipt=True, receipt=SimpleUploadedFile("tiket.pdf", PDF))  # fmt: skip
    assert list(posttrip.sppd_dpr_expenses(sppd)) == [taxi]
    sppd.refresh_from_db()
    summary = posttrip.sppd_cost_summary(sppd)
    assert summary.dpr_total == Decimal("175000")
    assert [line["label"] for line in summary.lump_sum_lines] == ["Uang harian"]
    assert {line["expense_id"] for line in summary.at_cost_lines} == {taxi.pk, ticket.pk}
    assert (sppd.lump_sum_total, sppd.at_cost_total, sppd.total) == (
        Decimal("1440000"),
        Decimal("1425000"),
        Decimal("2865000"),
    )
    # Turning the receipt off moves the ticket to the DPR and removes its stored file.
    posttrip.expense_save(sppd, by=personas["pegawai"], expense=ticket, data={
        "kind": K.TRANSPORT, "description": "Tiket pesawat", "quantity": 1, "amount": Decimal("1250000"),
        "has_receipt": False})  # fmt: skip
    ticket.refresh_from_db()
    assert not ticket.receipt and set(posttrip.sppd_dpr_expenses(sppd)) == {taxi, ticket}


def test_money_is_exact_decimal_and_floats_are_refused(personas):
    _trip, (sppd, _) = make_trip(personas, daily="0")
    for _i in range(10):
        expense(sppd, personas["pegawai"], amount=Decimal("33333"))
    sppd.refresh_from_db()
    assert sppd.at_cost_total == Decimal("333330.00") and isinstance(sppd.total, Decimal)
    assert all(isinstance(line["amount"], str) for line in sppd.cost_lines)
    with pytest.raises(PostTripError) as exc:
        expense(sppd, personas["pegawai"], amount=0.1)
    assert exc.value.field == "amount"
    with pytest.raises(PostTripError, match="tanpa sen"):
        expense(sppd, personas["pegawai"], amount=Decimal("1000.50"))
    assert TripExpense.objects.filter(sppd=sppd).count() == 10


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"has_receipt": True}, "receipt"),  # receipt ticked, nothing uploaded
        ({"kind": K.LODGING, "quantity": 1, "has_receipt": False}, "has_receipt"),
        ({"kind": K.LODGING, "quantity": 3, "has_receipt": True, "receipt": "pdf"}, "quantity"),  # 2 nights
        ({"amount": Decimal("0")}, "amount"),
        ({"description": "  "}, "description"),
        ({"spent_on": "future"}, "spent_on"),
        ({"has_receipt": True, "receipt": "exe"}, "receipt"),
    ],
)
def test_expense_rules_name_the_field(personas, data, field):
    _trip, (sppd, _) = make_trip(personas, days=3)
    if data.get("receipt") == "pdf":
        data["receipt"] = SimpleUploadedFile("bill.pdf", PDF)
    elif data.get("receipt") == "exe":
        data["receipt"] = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf")
    if data.get("spent_on") == "future":
        data["spent_on"] = today() + dt.timedelta(days=1)
    with pytest.raises(PostTripError) as exc:
        expense(sppd, personas["pegawai"], **data)
    assert exc.value.field == field
    assert not TripExpense.objects.filter(sppd=sppd).exists()


def test_lodging_is_refused_for_a_same_day_trip(personas):
    _trip, (sppd, _) = make_trip(personas, days=1, travel_type=TravelType.DALAM_KOTA_LEBIH_8_JAM)
    with pytest.raises(PostTripError) as exc:
        expense(
            sppd,
            personas["pegawai"],
            kind=K.LODGING,
            has_receipt=True,
            receipt=SimpleUploadedFile("b.pdf", PDF),
        )
    assert exc.value.field == "kind"


def test_receipt_photo_is_stored_without_exif(personas):
    _trip, (sppd, _) = make_trip(personas)
    item = expense(sppd, personas["pegawai"], has_receipt=True,
                   receipt=SimpleUploadedFile("struk.jpg", jpeg_with_exif(), content_type="image/jpeg"))  # fmt: skip
    with item.receipt.open("rb") as fh:
        stored = fh.read()
    assert not Image.open(io.BytesIO(stored)).getexif()
    assert b"Ni Made Ayu Kartika" not in stored and b"KameraMerek" not in stored


def test_only_the_traveller_or_operator_enters_expenses(personas):
    _trip, (sppd, _) = make_trip(personas)
    for name in ("honorer", "atasan", "bendahara"):
        with pytest.raises(PostTripError, match="Hanya pelaksana"):
            expense(sppd, personas[name])
    expense(sppd, personas["perjalanan"])


def test_deleting_an_expense_recomputes(personas):
    _trip, (sppd, _) = make_trip(personas)
    item = expense(sppd, personas["pegawai"], amount=Decimal("200000"))
    posttrip.expense_delete(item, by=personas["pegawai"])
    sppd.refresh_from_db()
    assert sppd.at_cost_total == 0 and sppd.total == Decimal("1440000")


# --- Advance, payment, settlement -----------------------------------------------------------------------
def test_advance_gives_the_balance_to_pay_or_to_return(personas):
    _trip, (sppd, _) = make_trip(personas)  # total 1.440.000
    sppd = posttrip.sppd_advance_set(sppd, amount=Decimal("1000000"), by=personas["bendahara"])
    summary = posttrip.sppd_cost_summary(sppd)
    assert (summary.to_pay, summary.to_return) == (Decimal("440000.00"), Decimal("0.00"))
    sppd = posttrip.sppd_advance_set(sppd, amount=Decimal("2000000"), by=personas["bendahara"])
    summary = posttrip.sppd_cost_summary(sppd)
    assert (summary.to_pay, summary.to_return) == (Decimal("0.00"), Decimal("560000.00"))
    with pytest.raises(PostTripError, match="bendahara"):
        posttrip.sppd_advance_set(sppd, amount=Decimal("1"), by=personas["pegawai"])
    with pytest.raises(PostTripError):
        posttrip.sppd_advance_set(sppd, amount=Decimal("-5"), by=personas["bendahara"])


def test_payment_waits_for_the_return_and_freezes_the_sppd(personas):
    trip, (sppd, _) = make_trip(personas, status=S.NUMBERED, depart=today() + dt.timedelta(days=3))
    with pytest.raises(PostTripError, match="setelah pelaksana kembali"):
        posttrip.sppd_mark_paid(sppd, by=personas["bendahara"])
    Trip.objects.filter(pk=trip.pk).update(
        status=S.RETURNED,
        depart_date=today() - dt.timedelta(days=5),
        return_date=today() - dt.timedelta(days=3),
    )
    sppd = posttrip.sppd_mark_paid(sppd, by=personas["bendahara"])
    assert sppd.paid_at and sppd.paid_by == personas["bendahara"]
    with pytest.raises(PostTripError, match="sudah dibayar"):
        expense(sppd, personas["pegawai"])
    with pytest.raises(PostTripError, match="sudah dibayar"):
        posttrip.sppd_recompute(sppd)
    posttrip.sppd_payment_undo(sppd, by=personas["bendahara"])
    expense(sppd, personas["pegawai"])


def test_trip_settles_once_every_sppd_is_paid_and_the_report_is_filed(personas):
    trip, (first, second) = make_trip(personas)
    with pytest.raises(PostTripError):
        posttrip.trip_settle(trip, by=personas["bendahara"])
    posttrip.sppd_mark_paid(first, by=personas["bendahara"])
    posttrip.trip_report_save(trip, by=personas["pegawai"], data=REPORT)
    trip.refresh_from_db()
    assert trip.status == S.REPORTED
    posttrip.sppd_mark_paid(second, by=personas["bendahara"])
    trip.refresh_from_db()
    assert trip.status == S.SETTLED
    assert AuditEvent.objects.filter(action="travel.trip.settled", target_id=str(trip.pk)).exists()
    with pytest.raises(PostTripError):
        posttrip.sppd_payment_undo(second, by=personas["bendahara"])


def test_filing_the_report_last_settles_a_paid_trip(personas):
    trip, sppds = make_trip(personas)
    for sppd in sppds:
        posttrip.sppd_mark_paid(sppd, by=personas["ppk"])
    posttrip.trip_report_save(trip, by=personas["pegawai"], data=REPORT)
    trip.refresh_from_db()
    assert trip.status == S.SETTLED


# --- Trip report --------------------------------------------------------------------------------------
REPORT = {
    "background": "Undangan rapat koordinasi aset dari Pemkab Buleleng.",
    "activities": "Mengikuti rapat dan meninjau gudang.",
    "results": "Daftar aset yang perlu dihapus disepakati.",
    "follow_up": "Menyusun usulan penghapusan.",
}


def test_only_the_lead_files_the_report_and_only_after_return(personas):
    trip, _ = make_trip(personas, status=S.TRAVELLING, depart=today() - dt.timedelta(days=1))
    with pytest.raises(PostTripError, match="setelah perjalanan dinas selesai"):
        posttrip.trip_report_save(trip, by=personas["pegawai"], data=REPORT)
    Trip.objects.filter(pk=trip.pk).update(status=S.RETURNED, return_date=today() - dt.timedelta(days=1))
    trip.refresh_from_db()
    for name in ("honorer", "atasan", "luar"):
        with pytest.raises(PostTripError, match="ketua rombongan"):
            posttrip.trip_report_save(trip, by=personas[name], data=REPORT)
    with pytest.raises(PostTripError) as exc:
        posttrip.trip_report_save(trip, by=personas["pegawai"], data=REPORT | {"results": " "})
    assert exc.value.field == "results"
    report = posttrip.trip_report_save(trip, by=personas["pegawai"], data=REPORT)
    trip.refresh_from_db()
    assert trip.status == S.REPORTED and report.filed_at and report.filed_by == personas["pegawai"]
    assert trip.report_due_date is not None
    # The supervisor is asked to acknowledge it.
    note = Notification.objects.get(recipient=personas["atasan"], category="travel_report")
    assert note.url == reverse("travel:report_acknowledge", args=[trip.pk])
    assert "Laporan perjalanan dinas" in note.title


def test_report_photos_are_stored_without_exif_and_pdfs_as_attachments(personas):
    trip, _ = make_trip(personas)
    report = posttrip.trip_report_save(
        trip,
        by=personas["pegawai"],
        data=REPORT,
        photos=[SimpleUploadedFile("rapat.jpg", jpeg_with_exif(), content_type="image/jpeg")],
        attachments=[SimpleUploadedFile("daftar-hadir.pdf", PDF)],
    )
    photo = report.files.get(kind=TripReportFile.Kind.PHOTO)
    with photo.file.open("rb") as fh:
        stored = fh.read()
    assert not Image.open(io.BytesIO(stored)).getexif()
    assert b"Ni Made Ayu Kartika" not in stored
    assert photo.caption == "rapat.jpg"
    assert report.files.get(kind=TripReportFile.Kind.ATTACHMENT).file.name.endswith(".pdf")


def test_a_bad_file_leaves_nothing_half_saved(personas):
    trip, _ = make_trip(personas)
    with pytest.raises(PostTripError) as exc:
        posttrip.trip_report_save(
            trip,
            by=personas["pegawai"],
            data=REPORT,
            photos=[SimpleUploadedFile("a.jpg", jpeg_with_exif()), SimpleUploadedFile("b.jpg", PDF)],
        )
    assert exc.value.field == "photos" and "b.jpg" in exc.value.message
    assert not TripReport.objects.filter(trip=trip).exists()
    trip.refresh_from_db()
    assert trip.status == S.RETURNED


def test_only_the_leads_supervisor_acknowledges(personas):
    trip, _ = make_trip(personas)
    report = posttrip.trip_report_save(trip, by=personas["pegawai"], data=REPORT)
    for name in ("pegawai", "pimpinan", "perjalanan", "luar"):
        with pytest.raises(PostTripError, match="atasan langsung"):
            posttrip.trip_report_acknowledge(report, by=personas[name])
    report = posttrip.trip_report_acknowledge(report, by=personas["atasan"], note="Baik, lanjutkan.")
    assert report.acknowledged_by == personas["atasan"] and report.acknowledgement_note == "Baik, lanjutkan."
    assert Notification.objects.filter(recipient=personas["pegawai"], kind="approval_decision").exists()
    with pytest.raises(PostTripError, match="sudah diterima"):
        posttrip.trip_report_acknowledge(report, by=personas["atasan"])
    with pytest.raises(PostTripError, match="sudah diterima"):
        posttrip.trip_report_save(trip, by=personas["pegawai"], data=REPORT)
    assert posttrip.reports_to_acknowledge_for(personas["atasan"]) == []


def test_supervisor_sees_reports_waiting_and_lead_sees_reports_due(personas):
    trip, _ = make_trip(personas)
    counters = {c.key: n for c, n in pending_for(personas["pegawai"])}
    assert counters["travel_reports_due"] == 1
    assert list(posttrip.reports_due_for(personas["honorer"])) == []  # not the lead
    report = posttrip.trip_report_save(trip, by=personas["pegawai"], data=REPORT)
    assert posttrip.reports_due_count(personas["pegawai"]) == 0
    assert posttrip.reports_to_acknowledge_for(personas["atasan"]) == [report]
    assert posttrip.reports_to_acknowledge_for(personas["pimpinan"]) == []
    assert {c.key: n for c, n in pending_for(personas["atasan"])}["travel_reports_to_acknowledge"] == 1


# --- Due date and reminders --------------------------------------------------------------------------
def _free_week(start: dt.date) -> dt.date:
    """The first Friday on or after ``start`` with no calendar entries in the following three weeks."""
    day = start + dt.timedelta(days=(4 - start.weekday()) % 7)
    while CalendarDay.objects.filter(date__range=(day, day + dt.timedelta(days=21))).exists():
        day += dt.timedelta(days=7)
    return day


def test_report_due_date_counts_working_days_over_weekends_and_holidays(personas, settings):
    friday = _free_week(dt.date(2031, 3, 7))
    trip, _ = make_trip(personas, depart=friday - dt.timedelta(days=2), days=3)  # returns on a Friday
    assert trip.return_date == friday
    # Mon..Fri of the next week are the 5 working days.
    assert posttrip.trip_report_due(trip) == friday + dt.timedelta(days=7)
    CalendarDay.objects.create(date=friday + dt.timedelta(days=5), kind=CalendarDay.Kind.LIBUR_NASIONAL,
                               name="Libur uji", is_day_off=True)  # fmt: skip
    assert posttrip.trip_report_due(trip) == friday + dt.timedelta(days=10)  # the Monday after
    settings.TRAVEL_REPORT_DUE_WORKING_DAYS = 1
    assert posttrip.trip_report_due(trip, save=True) == friday + dt.timedelta(days=3)
    trip.refresh_from_db()
    assert trip.report_due_date == friday + dt.timedelta(days=3)


def test_overdue_reminder_is_sent_once_a_day_until_the_report_is_filed(
    personas, django_capture_on_commit_callbacks
):
    personas["pegawai"].email = "ayu.kartika@example.test"
    personas["pegawai"].save(update_fields=["email"])
    trip, _ = make_trip(personas, depart=today() - dt.timedelta(days=30))
    assert trip.report_due_date is None
    with django_capture_on_commit_callbacks(execute=True):
        assert report_overdue_reminders(today().isoformat()) == 1
    trip.refresh_from_db()
    assert trip.report_due_date is not None and trip.report_due_date < today()  # filled in on the way
    note = Notification.objects.get(kind=posttrip.OVERDUE_KIND)
    assert note.recipient == personas["pegawai"] and note.url == reverse("travel:report_edit", args=[trip.pk])
    assert trip.spt_number in note.title
    (message,) = mail.outbox
    assert "terlambat" in message.subject and message.to == ["ayu.kartika@example.test"]
    assert trip.spt_number in message.body
    assert posttrip.report_reminders_send() == 0  # same day: nothing more
    with time_machine.travel(morning(1), tick=False):
        assert posttrip.report_reminders_send() == 1  # next day: again
        assert posttrip.report_reminders_send() == 0
        posttrip.trip_report_save(trip, by=personas["pegawai"], data=REPORT)
    with time_machine.travel(morning(2), tick=False):
        assert posttrip.report_reminders_send() == 0
    assert Notification.objects.filter(kind=posttrip.OVERDUE_KIND).count() == 2


def test_trips_not_yet_due_get_no_reminder(personas):
    make_trip(personas, depart=today() - dt.timedelta(days=3), days=2)  # back yesterday
    assert list(posttrip.reports_overdue(today())) == []
    assert posttrip.report_reminders_send(today()) == 0


# --- Views --------------------------------------------------------------------------------------------
def test_traveller_adds_an_expense_with_a_receipt_through_the_form(personas, client_as):
    _trip, (sppd, _) = make_trip(personas)
    client = client_as("pegawai")
    response = client.post(
        reverse("travel:expense_add", args=[sppd.pk]),
        {
            "kind": K.TRANSPORT,
            "description": "Tiket bus",
            "quantity": "1",
            "amount": "Rp 1.250.000",
            "spent_on": sppd.member.trip.depart_date.isoformat(),
            "has_receipt": "on",
            "receipt": SimpleUploadedFile("tiket.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    item = TripExpense.objects.get(sppd=sppd)
    assert item.amount == Decimal("1250000") and item.receipt
    sppd.refresh_from_db()
    assert sppd.total == Decimal("2690000")
    page = client.get(reverse("travel:sppd_costs", args=[sppd.pk])).content.decode()
    assert "Tiket bus" in page and "Rp2.690.000" in page.replace("\xa0", "")
    receipt = client.get(reverse("travel:expense_receipt", args=[item.pk]))
    assert receipt.status_code == 200 and b"".join(receipt.streaming_content).startswith(b"%PDF")


def test_expense_form_shows_the_rule_next_to_the_field(personas, client_as):
    _trip, (sppd, _) = make_trip(personas)
    response = client_as("pegawai").post(
        reverse("travel:expense_add", args=[sppd.pk]),
        {"kind": K.LODGING, "description": "Hotel", "quantity": "1", "amount": "800000"},
    )
    assert response.status_code == 200
    assert "bill hotel" in response.context["form"].errors["has_receipt"][0]
    assert not TripExpense.objects.exists()


def test_visum_form_errors_land_on_the_row(personas, client_as):
    trip, (sppd, _) = make_trip(personas)
    d0 = trip.depart_date
    data = {"stops-TOTAL_FORMS": "3", "stops-INITIAL_FORMS": "0"}
    data |= {"stops-0-place": "Singaraja", "stops-0-arrived_on": str(d0 + dt.timedelta(days=1)),
             "stops-0-departed_on": str(d0)}  # fmt: skip
    response = client_as("pegawai").post(reverse("travel:sppd_visum", args=[sppd.pk]), data)
    assert response.status_code == 200
    assert "sebelum tanggal tiba" in response.context["formset"].forms[0].errors["departed_on"][0]
    data["stops-0-departed_on"] = str(d0 + dt.timedelta(days=2))
    response = client_as("pegawai").post(reverse("travel:sppd_visum", args=[sppd.pk]), data)
    assert response.status_code == 302
    assert SppdStop.objects.get(sppd=sppd).departed_on == d0 + dt.timedelta(days=2)


def test_report_form_takes_several_photos(personas, client_as):
    trip, _ = make_trip(personas)
    photos = [
        SimpleUploadedFile(f"foto{i}.jpg", jpeg_with_exif(), content_type="image/jpeg") for i in range(3)
    ]
    response = client_as("pegawai").post(
        reverse("travel:report_edit", args=[trip.pk]), REPORT | {"photos": photos}
    )
    assert response.status_code == 302
    report = TripReport.objects.get(trip=trip)
    assert report.files.filter(kind=TripReportFile.Kind.PHOTO).count() == 3
    page = client_as("atasan").get(reverse("travel:report_detail", args=[trip.pk])).content.decode()
    assert REPORT["results"] in page and "Terima laporan" in page
    assert (
        client_as("atasan")
        .post(reverse("travel:report_acknowledge", args=[trip.pk]), {"note": "OK"})
        .status_code
        == 302
    )
    report.refresh_from_db()
    assert report.acknowledged_at


def test_treasurer_records_advance_and_payment_through_the_pages(personas, client_as):
    _trip, (sppd, _) = make_trip(personas)
    client = client_as("bendahara")
    assert (
        client.post(reverse("travel:sppd_advance", args=[sppd.pk]), {"amount": "1.000.000"}).status_code
        == 302
    )
    assert client.post(reverse("travel:sppd_pay", args=[sppd.pk])).status_code == 302
    sppd.refresh_from_db()
    assert sppd.advance == Decimal("1000000") and sppd.paid_at
    page = client.get(reverse("travel:sppd_costs", args=[sppd.pk])).content.decode().replace("\xa0", "")
    assert "Rp440.000" in page and "Dibayar" in page


def test_panel_shows_balances_and_an_overdue_report_in_red(personas, client_as):
    trip, (sppd, _) = make_trip(personas, depart=today() - dt.timedelta(days=30))
    posttrip.sppd_advance_set(sppd, amount=Decimal("2000000"), by=personas["bendahara"])
    url = reverse("travel:posttrip_summary", args=[trip.pk])
    response = client_as("pegawai").get(url, HTTP_HX_REQUEST="true")
    body = response.content.decode().replace("\xa0", "")
    assert "<html" not in body  # the htmx fragment
    assert "Rp1.440.000" in body and "Dikembalikan" in body and "Rp560.000" in body
    assert 'text-danger fw-semibold" data-testid="report-due"' in body and "Terlambat" in body
    assert "Isi laporan" in body
    full = client_as("atasan").get(url).content.decode()
    assert "<html" in full and "Isi laporan" not in full


def test_cost_page_query_count_does_not_grow_with_expenses(
    personas, client_as, django_assert_max_num_queries
):
    _trip, (sppd, _) = make_trip(personas)
    client = client_as("pegawai")
    url = reverse("travel:sppd_costs", args=[sppd.pk])
    client.get(url)
    expense(sppd, personas["pegawai"])
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for _i in range(10):
        expense(sppd, personas["pegawai"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_home_page_shows_the_report_counters(personas, client_as):
    trip, _ = make_trip(personas)
    assert (
        "Laporan perjalanan dinas yang harus dibuat"
        in client_as("pegawai").get(reverse("home")).content.decode()
    )
    posttrip.trip_report_save(trip, by=personas["pegawai"], data=REPORT)
    assert (
        "Laporan perjalanan dinas menunggu diterima"
        in client_as("atasan").get(reverse("home")).content.decode()
    )
    assert "Laporan perjalanan dinas" not in client_as("luar").get(reverse("home")).content.decode()


def test_trip_detail_panel_include_links_to_the_post_trip_pages(personas):
    trip, sppds = make_trip(personas)
    html = render_to_string(
        "travel/partials/posttrip_panel.html", {"trip": trip, "sppds": sppds, "can_manage": False}
    )
    assert f'hx-get="{reverse("travel:posttrip_summary", args=[trip.pk])}"' in html
    assert reverse("travel:sppd_costs", args=[sppds[0].pk]) in html
    assert reverse("travel:report_detail", args=[trip.pk]) in html
    Trip.objects.filter(pk=trip.pk).update(status=S.DRAFT)
    trip.refresh_from_db()
    assert "posttrip-panel" not in render_to_string(
        "travel/partials/posttrip_panel.html", {"trip": trip, "sppds": [], "can_manage": False}
    )
