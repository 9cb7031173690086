"""`eventsys assembly ...`: the chair's commands for the terminal."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from eventsys.assembly import services
from eventsys.events.services import event_by_slug
from eventsys.extensions import db


@click.group("assembly")
def assembly_cli() -> None:
    """General Assembly: voting rights and the audit log."""


@assembly_cli.command("sync-rights")
@click.argument("slug")
@with_appcontext
def sync_rights(slug: str) -> None:
    """Give every current member of the network a voting right."""
    assembly = services.assembly_for_event(db.session, event_by_slug(db.session, slug))
    added = services.sync_rights(db.session, assembly)
    db.session.commit()
    click.echo(f"{added} voting rights added.")


@assembly_cli.command("verify-audit")
@click.argument("slug")
@with_appcontext
def verify_audit(slug: str) -> None:
    """Check that the audit log's chain of digests is unbroken."""
    assembly = services.assembly_for_event(db.session, event_by_slug(db.session, slug))
    if services.verify_audit(db.session, assembly):
        click.echo("Audit log intact.")
    else:
        raise click.ClickException("The audit log was changed: its chain of digests is broken.")
