"""A service's refusal that no view showed on its form becomes an error page with the service's
status (404 for NotFound, 403 for Forbidden), or the API's error envelope; nothing is saved."""

from __future__ import annotations

from sqlalchemy import select

from eventsys.accounts.models import User
from eventsys.errors import Conflict, Forbidden, NotFound, ServiceError
from eventsys.extensions import db
from eventsys.web.errors import handle_service_error


def test_pages_register_the_handler(app):
    assert app.error_handler_spec[None][None][ServiceError] is handle_service_error


def test_not_found_is_a_404_page_with_the_services_message(app):
    with app.test_request_context("/events/some-event/programme/"):
        page, status = handle_service_error(NotFound("This event has no such session."))
    assert status == 404
    assert "This event has no such session." in page
    assert "Page not found" in page


def test_forbidden_is_a_403_page(app):
    with app.test_request_context("/events/some-event/manage"):
        page, status = handle_service_error(Forbidden("Only organisers may do this."))
    assert status == 403
    assert "Only organisers may do this." in page and "Not allowed" in page


def test_a_conflict_or_an_invalid_value_keeps_its_status_and_message(app):
    with app.test_request_context("/events/some-event/manage"):
        page, status = handle_service_error(Conflict("Somebody changed it meanwhile."))
        plain, plain_status = handle_service_error(ServiceError("Not a date."))
    assert status == 409 and "Somebody changed it meanwhile." in page and "Bad request" in page
    assert plain_status == 422 and "Not a date." in plain


def test_in_the_api_it_is_the_error_envelope(app):
    with app.test_request_context("/api/v1/events/nothing-here"):
        response, status = handle_service_error(NotFound("No such event.", field="slug"))
    assert status == 404
    assert response.get_json() == {
        "error": {
            "code": "not_found",
            "message": "No such event.",
            "fields": {"slug": ["No such event."]},
        }
    }


def test_nothing_is_saved(app, factory):
    with app.test_request_context("/events/some-event/manage"):
        factory.user(email="unsaved@example.org")
        handle_service_error(Conflict("No."))
        assert db.session.scalar(select(User).where(User.email == "unsaved@example.org")) is None
