"""Booking requests under load: conflict check + create through the real service, on PostgreSQL.

``python -m bench.bookingsbench --seconds 8 --procs 2 --threads 4 --resources 61,62,…`` (run by
``python -m bench`` with the bench database in ``DATABASE_URL``). Each worker process starts Django and
runs ``threads`` threads in a closed loop, each calling ``bookings.services.booking_request`` for a random
bench room or vehicle and a random one-hour slot in the next 30 days. The bench resources are booked two
hours out of every three (``bench.bookings_dataset``), so most requests hit an approved booking and are
refused with a ``BookingError`` naming it, the rest are created and submitted for approval: both are
"requests handled" (a refusal is the service working), anything else is an error. The per-resource row
lock and the overlap query run on every request; the exclusion constraint backs them up.

The created bookings (and their approval requests) are deleted at the end, so the dataset stays as loaded.
Prints one JSON line: requests, created, refused, errors, seconds, requests/s.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import threading
import time


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "situok.settings")
    import django

    django.setup()


def _worker(seed: int, seconds: float, threads: int, resources: list[int], out) -> None:
    _setup()
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from bookings.models import Resource
    from bookings.services import BookingError, booking_request
    from staff.models import Employee

    # Requests are made by people for themselves: the demo logins that have an employee record.
    people = list(
        get_user_model()
        .objects.filter(employee__status=Employee.Status.AKTIF)
        .select_related("employee__unit")
    )
    resource_objects = {r.pk: r for r in Resource.objects.filter(pk__in=resources)}
    counts = {"requests": 0, "created": 0, "refused": 0, "errors": 0}
    created_ids: list[int] = []
    lock = threading.Lock()
    base = timezone.localtime().replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
    deadline = time.perf_counter() + seconds
    error_samples: list[str] = []

    def loop(thread_seed: int) -> None:
        rng = random.Random(thread_seed)
        try:
            while time.perf_counter() < deadline:
                resource = resource_objects[rng.choice(resources)]
                start = base + dt.timedelta(hours=rng.randrange(24 * 30))
                outcome = "created"
                user = rng.choice(people)
                try:
                    booking = booking_request(
                        resource=resource,
                        requester=user.employee,
                        start=start,
                        end=start + dt.timedelta(hours=1),
                        purpose="Bench: rapat koordinasi",
                        participants=5,
                        by=user,
                    )
                except BookingError:
                    outcome = "refused"
                    booking = None
                except Exception as exc:  # counted and reported, never hidden
                    outcome = "errors"
                    booking = None
                    if len(error_samples) < 3:
                        error_samples.append(repr(exc)[:300])
                with lock:
                    counts["requests"] += 1
                    counts[outcome] += 1
                    if booking is not None:
                        created_ids.append(booking.pk)
        finally:
            connection.close()

    started = time.perf_counter()
    workers = [threading.Thread(target=loop, args=(seed * 100 + i,)) for i in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    elapsed = time.perf_counter() - started
    out.put({**counts, "seconds": elapsed, "created_ids": created_ids, "error_samples": error_samples})


def _cleanup(created_ids: list[int]) -> None:
    from django.contrib.contenttypes.models import ContentType

    from bookings.models import Booking
    from situok.approval_models import ApprovalRequest

    if not created_ids:
        return
    ct = ContentType.objects.get_for_model(Booking)
    ApprovalRequest.objects.filter(content_type=ct, object_id__in=[str(i) for i in created_ids]).delete()
    Booking.objects.filter(pk__in=created_ids).delete()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bookingsbench")
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--resources", required=True, help="comma-separated bench resource ids")
    args = parser.parse_args()
    resources = [int(x) for x in args.resources.split(",")]
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    procs = [
        ctx.Process(target=_worker, args=(i + 1, args.seconds, args.threads, resources, out))
        for i in range(args.procs)
    ]
    for p in procs:
        p.start()
    results = [out.get(timeout=args.seconds + 300) for _ in procs]
    for p in procs:
        p.join()
    total = {k: sum(r[k] for r in results) for k in ("requests", "created", "refused", "errors")}
    seconds = max(r["seconds"] for r in results)
    _setup()
    _cleanup([i for r in results for i in r["created_ids"]])
    print(
        json.dumps(
            {
                **total,
                "seconds": round(seconds, 2),
                "rps": round(total["requests"] / seconds, 1),
                "procs": args.procs,
                "threads": args.threads,
                "error_samples": [s for r in results for s in r["error_samples"]][:3],
            }
        )
    )


if __name__ == "__main__":
    main()
