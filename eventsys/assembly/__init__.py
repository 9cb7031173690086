"""The General Assembly: membership applications, delegates, proxies, motions, polls, minutes."""

from __future__ import annotations

from typing import Any

from flask import Flask


def init_app(app: Flask) -> None:
    from eventsys.assembly import cli, models, privacy, views  # noqa: F401  (tables)
    from eventsys.privacy.registry import register_eraser, register_exporter

    app.register_blueprint(views.bp)
    register_exporter(app, "assembly", privacy.export_assembly)
    register_eraser(app, "assembly", privacy.erase_assembly)
    app.cli.add_command(cli.assembly_cli)
    app.add_template_global(assembly_of_event)
    app.add_template_global(can_manage_assembly)


def assembly_of_event(event: Any) -> Any:
    """For the event page: the Assembly this event holds, if any."""
    from sqlalchemy import select

    from eventsys.assembly.models import Assembly
    from eventsys.extensions import db

    return db.session.execute(
        select(Assembly).where(Assembly.event_id == event.id)
    ).scalar_one_or_none()


def can_manage_assembly(event: Any) -> bool:
    from flask_login import current_user

    from eventsys.web.access import has_event_role

    return has_event_role(current_user, event, ("organiser",))
