"""Timetable pages: the published programme for participants, the editor for organisers,
calendar feeds, frab exports and printable PDFs. Thin: parse, call a service, render."""

from __future__ import annotations

import functools
from datetime import date, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from babel.dates import format_date
from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask import session as cookie  # `session` is the name of a view below
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from eventsys.accounts.models import User
from eventsys.choices import options
from eventsys.errors import ServiceError
from eventsys.events.access import event_role_required, has_event_role, load_event
from eventsys.events.models import Event
from eventsys.extensions import db
from eventsys.i18n import current_locale, is_valid_timezone
from eventsys.i18n.content import form_translations, translation_languages
from eventsys.programme import grid, services, timetable_html
from eventsys.programme.forms import (
    KIND_LABELS,
    ActionForm,
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
    Item,
    Published,
    event_days,
    published_programme,
)
from eventsys.registration.services import registration_of
from eventsys.validation import arg_int, is_sane_time
from eventsys.web.access import login_required, public
from eventsys.web.filters import local_date
from eventsys.web.forms import save_or_show, show_service_error
from eventsys.web.urls import external_url, same_site_path

bp = Blueprint("programme", __name__)
MANAGE = "/events/<slug>/programme/manage"
# Service field names that the forms call otherwise.
FORM_FIELDS = {"starts_at": "start", "ends_at": "end"}


# --- helpers ----------------------------------------------------------------------------------


def _visible_event(slug: str) -> tuple[Event, bool]:
    event = load_event(slug)
    organiser = has_event_role(current_user, event, ("organiser",))
    if not event.is_published and not organiser:
        abort(404, "There is no event at this address.")
    return event, organiser


def _published_or_404(event: Event) -> Published:
    published = published_programme(db.session, event, current_locale())
    if published is None:
        abort(404, "The programme of this event is not published yet.")
    return published


def _chosen_day(days: list[date]) -> date:
    try:
        day = date.fromisoformat(request.args.get("day", ""))
    except ValueError:
        day = None
    return day if day in days else days[0]


def _item_prefix(event: Event) -> str:
    return external_url("programme.session", slug=event.slug, session_id=0)[: -len("0")]


def _item_url(event: Event):
    """One URL build for a whole feed: the session pages differ only in their last part."""
    prefix = _item_prefix(event)
    return lambda item: f"{prefix}{item.id}"


def _service_error(exc: ServiceError, form=None) -> None:
    db.session.rollback()
    show_service_error(
        form, exc, field=FORM_FIELDS.get(exc.field or "", exc.field) or "", otherwise="flash"
    )


def _filters() -> dict[str, Any]:
    args = request.args
    return {
        "track": arg_int("track"),
        "room": arg_int("room"),
        "kind": args.get("kind", "")
        if args.get("kind", "") in {k.value for k in KIND_LABELS}
        else "",
        "q": args.get("q", "").strip()[:100],
        "tz": _reader_zone(),
        "tz_error": _zone_error(args.get("tz")),
        "starred": args.get("starred") == "1",
    }


def _zone_error(typed: str | None) -> str:
    """The message for a zone the reader typed that does not exist, so it is not lost silently."""
    text = (typed or "").strip()
    if not text or is_valid_timezone(text):
        return ""
    return _(
        "“%(zone)s” is not a time zone we know. Type a name such as America/Sao_Paulo or "
        "Asia/Almaty.",
        zone=text[:60],
    )


def _reader_zone() -> str:
    """The reader's own zone: chosen with ?tz=, then remembered in their session cookie."""
    chosen = request.args.get("tz")
    if chosen is None:
        return cookie.get("programme_tz", "")
    if chosen and is_valid_timezone(chosen):
        cookie["programme_tz"] = chosen
        return chosen
    cookie.pop("programme_tz", None)
    return ""


def _matches(item: Item, f: dict[str, Any], starred: set[int]) -> bool:
    if f["track"] and item.track_id != f["track"]:
        return False
    if f["room"] and item.room_id != f["room"]:
        return False
    if f["kind"] and item.kind != f["kind"]:
        return False
    if f["starred"] and item.id not in starred:
        return False
    if f["q"]:
        needle = f["q"].casefold()
        haystack = f"{item.title} {item.speaker_names} {item.track}".casefold()
        return needle in haystack
    return True


# --- the published programme --------------------------------------------------------------------


@bp.get("/events/<slug>/programme/")
@public
def timetable(slug: str):
    event, organiser = _visible_event(slug)
    published = published_programme(db.session, event, current_locale())
    if published is None:
        return render_template("programme/unpublished.html", event=event, organiser=organiser)
    days = event_days(event)
    day = _chosen_day(days)
    f = _filters()
    user = current_user if current_user.is_authenticated else None
    registration = registration_of(db.session, event, user) if user else None
    mine = services.signups_of(db.session, registration)
    starred = services.starred_ids(db.session, event, user)
    seen = services.last_seen(db.session, event, user) if user else None
    if user is not None and seen is None:
        # The first visit is the baseline: from now on this person sees what changed.
        services.mark_seen(db.session, event, user, published.version.number)
        db.session.commit()
        seen = published.version.number
    marks = services.changed_since(db.session, event, seen)
    todays = [i for i in published.on_day(day, event.timezone) if _matches(i, f, starred)]
    rooms = [r for r in published.rooms if not f["room"] or r["id"] == f["room"]]
    day_grid = _day_grid(published, day, event.timezone, rooms, todays)
    counted = [i.id for i in todays if i.signup and i.places is not None]
    reader = timetable_html.reader(
        event, f["tz"], kinds=KIND_LABELS, marks=marks, mine=mine, starred=starred,
        counts=services.signup_counts(db.session, event, session_ids=counted),
    )  # fmt: skip
    return render_template(
        "programme/timetable.html",
        event=event,
        organiser=organiser,
        published=published,
        days=days,
        day=day,
        grid=day_grid,
        rooms_html=timetable_html.room_heads(day_grid),
        blocks_html=timetable_html.grid_blocks(published, day_grid, reader),
        list_html=timetable_html.list_items(published, todays, reader),
        filters=f,
        marks=marks,
        seen=seen,
        kinds=KIND_LABELS,
        action=ActionForm(),
        registration=registration,
    )


def _day_grid(published: Published, day: date, zone: str, rooms: list, items: list) -> Any:
    """Unfiltered, a day's layout is the same for every reader of the version: kept with it."""
    if len(rooms) != len(published.rooms) or len(items) != len(published.on_day(day, zone)):
        return grid.day_grid(day, zone, rooms, items)
    key = ("grid", day, zone)
    if key not in published.memo:
        published.memo[key] = grid.day_grid(day, zone, rooms, items)
    return published.memo[key]


@bp.get("/events/<slug>/programme/sessions/<int:session_id>")
@public
def session(slug: str, session_id: int):
    event, organiser = _visible_event(slug)
    published = _published_or_404(event)
    item = published.by_id.get(session_id)
    if item is None:
        abort(404, "There is no such session in the published programme.")
    user = current_user if current_user.is_authenticated else None
    registration = registration_of(db.session, event, user) if user else None
    mine = services.signups_of(db.session, registration)
    row = db.session.get(ProgrammeSession, item.id)
    position = (
        services.waitlist_position(db.session, row, registration)
        if row is not None and registration is not None and mine.get(item.id) == "waitlisted"
        else 0
    )
    return render_template(
        "programme/session.html",
        event=event,
        organiser=organiser,
        item=item,
        mine=mine.get(item.id),
        position=position,
        starred=item.id in services.starred_ids(db.session, event, user),
        counts=services.signup_counts(db.session, event).get(item.id, {}),
        registration=registration,
        tz=_filters()["tz"],
        kinds=KIND_LABELS,
        action=ActionForm(),
    )


def _own_row_and_registration(slug: str, session_id: int):
    event = load_event(slug)
    row = services.session_by_id(db.session, event, session_id)
    registration = registration_of(db.session, event, current_user)
    if registration is None:
        raise ServiceError(_("Register for the event first, then sign up for workshops."))
    return event, row, registration


def _back(slug: str, session_id: int):
    default = url_for("programme.session", slug=slug, session_id=session_id)
    return redirect(same_site_path(request.form.get("next"), default, prefix="/events/"))


@bp.post("/events/<slug>/programme/sessions/<int:session_id>/signup")
@login_required
def sign_up(slug: str, session_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        event, row, registration = _own_row_and_registration(slug, session_id)
        signup = services.sign_up(db.session, row, registration)
    except ServiceError as exc:
        _service_error(exc)
    else:
        db.session.commit()
        if signup.status.value == "confirmed":
            flash(_("You have a place in “%(title)s”.", title=row.title), "success")
        else:
            flash(_("The workshop is full: you are on its waiting list."), "info")
    return _back(slug, session_id)


@bp.post("/events/<slug>/programme/sessions/<int:session_id>/signup/cancel")
@login_required
def cancel_sign_up(slug: str, session_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        event, row, registration = _own_row_and_registration(slug, session_id)
        services.cancel_signup(db.session, row, registration)
    except ServiceError as exc:
        _service_error(exc)
    else:
        db.session.commit()
        flash(
            _("Your sign-up is cancelled; your place goes to the next person waiting."), "success"
        )
    return _back(slug, session_id)


@bp.post("/events/<slug>/programme/sessions/<int:session_id>/star")
@login_required
def star(slug: str, session_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    event = load_event(slug)
    try:
        row = services.session_by_id(db.session, event, session_id)
        services.set_star(db.session, row, current_user, request.form.get("starred") == "1")
    except ServiceError as exc:
        _service_error(exc)
    else:
        db.session.commit()
    return _back(slug, session_id)


@bp.post("/events/<slug>/programme/seen")
@login_required
def mark_seen(slug: str):
    event, _organiser = _visible_event(slug)
    published = _published_or_404(event)
    if ActionForm().validate_on_submit():
        services.mark_seen(db.session, event, current_user, published.version.number)
        db.session.commit()
    return redirect(url_for("programme.timetable", slug=slug))


@bp.get("/events/<slug>/programme/agenda")
@login_required
def agenda(slug: str):
    event, organiser = _visible_event(slug)
    published = published_programme(db.session, event, current_locale())
    registration = registration_of(db.session, event, current_user)
    reasons = services.agenda_reasons(db.session, event, current_user, registration)
    items = [i for i in published.items if i.id in reasons] if published else []
    return render_template(
        "programme/agenda.html",
        event=event,
        items=items,
        reasons=reasons,
        has_feed=services.has_feed_token(db.session, event, current_user),
        feed_url=None,
        action=ActionForm(),
        tz=_filters()["tz"],
    )


@bp.post("/events/<slug>/programme/agenda/feed")
@login_required
def new_feed(slug: str):
    event, _organiser = _visible_event(slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    secret = services.new_feed_token(db.session, event, current_user)
    db.session.commit()
    registration = registration_of(db.session, event, current_user)
    reasons = services.agenda_reasons(db.session, event, current_user, registration)
    published = published_programme(db.session, event, current_locale())
    # Shown once, on this answer only: the address is a secret, not stored in clear.
    return render_template(
        "programme/agenda.html",
        event=event,
        items=[i for i in published.items if i.id in reasons] if published else [],
        reasons=reasons,
        has_feed=True,
        feed_url=url_for("programme.personal_ics", secret=secret, _external=True),
        action=ActionForm(),
        tz="",
    )


@bp.post("/events/<slug>/programme/agenda/feed/revoke")
@login_required
def revoke_feed(slug: str):
    event, _organiser = _visible_event(slug)
    if ActionForm().validate_on_submit():
        services.revoke_feed_tokens(db.session, event, current_user)
        db.session.commit()
        flash(_("The old calendar address no longer works."), "success")
    return redirect(url_for("programme.agenda", slug=slug))


@bp.get("/events/<slug>/programme/changes")
@public
def changelog(slug: str):
    event, organiser = _visible_event(slug)
    return render_template(
        "programme/changelog.html",
        event=event,
        versions=services.versions_of(db.session, event),
    )


# --- feeds and exports -------------------------------------------------------------------------


def _pdf(html: str, filename: str) -> Response:
    # Heavy (the PDF stack): loaded only when a PDF is drawn.
    from weasyprint import HTML  # noqa: PLC0415

    pdf = HTML(string=html, base_url=request.url_root).write_pdf()
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@bp.get("/events/<slug>/programme.pdf")
@public
def programme_pdf(slug: str):
    event, _organiser = _visible_event(slug)
    published = _published_or_404(event)
    html = render_template(
        "programme/print.html", event=event, published=published,
        days=_print_days(event, published.rooms, published.live()),
    )  # fmt: skip
    return _pdf(html, f"{event.slug}-programme.pdf")


def _print_days(event: Event, rooms: list, items: list) -> list[dict[str, Any]]:
    """Per day, the start times as rows and the rooms as columns, for a printable table."""
    zone = ZoneInfo(event.timezone)
    days = []
    for day in event_days(event):
        todays = [i for i in items if i.starts_at.astimezone(zone).date() == day]
        starts = sorted({i.starts_at for i in todays})
        cells = {(i.starts_at, i.room_id): i for i in todays}
        days.append({"day": day, "rooms": rooms, "starts": starts, "cells": cells, "items": todays})
    return days


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
    latest = services.latest_version(db.session, event.id)
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
        try:
            row = services.create_session(db.session, event, _session_data(form, event))
        except ServiceError as exc:
            _service_error(exc, form)
        else:
            db.session.commit()
            flash(_("“%(title)s” is in the timetable.", title=row.title), "success")
            _flash_warnings(event, row)
            return redirect(url_for("programme.manage", slug=event.slug, day=form.day.data))
    return render_template("programme/session_form.html", event=event, form=form, row=None)


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
        try:
            services.update_session(db.session, event, row, _session_data(form, event))
        except ServiceError as exc:
            _service_error(exc, form)
            row = _row_or_404(event, session_id)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            _flash_warnings(event, row)
            return redirect(url_for("programme.manage", slug=event.slug, day=form.day.data))
    return render_template(
        "programme/session_form.html",
        event=event,
        form=form,
        row=row,
        action=ActionForm(),
        signups=services.participants_of(db.session, row),
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


def _room_values(form: RoomForm, event: Event) -> dict[str, Any]:
    return {
        "name": form.name.data,
        "name_translations": _versions(form.name, event),
        "capacity": form.capacity.data,
        "opens_at": form.opens_at.data,
        "closes_at": form.closes_at.data,
    }


@bp.route(MANAGE + "/rooms", methods=["GET", "POST"])
@event_role_required("organiser")
def rooms(event: Event):
    form = RoomForm(prefix="new")
    if form.validate_on_submit():
        done = save_or_show(
            form,
            lambda: services.save_room(db.session, event, **_room_values(form, event)),
            saved=_("Room added."),
            then=url_for("programme.rooms", slug=event.slug),
        )
        if done is not None:
            return done
    rows = services.rooms_of(db.session, event)
    return render_template(
        "programme/rooms.html",
        event=event,
        form=form,
        edit_forms=[(r, RoomForm(prefix=f"room{r.id}", obj=r)) for r in rows],
        action=ActionForm(),
    )


@bp.post(MANAGE + "/rooms/<int:room_id>")
@event_role_required("organiser")
def room_edit(event: Event, room_id: int):
    room = _of_event(Room, event, room_id, _("There is no such room."))
    form = RoomForm(prefix=f"room{room.id}")
    if form.validate_on_submit():
        try:
            services.save_room(db.session, event, room=room, **_room_values(form, event))
        except ServiceError as exc:
            _service_error(exc)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
    else:
        flash(_("Check the room's name, places and hours."), "error")
    return redirect(url_for("programme.rooms", slug=event.slug))


@bp.post(MANAGE + "/rooms/<int:room_id>/delete")
@event_role_required("organiser")
def room_delete(event: Event, room_id: int):
    room = _of_event(Room, event, room_id, _("There is no such room."))
    if ActionForm().validate_on_submit():
        try:
            services.delete_room(db.session, room)
        except ServiceError as exc:
            _service_error(exc)
        else:
            db.session.commit()
            flash(_("Room removed."), "success")
    return redirect(url_for("programme.rooms", slug=event.slug))


@bp.route(MANAGE + "/tracks", methods=["GET", "POST"])
@event_role_required("organiser")
def tracks(event: Event):
    form = TrackForm(prefix="new")
    if form.validate_on_submit():
        done = save_or_show(
            form,
            lambda: services.save_track(
                db.session,
                event,
                name=form.name.data,
                colour=form.colour.data,
                name_translations=_versions(form.name, event),
            ),
            saved=_("Track added."),
            then=url_for("programme.tracks", slug=event.slug),
        )
        if done is not None:
            return done
    rows = services.tracks_of(db.session, event)
    return render_template(
        "programme/tracks.html",
        event=event,
        form=form,
        edit_forms=[(t, TrackForm(prefix=f"track{t.id}", obj=t)) for t in rows],
        action=ActionForm(),
    )


@bp.post(MANAGE + "/tracks/<int:track_id>")
@event_role_required("organiser")
def track_edit(event: Event, track_id: int):
    track = _of_event(Track, event, track_id, _("There is no such track."))
    form = TrackForm(prefix=f"track{track.id}")
    if form.validate_on_submit():
        try:
            services.save_track(
                db.session,
                event,
                track=track,
                name=form.name.data,
                colour=form.colour.data,
                name_translations=_versions(form.name, event),
            )
        except ServiceError as exc:
            _service_error(exc)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
    return redirect(url_for("programme.tracks", slug=event.slug))


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
            version = services.publish(
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
        changes=services.pending_changes(db.session, event),
        warnings=services.event_conflicts(db.session, event),
        latest=services.latest_version(db.session, event.id),
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


def programme_day(day: date, fmt: str = "EEE d MMM") -> str:
    return format_date(day, fmt, locale=str(get_locale() or "en"))


@functools.cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def programme_hm(value: datetime, zone: str) -> str:
    """24-hour wall-clock time in a zone: the grid prints hundreds of these."""
    return value.astimezone(_zone(zone)).strftime("%H:%M")


def init_template_helpers(app) -> None:
    app.add_template_filter(programme_hm)
    app.add_template_global(warning_text, "programme_warning_text")
    app.add_template_filter(programme_day)
