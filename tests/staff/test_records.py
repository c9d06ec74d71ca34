import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from situok.audit import AuditEvent
from staff import services
from staff.approval import correction_approval
from staff.models import CorrectionRequest, Employee, RankHistory

FULL_NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


def detail(client, employee):
    return client.get(reverse("staff:employee_detail", args=[employee.pk])).content.decode()


@pytest.mark.django_db
class TestPrivacy:
    def test_colleague_sees_public_fields_only(self, client_as, personas):
        pegawai = personas["pegawai"].employee
        html = detail(client_as("luar"), pegawai)
        assert pegawai.name in html
        assert pegawai.nip not in html and "Data pribadi" not in html
        assert not FULL_NIK.search(html)

    def test_supervisor_sees_the_record_with_personal_data_masked(self, client_as, personas):
        pegawai = personas["pegawai"].employee
        html = detail(client_as("atasan"), pegawai)
        assert "Data kepegawaian" in html
        assert f"************{pegawai.nik[-4:]}" in html
        assert pegawai.address not in html
        assert not FULL_NIK.search(html)
        assert not AuditEvent.objects.filter(action="staff.employee.viewed_personal").exists()

    def test_operator_sees_everything_and_the_look_is_audited(self, client_as, personas):
        pegawai = personas["pegawai"].employee
        html = detail(client_as("kepegawaian"), pegawai)
        assert pegawai.nik in html and pegawai.address in html
        event = AuditEvent.objects.get(action="staff.employee.viewed_personal")
        assert event.actor == personas["kepegawaian"] and event.target_id == str(pegawai.pk)

    def test_own_profile_is_complete_and_not_audited(self, client_as, personas):
        pegawai = personas["pegawai"].employee
        html = client_as("pegawai").get(reverse("staff:my_profile")).content.decode()
        assert pegawai.nik in html and "Ajukan perbaikan data" in html
        assert not AuditEvent.objects.filter(action="staff.employee.viewed_personal").exists()


@pytest.mark.django_db
class TestList:
    def test_search_by_name_and_by_nip_prefix(self, client_as, personas):
        client = client_as("kepegawaian")
        pegawai = personas["pegawai"].employee
        page = client.get(reverse("staff:employee_list"), {"q": "Ayu Kartika"}).context["page"]
        assert [e.pk for e in page.object_list] == [pegawai.pk]
        spaced = f"{pegawai.nip[:8]} {pegawai.nip[8:14]}"
        page = client.get(reverse("staff:employee_list"), {"q": spaced}).context["page"]
        assert pegawai.pk in [e.pk for e in page.object_list]

    def test_unit_filter_includes_sub_units(self, client_as, personas):
        from staff.models import OrgUnit

        biro = OrgUnit.objects.get(code="BUP")
        page = client_as("kepegawaian").get(reverse("staff:employee_list"), {"unit": biro.pk}).context["page"]
        names = {e.name for e in page.object_list}
        assert personas["pegawai"].employee.name in names and personas["luar"].employee.name not in names

    def test_htmx_search_returns_only_the_rows(self, client_as):
        response = client_as("pegawai").get(
            reverse("staff:employee_list"), {"q": "Made"}, HTTP_HX_REQUEST="true"
        )
        assert b"<html" not in response.content and b"<table" in response.content

    def test_colleagues_see_no_nip_column_in_the_list(self, client_as, personas):
        html = client_as("luar").get(reverse("staff:employee_list")).content.decode()
        assert personas["pegawai"].employee.nip not in html

    @pytest.mark.parametrize("extra", [0, 60])
    @pytest.mark.parametrize("per_page", [25, 100])
    def test_query_count_is_constant_whatever_rows_and_page_size(self, client_as, personas, extra, per_page):
        unit = personas["pegawai"].employee.unit
        Employee.objects.bulk_create(
            [
                Employee(
                    name=f"Pegawai {i:03d}", sex="L", employee_type="NON_ASN", unit=unit, nik=f"51710{i:011d}"
                )
                for i in range(extra)
            ]
        )
        client = client_as("kepegawaian")
        client.get(reverse("staff:employee_list"))
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("staff:employee_list"), {"per_page": per_page})
        assert response.status_code == 200
        # session, user, cache versions, the page (its rows' plain columns: unit and position names
        # come from the versioned cache, as the permission sets, the count and the units filter choices,
        # filled by the first request); no session write on a quick second request
        assert len(ctx.captured_queries) == 4, [q["sql"][:80] for q in ctx.captured_queries]
        assert not any(" JOIN " in q["sql"].upper() for q in ctx.captured_queries)
        assert not any("COUNT(" in q["sql"].upper() for q in ctx.captured_queries)

    def test_a_deep_page_is_one_query_from_its_kept_anchor(self, client_as, personas):
        unit = personas["pegawai"].employee.unit
        Employee.objects.bulk_create(
            [
                Employee(
                    name=f"Pegawai {i:03d}", sex="L", employee_type="NON_ASN", unit=unit, nik=f"51710{i:011d}"
                )
                for i in range(560)
            ]
        )
        client = client_as("kepegawaian")
        client.get(reverse("staff:employee_list"))
        expected = list(Employee.objects.order_by("name", "id").values_list("pk", flat=True)[275:300])
        for first in (True, False):
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(reverse("staff:employee_list"), {"page": 12})
            assert [e.pk for e in response.context["page"].object_list] == expected
            # session, user, cache versions, then the page: one keyset query from the nearest kept page
            # boundary (situok.pagination.id_page; on PostgreSQL an index-only scan of employee_list_idx,
            # staff migration 0006) — the first deep page after a write reads those boundaries first
            sqls = [q["sql"] for q in ctx.captured_queries]
            assert len(sqls) == (5 if first else 4), [sql[:80] for sql in sqls]
            assert sum("ROW_NUMBER" in sql.upper() for sql in sqls) == (1 if first else 0)
            assert not any("COUNT(" in sql.upper() or "OFFSET" in sql.upper() for sql in sqls)


@pytest.mark.django_db
class TestEditing:
    def test_invalid_nip_is_reported_next_to_the_field_and_nothing_is_saved(self, client_as, personas):
        pegawai = personas["pegawai"].employee
        client = client_as("kepegawaian")
        form = client.get(reverse("staff:employee_edit", args=[pegawai.pk])).context["form"]
        data = {k: v for k, v in form.initial.items() if v is not None}
        data.update(nip="19861326201505 1001", name="Nama Baru")
        response = client.post(reverse("staff:employee_edit", args=[pegawai.pk]), data)
        assert response.status_code == 200
        assert "bukan tanggal yang valid" in response.context["form"].errors["nip"][0]
        pegawai.refresh_from_db()
        assert pegawai.name == "Ni Made Ayu Kartika"

    def test_non_asn_without_nik_is_refused(self, personas):
        honorer = personas["honorer"].employee
        honorer.nik = ""
        with pytest.raises(Exception, match="NIK wajib"):
            services.employee_save(honorer, by=personas["kepegawaian"])

    def test_nip_birth_date_mismatch_is_only_a_warning(self, personas):
        pegawai = personas["pegawai"].employee
        pegawai.birth_date = pegawai.birth_date + dt.timedelta(days=1)
        warnings = services.employee_save(pegawai, by=personas["kepegawaian"])
        assert warnings and "berbeda" in str(warnings[0])
        event = AuditEvent.objects.get(action="staff.employee.changed")
        assert event.changes == {"birth_date": ["•", "•"]}  # personal values stay out of the trail

    def test_rank_history_updates_the_current_rank_only_when_newest(self, personas):
        pegawai = personas["pegawai"].employee
        by = personas["kepegawaian"]
        services.rank_add(pegawai, golongan="III/c", tmt=dt.date(2030, 4, 1), by=by)
        pegawai.refresh_from_db()
        assert (pegawai.golongan, pegawai.tmt_golongan) == ("III/c", dt.date(2030, 4, 1))
        services.rank_add(pegawai, golongan="III/a", tmt=dt.date(2010, 4, 1), by=by)
        pegawai.refresh_from_db()
        assert pegawai.golongan == "III/c"
        assert RankHistory.objects.filter(employee=pegawai).count() == 2

    def test_rank_form_via_the_view(self, client_as, personas):
        pegawai = personas["pegawai"].employee
        url = reverse("staff:history_add", args=[pegawai.pk, "pangkat"])
        response = client_as("kepegawaian").post(
            url, {"golongan": "IV/a", "tmt": "2031-10-01", "sk_number": "800/1"}
        )
        assert response.status_code == 302
        pegawai.refresh_from_db()
        assert pegawai.golongan == "IV/a"

    def test_documents_must_be_real_pdfs_and_downloads_are_audited(self, client_as, personas):
        pegawai = personas["pegawai"].employee
        client = client_as("kepegawaian")
        url = reverse("staff:document_upload", args=[pegawai.pk])
        fake = SimpleUploadedFile("sk.pdf", b"MZ not a pdf")
        response = client.post(url, {"kind": "sk_pns", "upload": fake})
        assert "Jenis berkas tidak diizinkan" in response.context["form"].errors["upload"][0]
        assert not pegawai.documents.exists()
        client.post(url, {"kind": "sk_pns", "number": "800/12", "upload": SimpleUploadedFile("sk.pdf", PDF)})
        document = pegawai.documents.get()
        assert "sk" not in document.file.name.rsplit("/", 1)[-1][:2] or document.file.name.endswith(".pdf")
        response = client_as("pegawai").get(
            reverse("staff:document_download", args=[pegawai.pk, document.pk])
        )
        assert b"".join(response.streaming_content) == PDF
        assert AuditEvent.objects.filter(
            action="staff.document.downloaded", actor=personas["pegawai"]
        ).exists()


@pytest.mark.django_db
class TestCorrections:
    def test_request_changes_nothing_until_approved_then_is_applied_and_audited(self, client_as, personas):
        pegawai = personas["pegawai"].employee
        old_phone = pegawai.phone
        client = client_as("pegawai")
        form = client.get(reverse("staff:correction_create")).context["form"]
        data = {k: v for k, v in form.initial.items() if v is not None}
        data.update(phone="081999888777", note="Nomor HP baru")
        data["attachment"] = SimpleUploadedFile("ktp.pdf", PDF)
        response = client.post(reverse("staff:correction_create"), data)
        assert response.status_code == 302
        correction = CorrectionRequest.objects.get()
        assert correction.changes == {"phone": "081999888777"}
        assert correction.status == CorrectionRequest.Status.PENDING
        assert correction_approval(correction).status == "pending"  # waiting in the approval engine
        pegawai.refresh_from_db()
        assert pegawai.phone == old_phone

        operator = client_as("kepegawaian")
        home = operator.get(reverse("home")).content.decode()
        assert "Menunggu persetujuan Anda" in home and "Permohonan perbaikan data" not in home  # one counter
        response = operator.post(
            reverse("staff:correction_decide", args=[correction.pk]), {"decision": "approve"}
        )
        assert response.status_code == 302
        pegawai.refresh_from_db()
        assert pegawai.phone == "081999888777"
        assert AuditEvent.objects.filter(action="staff.correction.approved").exists()
        assert AuditEvent.objects.filter(action="staff.employee.changed", target_id=str(pegawai.pk)).exists()
        assert AuditEvent.objects.filter(action="staff-correction.approval.approved").exists()
        correction.refresh_from_db()
        assert correction.status == CorrectionRequest.Status.APPROVED

    def test_rejection_needs_a_reason(self, client_as, personas):
        pegawai = personas["pegawai"].employee
        correction = services.correction_submit(pegawai, changes={"phone": "0811"}, by=personas["pegawai"])
        response = client_as("kepegawaian").post(
            reverse("staff:correction_decide", args=[correction.pk]),
            {"decision": "reject", "note": " "},
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert re.search(r'invalid-feedback[^>]*id="id_note_error">Tuliskan alasan penolakan', html)
        correction.refresh_from_db()
        assert correction.status == CorrectionRequest.Status.PENDING

    def test_invalid_proposed_nik_is_refused_at_submission(self, personas):
        with pytest.raises(Exception, match="NIK"):
            services.correction_submit(
                personas["pegawai"].employee, changes={"nik": "123"}, by=personas["pegawai"]
            )

    def test_official_fields_cannot_be_requested(self, personas):
        with pytest.raises(services.StaffError):
            services.correction_submit(
                personas["pegawai"].employee, changes={"golongan": "IV/e"}, by=personas["pegawai"]
            )


@pytest.mark.django_db
def test_reminders_page_lists_upcoming_retirements_with_export_links(client_as, personas):
    pegawai = personas["pegawai"].employee
    pegawai.birth_date = dt.date(1968, 6, 15)  # BUP 58 → retires 1 July 2026
    pegawai.save()
    response = client_as("kepegawaian").get(
        reverse("staff:reminders"), {"on": "2026-01-10", "kind": "pensiun"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert pegawai.name in html and "1 Juli 2026" in html
    assert reverse("export_download", args=["staff-reminders", "xlsx"]) in html


@pytest.mark.django_db
def test_profile_shows_the_derived_supervisor_and_the_rank_name(client_as, personas):
    pegawai = personas["pegawai"].employee
    pegawai.golongan = "III/b"
    pegawai.save()
    html = client_as("kepegawaian").get(reverse("staff:employee_detail", args=[pegawai.pk])).content.decode()
    assert personas["atasan"].employee.name in html  # head of the Subbagian, no explicit override
    assert "Penata Muda Tingkat I (III/b)" in html
