"""Request-wide policies that are not a view's business."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db import connection
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _

SESSION_STARTED_KEY = "situok_session_started"
SESSION_SEEN_KEY = "situok_session_seen"
# htmx elements that poll in the background: their requests must not count as user activity, or an
# open tab would never reach the idle timeout.
BACKGROUND_POLLERS = {"notification-bell", "job-progress"}


class SessionLifetimeMiddleware:
    """Sliding idle timeout (``SESSION_COOKIE_AGE``, 30 min) renewed at most every
    ``SESSION_RENEW_SECONDS``, and an absolute session lifetime (12 h) however active the user is."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(SESSION_STARTED_KEY)
            now = time.time()
            if started is None:
                request.session[SESSION_STARTED_KEY] = now
            elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(request, _("Sesi Anda telah berakhir. Silakan masuk kembali."))
                return redirect(settings.LOGIN_URL)
            polling = request.headers.get("HX-Trigger") in BACKGROUND_POLLERS
            if (
                not polling
                and now - request.session.get(SESSION_SEEN_KEY, 0) > settings.SESSION_RENEW_SECONDS
            ):
                request.session[SESSION_SEEN_KEY] = now  # saving pushes the expiry 30 min ahead
        return self.get_response(request)


class QueryCountHeaderMiddleware:
    """Benchmark mode only: reports the number of SQL queries of a request in ``X-Query-Count``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Query-Count"] = str(count)
        return response


class LanguageMiddleware:
    """Indonesian unless the user chose another language with the switch (cookie).

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: many office PCs run
    an English browser, and the bureau's working language is Indonesian.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        with translation.override(language):  # restored afterwards: no language leaks to other work
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
