"""Walks the whole URL map: every route has an access rule, and nobody gets past it.

Generic on purpose: routes added by any area are covered without touching this file. URLs are
built from the rule itself: `slug` is an existing event, integer ids are existing rows of the
table the name points to (`category_id` -> categories), any other string is a random token.
"""

from __future__ import annotations

import hashlib
import io
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select
from werkzeug.routing import AnyConverter, IntegerConverter, Rule, UUIDConverter

from eventsys.accounts.services import create_api_token
from eventsys.events.services import add_question
from eventsys.extensions import db
from eventsys.registration.models import Registration
from eventsys.web.access import rule_of

IGNORED_METHODS = {"HEAD", "OPTIONS"}
PROTECTED = ("admin", "event:", "network:")
SECRET_NAME = "Zhyldyz Qoʻshbaqova-Unseen"
SECRET_EMAIL = "unseen.person@example.org"


@dataclass
class World:
    event: Any
    organiser: Any
    participant: Any
    other_organiser: Any
    admin: Any
    secret_registration: Registration


@pytest.fixture
def world(factory) -> World:
    organiser, participant, other_organiser = factory.user(), factory.user(), factory.user()
    admin = factory.user(admin=True)
    event = factory.event(organiser=organiser)
    factory.event(organiser=other_organiser)
    factory.registration(event, user=participant, name=participant.display_name)
    secret = factory.registration(event, email=SECRET_EMAIL, name=SECRET_NAME)
    add_question(db.session, event, label="Dietary needs", kind="text")  # so question ids resolve
    db.session.commit()
    return World(event, organiser, participant, other_organiser, admin, secret)


def routes(app) -> list[Rule]:
    return [r for r in app.url_map.iter_rules() if r.endpoint != "static"]


def _model_for(argument: str) -> Any:
    """`category_id` -> Category; `role_id` -> EventRole (a class name ending in the word)."""
    stem = "".join(part.capitalize() for part in argument.removesuffix("_id").split("_"))
    classes = [m.class_ for m in db.Model.registry.mappers]
    exact = [c for c in classes if c.__name__ == stem]
    return (exact or [c for c in classes if c.__name__.endswith(stem)] or [None])[0]


def _row_id(argument: str, event: Any) -> int:
    model = _model_for(argument)
    if model is None:
        return 1
    query = select(model.id).order_by(model.id)
    if hasattr(model, "event_id"):
        query = query.where(model.event_id == event.id)
    found = db.session.execute(query.limit(1)).scalar()
    return found or 1


def build_url(app, rule: Rule, world: World, *, int_value: int | None = None) -> str:
    values: dict[str, Any] = {}
    for name in rule.arguments:
        converter = rule._converters.get(name)
        if name == "slug":
            values[name] = world.event.slug
        elif isinstance(converter, IntegerConverter):
            values[name] = int_value if int_value is not None else _row_id(name, world.event)
        elif isinstance(converter, UUIDConverter):
            values[name] = uuid.uuid4()
        elif isinstance(converter, AnyConverter):
            values[name] = sorted(converter.items)[0]
        else:
            values[name] = secrets.token_urlsafe(24)
    with app.test_request_context():
        adapter = app.url_map.bind("localhost")
        return adapter.build(rule.endpoint, values, force_external=False)


def readable_text(response) -> str:
    """What a person could read in the answer: a PDF's text, or the body as text."""
    if response.mimetype == "application/pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    return response.get_data().decode("utf-8", errors="replace")


def snapshot() -> str:
    """A digest of every row of every table: equal digests, no state change."""
    digest = hashlib.sha256()
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table).order_by(*table.primary_key.columns)).all():
            digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def request(client, method: str, url: str, **kwargs: Any):
    if method in ("POST", "PUT", "PATCH"):
        kwargs.setdefault("data", {})
    return client.open(url, method=method, **kwargs)


def client_for(app, user: Any):
    client = app.test_client()
    if user is not None:
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
    return client


def test_every_route_has_an_access_rule(app):
    missing = [r.endpoint for r in routes(app) if not rule_of(app.view_functions[r.endpoint])]
    assert missing == []


def test_organiser_and_admin_addresses_carry_a_guarding_rule(app):
    """Convention: /admin/... and /events/<slug>/manage/... pages are guarded, so a view marked
    @public or @login_required by mistake cannot hide there (the walk trusts the marks)."""
    wrong = [
        f"{r.rule} ({r.endpoint}): {rule_of(app.view_functions[r.endpoint])}"
        for r in routes(app)
        if (r.rule.startswith("/admin") or "/manage" in r.rule)
        and not (rule_of(app.view_functions[r.endpoint]) or "").startswith(PROTECTED)
    ]
    assert wrong == []


def test_nobody_gets_past_an_access_rule(app, world):
    visitors = {
        "anonymous": None,
        "participant": world.participant,
        "organiser of another event": world.other_organiser,
    }
    problems: list[str] = []
    checked = 0
    for rule in routes(app):
        access = rule_of(app.view_functions[rule.endpoint])
        for method in sorted(rule.methods - IGNORED_METHODS):
            for who, user in visitors.items():
                url = build_url(app, rule, world)
                guarded = access.startswith(PROTECTED) or access in ("token", "api")
                before = snapshot() if guarded else None
                # A fresh client each time: an earlier route may have logged the visitor out.
                response = request(client_for(app, user), method, url)
                checked += 1
                problem = judge(access, who, response)
                if before is not None and snapshot() != before:
                    problem = problem or "changed the database"
                if problem:
                    problems.append(
                        f"{method} {url} ({rule.endpoint}, {access}) as {who}: {problem}"
                    )
    assert checked > 30
    assert problems == [], "\n".join(problems)


def judge(access: str, who: str, response) -> str | None:
    status = response.status_code
    if status >= 500:
        return f"answered {status}"
    location = response.headers.get("Location", "")
    if access.startswith(PROTECTED) or access == "login":
        if who == "anonymous":
            if status != 302 or "/account/login" not in location:
                return f"expected a redirect to log in, got {status} {location}"
        elif access.startswith(PROTECTED) and status not in (403, 404):
            return f"expected 403 or 404, got {status}"
    elif access == "token":
        if status not in (400, 404):
            return f"a random token got {status}"
    elif access == "api":
        body = response.get_json(silent=True) or {}
        if status != 401 or body.get("error", {}).get("code") != "unauthorized":
            return f"expected a 401 JSON error without a bearer token, got {status}"
    return None


def test_the_walk_is_not_vacuous_organisers_and_admins_get_in(app, world):
    """The same URLs, opened by the people they are for, do not answer 403 (nor 500)."""
    organiser, admin = client_for(app, world.organiser), client_for(app, world.admin)
    problems = []
    for rule in routes(app):
        access = rule_of(app.view_functions[rule.endpoint])
        if "GET" not in rule.methods or not access.startswith(PROTECTED):
            continue
        client = admin if access == "admin" or access.startswith("network:") else organiser
        response = client.get(build_url(app, rule, world))
        if response.status_code in (401, 403) or response.status_code >= 500:
            problems.append(f"{rule.endpoint}: {response.status_code}")
    assert problems == [], "\n".join(problems)


def test_a_participant_cannot_read_another_persons_registration(app, world):
    """Every GET route, web and API, with the other registration's id wherever an id fits."""
    web = client_for(app, world.participant)
    api = app.test_client()
    token = create_api_token(db.session, world.participant, "walker")
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    secret_id = world.secret_registration.id
    leaks = []
    for rule in routes(app):
        if "GET" not in rule.methods:
            continue
        for int_value in {None, secret_id}:
            url = build_url(app, rule, world, int_value=int_value)
            is_api = rule.rule.startswith("/api/")
            response = api.get(url, headers=headers) if is_api else web.get(url)
            body = readable_text(response)
            assert response.status_code < 500, url
            if SECRET_EMAIL in body or SECRET_NAME in body:
                leaks.append(url)
    assert leaks == []
    # The participant's own registration is readable, so the check above could fail.
    own = db.session.execute(
        select(Registration).where(Registration.user_id == world.participant.id)
    ).scalar_one()
    assert api.get(f"/api/v1/registrations/{own.id}", headers=headers).status_code == 200
    assert api.get(f"/api/v1/registrations/{secret_id}", headers=headers).status_code == 404


def test_a_participants_api_token_changes_nothing_it_does_not_own(app, world):
    """Every API write (PATCH, PUT, DELETE, and POST on an existing row) with a participant's
    token, aimed at the event's rows and at the other person's registration: refused, unchanged."""
    token = create_api_token(db.session, world.participant, "walker")
    db.session.commit()
    # The token's own last use is recorded on its first request: make that one before comparing.
    app.test_client().get("/api/v1/events/", headers={"Authorization": f"Bearer {token}"})
    headers = {"Authorization": f"Bearer {token}"}
    problems = []
    for rule in routes(app):
        if not rule.rule.startswith("/api/"):
            continue
        has_row = any(isinstance(rule._converters.get(a), IntegerConverter) for a in rule.arguments)
        for method in sorted(rule.methods & {"PATCH", "PUT", "DELETE", "POST"}):
            if method == "POST" and not has_row:
                continue  # creating (registering oneself) is a participant's right
            # Existing rows of the event (categories, questions); for registrations only the
            # other person's, since the participant may cancel their own.
            targets = {world.secret_registration.id}
            if "registration" not in rule.rule:
                targets.add(None)
            for int_value in targets:
                url = build_url(app, rule, world, int_value=int_value)
                before = snapshot()
                response = app.test_client().open(url, method=method, json={}, headers=headers)
                if not 400 <= response.status_code < 500 or snapshot() != before:
                    problems.append(f"{method} {url}: {response.status_code}")
    assert problems == [], "\n".join(problems)
