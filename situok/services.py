"""Services of the shared kernel: sign-in events and exports (each writes its audit event)."""

from __future__ import annotations

from django.contrib.auth import login, logout
from django.http import HttpRequest

from .audit import log_action
from .exports import BaseExporter, ExportResult


def auth_login(request: HttpRequest, user) -> None:
    login(request, user)
    log_action(user, "auth.login", by=user, request=request)


def auth_login_failed(request: HttpRequest, username: str) -> None:
    log_action(None, "auth.login_failed", request=request, data={"username": username[:150]})


def auth_logout(request: HttpRequest) -> None:
    user = request.user
    if user.is_authenticated:
        log_action(user, "auth.logout", by=user, request=request)
    logout(request)


def auth_password_changed(request: HttpRequest, user) -> None:
    log_action(user, "auth.password_changed", by=user, request=request)


def export_run(exporter: BaseExporter, form_data: dict, *, fmt: str, request: HttpRequest) -> ExportResult:
    """Render an export and record who downloaded what, with which filters."""
    result = exporter.render(form_data, user=request.user, fmt=fmt)
    filters = {k: v for k, v in form_data.items() if v not in ("", None) and k not in ("cursor",)}
    log_action(
        None,
        f"export.{exporter.identifier}",
        request=request,
        data={"format": fmt, "filters": filters, "filename": result.filename},
        label=str(exporter.verbose_name),
    )
    return result


def roles_sync() -> dict[str, int]:
    """Create or update one group per role with exactly the role's permissions. Idempotent."""
    from django.contrib.auth.models import Group, Permission

    from .permissions import ROLES

    wanted = {p for role in ROLES for p in role.permissions}
    by_name = {}
    for perm in Permission.objects.select_related("content_type").filter(
        content_type__app_label__in={p.split(".")[0] for p in wanted}
    ):
        by_name[f"{perm.content_type.app_label}.{perm.codename}"] = perm
    missing = wanted - set(by_name)
    if missing:
        raise LookupError(f"Permissions missing in the database (run migrate): {sorted(missing)}")
    result = {}
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role.group_name)
        group.permissions.set([by_name[p] for p in role.permissions])
        result[role.code] = len(role.permissions)
    return result
