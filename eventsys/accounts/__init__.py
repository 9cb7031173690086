from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from eventsys.accounts import cli, views
    from eventsys.accounts.services import load_user_from_session_id
    from eventsys.extensions import db, login_manager

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.users_cli)
    app.cli.add_command(cli.tokens_cli)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please log in to open this page."
    login_manager.login_message_category = "info"
    login_manager.user_loader(lambda session_id: load_user_from_session_id(db.session, session_id))
