"""Bulk prints: the organiser's job on the queue, the PDF's text and QR codes, the filters."""

from __future__ import annotations

import io
import subprocess
import unicodedata
import uuid
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from eventsys.badges import codes, services
from eventsys.badges.models import JobStatus, PrintJob
from eventsys.checkin import services as checkin_services
from eventsys.extensions import db
from eventsys.registration import services as registration_services
from tests.badges.conftest import NAMES


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    return unicodedata.normalize("NFC", " ".join(text.split()))  # names may wrap onto two lines


def start(client, event, **form) -> PrintJob:
    response = client.post(f"/events/{event.slug}/badges/print", data={"sort": "surname", **form})
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.execute(db.select(PrintJob).order_by(PrintJob.id.desc())).scalars().first()


def download(client, event, job) -> bytes:
    response = client.get(f"/events/{event.slug}/badges/jobs/{job.id}/badges.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    return response.data


def test_bulk_print_runs_on_the_queue_and_the_pdf_holds_every_script(
    client, login, organiser, event, people, run_jobs
):
    login(organiser)
    job = start(client, event)
    assert job.status == JobStatus.QUEUED and job.total == len(NAMES)
    status = client.get(f"/events/{event.slug}/badges/jobs/{job.id}").get_json()
    assert status["status"] == "queued" and status["download"] is None
    assert "Printing 6 badges" in client.get(f"/events/{event.slug}/badges/").get_data(True)

    assert run_jobs() >= 1
    status = client.get(f"/events/{event.slug}/badges/jobs/{job.id}").get_json()
    assert status == {**status, "status": "done", "done": 6, "total": 6, "percent": 100}
    text = pdf_text(download(client, event, job))
    for name, latin in NAMES.values():
        assert name in text
        if latin:
            assert latin in text
    assert "Delegate of a member organisation" in text


def test_fonts_are_embedded_once(client, login, organiser, event, people, run_jobs):
    login(organiser)
    job = start(client, event)
    run_jobs()
    out = subprocess.run(
        ["pdffonts", "-"], input=download(client, event, job), capture_output=True
    ).stdout.decode()
    rows = [line.split()[0] for line in out.splitlines()[2:]]
    assert rows and len(rows) == len(set(rows))  # each face once, not once per badge
    assert any("Arabic" in r for r in rows) and any("Devanagari" in r for r in rows)


def qr_codes_in(pdf: bytes, tmp_path: Path, dpi: int = 150) -> list[tuple[str, float]]:
    """(text, width in mm) of every QR code on the pages, as a phone would see them."""
    (tmp_path / "b.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), str(tmp_path / "b.pdf"), str(tmp_path / "p")],
        check=True,
    )
    found = []
    for png in sorted(tmp_path.glob("p-*.png")):
        for result in zxingcpp.read_barcodes(Image.open(png)):
            left = min(p.x for p in (result.position.top_left, result.position.bottom_left))
            right = max(p.x for p in (result.position.top_right, result.position.bottom_right))
            found.append((result.text, (right - left) / dpi * 25.4))
    return found


@pytest.mark.parametrize("layout", ["a6", "a4_sheet", "card"])
def test_qr_decodes_to_the_secret_and_is_at_least_25_mm(
    client, login, organiser, event, people, run_jobs, tmp_path, layout
):
    services.set_layout(db.session, event, layout)
    login(organiser)
    job = start(client, event, person=people["arabic"].email)
    run_jobs()
    [(text, width_mm)] = qr_codes_in(download(client, event, job), tmp_path)
    assert text == services.code_for(db.session, people["arabic"])
    assert width_mm >= 25
    result = checkin_services.scan(db.session, event, text, nonce=uuid.uuid4().hex, staff_id=None)
    assert result.admitted and result.registration == people["arabic"]


def test_the_code_holds_no_name_or_id(event, people):
    from eventsys.badges.models import BadgeCredential

    code = services.code_for(db.session, people["latin"])
    credential = db.session.execute(
        db.select(BadgeCredential).filter_by(registration_id=people["latin"].id)
    ).scalar_one()
    # Prefix, the stored random nonce, the HMAC tag: nothing else is in the QR.
    assert code == codes.make_code(credential.nonce, "test-secret-key")
    assert codes.nonce_from_code(code, "test-secret-key") == credential.nonce
    assert services.code_for(db.session, people["cyrillic"]) != code


def test_only_what_the_person_agreed_to_show_is_printed(factory, event):
    shy = factory.registration(
        event,
        name="Irina Tikhaya",
        organisation_name="Ecodefense Moscow",
        country="RU",
        show_organisation=False,
        show_country=False,
    )
    open_ = factory.registration(
        event, name="Jonas Open", organisation_name="Vilnius", country="LT"
    )
    [shy_badge, open_badge] = services.badge_contents(db.session, event, [shy, open_])
    assert shy_badge.organisation == "" and shy_badge.country == ""
    assert open_badge.organisation == "Vilnius" and open_badge.country == "Lithuania"
    pdf = services.single_badge_pdf(db.session, shy)
    text = pdf_text(pdf)
    assert "Irina Tikhaya" in text
    assert "Ecodefense" not in text and "Russia" not in text


def test_badge_answers_only_for_questions_marked_for_the_badge(factory, organiser):
    from eventsys.events.enums import QuestionKind
    from eventsys.events.models import Question

    event = factory.event(organiser=organiser)
    languages = Question(
        event=event, label="Languages spoken", kind=QuestionKind.TEXT, on_badge=True
    )
    diet = Question(event=event, label="Diet", kind=QuestionKind.TEXT, on_badge=False)
    db.session.add_all([languages, diet])
    db.session.flush()
    person = factory.registration(
        event, answers={str(languages.id): "Português, English", str(diet.id): "Vegan"}
    )
    text = pdf_text(services.single_badge_pdf(db.session, person))
    assert "Languages spoken: Português, English" in text
    assert "Vegan" not in text


def test_filters_category_person_and_since_last_print(
    client, login, organiser, event, factory, people, run_jobs
):
    press = factory.registration(event, name="Zoe Press", category="press")
    login(organiser)
    job = start(client, event, category="press")
    assert job.total == 1
    job = start(client, event, person="Zoe Press")
    assert job.total == 1 and job.filters["registration_id"] == press.id

    full = start(client, event)
    assert full.total == len(NAMES) + 1
    run_jobs()
    newcomer = factory.registration(event, name="Nuno Novo")
    newcomer.confirmed_at = full.created_at.replace(year=full.created_at.year + 1)
    db.session.flush()
    since = start(client, event, since_last_print="y")
    assert since.total == 1
    run_jobs()
    assert "Nuno Novo" in pdf_text(download(client, event, since))


def test_sort_by_surname_organisation_or_country(factory, event):
    factory.registration(event, name="Zé Alves", organisation_name="Zurich", country="CH")
    factory.registration(event, name="Ana Zulu", organisation_name="Almada", country="PT")
    factory.registration(event, name="Ion Marin", organisation_name="Iasi", country="RO")

    def order(sort):
        filters = services.PrintFilters(sort=sort)
        return [r.display_name for r in services.select_registrations(db.session, event, filters)]

    assert order("surname") == ["Zé Alves", "Ion Marin", "Ana Zulu"]
    assert order("organisation") == ["Ana Zulu", "Ion Marin", "Zé Alves"]
    assert order("country") == ["Ana Zulu", "Ion Marin", "Zé Alves"]  # Portugal, Romania, Swi…


def test_nothing_to_print_and_bad_filters_are_explained(client, login, organiser, event):
    login(organiser)
    response = client.post(f"/events/{event.slug}/badges/print", data={"sort": "surname"})
    assert response.status_code == 422
    assert "nothing to print" in response.get_data(as_text=True)
    response = client.post(
        f"/events/{event.slug}/badges/print", data={"sort": "surname", "person": "nobody@x.org"}
    )
    assert "Nobody confirmed" in response.get_data(as_text=True)
    assert db.session.execute(db.select(PrintJob).filter_by(event_id=event.id)).first() is None


def test_cancelled_people_get_no_badge(factory, event, people):
    registration_services.cancel(db.session, people["latin"])
    chosen = services.select_registrations(db.session, event, services.PrintFilters())
    assert people["latin"] not in chosen and len(chosen) == len(NAMES) - 1


def test_a_missing_logo_prints_the_event_title(factory, organiser, tmp_path):
    event = factory.event(organiser=organiser, title="Baku South-South", logo_path="gone/logo.png")
    person = factory.registration(event, name="Leyla Qasımova")
    assert services.logo_url(event) is None
    assert "Baku South-South" in pdf_text(services.single_badge_pdf(db.session, person))
    logo = tmp_path / "logo.png"
    Image.new("RGB", (40, 20), "green").save(logo)
    event.logo_path = str(logo)
    assert services.logo_url(event) == logo.as_uri()
    assert "Baku South-South" not in pdf_text(services.single_badge_pdf(db.session, person))


def test_a_failed_job_says_so(client, login, organiser, event, people, run_jobs, monkeypatch):
    from eventsys.badges import jobs

    def broken(*args, **kwargs):
        raise RuntimeError("printer on fire")

    monkeypatch.setattr(jobs, "render_pdf", broken)
    login(organiser)
    job = start(client, event)
    run_jobs()
    db.session.refresh(job)
    assert job.status == JobStatus.FAILED and "printer on fire" in job.error
    assert "printer on fire" in client.get(f"/events/{event.slug}/badges/").get_data(True)


def test_participants_and_check_in_staff_cannot_print(client, login, factory, event, staff, people):
    for user in (factory.user(), staff):
        login(user)
        assert client.get(f"/events/{event.slug}/badges/").status_code == 403
        assert client.post(f"/events/{event.slug}/badges/print", data={}).status_code == 403
        assert client.get(f"/events/{event.slug}/badges/jobs/1/badges.pdf").status_code == 403


def test_cli_writes_the_pdf_before_it_exits(app, event, people, tmp_path):
    out = tmp_path / "badges.pdf"
    result = app.test_cli_runner().invoke(
        args=["badges", "print", event.slug, "--output", str(out), "--category", "delegate"]
    )
    assert result.exit_code == 0, result.output
    assert "6 badges written" in result.output
    assert NAMES["arabic"][0] in pdf_text(out.read_bytes())
    bad = app.test_cli_runner().invoke(args=["badges", "print", "nope", "--output", str(out)])
    assert bad.exit_code == 1 and "no event" in bad.output
