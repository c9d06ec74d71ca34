"""Permission-matrix rows of the post-trip pages (see tests/test_permissions.py): visum, expenses and
receipts, advance and payment, trip report, acknowledgement, report files and the to-do lists.

``make_objects`` builds, with the ORM only, a trip of pegawai (lead) and honorer that came back a week
ago, with an expense with a receipt on pegawai's SPPD and a filed, not yet acknowledged report with a
photo. atasan heads their Subbagian (the supervisor); luar works in another Biro.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from travel.models import (
    Sppd,
    TravelType,
    Trip,
    TripDestination,
    TripExpense,
    TripMember,
    TripReport,
    TripReportFile,
)

T = {"pk": "@pt_trip"}
S = {"pk": "@pt_sppd"}
E = {"pk": "@pt_expense"}
F = {"pk": "@pt_file"}
ANON = "anon"

ROWS = [
    # The panel content: whoever sees the trip.
    *[
        ("travel:posttrip_summary", T, "get", p, 200)
        for p in ("pegawai", "honorer", "atasan", "perjalanan", "bendahara")
    ],
    ("travel:posttrip_summary", T, "get", "luar", 404),
    ("travel:posttrip_summary", T, "get", ANON, 302),
    # Visum: the traveller of this SPPD or the operator.
    ("travel:sppd_visum", S, "get", "pegawai", 200),
    ("travel:sppd_visum", S, "get", "perjalanan", 200),
    ("travel:sppd_visum", S, "get", "honorer", 403),
    ("travel:sppd_visum", S, "get", "atasan", 403),
    ("travel:sppd_visum", S, "get", "bendahara", 403),
    ("travel:sppd_visum", S, "get", "luar", 404),
    ("travel:sppd_visum", S, "get", ANON, 302),
    # Cost page: whoever sees the trip.
    *[
        ("travel:sppd_costs", S, "get", p, 200)
        for p in ("pegawai", "honorer", "atasan", "perjalanan", "bendahara", "ppk")
    ],
    ("travel:sppd_costs", S, "get", "luar", 404),
    ("travel:sppd_costs", S, "get", ANON, 302),
    ("travel:sppd_costs", {"pk": 999999}, "get", "perjalanan", 404),
    ("travel:expense_add", S, "get", "pegawai", 200),
    ("travel:expense_add", S, "get", "perjalanan", 200),
    ("travel:expense_add", S, "get", "honorer", 403),
    ("travel:expense_add", S, "get", "atasan", 403),
    ("travel:expense_add", S, "get", "bendahara", 403),
    ("travel:expense_add", S, "get", "luar", 404),
    ("travel:expense_add", S, "get", ANON, 302),
    ("travel:expense_edit", E, "get", "pegawai", 200),
    ("travel:expense_edit", E, "get", "perjalanan", 200),
    ("travel:expense_edit", E, "get", "honorer", 403),
    ("travel:expense_edit", E, "get", "atasan", 403),
    ("travel:expense_edit", E, "get", "luar", 404),
    ("travel:expense_edit", E, "get", ANON, 302),
    ("travel:expense_delete", E, "get", "pegawai", 200),
    ("travel:expense_delete", E, "get", "atasan", 403),
    ("travel:expense_delete", E, "post", "atasan", 403),
    ("travel:expense_delete", E, "get", "luar", 404),
    ("travel:expense_delete", E, "get", ANON, 302),
    ("travel:expense_receipt", E, "get", "pegawai", 200),
    ("travel:expense_receipt", E, "get", "atasan", 200),
    ("travel:expense_receipt", E, "get", "bendahara", 200),
    ("travel:expense_receipt", E, "get", "luar", 404),
    ("travel:expense_receipt", E, "get", ANON, 302),
    ("travel:sppd_no_hotel", S, "post", "pegawai", 302),
    ("travel:sppd_no_hotel", S, "post", "atasan", 403),
    ("travel:sppd_no_hotel", S, "post", "luar", 404),
    ("travel:sppd_no_hotel", S, "get", "pegawai", 405),
    ("travel:sppd_no_hotel", S, "post", ANON, 302),
    # Treasurer actions (travel.pay_trip).
    ("travel:sppd_advance", S, "get", "bendahara", 200),
    ("travel:sppd_advance", S, "get", "ppk", 200),
    ("travel:sppd_advance", S, "get", "admin", 200),
    ("travel:sppd_advance", S, "get", "pegawai", 403),
    ("travel:sppd_advance", S, "get", "perjalanan", 403),
    ("travel:sppd_advance", S, "get", "luar", 403),
    ("travel:sppd_advance", S, "get", ANON, 302),
    ("travel:sppd_pay", S, "post", "bendahara", 302),
    ("travel:sppd_pay", S, "post", "pegawai", 403),
    ("travel:sppd_pay", S, "post", "atasan", 403),
    ("travel:sppd_pay", S, "get", "bendahara", 405),
    ("travel:sppd_pay", S, "post", ANON, 302),
    ("travel:sppd_pay_undo", S, "post", "bendahara", 302),
    ("travel:sppd_pay_undo", S, "post", "pegawai", 403),
    ("travel:sppd_pay_undo", S, "post", ANON, 302),
    # Trip report.
    *[
        ("travel:report_detail", T, "get", p, 200)
        for p in ("pegawai", "honorer", "atasan", "perjalanan", "bendahara")
    ],
    ("travel:report_detail", T, "get", "luar", 404),
    ("travel:report_detail", T, "get", ANON, 302),
    ("travel:report_edit", T, "get", "pegawai", 200),
    ("travel:report_edit", T, "get", "perjalanan", 200),
    ("travel:report_edit", T, "get", "honorer", 403),
    ("travel:report_edit", T, "get", "atasan", 403),
    ("travel:report_edit", T, "get", "luar", 404),
    ("travel:report_edit", T, "get", ANON, 302),
    ("travel:report_acknowledge", T, "get", "atasan", 200),
    ("travel:report_acknowledge", T, "get", "pegawai", 403),
    ("travel:report_acknowledge", T, "get", "perjalanan", 403),
    ("travel:report_acknowledge", T, "post", "pegawai", 403),
    ("travel:report_acknowledge", T, "get", "luar", 404),
    ("travel:report_acknowledge", T, "get", ANON, 302),
    ("travel:report_file", F, "get", "pegawai", 200),
    ("travel:report_file", F, "get", "atasan", 200),
    ("travel:report_file", F, "get", "honorer", 200),
    ("travel:report_file", F, "get", "luar", 404),
    ("travel:report_file", F, "get", ANON, 302),
    ("travel:report_file_delete", F, "post", "pegawai", 302),
    ("travel:report_file_delete", F, "post", "atasan", 403),
    ("travel:report_file_delete", F, "post", "luar", 404),
    ("travel:report_file_delete", F, "post", ANON, 302),
    # To-do lists behind the home-page counters.
    *[("travel:reports_due", {}, "get", p, 200) for p in ("pegawai", "atasan", "luar")],
    ("travel:reports_due", {}, "get", ANON, 302),
    *[("travel:reports_to_acknowledge", {}, "get", p, 200) for p in ("atasan", "pegawai", "luar")],
    ("travel:reports_to_acknowledge", {}, "get", ANON, 302),
]


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "navy").save(out, format="PNG")
    return out.getvalue()


def make_objects(personas) -> dict:
    today = timezone.localdate()
    depart, back = today - dt.timedelta(days=10), today - dt.timedelta(days=8)
    trip = Trip.objects.create(
        unit=personas["pegawai"].employee.unit,
        purpose="Koordinasi pengelolaan aset di Kabupaten Buleleng",
        travel_type=TravelType.LUAR_KOTA,
        depart_date=depart,
        return_date=back,
        status=Trip.Status.REPORTED,
        spt_number="000.1.2.3/901/Biro Umum/2026",
        spt_date=depart - dt.timedelta(days=3),
        report_due_date=today + dt.timedelta(days=1),
        created_by=personas["perjalanan"],
    )
    TripDestination.objects.create(trip=trip, order=0, place="Kantor Bupati Buleleng")
    sppds = []
    for order, name in enumerate(("pegawai", "honorer")):
        member = TripMember.objects.create(
            trip=trip, employee=personas[name].employee, order=order, is_lead=order == 0
        )
        sppds.append(
            Sppd.objects.create(
                member=member,
                number=f"000.1.2.3/{950 + order}/Biro Umum/2026",
                cost_tier="E",
                rates_on=depart,
                daily_rate=Decimal("480000"),
                lodging_ceiling=Decimal("1100000"),
                lump_sum_total=Decimal("1440000"),
                total=Decimal("1440000"),
            )
        )
    expense = TripExpense.objects.create(
        sppd=sppds[0],
        kind=TripExpense.Kind.TRANSPORT,
        description="Tiket bus Denpasar–Singaraja",
        amount=Decimal("150000"),
        has_receipt=True,
        spent_on=depart,
        created_by=personas["pegawai"],
    )
    expense.receipt.save("bukti.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    report = TripReport.objects.create(
        trip=trip,
        background="Undangan rapat koordinasi.",
        activities="Rapat koordinasi aset.",
        results="Data aset diperbarui.",
        filed_by=personas["pegawai"],
        filed_at=timezone.now(),
    )
    photo = TripReportFile(report=report, kind=TripReportFile.Kind.PHOTO, caption="rapat.png")
    photo.file.save("rapat.png", ContentFile(_png()), save=False)
    photo.save()
    return {"@pt_trip": trip.pk, "@pt_sppd": sppds[0].pk, "@pt_expense": expense.pk, "@pt_file": photo.pk}
