"""The page chrome (situok_shell) and the fixed-statement session/user loads (situok.sessions)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.models import Session
from django.utils import timezone

from situok.sessions import SessionStore, instance_by_pk

pytestmark = pytest.mark.django_db


def test_user_row_matches_the_orm(personas):
    User = get_user_model()
    admin = personas["admin"]
    User.objects.filter(pk=admin.pk).update(last_login=timezone.now())
    expected = User.objects.get(pk=admin.pk)
    loaded = instance_by_pk(User, str(admin.pk))  # as the session stores it
    assert loaded is not None and loaded.pk == admin.pk
    for field in User._meta.concrete_fields:
        assert getattr(loaded, field.attname) == getattr(expected, field.attname), field.name
    assert timezone.is_aware(loaded.date_joined) and timezone.is_aware(loaded.last_login)
    assert loaded.is_superuser is expected.is_superuser and isinstance(loaded.is_active, bool)
    assert loaded._state.adding is False and loaded._state.db == "default"


@pytest.mark.parametrize("bad", ["", "abc", None, "999999999"])
def test_user_row_missing_or_malformed(personas, bad):
    assert instance_by_pk(get_user_model(), bad) is None


def test_session_read_and_expiry(db):
    store = SessionStore()
    store["answer"] = 42
    store.create()
    key = store.session_key
    assert SessionStore(key).load() == {"answer": 42}
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    expired = SessionStore(key)
    assert expired.load() == {}
    assert expired.session_key is None  # a fresh key is made on the next save, as Django does
    assert SessionStore("no-such-key-000000000000000000000").load() == {}


def _chrome(html: str) -> str:
    return html.split('<main id="main"')[0]


def test_navigation_follows_permissions(client_as, personas):
    page = client_as("admin").get("/kalender/").content.decode()
    nav = _chrome(page)
    assert 'data-testid="user-menu"' in nav and 'data-testid="logout"' in nav
    assert 'href="/audit/"' in nav
    # the current page's item is marked active, the others are not
    assert re.search(r'class="nav-link active" href="/kalender/"', nav)
    assert not re.search(r'class="nav-link active" href="/audit/"', nav)
    assert 'href="/audit/"' not in _chrome(client_as("pegawai").get("/kalender/").content.decode())


def test_menu_changes_with_a_new_permission(client_as, personas):
    client = client_as("pegawai")
    assert 'href="/audit/"' not in _chrome(client.get("/kalender/").content.decode())
    group = Group.objects.create(name="Pembaca audit")
    group.permissions.add(Permission.objects.get(codename="view_auditevent"))
    personas["pegawai"].groups.add(group)  # bumps the "auth" version: the cached menu is stale
    assert 'href="/audit/"' in _chrome(client.get("/kalender/").content.decode())


def test_tokens_and_language_switch(client_as):
    client = client_as("pegawai")
    page = client.get("/kalender/?tahun=2026&x=<b>").content.decode()
    header = re.search(r'hx-headers=\'\{"X-CSRFToken": "([A-Za-z0-9]+)"\}\'', page).group(1)
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"', page)
    assert len(tokens) == 2 and set(tokens) == {header}  # logout and language forms
    assert 'name="next" value="/kalender/?tahun=2026&amp;x=%3Cb%3E"' in page or (
        'name="next" value="/kalender/?tahun=2026&amp;x=&lt;b&gt;"' in page
    )
    assert '<option value="id" selected>Bahasa Indonesia</option>' in page
    english = client.post("/i18n/bahasa/", {"language": "en", "next": "/kalender/"}, follow=True)
    text = english.content.decode()
    assert '<option value="en" selected>' in text and "Skip to content" in text
    # the next request sees a fresh token in the cached chrome, not the previous one
    again = client.get("/kalender/").content.decode()
    assert re.search(r'"X-CSRFToken": "([A-Za-z0-9]+)"', again).group(1) != header


def test_anonymous_chrome(client):
    page = client.get("/masuk/").content.decode()
    assert page.startswith("<!doctype html>") and page.rstrip().endswith("</html>")
    assert 'data-testid="user-menu"' not in page and "navbar-toggler" not in page
    assert re.search(r'<link rel="stylesheet" href="/static/vendor/bootstrap/bootstrap[.\w]*css">', page)
