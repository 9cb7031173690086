from __future__ import annotations

from eventsys.web.access import rule_of

AREAS = ("badges.", "checkin.", "api_badges.", "api_checkin.")


def test_every_badge_and_check_in_view_carries_an_access_rule(app):
    views = {e: v for e, v in app.view_functions.items() if e.startswith(AREAS)}
    assert len(views) >= 20
    missing = [endpoint for endpoint, view in views.items() if rule_of(view) is None]
    assert missing == []
    rules = {endpoint: rule_of(view) for endpoint, view in views.items()}
    assert rules["badges.desk"] == "event:organiser"
    assert rules["checkin.desk"] == "event:checkin,organiser"
    assert rules["checkin.counts"] == "event:organiser"
    assert rules["badges.badge_by_token"] == "token"
    assert all(rules[e] == "api" for e in rules if e.startswith("api_"))
