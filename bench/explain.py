"""``EXPLAIN (ANALYZE, BUFFERS)`` of the list queries behind the audit and staff scenarios.

Run by ``python -m bench --explain`` (in a child process with the bench environment); standalone:
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/situok_bench python -m bench.explain NAME=PATH ...``.

- ``/audit/…``: the query is built exactly as ``situok.views.audit_list`` builds it (the filter set, then
  the keyset page: ``id < cursor``, newest first, ``LIMIT 51``);
- ``/pegawai/…``: as ``staff.views.employee_list`` builds it for the administrator (``EmployeeFilter``
  over ``employee_list_for_user``, ``Paginator(per_page).get_page(page)``); the page's ``COUNT`` and its
  ``LIMIT/OFFSET`` query are captured as executed and explained as they are.
"""

from __future__ import annotations

import os
import sys
from urllib.parse import urlsplit


def explain_audit(path: str) -> str:
    from django.http import QueryDict

    from situok.audit import AuditEvent
    from situok.filters import AuditEventFilter

    query = QueryDict(urlsplit(path).query)
    qs = AuditEventFilter(query, queryset=AuditEvent.objects.all()).qs
    cursor = query.get("cursor")
    if cursor:
        qs = qs.filter(id__lt=int(cursor))
    page = qs.order_by("-id")[:51]
    return f"-- {page.query}\n{page.explain(analyze=True, buffers=True)}"


def explain_staff(path: str, username: str = "admin") -> str:
    from django.contrib.auth import get_user_model
    from django.core.paginator import Paginator
    from django.db import connection
    from django.http import QueryDict
    from django.test.utils import CaptureQueriesContext

    from staff.filters import EmployeeFilter
    from staff.selectors import employee_list_for_user
    from staff.views import PAGE_SIZES

    query = QueryDict(urlsplit(path).query)
    user = get_user_model().objects.get(username=username)
    filterset = EmployeeFilter(query, queryset=employee_list_for_user(user))
    try:
        per_page = int(query.get("per_page", PAGE_SIZES[0]))
    except ValueError:
        per_page = PAGE_SIZES[0]
    per_page = per_page if per_page in PAGE_SIZES else PAGE_SIZES[0]
    with CaptureQueriesContext(connection) as captured:
        page = Paginator(filterset.qs, per_page).get_page(query.get("page"))
        list(page.object_list)
    parts = []
    for executed in captured.captured_queries:
        sql = executed["sql"]
        if '"staff_employee"' not in sql:
            continue  # the unit filter's lookup, permissions
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
        parts.append(f"-- {sql}\n{plan}")
    return "\n\n".join(parts)


def explain(path: str) -> str:
    return explain_staff(path) if urlsplit(path).path.startswith("/pegawai/") else explain_audit(path)


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "situok.settings")
    import django

    django.setup()
    for item in argv:
        name, _, path = item.partition("=")
        print(f"=== {name}: {path}")
        print(explain(path))
        print()


if __name__ == "__main__":
    main(sys.argv[1:])
