"""Data corrections go through the approval engine: submit → the Operator's inbox → return with a note →
the requester revises and resubmits → approve → the record changes (audited); notifications on both
sides, in-app and by e-mail after commit."""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from situok.approval_models import ApprovalPolicy, ApprovalRequest
from situok.approvals import inbox_assignments, inbox_count, policy_publish
from situok.audit import AuditEvent
from situok.notification_models import Notification
from staff import services
from staff.approval import CORRECTION_DOC, correction_approval, ensure_correction_policy
from staff.models import CorrectionRequest

pytestmark = pytest.mark.django_db

NEW_PHONE = "081234567890"
FIXED_PHONE = "081298765432"
RETURN_NOTE = "Nomor belum lengkap; lampirkan juga foto kartu SIM."


class FailingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP server tidak dapat dihubungi")


@pytest.fixture
def people(personas):
    """The personas, with e-mail addresses so notifications are also mailed."""
    for name in ("pegawai", "kepegawaian"):
        personas[name].email = f"{name}@example.test"
        personas[name].save(update_fields=["email"])
    return personas


def submit_via_form(client, **values) -> CorrectionRequest:
    """Post the "Ajukan perbaikan data" form as a person would: the prefilled values plus changes."""
    form = client.get(reverse("staff:correction_create")).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(values)
    response = client.post(reverse("staff:correction_create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return CorrectionRequest.objects.order_by("-id").first()


def decide_in_inbox(client, correction: CorrectionRequest, decision: str, note: str = ""):
    approval = correction_approval(correction)
    return client.post(
        reverse("approval_decide", args=[approval.pk]),
        {"decision": decision, "note": note, "version": approval.version},
    )


def notifications_of(user, kind: str) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind=kind).order_by("id"))


def test_submitting_starts_the_approval_and_the_correction_waits_in_the_operators_inbox(people, client_as):
    pegawai, operator = people["pegawai"], people["kepegawaian"]
    assert not ApprovalPolicy.objects.filter(document_type=CORRECTION_DOC).exists()

    correction = submit_via_form(client_as("pegawai"), phone=NEW_PHONE, note="Nomor HP baru")

    policy = ApprovalPolicy.objects.get(document_type=CORRECTION_DOC, is_active=True)  # published lazily
    assert [(s.rule, s.role) for s in policy.steps.all()] == [("role", "operator_kepegawaian")]
    approval = correction_approval(correction)
    assert approval.status == ApprovalRequest.Status.PENDING
    assert approval.requester == pegawai and approval.requester_employee == pegawai.employee
    assert approval.title == f"Perbaikan data: {pegawai.employee.name_with_titles}"
    assert approval.url == reverse("staff:correction_decide", args=[correction.pk])
    assert approval.actions.get().data["facts"]["fields"] == ["phone"]
    assert correction.status == CorrectionRequest.Status.PENDING

    assert inbox_count(operator) == 1
    assert [a.request_id for a in inbox_assignments(operator)] == [approval.pk]
    inbox = client_as("kepegawaian").get(reverse("inbox")).content.decode()
    assert approval.title in inbox and "Perbaikan data pegawai" in inbox
    home = client_as("kepegawaian").get(reverse("home")).content.decode()
    assert "Menunggu persetujuan Anda" in home
    [note] = notifications_of(operator, "approval_request")
    assert note.title == f"Menunggu persetujuan Anda: {approval.title}"
    for other in ("pegawai", "atasan", "admin"):
        assert inbox_count(people[other]) == 0

    profile = client_as("pegawai").get(reverse("staff:my_profile")).content.decode()
    assert "Menunggu persetujuan: Ni Kadek Sri Wahyuni" in profile
    assert "Permohonan perbaikan sedang diproses" in profile


def test_return_resubmit_approve_notifies_both_sides_and_changes_the_record(
    people, client_as, django_capture_on_commit_callbacks
):
    pegawai, operator = people["pegawai"], people["kepegawaian"]
    requester, approver = client_as("pegawai"), client_as("kepegawaian")
    old_phone = pegawai.employee.phone

    with django_capture_on_commit_callbacks(execute=True):
        correction = submit_via_form(requester, phone=NEW_PHONE, note="Nomor HP baru")
    assert [m.to for m in mail.outbox] == [["kepegawaian@example.test"]]

    # The Operator returns it from the inbox, with what to fix.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = decide_in_inbox(approver, correction, "return", RETURN_NOTE)
    assert response.status_code == 302
    correction.refresh_from_db()
    assert correction.status == CorrectionRequest.Status.RETURNED
    assert correction.decision_note == RETURN_NOTE and correction.decided_by == operator
    [returned] = notifications_of(pegawai, "approval_returned")
    assert returned.title == f"Perlu diperbaiki: Perbaikan data: {pegawai.employee.name_with_titles}"
    assert RETURN_NOTE in returned.body and returned.read_at is None
    assert [m.to for m in mail.outbox] == [["pegawai@example.test"]]
    assert mail.outbox[0].subject.startswith("[SITU OK] Perlu diperbaiki")
    assert inbox_count(operator) == 0

    # The requester sees the note on the profile and in the form, prefilled with what was asked.
    profile = requester.get(reverse("staff:my_profile")).content.decode()
    assert f"Dikembalikan: {RETURN_NOTE}" in profile and "Perbaiki dan ajukan kembali" in profile
    form_page = requester.get(reverse("staff:correction_create"))
    assert form_page.context["form"].initial["phone"] == NEW_PHONE
    assert form_page.context["form"].initial["note"] == "Nomor HP baru"
    assert RETURN_NOTE in form_page.content.decode()
    # Following the notification's link lands on the profile, not on the Operator's page.
    assert requester.get(returned.url).url == reverse("staff:my_profile")

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        resubmitted = submit_via_form(requester, phone=FIXED_PHONE, note="Sudah dilengkapi")
    assert resubmitted.pk == correction.pk  # the same correction, revised
    correction.refresh_from_db()
    assert correction.status == CorrectionRequest.Status.PENDING
    assert correction.changes == {"phone": FIXED_PHONE} and correction.decision_note == ""
    assert ApprovalRequest.objects.filter(document_type=CORRECTION_DOC).count() == 1
    assert len(notifications_of(operator, "approval_request")) == 2
    assert [m.to for m in mail.outbox] == [["kepegawaian@example.test"]]
    assert "Sudah dilengkapi" in mail.outbox[0].body
    pegawai.employee.refresh_from_db()
    assert pegawai.employee.phone == old_phone  # nothing official changed yet

    # The Operator approves on the before/after page; the record changes, audited.
    decide_page = approver.get(reverse("staff:correction_decide", args=[correction.pk]))
    assert decide_page.context["can_decide"] and FIXED_PHONE in decide_page.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = approver.post(
            reverse("staff:correction_decide", args=[correction.pk]),
            {"decision": "approve", "version": decide_page.context["version"]},
        )
    assert response.status_code == 302
    pegawai.employee.refresh_from_db()
    assert pegawai.employee.phone == FIXED_PHONE
    correction.refresh_from_db()
    assert correction.status == CorrectionRequest.Status.APPROVED and correction.decided_by == operator
    assert correction_approval(correction).status == ApprovalRequest.Status.APPROVED
    changed = AuditEvent.objects.get(action="staff.employee.changed", target_id=str(pegawai.employee.pk))
    assert changed.actor == operator and "phone" in changed.changes
    assert AuditEvent.objects.filter(action="staff.correction.approved", actor=operator).exists()
    assert AuditEvent.objects.filter(action=f"{CORRECTION_DOC}.approval.returned").exists()
    [decision] = notifications_of(pegawai, "approval_decision")
    assert decision.title == f"Perbaikan data: {pegawai.employee.name_with_titles} disetujui"
    assert [m.to for m in mail.outbox] == [["pegawai@example.test"]]
    assert FIXED_PHONE in requester.get(reverse("staff:my_profile")).content.decode()


def test_approving_from_the_inbox_applies_the_change_too(people, client_as):
    correction = submit_via_form(client_as("pegawai"), phone=NEW_PHONE)
    response = decide_in_inbox(client_as("kepegawaian"), correction, "approve")
    assert response.status_code == 302
    people["pegawai"].employee.refresh_from_db()
    assert people["pegawai"].employee.phone == NEW_PHONE
    correction.refresh_from_db()
    assert correction.status == CorrectionRequest.Status.APPROVED


@pytest.mark.parametrize(
    ("decision", "message"),
    [("reject", "Tuliskan alasan penolakan."), ("return", "Tuliskan apa yang perlu diperbaiki.")],
)
def test_reject_and_return_need_a_note_shown_next_to_the_field(people, client_as, decision, message):
    correction = submit_via_form(client_as("pegawai"), phone=NEW_PHONE)
    response = client_as("kepegawaian").post(
        reverse("staff:correction_decide", args=[correction.pk]), {"decision": decision, "note": "  "}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(rf'id="id_note_error">{re.escape(message)}', html)
    assert 'aria-invalid="true"' in html or "is-invalid" in html
    correction.refresh_from_db()
    assert correction.status == CorrectionRequest.Status.PENDING
    assert correction_approval(correction).status == ApprovalRequest.Status.PENDING


def test_rejection_ends_the_correction_and_a_new_one_may_follow(people, client_as):
    pegawai = people["pegawai"]
    correction = submit_via_form(client_as("pegawai"), phone=NEW_PHONE)
    services.correction_decide(
        correction, decision="reject", note="Nomor sudah benar di SIMPEG.", by=people["kepegawaian"]
    )
    correction.refresh_from_db()
    assert correction.status == CorrectionRequest.Status.REJECTED
    assert correction.decision_note == "Nomor sudah benar di SIMPEG."
    assert AuditEvent.objects.filter(action="staff.correction.rejected").exists()
    [decision] = notifications_of(pegawai, "approval_decision")
    assert decision.title.endswith("ditolak")
    profile = client_as("pegawai").get(reverse("staff:my_profile")).content.decode()
    assert "Ditolak: Nomor sudah benar di SIMPEG." in profile and "Ajukan perbaikan data" in profile
    pegawai.employee.refresh_from_db()
    assert pegawai.employee.phone != NEW_PHONE
    again = services.correction_submit(pegawai.employee, changes={"phone": FIXED_PHONE}, by=pegawai)
    assert again.status == CorrectionRequest.Status.PENDING


def test_nobody_decides_their_own_correction(people, client_as):
    pegawai = people["pegawai"]
    correction = services.correction_submit(pegawai.employee, changes={"phone": NEW_PHONE}, by=pegawai)
    with pytest.raises(services.StaffError, match="permohonan Anda sendiri"):
        services.correction_decide(correction, decision="approve", by=pegawai)
    assert decide_in_inbox(client_as("pegawai"), correction, "approve").status_code == 403
    # Seeing the Operator's page (change_employee) does not make one an approver of it.
    with pytest.raises(services.StaffError, match="tidak berwenang"):
        services.correction_decide(correction, decision="approve", by=people["admin"])
    correction.refresh_from_db()
    assert correction.status == CorrectionRequest.Status.PENDING


def test_an_operators_own_correction_goes_to_another_operator(people):
    from django.contrib.auth.models import Group

    Group.objects.get(name="operator_kepegawaian").user_set.add(people["admin"])
    operator = people["kepegawaian"]
    correction = services.correction_submit(operator.employee, changes={"phone": NEW_PHONE}, by=operator)
    assert inbox_count(operator) == 0 and inbox_count(people["admin"]) == 1
    with pytest.raises(services.StaffError, match="permohonan Anda sendiri"):
        services.correction_decide(correction, decision="approve", by=operator)
    services.correction_decide(correction, decision="approve", by=people["admin"])
    operator.employee.refresh_from_db()
    assert operator.employee.phone == NEW_PHONE


def test_one_open_correction_at_a_time(people):
    pegawai = people["pegawai"]
    correction = services.correction_submit(pegawai.employee, changes={"phone": NEW_PHONE}, by=pegawai)
    with pytest.raises(services.StaffError, match="menunggu keputusan"):
        services.correction_submit(pegawai.employee, changes={"phone": FIXED_PHONE}, by=pegawai)
    services.correction_decide(correction, decision="return", note="Lengkapi.", by=people["kepegawaian"])
    with pytest.raises(services.StaffError, match="ajukan kembali"):
        services.correction_submit(pegawai.employee, changes={"phone": FIXED_PHONE}, by=pegawai)


def test_only_a_returned_correction_is_resubmitted_and_only_by_its_requester(people):
    pegawai = people["pegawai"]
    correction = services.correction_submit(pegawai.employee, changes={"phone": NEW_PHONE}, by=pegawai)
    with pytest.raises(services.StaffError, match="dikembalikan"):
        services.correction_resubmit(correction, changes={"phone": FIXED_PHONE}, by=pegawai)
    services.correction_decide(correction, decision="return", note="Lengkapi.", by=people["kepegawaian"])
    with pytest.raises(services.StaffError, match="Hanya pemohon"):
        services.correction_resubmit(correction, changes={"phone": FIXED_PHONE}, by=people["luar"])
    with pytest.raises(services.StaffError, match="Tidak ada perubahan"):
        services.correction_resubmit(correction, changes={"phone": pegawai.employee.phone}, by=pegawai)
    correction.refresh_from_db()
    assert correction.status == CorrectionRequest.Status.RETURNED
    assert correction.changes == {"phone": NEW_PHONE}


def test_a_decision_on_a_stale_page_is_refused(people, client_as):
    pegawai, operator = people["pegawai"], people["kepegawaian"]
    correction = services.correction_submit(pegawai.employee, changes={"phone": NEW_PHONE}, by=pegawai)
    stale = correction_approval(correction).version
    services.correction_decide(correction, decision="return", note="Lengkapi.", by=operator)
    services.correction_resubmit(correction, changes={"phone": FIXED_PHONE}, by=pegawai)
    response = client_as("kepegawaian").post(
        reverse("staff:correction_decide", args=[correction.pk]), {"decision": "approve", "version": stale}
    )
    assert "sudah diproses oleh orang lain" in response.content.decode()
    pegawai.employee.refresh_from_db()
    assert pegawai.employee.phone != FIXED_PHONE


def test_a_failing_mail_server_does_not_break_the_approval(
    people, client_as, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    pegawai, operator = people["pegawai"], people["kepegawaian"]
    with django_capture_on_commit_callbacks(execute=True):
        correction = submit_via_form(client_as("pegawai"), phone=NEW_PHONE)
    with django_capture_on_commit_callbacks(execute=True):
        assert decide_in_inbox(client_as("kepegawaian"), correction, "approve").status_code == 302
    pegawai.employee.refresh_from_db()
    assert pegawai.employee.phone == NEW_PHONE
    sent = Notification.objects.filter(recipient__in=[pegawai, operator])
    assert sent.count() == 2
    assert all("SMTP server tidak dapat dihubungi" in n.email_error for n in sent)
    assert mail.outbox == []


def test_a_correction_filed_before_the_engine_is_decided_through_it(people, client_as):
    pegawai = people["pegawai"]
    legacy = CorrectionRequest.objects.create(
        employee=pegawai.employee, requested_by=pegawai, changes={"phone": NEW_PHONE}
    )
    response = client_as("kepegawaian").post(
        reverse("staff:correction_decide", args=[legacy.pk]), {"decision": "approve"}
    )
    assert response.status_code == 302
    pegawai.employee.refresh_from_db()
    assert pegawai.employee.phone == NEW_PHONE
    approval = correction_approval(legacy)
    assert approval.status == ApprovalRequest.Status.APPROVED and approval.requester == pegawai


def test_the_default_policy_is_published_once_and_an_administrators_version_is_kept(people):
    first = ensure_correction_policy()
    assert ensure_correction_policy() == first
    custom = policy_publish(
        CORRECTION_DOC,
        name="Perbaikan data (dua langkah)",
        steps=[
            {"name": "Kepala Subbagian", "rule": "unit_head"},
            {"name": "Operator Kepegawaian", "rule": "role", "role": "operator_kepegawaian"},
        ],
        by=people["admin"],
    )
    assert ensure_correction_policy() == custom
    assert ApprovalPolicy.objects.filter(document_type=CORRECTION_DOC).count() == 2


def test_seed_demo_publishes_the_correction_policy(people):
    from django.core.management import call_command

    for _ in range(2):
        call_command("seed_demo", "--force", stdout=io.StringIO())
    assert ApprovalPolicy.objects.filter(document_type=CORRECTION_DOC, is_active=True).count() == 1
    assert ApprovalPolicy.objects.filter(document_type=CORRECTION_DOC).count() == 1
