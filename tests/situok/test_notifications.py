"""Notifications: in-app rows, e-mail after commit, preferences, a failing mail server, the pages."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from situok.notification_models import Notification, NotificationPreference
from situok.notifications import (
    CATEGORIES,
    notification_preferences_for,
    notification_preferences_set,
    notify,
    notify_many,
    unread_count,
)


class FailingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP server tidak dapat dihubungi")


def _approval_context(**extra):
    return {"object_label": "SPT 090/12/BUP/2026", "actor_name": "I Made Pegawai", "note": "", **extra}


@pytest.fixture
def pegawai(personas):
    user = personas["pegawai"]
    user.email = "pegawai@example.test"
    user.save(update_fields=["email"])
    return user


@pytest.mark.django_db
def test_notify_creates_the_in_app_notification_and_sends_the_email_after_commit(
    pegawai, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = notify(pegawai, "approval_request", context=_approval_context(), url="/tugas/")
        assert mail.outbox == []  # nothing leaves before the transaction commits
    assert len(callbacks) == 1
    assert notification.category == "approval_request"
    assert notification.title == "Menunggu persetujuan Anda: SPT 090/12/BUP/2026"
    assert "I Made Pegawai mengajukan SPT 090/12/BUP/2026" in notification.body
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["pegawai@example.test"]
    assert message.subject == "[SITU OK] Menunggu persetujuan Anda: SPT 090/12/BUP/2026"
    assert "I Made Pegawai mengajukan" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "<strong>SPT 090/12/BUP/2026</strong>" in html
    notification.refresh_from_db()
    assert notification.email_sent_at is not None and notification.email_error == ""
    assert unread_count(pegawai) == 1


@pytest.mark.django_db
def test_nothing_is_sent_and_nothing_stays_when_the_transaction_rolls_back(
    pegawai, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(pegawai, "approval_request", context=_approval_context(), url="")
        raise RuntimeError("the service failed after notifying")
    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.filter(recipient=pegawai).exists()


@pytest.mark.django_db
def test_category_switched_off_gives_in_app_notification_but_no_email(
    pegawai, django_capture_on_commit_callbacks
):
    notification_preferences_set(pegawai, {"approval_decision": False})
    with django_capture_on_commit_callbacks(execute=True):
        notify(pegawai, "approval_decision", context=_approval_context(approved=True))
        notify(pegawai, "approval_returned", context=_approval_context(note="Lampiran kurang"))
    assert Notification.objects.filter(recipient=pegawai).count() == 2
    assert [m.subject for m in mail.outbox] == ["[SITU OK] Perlu diperbaiki: SPT 090/12/BUP/2026"]
    assert "Catatan: Lampiran kurang" in mail.outbox[0].body


@pytest.mark.django_db
def test_preferences_default_to_email_on_for_every_category(pegawai):
    assert notification_preferences_for(pegawai) == dict.fromkeys(CATEGORIES, True)
    notification_preferences_set(pegawai, {"reminder": False, "no_such_category": False})
    prefs = notification_preferences_for(pegawai)
    assert prefs["reminder"] is False and prefs["approval_request"] is True
    assert not NotificationPreference.objects.filter(category="no_such_category").exists()


@pytest.mark.django_db
def test_a_failing_mail_server_never_raises_and_is_recorded_on_the_notification(
    pegawai, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(pegawai, "reminder", context={"reminder_title": "Laporan kinerja harian"})
    notification.refresh_from_db()
    assert "SMTP server tidak dapat dihubungi" in notification.email_error
    assert notification.email_sent_at is None
    assert any("failed" in record.getMessage() for record in caplog.records)


@pytest.mark.django_db
def test_users_without_an_address_get_only_the_in_app_notification(
    personas, django_capture_on_commit_callbacks
):
    luar = personas["luar"]
    luar.email = ""
    luar.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(luar, "reminder", context={"reminder_title": "Cek agenda"})
    assert callbacks == [] and mail.outbox == []
    assert unread_count(luar) == 1


@pytest.mark.django_db
def test_notify_many_notifies_each_person_once(personas):
    users = [personas["pegawai"], personas["atasan"], personas["pegawai"], None]
    created = notify_many(users, "reminder", context={"reminder_title": "Rapat"})
    assert len(created) == 2
    assert {n.recipient_id for n in created} == {personas["pegawai"].pk, personas["atasan"].pk}


@pytest.mark.django_db
def test_configuration_errors_raise(pegawai):
    with pytest.raises(ImproperlyConfigured):
        notify(pegawai, "nonexistent_kind", context={})
    with pytest.raises(ValueError, match="local path"):
        notify(pegawai, "reminder", context={"reminder_title": "x"}, url="https://evil.example/")


@pytest.mark.django_db
def test_bell_partial_shows_the_unread_count_and_the_latest_five(pegawai, client_as):
    for i in range(7):
        notify(pegawai, "reminder", context={"reminder_title": f"Pengingat nomor {i}"})
    oldest = Notification.objects.filter(recipient=pegawai).order_by("id").first()
    Notification.objects.filter(pk=oldest.pk).update(read_at=timezone.now())
    response = client_as("pegawai").get(reverse("notification_bell"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="notification-count"' in html
    assert ">6<" in html
    assert html.count('/baca/"') == 5
    assert "Pengingat nomor 6" in html and "Pengingat nomor 1" not in html


@pytest.mark.django_db
def test_bell_without_unread_shows_no_badge(client_as):
    html = client_as("pegawai").get(reverse("notification_bell")).content.decode()
    assert 'data-testid="notification-count"' not in html
    assert "Belum ada notifikasi." in html


@pytest.mark.django_db
def test_an_expired_session_polling_the_bell_is_sent_to_the_login_page(client):
    response = client.get(
        reverse("notification_bell"), HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="http://testserver/pegawai/"
    )
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(reverse("login"))
    assert "next=/pegawai/" in response["HX-Redirect"]
    assert client.get(reverse("notification_bell")).status_code == 302  # without htmx: plain redirect


@pytest.mark.django_db
def test_marking_read_opens_the_target_and_lowers_the_count(pegawai, client_as):
    notification = notify(pegawai, "reminder", context={"reminder_title": "Cek"}, url="/tugas/")
    response = client_as("pegawai").post(reverse("notification_read", args=[notification.pk]))
    assert response.status_code == 302 and response["Location"] == "/tugas/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert unread_count(pegawai) == 0


@pytest.mark.django_db
def test_marking_read_without_a_target_returns_to_the_list(pegawai, client_as):
    notification = notify(pegawai, "reminder", context={"reminder_title": "Cek"})
    response = client_as("pegawai").post(reverse("notification_read", args=[notification.pk]))
    assert response["Location"] == reverse("notifications")


@pytest.mark.django_db
def test_another_users_notification_is_404_on_mark_read(pegawai, client_as):
    notification = notify(pegawai, "reminder", context={"reminder_title": "Rahasia"})
    for persona in ("luar", "atasan", "admin"):
        response = client_as(persona).post(reverse("notification_read", args=[notification.pk]))
        assert response.status_code == 404, persona
    notification.refresh_from_db()
    assert notification.read_at is None


@pytest.mark.django_db
def test_mark_all_read_only_touches_my_notifications(pegawai, personas, client_as):
    notify_many([pegawai, personas["atasan"]], "reminder", context={"reminder_title": "Apel pagi"})
    notify(pegawai, "reminder", context={"reminder_title": "Apel sore"})
    response = client_as("pegawai").post(reverse("notifications_read_all"))
    assert response.status_code == 302
    assert unread_count(pegawai) == 0
    assert unread_count(personas["atasan"]) == 1


@pytest.mark.django_db
def test_list_is_newest_first_and_its_query_count_does_not_grow_with_rows(
    pegawai, client_as, django_assert_max_num_queries
):
    client = client_as("pegawai")
    notify(pegawai, "reminder", context={"reminder_title": "Pertama"})
    client.get(reverse("notifications"))  # warm up session and caches
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("notifications"))
    for i in range(30):
        notify(pegawai, "reminder", context={"reminder_title": f"Nomor {i}"})
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("notifications"))
    html = response.content.decode()
    assert html.index("Nomor 29") < html.index("Nomor 28")
    assert "Pertama" not in html  # on page 2 (25 per page)
    assert 'data-testid="next-page"' in html


@pytest.mark.django_db
def test_preferences_page_saves_the_switches(pegawai, client_as):
    client = client_as("pegawai")
    html = client.get(reverse("notification_preferences")).content.decode()
    assert html.count('type="checkbox"') == len(CATEGORIES)
    assert html.count(" checked") == len(CATEGORIES)
    response = client.post(reverse("notification_preferences"), {"approval_request": "on", "reminder": "on"})
    assert response.status_code == 302
    prefs = notification_preferences_for(pegawai)
    assert prefs["approval_request"] and prefs["reminder"]
    assert not prefs["approval_decision"] and not prefs["job_finished"]
    html = client.get(reverse("notification_preferences")).content.decode()
    assert html.count(" checked") == 2
