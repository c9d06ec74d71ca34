"""Bootstrap rendering of form fields without a third-party form library; page links and constant
fragments of list pages."""

import re

from django import forms, template
from django.conf import settings
from django.template.base import render_value_in_context
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from situok.tables import Kept, markup_context, text

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


def _select_open(bound_field, attrs: dict) -> str:
    """The ``<select …>`` tag of Django's select template."""
    widget = bound_field.field.widget
    attrs = bound_field.build_widget_attrs(attrs, widget)
    if bound_field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound_field.auto_id)
    final_attrs = widget.build_attrs(widget.attrs, attrs)
    return f'<select name="{conditional_escape(bound_field.html_name)}"{_attrs(final_attrs)}>'


def _join_options(parts: list[str], options, values) -> None:
    """Append the options, the first one whose value is in ``values`` selected (as Django does)."""
    has_selected = False
    for value, plain, selected_html in options:
        if value is not None and not has_selected and value in values:
            has_selected = True
            parts.append(selected_html)
        else:
            parts.append(plain)


def _render_select(bound_field, attrs: dict) -> str:
    """The markup of Django's select templates, built in Python.

    A filter form with ~70 options spent most of a list page's time rendering one template per
    option (and building one option dictionary per choice); this produces the same HTML (same
    attributes, selection rule and escaping) straight from the choices.
    """
    widget = bound_field.field.widget
    values = widget.format_value(bound_field.value())  # list of str, as Django's optgroups() gets it
    parts = [_select_open(bound_field, attrs)]
    _join_options(parts, _options(bound_field.field, widget), values)
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # every value above is escaped as the templates would


def _input_parts(bound_field, attrs: dict) -> tuple[str, str]:
    """Django's input.html around the ``value`` attribute: (``<input type name``, ``attrs>``)."""
    widget = bound_field.field.widget
    attrs = bound_field.build_widget_attrs(attrs, widget)
    if bound_field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound_field.auto_id)
    final_attrs = _attrs(widget.build_attrs(widget.attrs, attrs))
    head = f'<input type="{conditional_escape(widget.input_type)}" name="{conditional_escape(bound_field.html_name)}"'
    return head, f"{final_attrs}>"


def _value_attr(bound_field) -> str:
    value = bound_field.field.widget.format_value(bound_field.value())
    return "" if value is None else f' value="{escape(str(value))}"'


def _render_input(bound_field, attrs: dict) -> str:
    """Django's input.html in Python (same attributes, value formatting and escaping)."""
    head, tail = _input_parts(bound_field, attrs)
    return mark_safe(head + _value_attr(bound_field) + tail)


def _bootstrap_attrs(bound_field) -> dict:
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
    return attrs


@register.filter
def bootstrap(bound_field):
    """Render a bound field's widget with Bootstrap classes and ``is-invalid`` when it has errors."""
    widget = bound_field.field.widget
    attrs = _bootstrap_attrs(bound_field)
    if not bound_field.field.localize and not widget.is_localized:
        if _is_plain_select(widget):
            return _render_select(bound_field, attrs)
        if _is_plain_input(widget):
            return _render_input(bound_field, attrs)
    return bound_field.as_widget(attrs=attrs)


def _text(value) -> str:
    """A template variable as ``{{ value }}`` renders it (``None`` → ``"None"``, escaped)."""
    return conditional_escape(value if isinstance(value, str) else str(value))


def _field_head(bound_field) -> str:
    """``includes/field.html`` up to the widget: the block and the label."""
    required = ' <span class="text-danger" aria-hidden="true">*</span>' if bound_field.field.required else ""
    return (
        f'\n<div class="mb-3">\n  <label class="form-label" for="{_text(bound_field.id_for_label)}">'
        f"{_text(bound_field.label)}{required}</label>\n  "
    )


def _field_tail(bound_field, errors) -> str:
    """``includes/field.html`` after the widget: help text, errors, the end of the block."""
    parts = ["\n  "]
    if bound_field.help_text:
        parts.append(f'<div class="form-text">{_text(bound_field.help_text)}</div>')
    parts.append("\n  ")
    if errors:
        joined = "<br>".join(_text(error) for error in errors)
        parts.append(
            f'<div class="invalid-feedback d-block" id="{_text(bound_field.auto_id)}_error">{joined}</div>'
        )
    parts.append("\n</div>")
    return "".join(parts)


def _shell(bound_field):
    """The constant parts of a field block, kept on the field while they stay the same.

    Fields shared between requests (situok.filters.LeanFilterSet) render the same label, attributes
    and options on every request, only the value differs: they say when that changes with
    ``options_token()`` (the language; for cached model choices also the data version). Kept only for
    optional, enabled, error-free fields with Django's plain select/input markup (``None`` otherwise).
    """
    field = bound_field.field
    token_of = getattr(field, "options_token", None)
    if token_of is None or field.required or field.disabled or field.localize or bound_field.errors:
        return None
    token = token_of()
    if token is None:
        return None
    key = (token, bound_field.auto_id, bound_field.html_name)
    kept = field.__dict__.get("_situok_shell")
    if kept is not None and kept[0] == key:
        return kept[1]
    widget = field.widget
    if widget.is_localized:
        return None
    head, tail = _field_head(bound_field), _field_tail(bound_field, None)
    attrs = _bootstrap_attrs(bound_field)
    if _is_plain_select(widget):
        shell = (
            "select",
            head + _select_open(bound_field, attrs),
            _options(field, widget),
            "\n</select>" + tail,
        )
    elif _is_plain_input(widget):
        input_head, input_tail = _input_parts(bound_field, attrs)
        shell = ("input", head + input_head, None, input_tail + tail)
    else:
        return None
    field._situok_shell = (key, shell)
    return shell


@register.simple_tag
def form_field(bound_field):
    """One form field — label, input, help text, errors — as ``includes/field.html`` always rendered it
    (that template now calls this; the markup is pinned by tests/situok/test_ui_select.py)."""
    shell = _shell(bound_field)
    if shell is not None:
        kind, head, options, tail = shell
        if kind == "input":
            return mark_safe(head + _value_attr(bound_field) + tail)  # escaped as below
        parts = [head]
        _join_options(parts, options, bound_field.field.widget.format_value(bound_field.value()))
        parts.append(tail)
        return mark_safe("".join(parts))  # escaped as below
    return mark_safe(  # every interpolated value is escaped
        _field_head(bound_field) + bootstrap(bound_field) + _field_tail(bound_field, bound_field.errors)
    )


@register.simple_tag
def form_fields(form, css: str, exclude: str = ""):
    """Every visible field of ``form`` except those named in ``exclude`` (comma-separated), each block in a
    ``<div class="css">`` — what the filter rows of list pages wrote as ``{% for field in
    form.visible_fields %}{% if … %}<div class="…">{% form_field field %}</div>{% endif %}{% endfor %}``
    (same markup, whitespace included), without a template loop."""
    skipped = set(exclude.split(",")) if exclude else set()
    opening = f'\n    <div class="{_text(css)}">'
    return mark_safe(  # form_field escapes; css is escaped
        "".join(
            f"{opening}{form_field(field)}</div>\n    "
            for field in form.visible_fields()
            if field.name not in skipped
        )
    )


# --- Page links ----------------------------------------------------------------------------------------
def _number(value: int) -> str:
    """An integer as ``{{ value }}`` renders it (``localize``: grouped only with USE_THOUSAND_SEPARATOR)."""
    return text(value) if settings.USE_THOUSAND_SEPARATOR else str(value)


@register.simple_tag(takes_context=True)
def page_links(context):
    """The page links of ``includes/pagination.html`` for the context's ``page`` (a Django ``Page``) and
    ``query`` (the filter query string without ``page``), as its template language rendered them."""
    page = context.get("page")
    if page is None or not page.has_other_pages():
        return ""
    query = context.get("query")
    prefix = f"?{_text(query)}&amp;page=" if query else "?page="
    # Translations are inserted as {% translate %} inserts them: trusted text, not escaped.
    parts = [f'\n<nav aria-label="{gettext("Halaman")}"><ul class="pagination pagination-sm flex-wrap">\n  ']
    if page.has_previous():
        parts.append(
            f'<li class="page-item"><a class="page-link" href="{prefix}{_number(page.previous_page_number())}">'
            f"{gettext('Sebelumnya')}</a></li>"
        )
    # The msgid of {% blocktranslate with n=… total=… %}Halaman {{ n }} dari {{ total }}{% endblocktranslate %}.
    position = gettext("Halaman %(n)s dari %(total)s") % {
        "n": _number(page.number),
        "total": _number(page.paginator.num_pages),
    }
    parts.append(f'\n  <li class="page-item disabled"><span class="page-link">{position}</span></li>\n  ')
    if page.has_next():
        parts.append(
            f'<li class="page-item"><a class="page-link" href="{prefix}{_number(page.next_page_number())}"'
            f' data-testid="next-page">{gettext("Berikutnya")}</a></li>'
        )
    parts.append("\n</ul></nav>\n")
    return mark_safe("".join(parts))  # every interpolated value is escaped


# --- Constant fragments ----------------------------------------------------------------------------------
_HOLE = re.compile("\x1esituok-hole-([0-9]+)\x1e")
_ONCE_MAX = 64  # kept renderings per {% once %} tag


class OnceNode(template.Node):
    """See :func:`once`."""

    def __init__(self, nodelist, keys: list, holes: list[str]):
        self.nodelist = nodelist
        self.keys = keys
        self.holes = holes
        self.kept = Kept(_ONCE_MAX)

    def _render_parts(self, context) -> list[str]:
        """The rendering split at the holes: text, hole index, text, hole index, … text."""
        sentinels = {name: SafeString(f"\x1esituok-hole-{i}\x1e") for i, name in enumerate(self.holes)}
        with context.push(sentinels):
            rendered = self.nodelist.render(context)
        parts: list = _HOLE.split(rendered)
        for i in range(1, len(parts), 2):
            parts[i] = int(parts[i])
        return parts

    def render(self, context):
        try:
            values = tuple(key.resolve(context) for key in self.keys)
            key = (markup_context(), context.autoescape, values)
            parts = self.kept.get(key)
        except TypeError:  # an unhashable value: render as if the tag were not there
            return self.nodelist.render(context)
        if parts is None:
            parts = self.kept.keep(key, self._render_parts(context))
        if len(parts) == 1:
            return parts[0]
        filled = [render_value_in_context(context.get(name, ""), context) for name in self.holes]
        return SafeString("".join(filled[part] if i % 2 else part for i, part in enumerate(parts)))


@register.tag
def once(parser, token):
    """``{% once [value …] [fill name …] %}…{% endonce %}``: a fragment rendered once per language (and
    script prefix, URLconf and the given values) and then reused — for the table heads, titles and
    buttons of list pages, whose ``{% translate %}`` and ``{% url %}`` tags cost more than the rows.

    Everything the fragment shows must depend only on the language and the listed values (which must be
    hashable): no user data, no CSRF token. ``fill name`` marks variables that vary per request but are
    only printed as ``{{ name }}`` (no filters, not in conditions): they are filled in, escaped, on
    every rendering.
    """
    bits = token.split_contents()[1:]
    holes: list[str] = []
    if "fill" in bits:
        at = bits.index("fill")
        bits, holes = bits[:at], bits[at + 1 :]
        if not holes:
            raise template.TemplateSyntaxError("'once … fill' needs variable names")
    nodelist = parser.parse(("endonce",))
    parser.delete_first_token()
    return OnceNode(nodelist, [parser.compile_filter(bit) for bit in bits], holes)
