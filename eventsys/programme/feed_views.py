"""Calendar feeds (iCal), frab exports and the printable PDF of the published programme, on
the programme's blueprint. The public feeds are built once per version and kept (feedcache);
readers that have the current one get a 304."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from flask import Response, abort, current_app, render_template, request
from flask_babel import gettext as _

from eventsys.events.models import Event
from eventsys.extensions import db
from eventsys.i18n import current_locale, localized, normalise_locale, recipient_locale
from eventsys.programme import feedcache, feeds, frab, personal
from eventsys.programme.published import (
    Published,
    event_days,
    latest_head,
    published_of,
    published_programme,
)
from eventsys.programme.views import _item_prefix, _item_url, _published_or_404, _visible_event, bp
from eventsys.registration.services import registration_of
from eventsys.web.access import public, token
from eventsys.web.urls import external_url, site_domain


def _feed(
    event: Event,
    name: str,
    mimetype: str,
    build: Callable[[Published], bytes],
    *parts: object,
) -> Response:
    """A public feed of the latest version: 304 when the reader has it, else the bytes kept
    for this version (feedcache), built only the first time."""
    head = latest_head(db.session, event.id)
    if head is None:
        abort(404, _("The programme of this event is not published yet."))
    # One feed per language: the reader's picks the titles (and a file of its own, so the
    # languages do not replace each other's file); the event's title in it is part of the key.
    locale = current_locale()
    key = (_item_prefix(event), site_domain(), locale, localized(event, "title", locale), *parts)
    digest = feedcache.feed_digest(name, event, head, key)
    if request.if_none_match.contains_weak(digest):
        response = Response(status=304)
    else:
        body = feedcache.cached_feed(
            current_app.config["CACHE_DIR"],
            f"event-{event.id}-{locale}-{name}",
            digest,
            lambda: build(published_of(db.session, head, locale)),
        )
        response = Response(body, mimetype=mimetype)
    response.set_etag(digest)
    # Stored, but asked again each time: an erasure must reach readers at their next request.
    response.headers["Cache-Control"] = "public, no-cache"
    return response


def _ics_response(response: Response, filename: str) -> Response:
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@bp.get("/events/<slug>/calendar.ics")
@public
def event_ics(slug: str):
    event, _organiser = _visible_event(slug)

    def build(published: Published) -> bytes:
        return feeds.calendar_ics(
            event, published, published.items, name=localized(event, "title"),
            domain=site_domain(),
            url_of=_item_url(event),
        )  # fmt: skip

    return _ics_response(_feed(event, "calendar.ics", "text/calendar", build), f"{event.slug}.ics")


@bp.get("/events/<slug>/tracks/<int:track_id>/calendar.ics")
@public
def track_ics(slug: str, track_id: int):
    event, _organiser = _visible_event(slug)

    def build(published: Published) -> bytes:
        track = next((t for t in published.tracks if t["id"] == track_id), None)
        if track is None:
            abort(404, _("There is no such track in the published programme."))
        items = [i for i in published.items if i.track_id == track_id]
        return feeds.calendar_ics(
            event, published, items, name=f"{localized(event, 'title')}: {track['name']}",
            domain=site_domain(), url_of=_item_url(event),
        )  # fmt: skip

    response = _feed(event, f"track-{track_id}.ics", "text/calendar", build)
    return _ics_response(response, f"{event.slug}-track-{track_id}.ics")


@bp.get("/calendar/<secret>.ics")
@token
def personal_ics(secret: str):
    owner = personal.feed_owner(db.session, secret)
    if owner is None:
        abort(404, _("This calendar address is not valid any more."))
    event, user = owner
    # A calendar app sends no cookie: the owner's own language unless the address asks for one.
    locale = normalise_locale(request.args.get("lang")) or recipient_locale(
        user.locale, event.default_locale
    )
    published = published_programme(db.session, event, locale)
    if published is None:
        abort(404, _("The programme of this event is not published yet."))
    registration = registration_of(db.session, event, user)
    reasons = personal.agenda_reasons(db.session, event, user, registration)
    # Cancelled ones stay in the feed so the calendar removes them.
    items = [i for i in published.items if i.id in reasons]
    body = feeds.calendar_ics(
        event,
        published,
        items,
        name=localized(event, "title", locale),
        domain=site_domain(),
        url_of=_item_url(event),
    )
    response = _ics_response(Response(body, mimetype="text/calendar"), f"{event.slug}-agenda.ics")
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.get("/events/<slug>/schedule.json")
@public
def schedule_json(slug: str):
    event, _organiser = _visible_event(slug)
    base_url = external_url("programme.timetable", slug=slug)

    def build(published: Published) -> bytes:
        body = frab.schedule_json(event, published, base_url=base_url, url_of=_item_url(event))
        return json.dumps(body, ensure_ascii=False).encode("utf-8")

    return _feed(event, "schedule.json", "application/json", build, base_url)


@bp.get("/events/<slug>/schedule.xml")
@public
def schedule_xml(slug: str):
    event, _organiser = _visible_event(slug)

    def build(published: Published) -> bytes:
        return frab.schedule_xml(event, published, url_of=_item_url(event))

    return _feed(event, "schedule.xml", "application/xml", build)


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
