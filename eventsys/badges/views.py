"""Badge pages: the organiser's print desk, and a participant's own badge."""

from __future__ import annotations

import io

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from eventsys.badges import jobs, services
from eventsys.badges.forms import LayoutForm, PrintForm
from eventsys.badges.models import JobStatus
from eventsys.errors import ServiceError
from eventsys.events.access import event_role_required, load_event
from eventsys.extensions import db
from eventsys.registration.models import Registration
from eventsys.registration.services import registration_for_token, registration_of
from eventsys.validation import ActionForm
from eventsys.web.access import login_required, token
from eventsys.web.forms import show_service_error

bp = Blueprint("badges", __name__)


def _pdf_response(pdf: bytes, name: str):
    response = send_file(
        io.BytesIO(pdf), mimetype="application/pdf", download_name=name, as_attachment=False
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/events/<slug>/badges/")
@event_role_required("organiser")
def desk(event):
    layout_form = LayoutForm(layout=services.layout_of(db.session, event).value)
    return _desk(event, layout_form, PrintForm.for_event(event))


def _desk(event, layout_form, print_form):
    print_jobs = services.jobs_of(db.session, event)
    return render_template(
        "badges/desk.html",
        event=event,
        layout_form=layout_form,
        print_form=print_form,
        jobs=print_jobs,
        busy=any(j.status in (JobStatus.QUEUED, JobStatus.RUNNING) for j in print_jobs),
        last_print=services.last_print_at(db.session, event),
    )


@bp.post("/events/<slug>/badges/layout")
@event_role_required("organiser")
def choose_layout(event):
    form = LayoutForm()
    if form.validate_on_submit():
        try:
            services.set_layout(db.session, event, form.layout.data)
        except ServiceError as exc:
            db.session.rollback()
            form.layout.errors = [exc.message]
        else:
            db.session.commit()
            flash(_("The badge layout is saved."), "success")
            return redirect(url_for("badges.desk", slug=event.slug))
    return _desk(event, form, PrintForm.for_event(event)), 422


@bp.post("/events/<slug>/badges/print")
@event_role_required("organiser")
def start_print(event):
    form = PrintForm.for_event(event)
    if form.validate_on_submit():
        try:
            person_id = (
                services.find_person(db.session, event, form.person.data)
                if (form.person.data or "").strip()
                else None
            )
            job = services.start_print(
                db.session,
                event,
                services.PrintFilters(
                    category=form.category.data or None,
                    since_last_print=form.since_last_print.data,
                    registration_id=person_id,
                    sort=form.sort.data,
                ),
                user_id=current_user.id,
            )
        except ServiceError as exc:
            db.session.rollback()
            show_service_error(form, exc, otherwise="flash")
        else:
            db.session.commit()
            jobs.print_badges(job.id)  # after commit: the worker must see the job
            flash(
                ngettext(
                    "Printing %(num)s badge: the file appears below when it is ready.",
                    "Printing %(num)s badges: the file appears below when it is ready.",
                    job.total,
                )
            )
            return redirect(url_for("badges.desk", slug=event.slug))
    return _desk(event, LayoutForm(layout=services.layout_of(db.session, event).value), form), 422


@bp.get("/events/<slug>/badges/jobs/<int:job_id>")
@event_role_required("organiser")
def job_status(event, job_id: int):
    job = _job(event, job_id)
    return jsonify(
        id=job.id,
        status=job.status.value,
        done=job.done,
        total=job.total,
        percent=job.percent,
        download=url_for("badges.download", slug=event.slug, job_id=job.id)
        if job.status == JobStatus.DONE
        else None,
    )


@bp.get("/events/<slug>/badges/jobs/<int:job_id>/badges.pdf")
@event_role_required("organiser")
def download(event, job_id: int):
    job = _job(event, job_id)
    if job.status != JobStatus.DONE:
        abort(409, _("This print is not finished yet."))
    path = services.output_path(job)
    if not path.is_file():
        abort(410, _("The file of this print is gone; please print again."))
    response = send_file(
        path, mimetype="application/pdf", download_name=f"badges-{event.slug}-{job.id}.pdf"
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _job(event, job_id: int):
    try:
        return services.job_of_event(db.session, event, job_id)
    except ServiceError as exc:
        abort(404, exc.message)


@bp.post("/events/<slug>/badges/registrations/<int:registration_id>/reissue")
@event_role_required("organiser")
def reissue(event, registration_id: int):
    if not ActionForm().validate_on_submit():
        abort(400, _("The form expired; please try again."))
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        abort(404, _("There is no such registration at this event."))
    services.reissue_code(db.session, registration)
    db.session.commit()
    flash(_("A new badge code is issued: badges printed before no longer open the door."), "info")
    return redirect(url_for("badges.desk", slug=event.slug))


@bp.get("/events/<slug>/registration/badge.pdf")
@login_required
def my_badge(slug: str):
    event = load_event(slug)
    return _own_badge(registration_of(db.session, event, current_user), current_user.id)


@bp.get("/registrations/<token>/badge.pdf")
@token
def badge_by_token(token: str):
    registration = registration_for_token(db.session, token)
    if registration is None:
        abort(404, _("This registration link is not valid. Check the link in your e-mail."))
    return _own_badge(registration, None)


def _own_badge(registration, user_id):
    try:
        registration = services.own_badge_registration(registration, user_id)
        pdf = services.single_badge_pdf(db.session, registration)
    except ServiceError as exc:
        db.session.rollback()
        abort(exc.status, exc.message)
    db.session.commit()  # a first badge issues its code
    return _pdf_response(pdf, f"badge-{registration.event.slug}.pdf")
