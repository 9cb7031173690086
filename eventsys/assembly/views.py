"""General Assembly pages: voting, projector, results, applications and the chair's desk."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from eventsys.assembly import minutes, services
from eventsys.assembly.agenda import context as agenda_context
from eventsys.assembly.forms import ApplicationForm, DocumentForm, MotionForm, PollForm, ReviewForm
from eventsys.assembly.models import (
    ApplicationDocument,
    Assembly,
    Poll,
    PollState,
)
from eventsys.errors import ServiceError
from eventsys.events.access import event_role_required, has_event_role, load_event
from eventsys.events.models import Event
from eventsys.extensions import db
from eventsys.i18n.content import form_translations, translation_languages
from eventsys.validation import ActionForm, db_ints
from eventsys.web.access import login_required, public
from eventsys.web.forms import run_service, show_service_error

bp = Blueprint("assembly", __name__, url_prefix="/events/<slug>/assembly")


def _assembly(event: Event) -> Assembly:
    try:
        return services.assembly_for_event(db.session, event)
    except ServiceError as exc:
        abort(404, exc.message)


def _upload_settings() -> dict[str, Any]:
    return {
        "upload_dir": current_app.config["UPLOAD_DIR"],
        "max_bytes": int(current_app.config["UPLOAD_MAX_BYTES"]),
    }


def _check_action_form() -> None:
    if not ActionForm().validate_on_submit():
        abort(400, _("The form expired; please try again."))


# --- Delegates: vote from a phone --------------------------------------------------------


@bp.get("/vote")
@login_required
def vote_page(slug: str):
    event = load_event(slug)
    return _vote_page(event, _assembly(event))


def _vote_page(event: Event, assembly: Assembly, receipts: dict[str, Any] | None = None):
    """The delegate's ballot. Sent with no-store: it may carry receipts, and a shared browser's
    back button or cache must never show them (nor someone's ballot) to the next person."""
    open_polls = list(
        db.session.execute(
            select(Poll)
            .where(Poll.assembly_id == assembly.id, Poll.state == PollState.OPEN)
            .order_by(Poll.opened_at)
        ).scalars()
    )
    rights = services.exercisable_rights(db.session, assembly.id, current_user.id)
    right_ids = [right[0] for right in rights]
    voted = {
        poll.id: services.voted_right_ids(db.session, poll.id, right_ids) for poll in open_polls
    }
    is_delegate = bool(rights) or services.is_delegate(db.session, assembly, current_user.id)
    response = make_response(
        render_template(
            "assembly/vote.html",
            event=event,
            assembly=assembly,
            polls=open_polls,
            rights=rights,
            voted=voted,
            is_delegate=is_delegate,
            receipts=receipts,
            state_version=services.assembly_state_version(db.session, assembly.id),
            form=ActionForm(),
            **agenda_context.delegate_context(db.session, assembly, current_user.id),
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/polls/<int:poll_id>/vote")
@login_required
def cast(slug: str, poll_id: int):
    event = load_event(slug)
    assembly = _assembly(event)
    _check_action_form()
    try:
        poll = services.poll_of(db.session, assembly, poll_id)
    except ServiceError as exc:
        abort(404, exc.message)
    choices = db_ints(request.form.getlist("choice"))
    right_ids = db_ints(request.form.getlist("right")) or None
    try:
        receipts = services.cast_vote(db.session, poll.id, current_user.id, choices, right_ids)
    except ServiceError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("assembly.vote_page", slug=slug))
    db.session.commit()
    flash(_("Your vote is counted."), "success")
    # The receipts are shown once, in this answer, and stored nowhere: not in our tables, not
    # in the (signed, readable) session cookie, so they cannot outlive this login or this page.
    shown = {
        "poll": poll.motion.title,
        "items": [{"member": r.member, "receipt": r.receipt} for r in receipts],
    }
    return _vote_page(event, assembly, shown)


# --- Hall projector and published results --------------------------------------------------


@bp.get("/projector")
@public
def projector(slug: str):
    event = load_event(slug)
    assembly = _assembly(event)
    poll = services.projected_poll(db.session, assembly)
    votes = services.vote_count(db.session, poll.id) if poll else 0
    present = len(services.present_rights(db.session, assembly.id))
    return render_template(
        "assembly/projector.html",
        event=event,
        assembly=assembly,
        poll=poll,
        votes=votes,
        present=present,
        entitled=len(assembly.rights),
        state=services.assembly_state(db.session, assembly.id),
        presence=services.presence_summary(db.session, assembly),
        **agenda_context.projector_context(db.session, assembly),
    )


@bp.get("/state")
@public
def live_state(slug: str):
    """What the live pages (ballot, projector, desk) poll every few seconds: the versions, the
    open agenda item and its speakers. An unchanged state answers 304 to its ETag."""
    event = load_event(slug)
    state = services.assembly_state(db.session, _assembly(event).id)
    response = jsonify(state)
    response.set_etag(str(state["votes"]))  # the widest digest: it covers every other
    response.headers["Cache-Control"] = "no-store"
    return response.make_conditional(request)


@bp.get("/polls/<int:poll_id>")
@public
def poll_result(slug: str, poll_id: int):
    event = load_event(slug)
    assembly = _assembly(event)
    try:
        poll = services.poll_of(db.session, assembly, poll_id)
    except ServiceError as exc:
        abort(404, exc.message)
    if poll.state == PollState.DRAFT:
        abort(404, _("This poll has not been opened."))
    ballots = (
        services.published_ballots(db.session, poll)
        if poll.state in (PollState.CLOSED, PollState.ANNULLED)
        else []
    )
    return render_template(
        "assembly/poll.html",
        event=event,
        assembly=assembly,
        poll=poll,
        ballots=ballots,
        votes=services.vote_count(db.session, poll.id),
    )


@bp.get("/polls/<int:poll_id>/documents/<int:index>")
@login_required
def poll_document(slug: str, poll_id: int, index: int):
    """A document a poll is about, as it was when the poll opened. Application papers can hold
    personal data, so only the Assembly's delegates and the event's organisers may read them,
    and only once the poll is open."""
    event = load_event(slug)
    assembly = _assembly(event)
    if not (
        has_event_role(current_user, event, ("organiser",))
        or services.is_delegate(db.session, assembly, current_user.id)
    ):
        abort(403, _("Only the Assembly's delegates and the organisers may read its documents."))
    try:
        poll = services.poll_of(db.session, assembly, poll_id)
        document, path = services.poll_document(
            db.session, poll, index, current_app.config["UPLOAD_DIR"]
        )
    except ServiceError as exc:
        abort(404, exc.message)
    return send_file(path, mimetype="application/pdf", download_name=document.filename)


# --- Membership applications -------------------------------------------------------------


@bp.route("/apply", methods=["GET", "POST"])
@login_required
def apply(slug: str):
    event = load_event(slug)
    assembly = _assembly(event)
    form = ApplicationForm()
    if form.validate_on_submit():
        uploads = [
            services.Upload(kind, file.filename or f"{kind}.pdf", file.read(limit + 1))
            for kind, limit in (
                ("resolution", int(current_app.config["UPLOAD_MAX_BYTES"])),
                ("statutes", int(current_app.config["UPLOAD_MAX_BYTES"])),
                ("letter", int(current_app.config["UPLOAD_MAX_BYTES"])),
            )
            if (file := request.files.get(kind)) and file.filename
        ]
        try:
            services.submit_application(
                db.session,
                assembly,
                organisation_name=form.organisation_name.data,
                organisation_kind=form.organisation_kind.data,
                country=form.country.data or None,
                city=form.city.data,
                contact_name=form.contact_name.data,
                contact_email=form.contact_email.data,
                statement=form.statement.data or "",
                uploads=uploads,
                user_id=current_user.id,
                **_upload_settings(),
            )
        except ServiceError as exc:
            db.session.rollback()
            show_service_error(form, exc)
        else:
            db.session.commit()
            flash(_("Thank you: the board will review your application."), "success")
            return redirect(url_for("events.show", slug=slug))
    return render_template("assembly/apply.html", event=event, assembly=assembly, form=form)


# --- The chair's desk ----------------------------------------------------------------------


@bp.route("/manage/applications/<int:application_id>", methods=["GET", "POST"])
@event_role_required("organiser")
def application(event: Event, application_id: int):
    assembly = _assembly(event)
    try:
        item = services.application_of(db.session, assembly, application_id)
    except ServiceError as exc:
        abort(404, exc.message)
    form = ReviewForm(prefix="review", complete="1" if item.status.value != "incomplete" else "0")
    document_form = DocumentForm(prefix="doc")
    if request.method == "POST" and request.form.get("action") == "review" and form.validate():
        run_service(
            lambda: services.review_application(
                db.session,
                item,
                complete=form.complete.data == "1",
                comment=form.comment.data,
                actor_id=current_user.id,
            ),
            _("The board's review is saved."),
        )
        return redirect(request.path)
    if request.method == "POST" and request.form.get("action") == "agenda":
        _check_action_form()
        run_service(
            lambda: services.put_on_agenda(db.session, item, actor_id=current_user.id),
            _("The admission is on the agenda."),
        )
        return redirect(request.path)
    if request.method == "POST" and request.form.get("action") == "document":
        if document_form.validate():
            file = request.files.get("doc-file")
            data = file.read(int(current_app.config["UPLOAD_MAX_BYTES"]) + 1) if file else b""
            run_service(
                lambda: services.add_document(
                    db.session,
                    item,
                    services.Upload(document_form.kind.data, getattr(file, "filename", ""), data),
                    **_upload_settings(),
                ),
                _("Document added."),
            )
        return redirect(request.path)
    if not form.is_submitted():
        form.comment.data = item.board_comment
    return render_template(
        "assembly/application.html",
        event=event,
        assembly=assembly,
        item=item,
        form=form,
        document_form=document_form,
        action_form=ActionForm(),
    )


@bp.get("/manage/documents/<int:document_id>")
@event_role_required("organiser")
def document(event: Event, document_id: int):
    assembly = _assembly(event)
    document = db.session.get(ApplicationDocument, document_id)
    if document is None or document.application.assembly_id != assembly.id:
        abort(404, _("There is no such document."))
    path = services.document_path(current_app.config["UPLOAD_DIR"], document)
    if not path.exists():
        abort(404, _("The file is missing from the server."))
    return send_file(path, mimetype="application/pdf", download_name=document.filename)


@bp.post("/manage/motions")
@event_role_required("organiser")
def create_motion(event: Event):
    assembly = _assembly(event)
    form = MotionForm(prefix="motion")
    if form.validate_on_submit():
        run_service(
            lambda: services.create_motion(
                db.session,
                assembly,
                kind=form.kind.data,
                title=form.title.data,
                text=form.text.data,
                title_translations=form_translations(
                    request.form, form.title.name, translation_languages(event)
                ),
                text_translations=form_translations(
                    request.form, form.text.name, translation_languages(event)
                ),
            ),
            _("Motion added to the agenda."),
        )
    else:
        flash(_("A motion needs a title."), "error")
    return redirect(url_for("assembly.manage", slug=event.slug) + "#motions")


@bp.post("/manage/motions/<int:motion_id>/polls")
@event_role_required("organiser")
def create_poll(event: Event, motion_id: int):
    assembly = _assembly(event)
    form = PollForm(prefix="poll")
    if not form.validate_on_submit():
        flash(_("Please check the poll's settings."), "error")
        return redirect(url_for("assembly.manage", slug=event.slug) + "#motions")

    def create():
        motion = services.motion_of(db.session, assembly, motion_id)
        return services.create_poll(
            db.session,
            motion,
            secret=form.secret.data == "1",
            majority_rule=form.majority.data,
            base=form.base.data,
            double_majority=form.double_majority.data,
            quorum_percent=form.quorum_percent.data,
            tie_rule=form.tie_rule.data,
            candidates=(form.candidates.data or "").splitlines(),
            max_choices=form.max_choices.data or 1,
            seats=form.seats.data or 1,
        )

    run_service(create, _("Poll prepared; open it when the Assembly is ready."))
    return redirect(url_for("assembly.manage", slug=event.slug) + "#motions")


@bp.get("/manage/minutes.pdf")
@event_role_required("organiser")
def minutes_pdf(event: Event):
    assembly = _assembly(event)
    pdf = minutes.render_minutes(db.session, assembly)
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="minutes-{event.slug}.pdf"'},
    )


# --- template helpers (registered by init_app) ---------------------------------------------


def assembly_of_event(event: Any) -> Any:
    """For the event page: the Assembly this event holds, if any."""
    return db.session.execute(
        select(Assembly).where(Assembly.event_id == event.id)
    ).scalar_one_or_none()


def can_manage_assembly(event: Any) -> bool:
    return has_event_role(current_user, event, ("organiser",))
