"""Agenda pages: the chair's agenda desk, the delegate's requests to speak, remote attendance.

The routes hang on the Assembly's blueprint (/events/<slug>/assembly/...)."""

from __future__ import annotations

from typing import Any

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from eventsys.assembly import services
from eventsys.assembly.agenda import services as agenda
from eventsys.assembly.agenda.context import item_view
from eventsys.assembly.agenda.forms import AgendaItemForm, RemoteQuorumForm, SpeakerForm
from eventsys.assembly.desk import delegate_by_email
from eventsys.assembly.models import Assembly, MembershipApplication, Motion
from eventsys.assembly.views import _assembly, _check_action_form, bp
from eventsys.choices import options
from eventsys.errors import ServiceError
from eventsys.events.access import event_role_required, has_event_role, load_event
from eventsys.events.models import Event
from eventsys.extensions import db
from eventsys.validation import ActionForm
from eventsys.web.access import login_required
from eventsys.web.forms import run_service

MOVES = {"up": -1, "down": 1}


def _desk(event: Event, anchor: str = "agenda") -> Any:
    return redirect(url_for("assembly.agenda_desk", slug=event.slug) + f"#{anchor}")


def _item(assembly: Assembly, item_id: int) -> Any:
    try:
        return agenda.item_of(db.session, assembly, item_id)
    except ServiceError as exc:
        abort(404, exc.message)


def _item_form(assembly: Assembly) -> AgendaItemForm:
    form = AgendaItemForm(prefix="item")
    motions = db.session.execute(
        select(Motion.id, Motion.title)
        .where(Motion.assembly_id == assembly.id)
        .order_by(Motion.position, Motion.id)
    ).all()
    applications = db.session.execute(
        select(MembershipApplication)
        .where(MembershipApplication.assembly_id == assembly.id)
        .order_by(MembershipApplication.submitted_at)
    ).scalars()
    form.motion_id.choices = options([("", "—")], [(str(i), t) for i, t in motions])
    form.application_id.choices = options(
        [("", "—")], [(str(a.id), a.organisation.name) for a in applications]
    )
    return form


def _optional_id(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else None


@bp.route("/manage/agenda", methods=["GET", "POST"])
@event_role_required("organiser")
def agenda_desk(event: Event):
    assembly = _assembly(event)
    form = _item_form(assembly)
    if form.validate_on_submit():
        if run_service(
            lambda: agenda.create_item(
                db.session,
                assembly,
                kind=form.kind.data,
                title=form.title.data or "",
                text=form.text.data or "",
                motion_id=_optional_id(form.motion_id.data),
                application_id=_optional_id(form.application_id.data),
                speaking_seconds=form.speaking_seconds.data or 0,
                actor_id=current_user.id,
            ),
            _("Agenda item added."),
        ):
            return _desk(event)
    elif form.is_submitted():
        flash(_("Please check the agenda item."), "error")
    items = agenda.agenda_items(db.session, assembly)
    return render_template(
        "assembly/agenda_desk.html",
        event=event,
        assembly=assembly,
        items=[item_view(item) for item in items],
        item_form=form,
        speaker_form=SpeakerForm(prefix="speaker"),
        quorum_form=RemoteQuorumForm(
            prefix="remote", counts="1" if assembly.remote_counts_for_quorum else "0"
        ),
        presence=services.presence_summary(db.session, assembly),
        state_version=services.assembly_state_version(db.session, assembly.id),
        form=ActionForm(),
    )


@bp.post("/manage/agenda/remote-quorum")
@event_role_required("organiser")
def remote_quorum(event: Event):
    assembly = _assembly(event)
    form = RemoteQuorumForm(prefix="remote")
    if form.validate_on_submit():
        run_service(
            lambda: agenda.set_remote_quorum(
                db.session, assembly, form.counts.data == "1", actor_id=current_user.id
            ),
            _("Settings saved."),
        )
    else:
        flash(_("Please check the values."), "error")
    return _desk(event, "attendance")


@bp.post("/manage/agenda/<int:item_id>/<any(open, close, up, down, lock, unlock):action>")
@event_role_required("organiser")
def item_action(event: Event, item_id: int, action: str):
    assembly = _assembly(event)
    item = _item(assembly, item_id)
    _check_action_form()
    actor = current_user.id
    calls = {
        "open": lambda: agenda.open_item(db.session, item, actor_id=actor),
        "close": lambda: agenda.close_item(db.session, item, actor_id=actor),
        "up": lambda: agenda.move_item(db.session, item, -1),
        "down": lambda: agenda.move_item(db.session, item, 1),
        "lock": lambda: agenda.set_speakers_closed(db.session, item, True),
        "unlock": lambda: agenda.set_speakers_closed(db.session, item, False),
    }
    run_service(calls[action])
    return _desk(event, f"item-{item.id}")


@bp.post("/manage/agenda/<int:item_id>/speakers")
@event_role_required("organiser")
def add_speaker(event: Event, item_id: int):
    assembly = _assembly(event)
    item = _item(assembly, item_id)
    form = SpeakerForm(prefix="speaker")
    if not form.validate_on_submit():
        flash(_("Please give the e-mail of a person registered for the event."), "error")
        return _desk(event, f"item-{item.id}")

    def add():
        registration = delegate_by_email(db.session, event.id, form.email.data or "")
        if registration is None:
            raise ServiceError(_("Please give the e-mail of a person registered for the event."))
        return agenda.add_speaker(db.session, item, registration)

    run_service(add, _("Added to the list of speakers."))
    return _desk(event, f"item-{item.id}")


@bp.post("/manage/agenda/<int:item_id>/stop")
@event_role_required("organiser")
def stop_speaker(event: Event, item_id: int):
    item = _item(_assembly(event), item_id)
    _check_action_form()
    run_service(lambda: agenda.stop_speaker(db.session, item))
    return _desk(event, f"item-{item.id}")


@bp.post(
    "/manage/agenda/<int:item_id>/speakers/<int:speaker_id>/<any(start, up, down, remove):action>"
)
@event_role_required("organiser")
def speaker_action(event: Event, item_id: int, speaker_id: int, action: str):
    item = _item(_assembly(event), item_id)
    _check_action_form()
    try:
        speaker = agenda.speaker_of(db.session, item, speaker_id)
    except ServiceError as exc:
        abort(404, exc.message)
    calls = {
        "start": lambda: agenda.start_speaker(db.session, speaker, actor_id=current_user.id),
        "up": lambda: agenda.move_speaker(db.session, speaker, -1),
        "down": lambda: agenda.move_speaker(db.session, speaker, 1),
        "remove": lambda: agenda.remove_speaker(db.session, speaker),
    }
    run_service(calls[action])
    return _desk(event, f"item-{item.id}")


@bp.post("/manage/agenda/<int:item_id>/documents")
@event_role_required("organiser")
def add_item_document(event: Event, item_id: int):
    item = _item(_assembly(event), item_id)
    _check_action_form()
    file = request.files.get("file")
    limit = int(current_app.config["UPLOAD_MAX_BYTES"])
    data = file.read(limit + 1) if file else b""
    run_service(
        lambda: agenda.add_item_document(
            db.session,
            item,
            services.Upload("other", getattr(file, "filename", "") or "document.pdf", data),
            upload_dir=current_app.config["UPLOAD_DIR"],
            max_bytes=limit,
        ),
        _("Document added."),
    )
    return _desk(event, f"item-{item.id}")


@bp.get("/agenda/<int:item_id>/documents/<int:document_id>")
@login_required
def item_document(slug: str, item_id: int, document_id: int):
    """An item's document: for the Assembly's delegates and the event's organisers, as the
    papers polls are about."""
    event = load_event(slug)
    assembly = _assembly(event)
    if not (
        has_event_role(current_user, event, ("organiser",))
        or services.is_delegate(db.session, assembly, current_user.id)
    ):
        abort(403, _("Only the Assembly's delegates and the organisers may read its documents."))
    item = _item(assembly, item_id)
    try:
        document = agenda.item_document(db.session, item, document_id)
    except ServiceError as exc:
        abort(404, exc.message)
    path = agenda.item_document_path(current_app.config["UPLOAD_DIR"], document)
    if not path.exists():
        abort(404, _("The file is missing from the server."))
    return send_file(path, mimetype="application/pdf", download_name=document.filename)


# --- The delegate's phone ------------------------------------------------------------------


@bp.post("/agenda/<int:item_id>/<any(speak, withdraw):action>")
@login_required
def request_to_speak(slug: str, item_id: int, action: str):
    event = load_event(slug)
    assembly = _assembly(event)
    item = _item(assembly, item_id)
    _check_action_form()
    if action == "speak":
        run_service(
            lambda: agenda.ask_to_speak(db.session, item, current_user.id),
            _("You are on the list of speakers."),
        )
    else:
        run_service(
            lambda: agenda.withdraw(db.session, item, current_user.id),
            _("You are off the list of speakers."),
        )
    return redirect(url_for("assembly.vote_page", slug=slug))


@bp.post("/remote/<any(join, leave):action>")
@login_required
def remote_attendance(slug: str, action: str):
    event = load_event(slug)
    assembly = _assembly(event)
    _check_action_form()
    if action == "join":
        run_service(
            lambda: services.join_remotely(db.session, assembly, current_user.id),
            _("You are present remotely: you can vote from here."),
        )
    else:
        run_service(
            lambda: services.leave_remotely(db.session, assembly, current_user.id),
            _("You have left the Assembly."),
        )
    return redirect(url_for("assembly.vote_page", slug=slug))
