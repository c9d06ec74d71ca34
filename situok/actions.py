"""One way for a POST-only action view to report a service call: the success message, or the domain
error's own (Indonesian) message — the caller then redirects back to the page the button was on."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest


def flash_outcome(
    request: HttpRequest, action: Callable[[], object], *, success: str, errors: tuple[type[Exception], ...]
) -> bool:
    """Run ``action()``; flash ``success``, or the ``message`` of one of ``errors``. True on success."""
    try:
        action()
    except errors as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True
