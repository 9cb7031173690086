"""Every page of the organiser's and the administrator's menus renders with the demo data.

A walk over the links, GET only: from an event's management page through every page it links
to within that event, and from the administrator's menu through the /admin/ pages and the
events' management pages. Any 5xx (or an exception, which a test client raises instead) fails.
"""

from __future__ import annotations

import html
import re
from collections import Counter, deque
from urllib.parse import urljoin, urlsplit

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from eventsys.accounts.models import User
from eventsys.demo import load_demo
from eventsys.extensions import db

HREF = re.compile(r'href="([^"#]*)')
# Pages of one kind (one endpoint) differ only in their data: two of each are enough, so the
# walk does not open all 400 registrations of Cascais.
VISITS_PER_ENDPOINT = 2


def _endpoint(app: Flask, path: str) -> str | None:
    adapter = app.url_map.bind("localhost")
    try:
        endpoint, _ = adapter.match(path, method="GET")
    except Exception:  # noqa: BLE001 (not a page of the app: a 404 is reported by the walk)
        return None
    return endpoint


def walk(app: Flask, client: FlaskClient, start: str, within: tuple[str, ...]) -> dict:
    """GET every page reachable from `start` whose path starts with one of `within`;
    returns {url: status} and raises on the first failure with the page that linked to it."""
    seen: dict[str, int] = {}
    per_endpoint: Counter[str | None] = Counter()
    queue: deque[tuple[str, str]] = deque([(start, "(start)")])
    failures = []
    while queue:
        url, referrer = queue.popleft()
        if url in seen:
            continue
        endpoint = _endpoint(app, urlsplit(url).path)
        if per_endpoint[endpoint] >= VISITS_PER_ENDPOINT:
            continue
        per_endpoint[endpoint] += 1
        try:
            response = client.get(url)
        except Exception as exc:  # noqa: BLE001 (a test client raises what a server shows as 500)
            failures.append(f"{url} (linked from {referrer}): {exc!r}")
            seen[url] = 500
            continue
        seen[url] = response.status_code
        page = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
        if response.status_code >= 500:
            failures.append(f"{url} (linked from {referrer}): {response.status_code}")
        for href in HREF.findall(page):
            target = urljoin(url, html.unescape(href))
            parts = urlsplit(target)
            if parts.netloc not in ("", "localhost"):
                continue
            if "lang=" in parts.query:
                continue  # the language menu: the same page again
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if parts.path.startswith(within) and local not in seen:
                queue.append((local, url))
    assert not failures, "\n".join(failures)
    return seen


def _user(email: str) -> User:
    return db.session.execute(select(User).where(User.email == email)).scalar_one()


def test_every_page_of_the_organisers_and_administrators_menus_renders(app, client, login):
    assert load_demo(db.session) is not None
    db.session.commit()  # the test's savepoint keeps it from outliving the test

    login(_user("organiser@example.org"))
    for slug in ("cascais-2024", "baku-2024-south-south"):
        pages = walk(app, client, f"/events/{slug}/manage/", (f"/events/{slug}/",))
        assert pages[f"/events/{slug}/manage/"] == 200
        # The walk reached the areas the management menu links to.
        for area in ("manage/details", "manage/registrations", "programme/manage", "badges/"):
            assert any(area in url for url in pages), (slug, area, sorted(pages))
        assert len(pages) >= 20, sorted(pages)

    login(_user("admin@example.org"))
    pages = walk(app, client, "/admin/events/", ("/admin/", "/events/cascais-2024/manage"))
    assert pages["/admin/events/new"] == 200
    assert pages["/events/cascais-2024/manage/details"] == 200
