"""Demo: the General Assembly of CAN EECCA, a network of 50 member NGOs in 11 countries of
Eastern Europe, the Caucasus and Central Asia, held in Tbilisi in Russian.

Several members cannot travel: their delegates follow online and vote from there (the
statutes count remote presence for the quorum). The agenda is half done: reports and a budget
adopted, the Coordination Council elected; the resolution on a just energy transition is open
for debate, its poll ready for the live demo.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from eventsys.assembly import services
from eventsys.assembly.agenda import services as agenda
from eventsys.assembly.agenda.demo import attach_pdf, record_item
from eventsys.assembly.demo_polls import present_ballots, vote
from eventsys.assembly.models import Assembly, Poll, VotingRight
from eventsys.db import utcnow
from eventsys.events.enums import EventKind, RoleName
from eventsys.events.models import Event
from eventsys.events.services import create_event, grant_role
from eventsys.organisations.models import Membership, Organisation, OrganisationKind
from eventsys.registration.enums import Status, Visibility
from eventsys.registration.models import Registration

SLUG = "can-eecca-assembly-2024"
ZONE = "Asia/Tbilisi"
# 11 countries, 50 members: (country, cities in Russian, members)
COUNTRIES = (
    ("AM", ("Ереван", "Гюмри", "Ванадзор"), 4),
    ("AZ", ("Баку", "Гянджа"), 4),
    ("BY", ("Минск", "Гродно", "Брест"), 4),
    ("GE", ("Тбилиси", "Кутаиси", "Батуми"), 5),
    ("KZ", ("Алматы", "Астана", "Караганда"), 6),
    ("KG", ("Бишкек", "Ош", "Каракол"), 5),
    ("MD", ("Кишинёв", "Бельцы"), 4),
    ("RU", ("Москва", "Санкт-Петербург", "Новосибирск"), 5),
    ("TJ", ("Душанбе", "Худжанд"), 4),
    ("UA", ("Киев", "Харьков", "Одесса", "Львов"), 5),
    ("UZ", ("Ташкент", "Самарканд", "Нукус"), 4),
)
NGO_FORMS = (
    "Экологический центр «{}»",
    "Общественное объединение «{}»",
    "Фонд «{}»",
    "Ассоциация «{}»",
    "Молодёжная экологическая сеть «{}»",
)
NGO_NAMES = (
    "Зелёный мир",
    "Эко-Альянс",
    "Чистый воздух",
    "Климат и люди",
    "Родник",
    "Экосфера",
    "Живая вода",
    "Солнечная энергия",
    "Зелёная долина",
    "Экоправо",
)
WOMEN = ("Анна", "Гульнара", "Елена", "Зарина", "Ирина", "Нино", "Светлана", "Юлия", "Асель")
MEN = ("Арман", "Давид", "Михаил", "Олег", "Рустам", "Тимур", "Фарид", "Виктор", "Гиорги")
# (his, her) surname
SURNAMES = (("Абдуллаев", "Абдуллаева"), ("Беридзе", "Беридзе"), ("Григорян", "Григорян"),
            ("Иванов", "Иванова"), ("Касымов", "Касымова"), ("Мамедов", "Мамедова"),
            ("Нурланов", "Нурланова"), ("Петренко", "Петренко"), ("Рахимов", "Рахимова"),
            ("Сидоренко", "Сидоренко"), ("Тоиров", "Тоирова"), ("Усенов", "Усенова"),
            ("Цой", "Цой"))  # fmt: skip
REMOTE = 7  # delegates who follow online
PROXIES = 3
ABSENT = 4


def load(session: Session, ctx: Any) -> Assembly | None:
    """Loads the second demo Assembly once; does nothing if it is there."""
    if session.execute(select(Event.id).where(Event.slug == SLUG)).first():
        return None
    rng = random.Random(SLUG)
    network, members = _network(session)
    event = _event(session, network)
    organiser = getattr(ctx, "organiser", None)
    if organiser is not None:
        grant_role(session, event, organiser, RoleName.ORGANISER)
    delegates = _delegates(session, event, members, rng)
    held_on = date(2024, 11, 22)
    assembly = services.create_assembly(
        session,
        event,
        network,
        held_on=held_on,
        title="Генеральная ассамблея CAN EECCA 2024",
        max_proxies=1,
        quorum_percent=50,
    )
    assembly.remote_counts_for_quorum = True
    rights = _appoint(session, assembly, delegates)
    _attendance(session, assembly, rights)
    _agenda(session, assembly, rights, rng, held_on)
    session.flush()
    return assembly


def _network(session: Session) -> tuple[Organisation, list[Organisation]]:
    network = Organisation(
        name="Сеть климатических действий Восточной Европы, Кавказа и Центральной Азии",
        short_name="CAN EECCA",
        kind=OrganisationKind.NETWORK,
        country="GE",
        city="Тбилиси",
        website="https://caneecca.org",
    )
    session.add(network)
    session.flush()
    members = []
    n = 0
    for country, cities, count in COUNTRIES:
        for i in range(count):
            form = NGO_FORMS[(n // len(NGO_NAMES)) % len(NGO_FORMS)]  # 50 distinct names
            name = NGO_NAMES[n % len(NGO_NAMES)]
            city = cities[i % len(cities)]
            members.append(
                Organisation(
                    name=f"{form.format(name)}, {city}",
                    kind=OrganisationKind.NGO,
                    country=country,
                    city=city,
                )
            )
            n += 1
    session.add_all(members)
    session.flush()
    session.add_all(
        Membership(network_id=network.id, member_id=m.id, started_on=date(2008 + i % 15, 3, 1))
        for i, m in enumerate(members)
    )
    session.flush()
    return network, members


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(ZONE))


def _event(session: Session, network: Organisation) -> Event:
    return create_event(
        session,
        slug=SLUG,
        title="Генеральная ассамблея CAN EECCA 2024",
        description=(
            "Ежегодная Генеральная ассамблея Сети климатических действий Восточной Европы, "
            "Кавказа и Центральной Азии: отчёты, бюджет, выборы Координационного совета и "
            "резолюция о справедливом энергетическом переходе. Делегаты, которые не могут "
            "приехать в Тбилиси, участвуют и голосуют онлайн."
        ),
        kind=EventKind.GENERAL_ASSEMBLY,
        timezone=ZONE,
        starts_at=_local(date(2024, 11, 22), 9),
        ends_at=_local(date(2024, 11, 22), 18),
        venue_name="Конференц-центр «Рустави»",
        city="Тбилиси",
        country="GE",
        languages=["ru"],
        default_locale="ru",
        host_organisation_id=network.id,
        registration_opens_at=_local(date(2024, 9, 1), 9),
        registration_closes_at=_local(date(2024, 11, 20), 18),
        capacity=120,
        is_published=True,
    )


def _delegates(
    session: Session, event: Event, members: list[Organisation], rng: random.Random
) -> list[Registration]:
    category = next(c for c in event.categories if c.code == "delegate")
    pool = [f"{given} {his}" for given in MEN for his, _her in SURNAMES]
    pool += [f"{given} {her}" for given in WOMEN for _his, her in SURNAMES]
    rng.shuffle(pool)
    registrations = [
        Registration(
            event=event,
            category=category,
            status=Status.CONFIRMED,
            email=f"demo.{n}@eecca.example.org",
            display_name=pool[n],
            organisation_id=member.id,
            organisation_name=member.name,
            country=member.country,
            visibility=Visibility.PARTICIPANTS,
            answers={},
            email_confirmed_at=utcnow(),
            confirmed_at=utcnow(),
        )
        for n, member in enumerate(members)
    ]
    session.add_all(registrations)
    session.flush()
    return registrations


def _appoint(
    session: Session, assembly: Assembly, delegates: list[Registration]
) -> list[tuple[VotingRight, Registration]]:
    by_member = {right.member_id: right for right in assembly.rights}
    appointed = []
    for registration in delegates:
        right = by_member[registration.organisation_id or 0]
        services.appoint_delegate(session, assembly, right, registration)
        appointed.append((right, registration))
    return appointed


def _attendance(
    session: Session, assembly: Assembly, rights: list[tuple[VotingRight, Registration]]
) -> None:
    """From the end of the list: proxies, then absent delegates; every fifth of the others
    follows online (up to REMOTE); the rest are in the hall."""
    givers = rights[-PROXIES:]
    for (giver, _r), (holder, _h) in zip(givers, rights[:PROXIES], strict=True):
        services.set_proxy(session, assembly, giver, holder)
    absent = {registration.id for _right, registration in rights[-PROXIES - ABSENT : -PROXIES]}
    remote = 0
    for index, (_right, registration) in enumerate(rights[: -PROXIES - ABSENT]):
        online = index % 5 == 4 and remote < REMOTE
        remote += online
        services.mark_attendance(
            session, assembly, registration, True, mode="remote" if online else "hall"
        )
    for _right, registration in rights:
        if registration.id in absent:
            services.mark_attendance(session, assembly, registration, False)


def _agenda(
    session: Session,
    assembly: Assembly,
    rights: list[tuple[VotingRight, Registration]],
    rng: random.Random,
    day: date,
) -> None:
    people = [registration for _right, registration in rights[:30]]
    upload_dir = current_app.config["UPLOAD_DIR"]

    def item(kind: str, title: str, **kw: Any):
        return agenda.create_item(session, assembly, kind=kind, title=title, **kw)

    opening = item("other", "Открытие Ассамблеи, кворум и утверждение повестки дня")
    record_item(session, opening, [(people[0], 110)], _local(day, 10), _local(day, 10, 15))
    report = item(
        "report",
        "Отчёт Координационного совета за 2023–2024 годы",
        text="Докладывает координатор сети; отчёт ревизионной комиссии прилагается.",
    )
    attach_pdf(session, report, "otchet-koordinacionnogo-soveta-2024.pdf",
               "Отчёт Координационного совета",
               "За отчётный период сеть провела четыре региональные встречи, подготовила позицию "
               "к COP29 и приняла в свои ряды шесть новых организаций.")  # fmt: skip
    record_item(session, report, [(people[3], 240), (people[7], 150), (people[12], 175)],
                _local(day, 10, 15), _local(day, 11, 0))  # fmt: skip
    budget = services.create_motion(
        session, assembly, kind="resolution", title="Утвердить бюджет сети на 2025 год",
        text="Ассамблея утверждает бюджет сети на 2025 год в представленной редакции.",
    )  # fmt: skip
    budget_item = item("motion", "", motion_id=budget.id, speaking_seconds=120)
    record_item(session, budget_item, [(people[5], 100), (people[9], 80)],
                _local(day, 11, 0), _local(day, 11, 30))  # fmt: skip
    poll = _vote(session, budget, rng, upload_dir, [("yes", 0.85), ("no", 0.05), ("abstain", 1)])
    poll.opened_at, poll.closed_at = _local(day, 11, 20), _local(day, 11, 28)
    election = services.create_motion(
        session, assembly, kind="election", title="Выборы Координационного совета",
        text="Избираются три члена Координационного совета на два года.",
    )  # fmt: skip
    council = item("election", "", motion_id=election.id)
    record_item(session, council, [(people[2], 90), (people[14], 90), (people[21], 90)],
                _local(day, 11, 45), _local(day, 12, 30))  # fmt: skip
    candidates = ["Нино Беридзе", "Арман Касымов", "Ирина Петренко", "Тимур Тоиров"]
    poll = _election(session, election, candidates, rng, upload_dir)
    poll.opened_at, poll.closed_at = _local(day, 12, 15), _local(day, 12, 28)
    resolution = services.create_motion(
        session, assembly, kind="resolution",
        title="Резолюция о справедливом энергетическом переходе в регионе ВЕКЦА",
        text="Ассамблея призывает правительства стран региона принять планы отказа от угля "
        "и поддержать сообщества, зависящие от ископаемого топлива.",
    )  # fmt: skip
    services.create_poll(session, resolution, majority_rule="simple", base="cast")
    debate = item("motion", "", motion_id=resolution.id)
    agenda.open_item(session, debate)
    debate.opened_at = _local(day, 14, 0)
    for registration in (people[4], people[17], people[25]):
        agenda.add_speaker(session, debate, registration)
    item("other", "Разное")


def _vote(session: Session, motion, rng: random.Random, upload_dir: str, split) -> Poll:
    poll = services.create_poll(session, motion, majority_rule="simple", base="cast")
    return vote(session, poll, rng, split, upload_dir)


def _election(
    session: Session, motion, candidates: list[str], rng: random.Random, upload_dir: str
) -> Poll:
    poll = services.create_poll(
        session, motion, candidates=candidates, max_choices=3, seats=3, majority_rule="simple"
    )
    services.open_poll(session, poll, upload_dir=upload_dir)
    ids = [option.id for option in poll.options if option.key == "candidate"]
    weights = [0.9, 0.8, 0.6, 0.35]
    for ballot in present_ballots(session, poll):
        chosen = [i for i, w in zip(ids, weights, strict=True) if rng.random() < w][:3]
        services.record_ballots(session, poll.id, True, [ballot], chosen, cast_by_id=None)
    return services.close_poll(session, poll.id)
