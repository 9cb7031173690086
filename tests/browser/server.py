"""The demo served as a user meets it: a fresh instance folder, the migrations, `eventsys demo`,
gunicorn on a free port, a queue worker and a real SMTP server on localhost recording every mail."""

from __future__ import annotations

import email
import email.policy
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Mailbox:
    """Every message the SMTP server accepted, in arrival order."""

    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(message)  # type: ignore[arg-type]
        return "250 OK"

    def wait_for(self, to: str, subject_part: str = "", timeout: float = 30) -> EmailMessage:
        """The newest mail to `to` whose subject contains `subject_part`, waiting for the
        queue worker to deliver it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in reversed(self.messages):
                if to.lower() in str(message["To"]).lower() and subject_part in str(
                    message["Subject"]
                ):
                    return message
            time.sleep(0.2)
        seen = [(str(m["To"]), str(m["Subject"])) for m in self.messages]
        raise AssertionError(f"no mail to {to} about {subject_part!r} within {timeout} s: {seen}")

    @staticmethod
    def body(message: EmailMessage) -> str:
        part = message.get_body(preferencelist=("plain", "html"))
        assert part is not None, "the mail has no text body"
        return part.get_content()

    def links(self, message: EmailMessage) -> list[str]:
        return re.findall(r"https?://[^\s<>\"')]+", self.body(message))


@dataclass
class Served:
    url: str
    instance: Path
    mailbox: Mailbox
    env: dict[str, str]
    processes: list[subprocess.Popen] = field(default_factory=list)

    def cli(self, *args: str) -> str:
        """Runs `eventsys ARGS` against the served instance and returns what it printed."""
        done = subprocess.run(
            [sys.executable, "-c", "from eventsys.cli import main; main()", *args],
            env=self.env,
            cwd=self.instance,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert done.returncode == 0, f"eventsys {' '.join(args)} failed:\n{done.stderr}"
        return done.stdout

    def token(self, email: str) -> str:
        """A fresh API bearer token for that account."""
        return self.cli("tokens", "create", email).strip().splitlines()[-1]

    def leave_places(self, slug: str, free: int) -> None:
        """Sets the event's capacity so that `free` places are left after everyone registered
        or waiting (through the API, as an organiser would), so a journey can run twice."""
        with sqlite3.connect(self.instance / "eventsys.db") as connection:
            taken = connection.execute(
                "SELECT count(*) FROM registrations r JOIN events e ON e.id = r.event_id "
                "WHERE e.slug = ? AND r.status IN ('confirmed', 'waitlisted', 'pending')",
                (slug,),
            ).fetchone()[0]
        request = urllib.request.Request(
            f"{self.url}/api/v1/events/{slug}",
            data=json.dumps({"capacity": taken + free}).encode(),
            method="PATCH",
            headers={
                "Authorization": f"Bearer {self.token('admin@example.org')}",
                "Content-Type": "application/json",
            },
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            assert answer.status == 200, answer.read()


def _environment(instance: Path, port: int, smtp_port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EVENTSYS_")}
    env.update(
        PYTHONPATH=str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
        EVENTSYS_INSTANCE_PATH=str(instance),
        EVENTSYS_SECRET_KEY="browser-tests",
        EVENTSYS_BASE_URL=f"http://127.0.0.1:{port}",
        EVENTSYS_SMTP_HOST="127.0.0.1",
        EVENTSYS_SMTP_PORT=str(smtp_port),
        # The journeys log in many people from one address within a minute.
        EVENTSYS_RATELIMIT_ENABLED="false",
    )
    return env


def _wait_until_up(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped at start with code {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the server did not answer at {url} within {timeout} s")


def start(instance: Path) -> Served:
    instance.mkdir(parents=True, exist_ok=True)
    mailbox = Mailbox()
    smtp_port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    port = free_port()
    served = Served(
        f"http://127.0.0.1:{port}", instance, mailbox, _environment(instance, port, smtp_port)
    )
    served._smtp = controller  # type: ignore[attr-defined]
    served.cli("db", "upgrade")
    served.cli("demo")
    log = open(instance / "server.log", "ab")  # noqa: SIM115 (closed once the processes have it)
    gunicorn = [sys.executable, "-m", "gunicorn", "--workers", "2", "--threads", "4"]
    served.processes.append(
        subprocess.Popen(
            [*gunicorn, "--bind", f"127.0.0.1:{port}", "eventsys:create_app()"],
            env=served.env,
            cwd=instance,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
    )
    served.processes.append(
        subprocess.Popen(
            [sys.executable, "-c", "from eventsys.cli import main; main()", "worker"],
            env=served.env,
            cwd=instance,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
    )
    log.close()  # the children keep their own copies of the descriptor
    _wait_until_up(served.url, served.processes[0])
    return served


def stop(served: Served) -> None:
    for process in served.processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in served.processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    served._smtp.stop()  # type: ignore[attr-defined]
