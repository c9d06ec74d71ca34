import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404
from django.urls import reverse
from guardian.shortcuts import assign_perm, get_objects_for_user

from situok.audit import AuditEvent, log_action
from situok.permissions import (
    PERMISSIONS,
    ROLES,
    MenuItem,
    get_for_user,
    has_perm,
    has_role,
    menu_for,
    register_menu_item,
    require_perm,
)
from situok.services import roles_sync


def test_an_undeclared_permission_fails_when_the_view_module_is_imported():
    with pytest.raises(ImproperlyConfigured, match="not declared"):

        @require_perm("travel.approve_everything")
        def view(request):  # pragma: no cover - never defined
            return None


def test_has_perm_refuses_undeclared_names_instead_of_answering_false(django_user_model):
    with pytest.raises(ImproperlyConfigured):
        has_perm(django_user_model(username="x"), "situok.typo_auditevent")


def test_menu_items_with_undeclared_permissions_or_roles_are_refused():
    with pytest.raises(ImproperlyConfigured):
        register_menu_item(MenuItem("x", "X", "home", "x", perms=("situok.nope",)))
    with pytest.raises(ImproperlyConfigured):
        register_menu_item(MenuItem("x", "X", "home", "x", roles=("kepala_dunia",)))


def test_every_role_permission_is_declared_and_the_administrator_has_them_all():
    for role in ROLES:
        assert set(role.permissions) <= set(PERMISSIONS)
    assert set(next(r for r in ROLES if r.code == "administrator").permissions) == set(PERMISSIONS)
    assert len(ROLES) == 11


@pytest.mark.django_db
def test_sync_roles_is_idempotent_and_exact():
    from django.contrib.auth.models import Group

    roles_sync()
    roles_sync()
    assert Group.objects.count() == len(ROLES)
    group = Group.objects.get(name="operator_kepegawaian")
    names = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
    assert names == set(next(r for r in ROLES if r.code == "operator_kepegawaian").permissions)


@pytest.mark.django_db
def test_roles_of_personas(personas):
    assert has_role(personas["kepegawaian"], "operator_kepegawaian")
    assert has_role(personas["kepegawaian"], "pegawai")
    assert not has_role(personas["pegawai"], "administrator")


@pytest.mark.django_db
def test_menu_shows_exactly_what_the_permission_table_allows(personas, client_as):
    assert "audit" in {m.key for m in menu_for(personas["admin"])}
    assert "audit" not in {m.key for m in menu_for(personas["pegawai"])}
    html = client_as("pegawai").get(reverse("home")).content.decode()
    assert reverse("audit_list") not in html
    assert reverse("audit_list") in client_as("admin").get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_get_for_user_gives_404_when_invisible_and_403_when_read_only(personas):
    """Object rights from django-guardian: the helper hides what a user may not see."""
    pegawai, atasan, luar = personas["pegawai"], personas["atasan"], personas["luar"]
    event = log_action(pegawai.employee, "test.object")
    assign_perm("situok.view_auditevent", pegawai, event)
    assign_perm("situok.view_auditevent", atasan, event)

    def visible(user, qs):
        return get_objects_for_user(user, "situok.view_auditevent", klass=qs, accept_global_perms=True)

    def can_change(user, obj):
        return user.pk == pegawai.pk

    assert get_for_user(pegawai, AuditEvent.objects.all(), event.pk, visible=visible) == event
    assert get_for_user(
        pegawai, AuditEvent.objects.all(), event.pk, visible=visible, can_change=can_change, write=True
    )
    with pytest.raises(PermissionDenied):
        get_for_user(
            atasan, AuditEvent.objects.all(), event.pk, visible=visible, can_change=can_change, write=True
        )
    with pytest.raises(Http404):
        get_for_user(luar, AuditEvent.objects.all(), event.pk, visible=visible)
    with pytest.raises(Http404):
        get_for_user(pegawai, AuditEvent.objects.all(), "not-a-number", visible=visible)
