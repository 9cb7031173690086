"""Sign-ups: places, the waiting list, no overlapping workshops, and races on PostgreSQL."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from eventsys.db import utcnow
from eventsys.errors import Conflict, Forbidden, ServiceError
from eventsys.extensions import db
from eventsys.mail.models import OutboundMail
from eventsys.programme import services, signups, versions
from eventsys.programme.models import ProgrammeSession, SignUp, SignUpStatus
from eventsys.registration.models import Registration
from tests.programme.conftest import at, make_conf, signup_workshop


def statuses(row) -> list[str]:
    return [
        s.value
        for s in db.session.execute(
            select(SignUp.status).where(SignUp.session_id == row.id).order_by(SignUp.id)
        ).scalars()
    ]


def test_places_then_waiting_list_then_promotion_with_a_mail(conf, factory):
    workshop = signup_workshop(conf, "Energy poverty", at(9, 10), at(9, 11), places=2)
    versions.publish(db.session, conf.event)
    people = [factory.registration(conf.event, name=f"P{i}") for i in range(4)]
    results = [signups.sign_up(db.session, workshop, r).status for r in people]
    assert results == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert signups.waitlist_position(db.session, workshop, people[3]) == 2

    signups.cancel_signup(db.session, workshop, people[0])
    assert statuses(workshop) == ["confirmed", "confirmed", "waitlisted"]
    assert signups.waitlist_position(db.session, workshop, people[3]) == 1
    mails = (
        db.session.execute(
            select(OutboundMail).where(OutboundMail.kind == "programme_signup_promoted")
        )
        .scalars()
        .all()
    )
    assert [m.to_address for m in mails] == [people[2].email]
    assert "Energy poverty" in mails[0].subject


def test_raising_the_places_promotes_the_waiting(conf, factory):
    workshop = signup_workshop(conf, "Data", at(9, 10), at(9, 11), places=1)
    versions.publish(db.session, conf.event)
    for _i in range(3):
        signups.sign_up(db.session, workshop, factory.registration(conf.event))
    data = services.SessionData(
        "Data", "workshop", workshop.starts_at, workshop.ends_at, room_id=workshop.room_id,
        capacity=2, signup_required=True,
    )  # fmt: skip
    services.update_session(db.session, conf.event, workshop, data)
    assert statuses(workshop) == ["confirmed", "confirmed", "waitlisted"]


def test_overlapping_sign_up_is_refused_but_back_to_back_is_fine(conf, participant):
    _user, registration = participant
    first = signup_workshop(conf, "Nature-based solutions", at(9, 10), at(9, 11, 30), places=5)
    clash = signup_workshop(conf, "Energy poverty", at(9, 11), at(9, 12), places=5, room=1)
    after = signup_workshop(conf, "Equality", at(9, 11, 30), at(9, 12, 30), places=5, room=2)
    versions.publish(db.session, conf.event)
    signups.sign_up(db.session, first, registration)
    with pytest.raises(Conflict, match="Nature-based solutions") as caught:
        signups.sign_up(db.session, clash, registration)
    assert caught.value.code == "overlap"
    assert signups.sign_up(db.session, after, registration).status == SignUpStatus.CONFIRMED
    with pytest.raises(Conflict, match="already signed up"):
        signups.sign_up(db.session, after, registration)


def test_who_and_what_may_be_signed_up(conf, factory):
    workshop = signup_workshop(conf, "Workshop", at(9, 10), at(9, 11), places=5)
    plenary = conf.add("Plenary", at(9, 12), at(9, 13), room=1, kind="plenary")
    waiting_person = factory.registration(conf.event)
    with pytest.raises(Conflict, match="not open"):  # not published yet
        signups.sign_up(db.session, workshop, waiting_person)
    versions.publish(db.session, conf.event)
    with pytest.raises(Conflict, match="needs no sign-up"):
        signups.sign_up(db.session, plenary, waiting_person)
    waiting_person.status = "waitlisted"
    with pytest.raises(Forbidden):
        signups.sign_up(db.session, workshop, waiting_person)
    other = make_conf(factory, first_day=9, last_day=10)
    stranger = factory.registration(other.event)
    with pytest.raises(Forbidden):
        signups.sign_up(db.session, workshop, stranger)
    services.set_cancelled(db.session, workshop, True)
    with pytest.raises(Conflict, match="not open"):
        signups.sign_up(db.session, workshop, factory.registration(conf.event))
    with pytest.raises(ServiceError, match="not signed up"):
        signups.cancel_signup(db.session, workshop, stranger)


def _race(app, work, count: int) -> list[object]:
    """Run work(i) in `count` threads that start together; returns results or errors."""
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count

    def run(i: int) -> None:
        with app.app_context():
            try:
                results[i] = work(i, barrier)
                db.session.commit()
            except ServiceError as exc:
                db.session.rollback()
                results[i] = exc
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_last_places_under_concurrency(app, committed_db, factory):
    conf = make_conf(factory, first_day=9, last_day=11)
    workshop = signup_workshop(conf, "Energy poverty", at(9, 10), at(9, 11), places=3)
    versions.publish(db.session, conf.event)
    registration_ids = [factory.registration(conf.event).id for _ in range(12)]
    workshop_id = workshop.id
    db.session.commit()

    def sign(i: int, barrier: threading.Barrier):
        row = db.session.get(ProgrammeSession, workshop_id)
        registration = db.session.get(Registration, registration_ids[i])
        barrier.wait()
        return signups.sign_up(db.session, row, registration).status.value

    results = _race(app, sign, len(registration_ids))
    assert sorted(results) == ["confirmed"] * 3 + ["waitlisted"] * 9
    db.session.expire_all()
    assert statuses(db.session.get(ProgrammeSession, workshop_id)).count("confirmed") == 3


def test_one_person_cannot_take_two_overlapping_workshops_at_once(app, committed_db, factory):
    conf = make_conf(factory, first_day=9, last_day=11)
    rows = [
        signup_workshop(conf, f"Parallel {n}", at(9, 10), at(9, 11), places=20, room=n)
        for n in range(3)
    ]
    versions.publish(db.session, conf.event)
    registration_id = factory.registration(conf.event).id
    row_ids = [r.id for r in rows]
    db.session.commit()

    def sign(i: int, barrier: threading.Barrier):
        row = db.session.get(ProgrammeSession, row_ids[i])
        registration = db.session.get(Registration, registration_id)
        barrier.wait()
        return signups.sign_up(db.session, row, registration).status.value

    results = _race(app, sign, 3)
    assert results.count("confirmed") == 1
    assert all(isinstance(r, Conflict) for r in results if r != "confirmed")


def test_a_bigger_room_lets_people_off_the_waiting_list(conf, factory):
    workshop = conf.add("Heat maps", at(9, 10), at(9, 11), room=0, signup_required=True)
    conf.rooms[0].capacity = 1
    versions.publish(db.session, conf.event)
    for _ in range(3):
        signups.sign_up(db.session, workshop, factory.registration(conf.event))
    assert statuses(workshop) == ["confirmed", "waitlisted", "waitlisted"]
    room = conf.rooms[0]
    services.save_room(db.session, conf.event, room=room, name=room.name, capacity=2)
    assert statuses(workshop) == ["confirmed", "confirmed", "waitlisted"]


def _mails_of(kind: str) -> list[str]:
    return list(
        db.session.execute(select(OutboundMail.to_address).where(OutboundMail.kind == kind))
        .scalars()
        .all()
    )


def test_cancelling_a_registration_gives_up_its_workshop_places(conf, factory):
    from eventsys.registration import services as registration_services

    workshop = signup_workshop(conf, "Energy poverty", at(9, 10), at(9, 11), places=1)
    other = signup_workshop(conf, "Data", at(9, 12), at(9, 13), places=1, room=1)
    versions.publish(db.session, conf.event)
    leaving, next_in_line = factory.registration(conf.event), factory.registration(conf.event)
    signups.sign_up(db.session, workshop, leaving)
    signups.sign_up(db.session, other, leaving)
    assert signups.sign_up(db.session, workshop, next_in_line).status == "waitlisted"

    registration_services.cancel(db.session, leaving)

    assert statuses(workshop) == ["confirmed"]
    assert signups.signups_of(db.session, leaving) == {}
    assert signups.signups_of(db.session, next_in_line) == {workshop.id: "confirmed"}
    assert statuses(other) == []
    assert _mails_of("programme_signup_promoted") == [next_in_line.email]


def test_erasing_an_account_gives_up_its_workshop_places(conf, factory):
    from eventsys.privacy.services import erase_person

    workshop = signup_workshop(conf, "Energy poverty", at(9, 10), at(9, 11), places=1)
    versions.publish(db.session, conf.event)
    user = factory.user(name="Leaving Person")
    leaving = factory.registration(conf.event, user=user)
    next_in_line = factory.registration(conf.event)
    signups.sign_up(db.session, workshop, leaving)
    signups.sign_up(db.session, workshop, next_in_line)
    conf.event.ends_at = utcnow() + timedelta(days=30)  # only places at a coming event are given up

    erase_person(db.session, user)

    assert signups.signups_of(db.session, leaving) == {}
    assert signups.signups_of(db.session, next_in_line) == {workshop.id: "confirmed"}
    assert _mails_of("programme_signup_promoted") == [next_in_line.email]
