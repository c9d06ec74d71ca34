"""Permission-matrix rows of the travel recaps (travel/views_reports.py and their exports).

The recaps are the SPT register's audience: holders of ``travel.view_trip`` (admin, pimpinan,
perjalanan, bendahara, ppk) see everything, unit heads (atasan, ppk) their units; everyone else gets
403 on the pages and 404 on the downloads (the download view hides exports a user may not run).
"""

from __future__ import annotations

ANON = "anon"
ALL = (
    "admin", "pimpinan", "atasan", "kepegawaian", "perjalanan", "bendahara", "ppk",
    "pengurus", "peminjaman", "humas", "pegawai", "honorer", "luar",
)  # fmt: skip
VIEWERS = ("admin", "pimpinan", "atasan", "perjalanan", "bendahara", "ppk")
OTHERS = tuple(p for p in ALL if p not in VIEWERS)
PAGES = ("travel:recap_employees", "travel:recap_budget")
EXPORTS = ("travel-recap-employee", "travel-recap-budget")
FORMATS = ("xlsx", "pdf")

ROWS: list[tuple[str, dict, str, str, int]] = [
    *[(name, {}, "get", ANON, 302) for name in PAGES],
    *[(name, {}, "get", p, 200) for name in PAGES for p in VIEWERS],
    *[(name, {}, "get", p, 403) for name in PAGES for p in OTHERS],
    *[(name, {}, "post", "pimpinan", 405) for name in PAGES],
    *[("export_download", {"identifier": e, "fmt": "xlsx"}, "get", ANON, 302) for e in EXPORTS],
    *[
        ("export_download", {"identifier": e, "fmt": f}, "get", p, 200)
        for e in EXPORTS
        for f in FORMATS
        for p in ("perjalanan", "atasan")
    ],
    *[("export_download", {"identifier": e, "fmt": "xlsx"}, "get", p, 200) for e in EXPORTS for p in VIEWERS],
    *[("export_download", {"identifier": e, "fmt": "xlsx"}, "get", p, 404) for e in EXPORTS for p in OTHERS],
    *[("export_download", {"identifier": e, "fmt": "csv"}, "get", "admin", 404) for e in EXPORTS],
]


def make_objects(personas) -> dict:
    return {}
