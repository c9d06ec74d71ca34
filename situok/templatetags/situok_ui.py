"""Bootstrap rendering of form fields without a third-party form library."""

from django import forms, template
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

register = template.Library()

_SELECT_TEMPLATE = forms.Select.template_name
_OPTION_TEMPLATE = forms.Select.option_template_name
# Django's input widget templates that only include input.html (checked by tests/situok/test_ui_select.py).
_INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{kind}.html"
    for kind in ("input", "text", "number", "email", "url", "password", "date", "datetime", "time", "search",
                 "tel", "color", "hidden")
)  # fmt: skip


def _is_plain_select(widget) -> bool:
    """A single-choice select still using Django's own templates and option logic (so our markup is
    identical)."""
    return (
        isinstance(widget, forms.Select)
        and not widget.allow_multiple_selected
        and widget.template_name == _SELECT_TEMPLATE
        and widget.option_template_name == _OPTION_TEMPLATE
        and type(widget).optgroups is forms.Select.optgroups
        and type(widget).create_option is forms.Select.create_option
        and not widget.option_inherits_attrs
    )


def _is_plain_input(widget) -> bool:
    """An <input> widget still rendered by Django's input.html with Django's context."""
    return (
        isinstance(widget, forms.widgets.Input)
        and widget.template_name in _INPUT_TEMPLATES
        and type(widget).get_context is forms.widgets.Input.get_context
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


def _build_options(widget) -> list[tuple[str | None, str, str]]:
    """``(value, markup, markup when selected)`` of every option (``value`` ``None`` for optgroup tags)."""
    options = []
    for option_value, option_label in widget.choices:
        if option_value is None:
            option_value = ""
        if isinstance(option_label, (list, tuple)):
            group, choices = option_value, option_label
            options.append((None, f'\n  <optgroup label="{conditional_escape(group)}">', ""))
        else:
            group, choices = None, ((option_value, option_label),)
        for value, label in choices:
            head, tail = (
                f'\n  <option value="{escape(str(value))}"',
                f">{conditional_escape(label)}</option>\n",
            )
            options.append((str(value), head + tail, f"{head} selected{tail}"))
        if group is not None:
            options.append((None, "\n  </optgroup>", ""))
    return options


def _options(field, widget) -> list[tuple[str | None, str, str]]:
    """The options of a select, kept on the field while its ``options_token()`` stays the same.

    Fields shared between requests (situok.filters.LeanFilterSet) say when their options change: a
    token of the language and, for cached model choices, the data version (situok/derived.py)."""
    token_of = getattr(field, "options_token", None)
    token = token_of() if token_of is not None else None
    if token is not None:
        kept = field.__dict__.get("_situok_options")
        if kept is not None and kept[0] == token and kept[1] is widget:
            return kept[2]
    options = _build_options(widget)
    if token is not None:
        field._situok_options = (token, widget, options)
    return options


def _render_select(bound_field, attrs: dict) -> str:
    """The markup of Django's select templates, built in Python.

    A filter form with ~70 options spent most of a list page's time rendering one template per
    option (and building one option dictionary per choice); this produces the same HTML (same
    attributes, selection rule and escaping) straight from the choices.
    """
    widget = bound_field.field.widget
    attrs = bound_field.build_widget_attrs(attrs, widget)
    if bound_field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound_field.auto_id)
    final_attrs = widget.build_attrs(widget.attrs, attrs)
    values = widget.format_value(bound_field.value())  # list of str, as Django's optgroups() gets it
    parts = [f'<select name="{conditional_escape(bound_field.html_name)}"{_attrs(final_attrs)}>']
    has_selected = False
    for value, plain, selected_html in _options(bound_field.field, widget):
        if value is not None and not has_selected and value in values:  # the first match only, like Django
            has_selected = True
            parts.append(selected_html)
        else:
            parts.append(plain)
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # every value above is escaped as the templates would


def _render_input(bound_field, attrs: dict) -> str:
    """Django's input.html in Python (same attributes, value formatting and escaping)."""
    widget = bound_field.field.widget
    attrs = bound_field.build_widget_attrs(attrs, widget)
    if bound_field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound_field.auto_id)
    value = widget.format_value(bound_field.value())
    value_attr = "" if value is None else f' value="{escape(str(value))}"'
    final_attrs = _attrs(widget.build_attrs(widget.attrs, attrs))
    return mark_safe(
        f'<input type="{conditional_escape(widget.input_type)}" name="{conditional_escape(bound_field.html_name)}"'
        f"{value_attr}{final_attrs}>"
    )


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
    if not bound_field.field.localize and not widget.is_localized:
        if _is_plain_select(widget):
            return _render_select(bound_field, attrs)
        if _is_plain_input(widget):
            return _render_input(bound_field, attrs)
    return bound_field.as_widget(attrs=attrs)


def _text(value) -> str:
    """A template variable as ``{{ value }}`` renders it (``None`` → ``"None"``, escaped)."""
    return conditional_escape(value if isinstance(value, str) else str(value))


@register.simple_tag
def form_field(bound_field):
    """One form field — label, input, help text, errors — as ``includes/field.html`` always rendered it
    (that template now calls this; the markup is pinned by tests/situok/test_ui_select.py)."""
    required = ' <span class="text-danger" aria-hidden="true">*</span>' if bound_field.field.required else ""
    parts = [
        f'\n<div class="mb-3">\n  <label class="form-label" for="{_text(bound_field.id_for_label)}">'
        f"{_text(bound_field.label)}{required}</label>\n  {bootstrap(bound_field)}\n  "
    ]
    if bound_field.help_text:
        parts.append(f'<div class="form-text">{_text(bound_field.help_text)}</div>')
    parts.append("\n  ")
    errors = bound_field.errors
    if errors:
        joined = "<br>".join(_text(error) for error in errors)
        parts.append(
            f'<div class="invalid-feedback d-block" id="{_text(bound_field.auto_id)}_error">{joined}</div>'
        )
    parts.append("\n</div>")
    return mark_safe("".join(parts))  # every interpolated value is escaped
