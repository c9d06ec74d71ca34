"""Notification tables: one row per in-app message, and per-user e-mail preferences per category.

The logic (rendering, sending, the category registry) lives in :mod:`situok.notifications`; this module
only holds the models (registered by importing them in ``situok/models.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message to one user: shown in the bell and the list, optionally also sent by e-mail.

    ``title`` and ``body`` are rendered once, when the notification is created, from the message kind's
    templates (``templates/emails/<kind>/``), so the list never re-renders templates. ``email_sent_at`` /
    ``email_error`` record what happened to the e-mail copy (both empty: no e-mail was wanted or it is
    still queued).
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("penerima"),
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,  # the composite indexes below start with the recipient
    )
    category = models.CharField(_("kategori"), max_length=40)
    kind = models.CharField(_("jenis pesan"), max_length=60)
    title = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi"), blank=True)
    url = models.CharField(_("tautan"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("waktu"), default=timezone.now, editable=False)
    read_at = models.DateTimeField(_("dibaca pada"), null=True, blank=True)
    email_sent_at = models.DateTimeField(_("surel terkirim pada"), null=True, blank=True)
    email_error = models.TextField(_("galat surel"), blank=True)

    class Meta:
        app_label = "situok"
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The bell (unread count) and the list (newest first) both start from this prefix.
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notif_recipient_unread_idx"),
            models.Index(fields=["recipient", "-created_at"], name="notif_recipient_created_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """Whether ``user`` wants e-mail for ``category``. No row means the default: e-mail on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pengguna"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        db_index=False,  # covered by notifpref_user_category_uniq
    )
    category = models.CharField(_("kategori"), max_length=40)
    email_enabled = models.BooleanField(_("kirim surel"), default=True)

    class Meta:
        app_label = "situok"
        verbose_name = _("preferensi notifikasi")
        verbose_name_plural = _("preferensi notifikasi")
        constraints = [
            models.UniqueConstraint(fields=["user", "category"], name="notifpref_user_category_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.category} {'on' if self.email_enabled else 'off'}"
