"""Permission-matrix rows of the SPT workflow (travel/views.py), and the helpers the travel workflow tests
share (regions, rates, policy, a trip through the service).

``make_objects(personas)`` builds:

* ``@trip`` — a draft SPT created by pegawai for pegawai and honorer (Subbagian TU, headed by atasan);
* ``@trip_submitted`` — the same kind, submitted (waiting for atasan);
* ``@trip_numbered`` — approved by atasan and pimpinan, so it carries SPT/SPPD numbers;
* ``@attachment`` — an invitation letter (PDF) of ``@trip``.

Visibility: the travellers and the creator see their SPT, the unit heads above them see their units'
SPTs, holders of ``travel.view_trip`` (pimpinan, perjalanan, bendahara, ppk, admin) see every SPT; everyone
else gets 404 (they cannot tell it exists). Editing is the creator's (or the operator's) while draft:
others who can see it get 403.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

ALL = (
    "admin", "pimpinan", "atasan", "kepegawaian", "perjalanan", "bendahara", "ppk",
    "pengurus", "peminjaman", "humas", "pegawai", "honorer", "luar",
)  # fmt: skip
# Who sees pegawai's trip: travellers/creator, their unit heads (atasan, ppk heads Bagian TU, pimpinan
# heads the Biro) and the view_trip holders.
SEES = ("admin", "pimpinan", "atasan", "perjalanan", "bendahara", "ppk", "pegawai", "honorer")
BLIND = tuple(p for p in ALL if p not in SEES)
REGISTER = ("admin", "pimpinan", "atasan", "perjalanan", "bendahara", "ppk")  # view_trip or unit head
T = {"pk": "@trip"}
S = {"pk": "@trip_submitted"}
N = {"pk": "@trip_numbered"}
ATT = {"pk": "@trip", "att_pk": "@attachment"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

ROWS = [
    # My trips: every signed-in user.
    ("travel:trip_list", {}, "get", "anon", 302),
    *[("travel:trip_list", {}, "get", p, 200) for p in ALL],
    # The register: view_trip holders and unit heads.
    ("travel:register", {}, "get", "anon", 302),
    *[("travel:register", {}, "get", p, 200) for p in REGISTER],
    *[("travel:register", {}, "get", p, 403) for p in ALL if p not in REGISTER],
    # Create: everyone may draft an SPT (for themselves / their unit).
    ("travel:trip_create", {}, "get", "anon", 302),
    *[("travel:trip_create", {}, "get", p, 200) for p in ("pegawai", "honorer", "perjalanan", "luar")],
    # Detail.
    ("travel:trip_detail", T, "get", "anon", 302),
    *[("travel:trip_detail", T, "get", p, 200) for p in SEES],
    *[("travel:trip_detail", T, "get", p, 404) for p in BLIND],
    ("travel:trip_detail", N, "get", "pegawai", 200),
    ("travel:trip_detail", N, "get", "luar", 404),
    ("travel:trip_detail", {"pk": 999999}, "get", "admin", 404),
    # Edit: the creator and the operator while draft.
    ("travel:trip_edit", T, "get", "anon", 302),
    ("travel:trip_edit", T, "get", "pegawai", 200),
    ("travel:trip_edit", T, "get", "perjalanan", 200),
    ("travel:trip_edit", T, "get", "honorer", 403),
    ("travel:trip_edit", T, "get", "atasan", 403),
    ("travel:trip_edit", T, "get", "pimpinan", 403),
    ("travel:trip_edit", T, "get", "luar", 404),
    ("travel:trip_edit", N, "get", "pegawai", 403),  # numbered: nobody edits
    ("travel:trip_edit", N, "get", "perjalanan", 403),
    # Actions are POST only.
    ("travel:trip_submit", T, "get", "pegawai", 405),
    ("travel:trip_submit", T, "post", "anon", 302),
    ("travel:trip_submit", T, "post", "honorer", 403),
    ("travel:trip_submit", T, "post", "luar", 404),
    ("travel:trip_submit", T, "post", "pegawai", 302),
    ("travel:trip_withdraw", S, "get", "pegawai", 405),
    ("travel:trip_withdraw", S, "post", "anon", 302),
    ("travel:trip_withdraw", S, "post", "luar", 404),
    ("travel:trip_withdraw", S, "post", "honorer", 403),
    ("travel:trip_withdraw", S, "post", "pegawai", 302),
    ("travel:trip_cancel", T, "get", "pegawai", 405),
    ("travel:trip_cancel", T, "post", "anon", 302),
    ("travel:trip_cancel", T, "post", "luar", 404),
    ("travel:trip_cancel", T, "post", "honorer", 403),
    ("travel:trip_cancel", N, "post", "pegawai", 403),  # numbered: only the operator
    ("travel:trip_cancel", T, "post", "pegawai", 302),  # no reason → back to the page with a message
    # Attachments: whoever sees the trip.
    ("travel:attachment_download", ATT, "get", "anon", 302),
    *[("travel:attachment_download", ATT, "get", p, 200) for p in SEES],
    *[("travel:attachment_download", ATT, "get", p, 404) for p in BLIND],
    ("travel:attachment_download", {"pk": "@trip_numbered", "att_pk": "@attachment"}, "get", "admin", 404),
    # Pickers of the form (htmx): every signed-in user; results are scoped by the staff list rules.
    ("travel:employee_search", {}, "get", "anon", 302),
    *[("travel:employee_search", {}, "get", p, 200) for p in ("pegawai", "perjalanan", "luar")],
    ("travel:region_search", {}, "get", "anon", 302),
    *[("travel:region_search", {}, "get", p, 200) for p in ("pegawai", "perjalanan", "luar")],
    # The register's regency options (htmx, the province select): every signed-in user, GET only.
    ("travel:regency_options", {}, "get", "anon", 302),
    *[("travel:regency_options", {}, "get", p, 200) for p in ("pegawai", "perjalanan", "luar")],
    ("travel:regency_options", {}, "post", "perjalanan", 405),
]


# --- Shared helpers of the travel workflow tests -------------------------------------------------
def setup_travel() -> None:
    """Regions (Bali, Denpasar, Badung, Gianyar; DKI Jakarta), the default Bali rates plus DKI rates for
    every tier, the SPT/SPPD numbering schemes and the default SPT approval policy."""
    from situok.regions import Region
    from travel.approval import ensure_travel_policy
    from travel.models import CostTier, DailyAllowanceRate, LodgingCeiling, TravelType
    from travel.rates import seed_default_rates
    from travel.services import ensure_numbering_schemes

    Region.objects.get_or_create(code="51", defaults={"name": "BALI", "level": 1})
    for code, name in (
        ("51.71", "KOTA DENPASAR"),
        ("51.03", "KABUPATEN BADUNG"),
        ("51.04", "KABUPATEN GIANYAR"),
    ):
        Region.objects.get_or_create(code=code, defaults={"name": name, "level": 2, "parent_id": "51"})
    Region.objects.get_or_create(
        code="51.04.01", defaults={"name": "SUKAWATI", "level": 3, "parent_id": "51.04"}
    )
    dki, _ = Region.objects.get_or_create(code="31", defaults={"name": "DKI JAKARTA", "level": 1})
    Region.objects.get_or_create(
        code="31.71", defaults={"name": "KOTA ADM. JAKARTA PUSAT", "level": 2, "parent_id": "31"}
    )
    seed_default_rates()
    common = {"province": dki, "berlaku_mulai": dt.date(2020, 1, 1), "dasar_hukum": "uji"}
    for travel_type, amount in ((TravelType.LUAR_DAERAH, "530000"), (TravelType.DIKLAT, "160000")):
        DailyAllowanceRate.objects.get_or_create(
            travel_type=travel_type, defaults={"amount": Decimal(amount)}, **common
        )
    for tier in CostTier.values:
        LodgingCeiling.objects.get_or_create(cost_tier=tier, defaults={"amount": Decimal("900000")}, **common)
    ensure_numbering_schemes()
    ensure_travel_policy()


def trip_data(**overrides) -> dict:
    """Service ``data`` for a one-day trip to Gianyar (luar kota) on a Tuesday."""
    data = {
        "purpose": "Koordinasi persiapan kunjungan kerja Gubernur",
        "depart_date": dt.date(2026, 3, 10),
        "return_date": dt.date(2026, 3, 10),
        "travel_type": "",
        "transport": "kendaraan_dinas",
    }
    data.update(overrides)
    return data


def make_trip(by, members, *, destinations=None, attachments=(), **data):
    from travel.services import trip_save

    return trip_save(
        by=by,
        data=trip_data(**data),
        members=list(members),
        destinations=destinations or [{"region_id": "51.04", "place": "Kantor Bupati Gianyar"}],
        dasar=["Peraturan Gubernur Bali tentang Perjalanan Dinas", "Undangan Bupati Gianyar"],
        attachments=attachments,
    )


def approve_all(trip, personas, *, chain=("atasan", "pimpinan")):
    """Approve every step of the trip's approval request as the personas of ``chain``."""
    from situok.approvals import approval_approve, approval_current

    for name in chain:
        approval_approve(approval_current(trip), by=personas[name])
    trip.refresh_from_db()
    return trip


def make_objects(personas) -> dict:
    """Built with the ORM (and the engine for the submitted one): this runs for every matrix row, so it
    stays cheap; the workflow tests go through the services."""
    from django.core.files.base import ContentFile

    from situok.approvals import approval_submit
    from situok.regions import Region
    from travel.approval import TRIP_DOC, ensure_travel_policy
    from travel.models import Trip, TripAttachment, TripDestination, TripMember

    Region.objects.get_or_create(code="51", defaults={"name": "BALI", "level": 1})
    Region.objects.get_or_create(
        code="51.04", defaults={"name": "KABUPATEN GIANYAR", "level": 2, "parent_id": "51"}
    )
    ensure_travel_policy()
    pegawai, honorer = personas["pegawai"], personas["honorer"]
    members = [pegawai.employee, honorer.employee]

    def trip(day: dt.date, **fields) -> Trip:
        obj = Trip.objects.create(
            unit=pegawai.employee.unit, purpose="Koordinasi", travel_type="luar_kota", depart_date=day,
            return_date=day, dasar=["Undangan"], created_by=pegawai, **fields,
        )  # fmt: skip
        TripMember.objects.bulk_create(
            [TripMember(trip=obj, employee=e, order=i, is_lead=i == 0) for i, e in enumerate(members)]
        )
        TripDestination.objects.create(trip=obj, region_id="51.04", place="Kantor Bupati Gianyar")
        return obj

    draft = trip(dt.date(2026, 3, 10))
    attachment = TripAttachment(trip=draft, title="Undangan", uploaded_by=pegawai)
    attachment.file.save("undangan.pdf", ContentFile(PDF), save=True)
    submitted = trip(dt.date(2026, 4, 7))
    approval_submit(submitted, by=pegawai, document_type=TRIP_DOC)
    numbered = trip(
        dt.date(2026, 5, 5), status=Trip.Status.NUMBERED, spt_number="800.1.11.1/1/Biro Umum/2026",
        spt_date=dt.date(2026, 5, 1),
    )  # fmt: skip
    return {
        "@trip": draft.pk,
        "@trip_submitted": submitted.pk,
        "@trip_numbered": numbered.pk,
        "@attachment": attachment.pk,
    }
