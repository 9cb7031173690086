"""The General Assembly: membership applications, delegates, proxies, motions, polls, minutes."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    # Wiring, run when an app is built, so importing the package stays light (tests/test_layers.py).
    from eventsys.assembly import (  # noqa: F401, PLC0415  (tables, routes)
        cli,
        desk_views,
        models,
        preparation_models,
        preparation_views,
        presence,
        privacy,
        views,
    )
    from eventsys.assembly.agenda import forms as agenda_forms  # noqa: PLC0415
    from eventsys.assembly.agenda import models as agenda_models  # noqa: F401, PLC0415
    from eventsys.assembly.agenda import views as agenda_views  # noqa: F401, PLC0415  (routes)
    from eventsys.assembly.services import appointments  # noqa: PLC0415
    from eventsys.events.nav import add_manage_link  # noqa: PLC0415
    from eventsys.privacy.registry import register_eraser, register_exporter  # noqa: PLC0415
    from eventsys.registration.signals import registration_confirmed  # noqa: PLC0415

    app.register_blueprint(views.bp)
    registration_confirmed.connect(appointments.on_registration_confirmed)
    # The chair's desk also sets an Assembly up, so organisers find it before one exists.
    add_manage_link(app, "assembly.manage", _l("General Assembly"), order=70)
    register_exporter(app, "assembly", privacy.export_assembly)
    register_eraser(app, "assembly", privacy.erase_assembly)
    app.cli.add_command(cli.assembly_cli)
    app.add_template_global(views.assembly_of_event)
    app.add_template_global(views.can_manage_assembly)
    app.add_template_global(presence.presence_text)
    app.add_template_global(agenda_forms.ITEM_KIND_LABELS.get, "item_kind_label")
