"""Public verification page behind the QR code of official PDFs: ``/verifikasi/<token>/``.

No login: anyone holding a printout may check it. The page shows only what the paper shows (type,
number, date, signer, names — never a NIK), the status and the SHA-256 of the PDF we issued. Unknown
tokens get the plain 404 page; every client IP is rate-limited (429 beyond the limit).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from .audit import client_ip
from .permissions import public
from .verification import rate_window, seal_by_token, verification_throttled

TEMPLATE = "situok/verification.html"


def _private(response: HttpResponse) -> HttpResponse:
    # The token is in the URL: keep it out of caches, search engines and Referer headers.
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@public
@require_GET
def verification(request: HttpRequest, token: str) -> HttpResponse:
    if verification_throttled(client_ip(request) or "unknown"):
        response = render(request, TEMPLATE, {"throttled": True}, status=429)
        response["Retry-After"] = str(rate_window())
        return _private(response)
    seal = seal_by_token(token)
    if seal is None:
        raise Http404
    return _private(render(request, TEMPLATE, {"seal": seal}))


urlpatterns = [
    path("verifikasi/<str:token>/", verification, name="verification"),
]
