"""Soak under faults: the production shape on this machine, a mix of writes, faults on a schedule,
then checks from the database and the SMTP server's record.

    python bench/soak.py [--seconds 300] [--clients 16] [--people 6000] [--capacity 400]

Starts a PostgreSQL cluster of its own (initdb, free port, removed after), a Redis of its own
(database 6), two gunicorn masters (two app hosts; clients alternate between them), two queue
workers and an SMTP server that records every message. Clients register (API, each person with
their own token), cancel (promoting the waiting list) and read the event page. Faults, at fixed
fractions of the run: kill -9 a web worker; kill -9 a queue worker and restart it; restart
PostgreSQL; restart Redis; the SMTP server refusing mail for 30 s (10% of shorter runs).

First version: registrations and cancellations; votes, check-ins and workshop sign-ups are not
yet in the mix. Last line (one line):

    acknowledged: N; lost: L; doubled: D; over capacity: C;
    mails lost: M; mails doubled: K; recovery s: R
"""

from __future__ import annotations

import argparse
import collections
import http.client
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import free_port, start_gunicorn, stop  # noqa: E402
from bench.registration_load import seed  # noqa: E402
from tests.servers import PrivatePostgres, RecordingSmtp, wait_until  # noqa: E402

REDIS_DB = 6


@dataclass
class Record:
    """What the clients were told: only answered successes count as acknowledged."""

    registered: dict[int, int] = field(default_factory=dict)  # person -> registration id
    cancelled: set[int] = field(default_factory=set)  # registration ids
    samples: list[tuple[float, float, bool]] = field(default_factory=list)  # (t, s, ok)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Redis:
    def __init__(self, folder: Path) -> None:
        self.port, self.folder, self.process = free_port(), folder, None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_until(lambda: _tcp_open(self.port), 10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


def _tcp_open(port: int) -> bool:
    import socket

    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def request(port: int, method: str, path: str, body: dict | None = None, token: str = ""):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, json.dumps(body) if body is not None else None, headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def client(ports, slug, tokens, record: Record, free: collections.deque, until: float) -> None:
    rng = random.Random()
    while time.monotonic() < until:
        port = rng.choice(ports)
        roll = rng.random()
        started = time.monotonic()
        ok = False
        try:
            if roll < 0.65:
                with record.lock:
                    person = free.popleft() if free else None
                if person is None:
                    continue
                status, body = request(
                    port, "POST", f"/api/v1/events/{slug}/registrations",
                    {"category": "delegate", "display_name": f"Soak {person}"}, tokens[person],
                )  # fmt: skip
                ok = status == 201
                if ok:
                    with record.lock:
                        record.registered[person] = json.loads(body)["id"]
            elif roll < 0.80:
                with record.lock:
                    candidates = [
                        (p, r) for p, r in record.registered.items() if r not in record.cancelled
                    ]
                if not candidates:
                    continue
                person, registration_id = rng.choice(candidates[-200:])
                status, _ = request(
                    port, "POST", f"/api/v1/registrations/{registration_id}/cancel", {},
                    tokens[person],
                )  # fmt: skip
                ok = status == 200
                if ok:
                    with record.lock:
                        record.cancelled.add(registration_id)
            else:
                status, _ = request(port, "GET", f"/events/{slug}/")
                ok = status == 200
        except OSError:
            ok = False
        with record.lock:
            record.samples.append((started, time.monotonic() - started, ok))


def gunicorn_workers(master: subprocess.Popen) -> list[int]:
    path = Path(f"/proc/{master.pid}/task/{master.pid}/children")
    return [int(pid) for pid in path.read_text().split()] if path.exists() else []


def ready(ports) -> bool:
    try:
        return all(request(port, "GET", "/readyz")[0] == 200 for port in ports)
    except OSError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--people", type=int, default=6000)
    parser.add_argument("--capacity", type=int, default=400)
    parser.add_argument("--web-workers", type=int, default=3)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="eventsys-soak-"))
    postgres, redis, smtp = PrivatePostgres(), Redis(folder), RecordingSmtp()
    started: list[subprocess.Popen] = []
    try:
        postgres.start()
        redis.start()
        smtp.__enter__()
        database_url = postgres.url
        slug, tokens = seed(database_url, args.people, args.capacity, str(folder))
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("EVENTSYS_")},
            "PYTHONPATH": str(ROOT),
            "EVENTSYS_INSTANCE_PATH": str(folder),
            "EVENTSYS_SECRET_KEY": "soak",
            "EVENTSYS_DATABASE_URL": database_url,
            "EVENTSYS_REDIS_URL": f"redis://127.0.0.1:{redis.port}/{REDIS_DB}",
            "EVENTSYS_SMTP_HOST": "127.0.0.1",
            "EVENTSYS_SMTP_PORT": str(smtp.port),
            "EVENTSYS_MAIL_LEASE_SECONDS": "10",
            "EVENTSYS_MAIL_RETRY_SECONDS": "2",
            "EVENTSYS_MAIL_MAX_ATTEMPTS": "30",
        }
        ports = [free_port(), free_port()]
        masters = [start_gunicorn("eventsys:create_app()", p, args.web_workers, env) for p in ports]
        started += masters

        def start_queue_worker() -> subprocess.Popen:
            worker = subprocess.Popen(
                [sys.executable, "-m", "eventsys.cli", "worker", "--workers", "2"],
                env=env, cwd=ROOT, stdout=(folder / "worker.log").open("ab"),
                stderr=subprocess.STDOUT,
            )  # fmt: skip
            started.append(worker)
            return worker

        queue_workers = [start_queue_worker(), start_queue_worker()]
        record = Record()
        free = collections.deque(range(len(tokens)))
        begin = time.monotonic()
        until = begin + args.seconds
        threads = [
            threading.Thread(target=client, args=(ports, slug, tokens, record, free, until))
            for _ in range(args.clients)
        ]
        for thread in threads:
            thread.start()

        refuse_for = min(30.0, args.seconds * 0.1)

        def kill_web_worker() -> None:
            os.kill(random.choice(gunicorn_workers(masters[0])), signal.SIGKILL)

        def kill_queue_worker() -> None:
            queue_workers[0].send_signal(signal.SIGKILL)
            queue_workers[0].wait()
            queue_workers[0] = start_queue_worker()

        def refuse_mail() -> None:
            smtp.refusing = True
            time.sleep(refuse_for)
            smtp.refusing = False

        faults = [
            (0.15, "kill -9 web worker", kill_web_worker),
            (0.30, "kill -9 queue worker, restart it", kill_queue_worker),
            (0.45, "restart PostgreSQL", postgres.restart),
            (0.60, "restart Redis", lambda: (redis.stop(), redis.start())),
            (0.75, f"SMTP refusing for {refuse_for:.0f} s", refuse_mail),
        ]
        print("fault schedule: " + "; ".join(f"{f:.0%} {n}" for f, n, _ in faults), flush=True)
        phases, recovery = [("before", begin)], 0.0
        for fraction, name, apply in faults:
            time.sleep(max(0.0, begin + fraction * args.seconds - time.monotonic()))
            phases.append((name, time.monotonic()))
            apply()
            applied = time.monotonic()
            wait_until(lambda: ready(ports), 60, 0.1)
            took = time.monotonic() - applied
            recovery = max(recovery, took)
            print(f"{time.monotonic() - begin:6.1f}s {name}: ready again after {took:.1f} s")
        phases.append(("after the last fault", time.monotonic()))
        for thread in threads:
            thread.join()

        report_phases(record, phases, until)
        outbox = drain_outbox(database_url, smtp)
        line = check(database_url, slug, args.capacity, record, outbox, smtp, recovery)
        for master in masters:
            stop(master)
        for worker in queue_workers:
            worker.terminate()
        print(line)
    finally:
        for process in started:
            if process.poll() is None:
                process.kill()
        smtp.__exit__()
        redis.stop()
        postgres.remove()
        shutil.rmtree(folder, ignore_errors=True)


def report_phases(record: Record, phases, until: float) -> None:
    bounds = [*phases[1:], ("end", until)]
    for (name, start), (_, end) in zip(phases, bounds, strict=False):
        inside = [s for s in record.samples if start <= s[0] < end]
        latencies = sorted(s[1] for s in inside) or [0.0]
        errors = sum(1 for s in inside if not s[2])
        seconds = max(end - start, 1e-9)
        print(
            f"phase {name}: {len(inside) / seconds:.1f} req/s, "
            f"p50 {latencies[len(latencies) // 2] * 1000:.0f} ms, "
            f"p99 {latencies[min(int(len(latencies) * 0.99), len(latencies) - 1)] * 1000:.0f} ms,"
            f" errors {errors}"
        )


def _connect(database_url: str):
    import psycopg

    return psycopg.connect(database_url)


def drain_outbox(database_url: str, smtp: RecordingSmtp, timeout: float = 180) -> list[tuple]:
    """Waits until no mail is queued (the sweep runs every minute), then returns the outbox."""

    def rows() -> list[tuple]:
        with _connect(database_url) as connection:
            return connection.execute(
                "SELECT id, status, message_id, to_address FROM outbound_mails"
            ).fetchall()

    wait_until(lambda: all(row[1] != "queued" for row in rows()), timeout, 1)
    return rows()


def check(database_url, slug, capacity, record: Record, outbox, smtp, recovery) -> str:
    with _connect(database_url) as connection:
        rows = connection.execute(
            "SELECT r.id, r.email, r.status FROM registrations r JOIN events e ON e.id = r.event_id"
            " WHERE e.slug = %s",
            (slug,),
        ).fetchall()
    by_id = {row[0]: row for row in rows}
    acknowledged = len(record.registered) + len(record.cancelled)
    lost = sum(1 for rid in record.registered.values() if rid not in by_id)
    lost += sum(1 for rid in record.cancelled if by_id.get(rid, (0, 0, ""))[2] != "cancelled")
    per_person = collections.Counter(row[1] for row in rows if row[2] != "cancelled")
    doubled = sum(count - 1 for count in per_person.values() if count > 1)
    over = max(0, sum(1 for row in rows if row[2] == "confirmed") - capacity)
    received = collections.Counter(str(m["Message-ID"]) for m in smtp.received)
    known = {row[2] for row in outbox}
    mails_lost = sum(1 for row in outbox if row[1] != "sent" or received[row[2]] == 0)
    mails_doubled = sum(1 for mid in received if mid not in known)
    mails_doubled += sum(1 for row in outbox if received[row[2]] > 2)
    print(f"outbox: {len(outbox)} rows; messages received: {sum(received.values())}")
    return (
        f"acknowledged: {acknowledged}; lost: {lost}; doubled: {doubled}; over capacity: {over}; "
        f"mails lost: {mails_lost}; mails doubled: {mails_doubled}; recovery s: {recovery:.1f}"
    )


if __name__ == "__main__":
    main()
