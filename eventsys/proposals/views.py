"""Submitters' pages: the call, writing, editing and withdrawing one's proposals; and the
speaker's invitation link."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from eventsys.db import utcnow
from eventsys.errors import ServiceError
from eventsys.events.access import has_event_role, load_event
from eventsys.extensions import db
from eventsys.organisations.models import Organisation
from eventsys.proposals import notifications, services
from eventsys.proposals.forms import FORMAT_LABELS, SpeakerForm, proposal_form
from eventsys.proposals.labels import STATUS_LABELS
from eventsys.proposals.models import Call, Proposal
from eventsys.validation import ActionForm
from eventsys.web.access import login_required, public, token
from eventsys.web.forms import save_or_show, save_or_status

bp = Blueprint("proposals", __name__)


@bp.context_processor
def _labels() -> dict[str, Any]:
    return {"status_labels": STATUS_LABELS, "format_labels": FORMAT_LABELS}


def _call(slug: str) -> Call:
    event = load_event(slug)
    if not event.is_published and not has_event_role(current_user, event, ("organiser",)):
        abort(404, _("There is no event at this address."))
    call = services.call_of(db.session, event)
    if call is None:
        abort(404, _("This event has no call for proposals."))
    return call


def _organisations() -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(Organisation.id, Organisation.name).order_by(Organisation.name)
    )
    return [(row.id, row.name) for row in rows]


def _data(form: Any) -> services.ProposalData:
    return services.ProposalData(
        texts=form.texts(),
        format=form.format.data or "",
        track=form.track.data or "",
        session_language=form.session_language.data or "",
        organisation_name=form.organisation_name.data or "",
        co_organisers=form.co_organisers(),
        speakers=form.speaker_list(),
        answers=form.answers(),
    )


def has_call(event: Any) -> bool:
    """Whether the event has a call for proposals: only then does its Review link lead
    somewhere."""
    return services.call_of(db.session, event) is not None


def call_state(event: Any) -> dict[str, Any] | None:
    """For the event page: whether the event has a call, and whether it takes proposals."""
    call = services.call_of(db.session, event)
    if call is None:
        return None
    return {
        "call": call,
        "open": call.accepts_submissions(utcnow()),
        # Reviewers have no manage page to start from: the event page leads them to their work.
        "reviews": has_event_role(current_user, event, ("reviewer", "organiser")),
    }


@bp.get("/events/<slug>/proposals")
@public
def show_call(slug: str):
    call = _call(slug)
    own = (
        services.proposals_of_user(db.session, call, current_user)
        if current_user.is_authenticated
        else []
    )
    return render_template(
        "proposals/call.html",
        call=call,
        event=call.event,
        own=own,
        is_open=call.accepts_submissions(utcnow()),
        action_form=ActionForm(),
    )


def _render_form(call: Call, form: Any, proposal: Proposal | None = None, status: int = 200):
    return render_template(
        "proposals/form.html", call=call, event=call.event, form=form, proposal=proposal
    ), status


@bp.route("/events/<slug>/proposals/new", methods=["GET", "POST"])
@login_required
def new(slug: str):
    call = _call(slug)
    if not call.accepts_submissions(utcnow()):
        flash(
            _("The call for proposals is closed: proposals can no longer be sent or changed."),
            "error",
        )
        return redirect(url_for(".show_call", slug=slug))
    form = proposal_form(call, _organisations())
    if not form.is_submitted():
        return _render_form(call, form)
    done = save_or_status(
        form,
        lambda: services.submit(db.session, call, current_user, _data(form)),
        saved=_("Thank you: your proposal is sent. You can change it until the deadline."),
        then=url_for(".show_call", slug=slug),
    )
    return _render_form(call, form, status=done) if isinstance(done, int) else done


@bp.route("/events/<slug>/proposals/<int:proposal_id>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str, proposal_id: int):
    call = _call(slug)
    try:
        proposal = services.own_proposal(db.session, call, current_user, proposal_id)
    except ServiceError as exc:
        abort(exc.status, exc.message)
    form = proposal_form(call, _organisations())
    if not form.is_submitted():
        form.fill_from(proposal)
        return _render_form(call, form, proposal)
    done = save_or_status(
        form,
        lambda: services.update(db.session, proposal, _data(form)),
        saved=_("Your proposal is saved."),
        then=url_for(".show_call", slug=slug),
    )
    return _render_form(call, form, proposal, done) if isinstance(done, int) else done


@bp.post("/events/<slug>/proposals/<int:proposal_id>/withdraw")
@login_required
def withdraw(slug: str, proposal_id: int):
    call = _call(slug)
    if not ActionForm().validate_on_submit():
        abort(400, _("The form expired; please try again."))
    try:
        proposal = services.own_proposal(db.session, call, current_user, proposal_id)
        services.withdraw(db.session, proposal)
    except ServiceError as exc:
        db.session.rollback()
        if exc.status == 404:
            abort(404, exc.message)
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(_("Your proposal is withdrawn."), "success")
    return redirect(url_for(".show_call", slug=slug))


@bp.route("/proposals/speaker/<token>", methods=["GET", "POST"])
@token
def speaker(token: str):
    found = notifications.read_speaker_token(token)
    speaker_row = None
    if found is not None:
        speaker_row = db.session.get(services.ProposalSpeaker, found[0])
    if speaker_row is None or found is None or speaker_row.email != found[1]:
        abort(404, _("This invitation is no longer valid."))
    form = SpeakerForm()
    if not form.is_submitted():
        form.name.data = speaker_row.name
        form.organisation.data = speaker_row.organisation
        form.bio.data = speaker_row.bio
    elif form.validate():
        done = save_or_show(
            form,
            lambda: services.confirm_speaker(
                db.session,
                speaker_row,
                name=form.name.data or "",
                organisation=form.organisation.data or "",
                bio=form.bio.data or "",
                user=current_user if current_user.is_authenticated else None,
            ),
            saved=_("Thank you: you are confirmed as a speaker."),
            then=url_for(".speaker", token=token),
        )
        if done is not None:
            return done
    proposal = speaker_row.proposal
    return render_template(
        "proposals/speaker.html",
        form=form,
        speaker=speaker_row,
        proposal=proposal,
        event=proposal.call.event,
    ), (422 if form.errors else 200)
