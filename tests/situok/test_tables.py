"""Rows rendered in Python (situok/tables.py) are the rows the templates rendered before."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.template import engines
from django.utils import timezone, translation

from situok.audit import AuditEvent
from situok.pagination import _rows_spec
from situok.tables import lookup, render_rows, text
from situok.views import AUDIT_COLUMNS
from staff.models import Employee
from staff.views import LIST_FIELDS, _employee_rows

# The loops as they were written in the template language.
OLD_STAFF_ROWS = """{% load situok_format %}{% for e in rows %}
    <tr>
      <td><a href="{% url 'staff:employee_detail' e.pk %}">{{ e.name_with_titles }}</a>
        <div class="small text-body-secondary d-sm-none">{{ e.position.name|default:"" }}</div></td>
      {% if show_record %}<td class="text-nowrap small">{{ e.nip|nip|default:"—" }}</td>
      <td class="d-none d-md-table-cell">{{ e.golongan|default:e.pppk_golongan|default:"—" }}</td>{% endif %}
      <td class="d-none d-sm-table-cell">{{ e.position.name|default:"—" }}</td>
      <td class="d-none d-lg-table-cell">{{ e.unit.name }}</td>
      {% if show_record %}<td class="d-none d-md-table-cell">{{ e.get_status_display }}</td>{% endif %}
    </tr>{% endfor %}"""

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
@pytest.mark.parametrize("show_record", [True, False])
def test_staff_rows_match_the_old_template(personas, language, show_record):
    employees = list(Employee.objects.select_related("unit", "position").order_by("name"))
    employees[0].front_title, employees[0].name, employees[0].back_title = "Dr.", "A & <B>", "S.H."
    employees[1].position = None
    employees[1].nip, employees[1].golongan, employees[1].pppk_golongan = "", "", "IX"
    employees[2].status = "pensiun"
    make_row = _rows_spec(Employee, LIST_FIELDS, "default").row
    rows = [make_row(getattr(e, name) for name in LIST_FIELDS) for e in employees]
    with translation.override(language):
        old = (
            engines["django"]
            .from_string(OLD_STAFF_ROWS)
            .render({"rows": employees, "show_record": show_record})
        )
        new = str(_employee_rows(rows, show_record))
    assert cells(new) == cells(old) and tags(new) == tags(old)
    assert "A &amp; &lt;B&gt;" in new
    assert (personas["pegawai"].employee.nip[:8] in new) == show_record


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
