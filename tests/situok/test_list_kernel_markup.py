"""The list kernel's Python renderers produce exactly what their templates rendered before."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator
from django.template import engines
from django.utils import translation

# includes/pagination.html as it was written in the template language.
OLD_PAGINATION = """{% load i18n %}{# Page links for a Django Page; `query` is the current filter query string without `page`. #}
{% if page.has_other_pages %}
<nav aria-label="{% translate 'Halaman' %}"><ul class="pagination pagination-sm flex-wrap">
  {% if page.has_previous %}<li class="page-item"><a class="page-link" href="?{% if query %}{{ query }}&amp;{% endif %}page={{ page.previous_page_number }}">{% translate "Sebelumnya" %}</a></li>{% endif %}
  <li class="page-item disabled"><span class="page-link">{% blocktranslate with n=page.number total=page.paginator.num_pages %}Halaman {{ n }} dari {{ total }}{% endblocktranslate %}</span></li>
  {% if page.has_next %}<li class="page-item"><a class="page-link" href="?{% if query %}{{ query }}&amp;{% endif %}page={{ page.next_page_number }}" data-testid="next-page">{% translate "Berikutnya" %}</a></li>{% endif %}
</ul></nav>
{% endif %}
"""


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("query", ["", "q=Ayu+%26+%3Cb%3E&unit=3", None])
@pytest.mark.parametrize("count", [0, 5, 25, 26, 120, 25_000])
def test_page_links_match_the_old_template(language, query, count):
    old = engines["django"].from_string(OLD_PAGINATION)
    new = engines["django"].from_string('{% include "includes/pagination.html" %}')
    paginator = Paginator(range(count), 25)
    with translation.override(language):
        for number in {1, 2, paginator.num_pages - 1, paginator.num_pages}:
            if not 1 <= number <= paginator.num_pages:
                continue
            context = {"page": paginator.page(number)}
            if query is not None:
                context["query"] = query
            assert new.render(context) == old.render(context), (number, count)


def test_page_links_without_a_page_render_nothing():
    new = engines["django"].from_string('{% include "includes/pagination.html" %}')
    assert new.render({}).strip() == ""


# --- {% once %} ----------------------------------------------------------------------------------------
ONCE = (
    "{% load i18n situok_ui %}{% once flag fill query %}<a href=\"/x?{{ query }}\">{% translate 'Halaman' %}"
    "</a>{% if flag %}!{% endif %}{% endonce %}"
)
PLAIN = ONCE.replace("{% once flag fill query %}", "").replace("{% endonce %}", "")


@pytest.mark.parametrize("language", ["id", "en", "id"])
@pytest.mark.parametrize("flag", [True, False])
@pytest.mark.parametrize("query", ["q=a&b=<c>", "", None])
def test_once_renders_what_its_content_renders(language, flag, query):
    once, plain = engines["django"].from_string(ONCE), engines["django"].from_string(PLAIN)
    context = {"flag": flag} if query is None else {"flag": flag, "query": query}
    with translation.override(language):
        for _ in range(2):
            assert once.render(context) == plain.render(context)


def test_once_keeps_one_rendering_per_language_and_values():
    template = engines["django"].from_string(ONCE)
    node = next(n for n in template.template.nodelist if type(n).__name__ == "OnceNode")
    node.kept.clear()
    for language in ("id", "en"):
        with translation.override(language):
            for query in ("a=1", "a=2", "a=<3>"):
                template.render({"flag": True, "query": query})
                template.render({"flag": False, "query": query})
    assert len(node.kept) == 4  # (id, en) × (True, False): the filled-in query is not kept
    with translation.override("en"):
        label = translation.gettext("Halaman")
        assert label != "Halaman"
        assert template.render({"flag": True, "query": "a=<3>"}) == f'<a href="/x?a=&lt;3&gt;">{label}</a>!'


def test_once_renders_unhashable_values_without_keeping_them():
    template = engines["django"].from_string(
        "{% load situok_ui %}{% once items %}{{ items|length }}{% endonce %}"
    )
    assert template.render({"items": [1, 2]}) == "2" and template.render({"items": [1]}) == "1"


def test_once_fill_needs_names():
    from django.template import TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError):
        engines["django"].from_string("{% load situok_ui %}{% once fill %}x{% endonce %}")
