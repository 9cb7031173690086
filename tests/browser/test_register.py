"""Journey: the keeper of the Cascais network's member register (the demo's organiser) finds it
on their account page, uploads a file with one faulty row and sees the preview refuse it,
uploads the corrected file and applies it; then, as chair, opens "Before the meeting" from the
chair's desk, sees who has not acted yet, and follows its link back to the register."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.journey import VIEWPORTS, Journey
from tests.browser.test_organiser import log_in

HEADER = "code,name,short_name,kind,country,city,member_since,status,weight\n"


def member_rows(tag: str) -> str:
    return (
        f"SNT-{tag},Sintra {tag},Sintra,municipality,PT,Sintra,2025-03-01,active,2\n"
        f"ODV-{tag},Odivelas {tag},,municipality,PT,Odivelas,2025-04-15,active,1\n"
    )


def upload(j: Journey, file: Path) -> None:
    page = j.page
    page.get_by_label("CSV or XLSX file").set_input_files(file)
    page.get_by_role("button", name="Show what changes").click()
    expect(page.get_by_role("heading", name="What the file changes")).to_be_visible()


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_keeper_updates_the_register_and_the_chair_prepares(journey_for, tmp_path, size):
    tag = uuid.uuid4().hex[:6]
    faulty = tmp_path / "members.csv"
    faulty.write_text(HEADER + member_rows(tag) + f",Nowhere {tag},,municipality,XX,,,,1\n")
    corrected = tmp_path / "members-corrected.csv"
    corrected.write_text(HEADER + member_rows(tag))

    j = journey_for("register", size)
    log_in(j, "organiser@example.org")
    page = j.page
    page.get_by_role("link", name="Olga Organizer").click()
    j.step("account page")
    page.get_by_role("link", name=re.compile("^Member register of")).first.click()
    expect(page.get_by_role("heading", name=re.compile("^Member register of"))).to_be_visible()
    j.step("the register")

    upload(j, faulty)
    errors = page.locator("#errors + .table-scroll tbody tr")
    expect(errors).to_have_count(1)
    expect(errors.first).to_contain_text("XX")
    expect(page.get_by_text(f"Sintra {tag} (PT)")).to_be_visible()
    expect(page.get_by_text(f"Odivelas {tag} (PT)")).to_be_visible()
    expect(page.get_by_role("button", name="Apply these changes")).to_have_count(0)
    j.step("preview with an error")

    page.get_by_role("link", name=re.compile("^Member register of")).click()
    upload(j, corrected)
    expect(page.locator(".stat", has_text="errors")).to_contain_text("0")
    j.step("preview without errors")
    page.get_by_role("button", name="Apply these changes").click()
    page.get_by_label("Find a member").fill(tag)
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("row", name=re.compile(f"Sintra {tag}"))).to_contain_text(f"SNT-{tag}")
    expect(page.get_by_role("row", name=re.compile(f"Odivelas {tag}"))).to_be_visible()
    j.step("applied")

    j.go("/events/cascais-2024/")
    page.get_by_role("link", name="Chair’s desk").click()
    page.get_by_role("link", name=re.compile("Before the meeting")).click()
    waiting = page.get_by_role("heading", name=re.compile(r"\d+ members? (has|have) not acted"))
    expect(waiting).to_be_visible()
    j.step("before the meeting")
    page.get_by_role("link", name=re.compile("^Member register of")).click()
    expect(page.get_by_role("heading", name=re.compile("^Member register of"))).to_be_visible()
    j.finish()
