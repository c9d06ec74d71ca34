"""Reference views for the benchmark, mounted only when ``SITUOK_BENCH=1`` (see ``situok/urls.py``).

They are the yardsticks the real pages are compared with:

- ``bare``: the ceiling — Django's middleware stack and a tiny response, no database;
- ``reference_list``: the cheapest honest list page over the audit table — one keyset-paginated
  ``values_list`` query for 50 rows (no ``COUNT``), rendered as a plain HTML string.

Both are anonymous on purpose: they measure the framework and the query, not sessions or permissions.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.html import escape
from django.views.decorators.http import require_GET

from situok.audit import AuditEvent
from situok.permissions import public

PER_PAGE = 50


@public
@require_GET
def bare(request: HttpRequest) -> HttpResponse:
    """A tiny constant response: the request-handling ceiling of this deployment."""
    return HttpResponse(b"ok\n", content_type="text/plain; charset=utf-8")


@public
@require_GET
def reference_list(request: HttpRequest) -> HttpResponse:
    """50 audit events, newest first, after ``?cursor=<id>`` (exclusive); one query, no count."""
    try:
        cursor = int(request.GET.get("cursor", ""))
    except ValueError:
        cursor = None
    qs = AuditEvent.objects.order_by("-id")
    if cursor is not None:
        qs = qs.filter(id__lt=cursor)
    rows = list(qs.values_list("id", "created_at", "actor_label", "action", "target_label")[: PER_PAGE + 1])
    next_cursor = rows[PER_PAGE - 1][0] if len(rows) > PER_PAGE else None
    parts = ["<!doctype html><title>Referensi</title><table>"]
    for pk, created_at, actor, action, target in rows[:PER_PAGE]:
        parts.append(
            f"<tr><td>{timezone.localtime(created_at):%d/%m/%Y %H.%M}</td><td>{escape(actor)}</td>"
            f"<td><code>{escape(action)}</code></td><td>{escape(target)}</td><td>{pk}</td></tr>"
        )
    parts.append("</table>")
    if next_cursor is not None:
        parts.append(f'<a href="?cursor={next_cursor}">Berikutnya</a>')
    return HttpResponse("".join(parts))
