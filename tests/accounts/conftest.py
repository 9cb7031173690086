from __future__ import annotations

import re

import pytest

LINK_RE = re.compile(r"https?://[^\s/]+(/account/[a-z]+/[A-Za-z0-9._\-]+)")


@pytest.fixture
def link_in():
    """The path of the first account link in a received mail."""

    def find(message) -> str:
        body = message.get_body(preferencelist=("plain",)).get_content()
        match = LINK_RE.search(body)
        assert match, body
        return match.group(1)

    return find
