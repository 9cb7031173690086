from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from eventsys.db import utcnow
from eventsys.declarations import services
from eventsys.extensions import db
from tests.declarations.conftest import organisation, person


def _url(declaration, suffix=""):
    return f"/events/{declaration.event.slug}/declarations/{declaration.slug}{suffix}"


@pytest.fixture
def signed(factory, declaration):
    """Three confirmed signatures, one of them not public, and one pending."""
    for name, country, public in (
        ("Leyla Məmmədova", "AZ", True),
        ("आरव शर्मा", "IN", True),
        ("Hidden Person", "BR", False),
    ):
        services.sign(
            db.session,
            declaration,
            person(name, country, is_public=public),
            user=factory.user(name=name),
        )
    services.sign(
        db.session, declaration, person("Pending P", email="p@example.org", is_public=True)
    )
    db.session.commit()
    return declaration


def test_public_page_shows_counts_chart_and_only_public_confirmed_signatories(client, signed):
    page = client.get(_url(signed)).get_data(as_text=True)
    # The chart is drawn on the server: no script of its own (the layout's menu scripts aside).
    assert "<svg" in page and "Azerbaijan" in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert "Leyla Məmmədova" in page and "आरव शर्मा" in page
    assert "Hidden Person" not in page and "Pending P" not in page
    assert "and 1 more who asked not to be named" in page
    assert "<strong>3</strong> signatures" in page and "<strong>3</strong> countries" in page


def test_the_event_page_links_its_declarations(client, signed):
    page = client.get(f"/events/{signed.event.slug}/").get_data(as_text=True)
    assert _url(signed) in page


def test_text_in_the_readers_language_when_present(client, factory, event):
    declaration = factory.declaration(
        event, slug="multi", translations={"ru": ("Бакинская декларация", "Мы, нижеподписавшиеся")}
    )
    db.session.commit()
    ru = client.get(_url(declaration), headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert "Мы, нижеподписавшиеся" in ru
    pt = client.get(_url(declaration), headers={"Accept-Language": "pt"}).get_data(as_text=True)
    assert "We, the undersigned" in pt and "não está disponível na sua língua" in pt


def test_unpublished_declaration_is_hidden_from_the_public(client, factory, event):
    draft = factory.declaration(event, slug="draft", is_published=False)
    db.session.commit()
    assert client.get(_url(draft)).status_code == 404
    assert client.get("/events/baku-side-event/declarations/nope").status_code == 404


def test_signing_through_the_form_and_the_emailed_link(client, declaration):
    response = client.post(
        _url(declaration, "/sign"),
        data={
            "kind": "person",
            "display_name": "Ana Silva",
            "email": "ana@example.org",
            "country": "PT",
            "is_public": "y",
        },
    )
    assert response.status_code == 302
    (secret,) = list(_outbox_links())
    page = client.get(f"/declarations/signature/{secret}").get_data(as_text=True)
    assert "Confirm my signature" in page
    assert services.counts(db.session, declaration).total == 0  # opening the link is not enough
    client.post(f"/declarations/signature/{secret}", data={"action": "confirm"})
    assert services.counts(db.session, declaration).total == 1
    client.post(f"/declarations/signature/{secret}", data={"action": "withdraw"})
    assert services.counts(db.session, declaration).total == 0
    again = client.post(
        _url(declaration, "/sign"),
        data={
            "kind": "person",
            "display_name": "Ana Silva",
            "email": "ana@example.org",
            "country": "PT",
        },
    )
    assert again.status_code == 409
    assert "withdrawn signature cannot be given again" in again.get_data(as_text=True)


def _outbox_links():
    import re

    from sqlalchemy import select

    from eventsys.mail.models import OutboundMail

    for mail in db.session.execute(select(OutboundMail)).scalars():
        match = re.search(r"/declarations/signature/([\w-]+)", mail.text_body)
        if match:
            yield match.group(1)


def test_bad_form_input_is_answered_on_the_form_not_with_a_500(client, login, factory, declaration):
    user = factory.user()
    login(user)
    first = client.post(
        _url(declaration, "/sign"), data={"kind": "person", "display_name": "Me", "country": "AZ"}
    )
    assert first.status_code == 302
    second = client.post(
        _url(declaration, "/sign"), data={"kind": "person", "display_name": "Me", "country": "AZ"}
    )
    assert second.status_code == 409 and "already signed" in second.get_data(as_text=True)
    long_name = client.post(
        _url(declaration, "/sign"),
        data={
            "kind": "organisation",
            "display_name": "Me",
            "organisation_name": "o" * 400,
            "country": "AZ",
        },
    )
    assert long_name.status_code == 422 and "longer than 300" in long_name.get_data(as_text=True)
    unknown = client.post(
        _url(declaration, "/sign"), data={"kind": "robot", "display_name": "Me", "country": "AZ"}
    )
    assert unknown.status_code == 422
    assert client.get("/declarations/signature/" + "x" * 300).status_code == 404


def test_closed_declaration_refuses_signatures_with_a_message(client, factory, event):
    now = utcnow()
    closed = factory.declaration(
        event, slug="closed", opens_at=now - timedelta(days=3), closes_at=now - timedelta(days=1)
    )
    db.session.commit()
    response = client.post(
        _url(closed, "/sign"),
        data={"kind": "person", "display_name": "Late", "email": "l@example.org", "country": "AZ"},
    )
    assert response.status_code == 409
    assert "closed for signature" in response.get_data(as_text=True)


def test_logged_in_signer_withdraws_from_the_page(client, login, factory, declaration):
    user = factory.user()
    signature, _ = services.sign(db.session, declaration, person(), user=user)
    db.session.commit()
    login(user)
    client.post(_url(declaration, f"/signatures/{signature.id}/withdraw"))
    assert services.counts(db.session, declaration).total == 0
    other = factory.user()
    theirs, _ = services.sign(db.session, declaration, person(), user=other)
    db.session.commit()
    response = client.post(
        _url(declaration, f"/signatures/{theirs.id}/withdraw"), follow_redirects=True
    )
    assert "You have no such signature" in response.get_data(as_text=True)
    assert services.counts(db.session, declaration).total == 1


def test_organiser_pages_are_closed_to_participants(client, login, factory, signed):
    base = f"/events/{signed.event.slug}/manage/declarations"
    urls = [
        f"{base}/",
        f"{base}/new",
        f"{base}/{signed.slug}",
        f"{base}/{signed.slug}/signatures",
        f"{base}/{signed.slug}/signatures.csv",
        f"{base}/{signed.slug}/signatures.xlsx",
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # to the login page
    login(factory.user())
    for url in urls:
        assert client.get(url).status_code == 403


def test_organiser_exports_every_signature_as_csv_and_xlsx(client, login, factory, signed):
    organiser = factory.user()
    from eventsys.events.services import grant_role

    grant_role(db.session, signed.event, organiser, "organiser")
    services.sign(db.session, signed, organisation('=HYPERLINK("x")', email="o@example.org"))
    db.session.commit()
    login(organiser)
    base = f"/events/{signed.event.slug}/manage/declarations/{signed.slug}"
    raw = client.get(f"{base}/signatures.csv").data
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    names = [r[2] for r in rows[1:]]
    assert {"Leyla Məmmədova", "आरव शर्मा", "Hidden Person", "Pending P"} <= set(names)
    assert any(r[3] == '\'=HYPERLINK("x")' for r in rows)  # no formula reaches a spreadsheet
    book = load_workbook(io.BytesIO(client.get(f"{base}/signatures.xlsx").data))
    sheet = book.active
    assert sheet.max_row == len(rows)
    assert "आरव शर्मा" in [c.value for c in sheet["C"]]
    page = client.get(f"{base}/signatures").get_data(as_text=True)
    assert "Hidden Person" in page and "p@example.org" in page


def test_organiser_publishes_a_declaration_in_two_languages(client, login, factory, event):
    organiser = factory.user()
    from eventsys.events.services import grant_role

    grant_role(db.session, event, organiser, "organiser")
    db.session.commit()
    login(organiser)
    form = {
        "slug": "cop29",
        "title": "Baku Declaration",
        "text": "We commit.",
        "title_ru": "Бакинская декларация",
        "text_ru": "Мы обязуемся.",
        "opens_at": "2024-11-15T10:00",
        "closes_at": "2024-11-22T18:00",
        "signer_kinds": "both",
        "eligibility": "anyone",
        "is_published": "y",
    }
    response = client.post(f"/events/{event.slug}/manage/declarations/new", data=form)
    assert response.status_code == 302
    declaration = services.declaration_of(db.session, event, "cop29")
    assert declaration.text_translations == {"ru": "Мы обязуемся."}
    # Typed in Baku time (UTC+4).
    assert declaration.opens_at.hour == 6
    bad = client.post(
        f"/events/{event.slug}/manage/declarations/new", data={**form, "text": "x" * 60_000}
    )
    assert bad.status_code == 422 and "too long" in bad.get_data(as_text=True)
    dup = client.post(f"/events/{event.slug}/manage/declarations/new", data=form)
    assert dup.status_code == 422 and "uses this short name" in dup.get_data(as_text=True)


def test_closed_declaration_prints_as_pdf_with_public_signatories(client, factory, signed):
    assert client.get(_url(signed, "/declaration.pdf")).status_code == 409
    signed.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = client.get(_url(signed, "/declaration.pdf"))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "Leyla" in text and "Hidden Person" not in text
    assert "3 signatures from 3 countries" in text


def test_the_pdf_is_kept_until_what_it_prints_changes(app, factory, signed, monkeypatch):
    from eventsys.declarations import pdf

    signed.closes_at = utcnow() - timedelta(minutes=1)
    renders = []
    real_html = pdf.HTML

    def counting_html(**kw):
        renders.append(1)
        return real_html(**kw)

    monkeypatch.setattr(pdf, "HTML", counting_html)
    first = pdf.declaration_pdf(db.session, signed, "en")
    assert pdf.declaration_pdf(db.session, signed, "en") == first
    assert len(renders) == 1
    signatory = services.public_signatories(db.session, signed)[0]
    signatory.display_name = "Renamed Person"
    db.session.flush()
    second = pdf.declaration_pdf(db.session, signed, "en")
    assert len(renders) == 2
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(second)).pages)
    assert "Renamed Person" in text
    assert len(list(pdf._cache_dir().glob(f"{signed.id}-en-*.pdf"))) == 1


def test_a_job_prints_declarations_that_just_closed(app, factory, signed, monkeypatch):
    from eventsys.declarations import jobs, pdf

    assert jobs.print_closed() == 0  # still open
    signed.closes_at = utcnow() - timedelta(hours=1)
    db.session.flush()
    assert jobs.print_closed() == len(app.config["LANGUAGES"])
    monkeypatch.setattr(pdf, "HTML", None)  # from now on every file must come from the cache
    assert pdf.declaration_pdf(db.session, signed, "ru").startswith(b"%PDF")


def test_forms_carry_their_csrf_token(app, client, declaration):
    import re

    app.config["WTF_CSRF_ENABLED"] = True
    try:
        page = client.get(_url(declaration)).get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        data = {
            "kind": "person",
            "display_name": "Ana",
            "email": "ana@example.org",
            "country": "PT",
        }
        assert client.post(_url(declaration, "/sign"), data=data).status_code == 400
        signed = client.post(_url(declaration, "/sign"), data={**data, "csrf_token": token})
        assert signed.status_code == 302
        (secret,) = list(_outbox_links())
        link_page = client.get(f"/declarations/signature/{secret}").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', link_page).group(1)
        client.post(
            f"/declarations/signature/{secret}", data={"action": "confirm", "csrf_token": token}
        )
        assert services.counts(db.session, declaration).total == 1
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_a_signer_hides_their_name_even_after_closing(client, login, factory, declaration):
    user = factory.user(name="Activist Name")
    signature, _ = services.sign(
        db.session, declaration, person("Activist Name", is_public=True), user=user
    )
    declaration.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert "Activist Name" in client.get(_url(declaration)).get_data(as_text=True)
    login(user)
    client.post(_url(declaration, f"/signatures/{signature.id}/visibility"), data={"public": "0"})
    assert signature.is_public is False
    page = client.get(_url(declaration)).get_data(as_text=True)
    assert "Activist Name</span>" not in page and "<strong>1</strong> signature<" in page
    text = "".join(
        p.extract_text()
        for p in PdfReader(io.BytesIO(client.get(_url(declaration, "/declaration.pdf")).data)).pages
    )
    assert "Activist Name" not in text


def test_the_emailed_link_shows_or_hides_the_name(client, declaration):
    signature, secret = services.sign(db.session, declaration, person(email="x@example.org"))
    db.session.commit()
    client.post(f"/declarations/signature/{secret}", data={"action": "show"})
    assert signature.is_public is True
    client.post(f"/declarations/signature/{secret}", data={"action": "hide"})
    assert signature.is_public is False
