"""The sessions of a timetable day as HTML: the grid's blocks and the list beside it.

A COP's day has hundreds of sessions, each shown twice; as Jinja macros that was most of the
page's time (gettext, url_for and escaping per session). Here the parts that only depend on
the published version (escaped title and speakers, wall-clock times per zone) are kept with
the version (Published.memo), the translated words and the session address are looked up
once per request, and only what is personal (own sign-up, star, changes since the last
visit) or live (places left) is decided per session. The markup is what the macros in
templates/programme/_macros.html write for the single session page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup, escape

from eventsys.programme.grid import DayGrid
from eventsys.programme.labels import CHANGE_LABELS
from eventsys.programme.published import Item, Published
from eventsys.web.colours import colour_class


@dataclass(frozen=True)
class Static:
    """A session's escaped text, the same for every reader of the version."""

    title: str
    speakers: str
    room: str
    track: str
    colour: str
    kind: str


@dataclass
class Reader:
    """What one request adds: words in the reader's language, their marks, live counts."""

    event_zone: str
    tz: str
    href_prefix: str
    href_suffix: str
    words: dict[str, str]
    kinds: dict[str, str]
    marks: Mapping[str, list[str]]
    mine: Mapping[int, str]
    starred: set[int]
    counts: Mapping[int, Mapping[str, int]]


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _static(published: Published) -> dict[int, Static]:
    found = published.memo.get("static")
    if found is None:
        found = {
            i.id: Static(
                str(escape(i.title)), str(escape(i.speaker_names)), str(escape(i.room)),
                str(escape(i.track)), colour_class(i.colour), str(escape(i.kind)),
            )
            for i in published.items
        }  # fmt: skip
        published.memo["static"] = found
    return found


def _times(published: Published, zone: str) -> dict[int, str]:
    """ "09:00–10:30" per session in a zone."""
    key = ("times", zone)
    found = published.memo.get(key)
    if found is None:
        tz = _zone(zone)
        found = {
            i.id: f"{i.starts_at.astimezone(tz):%H:%M}–{i.ends_at.astimezone(tz):%H:%M}"
            for i in published.items
        }
        published.memo[key] = found
    return found


def reader(
    event: Any,
    tz: str,
    *,
    kinds: Mapping[Any, Any],
    marks: Mapping[str, list[str]],
    mine: Mapping[int, str],
    starred: set[int],
    counts: Mapping[int, Mapping[str, int]],
) -> Reader:
    address = url_for("programme.session", slug=event.slug, session_id=0, tz=tz or None)
    path, mark, query = address.partition("?")
    words = {
        **{kind: str(label) for kind, label in CHANGE_LABELS.items()},
        "full": _("full, waiting list"),
        "open": _("sign-up open"), "signed": _("signed up"), "waiting": _("waiting list"),
        "starred": _("starred"), "your time": _("your time"),
        "no room": _("room to be announced"), "none": _("No session matches on this day."),
    }  # fmt: skip
    return Reader(
        event_zone=event.timezone,
        tz=tz,
        href_prefix=str(escape(path[: -len("0")])),
        href_suffix=str(escape(mark + query)),
        words={k: str(escape(v)) for k, v in words.items()},
        kinds={str(getattr(k, "value", k)): str(escape(v)) for k, v in kinds.items()},
        marks=marks,
        mine=mine,
        starred=starred,
        counts=counts,
    )


def _when(published: Published, r: Reader, item: Item) -> str:
    text = _times(published, r.event_zone)[item.id]
    if r.tz and r.tz != r.event_zone:
        # Computed per request: readers may pick any of hundreds of zones, kept for none.
        tz = _zone(r.tz)
        yours = f"{item.starts_at.astimezone(tz):%H:%M}–{item.ends_at.astimezone(tz):%H:%M}"
        text += (
            f' <span class="your" title="{escape(r.tz)}">({r.words["your time"]} {yours})</span>'
        )
    return text


def _marks(r: Reader, item: Item) -> str:
    # Each change word stands alone, separated as the template's change_marks separates them.
    out = " · ".join(
        f'<span class="mark {escape(k)}">{r.words.get(k, escape(k))}</span>'
        for k in r.marks.get(item.uid, [])
    )
    out += " " if out else ""
    if item.cancelled and "cancelled" not in r.marks.get(item.uid, []):
        out += f'<span class="mark cancelled">{r.words["cancelled"]}</span>'
    return out


def _places(r: Reader, item: Item) -> str:
    if not item.signup:
        return ""
    if item.places is None:
        return f'<span class="pill ok">{r.words["open"]}</span>'
    taken = (r.counts.get(item.id) or {}).get("confirmed", 0)
    if taken >= item.places:
        return f'<span class="pill full">{r.words["full"]}</span>'
    left = escape(ngettext("%(num)s place left", "%(num)s places left", item.places - taken))
    return f'<span class="pill ok">{left}</span>'


def _own(r: Reader, item: Item) -> str:
    state = r.mine.get(item.id)
    out = ""
    if state == "confirmed":
        out = f'<span class="pill ok">✓ {r.words["signed"]}</span>'
    elif state == "waitlisted":
        out = f'<span class="pill">{r.words["waiting"]}</span>'
    if item.id in r.starred:
        out += f' <span class="star" title="{r.words["starred"]}">★</span>'
    return out


def room_heads(grid: DayGrid) -> Markup:
    """The grid's column heads: a COP's day has sixty rooms."""
    return Markup(
        "".join(
            f'<div class="tt-room col-{n}">{escape(room["name"])}'
            + (f"<small>{ngettext('%(num)s place', '%(num)s places', room['capacity'])}</small>"
               if room.get("capacity") else "")
            + "</div>"
            for n, room in enumerate(grid.rooms, start=2)
        )
    )  # fmt: skip


def grid_blocks(published: Published, grid: DayGrid, r: Reader) -> Markup:
    static = _static(published)
    out = []
    for b in grid.blocks:
        item: Item = b.item
        s = static[item.id]
        classes = f"tt-block kind-{s.kind}"
        if item.cancelled:
            classes += " cancelled"
        if r.mine.get(item.id):
            classes += " mine"
        classes += f" col-{b.column} row-{b.row_start} end-{b.row_end}"
        if b.lanes > 1:
            classes += f" lanes-{b.lanes} lane-{b.lane}"
        speakers = f'<span class="m">{s.speakers}</span>' if item.speakers else ""
        out.append(
            f'<a class="{classes} {s.colour}" href="{r.href_prefix}{item.id}{r.href_suffix}">\n'
            f'<span class="m">{_when(published, r, item)}</span>\n'
            f'<span class="t">{s.title}</span>\n{_marks(r, item)}\n{speakers}\n'
            f'<span class="m">{_places(r, item)} {_own(r, item)}</span>\n</a>'
        )
    return Markup("\n".join(out))


def list_items(published: Published, items: list[Item], r: Reader) -> Markup:
    static = _static(published)
    out = []
    for item in items:
        s = static[item.id]
        meta = r.kinds.get(item.kind, s.kind)
        if item.track:
            meta += f" · {s.track}"
        if item.speakers:
            meta += f" · {s.speakers}"
        out.append(
            f'<li class="{s.colour}">\n<div class="when">{_when(published, r, item)} · '
            f"{s.room or r.words['no room']}</div>\n"
            f'<h3><a href="{r.href_prefix}{item.id}{r.href_suffix}">{s.title}</a></h3>\n'
            f'{_marks(r, item)}\n<div class="meta">{meta}</div>\n'
            f"<div>{_places(r, item)} {_own(r, item)}</div>\n</li>"
        )
    if not out:
        out.append(f"<li>{r.words['none']}</li>")
    return Markup("\n".join(out))
