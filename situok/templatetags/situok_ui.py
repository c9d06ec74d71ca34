"""Bootstrap rendering of form fields without a third-party form library."""

from django import forms, template
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

register = template.Library()

_SELECT_TEMPLATE = forms.Select.template_name
_OPTION_TEMPLATE = forms.Select.option_template_name


def _is_plain_select(widget) -> bool:
    """A single-choice select still using Django's own templates (so our markup is identical)."""
    return (
        isinstance(widget, forms.Select)
        and not widget.allow_multiple_selected
        and widget.template_name == _SELECT_TEMPLATE
        and widget.option_template_name == _OPTION_TEMPLATE
    )


def _attrs(attrs: dict) -> str:
    """Django's ``attrs.html``: in order, ``True`` → bare name, ``False`` → omitted."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


def _render_select(bound_field, attrs: dict) -> str:
    """The markup of Django's select templates, built in Python.

    A filter form with ~70 options spent most of a list page's time rendering one template per
    option; this produces the same HTML (same attributes and escaping) without the template engine.
    """
    widget = bound_field.field.widget
    attrs = bound_field.build_widget_attrs(attrs, widget)
    if bound_field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound_field.auto_id)
    context = widget.get_context(bound_field.html_name, bound_field.value(), attrs)["widget"]
    parts = [f'<select name="{conditional_escape(context["name"])}"{_attrs(context["attrs"])}>']
    for group_name, options, _index in context["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            parts.append(
                f'\n  <option value="{escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # every value above is escaped as the templates would


@register.filter
def bootstrap(bound_field):
    """Render a bound field's widget with Bootstrap classes and ``is-invalid`` when it has errors."""
    widget = bound_field.field.widget
    if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)):
        css = "form-check-input"
    elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
        css = "form-select"
    else:
        css = "form-control"
    if bound_field.errors:
        css += " is-invalid"
    attrs = {"class": f"{widget.attrs.get('class', '')} {css}".strip()}
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{bound_field.auto_id}_error"
    if _is_plain_select(widget) and not bound_field.field.localize:
        return _render_select(bound_field, attrs)
    return bound_field.as_widget(attrs=attrs)
