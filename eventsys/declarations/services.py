"""Publishing declarations; signing, confirming and withdrawing signatures; counting them.

One signature per person or organisation is guaranteed by the unique constraint on
(declaration_id, signer_key): the check before the insert gives the friendly message, the
constraint catches the request that raced past it.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from eventsys import sqlite
from eventsys.accounts.models import User
from eventsys.db import utcnow
from eventsys.declarations import notifications
from eventsys.declarations.models import (
    Declaration,
    Eligibility,
    Signature,
    SignatureKind,
    SignatureStatus,
    SignerKinds,
)
from eventsys.errors import Conflict, NotFound, ServiceError
from eventsys.events.models import Event
from eventsys.organisations.countries import is_country
from eventsys.organisations.models import Organisation
from eventsys.registration.enums import Status
from eventsys.registration.models import Registration

MAX_TITLE = 300
MAX_TEXT = 50_000
MAX_NAME = 200
MAX_ORGANISATION = 300
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LOCALE_RE = re.compile(r"^[a-z]{2,3}(?:_[A-Z]{2})?$")


# --- declarations -------------------------------------------------------------------------


@dataclass
class DeclarationData:
    slug: str
    title: str
    text: str
    opens_at: datetime
    closes_at: datetime
    signer_kinds: str = SignerKinds.BOTH.value
    eligibility: str = Eligibility.ANYONE.value
    is_published: bool = False
    # {"pt": ("Título", "Texto"), ...}; a language with neither is left out.
    translations: dict[str, tuple[str, str]] = field(default_factory=dict)


def _clean_text(value: str, limit: int, label: str, field_name: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ServiceError(_("Please enter %(label)s.", label=label), field=field_name)
    if len(text) > limit:
        raise ServiceError(
            _(
                "%(label)s is too long: %(size)s characters, at most %(limit)s.",
                label=label.capitalize(),
                size=len(text),
                limit=limit,
            ),
            field=field_name,
        )
    return text


def _validated(data: DeclarationData) -> dict:
    if not SLUG_RE.match(data.slug or "") or len(data.slug) > 80:
        raise ServiceError(
            _("The short name may hold lower-case letters, digits and single hyphens."),
            field="slug",
        )
    values: dict = {
        "slug": data.slug,
        "title": " ".join(_clean_text(data.title, MAX_TITLE, _("the title"), "title").split()),
        "text": _clean_text(data.text, MAX_TEXT, _("the text"), "text"),
    }
    if data.opens_at.tzinfo is None or data.closes_at.tzinfo is None:
        raise ValueError("opening and closing times must be aware datetimes")
    if data.closes_at <= data.opens_at:
        raise ServiceError(_("The declaration must close after it opens."), field="closes_at")
    try:
        values["signer_kinds"] = SignerKinds(data.signer_kinds)
        values["eligibility"] = Eligibility(data.eligibility)
    except ValueError as exc:
        raise ServiceError(_("Please choose who may sign."), field="signer_kinds") from exc
    titles, texts = {}, {}
    for locale, (title, text) in (data.translations or {}).items():
        if not (title or "").strip() and not (text or "").strip():
            continue
        if not LOCALE_RE.match(locale or ""):
            raise ServiceError(
                _("“%(code)s” is not a language code.", code=(locale or "")[:20]),
                field="translations",
            )
        titles[locale] = " ".join(
            _clean_text(title, MAX_TITLE, _("the title"), f"title_{locale}").split()
        )
        texts[locale] = _clean_text(text, MAX_TEXT, _("the text"), f"text_{locale}")
    values.update(
        opens_at=data.opens_at,
        closes_at=data.closes_at,
        is_published=bool(data.is_published),
        title_translations=titles,
        text_translations=texts,
    )
    return values


def _refuse_taken_slug(session: Session, event: Event, slug: str, exclude_id: int | None) -> None:
    query = select(Declaration.id).where(Declaration.event_id == event.id, Declaration.slug == slug)
    if exclude_id is not None:
        query = query.where(Declaration.id != exclude_id)
    if session.execute(query).first() is not None:
        raise Conflict(_("Another declaration of this event uses this short name."), field="slug")


def create_declaration(session: Session, event: Event, data: DeclarationData) -> Declaration:
    values = _validated(data)
    _refuse_taken_slug(session, event, values["slug"], None)
    declaration = Declaration(event=event, **values)
    session.add(declaration)
    session.flush()
    return declaration


def update_declaration(
    session: Session, declaration: Declaration, data: DeclarationData
) -> Declaration:
    values = _validated(data)
    _refuse_taken_slug(session, declaration.event, values["slug"], declaration.id)
    for key, value in values.items():
        setattr(declaration, key, value)
    session.flush()
    return declaration


def declarations_of(session: Session, event: Event, *, published_only: bool) -> list[Declaration]:
    query = select(Declaration).where(Declaration.event_id == event.id)
    if published_only:
        query = query.where(Declaration.is_published.is_(True))
    return list(session.execute(query.order_by(Declaration.opens_at, Declaration.id)).scalars())


def declaration_of(
    session: Session, event: Event, slug: str, *, published_only: bool = True
) -> Declaration:
    declaration = session.execute(
        select(Declaration).where(Declaration.event_id == event.id, Declaration.slug == slug)
    ).scalar_one_or_none()
    if declaration is None or (published_only and not declaration.is_published):
        raise NotFound(_("There is no declaration at this address."))
    return declaration


def published_declaration(session: Session, declaration_id: int) -> Declaration:
    """A published declaration of a published event (what the public and the API may read)."""
    declaration = session.get(Declaration, declaration_id)
    if declaration is None or not declaration.is_published or not declaration.event.is_published:
        raise NotFound(_("There is no declaration with this number."))
    return declaration


# --- signing ------------------------------------------------------------------------------


@dataclass
class SignData:
    kind: str
    display_name: str
    country: str | None
    email: str | None = None
    organisation_name: str = ""
    organisation_id: int | None = None
    is_public: bool = False


def access_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _clean_name(value: str, limit: int, message: str, field_name: str) -> str:
    text = " ".join((value or "").split())
    if not text:
        raise ServiceError(message, field=field_name)
    if len(text) > limit:
        raise ServiceError(
            _("This is longer than %(limit)s characters.", limit=limit), field=field_name
        )
    return text


def _clean_email(email: str | None) -> str:
    try:
        return validate_email((email or "").strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise ServiceError(
            _("This e-mail address is not valid: %(reason)s", reason=str(exc)), field="email"
        ) from exc


def signer_key(kind: SignatureKind, email: str, organisation_name: str, country: str) -> str:
    """Who signs: a person by e-mail, an organisation by its name (case-blind) and country."""
    if kind == SignatureKind.PERSON:
        return f"person:{email}"
    name = " ".join(organisation_name.casefold().split())
    return f"organisation:{country}:{name}"[:400]


def _check_open(declaration: Declaration, now: datetime) -> None:
    state = declaration.state(now)
    if state == "not_yet":
        raise Conflict(_("This declaration is not yet open for signature."), code="not_open")
    if state == "closed":
        raise Conflict(_("This declaration is closed for signature."), code="closed")


def _is_participant(session: Session, event: Event, email: str, user: User | None) -> bool:
    who = Registration.email == email
    if user is not None:
        who = who | (Registration.user_id == user.id)
    return (
        session.execute(
            select(Registration.id).where(
                Registration.event_id == event.id, Registration.status == Status.CONFIRMED, who
            )
        ).first()
        is not None
    )


def _validated_signature(
    session: Session, declaration: Declaration, data: SignData, user: User | None
) -> dict:
    try:
        kind = SignatureKind(data.kind)
    except ValueError as exc:
        raise ServiceError(_("Please choose how you sign."), field="kind") from exc
    if not declaration.allows(kind):
        message = (
            _("Only organisations may sign this declaration.")
            if kind == SignatureKind.PERSON
            else _("Only persons may sign this declaration.")
        )
        raise ServiceError(message, field="kind")
    email = user.email if user is not None else _clean_email(data.email)
    values: dict[str, Any] = {
        "kind": kind,
        "email": email,
        "display_name": _clean_name(
            data.display_name, MAX_NAME, _("Please enter your name."), "display_name"
        ),
        "organisation_name": "",
        "organisation_id": None,
        "is_public": bool(data.is_public),
    }
    country = (data.country or "").strip().upper()
    organisation = session.get(Organisation, data.organisation_id) if data.organisation_id else None
    if organisation is not None:
        values["organisation_id"] = organisation.id
        values["organisation_name"] = organisation.name
        country = country or (organisation.country or "")
    elif data.organisation_name or kind == SignatureKind.ORGANISATION:
        values["organisation_name"] = _clean_name(
            data.organisation_name,
            MAX_ORGANISATION,
            _("Please enter the organisation's name."),
            "organisation_name",
        )
    if not is_country(country):
        raise ServiceError(_("Please choose a country."), field="country")
    values["country"] = country
    if declaration.eligibility == Eligibility.PARTICIPANTS and not _is_participant(
        session, declaration.event, email, user
    ):
        raise ServiceError(
            _("Only confirmed participants of this event may sign this declaration."),
            field="email",
            status=403,
            code="not_participant",
        )
    return values


def _refuse_existing(existing: Signature) -> None:
    if existing.status == SignatureStatus.WITHDRAWN:
        raise Conflict(
            _("This signature was withdrawn; a withdrawn signature cannot be given again."),
            code="withdrawn",
        )
    if existing.kind == SignatureKind.ORGANISATION:
        raise Conflict(
            _("%(name)s has already signed this declaration.", name=existing.organisation_name),
            field="organisation_name",
            code="already_signed",
        )
    raise Conflict(
        _("You have already signed this declaration."), field="email", code="already_signed"
    )


def _verified(user: User | None, email: str) -> bool:
    return user is not None and user.email == email and user.email_confirmed_at is not None


def sign(
    session: Session,
    declaration: Declaration,
    data: SignData,
    *,
    user: User | None = None,
    now: datetime | None = None,
) -> tuple[Signature, str | None]:
    """Sign; a logged-in person with a confirmed address counts at once, anyone else gets an
    e-mail link. Returns the signature and the link's secret (None when confirmed at once)."""
    now = now or utcnow()
    _check_open(declaration, now)
    values = _validated_signature(session, declaration, data, user)
    key = signer_key(
        values["kind"], values["email"], values["organisation_name"], values["country"]
    )
    sqlite.hold_write_lock(session)  # the look and the insert, as one
    existing = session.execute(
        select(Signature).where(
            Signature.declaration_id == declaration.id, Signature.signer_key == key
        )
    ).scalar_one_or_none()
    if existing is not None and existing.status != SignatureStatus.PENDING:
        _refuse_existing(existing)
    token = secrets.token_urlsafe(24)
    confirmed = _verified(user, values["email"])
    if existing is not None:
        # Signing again before confirming: the latest details count, and a fresh link goes out.
        signature = existing
        for name, value in values.items():
            setattr(signature, name, value)
        signature.access_digest = access_digest(token)
        session.flush()
    else:
        signature = Signature(
            declaration=declaration,
            signer_key=key,
            user_id=user.id if user is not None else None,
            access_digest=access_digest(token),
            created_at=now,
            **values,
        )
        try:
            with session.begin_nested():
                session.add(signature)
                session.flush()
        except IntegrityError as exc:
            raise Conflict(
                _("This declaration already carries this signature."), code="already_signed"
            ) from exc
    if user is not None and signature.user_id is None and user.email == values["email"]:
        signature.user_id = user.id
    if confirmed:
        signature.status, signature.confirmed_at = SignatureStatus.CONFIRMED, now
        session.flush()
        return signature, None
    notifications.confirm_signature(session, signature, token)
    return signature, token


def signature_for_token(session: Session, token: str) -> Signature:
    if not token or len(token) > 100:
        raise NotFound(_("This signature link is not valid. Check the link in your e-mail."))
    signature = session.execute(
        select(Signature).where(Signature.access_digest == access_digest(token))
    ).scalar_one_or_none()
    if signature is None:
        raise NotFound(_("This signature link is not valid. Check the link in your e-mail."))
    return signature


def confirm(session: Session, signature: Signature, *, now: datetime | None = None) -> Signature:
    now = now or utcnow()
    if signature.status == SignatureStatus.CONFIRMED:
        return signature
    if signature.status == SignatureStatus.WITHDRAWN:
        raise Conflict(_("This signature was withdrawn."), code="withdrawn")
    if signature.declaration.state(now) == "closed":
        raise Conflict(
            _("The declaration closed before this signature was confirmed."), code="closed"
        )
    signature.status, signature.confirmed_at = SignatureStatus.CONFIRMED, now
    session.flush()
    return signature


def withdraw(session: Session, signature: Signature, *, now: datetime | None = None) -> Signature:
    now = now or utcnow()
    if signature.status == SignatureStatus.WITHDRAWN:
        raise Conflict(_("This signature is already withdrawn."), code="withdrawn")
    if signature.declaration.state(now) == "closed":
        raise Conflict(
            _("The declaration is closed; signatures can no longer be withdrawn."), code="closed"
        )
    signature.status, signature.withdrawn_at = SignatureStatus.WITHDRAWN, now
    session.flush()
    return signature


def set_public(session: Session, signature: Signature, public: bool) -> Signature:
    """Show or hide one's name in the public list, at any time, also after closing: for some
    signers being named becomes a danger later (the PDF is re-printed without them)."""
    if signature.status == SignatureStatus.WITHDRAWN:
        raise Conflict(_("This signature was withdrawn."), code="withdrawn")
    signature.is_public = bool(public)
    session.flush()
    return signature


def signatures_of_user(session: Session, declaration: Declaration, user: User) -> list[Signature]:
    """Signatures given while logged in, and, once the account's address is confirmed, those
    given by e-mail with that address."""
    mine = Signature.user_id == user.id
    if user.email_confirmed_at is not None:
        mine = mine | (Signature.email == user.email)
    return list(
        session.execute(
            select(Signature)
            .where(Signature.declaration_id == declaration.id, mine)
            .order_by(Signature.id)
        ).scalars()
    )


def own_signature(session: Session, declaration: Declaration, user: User, signature_id: int):
    signature = next(
        (s for s in signatures_of_user(session, declaration, user) if s.id == signature_id), None
    )
    if signature is None:
        raise NotFound(_("You have no such signature."))
    return signature


# --- counting and listing -----------------------------------------------------------------


@dataclass
class Counts:
    total: int
    persons: int
    organisations: int
    by_country: list[tuple[str, int]]  # (ISO code, signatures), most first

    @property
    def countries(self) -> int:
        return len(self.by_country)


def counts(session: Session, declaration: Declaration) -> Counts:
    rows = session.execute(
        select(Signature.country, Signature.kind, func.count())
        .where(
            Signature.declaration_id == declaration.id,
            Signature.status == SignatureStatus.CONFIRMED,
        )
        .group_by(Signature.country, Signature.kind)
    ).all()
    per_country: dict[str, int] = {}
    per_kind = {SignatureKind.PERSON: 0, SignatureKind.ORGANISATION: 0}
    for country, kind, number in rows:
        per_country[country or ""] = per_country.get(country or "", 0) + number
        per_kind[SignatureKind(kind)] += number
    by_country = sorted(
        ((code, n) for code, n in per_country.items() if code), key=lambda r: (-r[1], r[0])
    )
    return Counts(
        total=sum(per_kind.values()),
        persons=per_kind[SignatureKind.PERSON],
        organisations=per_kind[SignatureKind.ORGANISATION],
        by_country=by_country,
    )


def counts_fingerprint(session: Session, declaration: Declaration) -> list:
    """What the counts depend on: confirmed signatures by kind and country."""
    c = counts(session, declaration)
    return [c.total, c.persons, c.organisations, c.by_country]


def _public_signatories(declaration: Declaration) -> Select:
    """Confirmed signatures whose signers agreed to be named, in the order they signed."""
    return (
        select(Signature)
        .where(
            Signature.declaration_id == declaration.id,
            Signature.status == SignatureStatus.CONFIRMED,
            Signature.is_public.is_(True),
        )
        .order_by(Signature.confirmed_at, Signature.id)
    )


def _all_signatures(declaration: Declaration) -> Select:
    query = select(Signature).where(Signature.declaration_id == declaration.id)
    return query.order_by(Signature.id)


def public_signatories(session: Session, declaration: Declaration) -> list[Signature]:
    return list(session.execute(_public_signatories(declaration)).scalars())


def all_signatures(session: Session, declaration: Declaration) -> list[Signature]:
    return list(session.execute(_all_signatures(declaration)).scalars())


# A COP declaration gathers thousands of signatures; pages show them a hundred at a time.
PER_PAGE = 100


@dataclass(frozen=True)
class Page:
    items: list[Signature]
    number: int  # 1-based, within 1..pages
    pages: int
    total: int


def _page_of(session: Session, query: Select, number: int, per_page: int) -> Page:
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    pages = max(1, -(-total // per_page))
    number = min(max(number, 1), pages)
    rows = session.execute(query.offset((number - 1) * per_page).limit(per_page)).scalars()
    return Page(list(rows), number, pages, total)


def public_signatories_page(
    session: Session, declaration: Declaration, number: int, per_page: int = PER_PAGE
) -> Page:
    return _page_of(session, _public_signatories(declaration), number, per_page)


def signatures_page(
    session: Session, declaration: Declaration, number: int, per_page: int = PER_PAGE
) -> Page:
    return _page_of(session, _all_signatures(declaration), number, per_page)
