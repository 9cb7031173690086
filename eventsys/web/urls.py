"""Absolute links for mails and feeds, built from EVENTSYS_BASE_URL outside a request."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit

from flask import current_app, has_request_context, url_for


def external_url(endpoint: str, **values: Any) -> str:
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, url_scheme=base.scheme or "https", script_name=base.path or "/"
    )
    return adapter.build(endpoint, values, force_external=True)


def site_domain() -> str:
    return urlsplit(current_app.config["BASE_URL"]).hostname or "eventsys.local"


# Characters a browser drops or rewrites inside a URL (tabs, newlines, other controls) or treats
# as a slash (backslash); either can turn "/\t/evil.example" into "//evil.example".
def _unsafe_character(ch: str) -> bool:
    return ch == "\\" or ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F or ch in "\u2028\u2029\ufeff"


def same_site_path(value: object, default: str, *, prefix: str = "/") -> str:
    """`value` when it is a path on this site (optionally under `prefix`), else `default`.

    Every redirect whose target comes from the request goes through here: login's `next`, the
    language menu, the back links of forms. Refused: anything not a string, absolute and
    protocol-relative URLs, backslashes and control characters, and the same hidden behind
    percent-encoding (checked after decoding up to three times)."""
    if not isinstance(value, str) or not value or len(value) > 2000:
        return default
    candidate = value
    for _round in range(4):
        if not _plain_path(candidate):
            return default
        decoded = unquote(candidate)
        if decoded == candidate:
            break
        candidate = decoded
    else:
        return default  # still encoded after three rounds: nobody links like that
    return value if value.startswith(prefix) else default


def _plain_path(value: str) -> bool:
    if not value.startswith("/") or value.startswith("//"):
        return False
    if any(_unsafe_character(ch) for ch in value):
        return False
    parts = urlsplit(value)
    return not parts.scheme and not parts.netloc
