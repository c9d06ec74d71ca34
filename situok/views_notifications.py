"""Notification pages: the list, mark read, e-mail preferences and the navbar bell (htmx partial).

``urlpatterns`` here also carries the background-job pages of :mod:`situok.views_jobs`;
``situok/urls.py`` mounts it at the root (paths ``notifikasi/…`` and ``tugas/…``, names without namespace).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .notifications import (
    CATEGORIES,
    notification_get_for_user,
    notification_list_for_user,
    notification_mark_read,
    notification_preferences_for,
    notification_preferences_set,
    notifications_latest,
    notifications_mark_all_read,
    unread_count,
)
from .permissions import require_login
from .views_jobs import require_login_polling
from .views_jobs import urlpatterns as jobs_urlpatterns

PER_PAGE = 25
BELL_LATEST = 5


class NotificationPreferencesForm(forms.Form):
    """One e-mail switch per registered category."""

    def __init__(self, *args, initial_values: dict[str, bool], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for category in CATEGORIES.values():
            self.fields[category.code] = forms.BooleanField(
                label=category.label,
                help_text=category.description,
                required=False,
                initial=initial_values.get(category.code, True),
            )


@require_login
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(notification_list_for_user(request.user), PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "unread": unread_count(request.user)}
    return render(request, "situok/notifications.html", context)


@require_login
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read and open what it points to."""
    notification = notification_get_for_user(request.user, pk)
    notification_mark_read(notification)
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(notification.url)
    return redirect("notifications")


@require_login
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = notifications_mark_all_read(request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)s notifikasi ditandai sudah dibaca.",
                "%(count)s notifikasi ditandai sudah dibaca.",
                count,
            )
            % {"count": count},
        )
    return redirect("notifications")


@require_login
@require_http_methods(["GET", "POST"])
def notification_preferences(request: HttpRequest) -> HttpResponse:
    # An empty POST is valid: every switch off (unchecked boxes are not submitted).
    data = request.POST if request.method == "POST" else None
    form = NotificationPreferencesForm(data, initial_values=notification_preferences_for(request.user))
    if request.method == "POST" and form.is_valid():
        notification_preferences_set(request.user, form.cleaned_data)
        messages.success(request, _("Preferensi notifikasi disimpan."))
        return redirect("notification_preferences")
    return render(request, "situok/notification_preferences.html", {"form": form})


@require_login_polling
@require_GET
def notification_bell(request: HttpRequest) -> HttpResponse:
    """Navbar partial: unread count and the latest notifications (base.html polls it every minute)."""
    context = {
        "unread": unread_count(request.user),
        "latest": notifications_latest(request.user, BELL_LATEST),
    }
    response = render(request, "situok/partials/notification_bell.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("notifikasi/", notification_list, name="notifications"),
    path("notifikasi/<int:pk>/baca/", notification_read, name="notification_read"),
    path("notifikasi/baca-semua/", notifications_read_all, name="notifications_read_all"),
    path("notifikasi/preferensi/", notification_preferences, name="notification_preferences"),
    path("notifikasi/lonceng/", notification_bell, name="notification_bell"),
    *jobs_urlpatterns,
]
