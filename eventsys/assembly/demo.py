"""Demo: the Climate Alliance General Assembly on the last day in Cascais.

Members with delegates, a few proxies and one delegate attending remotely, the agenda with its
speakers, CEESEN's application with its documents (real PDFs made
with WeasyPrint), a poll that admits it, and a resolution whose first poll was annulled.
"""

from __future__ import annotations

import random
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from eventsys.accounts.models import User
from eventsys.assembly import demo_eecca as eecca
from eventsys.assembly import register_demo, services
from eventsys.assembly.agenda.demo import attach_pdf, cascais_agenda, demo_pdf
from eventsys.assembly.demo_polls import vote
from eventsys.assembly.models import Assembly, Poll, VotingRight
from eventsys.organisations.models import Organisation, OrganisationKind
from eventsys.registration.models import Registration

PROXIES = 2  # members that send no delegate and name another member's delegate instead
ABSENT = 3  # delegates appointed but not in the hall
RESOLUTION_TEXT = (
    "The Municipal Council of {city}, meeting on 14 March 2024, resolves to reduce the "
    "municipality's CO2 emissions by 95% by 2050 against 1990, to halve them by 2030, and to "
    "join the {network} and the Central and Eastern European Sustainable Energy Network's "
    "climate commitments."
)


# The network's name in Portuguese, for the Assembly's title in the Cascais demo.
PT_NETWORK = "Aliança para o Clima"


def load(session: Session, ctx: Any) -> Assembly:
    event = ctx.cascais
    network = ctx.network
    zone = ZoneInfo(event.timezone)
    last_day = event.ends_at.astimezone(zone).date()
    assembly = services.create_assembly(
        session,
        event,
        network,
        held_on=last_day,
        title=f"General Assembly of {network.name} {last_day.year}",
        title_translations={"pt": f"Assembleia Geral da {PT_NETWORK} {last_day.year}"},
        max_proxies=2,
        quorum_percent=50,
    )
    rights = {right.member_id: right for right in assembly.rights}
    delegates = _appoint_delegates(session, assembly, ctx, rights)
    _proxies_and_attendance(session, assembly, delegates)
    _delegate_account(session, delegates)
    register_demo.load(session, assembly, ctx, delegates)  # the register; appointed online
    upload_dir = current_app.config["UPLOAD_DIR"]
    application = _ceesen_application(session, assembly, upload_dir)
    admission = services.put_on_agenda(session, application)
    at = _on_the_day(zone, last_day)
    poll = services.create_poll(session, admission, majority_rule="two_thirds", base="cast")
    _vote(session, poll, upload_dir, at(11, 5), at(11, 12), yes=0.9, no=0.04)
    resolution = services.create_motion(
        session,
        assembly,
        kind="resolution",
        title="Adopt the Cascais Declaration on local climate action",
        text="The General Assembly adopts the Cascais Declaration and asks every member to "
        "report its emissions yearly.",
        title_translations={"pt": "Adotar a Declaração de Cascais sobre a ação climática local"},
        text_translations={
            "pt": "A Assembleia Geral adota a Declaração de Cascais e pede a cada membro que "
            "comunique as suas emissões todos os anos."
        },
    )
    first = services.create_poll(session, resolution, majority_rule="simple", secret=False)
    services.open_poll(session, first, upload_dir=upload_dir)
    services.annul_poll(session, first, "Opened before the amendment was read out.")
    first.opened_at, first.annulled_at = at(11, 20), at(11, 21)
    repeat = services.repeat_poll(session, first)
    _vote(session, repeat, upload_dir, at(11, 30), at(11, 36), yes=0.8, no=0.1)
    awaiting = _application_awaiting_its_vote(session, assembly, upload_dir)
    speakers = [registration for right, registration in delegates if not right.proxy_holder_id]
    items = cascais_agenda(
        session, assembly, speakers[::2], at,
        admission=admission, resolution=resolution, awaiting=awaiting,
    )  # fmt: skip
    attach_pdf(session, items[1], "board-report-2023-2024.pdf", "Report of the Executive Board",
               "The Board met six times; membership grew by 41 municipalities; the accounts "
               "for 2023 were approved by the auditors without reservation.")  # fmt: skip
    eecca.load(session, ctx)
    session.flush()
    return assembly


def _delegate_account(session: Session, delegates: list[tuple[VotingRight, Registration]]) -> None:
    """delegate@example.org logs in as a delegate who is in the hall and holds no proxy, so
    a second person can try voting beside participant@example.org (who holds one)."""
    user = session.execute(
        select(User).where(User.email == "delegate@example.org")
    ).scalar_one_or_none()
    holders = {right.proxy_holder_id for right, _registration in delegates}
    chosen = next(
        (
            registration
            for right, registration in delegates[PROXIES + ABSENT :]
            if right.proxy_holder_id is None
            and right.id not in holders
            and registration.user_id is None
        ),
        None,
    )
    if user is None or chosen is None:
        return
    chosen.user_id, chosen.email = user.id, user.email
    chosen.display_name, chosen.latin_name = user.display_name, None


def _application_awaiting_its_vote(session: Session, assembly: Assembly, upload_dir: str):
    """A second application, checked and on the agenda with its poll ready: the chair opens
    it, delegates vote from their phones, the chair closes it (the demo's live vote)."""
    network = Organisation(
        name="Reţeaua Oraşelor pentru Climă din Moldova",
        short_name="ROCM",
        kind=OrganisationKind.NETWORK,
        country="MD",
        city="Chişinău",
    )
    uploads = [
        services.Upload(
            "resolution",
            "rocm-assembly-resolution-2024.pdf",
            demo_pdf(
                "Resolution of the ROCM General Meeting",
                RESOLUTION_TEXT.format(city="Chişinău", network=assembly.network.name),
            ),
        )
    ]
    application = _checked_application(
        session, assembly, network, uploads, upload_dir,
        contact=("Ion Ciobanu", "secretariat@rocm.example.org"),
        statement="Twelve Moldovan towns that committed to the Alliance's targets in 2024.",
        comment="Checked by the board on 8 October 2024.",
    )  # fmt: skip
    admission = services.put_on_agenda(session, application)
    services.create_poll(session, admission, majority_rule="two_thirds", base="cast")
    return admission


def _on_the_day(zone: ZoneInfo, day):
    def at(hour: int, minute: int) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=zone)

    return at


def _appoint_delegates(
    session: Session, assembly: Assembly, ctx: Any, rights: dict[int, VotingRight]
) -> list[tuple[VotingRight, Registration]]:
    """Each member's delegate: a registration from that member if there is one, else the next
    confirmed participant (the demo's people are not tied to towns)."""
    registrations = list(ctx.registrations.get(ctx.cascais.slug, []))
    by_organisation = {}
    for registration in registrations:
        if registration.organisation_id and registration.organisation_id not in by_organisation:
            by_organisation[registration.organisation_id] = registration
    used: set[int] = set()
    appointed = []
    demo_delegate = _demo_participant_as_delegate(session, assembly, ctx, rights)
    if demo_delegate is not None:  # first: it holds a proxy and stays present
        appointed.append(demo_delegate)
        used.add(demo_delegate[1].id)
    spare = iter(registrations)
    for member in ctx.members:
        if demo_delegate is not None and member.id == demo_delegate[0].member_id:
            continue
        right = rights.get(member.id)
        if right is None:
            continue
        registration = by_organisation.get(member.id)
        if registration is None or registration.id in used:
            registration = next((r for r in spare if r.id not in used), None)
        if registration is None:
            break
        used.add(registration.id)
        services.appoint_delegate(session, assembly, right, registration)
        appointed.append((right, registration))
    return appointed


def _demo_participant_as_delegate(
    session: Session, assembly: Assembly, ctx: Any, rights: dict[int, VotingRight]
) -> tuple[VotingRight, Registration] | None:
    """The README's participant@example.org is Cascais's delegate, so whoever tries the demo
    can vote (and, placed first, holds a proxy)."""
    participant = getattr(ctx, "participant", None)
    own = next(
        (
            r
            for r in ctx.registrations.get(ctx.cascais.slug, [])
            if participant and r.user_id == participant.id
        ),
        None,
    )
    if own is None:
        return None
    member = next((m for m in ctx.members if m.name == "Cascais" and m.id in rights), None)
    member = member or next((m for m in ctx.members if m.id in rights), None)
    if member is None:
        return None
    own.organisation_id = member.id
    services.appoint_delegate(session, assembly, rights[member.id], own)
    return rights[member.id], own


def _proxies_and_attendance(
    session: Session, assembly: Assembly, delegates: list[tuple[VotingRight, Registration]]
) -> None:
    givers = delegates[-PROXIES:] if len(delegates) > PROXIES * 2 else []
    holders = delegates[: len(givers)]
    for (giver, _registration), (holder, _other) in zip(givers, holders, strict=True):
        services.set_proxy(session, assembly, giver, holder)
    absent = delegates[len(holders) : len(holders) + ABSENT]
    absent_ids = {registration.id for _right, registration in absent}
    for right, registration in delegates:
        if right.proxy_holder_id:
            continue
        services.mark_attendance(session, assembly, registration, registration.id not in absent_ids)
    if absent:  # one of them follows the Assembly online and votes from there
        services.mark_attendance(session, assembly, absent[0][1], True, mode="remote")


def _ceesen_application(session: Session, assembly: Assembly, upload_dir: str):
    ceesen = Organisation(
        name="CEESEN – Central and Eastern European Sustainable Energy Network",
        short_name="CEESEN",
        kind=OrganisationKind.NETWORK,
        country="UA",
        city="Kyiv",
        website="https://ceesen.org",
    )
    uploads = [
        services.Upload(
            "resolution",
            "ceesen-board-resolution-2024.pdf",
            demo_pdf(
                "Resolution of the CEESEN Board",
                RESOLUTION_TEXT.format(city="Kyiv", network=assembly.network.name),
            ),
        ),
        services.Upload(
            "statutes",
            "ceesen-statutes.pdf",
            demo_pdf(
                "Statutes of CEESEN",
                "Article 1. CEESEN is a network of municipalities and energy agencies of Central "
                "and Eastern Europe working for sustainable energy and climate protection. "
                "Article 2. Its members commit to the targets of the Covenant of Mayors.",
            ),
        ),
    ]
    return _checked_application(
        session, assembly, ceesen, uploads, upload_dir,
        contact=("Olena Koval", "secretariat@ceesen.example.org"),
        statement="CEESEN brings 30 municipalities and energy agencies of Central and Eastern "
        "Europe to the Alliance's work on local climate action.",
        comment="Council resolution and statutes checked by the board on 2 October 2024.",
    )  # fmt: skip


def _checked_application(
    session: Session,
    assembly: Assembly,
    network: Organisation,
    uploads: list,
    upload_dir: str,
    *,
    contact: tuple[str, str],
    statement: str,
    comment: str,
):
    """A network's application with its documents, submitted and found complete by the board."""
    session.add(network)
    session.flush()
    application = services.submit_application(
        session,
        assembly,
        organisation=network,
        organisation_name=network.name,
        organisation_kind="network",
        country=network.country,
        city=network.city,
        contact_name=contact[0],
        contact_email=contact[1],
        statement=statement,
        uploads=uploads,
        upload_dir=upload_dir,
        max_bytes=int(current_app.config["UPLOAD_MAX_BYTES"]),
    )
    services.review_application(session, application, complete=True, comment=comment)
    return application


def _vote(
    session: Session,
    poll: Poll,
    upload_dir: str,
    opened_at: datetime,
    closed_at: datetime,
    *,
    yes: float,
    no: float,
) -> None:
    """Every voting right present votes; the split is fixed by a seeded generator."""
    split = [("yes", yes), ("no", no), ("abstain", 1.0)]
    vote(session, poll, random.Random(poll.motion.title), split, upload_dir)
    poll.opened_at, poll.closed_at = opened_at, closed_at
