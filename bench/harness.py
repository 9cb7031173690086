"""What the HTTP benchmarks share: a free port, gunicorn started and stopped as a process group."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ensure_port_free(port: int) -> None:
    """Refuse to measure whatever else answers on the port."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn; TIME_WAIT ok
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as exc:
            raise SystemExit(f"port {port} is in use; choose another with --port") from exc


def start_gunicorn(target: str, port: int, workers: int, env: dict[str, str]) -> subprocess.Popen:
    """gunicorn serving `target` (module:factory()), once /healthz answers 200."""
    ensure_port_free(port)
    command = [
        sys.executable, "-m", "gunicorn", "--workers", str(workers),
        "--bind", f"127.0.0.1:{port}", "--backlog", "2048", "--log-level", "warning",
        "--chdir", str(ROOT), target,
    ]  # fmt: skip
    process = subprocess.Popen(command, env={**os.environ, **env}, start_new_session=True)
    # Starting takes longer on a busy machine; the wait is no part of what is measured.
    deadline = time.monotonic() + float(os.environ.get("BENCH_START_SECONDS", "60"))
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.2)
        if process.poll() is not None:
            raise SystemExit(f"gunicorn for {target} exited with {process.returncode}")
    stop(process)
    raise SystemExit(f"gunicorn for {target} did not answer on port {port}")


def stop(process: subprocess.Popen) -> None:
    """The master and its workers: our own process group only."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def run_clients(client: Callable[[], None], clients: int, barrier: threading.Barrier) -> float:
    """Runs `clients` threads of `client`, which wait on `barrier` (clients + 1 parties) before
    their first request; returns the seconds from that common start until the last is done."""
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


@contextmanager
def temporary_database(prefix: str) -> Iterator[str]:
    """A PostgreSQL database of its own on the local server (trust auth), dropped afterwards."""
    import psycopg

    name = f"{prefix}_{os.getpid()}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
