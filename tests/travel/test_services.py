"""The SPT workflow services: drafting and validation, travel type, conflicts, warnings, approval and
numbering, cancel, date-driven statuses and the selectors other apps call."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from matrix_travel import PDF, approve_all, make_trip, setup_travel, trip_data

from situok.approval_models import ApprovalRequest
from situok.approvals import approval_approve, approval_current, approval_reject, approval_return
from situok.audit import AuditEvent
from situok.calendar_models import CalendarDay
from situok.numbering import IssuedNumber
from travel import signals
from travel.models import DailyAllowanceRate, Sppd, TravelType, Trip
from travel.selectors import (
    employee_on_official_travel,
    trip_for_vehicle_booking_choices,
    trips_for_employee,
)
from travel.services import (
    TravelError,
    travel_type_suggest,
    trip_cancel,
    trip_conflicts,
    trip_save,
    trip_submit,
    trip_warnings,
    trip_withdraw,
    trips_advance,
)

pytestmark = pytest.mark.django_db
T = TravelType
TUE = dt.date(2026, 3, 10)


@pytest.fixture
def travel(personas):
    setup_travel()
    return personas


def _numbered(personas, **kw):
    trip = make_trip(personas["pegawai"], [personas["pegawai"].employee, personas["honorer"].employee], **kw)
    trip_submit(trip, by=personas["pegawai"])
    return approve_all(trip, personas)


# --- Travel type -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("origin", "destinations", "over_8", "expected"),
    [
        ("51.71", ["31.71"], True, T.LUAR_DAERAH),
        ("51.71", ["51.04", "31"], True, T.LUAR_DAERAH),
        ("51.71", ["51.04"], True, T.LUAR_KOTA),
        ("51.71", ["51.04.01"], False, T.LUAR_KOTA),
        ("51.71", ["51"], True, T.LUAR_KOTA),
        ("51.71", ["51.71"], True, T.DALAM_KOTA_LEBIH_8_JAM),
        ("51.71", ["51.71.01"], False, T.DALAM_KOTA_SAMPAI_8_JAM),
        (None, ["51.71"], False, T.DALAM_KOTA_SAMPAI_8_JAM),
        ("51.03", ["51.71"], True, T.LUAR_KOTA),
        ("51.71", [None, ""], True, None),
    ],
)
def test_travel_type_is_derived_from_origin_and_destinations(origin, destinations, over_8, expected):
    assert travel_type_suggest(origin, destinations, over_8) == expected


# --- Drafting --------------------------------------------------------------------------------------
def test_draft_with_two_members_keeps_order_lead_and_derived_type(travel):
    pegawai, honorer = travel["pegawai"], travel["honorer"]
    trip = make_trip(pegawai, [honorer.employee, pegawai.employee])
    assert trip.status == Trip.Status.DRAFT and trip.spt_number == ""
    members = list(trip.members.order_by("order"))
    assert [m.employee for m in members] == [honorer.employee, pegawai.employee]
    assert [m.is_lead for m in members] == [True, False]
    assert trip.travel_type == T.LUAR_KOTA
    assert trip.unit == honorer.employee.unit
    assert trip.origin_id == "51.71"
    assert trip.dasar == ["Peraturan Gubernur Bali tentang Perjalanan Dinas", "Undangan Bupati Gianyar"]
    assert AuditEvent.objects.filter(action="travel.trip.created", target_id=str(trip.pk)).exists()
    assert not IssuedNumber.objects.exists()  # drafts never burn numbers


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"purpose": "  "}, "purpose"),
        ({"return_date": TUE - dt.timedelta(days=1)}, "return_date"),
        ({"travel_type": T.DALAM_KOTA_LEBIH_8_JAM}, "travel_type"),  # Gianyar is luar kota
        ({"transport": "roket"}, "transport"),
        ({"signer_prefix": "x"}, "signer_prefix"),
    ],
)
def test_invalid_data_is_refused_with_the_field_and_nothing_is_saved(travel, overrides, field):
    with pytest.raises(TravelError) as exc:
        make_trip(travel["pegawai"], [travel["pegawai"].employee], **overrides)
    assert exc.value.field == field
    assert exc.value.message
    assert not Trip.objects.exists()


def test_members_destinations_and_dasar_are_required(travel):
    pegawai = travel["pegawai"]
    cases = [
        ({"members": []}, "members"),
        ({"members": [pegawai.employee, pegawai.employee]}, "members"),
        ({"destinations": [{"region_id": "", "place": " "}]}, "destinations"),
        ({"destinations": [{"region_id": "99.99", "place": ""}]}, "destinations"),
        ({"dasar": ["", "  "]}, "dasar"),
    ]
    for change, field in cases:
        kwargs = {
            "by": pegawai,
            "data": trip_data(),
            "members": [pegawai.employee],
            "destinations": [{"region_id": "51.04", "place": ""}],
            "dasar": ["Undangan"],
        } | change
        with pytest.raises(TravelError) as exc:
            trip_save(**kwargs)
        assert exc.value.field == field, change
    assert not Trip.objects.exists()


def test_a_plain_employee_may_not_assign_someone_of_another_unit(travel):
    with pytest.raises(TravelError) as exc:
        make_trip(travel["pegawai"], [travel["pegawai"].employee, travel["luar"].employee])
    assert exc.value.field == "members"
    assert "Gusti Ayu Ratna Dewi" in exc.value.message
    # The travel operator may assign anyone.
    trip = make_trip(travel["perjalanan"], [travel["luar"].employee, travel["pegawai"].employee])
    assert trip.members.count() == 2


def test_budget_line_of_another_year_is_refused(travel):
    from travel.models import BudgetLine

    line = BudgetLine.objects.create(year=2025, kode_rekening="5.1.02.04.01.0001", name="Belanja perjadin")
    with pytest.raises(TravelError) as exc:
        make_trip(travel["pegawai"], [travel["pegawai"].employee], budget_line=line)
    assert exc.value.field == "budget_line"


def test_attachment_goes_through_the_upload_validator(travel):
    pegawai = travel["pegawai"]
    bad = SimpleUploadedFile("undangan.exe", b"MZ\x90\x00binary", content_type="application/pdf")
    with pytest.raises(TravelError) as exc:
        make_trip(pegawai, [pegawai.employee], attachments=[("Undangan", bad)])
    assert exc.value.field == "attachment"
    assert not Trip.objects.exists()
    good = SimpleUploadedFile("undangan.pdf", PDF, content_type="application/pdf")
    trip = make_trip(pegawai, [pegawai.employee], attachments=[("Undangan", good)])
    attachment = trip.attachments.get()
    assert attachment.title == "Undangan" and attachment.file.name.endswith(".pdf")
    assert "undangan" not in attachment.file.name  # stored under a generated name


def test_edit_replaces_members_and_records_a_diff(travel):
    pegawai, honorer = travel["pegawai"], travel["honorer"]
    trip = make_trip(pegawai, [pegawai.employee])
    trip_save(
        by=pegawai,
        trip=trip,
        data=trip_data(purpose="Rapat koordinasi protokol"),
        members=[honorer.employee, pegawai.employee],
        destinations=[{"region_id": "51.03", "place": "Puspem Badung"}],
        dasar=["Undangan Bupati Badung"],
    )
    trip.refresh_from_db()
    assert trip.purpose == "Rapat koordinasi protokol"
    assert list(trip.members.order_by("order").values_list("employee_id", flat=True)) == [
        honorer.employee.pk,
        pegawai.employee.pk,
    ]
    event = AuditEvent.objects.get(action="travel.trip.changed", target_id=str(trip.pk))
    assert event.changes["purpose"][1] == "Rapat koordinasi protokol"
    assert "members" in event.changes and "destinations" in event.changes


def test_only_the_creator_or_operator_edits_and_only_while_draft(travel):
    pegawai = travel["pegawai"]
    trip = make_trip(pegawai, [pegawai.employee, travel["honorer"].employee])
    with pytest.raises(TravelError):
        trip_save(by=travel["honorer"], trip=trip, data=trip_data(), members=[pegawai.employee],
                  destinations=[{"region_id": "51.04"}], dasar=["x"])  # fmt: skip
    trip_submit(trip, by=pegawai)
    with pytest.raises(TravelError):
        trip_save(by=pegawai, trip=trip, data=trip_data(), members=[pegawai.employee],
                  destinations=[{"region_id": "51.04"}], dasar=["x"])  # fmt: skip


# --- Conflicts -------------------------------------------------------------------------------------
def _blocking_trip(personas, depart, ret):
    trip = make_trip(personas["pegawai"], [personas["pegawai"].employee], depart_date=depart, return_date=ret)
    trip_submit(trip, by=personas["pegawai"])
    return trip


@pytest.mark.parametrize(
    ("depart", "ret", "conflict"),
    [
        (dt.date(2026, 3, 11), dt.date(2026, 3, 11), True),  # enclosed
        (dt.date(2026, 3, 9), dt.date(2026, 3, 14), True),  # enclosing
        (dt.date(2026, 3, 8), dt.date(2026, 3, 10), True),  # touching the first day (inclusive)
        (dt.date(2026, 3, 12), dt.date(2026, 3, 13), True),  # touching the last day
        (dt.date(2026, 3, 9), dt.date(2026, 3, 9), False),  # the day before
        (dt.date(2026, 3, 13), dt.date(2026, 3, 14), False),  # the day after
    ],
)
def test_overlapping_trips_conflict_inclusive_of_both_ends(travel, depart, ret, conflict):
    other = _blocking_trip(travel, dt.date(2026, 3, 10), dt.date(2026, 3, 12))
    pegawai = travel["pegawai"].employee
    found = trip_conflicts([pegawai, travel["honorer"].employee], depart, ret)
    assert found == ([(pegawai, other)] if conflict else [])


def test_submit_is_blocked_by_a_conflict_naming_the_person_and_the_spt(travel):
    _blocking_trip(travel, dt.date(2026, 3, 9), dt.date(2026, 3, 13))
    pegawai = travel["pegawai"]
    second = make_trip(pegawai, [travel["honorer"].employee, pegawai.employee])
    with pytest.raises(TravelError) as exc:
        trip_submit(second, by=pegawai)
    assert exc.value.field == "members"
    assert "Ni Made Ayu Kartika" in exc.value.message and "draf #" in exc.value.message
    assert "9 Maret 2026" in exc.value.message
    second.refresh_from_db()
    assert second.status == Trip.Status.DRAFT
    assert not ApprovalRequest.objects.filter(object_id=second.pk, document_type="travel-spt").exists()


def test_drafts_cancelled_and_rejected_trips_do_not_conflict(travel):
    pegawai = travel["pegawai"]
    make_trip(pegawai, [pegawai.employee])  # a draft
    rejected = _blocking_trip(travel, TUE, TUE)
    approval_reject(approval_current(rejected), by=travel["atasan"], note="Tidak perlu")
    assert trip_conflicts([pegawai.employee], TUE, TUE) == []


# --- Warnings --------------------------------------------------------------------------------------
def test_warnings_name_weekends_and_holidays(travel):
    CalendarDay.objects.create(date=dt.date(2026, 3, 19), kind="LIBUR_NASIONAL", name="Hari Suci Nyepi")
    pegawai = travel["pegawai"]
    trip = make_trip(
        pegawai, [pegawai.employee], depart_date=dt.date(2026, 3, 13), return_date=dt.date(2026, 3, 19)
    )
    warnings = trip_warnings(trip)
    assert len(warnings) == 1
    assert "Sabtu, 14 Maret 2026" in warnings[0] and "Minggu, 15 Maret 2026" in warnings[0]
    assert "Hari Suci Nyepi" in warnings[0]
    assert "Jumat" not in warnings[0]
    workday = make_trip(pegawai, [pegawai.employee], depart_date=TUE, return_date=TUE)
    assert trip_warnings(workday) == []


# --- Approval and numbering ------------------------------------------------------------------------
def test_submit_approve_number_with_numbers_only_at_the_final_approval(travel):
    pegawai = travel["pegawai"]
    numbered = []
    signals.trip_numbered.connect(lambda sender, trip, by, **kw: numbered.append(trip.pk), weak=False)
    trip = make_trip(pegawai, [pegawai.employee, travel["honorer"].employee])
    trip_submit(trip, by=pegawai)
    assert trip.status == Trip.Status.SUBMITTED
    req = approval_current(trip)
    assert [s["name"] for s in req.chain] == ["Atasan langsung", "Kepala Biro"]
    approval_approve(req, by=travel["atasan"])
    trip.refresh_from_db()
    assert trip.status == Trip.Status.SUBMITTED and trip.spt_number == ""
    assert not IssuedNumber.objects.exists() and not Sppd.objects.exists()
    approval_approve(approval_current(trip), by=travel["pimpinan"])
    trip.refresh_from_db()
    year = dt.date.today().year
    assert trip.status == Trip.Status.NUMBERED
    assert trip.spt_number == f"800.1.11.1/1/Biro Umum/{year}"
    assert trip.spt_date is not None
    assert trip.signer_name == "I Made Sudarsana"  # the approving leader when no signer was chosen
    assert trip.signer_role == "KEPALA BIRO UMUM DAN PROTOKOL"
    assert trip.ppk_name == "I Nyoman Darmaja"  # the PPK role holder by default
    sppds = list(Sppd.objects.filter(member__trip=trip).order_by("member__order"))
    assert [s.number for s in sppds] == [f"000.1.2.3/1/Biro Umum/{year}", f"000.1.2.3/2/Biro Umum/{year}"]
    assert all(s.rates_on == trip.depart_date for s in sppds)
    # Honorer (non-ASN) falls back to tier F; luar kota Bali: Rp480.000 × 1 day.
    honorer_sppd = sppds[1]
    assert honorer_sppd.cost_tier == "F"
    assert honorer_sppd.daily_rate == Decimal("480000.00")
    assert honorer_sppd.total == Decimal("480000.00")
    assert isinstance(honorer_sppd.total, Decimal)
    assert numbered == [trip.pk]
    assert AuditEvent.objects.filter(action="travel.trip.numbered", target_id=str(trip.pk)).exists()


def test_sppd_uses_the_rates_valid_on_the_departure_date_and_keeps_them(travel):
    from situok.regions import Region

    bali = Region.objects.get(code="51")
    DailyAllowanceRate.objects.create(
        province=bali, travel_type=T.LUAR_KOTA, amount=Decimal("500000"),
        berlaku_mulai=dt.date(2026, 4, 1), dasar_hukum="Pergub baru",
    )  # fmt: skip
    march = _numbered(travel)
    april = _numbered(travel, depart_date=dt.date(2026, 4, 7), return_date=dt.date(2026, 4, 8))
    m = Sppd.objects.get(member__trip=march, member__is_lead=True)
    a = Sppd.objects.get(member__trip=april, member__is_lead=True)
    assert m.daily_rate == Decimal("480000.00")
    assert a.daily_rate == Decimal("500000.00") and a.rates_on == dt.date(2026, 4, 7)
    # Changing the table afterwards never changes an approved SPPD.
    DailyAllowanceRate.objects.filter(berlaku_mulai=dt.date(2026, 4, 1)).update(amount=Decimal("999999"))
    a.refresh_from_db()
    assert a.daily_rate == Decimal("500000.00")


def test_missing_rate_blocks_submit_with_a_clear_message(travel):
    pegawai = travel["pegawai"]
    from situok.regions import Region

    Region.objects.create(code="32", name="JAWA BARAT", level=1)
    trip = make_trip(pegawai, [pegawai.employee], destinations=[{"region_id": "32", "place": "Bandung"}])
    assert trip.travel_type == T.LUAR_DAERAH
    with pytest.raises(TravelError) as exc:
        trip_submit(trip, by=pegawai)
    assert exc.value.field == "destinations" and "Administrator" in exc.value.message


def test_rejected_returned_and_resubmitted_map_to_the_trip(travel):
    pegawai = travel["pegawai"]
    trip = make_trip(pegawai, [pegawai.employee])
    trip_submit(trip, by=pegawai)
    approval_return(approval_current(trip), by=travel["atasan"], note="Lengkapi undangan")
    trip.refresh_from_db()
    assert trip.status == Trip.Status.RETURNED_FOR_REVISION
    trip_save(by=pegawai, trip=trip, data=trip_data(purpose="Koordinasi (revisi)"),
              members=[pegawai.employee], destinations=[{"region_id": "51.04"}], dasar=["Undangan"])  # fmt: skip
    trip_submit(trip, by=pegawai)  # resubmits the same request
    trip.refresh_from_db()
    assert trip.status == Trip.Status.SUBMITTED
    assert ApprovalRequest.objects.filter(object_id=trip.pk, document_type="travel-spt").count() == 1
    approval_reject(approval_current(trip), by=travel["atasan"], note="Tidak mendesak")
    trip.refresh_from_db()
    assert trip.status == Trip.Status.REJECTED and trip.spt_number == ""
    assert not IssuedNumber.objects.exists()


def test_withdraw_returns_to_draft_and_a_new_submit_starts_again(travel):
    pegawai = travel["pegawai"]
    trip = make_trip(pegawai, [pegawai.employee])
    trip_submit(trip, by=pegawai)
    trip = trip_withdraw(trip, by=pegawai)
    assert trip.status == Trip.Status.DRAFT
    trip_submit(trip, by=pegawai)
    trip.refresh_from_db()
    assert trip.status == Trip.Status.SUBMITTED
    with pytest.raises(TravelError):
        trip_withdraw(
            _numbered(travel, depart_date=dt.date(2026, 6, 2), return_date=dt.date(2026, 6, 2)), by=pegawai
        )


def test_lead_traveller_who_is_a_supervisor_escalates_to_the_next_level(travel):
    atasan = travel["atasan"]
    trip = make_trip(travel["perjalanan"], [atasan.employee, travel["pegawai"].employee])
    trip_submit(trip, by=travel["perjalanan"])
    status = approval_current(trip)
    assert status.requester_employee == atasan.employee
    from situok.approval_models import ApprovalAssignment

    assigned = set(
        ApprovalAssignment.objects.filter(request=status, is_current=True).values_list("user", flat=True)
    )
    assert atasan.pk not in assigned and travel["ppk"].pk in assigned  # head of the Bagian above


# --- Cancel ----------------------------------------------------------------------------------------
def test_cancel_a_draft_and_a_submitted_trip(travel):
    pegawai = travel["pegawai"]
    draft = make_trip(pegawai, [pegawai.employee])
    with pytest.raises(TravelError) as exc:
        trip_cancel(draft, by=pegawai, reason=" ")
    assert exc.value.field == "reason"
    draft = trip_cancel(draft, by=pegawai, reason="Acara ditunda")
    assert draft.status == Trip.Status.CANCELLED and draft.cancel_reason == "Acara ditunda"
    submitted = make_trip(pegawai, [pegawai.employee])
    trip_submit(submitted, by=pegawai)
    submitted = trip_cancel(submitted, by=pegawai, reason="Acara batal")
    assert submitted.status == Trip.Status.CANCELLED
    assert approval_current(submitted).status == ApprovalRequest.Status.CANCELLED


def test_cancelling_a_numbered_trip_keeps_its_numbers_and_signals(travel):
    cancelled = []
    signals.trip_cancelled.connect(lambda sender, trip, by, **kw: cancelled.append(trip.pk), weak=False)
    trip = _numbered(travel)
    number = trip.spt_number
    sppd_numbers = set(Sppd.objects.filter(member__trip=trip).values_list("number", flat=True))
    with pytest.raises(TravelError):
        trip_cancel(trip, by=travel["pegawai"], reason="Batal")
    trip = trip_cancel(trip, by=travel["perjalanan"], reason="Kunjungan dibatalkan")
    trip.refresh_from_db()
    assert trip.status == Trip.Status.CANCELLED and trip.spt_number == number
    assert set(Sppd.objects.filter(member__trip=trip).values_list("number", flat=True)) == sppd_numbers
    assert cancelled[-1] == trip.pk
    event = AuditEvent.objects.get(action="travel.trip.cancelled", target_id=str(trip.pk))
    assert event.changes["status"] == ["numbered", "cancelled"]
    # The next SPT takes the next number: a cancelled number is never reused.
    other = _numbered(travel, depart_date=dt.date(2026, 6, 2), return_date=dt.date(2026, 6, 2))
    assert other.spt_number.split("/")[1] == "2"


# --- Date-driven statuses --------------------------------------------------------------------------
def test_trips_advance_on_their_dates_idempotently(travel):
    trip = _numbered(travel, depart_date=dt.date(2026, 3, 10), return_date=dt.date(2026, 3, 12))
    assert trips_advance(dt.date(2026, 3, 9)) == 0
    assert trips_advance(dt.date(2026, 3, 10)) == 1
    trip.refresh_from_db()
    assert trip.status == Trip.Status.TRAVELLING
    assert trips_advance(dt.date(2026, 3, 12)) == 0  # still travelling on the return date
    assert trips_advance(dt.date(2026, 3, 13)) == 1
    trip.refresh_from_db()
    assert trip.status == Trip.Status.RETURNED
    assert trip.report_due_date is not None and trip.report_due_date > trip.return_date
    assert trips_advance(dt.date(2026, 3, 13)) == 0
    actions = list(AuditEvent.objects.filter(target_id=str(trip.pk), action__in=(
        "travel.trip.travelling", "travel.trip.returned")).values_list("action", flat=True))  # fmt: skip
    assert sorted(actions) == ["travel.trip.returned", "travel.trip.travelling"]


def test_a_trip_already_over_goes_straight_to_returned(travel):
    trip = _numbered(travel)
    trips_advance(dt.date(2026, 4, 1))
    trip.refresh_from_db()
    assert trip.status == Trip.Status.RETURNED


# --- Selectors for other apps ----------------------------------------------------------------------
def test_employee_on_official_travel(travel):
    pegawai = travel["pegawai"].employee
    trip = _numbered(travel, depart_date=dt.date(2026, 3, 10), return_date=dt.date(2026, 3, 12))
    draft = make_trip(
        travel["pegawai"], [pegawai], depart_date=dt.date(2026, 3, 20), return_date=dt.date(2026, 3, 20)
    )
    assert employee_on_official_travel(pegawai, dt.date(2026, 3, 9)) is None
    assert employee_on_official_travel(pegawai, dt.date(2026, 3, 10)) == trip
    assert employee_on_official_travel(pegawai, dt.date(2026, 3, 12)) == trip
    assert employee_on_official_travel(pegawai, dt.date(2026, 3, 13)) is None
    assert employee_on_official_travel(pegawai, dt.date(2026, 3, 20)) is None  # a draft is not travel
    assert employee_on_official_travel(travel["luar"].employee, dt.date(2026, 3, 10)) is None
    assert set(trips_for_employee(pegawai)) == {trip, draft}
    trip_cancel(trip, by=travel["perjalanan"], reason="Batal")
    assert employee_on_official_travel(pegawai, dt.date(2026, 3, 10)) is None


def test_vehicle_booking_choices_are_visible_numbered_trips_not_yet_ended(travel):
    trip = _numbered(travel, depart_date=dt.date(2026, 3, 10), return_date=dt.date(2026, 3, 12))
    assert list(trip_for_vehicle_booking_choices(travel["pegawai"], today=dt.date(2026, 3, 12))) == [trip]
    assert list(trip_for_vehicle_booking_choices(travel["pegawai"], today=dt.date(2026, 3, 13))) == []
    assert list(trip_for_vehicle_booking_choices(travel["luar"], today=dt.date(2026, 3, 1))) == []
