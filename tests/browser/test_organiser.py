"""Journey 3: a new event is created from the New event page, its organiser edits details and
capacity, finds the registrations table by clicking, approves and rejects at Baku, moves a
session into a conflict and sees the warning, publishes, prints all badges and watches the job
finish, and checks people in by hand and by scanning a badge's code."""

from __future__ import annotations

import re
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.journey import VIEWPORTS, Journey


def log_in(j: Journey, email: str) -> None:
    page = j.page
    j.go("/")
    page.get_by_role("link", name="Log in").first.click()
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill("demo")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def badge_codes(pdf: bytes, pages: int = 2) -> list[str]:
    """The QR codes on the first pages of a badge PDF, read as the door's scanner reads them."""
    import zxingcpp
    from PIL import Image

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "badges.pdf"
        path.write_bytes(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "150",
                "-f",
                "1",
                "-l",
                str(pages),
                "-png",
                path,
                path.with_suffix(""),
            ],
            check=True,
        )
        codes = []
        for image in sorted(Path(folder).glob("*.png")):
            codes += [found.text for found in zxingcpp.read_barcodes(Image.open(image))]
    return codes


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_organiser_runs_the_events(journey_for, size):
    tag = uuid.uuid4().hex[:6]
    admin = journey_for("admin", size)
    log_in(admin, "admin@example.org")
    admin.go("/admin/events/")
    admin.page.get_by_role("link", name=re.compile("New event")).first.click()
    admin.step("new event form")
    form = admin.page
    form.get_by_role("textbox", name="Title", exact=True).fill(f"Municipal heat plans {tag}")
    form.get_by_label("Short name in the address").fill(f"heat-plans-{tag}")
    form.get_by_label("Time zone").select_option("Europe/Lisbon")
    form.get_by_label("Starts", exact=False).first.fill("2027-05-10T09:00")
    form.get_by_label("Ends", exact=False).first.fill("2027-05-10T17:00")
    form.get_by_label("First organiser's e-mail").fill("organiser@example.org")
    form.get_by_role("button", name="Create the event as a draft").click()
    expect(form.get_by_text("draft").first).to_be_visible()
    admin.step("event created")
    admin.finish()

    j = journey_for("organiser", size)
    page = j.page
    log_in(j, "organiser@example.org")
    j.go(f"/events/heat-plans-{tag}/manage/")
    j.step("the new event's overview")
    page.get_by_role("link", name="Details").first.click()
    page.get_by_label("Capacity (places for the whole event)").fill("80")
    page.get_by_label("City", exact=True).fill("Lisboa")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved", exact=False).first).to_be_visible()
    j.step("details saved")

    # Baku: the registrations table is found by clicking, then approve one and reject one.
    j.go("/events/baku-2024-south-south/manage/")
    page.get_by_role("link", name="Registrations").first.click()
    j.step("registrations table")
    page.get_by_label("Status", exact=True).select_option(label="awaiting approval")
    page.get_by_role("button", name="Filter").click()
    pending_rows = page.locator("table.registrations tbody tr")
    assert pending_rows.count() >= 2, "Baku has no pending registrations left to decide"
    pending_rows.first.locator("summary", has_text="Actions").click()
    for action in ("Approve", "Reject"):
        expect(pending_rows.first.get_by_role("button", name=action)).to_be_in_viewport(ratio=1)
    pending_rows.first.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("approved", exact=False).first).to_be_visible()
    j.step("approved")
    asked = j.agree_to_next_question()
    page.locator("table.registrations tbody tr").first.locator(
        "summary", has_text="Actions"
    ).click()
    page.locator("table.registrations tbody tr").first.get_by_role("button", name="Reject").click()
    assert asked, "rejecting asked no question first"
    expect(page.get_by_text("rejected", exact=False).first).to_be_visible()
    j.step("rejected")

    # The programme editor: a workshop moved into an occupied room shows the conflict.
    j.go("/events/cascais-2024/programme/manage")
    if size == "desktop":  # every room fits a laptop's screen, the last one included
        for name in ("Sala Estoril", "Foyer"):
            expect(page.locator(".tt-room", has_text=name)).to_be_in_viewport(ratio=1)
    j.step("programme editor")
    page.get_by_role("link", name="Urban forests against heat waves").first.click()
    j.step("session form")
    # Sala Guincho holds another workshop in the same round.
    page.get_by_label("Room").select_option(label="Sala Guincho")
    page.get_by_role("button", name="Save").click()
    j.step("session moved")
    j.go("/events/cascais-2024/programme/manage")
    expect(page.locator(".tt-block.conflict").first).to_be_attached()
    page.get_by_role("link", name=re.compile(r"^\d+$")).first.click()
    expect(page.get_by_text("Sala Guincho").first).to_be_visible()
    j.step("conflict warning")
    j.go("/events/cascais-2024/programme/manage/publish")
    page.get_by_role("button", name=re.compile("Publish")).first.click()
    j.step("published")

    # Badges for everyone, printed by the queue; the first badge's code is scanned at the door.
    j.go("/events/cascais-2024/badges/")
    page.get_by_role("button", name="Print as one PDF").click()
    download = page.get_by_role("link", name="Download PDF").first
    expect(download).to_be_visible(timeout=120_000)
    j.step("badges printed")
    codes = badge_codes(j.fetch(download.get_attribute("href")).body())
    assert len(codes) >= 2 and len(set(codes)) == len(codes), codes

    page.get_by_role("link", name="Check-in desk").first.click()
    page.get_by_label("Scan a badge", exact=False).fill(codes[list(VIEWPORTS).index(size)])
    page.keyboard.press("Enter")
    expect(page.get_by_text(re.compile("checked in|welcome", re.I)).first).to_be_visible()
    j.step("scanned in")
    page.get_by_role("searchbox").first.fill("Maria")
    page.get_by_role("button", name="Search").click()
    page.locator(".manual-form").first.get_by_role("button", name="Check in").click()
    expect(page.get_by_text(re.compile("checked in", re.I)).first).to_be_visible()
    j.step("checked in by hand")
    j.finish()
