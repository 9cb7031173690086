"""The API's one guard for the event named by a URL (api/core.py `event_for`)."""

from __future__ import annotations

import pytest
from flask import g

from eventsys.api.core import event_for
from eventsys.errors import Forbidden, NotFound


@pytest.fixture
def as_user(app):
    def enter(user):
        context = app.test_request_context("/api/v1/events/x")
        context.push()
        g.api_user = user
        return context

    return enter


def test_no_such_event_is_a_404(app, as_user, factory):
    context = as_user(factory.user())
    try:
        with pytest.raises(NotFound, match="There is no event"):
            event_for("no-such-event")
    finally:
        context.pop()


def test_a_draft_is_hidden_from_all_but_its_organisers(app, as_user, factory):
    organiser, other = factory.user(), factory.user()
    draft = factory.event(organiser=organiser, is_published=False)
    context = as_user(other)
    try:
        with pytest.raises(NotFound):
            event_for(draft.slug)
        assert event_for(draft.slug, drafts=True) is draft  # staff and Assembly pages
        g.api_user = organiser
        assert event_for(draft.slug) is draft
    finally:
        context.pop()


def test_roles_are_asked_for_with_the_callers_refusal(app, as_user, factory):
    organiser, other = factory.user(), factory.user()
    event = factory.event(organiser=organiser)
    context = as_user(other)
    try:
        assert event_for(event.slug) is event
        with pytest.raises(Forbidden, match="Only organisers."):
            event_for(event.slug, ("organiser",), refusal="Only organisers.")
        g.api_user = organiser
        assert event_for(event.slug, ("organiser",), refusal="Only organisers.") is event
    finally:
        context.pop()


def test_without_a_token_user_only_published_events_are_found(app, factory):
    event = factory.event()
    draft = factory.event(is_published=False)
    with app.test_request_context("/api/v1/events/x"):
        assert event_for(event.slug) is event
        with pytest.raises(NotFound):
            event_for(draft.slug)
