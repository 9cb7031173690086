from __future__ import annotations

from flask import Flask
from flask_babel import gettext

from eventsys.i18n import N_


def init_app(app: Flask) -> None:
    # Wiring, run when an app is built, so importing the package stays light (tests/test_layers.py).
    from eventsys.accounts import cli, views  # noqa: PLC0415
    from eventsys.accounts.services import load_user_from_session_id  # noqa: PLC0415
    from eventsys.extensions import db, login_manager  # noqa: PLC0415

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.users_cli)
    app.cli.add_command(cli.tokens_cli)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = N_("Please log in to open this page.")
    login_manager.localize_callback = gettext  # translated when flashed
    login_manager.login_message_category = "info"
    login_manager.user_loader(lambda session_id: load_user_from_session_id(db.session, session_id))
