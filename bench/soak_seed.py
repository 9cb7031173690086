"""The soak's own data, written in bulk: a conference (API and form registrations), a day with
workshops and a door (sign-ups, check-in scans) and a General Assembly with an open poll."""

from __future__ import annotations

import secrets
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

FORM_PASSWORD = "soak-password-1"  # noqa: S105 (a throw-away database's accounts)
WORKSHOPS = 6
WORKSHOP_PLACES = 8
DAY_START = datetime(2031, 10, 9, 7, 0, tzinfo=UTC)


@dataclass
class Seeded:
    """What the clients and the checks need to know about the data."""

    day_slug: str = "soak-day"
    day_tokens: list[str] = field(default_factory=list)  # participant tokens, by index
    day_registrations: list[int] = field(default_factory=list)  # registration ids, same index
    badge_codes: list[tuple[int, str]] = field(default_factory=list)  # (registration, code)
    staff_tokens: list[str] = field(default_factory=list)  # two devices at the door
    workshops: dict[int, int] = field(default_factory=dict)  # session id -> places
    form_accounts: list[str] = field(default_factory=list)  # e-mails, password FORM_PASSWORD
    ga_slug: str = "soak-assembly"
    poll: int = 0
    options: list[int] = field(default_factory=list)
    voter_tokens: list[str] = field(default_factory=list)
    chair_token: str = ""


def _ids(db, statement, rows: list[dict]) -> list[int]:
    return list(db.session.execute(statement, rows).scalars())


def seed_all(database_url: str, secret_key: str, api_people: int, people: int, capacity: int):
    """The schema and all the data, in bulk; returns the conference, its API tokens and the rest."""
    from eventsys import create_app
    from eventsys.extensions import db

    app = create_app(
        {"DATABASE_URL": database_url, "SECRET_KEY": secret_key, "QUEUE_BACKEND": "memory"}
    )
    seeded = Seeded()
    with app.app_context():
        db.create_all()
        slug, tokens = _conference(db, api_people, capacity)
        _form_accounts(db, seeded, people)
        _day(db, seeded, secret_key, people)
        _assembly(db, seeded, people)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return slug, tokens, seeded


def _conference(db, people: int, capacity: int) -> tuple[str, list[str]]:
    """One open event with a capacity, and accounts with an API token each (no registration)."""
    from sqlalchemy import insert

    from eventsys.accounts.models import ApiToken, User
    from eventsys.accounts.services import token_digest
    from eventsys.db import utcnow
    from eventsys.events.services import create_event

    now = utcnow().replace(microsecond=0)
    event = create_event(
        db.session, slug="soak-conference", title="Soak Conference", timezone="Europe/Lisbon",
        starts_at=now + timedelta(days=30), ends_at=now + timedelta(days=32), capacity=capacity,
        is_published=True, city="Cascais", venue_name="Centro de Congressos",
    )  # fmt: skip
    users = _ids(
        db,
        insert(User).returning(User.id),
        [{"email": f"api{i}@soak.example.org", "display_name": f"API {i}",
          "email_confirmed_at": now} for i in range(people)],
    )  # fmt: skip
    tokens = [f"evs_api_{i}_{secrets.token_urlsafe(12)}" for i in range(people)]
    db.session.execute(
        insert(ApiToken),
        [{"user_id": u, "digest": token_digest(t), "name": "soak"}
         for u, t in zip(users, tokens, strict=True)],
    )  # fmt: skip
    return event.slug, tokens


def _form_accounts(db, seeded: Seeded, people: int) -> None:
    from sqlalchemy import insert

    from eventsys.accounts.models import User
    from eventsys.accounts.services import hash_password
    from eventsys.db import utcnow

    # One argon2 hash for all: hashing thousands would only slow the set-up.
    digest, now = hash_password(FORM_PASSWORD), utcnow()
    seeded.form_accounts = [f"form{i}@soak.example.org" for i in range(people)]
    db.session.execute(
        insert(User),
        [
            {"email": e, "display_name": f"Form {i}", "password_hash": digest,
             "email_confirmed_at": now}
            for i, e in enumerate(seeded.form_accounts)
        ],
    )  # fmt: skip


def _people(db, event, prefix: str, count: int, *, with_users: bool = True):
    """Users with API tokens and confirmed registrations; returns (tokens, user ids, reg ids)."""
    from sqlalchemy import insert

    from eventsys.accounts.models import ApiToken, User
    from eventsys.accounts.services import token_digest
    from eventsys.registration.enums import Status
    from eventsys.registration.models import Registration

    users = _ids(
        db,
        insert(User).returning(User.id),
        [{"email": f"{prefix}{i}@soak.example.org", "display_name": f"{prefix} {i}"}
         for i in range(count)],
    )  # fmt: skip
    tokens = [f"evs_{prefix}_{i}_{secrets.token_urlsafe(12)}" for i in range(count)]
    db.session.execute(
        insert(ApiToken),
        [{"user_id": u, "digest": token_digest(t), "name": "soak"}
         for u, t in zip(users, tokens, strict=True)],
    )  # fmt: skip
    category = next(c for c in event.categories if c.code == "delegate")
    registrations = _ids(
        db,
        insert(Registration).returning(Registration.id),
        [{"event_id": event.id, "user_id": u, "category_id": category.id,
          "status": Status.CONFIRMED, "email": f"{prefix}{i}@soak.example.org",
          "display_name": f"{prefix} {i}", "answers": {}}
         for i, u in enumerate(users)],
    )  # fmt: skip
    return tokens, users, registrations


def _day(db, seeded: Seeded, secret_key: str, people: int) -> None:
    from sqlalchemy import insert

    from eventsys.accounts.models import User
    from eventsys.badges import codes
    from eventsys.badges.models import BadgeCredential
    from eventsys.events.enums import RoleName
    from eventsys.events.services import create_event, grant_role
    from eventsys.programme import services, versions

    event = create_event(
        db.session, slug=seeded.day_slug, title="Soak day", timezone="Europe/Lisbon",
        starts_at=DAY_START, ends_at=DAY_START + timedelta(hours=12), is_published=True,
        venue_name="Centro de Congressos", city="Cascais",
    )  # fmt: skip
    organiser = User(email="organiser@soak.example.org", display_name="Organiser")
    staff = [User(email=f"door{i}@soak.example.org", display_name=f"Door {i}") for i in (1, 2)]
    db.session.add_all([organiser, *staff])
    db.session.flush()
    grant_role(db.session, event, organiser, RoleName.ORGANISER)
    for user in staff:
        grant_role(db.session, event, user, RoleName.CHECKIN)
    seeded.day_tokens, _users, seeded.day_registrations = _people(db, event, "day", people)
    nonces = [codes.new_nonce() for _ in seeded.day_registrations]
    db.session.execute(
        insert(BadgeCredential),
        [{"registration_id": r, "nonce": n}
         for r, n in zip(seeded.day_registrations, nonces, strict=True)],
    )  # fmt: skip
    seeded.badge_codes = [
        (r, codes.make_code(n, secret_key))
        for r, n in zip(seeded.day_registrations, nonces, strict=True)
    ]
    seeded.staff_tokens = _tokens_for(db, staff)
    room = services.save_room(db.session, event, name="Workshop room", capacity=WORKSHOP_PLACES)
    for n in range(WORKSHOPS):  # one after another: nobody's sign-ups overlap
        start = DAY_START + timedelta(hours=1 + n)
        row = services.create_session(
            db.session, event,
            services.SessionData(
                title=f"Workshop {n}", kind="workshop", starts_at=start,
                ends_at=start + timedelta(minutes=50), room_id=room.id,
                capacity=WORKSHOP_PLACES, signup_required=True,
            ),
        )  # fmt: skip
        seeded.workshops[row.id] = WORKSHOP_PLACES
    versions.publish(db.session, event, user=organiser)


def _tokens_for(db, users) -> list[str]:
    from eventsys.accounts.models import ApiToken
    from eventsys.accounts.services import token_digest

    tokens = []
    for user in users:
        token = "evs_" + secrets.token_urlsafe(24)
        db.session.add(ApiToken(user_id=user.id, digest=token_digest(token), name="soak"))
        tokens.append(token)
    db.session.flush()
    return tokens


def _assembly(db, seeded: Seeded, people: int) -> None:
    from sqlalchemy import insert

    from eventsys.accounts.models import User
    from eventsys.assembly import services
    from eventsys.assembly.models import AttendanceMark
    from eventsys.events.enums import EventKind, RoleName
    from eventsys.events.services import create_event, grant_role
    from eventsys.organisations.models import Membership, Organisation, OrganisationKind

    network = Organisation(name="Soak network", kind=OrganisationKind.NETWORK)
    chair = User(email="chair@soak.example.org", display_name="Chair")
    db.session.add_all([network, chair])
    db.session.flush()
    event = create_event(
        db.session, slug=seeded.ga_slug, title="Soak assembly", timezone="Europe/Lisbon",
        starts_at=DAY_START, ends_at=DAY_START + timedelta(hours=8),
        kind=EventKind.GENERAL_ASSEMBLY, host_organisation_id=network.id, is_published=True,
    )  # fmt: skip
    grant_role(db.session, event, chair, RoleName.ORGANISER)
    towns = _ids(
        db,
        insert(Organisation).returning(Organisation.id),
        [{"name": f"Soak town {i:05d}", "kind": "municipality"} for i in range(people)],
    )
    db.session.execute(
        insert(Membership),
        [{"network_id": network.id, "member_id": t, "started_on": date(2020, 1, 1)}
         for t in towns],
    )  # fmt: skip
    seeded.voter_tokens, _users, registrations = _people(db, event, "delegate", people)
    assembly = services.create_assembly(
        db.session, event, network, held_on=DAY_START.date(), max_proxies=1
    )
    rights = {r.member_id: r for r in assembly.rights}
    for town, registration in zip(towns, registrations, strict=True):
        rights[town].delegate_registration_id = registration
    db.session.execute(
        insert(AttendanceMark),
        [{"assembly_id": assembly.id, "registration_id": r, "present": True}
         for r in registrations],
    )  # fmt: skip
    seeded.chair_token = _tokens_for(db, [chair])[0]
    motion = services.create_motion(
        db.session, assembly, kind="resolution", title="Adopt the soak plan"
    )
    poll = services.create_poll(db.session, motion, majority_rule="simple")
    services.open_poll(db.session, poll, upload_dir=tempfile.gettempdir())
    seeded.poll = poll.id
    seeded.options = [o.id for o in poll.options]
