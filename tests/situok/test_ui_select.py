"""The fast select renderer of ``situok_ui.bootstrap`` produces exactly Django's template markup."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.utils.safestring import mark_safe

from situok.templatetags.situok_ui import (
    _is_plain_input,
    _is_plain_select,
    _render_input,
    _render_select,
    bootstrap,
)
from staff.filters import EmployeeFilter
from staff.models import OrgUnit


class ChoiceForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[
            ("", "---"),
            ("x", "A & B"),
            ("Kelompok <1>", [("1", "satu"), ("2", 't"wo')]),
            ("s", mark_safe("<b>aman</b>")),
        ]
    )
    optional = forms.ChoiceField(
        required=False,
        choices=[("1", "x"), (2, "dua")],
        widget=forms.Select(attrs={"data-none": None, "disabled": False, "hx-get": "/a?b=1&c=<2>"}),
    )


ATTRS = (
    {"class": "form-select"},
    {"class": "form-select is-invalid", "aria-invalid": "true", "aria-describedby": "id_kind_error"},
)


@pytest.mark.parametrize("data", [None, {"kind": "2", "optional": "2"}, {"kind": "tidak-ada"}])
@pytest.mark.parametrize("attrs", ATTRS)
def test_fast_select_matches_django_templates(data, attrs):
    form = ChoiceForm(data)
    if data is not None:
        form.is_valid()
    for name in ("kind", "optional"):
        bound = form[name]
        assert str(_render_select(bound, dict(attrs))) == str(bound.as_widget(attrs=dict(attrs)))


@pytest.mark.django_db
def test_model_choice_select_of_the_staff_filter_matches(personas):
    unit = OrgUnit.objects.order_by("path").last()
    form = EmployeeFilter({"unit": str(unit.pk), "status": "aktif"}).form
    form.is_valid()
    for name in ("unit", "status", "sort"):
        bound = form[name]
        assert _is_plain_select(bound.field.widget)
        fast = str(_render_select(bound, {"class": "form-select"}))
        assert fast == str(bound.as_widget(attrs={"class": "form-select"}))
    assert f'<option value="{unit.pk}" selected>' in str(bootstrap(form["unit"]))


def test_multiple_and_custom_selects_keep_the_template_path():
    assert not _is_plain_select(forms.SelectMultiple())
    assert not _is_plain_select(forms.RadioSelect())

    class Custom(forms.Select):
        option_template_name = "custom_option.html"

    assert not _is_plain_select(Custom())


# --- The whole field block and plain inputs --------------------------------------------------------
# includes/field.html as it was written in the template language; form_field must render it exactly.
FIELD_TEMPLATE = (
    "{% load i18n situok_ui %}\n"
    '<div class="mb-3">\n'
    '  <label class="form-label" for="{{ field.id_for_label }}">{{ field.label }}{% if field.field.required %}'
    ' <span class="text-danger" aria-hidden="true">*</span>{% endif %}</label>\n'
    "  {{ field|bootstrap }}\n"
    '  {% if field.help_text %}<div class="form-text">{{ field.help_text }}</div>{% endif %}\n'
    '  {% if field.errors %}<div class="invalid-feedback d-block" id="{{ field.auto_id }}_error">'
    "{% for error in field.errors %}{{ error }}{% if not forloop.last %}<br>{% endif %}{% endfor %}</div>"
    "{% endif %}\n"
    "</div>\n"
)


class DateInput(forms.DateInput):
    input_type = "date"


class ManyKinds(forms.Form):
    name = forms.CharField(label="Nama & <gelar>", help_text="Tanpa gelar", max_length=5)
    age = forms.IntegerField(required=False, widget=forms.NumberInput(attrs={"min": 0, "data-x": True}))
    day = forms.DateField(required=False, widget=DateInput)
    secret = forms.CharField(required=False, widget=forms.PasswordInput)
    agree = forms.BooleanField(required=False)
    note = forms.CharField(required=False, widget=forms.Textarea, help_text=mark_safe("<b>boleh</b>"))
    kind = forms.ChoiceField(choices=[("", "---"), ("a", "A")])
    localized = forms.DecimalField(required=False, localize=True)


MANY_DATA = [
    None,
    {"name": "terlalu panjang <b>", "age": "x", "day": "2026-02-31", "secret": "s", "kind": "z"},
    {
        "name": "Ayu",
        "age": "7",
        "day": "2026-02-03",
        "agree": "on",
        "note": "n",
        "kind": "a",
        "localized": "1.5",
    },
]


@pytest.mark.parametrize("data", MANY_DATA)
def test_form_field_renders_exactly_the_old_field_template(data):
    from django.template import engines

    reference = engines["django"].from_string(FIELD_TEMPLATE)
    include = engines["django"].from_string('{% include "includes/field.html" %}')
    form = ManyKinds(data, initial={"day": dt.date(2026, 1, 2)} if data is None else None)
    if data is not None:
        form.is_valid()
    for bound in form:
        expected = reference.render({"field": bound})
        assert include.render({"field": bound}) == expected, bound.name


@pytest.mark.parametrize("data", MANY_DATA)
def test_fast_inputs_match_django_templates(data):
    form = ManyKinds(data)
    if data is not None:
        form.is_valid()
    plain = [name for name, field in form.fields.items() if _is_plain_input(field.widget)]
    assert plain == ["name", "age", "day", "localized"]  # PasswordInput keeps Django's own code
    for name in plain[:-1]:
        bound = form[name]
        attrs = {"class": "form-control", "aria-invalid": "true"}
        assert str(_render_input(bound, dict(attrs))) == str(bound.as_widget(attrs=dict(attrs)))


@pytest.mark.django_db
def test_list_filter_forms_render_exactly_as_before(personas):
    from django.template import engines

    from situok.audit import AuditEvent
    from situok.filters import AuditEventFilter

    reference = engines["django"].from_string(FIELD_TEMPLATE)
    include = engines["django"].from_string('{% include "includes/field.html" %}')
    unit = OrgUnit.objects.order_by("path").last()
    forms_to_check = [
        EmployeeFilter({"q": "Ayu <", "unit": str(unit.pk), "golongan": "", "sort": "-nama"}).form,
        EmployeeFilter({"unit": "999999", "status": "x"}).form,
        AuditEventFilter({"date_from": "31-31-2026", "user": "a&b"}, queryset=AuditEvent.objects.all()).form,
    ]
    for form in forms_to_check:
        form.is_valid()
        for bound in form:
            assert include.render({"field": bound}) == reference.render({"field": bound}), bound.name


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["id", "en"])
def test_list_filter_forms_render_exactly_as_before_again_and_again(personas, language):
    """The constant parts of shared filter fields are kept between requests (situok_ui._shell): every
    later rendering, with other values and in the other language, is still the template's."""
    from django.template import engines
    from django.utils import translation

    from situok.audit import AuditEvent
    from situok.filters import AuditEventFilter
    from travel.filters import TripFilter
    from travel.models import Trip

    reference = engines["django"].from_string(FIELD_TEMPLATE)
    include = engines["django"].from_string('{% include "includes/field.html" %}')
    units = list(OrgUnit.objects.order_by("path"))
    datas = [
        {},
        {"q": "Ayu <b>", "unit": str(units[-1].pk), "sort": "-nama", "status": "aktif"},
        {"q": 'x"y', "unit": str(units[0].pk), "golongan": "III/a", "employee_type": "PPPK"},
        {"unit": "999999"},
        {"q": "", "sort": "unit", "position_kind": "struktural"},
    ]
    with translation.override(language):
        for _ in range(2):
            for data in datas:
                forms_to_check = [
                    EmployeeFilter(data).form,
                    AuditEventFilter(
                        {"user": data.get("q", ""), "date_from": "2026-01-02"},
                        queryset=AuditEvent.objects.all(),
                    ).form,
                    TripFilter(
                        {"q": data.get("q", ""), "status": data.get("status", "")},
                        queryset=Trip.objects.all(),
                    ).form,
                ]
                for form in forms_to_check:
                    form.is_valid()
                    for bound in form:
                        expected = reference.render({"field": bound})
                        assert include.render({"field": bound}) == expected, (bound.name, data)
    kept = {name for name, field in EmployeeFilter().form.fields.items() if "_situok_shell" in field.__dict__}
    assert kept == {"q", "unit", "employee_type", "golongan", "status", "position_kind", "sort"}
