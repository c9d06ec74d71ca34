"""The staff list renders exactly the markup of its templates before they were made faster (constant
fragments kept per language by ``{% once %}``, rows and page links rendered in Python); its rows are
exactly the template loop they stand for (cells without classes: the table's class lays them out)."""

from __future__ import annotations

import re

import pytest
from django.template import engines
from django.test.utils import ContextList
from django.urls import reverse
from django.utils import translation

from situok.pagination import _rows_spec
from staff.models import Employee, OrgUnit, Position
from staff.views import LIST_FIELDS, _employee_rows

# templates/staff/employee_list.html and templates/staff/partials/employee_rows.html as they were.
OLD_LIST = """{% extends "base.html" %}{% load i18n situok_shell situok_ui %}
{% block title %}{% translate "Daftar Pegawai" %}{% endblock %}
{% block breadcrumbs %}<nav aria-label="breadcrumb"><ol class="breadcrumb">
  <li class="breadcrumb-item"><a href="{% fixed_url 'home' %}">{% translate "Beranda" %}</a></li>
  <li class="breadcrumb-item active" aria-current="page">{% translate "Pegawai" %}</li></ol></nav>{% endblock %}
{% block content %}
<div class="d-flex flex-wrap justify-content-between align-items-center gap-2 mb-2">
  <h1 class="h4 mb-0">{% translate "Daftar Pegawai" %}</h1>
  <div class="d-flex gap-2">
    {% if can_add %}<a class="btn btn-primary btn-sm" href="{% fixed_url 'staff:employee_create' %}"><i class="bi bi-person-plus" aria-hidden="true"></i> {% translate "Tambah pegawai" %}</a>{% endif %}
    {% if can_export %}
    <div class="btn-group btn-group-sm" role="group" aria-label="{% translate 'Ekspor' %}">
      <a class="btn btn-outline-success" href="{% url 'export_download' 'staff-list' 'xlsx' %}?{{ query }}"><i class="bi bi-file-earmark-excel" aria-hidden="true"></i> Excel</a>
      <a class="btn btn-outline-danger" href="{% url 'export_download' 'staff-list' 'pdf' %}?{{ query }}"><i class="bi bi-file-earmark-pdf" aria-hidden="true"></i> PDF</a>
      {% if perms.staff.view_personal_data %}<a class="btn btn-outline-secondary" href="{% url 'export_download' 'staff-list' 'xlsx' %}?{{ query }}&amp;pribadi=1" title="{% translate 'Unduhan ini dicatat dalam jejak audit.' %}">{% translate "Excel dengan data pribadi" %}</a>{% endif %}
    </div>
    {% endif %}
  </div>
</div>
<form method="get" class="card card-body mb-3" hx-get="{% fixed_url 'staff:employee_list' %}" hx-target="#employee-rows" hx-push-url="true" hx-trigger="input changed delay:300ms from:#id_q, change from:select, submit">
  <div class="row g-2">
    <div class="col-12 col-lg-4">{% form_field filter.form.q %}</div>
    {% for field in filter.form.visible_fields %}{% if field.name != "q" %}
    <div class="col-6 col-md-4 col-lg-2">{% form_field field %}</div>
    {% endif %}{% endfor %}
  </div>
  <noscript><button type="submit" class="btn btn-primary btn-sm">{% translate "Terapkan" %}</button></noscript>
  <div><a class="btn btn-link btn-sm px-0" href="{% fixed_url 'staff:employee_list' %}">{% translate "Atur ulang" %}</a></div>
</form>
<div id="employee-rows">{% include "staff/partials/employee_rows.html" %}</div>
{% endblock %}
"""
OLD_ROWS = """{% load i18n situok_format %}
<p class="small text-body-secondary mb-1" data-testid="result-count">{% blocktranslate count counter=page.paginator.count %}{{ counter }} pegawai{% plural %}{{ counter }} pegawai{% endblocktranslate %}</p>
<div class="table-responsive">
<table class="table table-sm table-hover align-middle employee-table{% if show_record %} employee-table-record{% endif %}">
  <thead><tr>
    <th scope="col">{% translate "Nama" %}</th>
    {% if show_record %}<th scope="col">{% translate "NIP" %}</th><th scope="col" class="d-none d-md-table-cell">{% translate "Golongan" %}</th>{% endif %}
    <th scope="col" class="d-none d-sm-table-cell">{% translate "Jabatan" %}</th>
    <th scope="col" class="d-none d-lg-table-cell">{% translate "Unit" %}</th>
    {% if show_record %}<th scope="col" class="d-none d-md-table-cell">{% translate "Status" %}</th>{% endif %}
  </tr></thead>
  <tbody>
{{ rows }}{% if not page.object_list %}
    <tr><td colspan="6" class="text-body-secondary">{% translate "Tidak ada pegawai yang cocok dengan pencarian." %}</td></tr>
{% endif %}  </tbody>
</table>
</div>
{% include "includes/pagination.html" %}
"""

TOKEN = re.compile(r"[A-Za-z0-9]{64}")  # CSRF tokens differ on every rendering


def old_rendering(response, source: str) -> str:
    context = response.context  # a ContextList when more than one template was rendered
    context = (context[0] if isinstance(context, ContextList) else context).flatten()  # the view's
    return engines["django"].from_string(source).render(context, response.wsgi_request)


QUERIES = [
    {},
    {"q": "Ayu & <b>", "per_page": "100"},
    {"q": "Made", "status": "aktif", "sort": "-golongan"},
    {"unit": "999999", "golongan": "X"},  # invalid choices: errors next to the fields
    {"page": "2", "per_page": "25"},
    {"q": "tidak ada siapa pun"},
]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["admin", "kepegawaian", "atasan", "luar"])
@pytest.mark.parametrize("language", ["id", "en"])
def test_the_list_page_and_its_rows_render_as_before(client_as, persona, language):
    client = client_as(persona)
    client.cookies["django_language"] = language
    for _ in range(2):  # the second time from the kept fragments
        for params in QUERIES:
            with translation.override(language):
                response = client.get(reverse("staff:employee_list"), params)
                assert response.status_code == 200
                html = response.content.decode()
                assert ("Staff List" in html) == (language == "en")
                assert TOKEN.sub("T", html) == TOKEN.sub("T", old_rendering(response, OLD_LIST)), params
                rows = client.get(reverse("staff:employee_list"), params, HTTP_HX_REQUEST="true")
                assert rows.content.decode() == old_rendering(rows, OLD_ROWS), params


@pytest.mark.parametrize(
    "nip",
    [
        "198609262015051001",
        "19860926 201505 1 001",
        "1986092620150510",
        "١٩٨٦٠٩٢٦٢٠١٥٠٥١٠٠١",
        "<b>&",
        "A" * 18,
    ],
)
def test_the_nip_cell_is_the_nip_filter_escaped(nip):
    from django.utils.html import escape

    from situok import formats
    from staff.views import _nip_html

    assert _nip_html(nip) == escape(formats.nip_display(nip))


# The rows of templates/staff/partials/employee_rows.html as a template loop over model instances (the
# cells' layout is in static/css/app.css, "staff list"; the position under the name only when there is one).
ROWS_LOOP = """{% load situok_format %}{% for e in rows %}<tr><td><a href="{% url 'staff:employee_detail' e.pk %}">\
{{ e.name_with_titles }}</a>{% if e.position %}<div>{{ e.position.name }}</div>{% endif %}</td>\
{% if show_record %}<td>{{ e.nip|nip|default:"—" }}</td><td>{{ e.golongan|default:e.pppk_golongan|default:"—" }}</td>\
{% endif %}<td>{{ e.position.name|default:"—" }}</td><td>{{ e.unit.name }}</td>\
{% if show_record %}<td>{{ e.get_status_display }}</td>{% endif %}</tr>
{% endfor %}"""


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("show_record", [True, False])
def test_the_rows_are_the_template_loop_over_the_employees(personas, language, show_record):
    pegawai = personas["pegawai"].employee
    OrgUnit.objects.filter(pk=pegawai.unit_id).update(name="Subbagian <i>Umum</i> & TU")
    Position.objects.filter(pk=pegawai.position_id).update(name='Analis "SDM" & <b>')
    employees = list(Employee.objects.select_related("unit", "position").order_by("name"))
    employees[0].front_title, employees[0].name, employees[0].back_title = "Dr.", "A & <B>", "S.H."
    employees[1].position = None
    employees[1].nip, employees[1].golongan, employees[1].pppk_golongan = "", "", "IX"
    employees[2].status = "pensiun"
    make_row = _rows_spec(Employee, LIST_FIELDS, "default").row
    rows = [make_row(getattr(e, name) for name in LIST_FIELDS) for e in employees]
    with translation.override(language):
        expected = (
            engines["django"].from_string(ROWS_LOOP).render({"rows": employees, "show_record": show_record})
        )
        html = str(_employee_rows(rows, show_record))
    assert html == expected
    assert html.count("<tr>") == len(employees) and "A &amp; &lt;B&gt;" in html
    assert (
        "Subbagian &lt;i&gt;Umum&lt;/i&gt; &amp; TU" in html
        and "Analis &quot;SDM&quot; &amp; &lt;b&gt;" in html
    )
    assert (pegawai.nip[:8] in html) == show_record
