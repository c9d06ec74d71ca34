"""How busy the machine is with work that is not ours (Linux ``/proc``).

Other people's test runs on the same two cores make every number slower. The harness cannot prevent
that, but it measures it: during each measurement it compares the machine's busy CPU time with the CPU
time of the processes under test (the harness itself, gunicorn and the PostgreSQL backends serving the
bench database). The rest is "foreign" load, reported per scenario so a noisy run is recognisable.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class CpuSnapshot:
    busy: int  # jiffies, all CPUs
    total: int
    ours: dict[int, int]  # pid → utime + stime of each process under test


def _system_jiffies() -> tuple[int, int]:
    with open("/proc/stat", encoding="ascii") as stat:
        fields = [int(v) for v in stat.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    total = sum(fields[:8])  # guest time is already included in user/nice
    return total - idle, total


def _process_jiffies(pid: int) -> tuple[int, int] | None:
    """(process group, utime + stime) of ``pid``; ``None`` if it is gone or unreadable."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as stat:
            raw = stat.read()
    except OSError:
        return None
    fields = raw[raw.rfind(")") + 2 :].split()
    # After the command: state(0) ppid(1) pgrp(2) ... utime(11) stime(12)
    return int(fields[2]), int(fields[11]) + int(fields[12])


# PostgreSQL's shared helpers mostly work for us while we measure (WAL of the session writes, buffers).
_POSTGRES_HELPERS = ("checkpointer", "background writer", "walwriter", "autovacuum launcher")


def _is_backend_of(pid: int, database: str) -> bool:
    """A PostgreSQL backend serving ``database`` (or one of the server's shared helper processes)."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            text = cmdline.read().decode("utf-8", "replace").replace("\0", " ").strip()
    except OSError:
        return False
    if not text.startswith("postgres:"):
        return False
    title = text.split(":", 2)[-1].strip()  # "postgres: 15/main: <title>"
    return f" {database} " in f" {title} " or title in _POSTGRES_HELPERS


class CpuMeter:
    """Snapshots of system-wide and own CPU time; ``foreign_share`` between two snapshots."""

    def __init__(self, database: str) -> None:
        self.database = database
        self.pid = os.getpid()  # the harness and its client threads
        self.process_groups: set[int] = set()
        self.available = os.path.exists("/proc/stat")

    def watch_process_group(self, pgid: int) -> None:
        self.process_groups.add(pgid)

    def snapshot(self) -> CpuSnapshot | None:
        if not self.available:
            return None
        busy, total = _system_jiffies()
        ours: dict[int, int] = {}
        with contextlib.suppress(OSError):
            for entry in os.scandir("/proc"):
                if not entry.name.isdigit():
                    continue
                pid = int(entry.name)
                info = _process_jiffies(pid)
                if info is None:
                    continue
                pgrp, jiffies = info
                if pid == self.pid or pgrp in self.process_groups or _is_backend_of(pid, self.database):
                    ours[pid] = jiffies
        return CpuSnapshot(busy, total, ours)

    @staticmethod
    def foreign(before: CpuSnapshot | None, after: CpuSnapshot | None) -> tuple[int, int]:
        """(foreign busy jiffies, total jiffies) between two snapshots; (0, 0) if unknown.

        Our CPU time is summed per process, so a process that ends in between (PostgreSQL backends are
        recycled after ``CONN_MAX_AGE``) does not make "ours" shrink; its last moments count as foreign.
        """
        if before is None or after is None or after.total <= before.total:
            return 0, 0
        ours = sum(jiffies - before.ours.get(pid, 0) for pid, jiffies in after.ours.items())
        foreign = (after.busy - before.busy) - max(0, ours)
        return max(0, foreign), after.total - before.total


def load_average() -> tuple[float, float, float] | None:
    try:
        return os.getloadavg()
    except OSError:
        return None
