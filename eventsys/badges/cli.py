"""`eventsys badges print SLUG --output FILE`: the PDF is written before the command exits."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from eventsys.badges import services
from eventsys.badges.jobs import write_atomically
from eventsys.badges.models import JobStatus, SortOrder
from eventsys.badges.render import render_pdf
from eventsys.db import utcnow
from eventsys.errors import ServiceError
from eventsys.events.services import event_by_slug
from eventsys.extensions import db

badges_cli = AppGroup("badges", help="Badges: print them as one PDF.")


@badges_cli.command("print")
@click.argument("slug")
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--category", help="Only this category (its code, e.g. delegate).")
@click.option("--since-last-print", is_flag=True, help="Only people new since the last print.")
@click.option("--email", help="Only this person (e-mail or full name).")
@click.option(
    "--sort", type=click.Choice([s.value for s in SortOrder]), default=SortOrder.SURNAME.value
)
@click.option("--layout", type=click.Choice(["a6", "a4_sheet", "card"]), help="Override layout.")
def print_command(
    slug: str,
    output: Path,
    category: str | None,
    since_last_print: bool,
    email: str | None,
    sort: str,
    layout: str | None,
) -> None:
    """Render the badges of the event SLUG into FILE."""
    try:
        event = event_by_slug(db.session, slug)
        filters = services.PrintFilters(
            category=category,
            since_last_print=since_last_print,
            registration_id=services.find_person(db.session, event, email) if email else None,
            sort=sort,
        )
        job = services.start_print(db.session, event, filters, user_id=None)
        since = services.job_filters(job)[1]
        registrations = services.select_registrations(db.session, event, filters, since=since)
        contents = list(services.badge_contents(db.session, event, registrations))
    except ServiceError as exc:
        db.session.rollback()
        click.echo(f"Error: {exc.message}", err=True)
        sys.exit(1)
    chosen = layout or job.layout.value
    with click.progressbar(length=len(contents), label="Rendering badges", file=sys.stderr) as bar:
        last = [0]

        def progress(done: int) -> None:
            bar.update(done - last[0])
            last[0] = done

        pdf = render_pdf(contents, chosen, services.event_look(event), progress=progress)
    write_atomically(output, pdf)
    # Recorded as a finished print, so "since the last print" counts from here.
    job.status = JobStatus.DONE
    job.done = len(contents)
    job.finished_at = utcnow()
    job.file_size = len(pdf)
    db.session.commit()
    click.echo(f"{len(contents)} badges written to {output} ({len(pdf) / 1e6:.1f} MB).")
