"""``EXPLAIN (ANALYZE, BUFFERS)`` of the list query behind each audit scenario.

Run by ``python -m bench --explain`` (in a child process with the bench environment); standalone:
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/situok_bench python -m bench.explain NAME=PATH ...``.
The query is built exactly as ``situok.views.audit_list`` builds it (the filter set, then the keyset page:
``id < cursor``, newest first, ``LIMIT 51``).
"""

from __future__ import annotations

import os
import sys
from urllib.parse import urlsplit


def explain(path: str) -> str:
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
