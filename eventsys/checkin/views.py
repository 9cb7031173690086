"""The check-in desk: scanner or camera, search by name, undo; live counts for organisers."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eventsys.checkin import services
from eventsys.checkin.forms import ManualForm, ScanForm, SearchForm, new_nonce
from eventsys.errors import ServiceError
from eventsys.events.access import event_role_required, has_event_role
from eventsys.extensions import db
from eventsys.validation import ActionForm

bp = Blueprint("checkin", __name__)
STAFF = ("checkin", "organiser")


def _desk(event, result=None, status: int = 200):
    search_form = SearchForm(request.args)
    matches = services.search(db.session, event, search_form.q.data or "")
    counts = services.counts(db.session, event)
    return (
        render_template(
            "checkin/desk.html",
            event=event,
            scan_form=ScanForm(formdata=None),
            search_form=search_form,
            matches=matches,
            result=result,
            recent=services.recent(db.session, event),
            counts=counts,
            undo_form=ActionForm(),
            new_nonce=new_nonce,
            is_organiser=has_event_role(current_user, event, ("organiser",)),
        ),
        status,
    )


@bp.get("/events/<slug>/checkin/")
@event_role_required(*STAFF)
def desk(event):
    return _desk(event)


def _answer(event, result, form_errors=None):
    """JSON for the page's script (with the same panel the server renders), else the page."""
    if request.is_json or request.accept_mimetypes.best == "application/json":
        return jsonify(
            outcome=result.outcome.value if result else "error",
            admitted=bool(result and result.admitted),
            replayed=bool(result and result.replayed),
            html=render_template(
                "checkin/_result.html", result=result, event=event, error=form_errors
            ),
            checked_in=services.counts(db.session, event).checked_in,
        ), (200 if result else 422)
    if form_errors:
        flash(form_errors, "error")
    return _desk(event, result, 200 if result else 422)


@bp.post("/events/<slug>/checkin/scan")
@event_role_required(*STAFF)
def scan(event):
    form = ScanForm()  # a form post, or JSON from the page's script (csrf_token included)
    if not form.validate_on_submit():
        return _answer(event, None, _("The scan could not be read; please scan again."))
    try:
        result = services.scan(
            db.session, event, form.code.data, nonce=form.nonce.data, staff_id=current_user.id
        )
    except ServiceError as exc:
        db.session.rollback()
        return _answer(event, None, exc.message)
    db.session.commit()
    return _answer(event, result)


@bp.post("/events/<slug>/checkin/manual")
@event_role_required(*STAFF)
def manual(event):
    form = ManualForm()
    if not form.validate_on_submit():
        return _answer(event, None, _("Please choose the person to check in."))
    try:
        result = services.check_in_by_hand(
            db.session,
            event,
            form.registration_id.data,
            nonce=form.nonce.data,
            staff_id=current_user.id,
        )
    except ServiceError as exc:
        db.session.rollback()
        return _answer(event, None, exc.message)
    db.session.commit()
    return _answer(event, result)


@bp.post("/events/<slug>/checkin/<int:checkin_id>/undo")
@event_role_required(*STAFF)
def undo(event, checkin_id: int):
    if not ActionForm().validate_on_submit():
        abort(400, _("The form expired; please try again."))
    try:
        checkin = services.undo(db.session, event, checkin_id, staff_id=current_user.id)
    except ServiceError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(_("Check-in of %(name)s undone.", name=checkin.registration.display_name), "info")
    return redirect(url_for("checkin.desk", slug=event.slug))


@bp.get("/events/<slug>/checkin/counts")
@event_role_required("organiser")
def counts(event):
    counts = services.counts(db.session, event)
    if request.accept_mimetypes.best == "application/json":
        return jsonify(
            confirmed=counts.confirmed,
            checked_in=counts.checked_in,
            categories=[vars(c) for c in counts.categories],
        )
    return render_template("checkin/counts.html", event=event, counts=counts)
