"""Organisers' and reviewers' pages: the call's settings, the ranked proposals, decisions, the
decision mails, exports; reviewers' list and review form."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eventsys.db import utcnow
from eventsys.errors import ServiceError
from eventsys.events.access import event_role_required, has_event_role
from eventsys.events.models import Event
from eventsys.extensions import db
from eventsys.i18n import local_to_utc, to_local
from eventsys.proposals import decisions, exports, reviews, services
from eventsys.proposals.forms import (
    FORMAT_LABELS,
    CallForm,
    DecisionForm,
    MailTemplateForm,
    lines,
    review_form,
)
from eventsys.proposals.models import Call, Proposal
from eventsys.proposals.views import bp
from eventsys.web.forms import save_or_status


def _call_or_404(event: Event) -> Call:
    try:
        return services.require_call(db.session, event)
    except ServiceError as exc:
        abort(404, exc.message)


def _proposal_or_404(call: Call, proposal_id: int) -> Proposal:
    try:
        return services.proposal_of_call(db.session, call, proposal_id)
    except ServiceError as exc:
        abort(404, exc.message)


def _call_data(form: CallForm, event: Event) -> services.CallData:
    return services.CallData(
        deadline=local_to_utc(form.deadline.data, event.timezone),
        formats=list(form.formats.data or []),
        tracks=lines(form.tracks.data),
        languages=[c.strip() for c in (form.languages.data or "").split(",")],
        questions=lines(form.questions.data),
        criteria=lines(form.criteria.data),
        max_organisations=form.max_organisations.data or 0,
        max_speakers=form.max_speakers.data or 0,
        anonymous_review=bool(form.anonymous_review.data),
        intro=form.intro.data or "",
        is_open=bool(form.is_open.data),
    )


def _fill_call_form(form: CallForm, call: Call, event: Event) -> None:
    form.intro.data = call.intro
    form.deadline.data = to_local(call.deadline, event.timezone).replace(tzinfo=None)
    form.formats.data = list(call.formats)
    form.tracks.data = "\n".join(call.tracks)
    form.languages.data = ", ".join(call.languages)
    form.questions.data = "\n".join(call.questions)
    form.criteria.data = "\n".join(call.criteria)
    form.max_organisations.data, form.max_speakers.data = call.max_organisations, call.max_speakers
    form.anonymous_review.data, form.is_open.data = call.anonymous_review, call.is_open


@bp.route("/events/<slug>/manage/proposals/call", methods=["GET", "POST"])
@event_role_required("organiser")
def manage_call(event: Event):
    call = services.call_of(db.session, event)
    form = CallForm()
    status = 200
    if not form.is_submitted():
        if call is not None:
            _fill_call_form(form, call, event)
    else:
        done = save_or_status(
            form,
            lambda: services.save_call(db.session, event, _call_data(form, event)),
            saved=_("The call for proposals is saved."),
            then=url_for(".manage", slug=event.slug),
        )
        if not isinstance(done, int):
            return done
        status = done
    return render_template("proposals/manage_call.html", event=event, form=form, call=call), status


@bp.get("/events/<slug>/manage/proposals")
@event_role_required("organiser")
def manage(event: Event):
    call = services.call_of(db.session, event)
    if call is None:
        return render_template("proposals/manage.html", event=event, call=None, ranked=[])
    ranked = reviews.ranking(services.proposals_of_call(db.session, call, with_withdrawn=True))
    return render_template(
        "proposals/manage.html",
        event=event,
        call=call,
        ranked=ranked,
        is_open=call.accepts_submissions(utcnow()),
        format_labels=FORMAT_LABELS,
        manage_active="proposals.manage",
    )


@bp.route("/events/<slug>/manage/proposals/<int:proposal_id>", methods=["GET", "POST"])
@event_role_required("organiser")
def manage_proposal(event: Event, proposal_id: int):
    call = _call_or_404(event)
    proposal = _proposal_or_404(call, proposal_id)
    form = DecisionForm()
    status = 200
    if form.is_submitted():
        done = save_or_status(
            form,
            lambda: decisions.decide(db.session, proposal, form.decision.data or ""),
            saved=_("The decision is saved and the submitter informed."),
            then=url_for(".manage", slug=event.slug),
        )
        if not isinstance(done, int):
            return done
        status = done
    (entry,) = reviews.ranking([proposal])
    return render_template(
        "proposals/manage_proposal.html",
        event=event,
        call=call,
        proposal=proposal,
        entry=entry,
        form=form,
        format_labels=FORMAT_LABELS,
        manage_active="proposals.manage",
    ), status


@bp.route("/events/<slug>/manage/proposals/mails", methods=["GET", "POST"])
@event_role_required("organiser")
def mail_templates(event: Event):
    call = _call_or_404(event)
    form = MailTemplateForm()
    status = 200
    if not form.is_submitted():
        chosen = request.args.get("decision", "accept")
        form.decision.data = chosen if chosen in ("accept", "reject", "waitlist") else "accept"
        form.subject.data, form.body.data = decisions.mail_template(call, form.decision.data)
    else:
        done = save_or_status(
            form,
            lambda: decisions.save_mail_template(
                call, form.decision.data or "", form.subject.data or "", form.body.data or ""
            ),
            saved=_("The mail is saved."),
            then=url_for(".mail_templates", slug=event.slug, decision=form.decision.data),
        )
        if not isinstance(done, int):
            return done
        status = done
    templates = {d: decisions.mail_template(call, d) for d in ("accept", "reject", "waitlist")}
    return render_template(
        "proposals/mails.html",
        event=event,
        call=call,
        form=form,
        templates=templates,
        manage_active="proposals.manage",
    ), status


def _download(body: bytes, mimetype: str, filename: str) -> Response:
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename={filename}"}
    )


def _ranked(event: Event) -> tuple[Call, list[reviews.Ranked]]:
    call = _call_or_404(event)
    return call, reviews.ranking(services.proposals_of_call(db.session, call, with_withdrawn=True))


@bp.get("/events/<slug>/manage/proposals.csv")
@event_role_required("organiser")
def export_csv(event: Event):
    call, ranked = _ranked(event)
    return _download(
        exports.to_csv(call, ranked), "text/csv; charset=utf-8", f"{event.slug}-proposals.csv"
    )


@bp.get("/events/<slug>/manage/proposals.xlsx")
@event_role_required("organiser")
def export_xlsx(event: Event):
    call, ranked = _ranked(event)
    return _download(
        exports.to_xlsx(call, ranked),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"{event.slug}-proposals.xlsx",
    )


@bp.get("/events/<slug>/review")
@event_role_required("reviewer", "organiser")
def review_list(event: Event):
    call = _call_or_404(event)
    proposals = reviews.reviewable(
        db.session, services.proposals_of_call(db.session, call), current_user
    )
    done = {r.proposal_id for p in proposals for r in p.reviews if r.reviewer_id == current_user.id}
    return render_template(
        "proposals/review_list.html",
        event=event,
        call=call,
        proposals=proposals,
        done=done,
        format_labels=FORMAT_LABELS,
        manage_active="proposals.review_list",
    )


def _fill_review(form: Any, review: Any) -> None:
    form.comment.data = review.comment
    for i, criterion in enumerate(form.criteria):
        getattr(form, f"score_{i}").data = str(review.scores.get(criterion, ""))


def _scores(form: Any) -> dict[str, Any]:
    return {c: getattr(form, f"score_{i}").data for i, c in enumerate(form.criteria)}


@bp.route("/events/<slug>/review/<int:proposal_id>", methods=["GET", "POST"])
@event_role_required("reviewer", "organiser")
def review(event: Event, proposal_id: int):
    call = _call_or_404(event)
    proposal = _proposal_or_404(call, proposal_id)
    try:
        reviews.ensure_may_review(db.session, proposal, current_user)
    except ServiceError as exc:
        abort(exc.status, exc.message)
    form = review_form(call)
    existing = reviews.own_review(db.session, proposal, current_user)
    status = 200
    if not form.is_submitted():
        if existing is not None:
            _fill_review(form, existing)
    elif not has_event_role(current_user, event, ("reviewer",)):
        abort(403, _("Only the event's reviewers score proposals."))
    else:
        done = save_or_status(
            form,
            lambda: reviews.save_review(
                db.session, proposal, current_user, _scores(form), form.comment.data or ""
            ),
            saved=_("Your review is saved."),
            then=url_for(".review_list", slug=event.slug),
        )
        if not isinstance(done, int):
            return done
        status = done
    return render_template(
        "proposals/review.html",
        event=event,
        call=call,
        proposal=proposal,
        names=reviews.visible_names(proposal, anonymous=call.anonymous_review),
        form=form,
        may_score=has_event_role(current_user, event, ("reviewer",)),
        format_labels=FORMAT_LABELS,
        manage_active="proposals.review_list",
    ), status
