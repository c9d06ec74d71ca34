"""Permission-matrix rows for the employee import (``staff/views_import.py``), imported into
``tests/test_permissions.py``'s MATRIX. Same shape: ``(url name, kwargs, method, persona, expected status)``.

Import needs both ``staff.add_employee`` and ``staff.change_employee`` (Operator Kepegawaian, Administrator).
``import_confirm`` only accepts POST; without a valid preview token in the session it redirects back to the
upload page with a message (302), so nothing is written. A POST to ``import_upload`` without a file re-renders
the form with the error next to the field (200).
"""

from __future__ import annotations

IMPORTERS = ("kepegawaian", "admin")
NOT_IMPORTERS = (
    "pimpinan", "atasan", "perjalanan", "bendahara", "ppk", "pengurus", "peminjaman", "humas",
    "pegawai", "honorer", "luar",
)  # fmt: skip

ROWS: list[tuple[str, dict, str, str, int]] = [
    ("staff:import_template", {}, "get", "anon", 302),
    *[("staff:import_template", {}, "get", p, 200) for p in IMPORTERS],
    *[("staff:import_template", {}, "get", p, 403) for p in NOT_IMPORTERS],
    ("staff:import_upload", {}, "get", "anon", 302),
    *[("staff:import_upload", {}, "get", p, 200) for p in IMPORTERS],
    *[("staff:import_upload", {}, "get", p, 403) for p in NOT_IMPORTERS],
    ("staff:import_upload", {}, "post", "anon", 302),
    ("staff:import_upload", {}, "post", "kepegawaian", 200),  # no file: form error, nothing stored
    ("staff:import_upload", {}, "post", "pegawai", 403),
    ("staff:import_confirm", {}, "post", "anon", 302),
    ("staff:import_confirm", {}, "post", "kepegawaian", 302),  # no preview token → back to upload
    ("staff:import_confirm", {}, "post", "admin", 302),
    *[("staff:import_confirm", {}, "post", p, 403) for p in NOT_IMPORTERS],
    ("staff:import_confirm", {}, "get", "kepegawaian", 405),
]
