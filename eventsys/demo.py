"""Demo data of the real events: Cascais 2024 (conference + General Assembly) and Baku 2024 (COP29).

`eventsys demo` loads it once; a second run finds it and changes nothing.
"""

from __future__ import annotations

import importlib
import itertools
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import click
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.orm import Session

from eventsys.accounts.models import User
from eventsys.accounts.services import create_user
from eventsys.db import utcnow
from eventsys.demo_people import PEOPLE, SOUTH
from eventsys.events.enums import EventKind, QuestionKind, RoleName
from eventsys.events.models import Event, EventRole, Question
from eventsys.events.services import create_event, grant_role
from eventsys.extensions import db
from eventsys.organisations.models import Membership, Organisation, OrganisationKind
from eventsys.registration.enums import Status, Visibility
from eventsys.registration.models import Registration

DEMO_PASSWORD = "demo"
DEMO_ACCOUNTS = (
    ("admin@example.org", "Ana Administradora", True),
    ("organiser@example.org", "Olga Organizer", False),
    ("participant@example.org", "Pedro Participante", False),
    ("delegate@example.org", "Daniela Delegada", False),
)
# The calls for proposals' reviewers (proposals/demo.py gives them their events).
DEMO_REVIEWERS = (
    ("reviewer@example.org", "Rita Revisora"),
    ("reviewer2@example.org", "Ivan Recenzent"),
    ("reviewer3@example.org", "Nora Gutachterin"),
)
# Areas that add their own demo data, in order; each has demo.py with load(session, ctx).
AREA_DEMOS: tuple[str, ...] = (
    "events",
    "i18n",
    "registration",
    "programme",
    "assembly",
    "badges",
    "declarations",
    "mailings",
    "proposals",
)


@dataclass
class DemoContext:
    admin: User
    organiser: User
    participant: User
    cascais: Event
    baku: Event
    network: Organisation
    members: list[Organisation]
    registrations: dict[str, list[Registration]] = field(default_factory=dict)


def _local(year: int, month: int, day: int, hour: int, minute: int, zone: str) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(zone))


def demo_loaded(session: Session) -> bool:
    return session.execute(select(Event.id).where(Event.slug == "cascais-2024")).first() is not None


def load_demo(session: Session, *, seed: int = 2024) -> DemoContext | None:
    """Loads everything once; returns None when the demo is already there."""
    if demo_loaded(session):
        return None
    rng = random.Random(seed)
    admin, organiser, participant = _accounts(session)
    network, members = _network(session, rng)
    cascais = _cascais(session, network)
    baku = _baku(session)
    ctx = DemoContext(admin, organiser, participant, cascais, baku, network, members)
    ctx.registrations["cascais-2024"] = _cascais_people(session, cascais, members, participant, rng)
    ctx.registrations["baku-2024-south-south"] = _baku_people(session, baku, rng)
    workshop = _next_edition(session, network, rng)
    # The demo organiser runs every demo event, the upcoming workshop too.
    for event in (cascais, baku, workshop):
        grant_role(session, event, organiser, RoleName.ORGANISER)
        grant_role(session, event, organiser, RoleName.CHECKIN)
    session.flush()
    for area in AREA_DEMOS:
        importlib.import_module(f"eventsys.{area}.demo").load(session, ctx)
        session.flush()
    return ctx


def _accounts(session: Session) -> tuple[User, User, User]:
    users = []
    for email, name, is_admin in DEMO_ACCOUNTS:
        user = create_user(
            session,
            email=email,
            password=DEMO_PASSWORD,
            display_name=name,
            is_admin=is_admin,
            confirmed=True,
            enforce_password_policy=False,
        )
        users.append(user)
    return users[0], users[1], users[2]


def _network(session: Session, rng: random.Random) -> tuple[Organisation, list[Organisation]]:
    network = Organisation(
        name="Climate Alliance",
        short_name="CA",
        kind=OrganisationKind.NETWORK,
        country="DE",
        city="Frankfurt am Main",
        website="https://www.climatealliance.org",
    )
    session.add(network)
    members = []
    for country, data in PEOPLE.items():
        for town in data["towns"]:
            town_org = Organisation(
                name=town, kind=OrganisationKind.MUNICIPALITY, country=country, city=town
            )
            members.append(town_org)
            session.add(town_org)
    for country in ("DE", "AT", "IT"):
        members.append(
            Organisation(
                name=f"Climate Alliance {country}", kind=OrganisationKind.NETWORK, country=country
            )
        )
        session.add(members[-1])
    session.flush()
    for member in members:
        joined = date(rng.randint(1992, 2020), rng.randint(1, 12), 1)
        session.add(Membership(network=network, member=member, started_on=joined))
    return network, members


def _cascais(session: Session, network: Organisation) -> Event:
    zone = "Europe/Lisbon"
    event = create_event(
        session,
        slug="cascais-2024",
        title="Climate Alliance International Conference 2024",
        title_translations={"pt": "Conferência Internacional da Aliança para o Clima 2024"},
        description=(
            "Three days in Cascais for the towns, cities and regions of Climate Alliance: "
            "plenaries and parallel interactive workshops on nature-based solutions, energy "
            "poverty, equality in the transition and data for municipal planning.\n\n"
            "The General Assembly meets on the last day and votes on admitting a new member "
            "network."
        ),
        description_translations={
            "pt": "Três dias em Cascais para as vilas, cidades e regiões da Aliança para o Clima: "
            "sessões plenárias e workshops paralelos sobre soluções baseadas na natureza, pobreza "
            "energética, igualdade na transição e dados para o planeamento municipal.\n\n"
            "A Assembleia Geral reúne no último dia e vota a admissão de uma nova rede membro."
        },
        kind=EventKind.CONFERENCE,
        timezone=zone,
        starts_at=_local(2024, 10, 9, 9, 0, zone),
        ends_at=_local(2024, 10, 11, 18, 0, zone),
        venue_name="Centro de Congressos do Estoril",
        venue_address="Avenida Clotilde",
        city="Cascais",
        country="PT",
        default_locale="en",
        languages=["en", "pt"],
        registration_opens_at=_local(2024, 5, 1, 9, 0, zone),
        registration_closes_at=_local(2024, 10, 4, 23, 59, zone),
        capacity=450,
        is_published=True,
        participant_list_enabled=True,
        host_organisation_id=network.id,
    )
    # The languages printed on the badges are the badges demo's question (one per badge), the
    # workshop and Assembly questions the events demo's: each question is added once, here or there.
    event.questions = [
        Question(
            label="Dietary needs",
            kind=QuestionKind.SINGLE_CHOICE,
            options=["None", "Vegetarian", "Vegan", "Halal", "Gluten-free"],
            position=0,
        ),
        Question(
            label="I join the field trip to the Sintra-Cascais natural park",
            kind=QuestionKind.YES_NO,
            position=1,
        ),
    ]
    session.flush()
    return event


def _baku(session: Session) -> Event:
    zone = "Asia/Baku"
    event = create_event(
        session,
        slug="baku-2024-south-south",
        title="NGO Conference on South-South Cooperation for Climate Action",
        description=(
            "A side event of COP29 in Baku: NGOs from the countries of the South share what works, "
            "and open a declaration on South-South cooperation for signature."
        ),
        kind=EventKind.SIDE_EVENT,
        timezone=zone,
        starts_at=_local(2024, 11, 15, 10, 0, zone),
        ends_at=_local(2024, 11, 15, 18, 0, zone),
        venue_name="Baku Stadium, COP29 venue",
        city="Baku",
        country="AZ",
        languages=["en", "ru"],
        registration_opens_at=_local(2024, 9, 1, 9, 0, zone),
        registration_closes_at=_local(2024, 11, 14, 18, 0, zone),
        capacity=300,
        requires_approval=True,
        is_published=True,
    )
    event.questions = [
        Question(
            label="Your NGO's field of work", kind=QuestionKind.TEXT, required=True, position=0
        ),
        Question(label="Country you work in", kind=QuestionKind.COUNTRY, position=1),
    ]
    session.flush()
    return event


def _people(names: list, rng: random.Random, count: int) -> list[tuple[str, str | None]]:
    """`count` distinct display names, each with its Latin spelling when the script differs."""

    def latin_parts(entry: tuple) -> tuple[str, str]:
        if len(entry) > 2 and entry[2]:
            given, _, surname = entry[2].partition(" ")
            return given, surname
        return entry[0], entry[1]

    givens = [(entry[0], latin_parts(entry)[0]) for entry in names]
    surnames = [(entry[1], latin_parts(entry)[1]) for entry in names]
    pool = []
    for (given, latin_given), (surname, latin_surname) in itertools.product(givens, surnames):
        name, latin = f"{given} {surname}", f"{latin_given} {latin_surname}"
        pool.append((name, None if latin == name else latin))
    rng.shuffle(pool)
    return pool[:count]


def _email(n: int, domain: str) -> str:
    return f"demo.{n}@{domain}"


def _cascais_people(
    session: Session,
    event: Event,
    members: list[Organisation],
    participant: User,
    rng: random.Random,
) -> list[Registration]:
    categories = {c.code: c for c in event.categories}
    towns_by_country: dict[str, list[Organisation]] = {}
    for member in members:
        towns_by_country.setdefault(member.country or "", []).append(member)
    registrations = [
        Registration(
            event=event,
            user=participant,
            category=categories["delegate"],
            status=Status.CONFIRMED,
            email=participant.email,
            display_name=participant.display_name,
            organisation_name="Cascais",
            country="PT",
            visibility=Visibility.PARTICIPANTS,
            answers={},
            email_confirmed_at=utcnow(),
            confirmed_at=utcnow(),
        )
    ]
    n = 0
    per_country = 16  # 25 countries, about 400 people
    for country, data in PEOPLE.items():
        for display_name, latin in _people(data["names"], rng, per_country):
            n += 1
            town = rng.choice(towns_by_country.get(country) or members)
            code = rng.choices(
                ["delegate", "observer", "speaker", "press", "guest"], [60, 20, 10, 4, 6]
            )[0]
            registrations.append(
                Registration(
                    event=event,
                    category=categories[code],
                    status=Status.CONFIRMED,
                    email=_email(n, "cascais.example.org"),
                    display_name=display_name,
                    latin_name=latin,
                    organisation_name=town.name,
                    organisation_id=town.id,
                    country=country,
                    visibility=rng.choice(list(Visibility)),
                    show_organisation=True,
                    show_country=rng.random() > 0.05,
                    answers={},
                    email_confirmed_at=utcnow(),
                    confirmed_at=utcnow(),
                )
            )
    session.add_all(registrations)
    session.flush()
    diet = event.questions[0]
    for registration in registrations:
        # Two drawn from five, as when this answered the languages question: the rest of the
        # demo comes from the same generator and stays as it was.
        choice = rng.sample(["None", "Vegetarian", "None", "Vegan", "Halal"], 2)[0]
        registration.answers = {str(diet.id): choice}
    return registrations


def _baku_people(session: Session, event: Event, rng: random.Random) -> list[Registration]:
    categories = {c.code: c for c in event.categories}
    field_question = event.questions[0]
    fields_of_work = [
        "Climate finance",
        "Adaptation in drylands",
        "Clean cooking",
        "Mangrove restoration",
        "Indigenous land rights",
        "Youth climate education",
        "Loss and damage",
    ]
    registrations = []
    n = 0
    for country, names in SOUTH.items():
        for display_name, latin in _people(names, rng, 6):
            n += 1
            status = Status.CONFIRMED if n % 7 else Status.PENDING
            registrations.append(
                Registration(
                    event=event,
                    category=categories[rng.choice(["delegate", "observer", "speaker"])],
                    status=status,
                    email=_email(n, "baku.example.org"),
                    display_name=display_name,
                    latin_name=latin,
                    organisation_name=f"{country} Climate Action Network",
                    country=country,
                    visibility=rng.choice(list(Visibility)),
                    answers={str(field_question.id): rng.choice(fields_of_work)},
                    email_confirmed_at=utcnow(),
                    confirmed_at=utcnow() if status == Status.CONFIRMED else None,
                )
            )
    session.add_all(registrations)
    session.flush()
    return [r for r in registrations if r.status == Status.CONFIRMED]


def _next_edition(session: Session, network: Organisation, rng: random.Random) -> Event:
    """An upcoming event with open registration, nearly full, to try registering and waitlisting."""
    zone = "Europe/Lisbon"
    today = utcnow().astimezone(ZoneInfo(zone)).date()
    start = today.replace(day=1) + timedelta(days=120)
    event = create_event(
        session,
        slug="climate-alliance-workshop-next",
        title="Climate Alliance Energy Poverty Workshop",
        description="A one-day workshop for member towns on energy poverty and fair renovation. "
        "When its 30 places are taken, a waiting list opens.",
        timezone=zone,
        starts_at=_local(start.year, start.month, start.day, 9, 30, zone),
        ends_at=_local(start.year, start.month, start.day, 17, 0, zone),
        venue_name="Câmara Municipal de Almada",
        city="Almada",
        country="PT",
        languages=["en", "pt"],
        registration_closes_at=_local(start.year, start.month, start.day, 0, 0, zone)
        - timedelta(days=3),
        capacity=30,
        is_published=True,
        host_organisation_id=network.id,
    )
    delegate = next(c for c in event.categories if c.code == "delegate")
    for n, (display_name, latin) in enumerate(
        _people(PEOPLE["PT"]["names"] + PEOPLE["RO"]["names"], rng, 27)
    ):
        session.add(
            Registration(
                event=event,
                category=delegate,
                status=Status.CONFIRMED,
                email=_email(n, "workshop.example.org"),
                display_name=display_name,
                latin_name=latin,
                organisation_name="Almada",
                country="PT",
                answers={},
                email_confirmed_at=utcnow(),
                confirmed_at=utcnow(),
            )
        )
    return event


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Load the demo events (Cascais 2024, Baku 2024) with participants; safe to run twice."""
    ctx = load_demo(db.session)
    if ctx is None:
        click.echo("The demo data is already loaded; nothing changed.")
    else:
        db.session.commit()
        counts = {slug: len(rows) for slug, rows in ctx.registrations.items()}
        click.echo(f"Demo data loaded: {counts}")
    click.echo("Demo events:")
    for slug, title in db.session.execute(
        select(Event.slug, Event.title).where(Event.parent_id.is_(None)).order_by(Event.starts_at)
    ):
        click.echo(f"  /events/{slug}/  {title}")
    click.echo("Demo accounts (password 'demo'):")
    for email, _name, is_admin in DEMO_ACCOUNTS:
        role = (
            "administrator"
            if is_admin
            else "organiser of every demo event"
            if "organiser" in email
            else "delegate at the Cascais Assembly"
            if "delegate" in email
            else "participant, Cascais's delegate at its Assembly"
        )
        click.echo(f"  {email:<26} {role}")
    for email, _name in DEMO_REVIEWERS:
        reviewed = ", ".join(_reviewed_events(db.session, email))
        click.echo(f"  {email:<26} proposals reviewer: {reviewed or 'no event yet'}")


def _reviewed_events(session: Session, email: str) -> list[str]:
    """The slugs of the events whose proposals the account reviews, the earliest first."""
    return list(
        session.execute(
            select(Event.slug)
            .join(EventRole, EventRole.event_id == Event.id)
            .join(User, User.id == EventRole.user_id)
            .where(User.email == email, EventRole.role == RoleName.REVIEWER)
            .order_by(Event.starts_at)
        ).scalars()
    )
