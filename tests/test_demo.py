from __future__ import annotations

from sqlalchemy import func, select

from eventsys.demo import DEMO_REVIEWERS, load_demo
from eventsys.events.models import Event
from eventsys.extensions import db
from eventsys.registration.enums import Status
from eventsys.registration.models import Registration


def _registrations(slug: str) -> list[Registration]:
    return list(
        db.session.execute(select(Registration).join(Event).where(Event.slug == slug)).scalars()
    )


def test_demo_has_both_events_with_people_in_many_scripts():
    assert load_demo(db.session) is not None
    cascais = _registrations("cascais-2024")
    confirmed = [r for r in cascais if r.status == Status.CONFIRMED]
    assert 380 <= len(confirmed) <= 450
    assert len({r.country for r in confirmed}) >= 25
    names = " ".join(r.display_name for r in confirmed)
    for fragment in ("Ələkbərov", "Пашковская", "Ștefănescu", "Conceição"):
        assert fragment in names
    baku = _registrations("baku-2024-south-south")
    baku_names = " ".join(r.display_name for r in baku if r.status == Status.CONFIRMED)
    assert any("\u0600" <= ch <= "\u06ff" for ch in baku_names), "an Arabic name"
    assert any("\u0900" <= ch <= "\u097f" for ch in baku_names), "a Devanagari name"
    assert any(r.status == Status.PENDING for r in baku), "Baku registers by approval"
    event = db.session.execute(
        select(Event).where(Event.slug == "baku-2024-south-south")
    ).scalar_one()
    assert event.timezone == "Asia/Baku" and event.requires_approval


def test_second_load_changes_nothing():
    load_demo(db.session)
    before = db.session.execute(select(func.count()).select_from(Registration)).scalar_one()
    assert load_demo(db.session) is None
    after = db.session.execute(select(func.count()).select_from(Registration)).scalar_one()
    assert before == after


def test_demo_command_prints_the_accounts(app):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    for email in ("admin@example.org", "organiser@example.org", "participant@example.org"):
        assert email in result.output


def test_a_tests_commits_are_rolled_back_afterwards_part_one(factory):
    factory.event(slug="must-not-survive")
    db.session.commit()


def test_a_tests_commits_are_rolled_back_afterwards_part_two():
    found = db.session.execute(select(Event).where(Event.slug == "must-not-survive")).first()
    assert found is None


def test_the_demo_organiser_manages_every_demo_event_and_the_command_lists_them(app, client, login):
    from eventsys.accounts.models import User

    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    slugs = db.session.execute(select(Event.slug).where(Event.parent_id.is_(None))).scalars().all()
    assert "climate-alliance-workshop-next" in slugs
    for slug in slugs:
        assert slug in result.output
    organiser = db.session.execute(
        select(User).where(User.email == "organiser@example.org")
    ).scalar_one()
    login(organiser)
    for slug in slugs:
        assert client.get(f"/events/{slug}/manage/").status_code == 200, slug


def test_demo_command_lists_the_proposals_reviewers_with_their_events(app):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    accounts = lines[lines.index("Demo accounts (password 'demo'):") + 1 :]
    reviewers = {line.split()[0]: line for line in accounts if "proposals reviewer" in line}
    assert list(reviewers) == [email for email, _name in DEMO_REVIEWERS]
    assert reviewers["reviewer@example.org"].endswith(
        "proposals reviewer: cascais-2024, baku-2024-south-south"
    )
    assert reviewers["reviewer2@example.org"].endswith("proposals reviewer: cascais-2024")
    # Run again on the loaded demo: the same list.
    again = app.test_cli_runner().invoke(args=["demo"])
    assert "The demo data is already loaded" in again.output
    assert [line for line in again.output.splitlines() if "proposals reviewer" in line] == list(
        reviewers.values()
    )
