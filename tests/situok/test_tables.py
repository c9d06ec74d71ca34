"""Rows rendered in Python (situok/tables.py) are the rows the templates rendered before."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.template import engines
from django.utils import timezone, translation

from situok.audit import AuditEvent
from situok.tables import lookup, render_rows, text
from situok.views import AUDIT_COLUMNS

# The loop as it was written in the template language (the staff rows: tests/staff/test_list_markup.py).
OLD_AUDIT_ROWS = """{% for event in rows %}
    <tr>
      <td class="text-nowrap">{{ event.created_at|date:"d/m/Y H.i" }}</td>
      <td>{{ event.actor_label|default:"—" }}</td>
      <td><code>{{ event.action }}</code>{% if event.changes %}<div class="small text-body-secondary">{% for k, v in event.changes.items %}{{ k }}: {{ v.0 }} → {{ v.1 }}{% if not forloop.last %}; {% endif %}{% endfor %}</div>{% endif %}</td>
      <td>{{ event.target_label|default:"—" }}</td>
      <td class="d-none d-md-table-cell">{{ event.ip|default:"" }}</td>
    </tr>{% endfor %}"""


def cells(html: str) -> list[str]:
    """The cells' contents, whitespace between tags ignored (the layout of the source differs)."""
    return [re.sub(r">\s+<", "><", c.strip()) for c in re.findall(r"<td[^>]*>(.*?)</td>", html, re.S)]


def tags(html: str) -> list[str]:
    return re.findall(r"<t[dr][^>]*>", html)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["id", "en"])
def test_audit_rows_match_the_old_template(language):
    when = timezone.make_aware(dt.datetime(2026, 3, 4, 23, 30), dt.UTC)  # 5 March in WITA
    changes = [
        {},
        {"name": ["<a>", "b&c"], "rate": [1.5, 2], "flag": [None, True]},
        {"text": "ab", "nested": {"0": "x", "1": "y"}, "short": [1]},
        ["not", "a", "dict"],
    ]
    events = [
        AuditEvent(created_at=when, action=f"test.<e{i}>", actor_label=label, target_label=label, ip=ip,
                   changes=change)
        for i, (change, label, ip) in enumerate(zip(changes, ["", "x&y", "z", ""], [None, "10.0.0.1", "", None],
                                                     strict=True))
    ]  # fmt: skip
    with translation.override(language):
        old = engines["django"].from_string(OLD_AUDIT_ROWS).render({"rows": events})
        new = str(render_rows(events, AUDIT_COLUMNS))
    assert cells(new) == cells(old) and tags(new) == tags(old)
    assert "05/03/2026 07.30" in new


def test_text_and_lookup_follow_the_template_language():
    assert text(None) == "None" and text("<") == "&lt;" and text(True) == "True"
    assert lookup([1, 2], 1) == 2 and lookup("ab", 0) == "a" and lookup({"0": "x"}, 0) == "x"
    assert lookup(5, 0) == "" and lookup([1], 1) == ""
