"""The minutes after the meeting (issue 15): the agenda, speakers per item, each poll's result
in words with the counts, and attendance in the hall, remote and by proxy; in Cyrillic too."""

from __future__ import annotations

import io

from pypdf import PdfReader

from eventsys.assembly import minutes, services
from eventsys.assembly.agenda import services as agenda
from eventsys.extensions import db
from tests.assembly.conftest import build_hall, open_motion_poll, option


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_minutes_list_agenda_speakers_results_and_attendance(app, client, login, factory):
    hall = build_hall(factory, members=5, present=False, max_proxies=1)
    hall.registrations[0].display_name = "Анна Петрова"
    services.mark_attendance(db.session, hall.assembly, hall.registrations[0], True)
    services.mark_attendance(db.session, hall.assembly, hall.registrations[1], True)
    services.join_remotely(db.session, hall.assembly, hall.delegates[2].id)
    services.set_proxy(db.session, hall.assembly, hall.rights[4], hall.rights[1])
    report = agenda.create_item(db.session, hall.assembly, kind="report", title="Отчёт правления")
    poll = open_motion_poll(hall, title="Adopt the Cascais resolution")
    item = agenda.create_item(db.session, hall.assembly, kind="motion", motion_id=poll.motion_id)
    agenda.open_item(db.session, report)
    speaker = agenda.ask_to_speak(db.session, report, hall.delegates[0].id)
    agenda.start_speaker(db.session, speaker)
    agenda.open_item(db.session, item)  # closes the report; its speaker stops
    for user in hall.delegates[:3]:
        services.cast_vote(db.session, poll.id, user.id, [option(poll, "yes")])
    services.close_poll(db.session, poll.id)
    db.session.commit()

    login(hall.organiser)
    response = client.get(f"/events/{hall.event.slug}/assembly/manage/minutes.pdf")
    assert response.status_code == 200
    text = " ".join(_text(response.data).split())
    assert "Agenda" in text and "Отчёт правления" in text
    assert "Анна Петрова (0:0" in text  # the speaker with the time spoken
    assert "Adopted: 4 yes, 0 no, 0 abstentions" in text  # three delegates, one proxy
    assert "Present: 2 in the hall, 1 remote, 1 by proxy" in text
    assert "(remote)" in text


def test_minutes_render_cyrillic(app, factory):
    """The fonts cover Cyrillic: the text comes back out of the PDF as written."""
    hall = build_hall(factory, members=2)
    hall.members[0].name = "Экологическое общество «Зелёное спасение»"
    agenda.create_item(db.session, hall.assembly, kind="other", title="Разное")
    db.session.flush()
    with app.test_request_context():
        pdf = minutes.render_minutes(db.session, hall.assembly)
    text = " ".join(_text(pdf).split())
    assert "Зелёное спасение" in text and "Разное" in text
