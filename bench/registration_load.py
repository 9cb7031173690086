"""Registration throughput over HTTP against the ceiling of the same stack.

    python bench/registration_load.py [--people 2000] [--clients 32] [--workers 5]

Creates a PostgreSQL database of its own, starts eventsys under gunicorn, registers N people
through the JSON API (each with their own bearer token) from many concurrent clients, then starts
a bare Flask + Flask-SQLAlchemy app (bench/ceiling_app.py: one INSERT per request) under the same
gunicorn settings and sends it the same load. Checks that the capacity held and the waiting list
holds the rest, stops the servers, drops the database and prints, last:

    registrations/s: X; ceiling/s: Y; ratio: Z
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import run_clients, start_gunicorn, stop  # noqa: E402

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
# The task queue on Redis, as in production; a database number of its own, emptied afterwards.
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")


@dataclass
class Result:
    label: str
    done: int
    seconds: float
    latencies: list[float]
    statuses: dict[int, int]

    @property
    def per_second(self) -> float:
        return self.done / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(int(p * len(ordered)), len(ordered) - 1)] * 1000

    def line(self) -> str:
        return (
            f"{self.label}: {self.done} requests in {self.seconds:.2f}s = {self.per_second:.1f}/s; "
            f"latency p50 {self.percentile(0.50):.1f} ms, p99 {self.percentile(0.99):.1f} ms; "
            f"statuses {dict(sorted(self.statuses.items()))}"
        )


def admin(sql: str) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        connection.execute(sql)


def seed(database_url: str, people: int, capacity: int, instance: str) -> tuple[str, list[str]]:
    """Schema from the models, one open event, N accounts each with an API token."""
    os.environ["EVENTSYS_INSTANCE_PATH"] = instance
    from eventsys import create_app
    from eventsys.accounts.models import ApiToken, User
    from eventsys.accounts.services import token_digest
    from eventsys.db import utcnow
    from eventsys.events.services import create_event
    from eventsys.extensions import db

    app = create_app(
        {"DATABASE_URL": database_url, "SECRET_KEY": "bench", "QUEUE_BACKEND": "memory"}
    )
    tokens = [f"evs_bench_{i}_{secrets.token_urlsafe(16)}" for i in range(people)]
    with app.app_context():
        db.create_all()
        now = utcnow().replace(microsecond=0)
        event = create_event(
            db.session,
            slug="bench-conference",
            title="Benchmark Conference",
            timezone="Europe/Lisbon",
            starts_at=now + timedelta(days=30),
            ends_at=now + timedelta(days=32),
            capacity=capacity,
            is_published=True,
            city="Cascais",
            venue_name="Centro de Congressos",
        )
        # Accounts without passwords: hashing thousands with argon2 would only slow the set-up.
        users = [
            User(email=f"bench{i}@example.org", display_name=f"Bench {i}", email_confirmed_at=now)
            for i in range(people)
        ]
        db.session.add_all(users)
        db.session.flush()
        db.session.add_all(
            ApiToken(user_id=user.id, digest=token_digest(token), name="bench")
            for user, token in zip(users, tokens, strict=True)
        )
        db.session.commit()
        slug = event.slug
        db.engine.dispose()
    return slug, tokens


def warm_up(port: int, workers: int) -> None:
    for _ in range(workers * 10):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/healthz")
        connection.getresponse().read()
        connection.close()


def load(
    label: str, port: int, clients: int, requests: list[Callable[[], tuple[str, str, dict]]]
) -> Result:
    """Sends every request once from `clients` threads started together."""
    work: queue.SimpleQueue = queue.SimpleQueue()
    for item in requests:
        work.put(item)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)

    def client() -> None:
        barrier.wait()
        while True:
            try:
                build = work.get_nowait()
            except queue.Empty:
                return
            path, body, headers = build()
            started = time.perf_counter()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            connection.close()
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                statuses[response.status] = statuses.get(response.status, 0) + 1

    elapsed = run_clients(client, clients, barrier)
    return Result(label, len(latencies), elapsed, latencies, statuses)


def registration_requests(slug: str, tokens: list[str]) -> list[Callable]:
    def make(i: int, token: str) -> Callable:
        body = json.dumps(
            {
                "category": "delegate",
                "display_name": f"Участник {i} Ələkbərov",
                "organisation_name": "Câmara Municipal",
                "country": "PT",
            }
        )
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
        return lambda: (f"/api/v1/events/{slug}/registrations", body, headers)

    return [make(i, token) for i, token in enumerate(tokens)]


def ceiling_requests(people: int) -> list[Callable]:
    def make(i: int) -> Callable:
        body = json.dumps({"email": f"bench{i}@example.org", "display_name": f"Участник {i}"})
        return lambda: ("/insert", body, {"Content-Type": "application/json"})

    return [make(i) for i in range(people)]


def check_capacity(database_url: str, capacity: int, people: int) -> None:
    with psycopg.connect(database_url) as connection:
        rows = dict(
            connection.execute(
                "SELECT lower(status), count(*) FROM registrations GROUP BY status"
            ).fetchall()
        )
        last_confirmed, first_waiting = connection.execute(
            "SELECT max(id) FILTER (WHERE lower(status) = 'confirmed'),"
            " min(id) FILTER (WHERE lower(status) = 'waitlisted') FROM registrations"
        ).fetchone()
    print(f"registrations by status: {rows}")
    # The places went to the requests accepted first (ids are taken under the event's lock).
    assert last_confirmed < first_waiting, (last_confirmed, first_waiting)
    assert rows.get("confirmed", 0) == capacity, f"capacity {capacity} not held: {rows}"
    assert rows.get("waitlisted", 0) == people - capacity, rows


def clear_queue() -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(match="huey*eventsys*"):
        client.delete(key)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--capacity", type=int, help="places; default half the people")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--port", type=int, default=5105)
    args = parser.parse_args()
    capacity = args.capacity if args.capacity is not None else args.people // 2

    name = f"eventsys_bench_{os.getpid()}"
    database_url = f"postgresql://postgres@127.0.0.1:5432/{name}"
    admin(f'CREATE DATABASE "{name}"')
    processes: list[subprocess.Popen] = []
    try:
        with tempfile.TemporaryDirectory(prefix="eventsys-bench-") as instance:
            slug, tokens = seed(database_url, args.people, capacity, instance)
            env = {
                "EVENTSYS_DATABASE_URL": database_url,
                "EVENTSYS_SECRET_KEY": "bench",
                "EVENTSYS_INSTANCE_PATH": instance,
                # No queue worker runs: the mails wait in the outbox and on the queue.
                "EVENTSYS_REDIS_URL": REDIS_URL,
            }
            print(
                f"{args.people} people, {capacity} places, {args.clients} clients, "
                f"{args.workers} gunicorn workers, {os.cpu_count()} CPUs"
            )

            server = start_gunicorn("eventsys:create_app()", args.port, args.workers, env)
            processes.append(server)
            warm_up(args.port, args.workers)
            registrations = load(
                "registrations", args.port, args.clients, registration_requests(slug, tokens)
            )
            stop(server)
            print(registrations.line())
            check_capacity(database_url, capacity, args.people)
            assert registrations.statuses == {201: args.people}, registrations.statuses

            from bench import ceiling_app

            os.environ["EVENTSYS_DATABASE_URL"] = database_url
            ceiling_app.create_schema()
            server = start_gunicorn("bench.ceiling_app:create_app()", args.port, args.workers, env)
            processes.append(server)
            warm_up(args.port, args.workers)
            ceiling = load(
                "ceiling (one INSERT)", args.port, args.clients, ceiling_requests(args.people)
            )
            stop(server)
            print(ceiling.line())
            assert ceiling_app.count_rows() == args.people
    finally:
        for process in processes:
            stop(process)
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        clear_queue()
    ratio = registrations.per_second / ceiling.per_second
    print(
        f"registrations/s: {registrations.per_second:.1f}; "
        f"ceiling/s: {ceiling.per_second:.1f}; ratio: {ratio:.2f}"
    )


if __name__ == "__main__":
    main()
