"""Feeds of a published version (iCal, frab XML and JSON), built once and kept as files.

A COP's 3,000 sessions make 2-3 MB feeds that take hundreds of milliseconds to write, and
calendar apps ask for them every few minutes. The bytes depend only on the version's snapshot
(named by its id and revision, see ProgrammeVersion.revision), on a few fields of the event and
on the site's addresses, so a digest of those is both the file's name and the HTTP ETag: a new
version, an erasure or an edit of the event gives a new digest, never a stale feed.

The files live under CACHE_DIR (the instance folder by default; shared storage when several
hosts run, though each host filling its own copy is just as correct). Writing replaces the
file atomically and removes that feed's older files, so each feed keeps one file.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

from eventsys.events.models import Event
from eventsys.programme.published import VersionInfo

# Raise when the way a feed is written changes, so files written by older code are not served.
FORMAT = "1"


def feed_digest(kind: str, event: Event, head: VersionInfo, parts: Iterable[object]) -> str:
    """A digest of everything a feed's bytes depend on."""
    values = [
        FORMAT, kind, head.id, head.revision, event.id, event.slug, event.title, event.timezone,
        event.venue_name, event.city, event.starts_at.isoformat(), event.ends_at.isoformat(),
        *parts,
    ]  # fmt: skip
    return hashlib.sha256("\x1f".join(map(str, values)).encode("utf-8")).hexdigest()[:40]


def cached_feed(directory: str | Path, name: str, digest: str, build: Callable[[], bytes]) -> bytes:
    """The feed `name` (e.g. "event-12.ics") with this digest: read from its file, or built and
    written. A folder that cannot be written only costs the caching, never the answer."""
    folder = Path(directory)
    path = folder / f"{name}.{digest}"
    try:
        return path.read_bytes()
    except OSError:
        pass
    data = build()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f".part-{uuid.uuid4().hex}"  # unique: several workers may race
        partial.write_bytes(data)
        os.replace(partial, path)
        for old in folder.glob(f"{name}.*"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass
    return data
