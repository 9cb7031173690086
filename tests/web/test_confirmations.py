"""Irreversible one-click actions ask before they act (issue 11, item 7): every submit button
styled as dangerous carries a `data-confirm` question, which static/js/confirm.js asks."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
DANGER_BUTTON = re.compile(r"<button\b[^>]*\bdanger\b[^>]*>", re.S)


def test_every_dangerous_button_asks_first():
    unasked = [
        f"{path.relative_to(TEMPLATES)}: {button[:90]}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        if not path.name.startswith("confirm_")  # a page that itself asks the question
        for button in DANGER_BUTTON.findall(path.read_text())
        if "data-confirm" not in button
    ]
    assert unasked == []


def test_the_question_is_asked_by_a_script_every_page_loads(client):
    page = client.get("/").get_data(as_text=True)
    assert "/static/js/confirm.js" in page
    script = client.get("/static/js/confirm.js")
    assert script.status_code == 200
    assert "data-confirm" in script.get_data(as_text=True)
    script.close()
