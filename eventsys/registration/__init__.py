from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    # Wiring, run when an app is built, so importing the package stays light (tests/test_layers.py).
    from eventsys.events.nav import add_manage_link  # noqa: PLC0415
    from eventsys.events.signals import capacity_grew, category_uses, question_answers  # noqa: PLC0415
    from eventsys.registration import jobs, manage, services, statistics, views  # noqa: F401, PLC0415
    from eventsys.registration.guests import hold_minutes  # noqa: PLC0415

    # What events announces and asks (events/signals.py); jobs: its queue tasks.
    capacity_grew.connect(services.fill_free_places)
    category_uses.connect(statistics.registrations_in_category)
    question_answers.connect(statistics.answers_to)
    from eventsys.mail.rendering import register_renderer  # noqa: PLC0415
    from eventsys.registration.notifications import RECEIVED, render_received  # noqa: PLC0415

    register_renderer(RECEIVED, render_received)  # the queue worker writes confirmations
    app.register_blueprint(views.bp)
    app.register_blueprint(manage.bp)
    app.jinja_env.globals["guest_hold_minutes"] = hold_minutes
    app.add_template_global(views.registration_availability)
    app.add_template_global(views.my_registrations)
    add_manage_link(app, "registration_manage.registrations", _l("Registrations"), order=20)
    add_manage_link(app, "registration_manage.failed_mails", _l("Mails"), order=80)
