"""Roles, permissions and access helpers — declared once, used everywhere.

* ``PERMISSIONS`` lists every permission the application checks. Checking a name that is not listed
  fails at import time (decorators) or immediately (``has_perm``), so a typo crashes in development
  instead of silently denying — or allowing — in production.
* ``ROLES`` maps each role to its permissions; ``manage.py sync_roles`` turns it into Django groups.
* Object-level rights live behind ``<entity>_get_for_user(user, pk, write=False)`` helpers built on
  :func:`get_for_user`: 404 when the user may not see the object, 403 when they may see but not change.
* ``MENU`` is the navigation; an item is shown exactly when its permission check passes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# --- Permissions ---------------------------------------------------------------------------------
# "app_label.codename" → what it allows. Each is a real Django permission (model Meta).
PERMISSIONS: dict[str, Promise] = {
    "situok.view_auditevent": _("Melihat jejak audit"),
    "situok.export_auditevent": _("Mengekspor jejak audit"),
    "situok.view_numberingscheme": _("Melihat skema penomoran"),
    "situok.change_numberingscheme": _("Mengubah skema penomoran"),
    "situok.change_calendarday": _("Mengubah dan mengonfirmasi kalender kerja"),
    "staff.view_employee": _("Melihat semua data pegawai"),
    "staff.change_employee": _("Mengubah data pegawai"),
    "staff.add_employee": _("Menambah pegawai"),
    "staff.view_personal_data": _("Melihat data pribadi pegawai (NIK, alamat, rekening)"),
    "staff.view_orgunit": _("Melihat unit organisasi"),
    "staff.change_orgunit": _("Mengubah unit organisasi"),
    "travel.add_trip": _("Menyusun SPT untuk pegawai mana pun"),
    "travel.manage_trip": _("Mengelola semua SPT dan SPPD (operator perjalanan dinas)"),
    "travel.view_trip": _("Melihat semua SPT dan register SPT"),
    "travel.pay_trip": _("Membayar dan menyelesaikan perjalanan dinas"),
    "travel.change_dailyallowancerate": _("Mengubah tabel tarif perjalanan dinas"),
    "travel.change_budgetline": _("Mengubah mata anggaran"),
    "bookings.manage_booking": _("Mengelola semua peminjaman gedung dan kendaraan (operator peminjaman)"),
    "bookings.view_booking": _("Melihat semua peminjaman dan laporannya"),
    "bookings.change_resource": _("Mengelola ruang, kendaraan, pengemudi dan masa tidak tersedia"),
}


def check_permission_name(perm: str) -> str:
    if perm not in PERMISSIONS:
        raise ImproperlyConfigured(f"Permission {perm!r} is not declared in situok.permissions.PERMISSIONS")
    return perm


# --- Roles ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Role:
    code: str
    label: Promise
    description: Promise
    permissions: tuple[str, ...] = field(default_factory=tuple)

    @property
    def group_name(self) -> str:
        return self.code


ROLES: tuple[Role, ...] = (
    Role(
        "administrator",
        _("Administrator"),
        _("Mengelola data referensi, pengguna, penomoran dan jejak audit."),
        tuple(PERMISSIONS),
    ),
    Role(
        "pimpinan",
        _("Pimpinan"),
        _("Pejabat yang menyetujui dan menandatangani dokumen."),
        ("staff.view_employee", "staff.view_orgunit", "travel.view_trip", "bookings.view_booking"),
    ),
    Role(
        "atasan",
        _("Atasan"),
        _("Atasan langsung: meninjau permohonan, kehadiran dan kinerja bawahan."),
        ("staff.view_orgunit",),
    ),
    Role(
        "operator_kepegawaian",
        _("Operator Kepegawaian"),
        _("Mengelola data pegawai, riwayat dan dokumen kepegawaian."),
        (
            "staff.view_employee",
            "staff.change_employee",
            "staff.add_employee",
            "staff.view_personal_data",
            "staff.view_orgunit",
            "staff.change_orgunit",
        ),
    ),
    Role(
        "operator_perjalanan",
        _("Operator Perjalanan Dinas"),
        _("Menyusun SPT/SPPD dan rincian biaya perjalanan dinas."),
        (
            "staff.view_employee",
            "staff.view_orgunit",
            "situok.view_numberingscheme",
            "travel.add_trip",
            "travel.manage_trip",
            "travel.view_trip",
            "travel.change_budgetline",
        ),
    ),
    Role(
        "bendahara",
        _("Bendahara"),
        _("Bendahara pengeluaran: pembayaran dan SPJ."),
        ("staff.view_orgunit", "travel.view_trip", "travel.pay_trip"),
    ),
    Role(
        "ppk",
        _("PPK (Pejabat Pembuat Komitmen)"),
        _("Mengesahkan komitmen dan pembayaran."),
        ("staff.view_orgunit", "travel.view_trip", "travel.pay_trip"),
    ),
    Role(
        "pengurus_barang",
        _("Pengurus Barang"),
        _("Mengelola inventaris barang milik daerah."),
        ("staff.view_orgunit",),
    ),
    Role(
        "operator_peminjaman",
        _("Operator Peminjaman"),
        _("Mengelola peminjaman gedung, ruang dan kendaraan dinas."),
        (
            "staff.view_orgunit",
            "bookings.manage_booking",
            "bookings.view_booking",
            "bookings.change_resource",
        ),
    ),
    Role(
        "humas_protokol",
        _("Humas/Protokol"),
        _("Mengelola agenda dan dokumentasi pimpinan."),
        ("staff.view_orgunit",),
    ),
    Role(
        "pegawai",
        _("Pegawai"),
        _("Setiap pegawai, ASN maupun non-ASN."),
        (),
    ),
)
ROLES_BY_CODE = {r.code: r for r in ROLES}

for _role in ROLES:
    for _perm in _role.permissions:
        check_permission_name(_perm)


def user_roles(user) -> list[Role]:
    if not getattr(user, "is_authenticated", False):
        return []
    from .backends import auth_snapshot  # cached per "auth" version, shared with the permission checks

    names = auth_snapshot(user)["groups"]
    return [r for r in ROLES if r.code in names]


def has_role(user, code: str) -> bool:
    if code not in ROLES_BY_CODE:
        raise ImproperlyConfigured(f"Unknown role {code!r}")
    return any(r.code == code for r in user_roles(user))


def has_perm(user, perm: str, obj: Model | None = None) -> bool:
    check_permission_name(perm)
    return bool(getattr(user, "is_authenticated", False) and user.has_perm(perm, obj))


# --- View decorators ------------------------------------------------------------------------------
def require_perm(*perms: str) -> Callable:
    """Login required, then every listed permission; names are checked when the module is imported."""
    for perm in perms:
        check_permission_name(perm)

    def decorator(view):
        @functools.wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not all(request.user.has_perm(p) for p in perms):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.situok_permissions = perms
        return wrapped

    return decorator


def require_login(view):
    """For pages every signed-in user may open; object access is then decided by a helper."""
    wrapped = login_required(view)
    wrapped.situok_permissions = ()
    return wrapped


def public(view):
    """Marks a view as deliberately open to anonymous users (login page, document verification)."""
    view.situok_public = True
    return view


# --- Object access -------------------------------------------------------------------------------
def get_for_user(
    user,
    queryset: QuerySet,
    pk,
    *,
    visible: Callable[[object, QuerySet], QuerySet],
    can_change: Callable[[object, Model], bool] | None = None,
    write: bool = False,
) -> Model:
    """The object with ``pk`` from ``visible(user, queryset)``.

    Raises 404 when it is not there (missing *or* invisible — an outsider cannot tell which) and 403
    when ``write`` is asked and ``can_change(user, obj)`` says no.
    """
    try:
        obj = visible(user, queryset).get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if write and not (can_change is not None and can_change(user, obj)):
        raise PermissionDenied
    return obj


# --- Navigation ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MenuItem:
    key: str
    label: Promise
    url_name: str
    icon: str
    perms: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    description: Promise | str = ""

    def visible_to(self, user) -> bool:
        if not getattr(user, "is_authenticated", False):
            return False
        if self.roles and not any(has_role(user, r) for r in self.roles) and not user.is_superuser:
            return False
        return all(has_perm(user, p) for p in self.perms)


MENU: list[MenuItem] = [
    MenuItem("home", _("Beranda"), "home", "house", description=_("Ringkasan pekerjaan Anda")),
    MenuItem(
        "audit",
        _("Jejak Audit"),
        "audit_list",
        "shield-check",
        perms=("situok.view_auditevent",),
        description=_("Siapa melakukan apa dan kapan"),
    ),
    MenuItem(
        "calendar",
        _("Kalender Kerja"),
        "calendar",
        "calendar3",
        description=_("Hari libur, cuti bersama dan dispensasi Bali"),
    ),
]


def register_menu_item(item: MenuItem) -> None:
    """Apps add their entries from ``AppConfig.ready`` (permission names are checked now)."""
    for perm in item.perms:
        check_permission_name(perm)
    for role in item.roles:
        if role not in ROLES_BY_CODE:
            raise ImproperlyConfigured(f"Unknown role {role!r}")
    if any(m.key == item.key for m in MENU):
        return
    MENU.append(item)


def menu_for(user) -> list[MenuItem]:
    """The menu items ``user`` may see, computed once per user and version of the ``auth`` tables."""
    if not getattr(user, "is_authenticated", False):
        return []
    from .derived import cached

    keys = cached(
        f"menu|{user.pk}|{int(user.is_superuser)}|{int(user.is_active)}|{len(MENU)}",
        depends_on=("auth",),
        compute=lambda: tuple(m.key for m in MENU if m.visible_to(user)),
    )
    return [m for m in MENU if m.key in keys]


# --- "Waiting for you" counters on the home page ---------------------------------------------------
@dataclass(frozen=True)
class PendingCounter:
    key: str
    label: Promise
    url_name: str
    count: Callable[[object], int]
    perms: tuple[str, ...] = ()


PENDING_COUNTERS: list[PendingCounter] = []


def register_pending_counter(counter: PendingCounter) -> None:
    for perm in counter.perms:
        check_permission_name(perm)
    if not any(c.key == counter.key for c in PENDING_COUNTERS):
        PENDING_COUNTERS.append(counter)


def pending_for(user) -> Iterable[tuple[PendingCounter, int]]:
    for counter in PENDING_COUNTERS:
        if all(has_perm(user, p) for p in counter.perms):
            yield counter, counter.count(user)
