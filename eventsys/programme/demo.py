"""The Cascais conference's programme for the demo: plenaries, 24 parallel workshops in six
rooms on the conference's four themes, the General Assembly on the last day, and sign-ups."""

from __future__ import annotations

import contextlib
import random
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from eventsys.errors import ServiceError
from eventsys.events.models import Event
from eventsys.i18n import local_to_utc
from eventsys.programme import personal, services, signups, versions
from eventsys.programme.demo_texts import (
    BAKU_ROOMS,
    BAKU_SESSIONS,
    BAKU_TRACKS,
    ROOMS_PT,
    TRACKS_PT,
    description_pt,
    title_pt,
    workshop_description_pt,
)
from eventsys.programme.services import SessionData, SpeakerData

AUDITORIUM = ("Auditório Principal", 450)
WORKSHOP_ROOMS = (
    ("Sala Atlântico", 40),
    ("Sala Guincho", 35),
    ("Sala Cidadela", 30),
    ("Sala Boca do Inferno", 30),
    ("Sala Sintra", 25),
    ("Sala Estoril", 35),
)
TRACKS = (
    ("Nature-based solutions", "#1f6f43"),
    ("Energy poverty", "#b5512c"),
    ("Equality in the transition", "#6b3fa0"),
    ("Data for municipal planning", "#2b5d9b"),
)
WORKSHOPS = {
    "Nature-based solutions": (
        "Urban forests against heat waves",
        "Sponge cities: rain gardens and permeable streets",
        "Restoring river banks with neighbours",
        "Coastal dunes as climate defence",
        "Green roofs on public buildings",
        "Financing nature in municipal budgets",
    ),
    "Energy poverty": (
        "Warm homes: renovation one-stop shops",
        "Energy advice at the town hall counter",
        "Energy communities in social housing",
        "Fair tariffs and disconnection bans",
        "Cold homes in the south: summer energy poverty",
        "Measuring energy poverty street by street",
    ),
    "Equality in the transition": (
        "Women in municipal climate leadership",
        "Indigenous partners in climate alliances",
        "Just transition for coal regions",
        "Youth councils and climate budgets",
        "Accessible public transport for all",
        "Migrant communities and climate information",
    ),
    "Data for municipal planning": (
        "Municipal emission inventories made simple",
        "Open data for local climate action",
        "Heat maps for urban planning",
        "Tracking the 95% target from 1990 to 2050",
        "Mobility data and car-free centres",
        "Climate risk dashboards for councils",
    ),
}
SPEAKERS = (
    "Ana Rodrigues", "Jan Novák", "Олена Коваленко", "Leyla Məmmədova", "Pierre Lefèvre",
    "Katarzyna Wiśniewska", "Mikael Lindqvist", "Giulia Bianchi", "Sofía Herrera",
    "Hans Müller", "Aigerim Nurlanova", "Tomás Ó Briain", "Rania Haddad", "Eva Horváth",
    "João Pereira", "Ingrid Berg", "Марина Соколова", "Luis Fernández", "Nadia Benali",
    "Piotr Zieliński", "Chiara Romano", "Elif Yılmaz", "Kofi Mensah", "Marta Costa",
)  # fmt: skip
# (day index, start, end) of the four workshop rounds.
ROUNDS = (
    (0, "11:30", "13:00"),
    (0, "14:30", "16:00"),
    (1, "11:00", "12:30"),
    (1, "14:00", "15:30"),
)


def _at(day: date, clock: str, zone: str) -> datetime:
    return local_to_utc(datetime.combine(day, time.fromisoformat(clock)), zone)


def load(session: Session, ctx: Any) -> None:
    event = ctx.cascais
    zone = event.timezone
    first = event.starts_at.astimezone(ZoneInfo(zone)).date()
    days = [first + timedelta(days=n) for n in range(3)]
    auditorium = services.save_room(
        session, event, name=AUDITORIUM[0], capacity=AUDITORIUM[1],
        opens_at=time(8, 0), closes_at=time(20, 0),
    )  # fmt: skip
    rooms = [
        services.save_room(
            session,
            event,
            name=name,
            capacity=capacity,
            opens_at=time(8, 30),
            closes_at=time(19, 0),
        )  # fmt: skip
        for name, capacity in WORKSHOP_ROOMS
    ]
    foyer = services.save_room(session, event, name="Foyer", opens_at=time(8, 0),
                               name_translations={"pt": ROOMS_PT["Foyer"]})  # fmt: skip
    tracks = {
        name: services.save_track(session, event, name=name, colour=c,
                                  name_translations={"pt": TRACKS_PT[name]})
        for name, c in TRACKS
    }  # fmt: skip

    def add(title: str, kind: str, day: int, start: str, end: str, room, **kw):
        description = kw.get("description", "")
        kw.setdefault("description_translations", description_pt(description))
        data = SessionData(
            title=title, kind=kind, starts_at=_at(days[day], start, zone),
            ends_at=_at(days[day], end, zone), room_id=room.id if room else None,
            language=kw.pop("language", "en"), title_translations=title_pt(title), **kw,
        )  # fmt: skip
        return services.create_session(session, event, data)

    _plenaries(add, auditorium, foyer, ctx)
    workshops = _workshops(add, rooms, tracks)
    versions.publish(session, event, user=ctx.organiser, comment="The conference programme.")
    _sign_ups(session, ctx, workshops)
    _second_version(session, event, ctx, workshops, rooms)
    _workshop_day(session, ctx)
    _baku(session, ctx)


def _plenaries(add, auditorium, foyer, ctx) -> None:
    organiser = ctx.organiser
    add("Welcome coffee and registration", "break", 0, "08:30", "09:30", foyer)
    add(
        "Opening plenary: towns leading the climate transition", "plenary", 0, "09:30", "11:00",
        auditorium, language="pt",
        description="Welcome by the Mayor of Cascais and the Climate Alliance's board.",
        speakers=[SpeakerData("Mayor of Cascais"), SpeakerData(organiser.display_name,
                                                                organiser.id)],
    )  # fmt: skip
    add("Coffee break", "break", 0, "11:00", "11:30", foyer)
    add("Lunch", "break", 0, "13:00", "14:30", foyer)
    add("Plenary: the 95% target and what it takes", "plenary", 0, "16:30", "18:00", auditorium,
        speakers=[SpeakerData("Ingrid Berg"), SpeakerData("Kofi Mensah")])  # fmt: skip
    add("Panel: a just transition for everyone", "panel", 1, "09:30", "10:30", auditorium,
        speakers=[SpeakerData("Rania Haddad"), SpeakerData("Aigerim Nurlanova")])  # fmt: skip
    add("Lunch", "break", 1, "12:30", "14:00", foyer)
    add("Plenary: reports from the workshops", "plenary", 1, "16:00", "17:30", auditorium)
    add(
        "General Assembly of the Climate Alliance", "general_assembly", 2, "09:30", "12:30",
        auditorium,
        description="Delegates of member towns vote on the admission of a new member network, "
        "the accounts and the work programme.",
    )  # fmt: skip
    add("Closing plenary and farewell lunch", "plenary", 2, "12:45", "14:00", auditorium,
        language="pt")  # fmt: skip


def _workshops(add, rooms, tracks) -> list:
    """Six workshops per round, one per room, the themes turning so each round mixes them."""
    titles = [(track, title) for track, items in WORKSHOPS.items() for title in items]
    rows = []
    for number, (day, start, end) in enumerate(ROUNDS):
        for slot, room in enumerate(rooms):
            track, title = titles[(slot * 4 + number) % len(titles)]
            speaker = SPEAKERS[(number * 6 + slot) % len(SPEAKERS)]
            rows.append(
                add(
                    title,
                    "workshop",
                    day,
                    start,
                    end,
                    room,
                    track_id=tracks[track].id,
                    signup_required=True,
                    speakers=[SpeakerData(speaker)],
                    description=f"An interactive workshop on {track.lower()}.",
                    description_translations={"pt": workshop_description_pt(track)},
                )  # fmt: skip
            )
    return rows


def _sign_ups(session: Session, ctx: Any, workshops: list) -> None:
    """Most participants take two workshops, in different rounds; the rest just come."""
    chooser = random.Random(2024)
    registrations = ctx.registrations.get(ctx.cascais.slug, [])
    by_round = [workshops[n * 6 : (n + 1) * 6] for n in range(len(ROUNDS))]
    for registration in registrations:
        if chooser.random() < 0.2:
            continue
        for round_rows in chooser.sample(by_round, 2):
            try:
                signups.sign_up(session, chooser.choice(round_rows), registration)
            except ServiceError:
                continue  # e.g. not confirmed: the demo skips them as the page would refuse
    participant = next((r for r in registrations if r.user_id == ctx.participant.id), None)
    if participant is not None:
        for row in (workshops[0], workshops[13]):
            with contextlib.suppress(ServiceError):
                signups.sign_up(session, row, participant)
        personal.set_star(session, workshops[7], ctx.participant, True)


def _second_version(session: Session, event, ctx: Any, workshops: list, rooms: list) -> None:
    """A later version, so the changelog and the 'changed' marks have something to show."""
    moved = workshops[20]
    services.move_session(
        session, event, moved, room_id=moved.room_id,
        starts_at=moved.starts_at + timedelta(minutes=30),
    )  # fmt: skip
    services.set_cancelled(session, workshops[23], True)
    versions.publish(
        session, event, user=ctx.organiser, comment="One workshop moved, one cancelled."
    )


NEXT_EDITION = "climate-alliance-workshop-next"


def _workshop_day(session: Session, ctx: Any) -> None:
    """The upcoming workshop day's programme: two rounds of two parallel workshops with
    sign-up, so a new participant can try choosing workshops (and meets a full one)."""
    event = session.execute(select(Event).where(Event.slug == NEXT_EDITION)).scalar_one_or_none()
    if event is None:
        return
    zone = event.timezone
    day = event.starts_at.astimezone(ZoneInfo(zone)).date()
    hall = services.save_room(session, event, name="Salão Nobre", capacity=60)
    rooms = [
        services.save_room(session, event, name=name, capacity=capacity)
        for name, capacity in (("Sala do Tejo", 16), ("Sala da Cova da Piedade", 12))
    ]

    def add(title: str, kind: str, start: str, end: str, room, **kw):
        data = SessionData(
            title=title, kind=kind, starts_at=_at(day, start, zone), ends_at=_at(day, end, zone),
            room_id=room.id, title_translations=title_pt(title), **kw,
        )  # fmt: skip
        return services.create_session(session, event, data)

    organiser = SpeakerData(ctx.organiser.display_name, ctx.organiser.id)
    add("Opening: energy poverty in member towns", "plenary", "09:30", "10:30", hall,
        language="pt", speakers=[organiser])  # fmt: skip
    rounds = (
        ("10:45", "12:15", ("Warm homes: renovation one-stop shops", "Energy advice at the desk")),
        ("13:30", "15:00", ("Energy communities in social housing", "Summer energy poverty")),
    )
    speakers = ("Ana Rodrigues", "Marta Costa")
    for start, end, titles in rounds:
        for room, title, speaker in zip(rooms, titles, speakers, strict=True):
            add(title, "workshop", start, end, room, signup_required=True,
                capacity=room.capacity, speakers=[SpeakerData(speaker)])  # fmt: skip
    add("What we take home", "plenary", "15:30", "16:45", hall)
    versions.publish(session, event, user=ctx.organiser, comment="The workshop day's programme.")


def _baku(session: Session, ctx: Any) -> None:
    """The Baku side event's one-day programme, written in English and Russian, so a visitor
    who switches to Русский reads it in Russian."""
    event = getattr(ctx, "baku", None)
    if event is None:  # a partial demo (tests) without the side event
        return
    zone = event.timezone
    day = event.starts_at.astimezone(ZoneInfo(zone)).date()
    rooms = [
        services.save_room(session, event, name=name, capacity=places,
                           name_translations={"ru": russian})
        for name, russian, places in BAKU_ROOMS
    ]  # fmt: skip
    tracks = [
        services.save_track(session, event, name=name, colour=colour,
                            name_translations={"ru": russian})
        for name, russian, colour in BAKU_TRACKS
    ]  # fmt: skip
    for start, end, room, track, kind, title, russian in BAKU_SESSIONS:
        data = SessionData(
            title=title, kind=kind, starts_at=_at(day, start, zone), ends_at=_at(day, end, zone),
            room_id=rooms[room].id if room is not None else None,
            track_id=tracks[track].id if track is not None else None,
            title_translations={"ru": russian},
        )  # fmt: skip
        services.create_session(session, event, data)
    versions.publish(session, event, user=ctx.organiser, comment="The side event's programme.")
