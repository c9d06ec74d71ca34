"""In-app and e-mail notifications (design.md §1, issue 4 item 5).

One call, :func:`notify`, tells a user something happened:

* an in-app :class:`~situok.notification_models.Notification` row is written **in the caller's
  transaction** (rolled back with it), shown by the navbar bell and the notification list;
* an e-mail copy is sent **after the transaction commits** (``transaction.on_commit``), through the Celery
  task :func:`situok.tasks.send_notification_email` — on a worker when a broker is configured, in-process
  (eager) otherwise — unless the recipient switched e-mail off for the message's category or has no
  address. Sending never breaks the request: a failing mail backend is logged and recorded on the
  notification (``email_error``), never raised.

Every message *kind* has a template triplet in ``templates/emails/<kind>/``: ``subject.txt`` (also the
in-app title), ``body.txt`` (also the in-app text) and ``body.html`` (extends ``emails/base.html``). The
templates are Indonesian and are rendered once, when the notification is created, with the caller's
``context`` plus ``recipient``, ``recipient_name``, ``url`` and ``absolute_url``.

A kind belongs to a *category* (the unit of the per-user e-mail preference). The built-in kinds are
named after their category; other modules may add kinds (with their own templates) and pass
``category=`` explicitly. Built-in kinds and the context they read:

``approval_request``   ``object_label``, ``actor_name`` (the requester), optional ``note``
``approval_decision``  ``object_label``, ``actor_name`` (who decided), ``approved`` (bool), optional ``note``
``approval_returned``  ``object_label``, ``actor_name``, optional ``note`` (what to fix)
``reminder``           ``reminder_title``, optional ``reminder_text`` and ``due_date`` (a date)
``job_finished``       ``job`` (a :class:`~situok.job_models.Job`)
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from .notification_models import Notification, NotificationPreference
from .permissions import get_for_user

logger = logging.getLogger(__name__)

__all__ = [
    "CATEGORIES",
    "Category",
    "Notification",
    "NotificationPreference",
    "email_enabled",
    "notification_get_for_user",
    "notification_list_for_user",
    "notification_mark_read",
    "notification_preferences_for",
    "notification_preferences_set",
    "notification_send_email",
    "notifications_latest",
    "notifications_mark_all_read",
    "notify",
    "notify_many",
    "register_category",
    "unread_count",
]

EMAIL_SUBJECT_PREFIX = "[SITU OK] "
MAX_ERROR_CHARS = 2000
_KIND_RE = re.compile(r"^[a-z][a-z0-9_]{0,59}$")


# --- Category registry -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Category:
    """A group of messages a user can switch e-mail on or off for (the preferences page lists them)."""

    code: str
    label: Promise | str
    description: Promise | str = ""


CATEGORIES: dict[str, Category] = {}


def register_category(code: str, label: Promise | str, description: Promise | str = "") -> Category:
    """Declare a category (from module import or ``AppConfig.ready``). Re-registering a code with the same
    label is a no-op; a different label is a configuration error (two modules disagree)."""
    if not _KIND_RE.match(code) or len(code) > 40:
        raise ImproperlyConfigured(f"Notification category {code!r} must be a short snake_case code")
    category = Category(code, label, description)
    existing = CATEGORIES.get(code)
    if existing is not None and str(existing.label) != str(label):
        raise ImproperlyConfigured(
            f"Notification category {code!r} is registered twice with different labels"
        )
    CATEGORIES.setdefault(code, category)
    return CATEGORIES[code]


register_category(
    "approval_request",
    _("Permintaan persetujuan"),
    _("Ada permohonan yang menunggu persetujuan Anda."),
)
register_category(
    "approval_decision",
    _("Keputusan persetujuan"),
    _("Permohonan Anda disetujui atau ditolak."),
)
register_category(
    "approval_returned",
    _("Permohonan dikembalikan"),
    _("Permohonan Anda dikembalikan untuk diperbaiki."),
)
register_category("reminder", _("Pengingat"), _("Pengingat tenggat waktu dan jadwal."))
register_category(
    "job_finished",
    _("Tugas latar belakang selesai"),
    _("Ekspor atau proses panjang yang Anda jalankan telah selesai."),
)


def _category_for(kind: str, category: str | None) -> str:
    if not _KIND_RE.match(kind):
        raise ImproperlyConfigured(f"Notification kind {kind!r} must be a snake_case code")
    code = category or kind
    if code not in CATEGORIES:
        raise ImproperlyConfigured(
            f"Notification category {code!r} is not registered (pass category= for kind {kind!r})"
        )
    return code


# --- Preferences -----------------------------------------------------------------------------------
def notification_preferences_for(user) -> dict[str, bool]:
    """``{category code: e-mail on?}`` for every registered category (missing rows read as on)."""
    values = dict.fromkeys(CATEGORIES, True)
    rows = NotificationPreference.objects.filter(user=user, category__in=list(CATEGORIES))
    values.update(dict(rows.values_list("category", "email_enabled")))
    return values


def email_enabled(user, category: str) -> bool:
    """Whether ``user`` wants e-mail for ``category`` (default: yes)."""
    value = (
        NotificationPreference.objects.filter(user=user, category=category)
        .values_list("email_enabled", flat=True)
        .first()
    )
    return True if value is None else bool(value)


@transaction.atomic
def notification_preferences_set(user, values: Mapping[str, bool]) -> None:
    """Store the e-mail switch of each registered category present in ``values`` (others untouched)."""
    for code in CATEGORIES:
        if code in values:
            NotificationPreference.objects.update_or_create(
                user=user, category=code, defaults={"email_enabled": bool(values[code])}
            )


# --- Rendering -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RenderedMessage:
    title: str
    body: str
    email_subject: str
    email_text: str
    email_html: str


def _absolute_url(url: str) -> str:
    """``url`` prefixed with ``settings.SITUOK_BASE_URL`` (e-mails need absolute links)."""
    base = str(getattr(settings, "SITUOK_BASE_URL", "") or "").rstrip("/")
    return f"{base}{url}" if url and base else url


def render_message(kind: str, *, context: Mapping[str, Any], recipient, url: str = "") -> RenderedMessage:
    """Render the template triplet of ``kind`` for ``recipient`` (in the site language)."""
    ctx = {
        **context,
        "recipient": recipient,
        "recipient_name": recipient.get_full_name() or recipient.get_username(),
        "url": url,
        "absolute_url": _absolute_url(url),
        "institution": getattr(settings, "SITUOK_INSTITUTION", {}),
    }
    with translation.override(settings.LANGUAGE_CODE):
        title = " ".join(render_to_string(f"emails/{kind}/subject.txt", ctx).split())[:200]
        body = render_to_string(f"emails/{kind}/body.txt", ctx).strip()
        ctx.update(title=title, body=body)
        email_text = render_to_string("emails/base.txt", ctx).strip() + "\n"
        email_html = render_to_string(f"emails/{kind}/body.html", ctx)
    return RenderedMessage(
        title=title,
        body=body,
        email_subject=f"{EMAIL_SUBJECT_PREFIX}{title}",
        email_text=email_text,
        email_html=email_html,
    )


def _checked_url(url: str) -> str:
    # The mark-read view redirects to this URL, so only same-site paths are accepted.
    url = url or ""
    if url and not (url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None)):
        raise ValueError(f"Notification url must be a local path, got {url!r}")
    return url


# --- Sending ---------------------------------------------------------------------------------------
def notify(
    recipient,
    kind: str,
    *,
    context: Mapping[str, Any],
    url: str = "",
    category: str | None = None,
) -> Notification:
    """Create an in-app notification for ``recipient`` and e-mail a copy after the transaction commits.

    ``kind`` selects the templates (``templates/emails/<kind>/``); ``category`` defaults to ``kind`` and
    must be registered. ``url`` is a local path (``reverse(...)``) the notification opens. The e-mail is
    skipped when the recipient is inactive, has no address or switched the category off. Configuration
    errors (unknown kind/category, missing template, external URL) raise; sending never does.
    """
    code = _category_for(kind, category)
    url = _checked_url(url)
    message = render_message(kind, context=context, recipient=recipient, url=url)
    notification = Notification.objects.create(
        recipient=recipient,
        category=code,
        kind=kind,
        title=message.title,
        body=message.body,
        url=url,
    )
    if recipient.is_active and recipient.email and email_enabled(recipient, code):
        _mail_after_commit(notification, message)
    return notification


def _mail_after_commit(notification: Notification, message: RenderedMessage) -> None:
    """Queue the e-mail of a notification once the transaction that wrote it commits."""
    transaction.on_commit(
        partial(
            _enqueue_email, notification.pk, message.email_subject, message.email_text, message.email_html
        ),
        robust=True,
    )


def notify_many(
    recipients: Iterable,
    kind: str,
    *,
    context: Mapping[str, Any],
    url: str = "",
    category: str | None = None,
) -> list[Notification]:
    """:func:`notify` each distinct recipient once (``None`` entries are ignored): the same rows and
    e-mails, written with one INSERT and one read of the e-mail preferences."""
    seen: set[int] = set()
    people = []
    for recipient in recipients:
        if recipient is None or recipient.pk in seen:
            continue
        seen.add(recipient.pk)
        people.append(recipient)
    if len(people) <= 1:
        return [notify(r, kind, context=context, url=url, category=category) for r in people]
    code = _category_for(kind, category)
    url = _checked_url(url)
    messages = [render_message(kind, context=context, recipient=r, url=url) for r in people]
    created = Notification.objects.bulk_create(
        [
            Notification(recipient=r, category=code, kind=kind, title=m.title, body=m.body, url=url)
            for r, m in zip(people, messages, strict=True)
        ]
    )
    mailable = [r.pk for r in people if r.is_active and r.email]
    switched_off: set[int] = set()
    if mailable:
        off = NotificationPreference.objects.filter(user__in=mailable, category=code, email_enabled=False)
        switched_off = set(off.values_list("user_id", flat=True))
    for recipient, message, notification in zip(people, messages, created, strict=True):
        if recipient.is_active and recipient.email and recipient.pk not in switched_off:
            _mail_after_commit(notification, message)
    return created


def _enqueue_email(notification_id: int, subject: str, text: str, html: str) -> None:
    """on_commit callback: hand the e-mail to Celery; if the broker refuses, send it in-process."""
    from .tasks import send_notification_email

    try:
        send_notification_email.delay(notification_id, subject, text, html)
    except Exception:
        logger.exception(
            "Could not queue the e-mail of notification %s; sending it in-process", notification_id
        )
        notification_send_email(notification_id, subject, text, html)


def notification_send_email(notification_id: int, subject: str, text: str, html: str) -> bool:
    """Send the e-mail copy of a notification; record the outcome on the row. Never raises.

    Returns whether the mail backend accepted the message.
    """
    try:
        notification = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
        if notification is None or not notification.recipient.email:
            return False
        message = EmailMultiAlternatives(
            subject=subject,
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[notification.recipient.email],
        )
        message.attach_alternative(html, "text/html")
        message.send()
    except Exception as exc:
        logger.exception("E-mail of notification %s failed", notification_id)
        error = f"{type(exc).__name__}: {exc}"[:MAX_ERROR_CHARS]
        try:
            Notification.objects.filter(pk=notification_id).update(email_error=error)
        except Exception:
            logger.exception("Could not record the e-mail error of notification %s", notification_id)
        return False
    Notification.objects.filter(pk=notification_id).update(email_sent_at=timezone.now(), email_error="")
    return True


# --- Reading and marking ---------------------------------------------------------------------------
def notification_list_for_user(user) -> QuerySet[Notification]:
    """The user's own notifications, newest first."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def notifications_latest(user, limit: int = 5) -> list[Notification]:
    return list(notification_list_for_user(user)[:limit])


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_get_for_user(user, pk) -> Notification:
    """The notification ``pk`` if it belongs to ``user``; 404 otherwise."""
    return get_for_user(
        user,
        Notification.objects.all(),
        pk,
        visible=lambda u, qs: qs.filter(recipient=u) if getattr(u, "is_authenticated", False) else qs.none(),
    )


def notification_mark_read(notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )


def notifications_mark_all_read(user) -> int:
    """Mark every unread notification of ``user`` read; returns how many changed."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
