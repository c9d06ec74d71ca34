"""Where does a page spend its time? ``python -m bench.pageprofile /audit/ [--user admin] [-n 30]``.

Renders the page in-process with Django's test client on the bench database (run ``python -m bench`` once
first), with the same production-like settings as the HTTP bench, and prints the mean time per request,
the queries of one request and the top functions of a cProfile run.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import secrets
import time
from pathlib import Path

from .dataset import DEFAULT_DATABASE_URL, check_bench_url

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.pageprofile", description=__doc__)
    parser.add_argument("path", help="e.g. /audit/?action=travel.")
    parser.add_argument("--user", default="admin", help="signed-in user (empty: anonymous)")
    parser.add_argument("-n", type=int, default=30, help="profiled requests")
    parser.add_argument("--top", type=int, default=30, help="functions to print")
    parser.add_argument("--sort", default="cumulative", choices=["cumulative", "tottime"])
    parser.add_argument("--htmx", action="store_true", help="send HX-Request (partial templates)")
    args = parser.parse_args(argv)

    url = os.environ.setdefault("DATABASE_URL", os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    check_bench_url(url)
    for key, value in {
        "DJANGO_SETTINGS_MODULE": "situok.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_hex(32),
        "ALLOWED_HOSTS": "testserver",
        "SITUOK_BENCH": "1",
        "STATIC_ROOT": str(RESULTS_DIR / "staticfiles"),  # collected by python -m bench
    }.items():
        os.environ.setdefault(key, value)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_X_FORWARDED_PROTO="https")
    if args.user:
        client.force_login(get_user_model().objects.get(username=args.user))
    headers = {"HX-Request": "true"} if args.htmx else {}
    for _ in range(5):  # warm caches: templates, content types, translations
        client.get(args.path, headers=headers)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(args.path, headers=headers)
    print(f"HTTP {response.status_code}, {len(response.content):,} bytes, {len(queries)} queries:")
    for query in queries.captured_queries:
        print(f"  {float(query['time']) * 1000:6.1f} ms  {query['sql'][:150]}")
    started = time.perf_counter()
    for _ in range(args.n):
        client.get(args.path, headers=headers)
    print(
        f"mean {(time.perf_counter() - started) / args.n * 1000:.1f} ms per request (test client, no profiler)"
    )
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.n):
        client.get(args.path, headers=headers)
    profiler.disable()
    pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
