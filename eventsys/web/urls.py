"""Absolute links for mails and feeds, built from EVENTSYS_BASE_URL outside a request."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for


def external_url(endpoint: str, **values: object) -> str:
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, url_scheme=base.scheme or "https", script_name=base.path or "/"
    )
    return adapter.build(endpoint, values, force_external=True)


def site_domain() -> str:
    return urlsplit(current_app.config["BASE_URL"]).hostname or "eventsys.local"
