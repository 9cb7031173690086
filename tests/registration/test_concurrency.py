"""Capacity and waiting-list order under real concurrency: threads, each with its own connection
of the app's engine, on PostgreSQL or on a SQLite file."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from eventsys.accounts.services import create_api_token
from eventsys.events.models import Event
from eventsys.extensions import db
from eventsys.registration import services
from eventsys.registration.enums import Status
from eventsys.registration.models import Registration

PLACES = 10
PEOPLE = 52


def _run_together(count: int, work: Callable[[int], object]) -> list[object]:
    """Runs work(i) in `count` threads released at the same instant; returns results/errors."""
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except Exception as exc:  # collected and asserted on by the test
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def _registrations(event_id: int) -> list[Registration]:
    db.session.expire_all()
    return list(
        db.session.execute(
            select(Registration).where(Registration.event_id == event_id).order_by(Registration.id)
        ).scalars()
    )


def _assert_capacity_and_order(event_id: int, waiting_expected: int, places: int = PLACES) -> None:
    rows = [r for r in _registrations(event_id) if r.status != Status.CANCELLED]
    confirmed = [r for r in rows if r.status == Status.CONFIRMED]
    waiting = [r for r in rows if r.status == Status.WAITLISTED]
    assert len(confirmed) == places
    assert len(waiting) == waiting_expected
    # Places went to the requests accepted first; nobody waits behind a later one who got in.
    assert max(r.id for r in confirmed) < min(r.id for r in waiting)
    positions = [services.waitlist_position(db.session, r) for r in waiting]
    assert positions == list(range(1, len(waiting) + 1))


def test_simultaneous_registrations_fill_exactly_the_places(app, committed_db, factory):
    event = factory.event(capacity=PLACES)
    category_id = event.categories[0].id
    event_id = event.id
    db.session.commit()
    engine = db.engine  # the app's own engine: its SQLite set-up is part of what is tested
    accepted: list[int] = []
    order_lock = threading.Lock()

    def register(i: int) -> Status:
        with app.app_context(), Session(engine) as session:
            own_event = session.get(Event, event_id)
            registration, _ = services.register(
                session,
                own_event,
                services.RegistrationData(
                    email=f"racer{i}@example.org",
                    display_name=f"Racer {i}",
                    category_id=category_id,
                ),
            )
            with order_lock:  # still inside the event lock: this is the order of acceptance
                accepted.append(registration.id)
            session.commit()
            return registration.status

    results = _run_together(PEOPLE, register)
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors[:3]
    assert results.count(Status.CONFIRMED) == PLACES
    assert results.count(Status.WAITLISTED) == PEOPLE - PLACES
    assert accepted == sorted(accepted)  # ids follow the order in which the lock was granted
    _assert_capacity_and_order(event_id, PEOPLE - PLACES)
    # The first cancellation promotes exactly the first person waiting.
    rows = _registrations(event_id)
    first_waiting = next(r for r in rows if r.status == Status.WAITLISTED)
    services.cancel(db.session, rows[0])
    db.session.commit()
    assert first_waiting.status == Status.CONFIRMED


def test_concurrent_cancellations_and_registrations_keep_capacity(app, committed_db, factory):
    event = factory.event(capacity=PLACES)
    category_id = event.categories[0].id
    event_id = event.id
    existing = [factory.registration(event, email=f"early{i}@example.org") for i in range(20)]
    db.session.commit()
    to_cancel = [r.id for r in existing[:6]]  # six confirmed people cancel
    engine = db.engine  # the app's own engine: its SQLite set-up is part of what is tested
    newcomers = 30

    def act(i: int) -> str:
        with app.app_context(), Session(engine) as session:
            if i < len(to_cancel):
                services.cancel(session, session.get(Registration, to_cancel[i]))
            else:
                services.register(
                    session,
                    session.get(Event, event_id),
                    services.RegistrationData(
                        email=f"late{i}@example.org", display_name="Late", category_id=category_id
                    ),
                )
            session.commit()
            return "ok"

    results = _run_together(len(to_cancel) + newcomers, act)
    assert results.count("ok") == len(results), [r for r in results if r != "ok"][:3]
    # 20 + 30 people, 6 cancelled, 10 places: the six places went to the six who waited longest.
    _assert_capacity_and_order(event_id, 20 + newcomers - len(to_cancel) - PLACES)
    promoted = [r for r in _registrations(event_id) if r.id in {e.id for e in existing[10:16]}]
    assert all(r.status == Status.CONFIRMED for r in promoted)


def test_simultaneous_api_requests(app, committed_db, factory):
    """The same race through HTTP: the JSON API, each request its own app context and session."""
    organiser = factory.user()
    event = factory.event(capacity=PLACES, organiser=organiser)
    users = [factory.user(f"api{i}@example.org") for i in range(PEOPLE)]
    tokens = [create_api_token(db.session, user) for user in users]
    slug, event_id = event.slug, event.id
    db.session.commit()

    def post(i: int) -> tuple[int, str]:
        client = app.test_client()
        response = client.post(
            f"/api/v1/events/{slug}/registrations",
            json={"category": "delegate", "display_name": f"Api {i}"},
            headers={"Authorization": f"Bearer {tokens[i]}"},
        )
        return response.status_code, response.get_json()["status"]

    results = _run_together(PEOPLE, post)
    assert all(isinstance(r, tuple) and r[0] == 201 for r in results), results[:3]
    statuses = [status for _code, status in results]
    assert statuses.count("confirmed") == PLACES
    assert statuses.count("waitlisted") == PEOPLE - PLACES
    _assert_capacity_and_order(event_id, PEOPLE - PLACES)


@contextmanager
def served(app) -> Iterator[str]:
    """The app behind a real threaded HTTP server, as `eventsys run` serves it; yields its URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def _post_json(url: str, body: dict, token: str) -> tuple[int, dict]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, {"body": error.read().decode(errors="replace")[:300]}


def test_forty_api_registrations_to_five_places_on_a_served_app(app, committed_db, factory):
    """The reported case: 40 simultaneous API registrations, 5 places; SQLite confirmed 17."""
    places, people = 5, 40
    event = factory.event(capacity=places, organiser=factory.user())
    tokens = [
        create_api_token(db.session, factory.user(f"http{i}@example.org")) for i in range(people)
    ]
    slug, event_id = event.slug, event.id
    db.session.commit()

    with served(app) as base:
        url = f"{base}/api/v1/events/{slug}/registrations"
        results = _run_together(
            people,
            lambda i: _post_json(
                url, {"category": "delegate", "display_name": f"H {i}"}, tokens[i]
            ),
        )
    assert all(isinstance(r, tuple) and r[0] == 201 for r in results), [
        r for r in results if not (isinstance(r, tuple) and r[0] == 201)
    ][:3]
    statuses = [body["status"] for _code, body in results]
    assert statuses.count("confirmed") == places
    assert statuses.count("waitlisted") == people - places
    _assert_capacity_and_order(event_id, people - places, places=places)
