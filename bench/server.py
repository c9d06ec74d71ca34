"""gunicorn under the harness's control: started on a free local port, always stopped within seconds."""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from .client import HOST, PROXY_HEADERS
from .gunicorn_timing import ENV

BASE_DIR = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass
class Gunicorn:
    """``with Gunicorn(env, ...) as server:`` serves ``situok.wsgi`` on ``127.0.0.1:server.port``."""

    env: Mapping[str, str]
    log_path: Path
    workers: int = 2
    threads: int = 1
    startup_timeout: float = 45.0
    stop_timeout: float = 10.0
    timing_log: Path | None = None  # server time per measured request (bench.gunicorn_timing)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def command(self) -> list[str]:
        worker_class = "gthread" if self.threads > 1 else "sync"
        return [
            sys.executable, "-m", "gunicorn", "situok.wsgi:application",
            "--bind", f"{HOST}:{self.port}",
            "--workers", str(self.workers),
            "--worker-class", worker_class,
            "--threads", str(self.threads),
            "--timeout", "120",
            "--graceful-timeout", "5",
            "--log-level", "warning",
            "--error-logfile", str(self.log_path),
        ] + (["--logger-class", "bench.gunicorn_timing.TimingLogger"] if self.timing_log else [])  # fmt: skip

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        env = dict(self.env)
        if self.timing_log:
            self.timing_log.write_bytes(b"")  # this run's requests only
            env[ENV] = str(self.timing_log)
        # A session of its own, so stopping it can reach the workers too (by this process group's id).
        self.process = subprocess.Popen(
            self.command,
            cwd=BASE_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see {self.log_path}")
            if self._healthy():
                return
            time.sleep(0.25)
        raise RuntimeError(f"gunicorn did not answer /healthz/ within {self.startup_timeout:.0f} s")

    def _healthy(self) -> bool:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=5)
        try:
            conn.request("GET", "/healthz/", headers=dict(PROXY_HEADERS))
            response = conn.getresponse()
            response.read()
            return response.status == 200
        except OSError:
            return False
        finally:
            conn.close()

    def stop(self) -> None:
        """SIGTERM (graceful), then SIGKILL to the process group after ``stop_timeout`` seconds."""
        proc = self.process
        if proc is None or proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=self.stop_timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)

    def __enter__(self) -> Gunicorn:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
