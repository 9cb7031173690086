from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from eventsys.events.nav import add_manage_link
    from eventsys.mail.rendering import register_renderer
    from eventsys.registration import jobs, manage, views  # noqa: F401 (jobs: queue tasks)
    from eventsys.registration.guests import hold_minutes
    from eventsys.registration.notifications import RECEIVED, render_received

    register_renderer(RECEIVED, render_received)  # the queue worker writes confirmations
    app.register_blueprint(views.bp)
    app.register_blueprint(manage.bp)
    app.jinja_env.globals["guest_hold_minutes"] = hold_minutes
    app.add_template_global(registration_availability)
    app.add_template_global(my_registrations)
    add_manage_link(app, "registration_manage.registrations", _l("Registrations"), order=20)
    add_manage_link(app, "registration_manage.failed_mails", _l("Mails"), order=80)


def registration_availability(event: object) -> object:
    """For the event page (a lower layer): places left and who waits, see availability.py."""
    from eventsys.extensions import db
    from eventsys.registration.availability import availability

    return availability(db.session, event)  # type: ignore[arg-type]


def my_registrations(user: object) -> list:
    """For the account page (a lower layer): the account's registrations, newest event first."""
    from sqlalchemy import select

    from eventsys.events.models import Event
    from eventsys.extensions import db
    from eventsys.registration.models import Registration

    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        db.session.execute(
            select(Registration)
            .join(Event, Event.id == Registration.event_id)
            .where(Registration.user_id == user.id)  # type: ignore[attr-defined]
            .order_by(Event.starts_at.desc(), Registration.id.desc())
        ).scalars()
    )
