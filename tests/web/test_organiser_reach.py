"""Every organiser page of an event can be reached by clicking from its manage overview."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from eventsys.extensions import db

LINK = re.compile(r'href="([^"#]+)"')
# Files an organiser downloads from a page (checked through the pages that link them).
DOWNLOADS = (".csv", ".xlsx", ".pdf", ".ics", ".json", ".xml", ".png", ".zip")


def _organiser_pages(app, slug: str) -> set[str]:
    """GET pages of one event that need only its slug, meant for its staff."""
    pages = set()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or set(rule.arguments) != {"slug"}:
            continue
        path = rule.rule.replace("<slug>", slug)
        staff_area = ("/manage" in path or "/checkin" in path) and not path.startswith("/api/")
        if staff_area and not path.endswith(DOWNLOADS):
            pages.add(path)
    return pages


def _crawl(client, start: str, prefix: str) -> set[str]:
    seen, queue = set(), [start]
    while queue:
        url = queue.pop()
        path = urlsplit(url).path
        if path in seen:
            continue
        seen.add(path)
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code != 200 or "html" not in response.content_type:
            continue
        for href in LINK.findall(response.get_data(as_text=True)):
            target = urljoin(url, href.replace("&amp;", "&"))
            target_path = urlsplit(target).path
            if target_path.startswith(prefix) and not target_path.endswith(DOWNLOADS):
                queue.append(target)
    return seen


def test_every_organiser_page_is_linked(app, client, login, factory):
    organiser = factory.user(name="Olga Organiser")
    event = factory.event(organiser=organiser)
    factory.registration(event)
    db.session.commit()
    login(organiser)
    prefix = f"/events/{event.slug}/"
    reached = _crawl(client, f"{prefix}manage/", prefix)
    # Pages of areas this event does not use (an Assembly) answer 404 and need no link; JSON
    # look-ups that a page's script calls (the chair's delegate search) are not pages.
    existing = set()
    for path in _organiser_pages(app, event.slug):
        answer = client.get(path)
        if answer.status_code == 200 and "html" in answer.content_type:
            existing.add(path)
    missing = existing - reached
    assert not missing, sorted(missing)
