"""The English catalogue is complete: every translatable string in the code and the templates has an
English translation (pure-Python scan, so it runs without GNU gettext)."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

ROOT = Path(settings.BASE_DIR)
APPS = ["situok", "staff", "travel", "assets", "bookings", "attendance"]
PY_CALL = re.compile(
    r"""\b(?:_|gettext|gettext_lazy|pgettext_lazy)\(\s*(?:"([^"\\]*(?:\\.[^"\\]*)*)"\s*\))"""
)
TPL_TRANS = re.compile(r"""{%\s*translate\s+"([^"]*)"|{%\s*translate\s+'([^']*)'""")
TPL_BLOCK = re.compile(r"{%\s*blocktranslate[^%]*%}(.*?){%\s*endblocktranslate\s*%}", re.S)


def _source_msgids() -> set[str]:
    found: set[str] = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for match in PY_CALL.finditer(path.read_text()):
                found.add(match.group(1).encode().decode("unicode_escape").encode("latin-1").decode("utf-8"))
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        found |= {a or b for a, b in TPL_TRANS.findall(text)}
        for body in TPL_BLOCK.findall(text):
            singular = re.split(r"{%\s*plural\s*%}", body)[0]
            found.add(re.sub(r"{{\s*(\w+)\s*}}", r"%(\1)s", singular))
    return found


def test_every_source_string_has_an_english_translation():
    catalogue = polib.pofile(str(ROOT / "locale/en/LC_MESSAGES/django.po"))
    translated = {e.msgid for e in catalogue if e.translated() and "fuzzy" not in e.flags}
    source = _source_msgids()
    assert len(source) > 150  # the scan itself works
    missing = sorted(source - translated)
    assert not missing, f"run `make messages` and translate: {missing}"


def test_indonesian_catalogue_has_no_empty_entry():
    catalogue = polib.pofile(str(ROOT / "locale/id/LC_MESSAGES/django.po"))
    assert [e.msgid for e in catalogue if not e.translated()] == []


@pytest.mark.django_db
def test_switching_language_changes_the_interface(client_as):
    client = client_as("pegawai")
    assert "Menunggu Anda" in client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Waiting for you" in client.get(reverse("home")).content.decode()


def test_indonesian_is_the_default_language():
    assert settings.LANGUAGE_CODE == "id"
    with translation.override("id"):
        assert str(translation.gettext("Beranda")) == "Beranda"


@pytest.mark.django_db
def test_an_english_browser_still_gets_indonesian_until_the_user_switches(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Masuk ke SITU OK" in response.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Sign in to SITU OK" in client.get(reverse("login")).content.decode()
