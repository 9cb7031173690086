"""Bulk badge printing on the task queue: never inside a web request."""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from flask import current_app

from eventsys.badges import services
from eventsys.badges.models import JobStatus, PrintJob
from eventsys.badges.render import render_pdf
from eventsys.db import utcnow
from eventsys.events.models import Event
from eventsys.extensions import db, huey

log = logging.getLogger(__name__)


@huey.task()
def print_badges(job_id: int) -> None:
    job = db.session.get(PrintJob, job_id)
    if job is None or job.status != JobStatus.QUEUED:
        return  # already run (a retried delivery of the same task) or deleted
    try:
        run_print(job)
    except Exception as exc:  # the organiser must see that it failed, not a job stuck at 40 %
        db.session.rollback()
        job = db.session.get_one(PrintJob, job_id)
        job.status = JobStatus.FAILED
        job.error = f"{type(exc).__name__}: {exc}"[:500]
        job.finished_at = utcnow()
        db.session.commit()
        log.exception("badge print job %s failed", job_id)


def run_print(job: PrintJob) -> None:
    job.status = JobStatus.RUNNING
    job.started_at = utcnow()
    db.session.commit()
    event = db.session.get_one(Event, job.event_id)
    filters, since = services.job_filters(job)
    registrations = services.select_registrations(db.session, event, filters, since=since)
    job.total = len(registrations)
    contents = list(services.badge_contents(db.session, event, registrations))
    db.session.commit()  # the codes issued for new badges

    def progress(done: int) -> None:
        job.done = done
        db.session.commit()

    pdf = render_pdf(contents, job.layout.value, services.event_look(event), progress=progress)
    job.file_name = f"{secrets.token_urlsafe(18)}.pdf"
    write_atomically(Path(current_app.config["BADGE_OUTPUT_DIR"]) / job.file_name, pdf)
    job.file_size = len(pdf)
    job.done = job.total
    job.status = JobStatus.DONE
    job.finished_at = utcnow()
    db.session.commit()


def write_atomically(path: Path, data: bytes) -> None:
    """Readers never see half a PDF."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    partial.write_bytes(data)
    os.replace(partial, path)
