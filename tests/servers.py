"""Private servers for fault tests: a PostgreSQL cluster, Redis, SMTP and queue workers of the
test's own, on free ports, so they can be restarted or killed without touching shared services."""

from __future__ import annotations

import asyncio
import contextlib
import email
import email.policy
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition: Callable[[], Any], timeout: float, step: float = 0.2) -> Any:
    """Poll until condition() is truthy; returns its value, or the last falsy one on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(step)


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(found[-1]).parent if found else None


class PrivatePostgres:
    """A throw-away cluster (initdb + pg_ctl) in a temporary folder, trust auth, on a free port."""

    def __init__(self) -> None:
        bin_dir = postgres_bin()
        if bin_dir is None:
            raise RuntimeError("PostgreSQL server binaries not found under /usr/lib/postgresql")
        # Its own folder (not pytest's, which only root may enter): PostgreSQL refuses to run
        # as root, so as root the server runs as the postgres user.
        folder = Path(tempfile.mkdtemp(prefix="eventsys-pg-"))
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(folder, "postgres")
        self.folder, self.bin, self.port = folder, bin_dir, free_port()
        self.data, self.log = folder / "data", folder / "postgres.log"
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync")

    def _run(self, program: str, *args: str) -> None:
        subprocess.run(
            [*self.as_user, str(self.bin / program), *args], check=True, capture_output=True
        )

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _ctl(self, *args: str) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", *args)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._ctl("-o", options, "start")

    def stop(self) -> None:
        self._ctl("-m", "fast", "stop")

    def restart(self) -> None:
        self.stop()
        self.start()

    def remove(self) -> None:
        """Stop the server if it runs, and delete its folder."""
        with contextlib.suppress(subprocess.CalledProcessError):
            self._ctl("-m", "immediate", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


class RecordingSmtp:
    """A real SMTP server that records every message it accepts; it can refuse for a while
    and be slow (the message is recorded before the answer, like a server that delivered it
    just before the client vanished)."""

    def __init__(self, delay: float = 0.0) -> None:
        from aiosmtpd.controller import Controller

        self.received: list[email.message.EmailMessage] = []
        self.delay, self.refusing = delay, False
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        if self.refusing:
            return "451 Try again later"
        self.received.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 OK"

    def __enter__(self) -> RecordingSmtp:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()


def worker_env(folder: Path, database_url: str, **settings: Any) -> dict[str, str]:
    """The environment of an `eventsys worker` using this database and a SQLite queue file."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("EVENTSYS_")}
    env.update(
        PYTHONPATH=str(ROOT),
        EVENTSYS_INSTANCE_PATH=str(folder),
        EVENTSYS_SECRET_KEY="worker-test-key",
        EVENTSYS_DATABASE_URL=database_url,
        EVENTSYS_QUEUE_SQLITE_PATH=str(folder / "queue.db"),
    )
    env.update({f"EVENTSYS_{key}": str(value) for key, value in settings.items()})
    return env


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("ab") as output:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            [sys.executable, "-m", "eventsys.cli", "worker", "--workers", "2"],
            env=env,
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def stop_process(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
