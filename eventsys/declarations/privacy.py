"""What the declarations area holds about a person, and how it forgets them.

A deleted person's signatures still count (the declaration was signed) but name nobody: the
row keeps its kind, country and dates. An organisation's signature stays the organisation's;
only the person who gave it is removed.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from eventsys.declarations.models import Signature, SignatureKind


def _signatures_of(session: Session, user: Any) -> list[Signature]:
    # An address counts as the person's only once confirmed: otherwise anyone could open an
    # account with someone else's address and read or erase their signatures.
    mine = Signature.user_id == user.id
    if user.email_confirmed_at is not None:
        mine = mine | (func.lower(Signature.email) == user.email)
    return list(session.execute(select(Signature).where(mine).order_by(Signature.id)).scalars())


def export_signatures(session: Session, user: Any) -> list[dict[str, Any]]:
    return [
        {
            "declaration": s.declaration.title,
            "event": s.declaration.event.slug,
            "kind": s.kind.value,
            "name": s.display_name,
            "email": s.email,
            "organisation": s.organisation_name,
            "country": s.country,
            "public": s.is_public,
            "status": s.status.value,
            "signed_at": s.created_at,
            "confirmed_at": s.confirmed_at,
            "withdrawn_at": s.withdrawn_at,
        }
        for s in _signatures_of(session, user)
    ]


def erase_signatures(session: Session, user: Any) -> int:
    signatures = _signatures_of(session, user)
    for signature in signatures:
        signature.display_name = ""
        signature.email = None
        signature.user_id = None
        signature.access_digest = None
        if signature.kind == SignatureKind.PERSON:
            signature.organisation_name = ""
            signature.organisation_id = None
            signature.is_public = False
            # The key held the e-mail address; the row keeps a unique key that names nobody.
            signature.signer_key = f"erased:{signature.id}"
    session.flush()
    return len(signatures)
