"""The published programme's pages for participants: the timetable, a session, sign-ups,
stars, the personal agenda and the changelog. Thin: parse, call a service, render.

On the same blueprint: calendar feeds, frab exports and the printable PDF (feed_views.py), and
the organisers' editor (editor_views.py), like pretalx's agenda versus orga views."""

from __future__ import annotations

import functools
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date
from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask import session as cookie  # `session` is the name of a view below
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from eventsys.errors import ServiceError
from eventsys.events.access import has_event_role, load_event
from eventsys.events.models import Event
from eventsys.extensions import db
from eventsys.i18n import current_locale, is_valid_timezone
from eventsys.programme import grid, personal, services, signups, timetable_html, versions
from eventsys.programme.forms import KIND_LABELS
from eventsys.programme.labels import warning_text
from eventsys.programme.models import ProgrammeSession
from eventsys.programme.published import (
    Item,
    Published,
    event_days,
    published_programme,
)
from eventsys.registration.services import registration_of
from eventsys.validation import ActionForm, arg_int
from eventsys.web.access import login_required, public
from eventsys.web.forms import show_service_error
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
        abort(404, _("There is no event at this address."))
    return event, organiser


def _published_or_404(event: Event) -> Published:
    published = published_programme(db.session, event, current_locale())
    if published is None:
        abort(404, _("The programme of this event is not published yet."))
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
    mine = signups.signups_of(db.session, registration)
    starred = personal.starred_ids(db.session, event, user)
    seen = versions.last_seen(db.session, event, user) if user else None
    if user is not None and seen is None:
        # The first visit is the baseline: from now on this person sees what changed.
        versions.mark_seen(db.session, event, user, published.version.number)
        db.session.commit()
        seen = published.version.number
    marks = versions.changed_since(db.session, event, seen)
    todays = [i for i in published.on_day(day, event.timezone) if _matches(i, f, starred)]
    rooms = [r for r in published.rooms if not f["room"] or r["id"] == f["room"]]
    day_grid = _day_grid(published, day, event.timezone, rooms, todays)
    counted = [i.id for i in todays if i.signup and i.places is not None]
    reader = timetable_html.reader(
        event, f["tz"], kinds=KIND_LABELS, marks=marks, mine=mine, starred=starred,
        counts=signups.signup_counts(db.session, event, session_ids=counted),
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
        abort(404, _("There is no such session in the published programme."))
    user = current_user if current_user.is_authenticated else None
    registration = registration_of(db.session, event, user) if user else None
    mine = signups.signups_of(db.session, registration)
    row = db.session.get(ProgrammeSession, item.id)
    position = (
        signups.waitlist_position(db.session, row, registration)
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
        starred=item.id in personal.starred_ids(db.session, event, user),
        counts=signups.signup_counts(db.session, event).get(item.id, {}),
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
        signup = signups.sign_up(db.session, row, registration)
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
        signups.cancel_signup(db.session, row, registration)
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
        personal.set_star(db.session, row, current_user, request.form.get("starred") == "1")
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
        versions.mark_seen(db.session, event, current_user, published.version.number)
        db.session.commit()
    return redirect(url_for("programme.timetable", slug=slug))


@bp.get("/events/<slug>/programme/agenda")
@login_required
def agenda(slug: str):
    event, organiser = _visible_event(slug)
    published = published_programme(db.session, event, current_locale())
    registration = registration_of(db.session, event, current_user)
    reasons = personal.agenda_reasons(db.session, event, current_user, registration)
    items = [i for i in published.items if i.id in reasons] if published else []
    return render_template(
        "programme/agenda.html",
        event=event,
        items=items,
        reasons=reasons,
        has_feed=personal.has_feed_token(db.session, event, current_user),
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
    secret = personal.new_feed_token(db.session, event, current_user)
    db.session.commit()
    registration = registration_of(db.session, event, current_user)
    reasons = personal.agenda_reasons(db.session, event, current_user, registration)
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
        personal.revoke_feed_tokens(db.session, event, current_user)
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
        versions=versions.versions_of(db.session, event),
    )


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
