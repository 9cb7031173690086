"""Texts that read wrong: "(s)", raw enum keys, seconds in date-times, run-together change words.

The scans read the templates and the code as text, so a new page that prints `kind.value` or
"e-mail(s)" fails here before anybody reads it in a browser."""

from __future__ import annotations

import ast
import enum
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask_babel import force_locale

from eventsys.extensions import db
from eventsys.organisations.models import OrganisationKind
from eventsys.web import labels
from eventsys.web.filters import local_datetime

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((ROOT / "templates").rglob("*.html")) + sorted(
    (ROOT / "templates").rglob("*.txt")
)
CODE = sorted((ROOT / "eventsys").rglob("*.py"))

# "e-mail(s)", "session(s)": English-only plurals that no translation can get right.
PARENTHESISED_PLURAL = re.compile(r"[a-zA-Zа-я]\(s\)")
# {{ x.kind.value }}, {{ x.status.value|replace('_', ' ') }}: a key printed as text.
RAW_VALUE = re.compile(r"\{\{\s*[\w.]+\.value\s*(\|[^}]*)?\}\}")
CAPITALIZED_KEY = re.compile(r"\|\s*capitalize|\.value\.(capitalize|title)\(\)|\.value\|replace")
TAG = re.compile(r"<[a-zA-Z][^>]*>")


def without_tags(text: str) -> str:
    """The text between tags: attribute values (CSS classes, ids) may hold keys."""
    return TAG.sub("<>", text)


def offenders(files: list[Path], pattern: re.Pattern[str], strip_tags: bool = False) -> list[str]:
    found = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), 1):
            if pattern.search(without_tags(line) if strip_tags else line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:120]}")
    return found


def strings_in_code(pattern: re.Pattern[str]) -> list[str]:
    """String literals (f-strings' text included) in eventsys/ that match: code is not text."""
    found = []
    for path in CODE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            is_text = isinstance(node, ast.Constant) and isinstance(node.value, str)
            if is_text and pattern.search(node.value):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value[:80]}")
    return found


def test_no_parenthesised_plurals_in_templates_or_code():
    assert offenders(TEMPLATES, PARENTHESISED_PLURAL) == []
    assert strings_in_code(PARENTHESISED_PLURAL) == []


def test_no_raw_enum_values_shown_as_text():
    assert offenders(TEMPLATES, RAW_VALUE, strip_tags=True) == []
    assert offenders(TEMPLATES + CODE, CAPITALIZED_KEY) == []


def test_no_breadcrumb_ends_in_a_separator():
    assert offenders(TEMPLATES, re.compile(r"›\s*</(p|nav|li)>")) == []


def test_every_member_of_a_labelled_enum_has_a_label(app):
    classes = {cls for cls, _value in labels.LABELS}
    assert classes, "no labels registered"
    with app.test_request_context(), force_locale("pt"):
        for cls in classes:
            assert issubclass(cls, enum.Enum)
            for member in cls:
                text = labels.label(member)
                assert text and text != member.value, (cls.__name__, member)
        assert labels.label(OrganisationKind.NGO) == "ONG"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Nov 15, 2030, 6:00 PM"),
        ("pt", "15/11/2030, 18:00"),
        ("ru", "15 нояб. 2030 г., 18:00"),
    ],
)
def test_date_times_have_no_seconds(app, language, expected):
    moment = datetime(2030, 11, 15, 14, 0, tzinfo=UTC)
    with app.test_request_context(), force_locale(language):
        text = local_datetime(moment, "Asia/Baku")
        assert not re.search(r"\d:\d\d:\d\d", text), text
        assert text.replace("\u202f", " ").replace("\xa0", " ") == expected


def test_declaration_page_puts_the_zone_inside_the_sentence(client, factory):
    event = factory.event("baku-texts", timezone="Asia/Baku")
    declaration = factory.declaration(
        event, closes_at=datetime(2030, 11, 15, 14, 0, tzinfo=UTC), slug="baku-texts-declaration"
    )
    db.session.commit()
    response = client.get(f"/events/{event.slug}/declarations/{declaration.slug}")
    assert response.status_code == 200, response.status_code
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))
    text = text.replace("\u202f", " ")
    assert "Open for signature until Nov 15, 2030, 6:00 PM (Asia/Baku)." in text
    assert ":00:00" not in text and "PM. (" not in text


def test_publish_preview_names_each_change_separately(client, login, factory):
    from eventsys.programme import versions
    from tests.programme.conftest import at, make_conf

    conf = make_conf(factory, first_day=9, last_day=11)
    row = conf.add("Energy poverty", at(9, 9), at(9, 10))
    versions.publish(db.session, conf.event)
    row.starts_at, row.ends_at = at(10, 9), at(10, 10)
    row.room_id = conf.rooms[1].id
    row.description = "Now with a field visit."
    db.session.commit()
    login(conf.organiser)
    url = f"/events/{conf.event.slug}/programme/manage/publish"
    for header, words in [
        ("en", "new time · new room · details changed Energy poverty"),
        ("pt", "novo horário · nova sala · detalhes alterados Energy poverty"),
        ("ru", "новое время · новый зал · изменены подробности Energy poverty"),
    ]:
        response = client.get(url, headers={"Accept-Language": header})
        assert response.status_code == 200
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))
        assert words in text, header
        assert "changed changed" not in text.lower()
