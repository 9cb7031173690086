from __future__ import annotations

import click
from flask.cli import AppGroup

from eventsys.accounts import services
from eventsys.db import utcnow
from eventsys.extensions import db

users_cli = AppGroup("users", help="Manage accounts.")
tokens_cli = AppGroup("tokens", help="API bearer tokens.")


@users_cli.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--name", "display_name", prompt="Display name")
@click.password_option()
def create_admin(email: str, display_name: str, password: str) -> None:
    """Create an administrator account (or make an existing account one)."""
    existing = services.find_user_by_email(db.session, email)
    if existing is not None:
        existing.is_admin = True
        db.session.commit()
        click.echo(f"{existing.email} is now an administrator.")
        return
    try:
        user = services.create_user(
            db.session, email=email, password=password, display_name=display_name, is_admin=True
        )
    except services.AccountError as exc:
        raise click.UsageError(exc.message) from exc
    user.email_confirmed_at = utcnow()
    db.session.commit()
    click.echo(f"Administrator {user.email} created.")


@tokens_cli.command("create")
@click.argument("email")
@click.option("--name", default="cli", help="A label to recognise the token by.")
def create_token(email: str, name: str) -> None:
    """Print a new API bearer token for EMAIL (alone on the last line)."""
    user = services.find_user_by_email(db.session, email)
    if user is None or not user.is_active:
        raise click.UsageError(f"No active account uses the e-mail address {email!r}.")
    token = services.create_api_token(db.session, user, name)
    db.session.commit()
    click.echo(f"Token for {user.email} (keep it secret; it is shown once):", err=True)
    click.echo(token)
