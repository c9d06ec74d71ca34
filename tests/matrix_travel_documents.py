"""Permission-matrix rows of the official travel PDFs and the public verification page
(see tests/test_permissions.py), and ``build_numbered_trip``: a numbered SPT built with the ORM only,
shared by tests/travel/test_documents.py and tests/situok/test_verification.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from situok.regions import Region
from situok.verification import seal_for
from travel.models import (
    BudgetLine,
    Sppd,
    SppdStop,
    TravelType,
    Trip,
    TripDestination,
    TripExpense,
    TripMember,
    TripReport,
)

SPT_NUMBER = "000.1.2.3/57/Biro Umum/2026"
DEPART = dt.date(2026, 6, 1)
RETURN = dt.date(2026, 6, 3)


def _regions() -> dict[str, Region]:
    regions = [
        Region(code="51", name="Bali", level=1),
        Region(code="51.71", name="Kota Denpasar", level=2, parent_id="51"),
        Region(code="51.08", name="Kabupaten Buleleng", level=2, parent_id="51"),
    ]
    Region.objects.bulk_create(regions, ignore_conflicts=True)
    return {r.code: r for r in regions}


def _cost_lines(days: int, daily: Decimal, transport: Decimal) -> list[dict]:
    lines = [
        {
            "kind": "uang_harian",
            "label": "Uang harian",
            "basis": "lump_sum",
            "quantity": days,
            "unit_amount": str(daily),
            "amount": str(daily * days),
        },
        {
            "kind": "transport",
            "label": "Biaya transport",
            "basis": "at_cost",
            "quantity": 1,
            "unit_amount": str(transport),
            "amount": str(transport),
        },
    ]
    return lines


def build_numbered_trip(
    personas,
    *,
    members: tuple[str, ...] = ("pegawai", "honorer"),
    number: str = SPT_NUMBER,
    status: str = Trip.Status.NUMBERED,
    daily: Decimal = Decimal("480000"),
    transport: Decimal = Decimal("350000"),
    advance: Decimal = Decimal("0"),
) -> Trip:
    """A numbered SPT to Buleleng for ``members`` (the first leads), one SPPD each with a cost snapshot
    (uang harian × days lump sum, transport at cost), signer and PPK snapshots."""
    regions = _regions()
    budget, _ = BudgetLine.objects.get_or_create(
        year=2026,
        sub_activity_code="4.01.01.2.06.0001",
        kode_rekening="5.1.02.04.01.0001",
        defaults={"name": "Belanja Perjalanan Dinas Biasa", "sub_activity_name": "Penyediaan Jasa Umum"},
    )
    lead_employee = personas[members[0]].employee
    trip = Trip.objects.create(
        unit=lead_employee.unit,
        dasar=[
            "Peraturan Gubernur Bali tentang Perjalanan Dinas",
            "Undangan Dinas Kominfo Kabupaten Buleleng Nomor 005/123/Kominfo",
        ],
        purpose="Koordinasi penyelenggaraan upacara Hari Jadi Provinsi Bali",
        travel_type=TravelType.LUAR_KOTA,
        origin=regions["51.71"],
        depart_date=DEPART,
        return_date=RETURN,
        transport=Trip.Transport.KENDARAAN_DINAS,
        budget_line=budget,
        status=status,
        spt_number=number,
        spt_date=dt.date(2026, 5, 28),
        signer=personas["pimpinan"].employee,
        signer_prefix=Trip.SignerPrefix.AN,
        signer_role="Kepala Biro Umum dan Protokol",
        signer_name="I Made Sudarsana, S.H., M.Si.",
        signer_nip="197001011995031001",
        signer_pangkat="Pembina Tingkat I (IV/b)",
        ppk=personas["ppk"].employee,
        ppk_role="Pejabat Pembuat Komitmen",
        ppk_name="I Nyoman Darmaja, S.E.",
        ppk_nip="197505052000031002",
        notes="Membawa surat tugas asli",
        created_by=personas["perjalanan"],
    )
    TripDestination.objects.create(
        trip=trip, order=0, region=regions["51.08"], place="Kantor Bupati Buleleng"
    )
    team = TripMember.objects.bulk_create(
        TripMember(trip=trip, employee=personas[name].employee, order=order, is_lead=order == 0)
        for order, name in enumerate(members)
    )
    days = trip.days
    Sppd.objects.bulk_create(
        Sppd(
            member=member,
            number=f"{number}/SPPD/{member.order + 1}" if number else "",
            cost_tier="E",
            rates_on=DEPART,
            daily_rate=daily,
            lump_sum_total=daily * days,
            at_cost_total=transport,
            total=daily * days + transport,
            advance=advance,
            cost_lines=_cost_lines(days, daily, transport),
        )
        for member in team
    )
    return trip


def lead_sppd(trip: Trip) -> Sppd:
    return Sppd.objects.select_related("member__employee__user").get(member__trip=trip, member__is_lead=True)


def add_after_trip_data(trip: Trip, personas) -> None:
    """Visum stops, expenses (one without receipt → DPR) and a filed, acknowledged report."""
    sppd = lead_sppd(trip)
    SppdStop.objects.create(
        sppd=sppd,
        order=0,
        place="Singaraja",
        arrived_on=DEPART,
        departed_on=RETURN,
        departed_to="Denpasar",
        officer_name="Gede Suyasa",
    )
    sppd.actual_return_date = RETURN
    sppd.save(update_fields=["actual_return_date"])
    TripExpense.objects.bulk_create(
        [
            TripExpense(
                sppd=sppd,
                kind=TripExpense.Kind.TRANSPORT,
                description="Bahan bakar",
                amount=Decimal("250000"),
            ),
            TripExpense(
                sppd=sppd,
                kind=TripExpense.Kind.TRANSPORT,
                description="Taksi dari terminal ke kantor bupati",
                amount=Decimal("75000"),
                has_receipt=False,
                spent_on=DEPART,
            ),
        ]
    )
    TripReport.objects.create(
        trip=trip,
        background="Undangan rapat koordinasi upacara.",
        activities="Mengikuti rapat koordinasi di Kantor Bupati Buleleng.",
        results="Susunan acara upacara disepakati.",
        follow_up="Menyiapkan undangan pejabat.",
        filed_by=sppd.member.employee.user,
        filed_at=dt.datetime(2026, 6, 4, 9, 0, tzinfo=dt.UTC),
        acknowledged_by=personas["atasan"],
        acknowledged_at=dt.datetime(2026, 6, 5, 9, 0, tzinfo=dt.UTC),
        acknowledgement_note="Diterima, lanjutkan koordinasi.",
    )


def make_objects(personas) -> dict:
    trip = build_numbered_trip(personas)
    add_after_trip_data(trip, personas)
    seal = seal_for(trip, "travel.spt", title="Surat Perintah Tugas", number=trip.spt_number)
    return {"@doc_trip": trip.pk, "@doc_sppd": lead_sppd(trip).pk, "@doc_token": seal.token}


def _rows(name: str, target: str) -> list[tuple]:
    return [
        (name, {"pk": target}, "get", "anon", 302),
        (name, {"pk": target}, "get", "pegawai", 200),  # the lead traveller
        (name, {"pk": target}, "get", "honorer", 200),  # a fellow traveller (non-ASN)
        (name, {"pk": target}, "get", "atasan", 200),  # their supervisor
        (name, {"pk": target}, "get", "perjalanan", 200),  # the travel operator
        (name, {"pk": target}, "get", "bendahara", 200),
        (name, {"pk": target}, "get", "luar", 404),  # another Biro
        (name, {"pk": target}, "get", "pengurus", 404),  # same Biro, not involved
    ]


ROWS: list = [
    *_rows("travel:spt_pdf", "@doc_trip"),
    *_rows("travel:sppd_pdf", "@doc_sppd"),
    *_rows("travel:cost_sheet_pdf", "@doc_sppd"),
    *_rows("travel:receipt_pdf", "@doc_sppd"),
    *_rows("travel:dpr_pdf", "@doc_sppd"),
    *_rows("travel:report_pdf", "@doc_trip"),
    # (Papers of a trip not numbered yet are 404 too: tests/travel/test_documents.py.)
    ("travel:spt_pdf", {"pk": 999999}, "get", "perjalanan", 404),
    ("travel:sppd_pdf", {"pk": 999999}, "get", "perjalanan", 404),
    # The public verification page: no login; an unknown token is a plain 404.
    ("verification", {"token": "@doc_token"}, "get", "anon", 200),
    ("verification", {"token": "@doc_token"}, "get", "luar", 200),
    ("verification", {"token": "tidak-ada-dokumen-dengan-token-ini"}, "get", "anon", 404),
]
