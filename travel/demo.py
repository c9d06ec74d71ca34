"""Demo trips for ``seed_demo``: SPTs in every state across 2026, built through the real services.

Deterministic (fixed dates, a fixed random seed for the extra trips at ``scale`` > 1) and idempotent:
when the demo trips exist (recognised by their purposes) nothing is created again. Everything goes
through the workflow — :func:`travel.services.trip_save` / ``trip_submit`` / ``trip_cancel``, the
approval engine with the approver it assigned, :func:`travel.services.trips_advance`, and the post-trip
services (visum, expenses with and without receipts → DPR, advances, payments, trip reports and their
acknowledgement). The only shortcut: the SPT date of a demo trip is set to a few days before departure
(the numbering service stamps the day the approval happens, i.e. the day ``seed_demo`` runs).

The demo's "today" is :data:`DEMO_TODAY` (passed to every date-sensitive service), so the states are
the same whichever day the seed runs: trips before it are over (returned, reported or settled), one is
under way, the rest lie ahead. Later the daily job moves them on with the real calendar.

Rates: the default Bali rates (:func:`travel.rates.seed_default_rates`) plus placeholder rows for the
other provinces the demo travels to, flagged as demo data in ``dasar_hukum``.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from situok.approval_models import ApprovalAssignment, ApprovalRequest
from situok.approvals import approval_approve, approval_current, approval_reject, approval_return
from situok.regions import Region
from staff.models import Employee
from staff.selectors import employee_supervisor

from . import posttrip
from .approval import ensure_travel_policy
from .models import (
    BudgetLine,
    CostTier,
    DailyAllowanceRate,
    LodgingCeiling,
    Sppd,
    TravelType,
    Trip,
    TripExpense,
)
from .rates import seed_default_rates
from .services import ensure_numbering_schemes, trip_cancel, trip_save, trip_submit, trips_advance

DEMO_TODAY = dt.date(2026, 11, 23)
DEMO_YEAR = 2026
RATES_FROM = dt.date(2020, 1, 1)
DASAR_DEMO = "PLACEHOLDER data demo — bukan tarif resmi; isi dari SHS / Perpres 33/2020"
SEED = 20261123

# Regions the demo uses (code, official name, level); created only when the region table is not loaded.
REGIONS = [
    ("51", "Bali", 1),
    ("51.71", "Kota Denpasar", 2),
    ("51.02", "Kabupaten Tabanan", 2),
    ("51.03", "Kabupaten Badung", 2),
    ("51.04", "Kabupaten Gianyar", 2),
    ("51.05", "Kabupaten Klungkung", 2),
    ("51.07", "Kabupaten Karangasem", 2),
    ("51.08", "Kabupaten Buleleng", 2),
    ("31", "Daerah Khusus Ibukota Jakarta", 1),
    ("31.71", "Kota Administrasi Jakarta Pusat", 2),
    ("35", "Jawa Timur", 1),
    ("35.78", "Kota Surabaya", 2),
    ("52", "Nusa Tenggara Barat", 1),
    ("52.71", "Kota Mataram", 2),
]
# Placeholder rates outside Bali: province → (luar daerah per day, diklat per day, lodging per tier A..F).
OTHER_PROVINCES = {
    "31": ("530000", "160000", ("8720000", "4500000", "2000000", "1490000", "992000", "610000")),
    "35": ("410000", "120000", ("4400000", "3200000", "1900000", "1150000", "875000", "664000")),
    "52": ("440000", "130000", ("3000000", "2600000", "1800000", "1050000", "900000", "580000")),
}
BUDGET_LINES = [
    # kode rekening, uraian, sub-activity code, sub-activity name, ceiling
    ("5.1.02.04.01.0001", "Belanja Perjalanan Dinas Biasa", "4.01.01.2.06.0001",
     "Penyediaan Administrasi Umum Perangkat Daerah", "450000000"),
    ("5.1.02.04.01.0003", "Belanja Perjalanan Dinas Dalam Kota", "4.01.01.2.06.0001",
     "Penyediaan Administrasi Umum Perangkat Daerah", "60000000"),
    ("5.1.02.04.01.0001", "Belanja Perjalanan Dinas Biasa", "4.01.01.2.13.0002",
     "Fasilitasi Keprotokolan Pimpinan Daerah", "250000000"),
    ("5.1.02.04.01.0004", "Belanja Perjalanan Dinas Paket Meeting Luar Kota", "4.01.01.2.05.0009",
     "Pendidikan dan Pelatihan Pegawai", "120000000"),
]  # fmt: skip
DASAR = [
    "Peraturan Gubernur Bali tentang Perjalanan Dinas",
    "Dokumen Pelaksanaan Anggaran Sekretariat Daerah Provinsi Bali Tahun Anggaran 2026",
]
_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass(frozen=True)
class Plan:
    """One demo SPT: where it ends up (``state``) and what it carries."""

    state: str  # a Trip.Status value, plus "cancelled_numbered" and "submitted_step2"
    purpose: str
    members: tuple[str, ...]  # persona usernames or "#n" for the n-th other demo employee
    depart: dt.date
    days: int
    destinations: tuple[tuple[str, str], ...]  # (region code, place)
    transport: str = Trip.Transport.KENDARAAN_DINAS
    travel_type: str = ""  # "" = derived from the destinations
    line: int | None = 0  # index into BUDGET_LINES
    creator: str = "perjalanan"
    costs: bool = True  # visum and expenses after return
    acknowledged: bool = True
    paid: int = 99  # how many SPPDs the treasurer paid (trip settled when all are and it is reported)
    advance: str = "0"
    no_hotel: bool = False
    note: str = ""


JKT = (("31.71", "Kementerian Dalam Negeri"),)
SBY = (("35.78", "Kantor Gubernur Jawa Timur"),)
MTR = (("52.71", "Kantor Gubernur Nusa Tenggara Barat"),)
D = dt.date
P = Trip.Transport

PLANS: list[Plan] = [
    # --- Settled (reported, acknowledged, every SPPD paid) across the year -------------------------
    Plan("settled", "Konsultasi penyusunan Rencana Kerja Biro Umum dan Protokol Tahun 2027", ("pegawai", "honorer"),
         D(2026, 1, 13), 3, JKT, P.PESAWAT, advance="2000000"),
    Plan("settled", "Koordinasi persiapan kunjungan kerja Gubernur ke Kabupaten Buleleng", ("humas", "#1"),
         D(2026, 2, 10), 2, (("51.08", "Kantor Bupati Buleleng"),), line=2),
    Plan("settled", "Pendampingan rapat koordinasi Sekretaris Daerah di Kabupaten Gianyar", ("kepegawaian",),
         D(2026, 3, 4), 1, (("51.04", "Kantor Bupati Gianyar"),)),
    Plan("settled", "Mengikuti bimbingan teknis pengelolaan barang milik daerah", ("pengurus", "#2"),
         D(2026, 4, 14), 3, SBY, P.PESAWAT, travel_type=TravelType.DIKLAT, line=3, advance="1500000"),
    Plan("settled", "Peninjauan lokasi upacara Hari Jadi Provinsi Bali di Kabupaten Karangasem", ("#3", "#4", "#5"),
         D(2026, 5, 12), 2, (("51.07", "Lapangan Tanah Aron, Amlapura"),), line=2, no_hotel=True),
    Plan("settled", "Rapat koordinasi protokol se-Nusa Tenggara", ("humas",),
         D(2026, 6, 9), 3, MTR, P.KAPAL, line=2),
    Plan("settled", "Pendampingan pimpinan pada rapat kerja di Kota Denpasar", ("peminjaman",),
         D(2026, 7, 8), 1, (("51.71", "Gedung Jaya Sabha"),), travel_type=TravelType.DALAM_KOTA_LEBIH_8_JAM,
         line=1),
    Plan("settled", "Konsultasi pengelolaan keuangan daerah ke Kementerian Dalam Negeri", ("bendahara", "#6"),
         D(2026, 8, 18), 3, JKT, P.PESAWAT, advance="3000000"),
    Plan("settled", "Koordinasi pengamanan aset di Kabupaten Tabanan", ("#7",),
         D(2026, 9, 8), 1, (("51.02", "Kantor Bupati Tabanan"),)),
    # --- Reported: report filed; one acknowledged and partly paid, one waiting for the supervisor ----
    Plan("reported", "Monitoring pelaksanaan pelayanan administrasi perkantoran di Kabupaten Klungkung",
         ("pegawai", "kepegawaian"), D(2026, 9, 22), 2, (("51.05", "Kantor Bupati Klungkung"),),
         paid=1, advance="500000"),
    Plan("reported", "Koordinasi penyelenggaraan rapat paripurna di Kabupaten Badung", ("#8",),
         D(2026, 10, 20), 1, (("51.03", "Puspem Badung"),), acknowledged=False, paid=0),
    # --- Returned: back, report not filed (one overdue) -----------------------------------------------
    Plan("returned", "Konsultasi tata naskah dinas ke Kementerian Dalam Negeri", ("admin", "#9"),
         D(2026, 11, 3), 3, JKT, P.PESAWAT, advance="2500000"),
    Plan("returned", "Koordinasi persiapan Pesta Kesenian Bali di Kabupaten Gianyar", ("#10",),
         D(2026, 11, 18), 1, (("51.04", "Kantor Bupati Gianyar"),), costs=False),
    # --- Under way and ahead ---------------------------------------------------------------------------
    Plan("travelling", "Mengikuti rapat koordinasi nasional keprotokolan", ("humas", "#11"),
         D(2026, 11, 22), 3, SBY, P.PESAWAT, line=2),
    Plan("numbered", "Koordinasi persiapan kunjungan kerja Menteri ke Kabupaten Buleleng", ("pegawai", "honorer"),
         D(2026, 12, 1), 2, (("51.08", "Kantor Bupati Buleleng"),)),
    Plan("numbered", "Konsultasi pengadaan kendaraan dinas ke Kementerian Dalam Negeri", ("pengurus",),
         D(2026, 12, 14), 2, JKT, P.PESAWAT),
    # --- In approval ------------------------------------------------------------------------------------
    Plan("submitted", "Koordinasi pengelolaan arsip dinamis di Kabupaten Badung", ("kepegawaian",),
         D(2026, 12, 8), 1, (("51.03", "Dinas Kearsipan Kabupaten Badung"),)),
    Plan("submitted_step2", "Pendampingan pimpinan dalam rapat di Kota Surabaya", ("bendahara",),
         D(2026, 12, 9), 2, SBY, P.PESAWAT),
    Plan("returned_for_revision", "Studi tiru pengelolaan rumah jabatan ke Nusa Tenggara Barat", ("#12", "#13"),
         D(2026, 12, 16), 3, MTR, P.PESAWAT, note="Lengkapi surat undangan dan kurangi jumlah peserta."),
    # --- Drafts --------------------------------------------------------------------------------------
    Plan("draft", "Koordinasi persiapan upacara Hari Ibu di Kabupaten Tabanan", ("pegawai",),
         D(2026, 12, 17), 1, (("51.02", "Kantor Bupati Tabanan"),), creator="pegawai"),
    Plan("draft", "Konsultasi penataan organisasi ke Kementerian Dalam Negeri", ("#14", "#15"),
         D(2027, 1, 12), 3, JKT, P.PESAWAT, line=None),
    # --- Ended without travelling ----------------------------------------------------------------------
    Plan("rejected", "Studi banding pengelolaan gedung pertemuan ke Kota Surabaya", ("#16", "#17", "#18"),
         D(2026, 10, 13), 3, SBY, P.PESAWAT, note="Kegiatan tidak tercantum dalam DPA tahun berjalan."),
    Plan("cancelled", "Koordinasi persiapan lomba desa di Kabupaten Klungkung", ("#19",),
         D(2026, 8, 25), 1, (("51.05", "Kantor Bupati Klungkung"),), note="Kegiatan diundur oleh panitia."),
    Plan("cancelled_numbered", "Menghadiri undangan rapat koordinasi di Kota Mataram", ("#20", "#21"),
         D(2026, 7, 21), 2, MTR, P.PESAWAT, note="Rapat dibatalkan oleh pengundang."),
]  # fmt: skip
PURPOSES = frozenset(p.purpose for p in PLANS)
# Extra settled trips per scale step above 1 (random travellers from the demo bureau, fixed seed).
EXTRA_PER_SCALE = 12
EXTRA_DESTINATIONS = [
    (("51.04", "Kantor Bupati Gianyar"),),
    (("51.08", "Kantor Bupati Buleleng"),),
    (("51.03", "Puspem Badung"),),
    (("51.02", "Kantor Bupati Tabanan"),),
    JKT,
    SBY,
]


# --- Reference data --------------------------------------------------------------------------------
def seed_reference_data() -> dict[int, BudgetLine]:
    """Regions (when the table is not loaded), default and demo rates, numbering schemes, the SPT
    approval policy and the 2026 budget lines. Idempotent."""
    for code, name, level in REGIONS:
        parent = code.rsplit(".", 1)[0] if "." in code else None
        Region.objects.get_or_create(code=code, defaults={"name": name, "level": level, "parent_id": parent})
    seed_default_rates()
    for code, (daily, diklat, lodging) in OTHER_PROVINCES.items():
        for travel_type, amount in ((TravelType.LUAR_DAERAH, daily), (TravelType.DIKLAT, diklat)):
            DailyAllowanceRate.objects.get_or_create(
                province_id=code,
                travel_type=travel_type,
                berlaku_mulai=RATES_FROM,
                defaults={"amount": Decimal(amount), "dasar_hukum": DASAR_DEMO},
            )
        for tier, amount in zip(CostTier.values, lodging, strict=True):
            LodgingCeiling.objects.get_or_create(
                province_id=code,
                cost_tier=tier,
                berlaku_mulai=RATES_FROM,
                defaults={"amount": Decimal(amount), "dasar_hukum": DASAR_DEMO},
            )
    ensure_numbering_schemes()
    ensure_travel_policy()
    lines = {}
    for i, (kode, name, sub_code, sub_name, ceiling) in enumerate(BUDGET_LINES):
        lines[i], _ = BudgetLine.objects.get_or_create(
            year=DEMO_YEAR,
            sub_activity_code=sub_code,
            kode_rekening=kode,
            defaults={"name": name, "sub_activity_name": sub_name, "ceiling": Decimal(ceiling)},
        )
    return lines


# --- Building one trip -----------------------------------------------------------------------------
@dataclass
class _Context:
    users: dict[str, Any]
    personas: dict[str, Employee]
    others: list[Employee]
    lines: dict[int, BudgetLine]
    rng: random.Random
    photo: bytes = b""
    busy: dict[int, list[tuple[dt.date, dt.date]]] = field(default_factory=dict)

    def employee(self, key: str) -> Employee:
        if key.startswith("#"):
            return self.others[(int(key[1:]) - 1) % len(self.others)]
        return self.personas[key]

    def user_of(self, employee: Employee):
        return employee.user if employee.user_id else None


def _upload(name: str, data: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def _photo() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (48, 32), (30, 110, 160)).save(buffer, format="JPEG", quality=70)
    return buffer.getvalue()


def _approver(trip: Trip):
    req = approval_current(trip)
    assignment = (
        ApprovalAssignment.objects.filter(request=req, is_current=True)
        .select_related("user")
        .order_by("id")
        .first()
    )
    return req, assignment.user


def _approve_all(trip: Trip) -> None:
    for _step in range(10):  # a chain is short; the bound only guards against a misconfigured policy
        req, user = _approver(trip)
        approval_approve(req, by=user, note="Disetujui.")
        req.refresh_from_db()
        if req.status != ApprovalRequest.Status.PENDING:
            break
    trip.refresh_from_db()


def _backdate_spt(trip: Trip) -> None:
    """The SPT is dated a few days before departure (the numbering service stamps today)."""
    day = trip.depart_date - dt.timedelta(days=4)
    Trip.objects.filter(pk=trip.pk).update(spt_date=day)
    trip.spt_date = day


def _expenses(ctx: _Context, sppd: Sppd, plan: Plan, by) -> None:
    trip = sppd.member.trip
    first = sppd.member.order == 0
    day = trip.depart_date
    kind = TripExpense.Kind
    items: list[dict[str, Any]] = []
    if trip.transport in (P.PESAWAT, P.KAPAL):
        fare = Decimal(
            ctx.rng.choice(["1850000", "2150000", "2400000"]) if trip.transport == P.PESAWAT else "350000"
        )
        items.append({"kind": kind.TRANSPORT, "description": f"Tiket {trip.get_transport_display()} pergi-pulang",
                      "amount": fare * 1, "has_receipt": True, "spent_on": day - dt.timedelta(days=3)})  # fmt: skip
        items.append({"kind": kind.TRANSPORT, "description": "Taksi bandara/pelabuhan ke tempat tujuan (PP)",
                      "amount": Decimal("300000"), "has_receipt": False, "spent_on": day})  # fmt: skip
    elif first:
        items.append({"kind": kind.OTHER, "description": "Bahan bakar kendaraan dinas",
                      "amount": Decimal("250000"), "has_receipt": True, "spent_on": day})  # fmt: skip
        items.append({"kind": kind.OTHER, "description": "Parkir dan retribusi",
                      "amount": Decimal("20000"), "has_receipt": False, "spent_on": day})  # fmt: skip
    nights = trip.days - 1
    if nights and not plan.no_hotel and trip.travel_type in (TravelType.LUAR_DAERAH, TravelType.LUAR_KOTA):
        per_night = min(sppd.lodging_ceiling or Decimal("750000"), Decimal("850000"))
        items.append({"kind": kind.LODGING, "description": f"Hotel {nights} malam", "quantity": nights,
                      "amount": per_night * nights, "has_receipt": True,
                      "spent_on": day + dt.timedelta(days=nights)})  # fmt: skip
    for item in items:
        receipt = _upload("kuitansi.pdf", _PDF, "application/pdf") if item["has_receipt"] else None
        posttrip.expense_save(sppd, by=by, data=item, receipt=receipt, today=DEMO_TODAY)
    if plan.no_hotel and nights:
        posttrip.sppd_no_hotel_set(sppd, no_hotel=True, by=by)


def _visum(sppd: Sppd, by) -> None:
    trip = sppd.member.trip
    stops = []
    for i, row in enumerate(posttrip.sppd_stops_initial(sppd)):
        stops.append(
            {
                **row,
                "arrived_on": trip.depart_date if i == 0 else trip.return_date,
                "departed_on": trip.return_date,
                "officer_name": "Kepala Bagian Umum",
            }
        )
    posttrip.sppd_stops_save(sppd, stops=stops, actual_return_date=trip.return_date, by=by, today=DEMO_TODAY)


def _after_return(ctx: _Context, trip: Trip, plan: Plan) -> None:
    operator, treasurer = ctx.users["perjalanan"], ctx.users["bendahara"]
    sppds = list(
        Sppd.objects.filter(member__trip=trip)
        .select_related("member__employee", "member__trip")
        .order_by("member__order")
    )
    if plan.costs:
        for sppd in sppds:
            _visum(sppd, operator)
            _expenses(ctx, sppd, plan, operator)
    if plan.advance != "0":
        posttrip.sppd_advance_set(sppds[0], amount=Decimal(plan.advance), by=treasurer)
    if plan.state in ("reported", "settled"):
        lead = sppds[0].member.employee
        filer = ctx.user_of(lead) or operator
        report = posttrip.trip_report_save(
            trip,
            by=filer,
            data={
                "background": f"Berdasarkan {DASAR[0]}, {plan.purpose[0].lower()}{plan.purpose[1:]}.",
                "activities": "Rapat koordinasi dengan pejabat terkait, peninjauan lapangan dan "
                "penyusunan catatan hasil pertemuan.",
                "results": "Disepakati jadwal, pembagian tugas dan kebutuhan dukungan dari Biro Umum dan "
                "Protokol.",
                "follow_up": "Menyampaikan hasil koordinasi kepada pimpinan dan menindaklanjuti kebutuhan "
                "anggaran.",
            },
            photos=[_upload("dokumentasi.jpg", ctx.photo, "image/jpeg")],
            today=DEMO_TODAY,
        )
        if plan.acknowledged:
            supervisor = employee_supervisor(lead)
            posttrip.trip_report_acknowledge(
                report, by=supervisor.user, note="Laporan diterima, tindak lanjuti hasilnya."
            )
    for sppd in sppds[: plan.paid] if plan.state in ("reported", "settled") else ():
        posttrip.sppd_mark_paid(sppd, by=treasurer, today=DEMO_TODAY)


@transaction.atomic
def _build(ctx: _Context, plan: Plan) -> Trip:
    members = [ctx.employee(m) for m in plan.members]
    creator = ctx.users[plan.creator]
    ret = plan.depart + dt.timedelta(days=plan.days - 1)
    trip = trip_save(
        by=creator,
        data={
            "purpose": plan.purpose,
            "depart_date": plan.depart,
            "return_date": ret,
            "travel_type": plan.travel_type,
            "transport": plan.transport,
            "budget_line": ctx.lines.get(plan.line)
            if plan.line is not None and plan.depart.year == DEMO_YEAR
            else None,
        },
        members=members,
        destinations=[{"region_id": code, "place": place} for code, place in plan.destinations],
        dasar=[*DASAR, f"Undangan terkait {plan.purpose[0].lower()}{plan.purpose[1:]}"],
        attachments=[("Surat undangan", _upload("undangan.pdf", _PDF, "application/pdf"))],
    )
    state = plan.state
    if state == "draft":
        return trip
    if state == "cancelled":
        return trip_cancel(trip, by=creator, reason=plan.note)
    trip_submit(trip, by=creator)
    if state == "submitted":
        return trip
    if state in ("returned_for_revision", "rejected"):
        if state == "rejected":
            _req, user = _approver(trip)
            approval_approve(_req, by=user, note="Diteruskan.")  # the supervisor agrees, the leader refuses
        req, user = _approver(trip)
        (approval_return if state == "returned_for_revision" else approval_reject)(
            req, by=user, note=plan.note
        )
        trip.refresh_from_db()
        return trip
    if state == "submitted_step2":
        req, user = _approver(trip)
        approval_approve(req, by=user, note="Disetujui, diteruskan kepada Kepala Biro.")
        trip.refresh_from_db()
        return trip
    _approve_all(trip)
    _backdate_spt(trip)
    if state == "cancelled_numbered":
        return trip_cancel(trip, by=ctx.users["perjalanan"], reason=plan.note)
    trips_advance(DEMO_TODAY, trip_ids=[trip.pk])
    trip.refresh_from_db()
    if trip.status == Trip.Status.RETURNED:
        _after_return(ctx, trip, plan)
        trip.refresh_from_db()
    return trip


def _extra_plans(ctx: _Context, scale: int) -> list[Plan]:
    """More settled trips for bigger demos: random travellers, dates where none of them is busy."""
    plans = []
    for n in range(EXTRA_PER_SCALE * max(0, scale - 1)):
        for _attempt in range(50):
            people = ctx.rng.sample(range(1, len(ctx.others) + 1), k=min(2, len(ctx.others)))
            depart = dt.date(DEMO_YEAR, 1, 5) + dt.timedelta(days=ctx.rng.randrange(0, 290))
            days = ctx.rng.choice([1, 2, 3])
            end = depart + dt.timedelta(days=days - 1)
            free = all(
                not (start <= end and depart <= stop)
                for p in people
                for start, stop in ctx.busy.get(ctx.employee(f"#{p}").pk, [])
            )
            if free and end < DEMO_TODAY - dt.timedelta(days=14):
                break
        else:
            continue
        destinations = ctx.rng.choice(EXTRA_DESTINATIONS)
        plans.append(
            Plan(
                "settled",
                f"Koordinasi pelaksanaan kegiatan Biro Umum dan Protokol (demo {n + 1})",
                tuple(f"#{p}" for p in people),
                depart,
                days,
                destinations,
                P.PESAWAT if destinations[0][0][:2] != "51" else P.KENDARAAN_DINAS,
                line=ctx.rng.choice([0, 2]),
            )
        )
        for p in people:  # reserve now: the next extra plan must not overlap this one
            ctx.busy.setdefault(ctx.employee(f"#{p}").pk, []).append((depart, end))
    return plans


def demo_trips_exist() -> bool:
    return Trip.objects.filter(purpose__in=PURPOSES).exists()


def seed_travel(scale: int = 1) -> int:
    """Create the demo SPTs (every state, costs, reports) once; returns how many were created (0 when
    they already exist). Needs the demo bureau of ``staff.demo.seed_people``."""
    lines = seed_reference_data()
    if demo_trips_exist():
        return 0
    personas = {
        e.user.username: e
        for e in Employee.objects.filter(
            internal_number__startswith="DEMO-", user__isnull=False
        ).select_related("user", "unit")
    }
    others = list(
        Employee.objects.filter(internal_number__startswith="DEMO-0", status=Employee.Status.AKTIF)
        .select_related("unit")
        .order_by("internal_number")
    )
    if not others or not {"perjalanan", "bendahara"} <= set(personas):
        return 0  # no demo bureau to travel with
    ctx = _Context(
        users={username: employee.user for username, employee in personas.items()},
        personas=personas,
        others=others,
        lines=lines,
        rng=random.Random(SEED),
        photo=_photo(),
    )
    plans = list(PLANS)
    for plan in plans:  # reserve the fixed plans' dates before drawing the extra ones
        for key in plan.members:
            employee = ctx.employee(key)
            ctx.busy.setdefault(employee.pk, []).append(
                (plan.depart, plan.depart + dt.timedelta(days=plan.days - 1))
            )
    plans += _extra_plans(ctx, scale)
    created = 0
    for plan in plans:
        _build(ctx, plan)
        created += 1
    return created
