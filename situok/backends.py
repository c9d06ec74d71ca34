"""Authentication backend whose permission sets come from the versioned cache (situok/derived.py).

Django's ModelBackend runs two queries per request (user and group permissions) to answer the first
``has_perm``; every page needs them (menu, buttons). The sets only change when a row of an ``auth``
table changes, which bumps the ``"auth"`` version — so they are computed once per user and version.
``is_active`` and ``is_superuser`` are read from the user row loaded for the request, as before.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from . import derived


def _perm_names(queryset) -> set[str]:
    rows = queryset.values_list("content_type__app_label", "codename").order_by()
    return {f"{app}.{codename}" for app, codename in rows}


def auth_snapshot(user) -> dict:
    """The user's permission names (own and through groups) and group names, for the current
    ``"auth"`` version; kept on the user object for the rest of the request."""
    snapshot = getattr(user, "_situok_auth_snapshot", None)
    if snapshot is None:

        def compute() -> dict:
            backend = ModelBackend()
            if user.is_superuser:
                from django.contrib.auth.models import Permission

                everything = _perm_names(Permission.objects.all())
                user_perms = group_perms = everything
            else:
                user_perms = _perm_names(backend._get_user_permissions(user))
                group_perms = _perm_names(backend._get_group_permissions(user))
            groups = frozenset(user.groups.values_list("name", flat=True))
            return {"user": frozenset(user_perms), "group": frozenset(group_perms), "groups": groups}

        snapshot = derived.cached(
            f"auth|{user.pk}|{int(user.is_superuser)}", depends_on=("auth",), compute=compute
        )
        user._situok_auth_snapshot = snapshot
    return snapshot


class CachedPermissionsBackend(ModelBackend):
    def get_user(self, user_id):
        """The signed-in user of a request (as ModelBackend.get_user), read by one fixed statement."""
        from django.contrib.auth import get_user_model

        from .sessions import instance_by_pk

        user = instance_by_pk(get_user_model(), user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def _get_permissions(self, user_obj, obj, from_name):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        perm_cache_name = f"_{from_name}_perm_cache"
        if not hasattr(user_obj, perm_cache_name):
            # A copy: Django's callers may add to these sets.
            setattr(user_obj, perm_cache_name, set(auth_snapshot(user_obj)[from_name]))
        return getattr(user_obj, perm_cache_name)
