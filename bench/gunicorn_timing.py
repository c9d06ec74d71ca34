"""Server-side time of each measured request, written by the gunicorn workers.

``bench.server.Gunicorn`` starts gunicorn with ``--logger-class bench.gunicorn_timing.TimingLogger`` and
``BENCH_TIMING_LOG=<file>``. gunicorn calls ``access()`` after the response has been written, with the time
from the parsed request to the last byte sent (no time waiting in the listen queue, which the client-side
latency includes when more clients than workers are busy). Only requests carrying ``X-Bench-Scenario`` (the
recorded phase of a scenario, see ``bench.loadgen``) are written, one line each: scenario, status and
microseconds, with one ``write()`` on an ``O_APPEND`` descriptor (no logging machinery on the hot path).
"""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path

from gunicorn.glogging import Logger

ENV = "BENCH_TIMING_LOG"
HEADER = "X-BENCH-SCENARIO"  # gunicorn keeps request header names upper-cased


class TimingLogger(Logger):
    """gunicorn's logger plus the timing lines; the normal access log stays off."""

    _fd: int | None = None
    _pid: int | None = None

    def access(self, resp, req, environ, request_time) -> None:
        super().access(resp, req, environ, request_time)
        scenario = next((value for name, value in req.headers if name == HEADER), None)
        path = os.environ.get(ENV)
        if scenario is None or not path:
            return
        if self._fd is None or self._pid != os.getpid():  # opened once per worker, after the fork
            self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            self._pid = os.getpid()
        micros = request_time.seconds * 1_000_000 + request_time.microseconds
        status = getattr(resp, "status_code", None) or "-"
        os.write(self._fd, f"{scenario}\t{status}\t{micros}\n".encode())


def read_timings(path: Path) -> dict[str, list[float]]:
    """Seconds of server time per scenario name, from the file the workers wrote."""
    found: dict[str, list[float]] = defaultdict(list)
    if not path.exists():
        return found
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 3 and parts[2].isdigit():
            found[parts[0]].append(int(parts[2]) / 1e6)
    return found
