from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from eventsys.db import utcnow
from eventsys.declarations import services
from eventsys.declarations.models import Signature, SignatureKind, SignatureStatus
from eventsys.errors import Conflict, ServiceError
from eventsys.extensions import db
from eventsys.mail.models import OutboundMail
from tests.declarations.conftest import organisation, person


def _mails_to(address):
    return (
        db.session.execute(select(OutboundMail).where(OutboundMail.to_address == address))
        .scalars()
        .all()
    )


def test_logged_in_person_with_confirmed_address_counts_at_once(factory, declaration):
    user = factory.user(name="Leyla")
    signature, secret = services.sign(db.session, declaration, person(), user=user)
    assert secret is None
    assert signature.status == SignatureStatus.CONFIRMED
    assert services.counts(db.session, declaration).total == 1
    assert _mails_to(user.email) == []


def test_anonymous_signature_counts_only_after_the_emailed_link(declaration):
    signature, secret = services.sign(
        db.session, declaration, person(email="Amina@Example.org", is_public=True)
    )
    assert signature.status == SignatureStatus.PENDING
    assert services.counts(db.session, declaration).total == 0
    assert services.public_signatories(db.session, declaration) == []
    (mail,) = _mails_to("amina@example.org")
    assert f"/declarations/signature/{secret}" in mail.text_body
    found = services.signature_for_token(db.session, secret)
    services.confirm(db.session, found)
    assert services.counts(db.session, declaration).total == 1
    assert services.public_signatories(db.session, declaration) == [signature]


def test_second_signature_of_the_same_person_is_refused(factory, declaration):
    user = factory.user()
    services.sign(db.session, declaration, person(), user=user)
    with pytest.raises(Conflict, match="already signed"):
        services.sign(db.session, declaration, person(name="Other spelling"), user=user)
    # The same address typed by someone not logged in is the same signer.
    with pytest.raises(Conflict, match="already signed"):
        services.sign(db.session, declaration, person(email=user.email.upper()))


def test_one_signature_per_organisation_whoever_signs_for_it(factory, declaration):
    services.sign(db.session, declaration, organisation("Eco Union"), user=factory.user())
    with pytest.raises(Conflict, match="Eco Union has already signed"):
        services.sign(db.session, declaration, organisation(" eco  UNION "), user=factory.user())
    # A person may still sign in their own name, and a namesake abroad is another organisation.
    services.sign(
        db.session, declaration, organisation("Eco Union", country="KZ"), user=factory.user()
    )


def test_the_database_itself_refuses_a_duplicate_signer(declaration):
    for _ in range(2):
        db.session.add(
            Signature(
                declaration=declaration,
                kind=SignatureKind.PERSON,
                signer_key="person:same@example.org",
                display_name="X",
                country="AZ",
            )
        )
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_withdrawn_signature_cannot_be_given_again(factory, declaration):
    user = factory.user()
    signature, _ = services.sign(db.session, declaration, person(), user=user)
    services.withdraw(db.session, signature)
    assert services.counts(db.session, declaration).total == 0
    with pytest.raises(Conflict, match="withdrawn signature cannot be given again"):
        services.sign(db.session, declaration, person(), user=user)
    with pytest.raises(Conflict, match="already withdrawn"):
        services.withdraw(db.session, signature)


def test_no_signing_or_withdrawing_outside_the_window(factory, event):
    now = utcnow()
    future = factory.declaration(
        event, opens_at=now + timedelta(hours=1), closes_at=now + timedelta(days=1)
    )
    with pytest.raises(Conflict, match="not yet open"):
        services.sign(db.session, future, person(email="a@example.org"))
    current = factory.declaration(event)
    user = factory.user()
    signature, _ = services.sign(db.session, current, person(), user=user)
    later = current.closes_at + timedelta(seconds=1)
    with pytest.raises(Conflict, match="closed for signature"):
        services.sign(db.session, current, person(email="late@example.org"), now=later)
    with pytest.raises(Conflict, match="can no longer be withdrawn"):
        services.withdraw(db.session, signature, now=later)


def test_confirming_after_closing_does_not_count(declaration):
    signature, _ = services.sign(db.session, declaration, person(email="slow@example.org"))
    with pytest.raises(Conflict, match="closed before"):
        services.confirm(db.session, signature, now=declaration.closes_at + timedelta(minutes=1))
    assert services.counts(db.session, declaration).total == 0


def test_signing_again_before_confirming_sends_a_fresh_link(declaration):
    first, secret1 = services.sign(db.session, declaration, person(email="p@example.org"))
    again, secret2 = services.sign(
        db.session, declaration, person("New Name", email="p@example.org")
    )
    assert again.id == first.id and again.display_name == "New Name"
    assert secret1 != secret2
    with pytest.raises(ServiceError):
        services.signature_for_token(db.session, secret1)  # the old link no longer works
    assert len(_mails_to("p@example.org")) == 2


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (person(name="x" * 201, email="a@example.org"), "display_name", "longer than 200"),
        (person(name="  ", email="a@example.org"), "display_name", "enter your name"),
        (person(email="not-an-address"), "email", "not valid"),
        (person(email="a@example.org", country="XX"), "country", "choose a country"),
        (person(email="a@example.org", country=None), "country", "choose a country"),
        (organisation("", email="a@example.org"), "organisation_name", "organisation's name"),
        (organisation("o" * 301, email="a@example.org"), "organisation_name", "longer than 300"),
    ],
)
def test_bad_input_gets_a_message_on_its_field(declaration, data, field, message):
    with pytest.raises(ServiceError, match=message) as caught:
        services.sign(db.session, declaration, data)
    assert caught.value.field == field


def test_only_the_allowed_kind_of_signer(factory, event):
    organisations_only = factory.declaration(event, signer_kinds="organisations")
    with pytest.raises(ServiceError, match="Only organisations"):
        services.sign(db.session, organisations_only, person(email="a@example.org"))
    services.sign(db.session, organisations_only, organisation(email="a@example.org"))


def test_participants_only_declaration(factory, event):
    declaration = factory.declaration(event, eligibility="participants")
    outsider = factory.user()
    with pytest.raises(ServiceError, match="Only confirmed participants") as caught:
        services.sign(db.session, declaration, person(), user=outsider)
    assert caught.value.status == 403
    participant = factory.user()
    factory.registration(event, user=participant)
    services.sign(db.session, declaration, person(), user=participant)
    # A guest registered by e-mail signs through the e-mailed link.
    factory.registration(event, email="guest@example.org")
    _, secret = services.sign(db.session, declaration, person(email="guest@example.org"))
    assert secret


def test_oversized_or_missing_declaration_text(factory, event):
    with pytest.raises(ServiceError, match="too long: 50001 characters") as caught:
        factory.declaration(event, text="x" * 50_001)
    assert caught.value.field == "text"
    with pytest.raises(ServiceError, match="title"):
        factory.declaration(event, title=" ")
    with pytest.raises(ServiceError, match="close after it opens"):
        now = utcnow()
        factory.declaration(event, opens_at=now, closes_at=now)
    with pytest.raises(ServiceError, match="not a language code"):
        factory.declaration(event, translations={"<b>": ("T", "x")})


def test_translations_are_shown_when_present(factory, event):
    declaration = factory.declaration(
        event,
        translations={"ru": ("Бакинская декларация", "Мы, нижеподписавшиеся"), "pt": ("", "")},
    )
    assert declaration.localized("title", "ru") == "Бакинская декларация"
    assert declaration.localized("title", "pt") == declaration.title
    assert declaration.languages() == ["ru"]


def test_counts_by_country_ignore_pending_and_withdrawn(factory, declaration):
    for country in ("AZ", "AZ", "BR", "IN"):
        services.sign(db.session, declaration, person(country=country), user=factory.user())
    services.sign(db.session, declaration, organisation(country="BR"), user=factory.user())
    services.sign(db.session, declaration, person(email="pending@example.org", country="NP"))
    withdrawn, _ = services.sign(db.session, declaration, person(country="FJ"), user=factory.user())
    services.withdraw(db.session, withdrawn)
    counts = services.counts(db.session, declaration)
    assert (counts.total, counts.persons, counts.organisations, counts.countries) == (5, 4, 1, 3)
    assert counts.by_country == [("AZ", 2), ("BR", 2), ("IN", 1)]
