"""`eventsys programme ...`: conflicts and publishing from the command line."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from eventsys.errors import ServiceError
from eventsys.events.services import event_by_slug
from eventsys.extensions import db
from eventsys.programme import services, versions
from eventsys.programme.labels import warning_text

group = AppGroup("programme", help="The timetable of an event.")


@group.command("conflicts")
@click.argument("slug")
def conflicts_command(slug: str) -> None:
    """List every conflict in the draft timetable of SLUG."""
    event = event_by_slug(db.session, slug)
    programme = services.load_programme(db.session, event)
    titles = {row.id: row.title for row in programme.sessions}
    warnings = services.conflicts_of(programme)
    for warning in warnings:
        click.echo(f"{warning.kind}: {warning_text(warning, titles)}")
    click.echo(f"{len(warnings)} conflict" + ("" if len(warnings) == 1 else "s"))


@group.command("publish")
@click.argument("slug")
@click.option("--comment", default="", help="A note shown with the version.")
def publish_command(slug: str, comment: str) -> None:
    """Publish the draft timetable of SLUG as a new version."""
    event = event_by_slug(db.session, slug)
    try:
        version = versions.publish(db.session, event, comment=comment)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from exc
    db.session.commit()
    changes = len(version.changes)
    click.echo(
        f"Published version {version.number} ({changes} change{'' if changes == 1 else 's'})."
    )


def init_app(app: Flask) -> None:
    app.cli.add_command(group)
