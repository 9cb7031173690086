"""Benchmark: 2,000 members vote in one poll over HTTP against gunicorn on PostgreSQL.

2,000 member organisations each have a delegate; 100 of them are represented by proxy, so 1,900
delegates send one vote each (100 of them for two voting rights). Beside it, a bare endpoint of
the same stack (Flask, SQLAlchemy, gunicorn, PostgreSQL) that does one INSERT gives the ceiling,
measured in the same run with the same clients. Then the chair closes the poll over HTTP; the
result must count exactly 2,000 voting rights.

    python bench/assembly_votes.py [--workers 4] [--clients 32]

Uses EVENTSYS_BENCH_DATABASE_URL, which it empties, or else a database of its own on the local
PostgreSQL server, dropped at the end. The last line of its output is the summary:
    votes: N counted; votes/s: V; ceiling/s: Y; ratio: Z; result ms: R
(votes/s counts vote requests, one per delegate, like the ceiling counts requests.)
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import free_port, run_clients, start_gunicorn, stop, temporary_database  # noqa: E402

MEMBERS = 2000
BY_PROXY = 100
SLUG = "bench-assembly"


def make_app():
    """The gunicorn entry point: the real app plus the bare one-INSERT endpoint."""
    from flask import jsonify

    from eventsys import create_app
    from eventsys.extensions import csrf, db
    from eventsys.web.access import public

    app = create_app()

    @public
    def bench_insert():
        db.session.execute(db.text("INSERT INTO bench_ping (at) VALUES (now())"))
        db.session.commit()
        return jsonify(ok=True), 201

    app.add_url_rule("/bench/insert", "bench_insert", bench_insert, methods=["POST"])
    csrf.exempt(bench_insert)
    return app


# --- Setup ---------------------------------------------------------------------------------


def seed(env: dict[str, str]) -> dict:
    """Schema and data, written in bulk; returns the poll, its yes option and the tokens."""
    os.environ.update(env)
    from sqlalchemy import insert

    from eventsys import create_app
    from eventsys.accounts.models import ApiToken, User
    from eventsys.accounts.services import token_digest
    from eventsys.assembly import services
    from eventsys.assembly.models import AttendanceMark, VotingRight
    from eventsys.db import utcnow
    from eventsys.events.enums import EventKind, RoleName
    from eventsys.events.services import create_event, grant_role
    from eventsys.extensions import db
    from eventsys.organisations.models import Membership, Organisation, OrganisationKind
    from eventsys.registration.enums import Status
    from eventsys.registration.models import Registration

    app = create_app()
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.session.execute(db.text("DROP TABLE IF EXISTS bench_ping"))
        db.session.execute(db.text("CREATE TABLE bench_ping (id serial PRIMARY KEY, at timestamp)"))
        network = Organisation(name="Network of 2,000 towns", kind=OrganisationKind.NETWORK)
        chair = User(email="chair@bench.example.org", display_name="Chair")
        db.session.add_all([network, chair])
        db.session.flush()
        starts = utcnow() + timedelta(days=1)
        event = create_event(
            db.session,
            slug=SLUG,
            title="General Assembly",
            timezone="Europe/Lisbon",
            starts_at=starts,
            ends_at=starts + timedelta(hours=8),
            kind=EventKind.GENERAL_ASSEMBLY,
            host_organisation_id=network.id,
            is_published=True,
        )
        grant_role(db.session, event, chair, RoleName.ORGANISER)
        category_id = event.categories[0].id
        town_ids = _bulk_ids(
            db,
            insert(Organisation).returning(Organisation.id),
            [{"name": f"Town {i:04d}", "kind": "municipality"} for i in range(MEMBERS)],
        )
        user_ids = _bulk_ids(
            db,
            insert(User).returning(User.id),
            [
                {"email": f"delegate{i:04d}@bench.example.org", "display_name": f"Delegate {i}"}
                for i in range(MEMBERS)
            ],
        )
        db.session.execute(
            insert(Membership),
            [
                {"network_id": network.id, "member_id": t, "started_on": date(2020, 1, 1)}
                for t in town_ids
            ],
        )
        registration_ids = _bulk_ids(
            db,
            insert(Registration).returning(Registration.id),
            [
                {
                    "event_id": event.id,
                    "user_id": u,
                    "category_id": category_id,
                    "status": Status.CONFIRMED,
                    "email": f"delegate{i:04d}@bench.example.org",
                    "display_name": f"Delegate {i}",
                    "organisation_id": t,
                    "answers": {},
                }
                for i, (u, t) in enumerate(zip(user_ids, town_ids, strict=True))
            ],
        )
        assembly = services.create_assembly(
            db.session, event, network, held_on=starts.date(), max_proxies=1
        )
        rights = {r.member_id: r for r in assembly.rights}
        right_ids = [rights[t].id for t in town_ids]
        for town, registration in zip(town_ids, registration_ids, strict=True):
            rights[town].delegate_registration_id = registration
        # The last 100 members are represented by the delegates of the first 100.
        for giver, holder in zip(right_ids[-BY_PROXY:], right_ids[:BY_PROXY], strict=True):
            db.session.get(VotingRight, giver).proxy_holder_id = holder
        voters = list(zip(user_ids[:-BY_PROXY], registration_ids[:-BY_PROXY], strict=True))
        db.session.execute(
            insert(AttendanceMark),
            [
                {"assembly_id": assembly.id, "registration_id": r, "present": True}
                for _u, r in voters
            ],
        )
        tokens = {user: "evs_" + secrets.token_urlsafe(24) for user, _r in voters}
        chair_token = "evs_" + secrets.token_urlsafe(24)
        db.session.execute(
            insert(ApiToken),
            [{"user_id": u, "digest": token_digest(t), "name": "bench"} for u, t in tokens.items()]
            + [{"user_id": chair.id, "digest": token_digest(chair_token), "name": "bench"}],
        )
        motion = services.create_motion(
            db.session, assembly, kind="resolution", title="Adopt the 2030 climate plan"
        )
        poll = services.create_poll(db.session, motion, majority_rule="two_thirds")
        services.open_poll(db.session, poll, upload_dir=tempfile.gettempdir())
        yes = next(o.id for o in poll.options if o.key == "yes")
        db.session.commit()
        info = {
            "poll": poll.id,
            "yes": yes,
            "tokens": list(tokens.values()),
            "chair": chair_token,
        }
        db.session.remove()
        db.engine.dispose()
    return info


def _bulk_ids(db, statement, rows: list[dict]) -> list[int]:
    return list(db.session.execute(statement, rows).scalars())


# --- Servers and clients -------------------------------------------------------------------


def request(port: int, method: str, path: str, body=None, token: str | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    connection.request(
        method, path, body=json.dumps(body) if body is not None else None, headers=headers
    )
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, data


def hammer(port: int, jobs: list[tuple[str, str, dict | None, str | None]], clients: int):
    """Sends every job from `clients` threads at once; returns (seconds, latencies, statuses)."""
    latencies: list[float] = []
    statuses: list[int] = []
    lock = threading.Lock()
    cursor = iter(jobs)
    barrier = threading.Barrier(clients + 1)

    def client():
        barrier.wait()
        while True:
            with lock:
                job = next(cursor, None)
            if job is None:
                return
            started = time.perf_counter()
            status, _ = request(port, *job)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                statuses.append(status)

    return run_clients(client, clients, barrier), latencies, statuses


def p99(latencies: list[float]) -> float:
    ordered = sorted(latencies)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--clients", type=int, default=32)
    args = parser.parse_args()
    given = os.environ.get("EVENTSYS_BENCH_DATABASE_URL")
    if given:
        run(args, given)
    else:
        with temporary_database("eventsys_assembly_bench") as database_url:
            run(args, database_url)


def run(args: argparse.Namespace, database_url: str) -> None:
    instance = tempfile.mkdtemp(prefix="eventsys-bench-")
    env = {
        "EVENTSYS_DATABASE_URL": database_url,
        "EVENTSYS_SECRET_KEY": "bench-secret",
        "EVENTSYS_INSTANCE_PATH": instance,
        "EVENTSYS_QUEUE_BACKEND": "memory",
        "EVENTSYS_RATELIMIT_ENABLED": "false",
        "EVENTSYS_UPLOAD_DIR": instance,
    }
    print(f"seeding {MEMBERS} members, {BY_PROXY} by proxy ...", flush=True)
    info = seed(env)
    port = free_port()
    server = start_gunicorn("bench.assembly_votes:make_app()", port, args.workers, env)
    try:
        vote_path = f"/api/v1/events/{SLUG}/assembly/polls/{info['poll']}/votes"
        ping = [("POST", "/bench/insert", None, None)]
        hammer(port, ping * 300, args.clients)  # warm-up: every worker opens its connections
        ceiling_s, ceiling_lat, ceiling_status = hammer(
            port, ping * len(info["tokens"]), args.clients
        )
        votes = [("POST", vote_path, {"choices": [info["yes"]]}, t) for t in info["tokens"]]
        votes_s, votes_lat, votes_status = hammer(port, votes, args.clients)
        started = time.perf_counter()
        status, body = request(
            port,
            "POST",
            f"/api/v1/events/{SLUG}/assembly/polls/{info['poll']}/close",
            token=info["chair"],
        )
        result_ms = (time.perf_counter() - started) * 1000
    finally:
        stop(server)
    if status != 200:
        raise SystemExit(f"closing failed: {status} {body[:300]!r}")
    result = json.loads(body)["result"]
    ceiling = len(ceiling_lat) / ceiling_s
    rate = len(votes_lat) / votes_s
    refused = len([s for s in votes_status if s != 201])
    print(
        f"ceiling: {len(ceiling_lat)} one-INSERT requests, {ceiling:.0f}/s, "
        f"p99 {p99(ceiling_lat):.1f} ms, non-201: {sum(s != 201 for s in ceiling_status)}"
    )
    print(
        f"votes: {len(votes_lat)} requests for {result['ballots_weight']} voting rights, "
        f"{rate:.0f}/s, p99 {p99(votes_lat):.1f} ms, refused: {refused}"
    )
    print(
        f"close and count over HTTP: {result_ms:.1f} ms; decision: {json.loads(body)['decision']}"
    )
    if result["ballots"] != MEMBERS or result["entitled"] != MEMBERS:
        raise SystemExit(f"expected {MEMBERS} voting rights counted, got {result['ballots']}")
    print(
        f"votes: {result['ballots']} counted; votes/s: {rate:.0f}; ceiling/s: {ceiling:.0f}; "
        f"ratio: {rate / ceiling:.2f}; result ms: {result_ms:.0f}"
    )


if __name__ == "__main__":
    main()
