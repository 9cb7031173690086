"""Simultaneous duplicate signatures (PostgreSQL or a SQLite file): exactly one gets in."""

from __future__ import annotations

import threading
from collections.abc import Callable

from sqlalchemy import func, select

from eventsys.accounts.models import User
from eventsys.declarations import services
from eventsys.declarations.models import Declaration, Signature
from eventsys.errors import Conflict
from eventsys.extensions import db
from tests.declarations.conftest import organisation, person

THREADS = 8


def _race(
    app, declaration_id: int, attempt_of: Callable[[int], tuple[services.SignData, int | None]]
) -> list[str]:
    """Every thread signs at the same moment, each on its own connection; returns outcomes."""
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(index: int) -> None:
        data, user_id = attempt_of(index)
        with app.app_context():
            try:
                declaration = db.session.get(Declaration, declaration_id)
                user = db.session.get(User, user_id) if user_id else None
                barrier.wait()
                services.sign(db.session, declaration, data, user=user)
                db.session.commit()
                result = "signed"
            except Conflict as exc:
                db.session.rollback()
                result = exc.code
            finally:
                db.session.remove()
            with lock:
                outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _rows(declaration_id: int) -> int:
    return db.session.execute(
        select(func.count()).where(Signature.declaration_id == declaration_id)
    ).scalar_one()


def test_the_same_person_signing_at_once_yields_one_signature(app, committed_db, factory):
    declaration = factory.declaration(factory.event())
    db.session.commit()
    outcomes = _race(
        app, declaration.id, lambda i: (person(f"Same {i}", email="same@example.org"), None)
    )
    # The first insert wins; the others met the constraint, or found the pending row and sent
    # a fresh link for it. Never a second row, never an unhandled error.
    assert len(outcomes) == THREADS
    assert set(outcomes) <= {"signed", "already_signed"}
    assert _rows(declaration.id) == 1


def test_one_organisation_signed_by_several_people_at_once_yields_one(app, committed_db, factory):
    declaration = factory.declaration(factory.event())
    user_ids = [factory.user().id for _ in range(THREADS)]
    db.session.commit()
    outcomes = _race(
        app,
        declaration.id,
        lambda i: (organisation("Climate Action Network", display_name=f"Signer {i}"), user_ids[i]),
    )
    assert outcomes.count("signed") == 1
    assert outcomes.count("already_signed") == THREADS - 1
    assert _rows(declaration.id) == 1
