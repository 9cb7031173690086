"""The organisers' programme editor: sessions, rooms, tracks, conflicts, publishing and room
signs, on the programme's blueprint (views.py). Thin: parse, call a service, render."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from flask import (
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from eventsys.accounts.models import User
from eventsys.choices import options
from eventsys.errors import ServiceError
from eventsys.events.access import event_role_required
from eventsys.events.models import Event
from eventsys.extensions import db
from eventsys.i18n.content import form_translations, translation_languages
from eventsys.programme import grid, published, services, signups, versions
from eventsys.programme.feed_views import _pdf
from eventsys.programme.forms import (
    KIND_LABELS,
    MoveForm,
    PublishForm,
    RoomForm,
    SessionForm,
    TrackForm,
    speaker_data,
    speakers_text,
)
from eventsys.programme.labels import warning_text
from eventsys.programme.models import ProgrammeSession, Room, Track
from eventsys.programme.published import (
    event_days,
)
from eventsys.programme.views import MANAGE, _chosen_day, _service_error, bp
from eventsys.validation import ActionForm, arg_int, is_sane_time
from eventsys.web.filters import local_date
from eventsys.web.forms import run_service, save_or_show

# --- the organisers' editor --------------------------------------------------------------------


def _day_label(day: date, zone: str) -> str:
    return local_date(
        datetime.combine(day, datetime.min.time(), tzinfo=ZoneInfo(zone)), zone, "full"
    )


@bp.get(MANAGE)
@event_role_required("organiser")
def manage(event: Event):
    programme = services.load_programme(db.session, event)
    days = event_days(event)
    day = _chosen_day(days)
    warnings = services.conflicts_of(programme)
    flagged: dict[int, list[str]] = {}
    for warning in warnings:
        for session_id in warning.session_ids:
            flagged.setdefault(session_id, []).append(warning.kind)
    latest = published.latest_version(db.session, event.id)
    return render_template(
        "programme/manage.html",
        event=event,
        programme=programme,
        days=days,
        day=day,
        grid=grid.day_grid(day, event.timezone, programme.rooms, programme.sessions),
        warnings=warnings,
        flagged=flagged,
        latest=latest,
        move_form=MoveForm(),
        kinds=KIND_LABELS,
    )


@bp.get(MANAGE + "/conflicts")
@event_role_required("organiser")
def conflicts(event: Event):
    programme = services.load_programme(db.session, event)
    return render_template(
        "programme/conflicts.html",
        event=event,
        warnings=services.conflicts_of(programme),
        by_id={row.id: row for row in programme.sessions},
    )


def _users_by_email(emails: list[str]) -> dict[str, int]:
    if not emails:
        return {}
    rows = db.session.execute(select(User.email, User.id).where(User.email.in_(emails)))
    return dict(rows.tuples().all())


def _session_data(form: SessionForm, event: Event) -> services.SessionData:
    start, end = form.span(event.timezone)
    lines = form.speaker_lines()
    known = _users_by_email([email for _name, email in lines if email])
    unknown = [email for _name, email in lines if email and email not in known]
    if unknown:
        raise ServiceError(
            _("No account has the e-mail %(email)s.", email=unknown[0]), field="speakers"
        )
    return services.SessionData(
        title=form.title.data or "",
        kind=form.kind.data,
        starts_at=start,
        ends_at=end or start,
        room_id=form.room_id.data or None,
        track_id=form.track_id.data or None,
        description=form.description.data or "",
        language=(form.language.data or "").strip(),
        capacity=form.capacity.data,
        signup_required=form.signup_required.data,
        speakers=speaker_data(lines, known),
        title_translations=_versions(form.title, event),
        description_translations=_versions(form.description, event),
    )


def _versions(field: Any, event: Event) -> dict[str, str] | None:
    """The other languages' inputs beside a field (templates/i18n/_versions.html)."""
    return form_translations(request.form, field.name, translation_languages(event))


def _session_form(event: Event, rooms: list[Room], tracks: list[Track], **kw) -> SessionForm:
    form = SessionForm(**kw)
    form.set_choices(event_days(event), rooms, lambda d: _day_label(d, event.timezone))
    form.track_id.choices = options([(0, _("No track"))], ((t.id, t.name) for t in tracks))
    return form


def _flash_warnings(event: Event, row: ProgrammeSession) -> None:
    for warning in services.warnings_for(db.session, event, row):
        flash(_("Saved, with a warning: %(w)s", w=warning_text(warning, {})), "info")


@bp.route(MANAGE + "/sessions/new", methods=["GET", "POST"])
@event_role_required("organiser")
def session_new(event: Event):
    rooms, tracks = services.rooms_of(db.session, event), services.tracks_of(db.session, event)
    form = _session_form(event, rooms, tracks)
    if not form.is_submitted():
        _prefill_place(form, event)
        form.language.data = event.default_locale
    if form.validate_on_submit():
        done = _save_session(
            event,
            form,
            lambda: services.create_session(db.session, event, _session_data(form, event)),
            lambda row: _("“%(title)s” is in the timetable.", title=row.title),
        )
        if done is not None:
            return done
    return render_template("programme/session_form.html", event=event, form=form, row=None)


def _save_session(
    event: Event,
    form: SessionForm,
    change: Callable[[], ProgrammeSession],
    saved: Callable[[ProgrammeSession], str],
) -> Any:
    """The session form's change: committed, announced with the session's warnings and back to
    its day in the grid; or, when the service refuses, its message on the form (None)."""
    try:
        row = change()
    except ServiceError as exc:
        _service_error(exc, form)
        return None
    db.session.commit()
    flash(saved(row), "success")
    _flash_warnings(event, row)
    return redirect(url_for("programme.manage", slug=event.slug, day=form.day.data))


def _prefill_place(form: SessionForm, event: Event) -> None:
    """'New session here' links from empty grid cells carry the room and the start."""
    try:
        start = datetime.fromisoformat(request.args.get("start", ""))
    except ValueError:
        return
    if start.tzinfo is None or not is_sane_time(start):
        return
    local = start.astimezone(ZoneInfo(event.timezone))
    form.day.data = local.date().isoformat()
    form.start.data = local.time()
    form.end.data = (local + (datetime.min.replace(hour=1) - datetime.min)).time()
    form.room_id.data = arg_int("room_id", 0)


@bp.route(MANAGE + "/sessions/<int:session_id>", methods=["GET", "POST"])
@event_role_required("organiser")
def session_edit(event: Event, session_id: int):
    row = _row_or_404(event, session_id)
    rooms, tracks = services.rooms_of(db.session, event), services.tracks_of(db.session, event)
    form = _session_form(event, rooms, tracks, obj=row if request.method == "GET" else None)
    if not form.is_submitted():
        zone = ZoneInfo(event.timezone)
        form.day.data = row.starts_at.astimezone(zone).date().isoformat()
        form.start.data = row.starts_at.astimezone(zone).time()
        form.end.data = row.ends_at.astimezone(zone).time()
        form.room_id.data, form.track_id.data = row.room_id or 0, row.track_id or 0
        form.kind.data = row.kind.value
        emails = dict(
            db.session.execute(
                select(User.id, User.email).where(
                    User.id.in_([s.user_id for s in row.speakers if s.user_id])
                )
            )
            .tuples()
            .all()
        )
        form.speakers.data = speakers_text(row.speakers, emails)
    if form.validate_on_submit():
        done = _save_session(
            event,
            form,
            lambda: services.update_session(db.session, event, row, _session_data(form, event)),
            lambda _row: _("Saved."),
        )
        if done is not None:
            return done
        row = _row_or_404(event, session_id)
    return render_template(
        "programme/session_form.html",
        event=event,
        form=form,
        row=row,
        action=ActionForm(),
        signups=signups.participants_of(db.session, row),
    )


R = TypeVar("R", ProgrammeSession, Room, Track)


def _of_event(model: type[R], event: Event, row_id: int, missing: str) -> R:
    """The row with this id if it belongs to this event; another event's ids are unknown here."""
    row = db.session.get(model, row_id)
    if row is None or row.event_id != event.id:
        abort(404, missing)
    return row


def _row_or_404(event: Event, session_id: int) -> ProgrammeSession:
    return _of_event(
        ProgrammeSession, event, session_id, _("There is no such session in this programme.")
    )


@bp.post(MANAGE + "/sessions/<int:session_id>/move")
@event_role_required("organiser")
def session_move(event: Event, session_id: int):
    """The grid's drop target (fetch) and its no-JavaScript form both post here."""
    row = _row_or_404(event, session_id)
    form = MoveForm()
    form.set_choices(event_days(event), services.rooms_of(db.session, event), str)
    wants_json = request.accept_mimetypes.best == "application/json"
    error = None
    if form.validate_on_submit():
        try:
            start, end = form.span(event.timezone)
            services.move_session(
                db.session, event, row, room_id=form.room_id.data or None, starts_at=start,
                ends_at=end,
            )  # fmt: skip
        except ServiceError as exc:
            db.session.rollback()
            error = exc.message
        else:
            db.session.commit()
    else:
        error = _("Choose a day, a start time and a room.")
    if wants_json:
        if error:
            return jsonify({"error": {"code": "invalid", "message": error, "fields": {}}}), 422
        warnings = services.warnings_for(db.session, event, row)
        return jsonify({"ok": True, "warnings": [warning_text(w, {}) for w in warnings]})
    if error:
        flash(error, "error")
    else:
        flash(_("Moved “%(title)s”.", title=row.title), "success")
        _flash_warnings(event, row)
    return redirect(url_for("programme.manage", slug=event.slug, day=form.day.data or None))


@bp.post(MANAGE + "/sessions/<int:session_id>/cancel")
@event_role_required("organiser")
def session_cancel(event: Event, session_id: int):
    row = _row_or_404(event, session_id)
    if ActionForm().validate_on_submit():
        services.set_cancelled(db.session, row, request.form.get("cancelled") != "0")
        db.session.commit()
        flash(_("Saved. Participants see it when you publish."), "success")
    return redirect(url_for("programme.session_edit", slug=event.slug, session_id=row.id))


@bp.post(MANAGE + "/sessions/<int:session_id>/delete")
@event_role_required("organiser")
def session_delete(event: Event, session_id: int):
    row = _row_or_404(event, session_id)
    if ActionForm().validate_on_submit():
        try:
            services.delete_session(db.session, row)
        except ServiceError as exc:
            _service_error(exc)
            return redirect(url_for("programme.session_edit", slug=event.slug, session_id=row.id))
        db.session.commit()
        flash(_("The session is deleted."), "success")
    return redirect(url_for("programme.manage", slug=event.slug))


def _room_values(form: Any, event: Event) -> dict[str, Any]:
    return {
        "name": form.name.data,
        "name_translations": _versions(form.name, event),
        "capacity": form.capacity.data,
        "opens_at": form.opens_at.data,
        "closes_at": form.closes_at.data,
    }


def _track_values(form: Any, event: Event) -> dict[str, Any]:
    return {
        "name": form.name.data,
        "colour": form.colour.data,
        "name_translations": _versions(form.name, event),
    }


@dataclass(frozen=True)
class _Place:
    """Rooms and tracks: pages alike, each row with its own form and one form to add another."""

    kind: str  # "room" or "track": the pages' endpoints, templates and form prefixes
    form: type[RoomForm] | type[TrackForm]
    values: Callable[[Any, Event], dict[str, Any]]
    save: Callable[..., Room | Track]
    rows_of: Callable[[Any, Event], list[Any]]

    def page_url(self, event: Event) -> str:
        return url_for(f"programme.{self.kind}s", slug=event.slug)


ROOMS = _Place("room", RoomForm, _room_values, services.save_room, services.rooms_of)
TRACKS = _Place("track", TrackForm, _track_values, services.save_track, services.tracks_of)


def _places_page(event: Event, place: _Place, added: str):
    form = place.form(prefix="new")
    if form.validate_on_submit():
        done = save_or_show(
            form,
            lambda: place.save(db.session, event, **place.values(form, event)),
            saved=added,
            then=place.page_url(event),
        )
        if done is not None:
            return done
    rows = place.rows_of(db.session, event)
    return render_template(
        f"programme/{place.kind}s.html",
        event=event,
        form=form,
        edit_forms=[(r, place.form(prefix=f"{place.kind}{r.id}", obj=r)) for r in rows],
        action=ActionForm(),
    )


def _place_edit(event: Event, place: _Place, row: Room | Track, invalid: str | None = None):
    form = place.form(prefix=f"{place.kind}{row.id}")
    if form.validate_on_submit():
        run_service(
            lambda: place.save(db.session, event, **{place.kind: row}, **place.values(form, event)),
            _("Saved."),
        )
    elif invalid:
        flash(invalid, "error")
    return redirect(place.page_url(event))


@bp.route(MANAGE + "/rooms", methods=["GET", "POST"])
@event_role_required("organiser")
def rooms(event: Event):
    return _places_page(event, ROOMS, _("Room added."))


@bp.post(MANAGE + "/rooms/<int:room_id>")
@event_role_required("organiser")
def room_edit(event: Event, room_id: int):
    room = _of_event(Room, event, room_id, _("There is no such room."))
    return _place_edit(event, ROOMS, room, _("Check the room's name, places and hours."))


@bp.post(MANAGE + "/rooms/<int:room_id>/delete")
@event_role_required("organiser")
def room_delete(event: Event, room_id: int):
    room = _of_event(Room, event, room_id, _("There is no such room."))
    if ActionForm().validate_on_submit():
        run_service(lambda: services.delete_room(db.session, room), _("Room removed."))
    return redirect(ROOMS.page_url(event))


@bp.route(MANAGE + "/tracks", methods=["GET", "POST"])
@event_role_required("organiser")
def tracks(event: Event):
    return _places_page(event, TRACKS, _("Track added."))


@bp.post(MANAGE + "/tracks/<int:track_id>")
@event_role_required("organiser")
def track_edit(event: Event, track_id: int):
    track = _of_event(Track, event, track_id, _("There is no such track."))
    return _place_edit(event, TRACKS, track)


@bp.post(MANAGE + "/tracks/<int:track_id>/delete")
@event_role_required("organiser")
def track_delete(event: Event, track_id: int):
    track = _of_event(Track, event, track_id, _("There is no such track."))
    if ActionForm().validate_on_submit():
        services.delete_track(db.session, track)
        db.session.commit()
        flash(_("Track removed; its sessions stay in the timetable."), "success")
    return redirect(url_for("programme.tracks", slug=event.slug))


@bp.route(MANAGE + "/publish", methods=["GET", "POST"])
@event_role_required("organiser")
def publish(event: Event):
    form = PublishForm()
    if form.validate_on_submit():
        try:
            version = versions.publish(
                db.session, event, user=current_user, comment=form.comment.data or ""
            )
        except ServiceError as exc:
            _service_error(exc, form)
        else:
            db.session.commit()
            flash(_("Version %(n)s is published.", n=version.number), "success")
            return redirect(url_for("programme.manage", slug=event.slug))
    return render_template(
        "programme/publish.html",
        event=event,
        form=form,
        changes=versions.pending_changes(db.session, event),
        warnings=services.event_conflicts(db.session, event),
        latest=published.latest_version(db.session, event.id),
    )


@bp.get(MANAGE + "/room-signs.pdf")
@event_role_required("organiser")
def room_signs(event: Event):
    programme = services.load_programme(db.session, event, with_signups=False)
    live = [row for row in programme.sessions if not row.is_cancelled]
    zone = ZoneInfo(event.timezone)
    by_room_day: dict[tuple[int | None, date], list[ProgrammeSession]] = {}
    for row in live:
        key = (row.room_id, row.starts_at.astimezone(zone).date())
        by_room_day.setdefault(key, []).append(row)
    # A sign per room and day that has sessions; an empty room needs no sign.
    signs = [
        (room, day, by_room_day[(room.id, day)])
        for room in programme.rooms
        for day in event_days(event)
        if (room.id, day) in by_room_day
    ]
    html = render_template("programme/room_signs.html", event=event, signs=signs)
    return _pdf(html, f"{event.slug}-room-signs.pdf")
