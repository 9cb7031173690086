"""Contacts rush to name proxies in the last seconds before the deadline, each on its own
connection: no delegate ever holds more proxies than the statutes allow, and every refusal is
either that limit or the deadline."""

from __future__ import annotations

import random
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from eventsys.accounts.models import User
from eventsys.assembly.models import Assembly, VotingRight
from eventsys.assembly.preparation_models import AssemblyPreparation
from eventsys.assembly.services import appointments
from eventsys.db import utcnow
from eventsys.errors import ServiceError
from eventsys.extensions import db
from eventsys.organisations.contacts import OrganisationContact
from tests.assembly.test_concurrency import _rights, big_assembly

HOLDERS = 4
GIVERS = 24  # one connection each: within the pool (10 + 20 overflow) with the test's own
MAX_PROXIES = 2


def _prepare(deadline_in: timedelta) -> tuple[int, list[int], list[str]]:
    """Four members keep their delegates; the others have none and one contact each, with a
    personal link. Returns (assembly id, holder right ids, the givers' tokens)."""
    assembly_id, _users = big_assembly(HOLDERS + GIVERS)
    assembly = db.session.get(Assembly, assembly_id)
    assembly.max_proxies = MAX_PROXIES
    rights = [db.session.get(VotingRight, r) for r in _rights(assembly_id)]
    holders, givers = rights[:HOLDERS], rights[HOLDERS:]
    contacts = [User(email=f"contact{i}@example.org", display_name=f"C {i}") for i in givers]
    db.session.add_all(contacts)
    db.session.flush()
    for right, contact in zip(givers, contacts, strict=True):
        right.delegate_registration_id = None
        db.session.add(OrganisationContact(organisation_id=right.member_id, user_id=contact.id))
    db.session.add(
        AssemblyPreparation(
            assembly_id=assembly_id, weighted=False, deadline=utcnow() + deadline_in
        )
    )
    db.session.flush()
    issued = appointments.issue_links(db.session, assembly, only_not_acted=False)
    db.session.commit()
    return assembly_id, [h.id for h in holders], [token for _link, token in issued]


def _rush(app, assembly_id: int, holders: list[int], tokens: list[str], wait_until=None):
    barrier = threading.Barrier(len(tokens), timeout=60)
    outcomes: list[str] = []
    chooser = random.Random(7)
    picks = [chooser.choice(holders) for _ in tokens]

    def name_proxy(token: str, holder_id: int) -> None:
        with app.app_context():
            assembly = db.session.get(Assembly, assembly_id)
            link = appointments.link_for(db.session, assembly, token)
            barrier.wait()
            if wait_until is not None:
                while utcnow() < wait_until:
                    time.sleep(0.001)
            try:
                appointments.proxy_online(db.session, assembly, link, holder_id, now=utcnow())
                db.session.commit()
                outcomes.append("ok")
            except ServiceError as exc:
                db.session.rollback()
                outcomes.append(exc.code)
            db.session.remove()

    threads = [
        threading.Thread(target=name_proxy, args=pair) for pair in zip(tokens, picks, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def _held(holders: list[int]) -> dict[int, int]:
    db.session.expire_all()
    return {
        holder: db.session.execute(
            select(func.count()).where(VotingRight.proxy_holder_id == holder)
        ).scalar_one()
        for holder in holders
    }


@pytest.mark.postgres
def test_a_rush_before_the_deadline_never_exceeds_the_limit(app, committed_db):
    assembly_id, holders, tokens = _prepare(timedelta(minutes=5))
    outcomes = _rush(app, assembly_id, holders, tokens)
    held = _held(holders)
    assert max(held.values()) <= MAX_PROXIES
    assert outcomes.count("ok") == sum(held.values()) == HOLDERS * MAX_PROXIES
    assert set(outcomes) == {"ok", "conflict"}


@pytest.mark.postgres
def test_a_rush_across_the_deadline_is_cut_off_cleanly(app, committed_db):
    """Half the contacts start before the deadline, the rest just after it."""
    assembly_id, holders, tokens = _prepare(timedelta(seconds=3))
    deadline = db.session.get(AssemblyPreparation, assembly_id).deadline
    early = _rush(app, assembly_id, holders, tokens[: GIVERS // 2])
    late = _rush(app, assembly_id, holders, tokens[GIVERS // 2 :], wait_until=deadline)
    held = _held(holders)
    assert max(held.values()) <= MAX_PROXIES
    assert set(early) <= {"ok", "conflict"} and "ok" in early
    assert set(late) == {"deadline_passed"}
    assert early.count("ok") == sum(held.values())
