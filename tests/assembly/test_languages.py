"""The Assembly in the reader's language: its title (the default one in every language), the
motions on the pages and in the minutes, and the versions written side by side or by the API."""

from __future__ import annotations

import io

from pypdf import PdfReader

from eventsys.accounts.services import create_api_token
from eventsys.assembly import services
from eventsys.extensions import db
from tests.assembly.conftest import open_motion_poll


def test_the_default_title_reads_in_every_language(client, hall):
    assert hall.assembly.title == "General Assembly of Climate Alliance"
    assert hall.assembly.title_translations["pt"] == "Assembleia Geral de Climate Alliance"
    assert "ru" in hall.assembly.title_translations
    page = client.get(f"/events/{hall.event.slug}/assembly/projector?lang=pt").get_data(True)
    assert "Assembleia Geral de Climate Alliance" in page
    assert "General Assembly of Climate Alliance" not in page


def test_motion_versions_on_the_pages_and_in_the_minutes(client, login, hall):
    motion = services.create_motion(
        db.session, hall.assembly, kind="resolution", title="Budget 2025", text="We spend.",
        title_translations={"pt": "Orçamento 2025", "ru": "Бюджет на 2025 год"},
        text_translations={"pt": "Gastamos."},
    )  # fmt: skip
    poll = services.open_poll(
        db.session, services.create_poll(db.session, motion), upload_dir="/nonexistent"
    )
    assert poll.content["title_translations"]["pt"] == "Orçamento 2025"
    db.session.commit()
    login(hall.delegates[0])
    page = client.get(f"/events/{hall.event.slug}/assembly/vote?lang=pt").get_data(True)
    assert "Orçamento 2025" in page and "Gastamos." in page and "Budget 2025" not in page
    login(hall.organiser)
    desk = client.get(f"/events/{hall.event.slug}/assembly/manage?lang=ru").get_data(True)
    assert "Бюджет на 2025 год" in desk
    response = client.get(f"/events/{hall.event.slug}/assembly/manage/minutes.pdf?lang=pt")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert "Orçamento 2025" in " ".join(text.split())


def test_untranslated_motion_content_is_as_before(hall):
    poll = open_motion_poll(hall, title="Plain")
    assert "title_translations" not in poll.content and "text_translations" not in poll.content


def test_desk_edits_the_title_and_motions_side_by_side(client, login, hall):
    login(hall.organiser)
    url = f"/events/{hall.event.slug}/assembly/manage"
    page = client.get(url).get_data(True)
    assert (
        page.index('name="title"') < page.index('name="title__pt"') < page.index('name="title__ru"')
    )
    assert 'name="motion-title__pt"' in page and 'name="motion-text__ru"' in page
    settings = {"title": "GA 2024", "title__pt": "AG 2024", "title__ru": "", "max_proxies": "1",
                "quorum_percent": "50", "tie_rule": "rejected"}  # fmt: skip
    assert client.post(url, data=settings).status_code == 302
    db.session.refresh(hall.assembly)
    assert hall.assembly.title == "GA 2024" and hall.assembly.title_translations == {
        "pt": "AG 2024"
    }
    motion_form = {"motion-kind": "resolution", "motion-title": "Budget",
                   "motion-title__pt": "Orçamento", "motion-text": ""}  # fmt: skip
    client.post(f"{url}/motions", data=motion_form)
    motion = hall.assembly.motions[-1]
    db.session.refresh(motion)
    assert motion.title_translations == {"pt": "Orçamento"}


def test_api_writes_motion_versions_and_refuses_unknown_languages(client, hall):
    token = create_api_token(db.session, hall.organiser, "test")
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    base = f"/api/v1/events/{hall.event.slug}/assembly/motions"
    body = {"kind": "resolution", "title": "Budget", "title_translations": {"ru": "Бюджет"}}
    created = client.post(base, json=body, headers=headers)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["title_translations"] == {"ru": "Бюджет"}
    wrong = client.post(base, json={**body, "title_translations": {"xx": "?"}}, headers=headers)
    assert wrong.status_code == 422
    assert "xx" in str(wrong.get_json())
