import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from situok.audit import AuditEvent, log_action


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.django_db
def test_excel_export_contains_exactly_the_filtered_rows_and_is_audited(client_as, personas):
    log_action(None, "travel.trip.approved", by=personas["pimpinan"])
    log_action(None, "travel.trip.approved", by=personas["pimpinan"], data={"n": 2})
    log_action(None, '=HYPERLINK("http://x")', by=personas["pegawai"])
    response = client_as("admin").get(
        reverse("export_download", args=["audit", "xlsx"]), {"action": "travel."}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(_body(response))).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 2
    assert {r[3] for r in rows} == {"travel.trip.approved"}
    assert sheet.freeze_panes == "A2"
    event = AuditEvent.objects.get(action="export.audit")
    assert event.actor == personas["admin"]
    assert event.data["format"] == "xlsx" and event.data["filters"] == {"action": "travel."}


@pytest.mark.django_db
def test_formula_payloads_in_audit_data_are_neutralised_in_excel(client_as, personas):
    log_action(None, "=cmd|' /C calc'!A0", by=personas["pegawai"])
    response = client_as("admin").get(reverse("export_download", args=["audit", "xlsx"]), {"user": "pegawai"})
    sheet = load_workbook(io.BytesIO(_body(response))).active
    cell = sheet.cell(row=2, column=4)
    assert cell.data_type == "s" and cell.value.startswith("'=")


@pytest.mark.django_db
def test_pdf_export_has_letterhead_title_and_rows(client_as, personas):
    log_action(personas["pegawai"].employee, "staff.employee.viewed_personal", by=personas["kepegawaian"])
    response = client_as("admin").get(reverse("export_download", args=["audit", "pdf"]), {"action": "staff."})
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(_body(response))).pages)
    assert "PEMERINTAH PROVINSI BALI" in text
    assert "Jejak Audit" in text
    assert "staff.employee.viewed_personal" in "".join(text.split())  # long cells wrap
    assert "Halaman 1 dari 1" in text


@pytest.mark.django_db
def test_a_large_export_runs_as_a_background_job_with_progress(
    client_as, personas, settings, django_capture_on_commit_callbacks
):
    from situok.job_models import Job

    settings.EXPORT_BACKGROUND_ROWS = 3
    AuditEvent.objects.bulk_create([AuditEvent(action=f"test.e{i}") for i in range(5)])
    client = client_as("admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("export_download", args=["audit", "xlsx"]), {"action": "test."})
    job = Job.objects.get(owner=personas["admin"])
    assert response.status_code == 302 and response["Location"] == reverse("job_detail", args=[job.pk])
    job.refresh_from_db()  # eager without a broker: the job ran when the request committed
    assert (job.status, job.progress) == ("done", 100)
    download = client.get(reverse("job_download", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(_body(download))).active
    assert sheet.max_row == 6
    assert client_as("pegawai").get(reverse("job_download", args=[job.pk])).status_code == 404
