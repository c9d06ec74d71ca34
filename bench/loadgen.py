"""Closed-loop load: N client threads, each sending its next request when the previous one is answered,
for a bounded time and a bounded number of requests."""

from __future__ import annotations

import http.client
import random
import statistics
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from .client import Client
from .machine import CpuMeter
from .scenarios import Scenario

TAG_HEADER = "X-Bench-Scenario"


@dataclass
class Sample:
    seconds: float
    status: int  # 0: the connection failed
    queries: int | None
    error: bool


@dataclass
class ScenarioResult:
    name: str
    path: str
    description: str
    seconds: float
    threads: int
    samples: list[Sample] = field(default_factory=list)
    server_seconds: list[float] = field(default_factory=list)  # from the workers (bench.gunicorn_timing)
    rounds: int = 1
    cpu_foreign: int = 0  # jiffies used by other people's processes while measuring
    cpu_total: int = 0

    def merged(self, other: ScenarioResult) -> ScenarioResult:
        """This result and a later round of the same scenario as one."""
        return ScenarioResult(
            name=self.name,
            path=self.path,
            description=self.description,
            seconds=self.seconds + other.seconds,
            threads=self.threads,
            samples=self.samples + other.samples,
            server_seconds=self.server_seconds + other.server_seconds,
            rounds=self.rounds + other.rounds,
            cpu_foreign=self.cpu_foreign + other.cpu_foreign,
            cpu_total=self.cpu_total + other.cpu_total,
        )

    @property
    def noise(self) -> float | None:
        """Share of the machine's CPU capacity used by foreign processes during the measurement."""
        return self.cpu_foreign / self.cpu_total if self.cpu_total else None

    @property
    def requests(self) -> int:
        return len(self.samples)

    @property
    def errors(self) -> int:
        return sum(s.error for s in self.samples)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def latency_ms(self, q: float) -> float:
        values = sorted(s.seconds for s in self.samples if s.status)
        if not values:
            return float("nan")
        index = min(len(values) - 1, max(0, round(q * (len(values) - 1))))
        return values[index] * 1000

    def server_ms(self, q: float) -> float:
        """Server time (gunicorn worker: request parsed → response sent) at quantile ``q``, in ms."""
        values = sorted(self.server_seconds)
        if not values:
            return float("nan")
        index = min(len(values) - 1, max(0, round(q * (len(values) - 1))))
        return values[index] * 1000

    @property
    def queries(self) -> float | None:
        counts = [s.queries for s in self.samples if s.queries is not None]
        return statistics.median(counts) if counts else None

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "path": self.path,
            "description": self.description,
            "threads": self.threads,
            "rounds": self.rounds,
            "seconds": round(self.seconds, 3),
            "requests": self.requests,
            "rps": round(self.rps, 1),
            "p50_ms": round(self.latency_ms(0.50), 2),
            "p95_ms": round(self.latency_ms(0.95), 2),
            "p99_ms": round(self.latency_ms(0.99), 2),
            "max_ms": round(self.latency_ms(1.0), 2),
            "server_p50_ms": round(self.server_ms(0.50), 2),
            "server_p95_ms": round(self.server_ms(0.95), 2),
            "server_max_ms": round(self.server_ms(1.0), 2),
            "server_samples": len(self.server_seconds),
            "queries_median": self.queries,
            "queries_min": min((s.queries for s in self.samples if s.queries is not None), default=None),
            "queries_max": max((s.queries for s in self.samples if s.queries is not None), default=None),
            "errors": self.errors,
            "foreign_cpu_share": round(self.noise, 3) if self.noise is not None else None,
            "statuses": {str(k): v for k, v in sorted(Counter(s.status for s in self.samples).items())},
        }


def _is_error(scenario: Scenario, status: int, location: str) -> bool:
    if not 200 <= status < 400:
        return True
    # A signed-in page that bounces to the login form lost its session: that is a failure, not a 302.
    return scenario.needs_login and 300 <= status < 400 and location.startswith("/masuk/")


def _one(client: Client, scenario: Scenario, path: str, headers: dict[str, str]) -> Sample:
    try:
        response = client.request("GET", path, headers=headers)
    except (OSError, http.client.HTTPException):
        return Sample(seconds=0.0, status=0, queries=None, error=True)
    location = response.headers.get("location", "")
    return Sample(
        response.seconds,
        response.status,
        response.query_count,
        _is_error(scenario, response.status, location),
    )


def run_scenario(
    scenario: Scenario,
    clients: Sequence[Client],
    *,
    seconds: float,
    warmup: float,
    max_requests: int,
    context: dict[str, str],
    cursor_range: tuple[int, int],
    meter: CpuMeter | None = None,
    seed: int = 20261122,
) -> ScenarioResult:
    """Warm up for ``warmup`` seconds (not recorded), then measure for ``seconds`` with one thread per
    client; stops early after ``max_requests`` recorded requests."""
    lock = threading.Lock()
    samples: list[Sample] = []
    budget = [max_requests]

    def worker(index: int, client: Client, until: float, record: bool) -> None:
        rng = random.Random(seed + index)
        # Recorded requests are tagged, so the workers log their server time (bench.gunicorn_timing).
        headers = dict(scenario.headers) | ({TAG_HEADER: scenario.name} if record else {})
        while time.monotonic() < until:
            if record:
                with lock:
                    if budget[0] <= 0:
                        return
                    budget[0] -= 1
            sample = _one(client, scenario, scenario.url(context, rng, cursor_range), headers)
            if record:
                with lock:
                    samples.append(sample)

    def phase(duration: float, record: bool) -> float:
        started = time.monotonic()
        until = started + duration
        threads = [
            threading.Thread(target=worker, args=(i, c, until, record), daemon=True)
            for i, c in enumerate(clients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            # A request can outlive the deadline by at most the client timeout.
            thread.join(timeout=duration + 120)
        return time.monotonic() - started

    if warmup > 0:
        phase(warmup, record=False)
    before = meter.snapshot() if meter else None
    elapsed = phase(seconds, record=True)
    foreign, total = CpuMeter.foreign(before, meter.snapshot() if meter else None)
    return ScenarioResult(
        name=scenario.name,
        path=scenario.path.format(**context),
        description=scenario.description,
        seconds=elapsed,
        threads=len(clients),
        samples=samples,
        cpu_foreign=foreign,
        cpu_total=total,
    )
