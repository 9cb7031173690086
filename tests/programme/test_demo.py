"""The Cascais demo programme, loaded against a small context built with the factories."""

from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import func, select

from eventsys.extensions import db
from eventsys.programme import demo, personal, services, versions
from eventsys.programme.models import ProgrammeSession, SessionKind, SignUp
from tests.programme.conftest import at


def test_demo_gives_cascais_its_programme(factory):
    organiser, participant = factory.user(name="Organiser"), factory.user(name="Participant")
    cascais = factory.event("cascais-2024-demo-test", organiser=organiser, starts_at=at(9, 8),
                            days=1)  # fmt: skip
    cascais.ends_at = at(11, 19)
    registrations = [factory.registration(cascais, user=participant)] + [
        factory.registration(cascais, name=f"Delegate {i}") for i in range(40)
    ]
    ctx = SimpleNamespace(
        organiser=organiser, participant=participant, cascais=cascais,
        registrations={cascais.slug: registrations},
    )  # fmt: skip
    demo.load(db.session, ctx)

    programme = services.load_programme(db.session, cascais)
    workshops = [r for r in programme.sessions if r.kind == SessionKind.WORKSHOP]
    assert len(workshops) >= 24
    assert len({r.room_id for r in workshops}) == 6
    assert {r.track.name for r in workshops} == {
        "Nature-based solutions", "Energy poverty", "Equality in the transition",
        "Data for municipal planning",
    }  # fmt: skip
    assembly = [r for r in programme.sessions if r.kind == SessionKind.GENERAL_ASSEMBLY]
    assert [r.starts_at.date() for r in assembly] == [at(11, 9).date()]
    # Room and speaker clashes would be the demo's own mistakes.
    kinds = {w.kind for w in services.conflicts_of(programme)}
    assert not kinds & {"room_double_booked", "speaker_double_booked", "outside_room_hours",
                        "outside_event", "attendee_overlap", "over_capacity"}  # fmt: skip
    signups = db.session.execute(
        select(func.count(SignUp.id))
        .join(ProgrammeSession, ProgrammeSession.id == SignUp.session_id)
        .where(ProgrammeSession.event_id == cascais.id)
    ).scalar_one()
    assert signups >= 40
    assert "signed_up" in str(personal.agenda_reasons(db.session, cascais, participant,
                                                      registrations[0]))  # fmt: skip
    assert [v.number for v in versions.versions_of(db.session, cascais)] == [2, 1]
