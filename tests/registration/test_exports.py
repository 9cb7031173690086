"""CSV and XLSX exports read back the way an organiser's spreadsheet would read them."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from flask import g
from openpyxl import load_workbook

from eventsys.extensions import db
from eventsys.registration import exports

NAMES = ["Rauf Ələkbərov", "Анна Пашковская", "Ioana Ștefănescu", "Maria Conceição"]


def _csv_rows(response) -> list[list[str]]:
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM spreadsheets need to read UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _xlsx_rows(response) -> list[list]:
    workbook = load_workbook(io.BytesIO(response.get_data()))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def _url(event, ext: str) -> str:
    return f"/events/{event.slug}/manage/registrations.{ext}"


def test_csv_keeps_every_script_and_has_the_columns_organisers_need(client, login, conference):
    login(conference.organiser)
    response = client.get(_url(conference.event, "csv"))
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    header, *rows = _csv_rows(response)
    assert header == [
        "Name",
        "Latin name",
        "E-mail",
        "Organisation",
        "Country",
        "Category",
        "Status",
        "Diet",
        "Workshops: Energy",
        "Workshops: Mobility",
        "Workshops: Adaptation",
        "Registered at (Europe/Lisbon)",
    ]
    assert sorted(r[0] for r in rows) == sorted(NAMES)
    anna = next(r for r in rows if r[0] == "Анна Пашковская")
    assert anna[1:8] == [
        "Anna Pashkovskaya",
        "attendee1@example.org",
        "Экологический союз",
        "Russia",
        "Observer",
        "confirmed",
        "vegan",
    ]
    assert anna[8:11] == ["yes", "", "yes"]  # one column per option: no separator to split
    # Nothing an organiser does not need: no tokens, no ids, no visibility internals.
    assert not any("digest" in h.lower() or "token" in h.lower() for h in header)


def test_xlsx_keeps_every_script(client, login, conference):
    login(conference.organiser)
    response = client.get(_url(conference.event, "xlsx"))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == exports.XLSX_CONTENT_TYPE
    header, *rows = _xlsx_rows(response)
    assert header[0] == "Name" and header[-1] == "Registered at (Europe/Lisbon)"
    assert sorted(r[0] for r in rows) == sorted(NAMES)
    organisations = {r[0]: r[3] for r in rows}
    assert organisations["Rauf Ələkbərov"] == "Bakı Şəhər İcra Hakimiyyəti"
    assert organisations["Ioana Ștefănescu"] == "Primăria Sibiu"


def test_registered_at_is_in_the_events_zone(client, login, factory):
    organiser = factory.user()
    event = factory.event(organiser=organiser, timezone="Asia/Baku")
    registration = factory.registration(event, name="Leyla Həsənova")
    registration.created_at = datetime(2024, 11, 15, 5, 30, tzinfo=UTC)  # 09:30 in Baku
    db.session.commit()
    login(organiser)
    header, row = _csv_rows(client.get(_url(event, "csv")))
    assert header[-1] == "Registered at (Asia/Baku)" and row[-1] == "2024-11-15 09:30"
    _header, xrow = _xlsx_rows(client.get(_url(event, "xlsx")))
    assert xrow[-1] == "2024-11-15 09:30"


def test_formulas_are_neutralised(client, login, factory):
    organiser = factory.user()
    event = factory.event(organiser=organiser)
    factory.registration(
        event,
        name='=HYPERLINK("http://evil.example","click")',
        organisation_name="+1+2",
        latin_name="@SUM(A1)",
        email="x@example.org",
    )
    factory.registration(event, name="-2+3", email="y@example.org")
    db.session.commit()
    login(organiser)
    _header, *rows = _csv_rows(client.get(_url(event, "csv")))
    cells = [cell for row in rows for cell in row[:4]]
    assert '\'=HYPERLINK("http://evil.example","click")' in cells
    assert "'+1+2" in cells and "'@SUM(A1)" in cells and "'-2+3" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    workbook = load_workbook(io.BytesIO(client.get(_url(event, "xlsx")).get_data()))
    sheet = workbook.active
    names = [sheet.cell(row=i, column=1) for i in range(2, sheet.max_row + 1)]
    evil = next(c for c in names if "HYPERLINK" in str(c.value))
    assert evil.data_type == "s"  # text, not a formula the spreadsheet would run
    assert evil.value == '=HYPERLINK("http://evil.example","click")'


def test_export_follows_the_tables_filter(client, login, conference):
    login(conference.organiser)
    observer = next(c for c in conference.event.categories if c.code == "observer")
    _header, *rows = _csv_rows(
        client.get(
            _url(conference.event, "csv"), query_string={"category": observer.id, "sort": "name"}
        )
    )
    assert [r[0] for r in rows] == ["Maria Conceição", "Анна Пашковская"]
    _header, *rows = _xlsx_rows(
        client.get(_url(conference.event, "xlsx"), query_string={"q": "ştefănescu"})
    )
    assert [r[0] for r in rows] == ["Ioana Ștefănescu"]


def test_participants_cannot_export(client, login, factory, conference):
    participant = factory.user()
    db.session.commit()
    g.pop("_login_user", None)
    login(participant)
    for ext in ("csv", "xlsx"):
        response = client.get(_url(conference.event, ext))
        assert response.status_code == 403
        assert "Пашковская" not in response.get_data(as_text=True)


def test_answer_text():
    assert exports.answer_text(None, True) == "yes"
    assert exports.answer_text(None, None) == ""
    assert exports.neutralise("=1+1") == "'=1+1" and exports.neutralise("Ana") == "Ana"


def test_export_queries_do_not_grow_with_the_rows(
    client, login, factory, conference, count_queries
):
    login(conference.organiser)
    url = _url(conference.event, "xlsx")
    db.session.expire_all()
    with count_queries() as few:
        client.get(url)
    for i in range(30):
        factory.registration(conference.event, email=f"more{i}@example.org", name=f"Більше {i}")
    db.session.expire_all()
    with count_queries() as many:
        _header, *rows = _xlsx_rows(client.get(url))
    assert len(rows) == 34
    assert many.count == few.count, many.statements


def _answers_of(event, registration, values: dict[str, object]) -> None:
    by_label = {q.label: q for q in event.questions}
    registration.answers = {str(by_label[k].id): v for k, v in values.items()}
    db.session.flush()


def test_options_containing_separators_read_back_one_column_each(client, login, factory):
    from eventsys.events.enums import QuestionKind
    from eventsys.events.models import Question

    organiser = factory.user()
    event = factory.event(organiser=organiser)
    options = ["Energy; heat", "Mobility, cycling", 'Say "no"']
    question = Question(
        event=event, label="Topics", kind=QuestionKind.MULTIPLE_CHOICE, options=options
    )
    db.session.add(question)
    db.session.flush()
    person = factory.registration(event, answers={str(question.id): options[:2]})
    assert person.answers[str(question.id)] == options[:2]
    db.session.commit()
    login(organiser)
    for read in (_csv_rows, _xlsx_rows):
        header, row = read(client.get(_url(event, "csv" if read is _csv_rows else "xlsx")))
        chosen = [h.split(": ", 1)[1] for h, v in zip(header, row, strict=True) if v == "yes"]
        assert chosen == options[:2]
        assert [h for h in header if h.startswith("Topics: ")] == [f"Topics: {o}" for o in options]


def test_control_characters_are_cleaned_on_the_way_in(factory):
    from eventsys.events.enums import QuestionKind
    from eventsys.events.models import Question

    event = factory.event()
    short = Question(event=event, label="Diet", kind=QuestionKind.TEXT)
    long = Question(event=event, label="Notes", kind=QuestionKind.LONG_TEXT)
    db.session.add_all([short, long])
    db.session.flush()
    person = factory.registration(
        event,
        name="Ana\x0bSilva\x07",
        organisation_name="Câmara\x1b Municipal",
        answers={str(short.id): "no\x0bnuts\x00", str(long.id): "line one\x0bline two\r\nthree"},
    )
    assert person.display_name == "Ana Silva"
    assert person.organisation_name == "Câmara Municipal"
    assert person.answers == {str(short.id): "no nuts", str(long.id): "line one\nline two\nthree"}


def test_exports_survive_control_characters_already_stored(client, login, factory):
    """Rows stored before the cleaning (or by another path) must not break the whole export."""
    from eventsys.events.enums import QuestionKind
    from eventsys.events.models import Question

    organiser = factory.user()
    event = factory.event(organiser=organiser)
    question = Question(event=event, label="Diet", kind=QuestionKind.TEXT)
    db.session.add(question)
    db.session.flush()
    person = factory.registration(event, name="Ana Silva")
    person.answers = {str(question.id): "no\x0bnuts\x01"}
    person.organisation_name = "Word\x0cpaste"
    db.session.commit()
    login(organiser)
    xlsx = client.get(_url(event, "xlsx"))
    assert xlsx.status_code == 200
    _header, row = _xlsx_rows(xlsx)
    assert row[3].split() == ["Word", "paste"] and "no\nnuts" in row  # breaks kept as breaks
    _header, row = _csv_rows(client.get(_url(event, "csv")))
    assert row[3].split() == ["Word", "paste"] and "no\nnuts" in row
