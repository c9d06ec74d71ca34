"""Permission-matrix rows of the staff reports (imported by ``tests/test_permissions.py``).

``ROWS`` has the matrix shape ``(url name, kwargs, method, persona, expected status)``. The matrix
sends no query string, so ``staff-drh`` rows there print the persona's *own* DRH; the object checks
that need ``?pegawai=<id>`` are in ``QUERY_ROWS`` — ``(url name, kwargs, query, persona, expected)``
where a query value ``"@<persona>"`` stands for that persona's employee id — and are run by
``tests/staff/test_reports.py``.
"""

from __future__ import annotations

ANON = "anon"
LOGIN_REDIRECT = 302

# Roles holding staff.view_employee (situok.permissions.ROLES): the staff reports are theirs.
STAFF_VIEWERS = ("admin", "pimpinan", "kepegawaian", "perjalanan")
NOT_STAFF_VIEWERS = (
    "atasan",
    "bendahara",
    "ppk",
    "pengurus",
    "peminjaman",
    "humas",
    "pegawai",
    "honorer",
    "luar",
)
EVERY_PERSONA = STAFF_VIEWERS + NOT_STAFF_VIEWERS

REPORT_EXPORTS: dict[str, tuple[str, ...]] = {
    "staff-list": ("xlsx", "csv", "pdf"),
    "staff-duk": ("xlsx", "csv", "pdf"),
    "staff-recap": ("xlsx", "pdf"),
    "staff-reminders": ("xlsx", "csv", "pdf"),
}


def _export(identifier: str, fmt: str) -> dict[str, str]:
    return {"identifier": identifier, "fmt": fmt}


ROWS: list[tuple[str, dict, str, str, int]] = [
    # The reports page.
    ("staff:reports", {}, "get", ANON, LOGIN_REDIRECT),
    *[("staff:reports", {}, "get", p, 200) for p in STAFF_VIEWERS],
    *[("staff:reports", {}, "get", p, 403) for p in NOT_STAFF_VIEWERS],
    ("staff:reports", {}, "post", "kepegawaian", 405),
    # List-type reports: every format for the Operator Kepegawaian, one for the other viewers,
    # 404 (the download view hides exports a user may not run) for everyone else.
    *[
        ("export_download", _export(identifier, fmt), "get", ANON, LOGIN_REDIRECT)
        for identifier, fmts in REPORT_EXPORTS.items()
        for fmt in fmts[:1]
    ],
    *[
        ("export_download", _export(identifier, fmt), "get", "kepegawaian", 200)
        for identifier, fmts in REPORT_EXPORTS.items()
        for fmt in fmts
    ],
    *[
        ("export_download", _export(identifier, "xlsx"), "get", p, 200)
        for identifier in REPORT_EXPORTS
        for p in ("admin", "pimpinan", "perjalanan")
    ],
    *[
        ("export_download", _export(identifier, "xlsx"), "get", p, 404)
        for identifier in REPORT_EXPORTS
        for p in NOT_STAFF_VIEWERS
    ],
    ("export_download", _export("staff-recap", "csv"), "get", "kepegawaian", 404),  # not offered
    # Daftar Riwayat Hidup without ?pegawai: one's own record, open to every employee.
    ("export_download", _export("staff-drh", "pdf"), "get", ANON, LOGIN_REDIRECT),
    *[("export_download", _export("staff-drh", "pdf"), "get", p, 200) for p in EVERY_PERSONA],
    ("export_download", _export("staff-drh", "xlsx"), "get", "kepegawaian", 404),
]

# (url name, kwargs, query, persona, expected); "@name" = the employee id of persona ``name``.
DRH = _export("staff-drh", "pdf")
QUERY_ROWS: list[tuple[str, dict, dict, str, int]] = [
    ("export_download", DRH, {"pegawai": "@pegawai"}, ANON, LOGIN_REDIRECT),
    ("export_download", DRH, {"pegawai": "@pegawai"}, "kepegawaian", 200),  # Operator Kepegawaian
    ("export_download", DRH, {"pegawai": "@pegawai"}, "admin", 200),
    ("export_download", DRH, {"pegawai": "@pegawai"}, "pimpinan", 200),  # RECORD via staff.view_employee
    ("export_download", DRH, {"pegawai": "@pegawai"}, "pegawai", 200),  # themself
    ("export_download", DRH, {"pegawai": "@pegawai"}, "atasan", 200),  # head of the employee's unit
    ("export_download", DRH, {"pegawai": "@luar"}, "atasan", 404),  # not in a unit she heads
    ("export_download", DRH, {"pegawai": "@luar"}, "pegawai", 404),  # a colleague: public profile only
    ("export_download", DRH, {"pegawai": "@pegawai"}, "honorer", 404),
    ("export_download", DRH, {"pegawai": "@pegawai"}, "luar", 404),
    ("export_download", DRH, {"pegawai": "999999"}, "kepegawaian", 404),  # no such employee
    ("export_download", DRH, {"pegawai": "abc"}, "kepegawaian", 404),  # malformed
    ("export_download", _export("staff-list", "xlsx"), {"pribadi": "1"}, "pegawai", 404),
    ("export_download", _export("staff-duk", "pdf"), {"unit": "abc", "on": "x"}, "kepegawaian", 200),
]
