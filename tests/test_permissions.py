"""The permission matrix: every URL of the project, every persona that matters, the expected status.

Adding a URL pattern without rows here fails ``test_every_url_pattern_has_rows``. The Django admin is
covered as one namespace (its index and a model page): it has its own staff check and is a reference
tool for Administrators, not the main UI.
"""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from matrix_bookings import ROWS as BOOKING_ROWS
from matrix_bookings import make_objects as make_booking_objects
from matrix_situok_approvals import ROWS as APPROVAL_ROWS
from matrix_situok_approvals import make_objects as make_approval_objects
from matrix_situok_calendar import ROWS as CALENDAR_ROWS
from matrix_situok_calendar import make_objects as make_calendar_objects
from matrix_situok_workflow import ROWS as WORKFLOW_ROWS
from matrix_situok_workflow import make_objects as make_workflow_objects
from matrix_staff import ROWS as STAFF_ROWS
from matrix_staff_import import ROWS as STAFF_IMPORT_ROWS
from matrix_staff_reports import ROWS as STAFF_REPORT_ROWS
from matrix_travel import ROWS as TRAVEL_ROWS
from matrix_travel import make_objects as make_travel_objects
from matrix_travel_documents import ROWS as TRAVEL_DOCUMENT_ROWS
from matrix_travel_documents import make_objects as make_travel_document_objects
from matrix_travel_posttrip import ROWS as TRAVEL_POSTTRIP_ROWS
from matrix_travel_posttrip import make_objects as make_travel_posttrip_objects
from matrix_travel_reports import ROWS as TRAVEL_REPORT_ROWS
from matrix_travel_reports import make_objects as make_travel_report_objects
from PIL import Image

from staff.models import CorrectionRequest, Employee, StaffDocument

ANON = "anon"
EVERY_PERSONA = (
    "admin", "pimpinan", "atasan", "kepegawaian", "perjalanan", "bendahara", "ppk",
    "pengurus", "peminjaman", "humas", "pegawai", "honorer", "luar",
)  # fmt: skip
NOT_ADMIN = tuple(p for p in EVERY_PERSONA if p != "admin")
LOGIN_REDIRECT = 302

# (url name, kwargs, method, persona, expected status)
MATRIX: list[tuple[str, dict, str, str, int]] = [
    ("home", {}, "get", ANON, LOGIN_REDIRECT),
    *[("home", {}, "get", p, 200) for p in EVERY_PERSONA],
    ("login", {}, "get", ANON, 200),
    ("login", {}, "get", "pegawai", 302),  # already signed in → home
    ("logout", {}, "post", ANON, 302),
    ("logout", {}, "post", "pegawai", 302),
    ("logout", {}, "get", "pegawai", 405),
    ("password_change", {}, "get", ANON, LOGIN_REDIRECT),
    *[("password_change", {}, "get", p, 200) for p in EVERY_PERSONA],
    ("audit_list", {}, "get", ANON, LOGIN_REDIRECT),
    ("audit_list", {}, "get", "admin", 200),
    *[("audit_list", {}, "get", p, 403) for p in NOT_ADMIN],
    ("export_download", {"identifier": "audit", "fmt": "xlsx"}, "get", ANON, LOGIN_REDIRECT),
    ("export_download", {"identifier": "audit", "fmt": "xlsx"}, "get", "admin", 200),
    ("export_download", {"identifier": "audit", "fmt": "pdf"}, "get", "admin", 200),
    ("export_download", {"identifier": "audit", "fmt": "csv"}, "get", "admin", 200),
    ("export_download", {"identifier": "audit", "fmt": "exe"}, "get", "admin", 404),
    ("export_download", {"identifier": "tidak-ada", "fmt": "xlsx"}, "get", "admin", 404),
    *[("export_download", {"identifier": "audit", "fmt": "xlsx"}, "get", p, 404) for p in NOT_ADMIN],
    ("set_language", {}, "post", ANON, 302),
    ("set_language", {}, "post", "pegawai", 302),
    ("healthz", {}, "get", ANON, 200),
    ("admin:index", {}, "get", ANON, 302),
    ("admin:index", {}, "get", "pegawai", 302),
    ("admin:index", {}, "get", "admin", 200),
    ("admin:situok_auditevent_changelist", {}, "get", "admin", 200),
    ("admin:situok_auditevent_changelist", {}, "get", "pegawai", 302),
    *STAFF_ROWS,
    *STAFF_IMPORT_ROWS,
    *STAFF_REPORT_ROWS,
    *CALENDAR_ROWS,
    *WORKFLOW_ROWS,
    *APPROVAL_ROWS,
    *TRAVEL_ROWS,
    *TRAVEL_DOCUMENT_ROWS,
    *TRAVEL_POSTTRIP_ROWS,
    *TRAVEL_REPORT_ROWS,
    *BOOKING_ROWS,
]

# Views reachable without login by design.
PUBLIC = {"login", "logout", "set_language", "healthz", "verification", "bookings:ics_feed"}


def _url_names(resolver=None, namespace: str = "") -> set[str]:
    resolver = resolver or get_resolver()
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern, ns)
        elif isinstance(pattern, URLPattern):
            names.add(
                f"{namespace}{pattern.name}" if pattern.name else f"{namespace}<unnamed {pattern.pattern}>"
            )
    return names


def test_every_url_pattern_has_rows():
    covered = {row[0] for row in MATRIX}
    missing = sorted(n for n in _url_names() if not n.startswith("admin:") and n not in covered)
    assert not missing, f"URL patterns without permission-matrix rows: {missing}"


def _make_staff_objects(personas) -> dict:
    pegawai = personas["pegawai"].employee
    retired = Employee.objects.create(
        name="I Wayan Purnawan",
        sex="L",
        employee_type=Employee.Type.NON_ASN,
        nik="5171010101600001",
        unit=personas["peminjaman"].employee.unit,
        status=Employee.Status.PENSIUN,
    )
    pdf = ContentFile(b"%PDF-1.4\n%%EOF\n", name="sk.pdf")
    doc = StaffDocument.objects.create(employee=pegawai, kind=StaffDocument.Kind.SK_PNS, file=pdf)
    correction = CorrectionRequest.objects.create(
        employee=pegawai, requested_by=personas["pegawai"], changes={"phone": "081234567890"}
    )
    correction.attachment.save("bukti.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    return {"@retired": retired.pk, "@doc": doc.pk, "@correction": correction.pk}


# Cheapest first: a placeholder is looked up in the factories in this order, each run at most once.
OBJECT_FACTORIES = (
    make_calendar_objects,
    make_workflow_objects,
    make_travel_report_objects,
    make_travel_document_objects,
    make_travel_posttrip_objects,
    _make_staff_objects,
    make_approval_objects,
    make_travel_objects,
    make_booking_objects,
)


class LazyObjects(dict):
    """``@name`` → id, made on first use: a row builds only the objects its placeholders need (building
    every module's objects for each of the ~900 rows cost most of the matrix's run time)."""

    def __init__(self, personas, factories):
        super().__init__({f"@{name}": user.employee.pk for name, user in personas.items()})
        self._personas = personas
        self._pending = list(factories)

    def require(self, factory) -> None:
        """Build ``factory``'s objects now (pages that list objects without naming one in the URL)."""
        if factory in self._pending:
            self._pending.remove(factory)
            self.update(factory(self._personas))

    def __missing__(self, key):
        while self._pending:
            self.update(self._pending.pop(0)(self._personas))
            if dict.__contains__(self, key):
                return dict.__getitem__(self, key)
        raise KeyError(key)


@pytest.fixture
def objects(personas):
    """The objects that ``@name`` placeholders in the rows refer to (built lazily, see LazyObjects)."""
    png = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(png, format="PNG")
    personas["pegawai"].employee.photo.save("foto.png", ContentFile(png.getvalue()))
    return LazyObjects(personas, OBJECT_FACTORIES)


# Pages whose answer depends on objects existing although their URL names none (e.g. the daily schedule
# of "the first building").
NAMESPACE_FACTORIES = {"bookings": make_booking_objects}


def _resolve(kwargs: dict, objects: dict) -> dict:
    return {k: objects[v] if isinstance(v, str) and v.startswith("@") else v for k, v in kwargs.items()}


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kwargs", "method", "persona", "expected"), MATRIX)
def test_permission_matrix(client_as, objects, name, kwargs, method, persona, expected):
    client = client_as(persona)
    if ":" in name and name.split(":")[0] in NAMESPACE_FACTORIES:
        objects.require(NAMESPACE_FACTORIES[name.split(":")[0]])
    url = reverse(name, kwargs=_resolve(kwargs, objects))
    data = {"language": "en", "next": "/"} if name == "set_language" else {}
    response = getattr(client, method)(url, data)
    assert response.status_code == expected, f"{method.upper()} {url} as {persona}"
    if (
        expected == LOGIN_REDIRECT
        and persona == ANON
        and name not in PUBLIC
        and not name.startswith("admin:")
    ):
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_anonymous_users_are_redirected_to_login_everywhere_and_never_get_a_server_error(client, objects):
    for name in sorted(_url_names()):
        if name.startswith("admin:") or name in PUBLIC or name.startswith("<"):
            continue
        kwargs = next(row[1] for row in MATRIX if row[0] == name)
        url = reverse(name, kwargs=_resolve(kwargs, objects))
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url
