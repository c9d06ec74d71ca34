"""The fast select renderer of ``situok_ui.bootstrap`` produces exactly Django's template markup."""

from __future__ import annotations

import pytest
from django import forms
from django.utils.safestring import mark_safe

from situok.templatetags.situok_ui import _is_plain_select, _render_select, bootstrap
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
