"""The General Assembly: membership applications, delegates, proxies, motions, polls, minutes."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from eventsys.assembly import (  # noqa: F401  (tables, routes)
        cli,
        desk_views,
        models,
        preparation_models,
        preparation_views,
        presence,
        privacy,
        views,
    )
    from eventsys.assembly.agenda import forms as agenda_forms
    from eventsys.assembly.agenda import models as agenda_models  # noqa: F401
    from eventsys.assembly.agenda import views as agenda_views  # noqa: F401  (routes)
    from eventsys.events.nav import add_manage_link
    from eventsys.privacy.registry import register_eraser, register_exporter

    app.register_blueprint(views.bp)
    # The chair's desk also sets an Assembly up, so organisers find it before one exists.
    add_manage_link(app, "assembly.manage", _l("General Assembly"), order=70)
    register_exporter(app, "assembly", privacy.export_assembly)
    register_eraser(app, "assembly", privacy.erase_assembly)
    app.cli.add_command(cli.assembly_cli)
    app.add_template_global(assembly_of_event)
    app.add_template_global(can_manage_assembly)
    app.add_template_global(presence.presence_text)
    app.add_template_global(agenda_forms.ITEM_KIND_LABELS.get, "item_kind_label")


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
