"""Badges through /api/v1: bulk prints (organisers) and a participant's own badge."""

from __future__ import annotations

import io

from flask import abort, g, send_file, url_for
from flask_babel import gettext as _
from marshmallow import fields, validate

from eventsys.api.core import api_blueprint, event_for, token_required
from eventsys.api.schema import Schema
from eventsys.badges import jobs, services
from eventsys.badges.models import JobStatus, PrintJob, SortOrder
from eventsys.events.access import has_event_role
from eventsys.events.models import Event
from eventsys.extensions import db
from eventsys.registration.models import Registration

blp = api_blueprint("api_badges", __name__, "", "Printable badges: bulk prints and own badge.")


PDF = {"type": "string", "format": "binary"}


class PrintRequestSchema(Schema):
    category = fields.String(load_default=None, validate=validate.Length(max=40))
    since_last_print = fields.Boolean(load_default=False)
    registration_id = fields.Integer(load_default=None, metadata={"description": "One person."})
    sort = fields.String(
        load_default=SortOrder.SURNAME.value, validate=validate.OneOf([s.value for s in SortOrder])
    )


class PrintJobSchema(Schema):
    id = fields.Integer()
    status = fields.String(metadata={"description": "queued, running, done or failed"})
    layout = fields.String()
    sort = fields.String()
    total = fields.Integer()
    done = fields.Integer()
    percent = fields.Integer()
    file_size = fields.Integer(allow_none=True)
    error = fields.String(allow_none=True)
    created_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)
    download_url = fields.Method("_download", allow_none=True)

    def _download(self, job: PrintJob) -> str | None:
        if job.status != JobStatus.DONE or not job.file_name:
            return None
        return url_for("api_badges.download_print", slug=job_slug(job), job_id=job.id)


def job_slug(job: PrintJob) -> str:
    return db.session.get_one(Event, job.event_id).slug


def _organised(slug: str) -> Event:
    return event_for(
        slug, ("organiser",), refusal="Only the event's organisers may print its badges."
    )


@blp.route("/events/<slug>/badge-prints", methods=["POST"])
@token_required
@blp.arguments(PrintRequestSchema)
@blp.response(202, PrintJobSchema)
def start_print(data: dict, slug: str):
    """Start a bulk print on the task queue; poll its status, then download the PDF."""
    event = _organised(slug)
    job = services.start_print(
        db.session, event, services.PrintFilters(**data), user_id=g.api_user.id
    )
    db.session.commit()
    jobs.print_badges(job.id)
    return job


@blp.route("/events/<slug>/badge-prints/<int:job_id>")
@token_required
@blp.response(200, PrintJobSchema)
def get_print(slug: str, job_id: int):
    """Progress of a bulk print."""
    return services.job_of_event(db.session, _organised(slug), job_id)


@blp.route("/events/<slug>/badge-prints/<int:job_id>/badges.pdf")
@token_required
@blp.alt_response(
    200, schema=PDF, content_type="application/pdf", description="The badges as one PDF."
)
def download_print(slug: str, job_id: int):
    """The PDF of a finished bulk print."""
    job = services.job_of_event(db.session, _organised(slug), job_id)
    if job.status != JobStatus.DONE:
        abort(409, _("This print is not finished yet."))
    path = services.output_path(job)
    if not path.is_file():
        abort(410, _("The file of this print is gone; please print again."))
    return send_file(path, mimetype="application/pdf")


@blp.route("/registrations/<int:registration_id>/badge.pdf")
@token_required
@blp.alt_response(
    200, schema=PDF, content_type="application/pdf", description="One badge (A6 or card)."
)
def own_badge(registration_id: int):
    """The badge of a confirmed registration: the token's own, or any for the organisers."""
    registration = db.session.get(Registration, registration_id)
    organiser = registration is not None and has_event_role(
        g.api_user, registration.event, ("organiser",)
    )
    if registration is None or not (organiser or registration.user_id == g.api_user.id):
        abort(404, _("There is no registration with this id that you may see."))
    services.own_badge_registration(registration, None)
    pdf = services.single_badge_pdf(db.session, registration)
    db.session.commit()
    return send_file(io.BytesIO(pdf), mimetype="application/pdf", download_name="badge.pdf")
