"""The page chrome of base.html in Python: ``{% load situok_shell %}``.

Every signed-in page renders the same head, navigation and footer. Through the template language they
cost more than many pages' own content (a node evaluation per attribute, a permission check per menu
item, a ``{% static %}`` lookup per asset). These tags produce the same markup from strings built once
per process and language — the navigation once per (language, visible menu, active item, user name) —
and only the per-request parts (CSRF tokens, the current path) are filled in on every request.
"""

from __future__ import annotations

import functools

from django import template
from django.conf import settings
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ..permissions import MENU, menu_for
from ..tables import fill, frame, slot

register = template.Library()

_urls: dict[tuple[str, str | None, str], str] = {}
_CSRF = slot("csrf")  # in the cached markup, filled per request
_NEXT = slot("next")
_CACHE_SIZE = 256


def fixed_url(name: str) -> str:
    """``reverse(name)`` for a URL without arguments, remembered per script prefix and URLconf."""
    key = (get_script_prefix(), get_urlconf(), name)
    url = _urls.get(key)
    if url is None:
        url = _urls[key] = reverse(name)
    return url


@register.simple_tag(name="fixed_url")
def fixed_url_tag(name: str) -> str:
    """``{% url 'name' %}`` for argument-less URLs, without reversing on every page."""
    return fixed_url(name)


@functools.lru_cache(maxsize=8)
def _head_open(language: str) -> str:
    return f'<!doctype html>\n\n<html lang="{escape(language)}">\n<head>\n  <meta charset="utf-8">\n  <meta name="viewport" content="width=device-width, initial-scale=1">\n  <meta name="htmx-config" content=\'{{"includeIndicatorStyles": false}}\'>\n  <title>'


@functools.lru_cache(maxsize=8)
def _head_close(language: str, prefix: str) -> str:
    del language, prefix  # cache keys only: static() depends on the script prefix
    styles = (
        "vendor/bootstrap/bootstrap.min.css",
        "vendor/bootstrap-icons/bootstrap-icons.min.css",
        "css/app.css",
    )
    scripts = ("vendor/htmx/htmx.min.js", "vendor/bootstrap/bootstrap.bundle.min.js", "js/app.js")
    return "".join(
        [" · SITU OK</title>\n"]
        + [f'  <link rel="stylesheet" href="{escape(static(path))}">\n' for path in styles]
        + [f'  <script src="{escape(static(path))}" defer></script>\n' for path in scripts]
        + ["</head>\n"]
    )


@register.simple_tag
def shell_head_open() -> str:
    """``<!doctype html>`` … ``<title>`` (the page's title block follows)."""
    return mark_safe(_head_open(get_language() or settings.LANGUAGE_CODE))


def _menu_markup(items, active: str | None) -> str:
    parts = []
    for item in items:
        css = " active" if active == item.url_name else ""
        parts.append(
            f'\n        <li class="nav-item"><a class="nav-link{css}" href="{conditional_escape(fixed_url(item.url_name))}">'
            f'<i class="bi bi-{conditional_escape(item.icon)}" aria-hidden="true"></i> {conditional_escape(item.label)}</a></li>'
        )
    return "".join(parts)


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _navigation(
    language: str, prefix: str, keys: tuple[str, ...], active: str | None, name: str | None
) -> tuple[str, ...]:
    """The ``<nav>`` of base.html; ``keys`` are those of the visible menu items, ``name`` the signed-in
    user's display name (``None``: anonymous, no menus). ``language``/``prefix`` are cache keys."""
    del language, prefix
    items = [m for m in MENU if m.key in keys]
    # gettext outside the f-strings below: xgettext does not look inside f-string expressions
    main_navigation, open_menu, notifications_label, sign_out = (
        escape(_("Navigasi utama")),
        escape(_("Buka menu")),
        escape(_("Notifikasi")),
        escape(_("Keluar")),
    )
    home = conditional_escape(fixed_url("home"))
    top = (
        f'<nav class="navbar navbar-expand-lg navbar-dark bg-primary-subtle border-bottom sticky-top app-navbar" aria-label="{main_navigation}">\n'
        f'  <div class="container-fluid">\n'
        f'    <a class="navbar-brand fw-semibold" href="{home}"><i class="bi bi-building" aria-hidden="true"></i> SITU OK</a>\n    '
    )
    if name is None:
        return frame(top + "\n  </div>\n</nav>\n")
    notifications = conditional_escape(fixed_url("notifications"))
    links = [
        (notifications, _("Notifikasi")),
        (conditional_escape(fixed_url("notification_preferences")), _("Preferensi notifikasi")),
        (conditional_escape(fixed_url("jobs")), _("Tugas latar belakang")),
        (conditional_escape(fixed_url("password_change")), _("Ganti kata sandi")),
    ]
    dropdown = "".join(
        f'\n            <li><a class="dropdown-item" href="{url}">{escape(label)}</a></li>'
        for url, label in links
    )
    return frame(
        top
        + (
            f'\n    <button class="navbar-toggler" type="button" data-bs-toggle="collapse" data-bs-target="#mainnav" aria-controls="mainnav" aria-expanded="false" aria-label="{open_menu}">\n'
            f'      <span class="navbar-toggler-icon"></span>\n    </button>\n'
            f'    <div class="collapse navbar-collapse" id="mainnav">\n      <ul class="navbar-nav me-auto">\n        '
            f"{_menu_markup(items, active)}\n      </ul>\n"
            f'      <ul class="navbar-nav">\n'
            f'        <li class="nav-item dropdown" id="notification-bell" hx-get="{conditional_escape(fixed_url("notification_bell"))}" hx-trigger="load, every 60s" hx-swap="innerHTML">\n'
            f'          <a class="nav-link" href="{notifications}" data-testid="notification-bell"><i class="bi bi-bell" aria-hidden="true"></i><span class="visually-hidden">{notifications_label}</span></a>\n'
            f"        </li>\n"
            f'        <li class="nav-item dropdown">\n'
            f'          <a class="nav-link dropdown-toggle" href="#" role="button" data-bs-toggle="dropdown" aria-expanded="false" data-testid="user-menu">\n'
            f'            <i class="bi bi-person-circle" aria-hidden="true"></i> {escape(name)}\n'
            f"          </a>\n"
            f'          <ul class="dropdown-menu dropdown-menu-end">{dropdown}\n'
            f'            <li><hr class="dropdown-divider"></li>\n'
            f"            <li>\n"
            f'              <form method="post" action="{conditional_escape(fixed_url("logout"))}"><input type="hidden" name="csrfmiddlewaretoken" value="{_CSRF}">\n'
            f'                <button type="submit" class="dropdown-item" data-testid="logout">{sign_out}</button>\n'
            f"              </form>\n"
            f"            </li>\n"
            f"          </ul>\n"
            f"        </li>\n"
            f"      </ul>\n"
            f"    </div>\n    \n  </div>\n</nav>\n"
        )
    )


def _csrf(request) -> str:
    """The request's masked CSRF token, once per request (every form of the chrome shares it)."""
    if request is None:
        return ""
    token = getattr(request, "_situok_shell_csrf", None)
    if token is None:
        token = request._situok_shell_csrf = escape(get_token(request))
    return token


@register.simple_tag(takes_context=True)
def shell_body_open(context) -> str:
    """The end of ``<head>``, ``<body>``, the skip link and the navigation, up to ``<main>``."""
    request = context.get("request")
    language = get_language() or settings.LANGUAGE_CODE
    prefix = get_script_prefix()
    user = context.get("user")
    if user is not None and user.is_authenticated:
        match = getattr(request, "resolver_match", None)
        active = match.url_name if match is not None else None
        name = user.get_full_name() or user.get_username()
        nav = _navigation(language, prefix, tuple(m.key for m in menu_for(user)), active, name)
    else:
        nav = _navigation(language, prefix, (), None, None)
    token = _csrf(request)
    skip = escape(_("Lompat ke isi"))
    return mark_safe(
        f"{_head_close(language, prefix)}"
        f'<body class="bg-body-tertiary" hx-headers=\'{{"X-CSRFToken": "{token}"}}\'>\n'
        f'<a class="visually-hidden-focusable" href="#main">{skip}</a>\n'
        f"{fill(nav, {'csrf': token})}"
        f'<main id="main" class="container-lg py-3">\n  '
    )


@functools.lru_cache(maxsize=8)
def _footer(language: str, prefix: str) -> tuple[str, ...]:
    del prefix
    institution = settings.SITUOK_INSTITUTION
    language_label, switch = escape(_("Bahasa")), escape(_("Ganti"))  # outside the f-strings (xgettext)
    names = " · ".join(
        escape(str(institution.get(key, "")).title()) for key in ("unit", "office", "government")
    )
    options = "".join(
        f'<option value="{escape(code)}"{" selected" if code == language else ""}>{escape(_(name))}</option>'
        for code, name in settings.LANGUAGES
    )
    return frame(
        "\n</main>\n"
        '<footer class="container-lg py-3 small text-body-secondary d-flex flex-wrap gap-2 justify-content-between">\n'
        f"  <span>{names}</span>\n"
        f'  <form method="post" action="{conditional_escape(fixed_url("set_language"))}" class="d-flex gap-1 align-items-center"><input type="hidden" name="csrfmiddlewaretoken" value="{_CSRF}">\n'
        f'    <input type="hidden" name="next" value="{_NEXT}">\n'
        f'    <label class="visually-hidden" for="language">{language_label}</label>\n'
        '    <select name="language" id="language" class="form-select form-select-sm" data-autosubmit data-testid="language">\n'
        f"      {options}\n"
        "    </select>\n"
        f'    <noscript><button type="submit" class="btn btn-sm btn-outline-secondary">{switch}</button></noscript>\n'
        "  </form>\n</footer>\n</body>\n</html>\n"
    )


@register.simple_tag(takes_context=True)
def shell_close(context) -> str:
    """``</main>``, the footer with the language switch, ``</body></html>``."""
    request = context.get("request")
    language = get_language() or settings.LANGUAGE_CODE
    path = escape(request.get_full_path()) if request is not None else ""
    return fill(_footer(language, get_script_prefix()), {"csrf": _csrf(request), "next": path})
