"""The page chrome of base.html in Python: ``{% load situok_shell %}``.

Every signed-in page renders the navigation; through the template language it cost a ``{% url %}``
reversal per menu item and link and a dozen node evaluations per item — more than many pages' own
content. These tags produce the same markup with URLs reversed once per process.
"""

from __future__ import annotations

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

_urls: dict[tuple[str, str | None, str], str] = {}


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


@register.simple_tag(takes_context=True)
def main_menu(context) -> str:
    """The ``<li>`` items of the main navigation (``menu_items`` from the shell context processor)."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    current = match.url_name if match is not None else None
    parts = []
    for item in context.get("menu_items") or ():
        active = " active" if current == item.url_name else ""
        parts.append(
            f'\n        <li class="nav-item"><a class="nav-link{active}" href="{conditional_escape(fixed_url(item.url_name))}">'
            f'<i class="bi bi-{conditional_escape(item.icon)}" aria-hidden="true"></i> {conditional_escape(item.label)}</a></li>'
        )
    return mark_safe("".join(parts))  # every value is escaped
