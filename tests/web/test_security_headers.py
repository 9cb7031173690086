"""Cookies, security headers and a policy that refuses inline script and style (issue 10 §7),
the favicon and the language menu without an OK click (issue 11 item 17)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from eventsys import create_app
from eventsys.web.colours import colour_class, colours_css
from eventsys.web.security import configure_cookies
from eventsys.web.styles import positions_css

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Rendered only into PDFs by WeasyPrint, never sent to a browser: no policy applies there.
PDF_ONLY = {
    "badges/print/badges.html",
    "assembly/minutes.html",
    "declarations/print.html",
    "programme/print.html",
    "programme/room_signs.html",
}
INLINE = [
    ("<script> without src", re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)),
    ("<style> element", re.compile(r"<style\b", re.I)),
    ("style attribute", re.compile(r"\sstyle\s*=", re.I)),
    ("event handler attribute", re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)),
    ("javascript: URL", re.compile(r"javascript:", re.I)),
]


def _browser_templates() -> list[str]:
    names = [str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.html")]
    return sorted(n for n in names if n not in PDF_ONLY)


@pytest.mark.parametrize("name", _browser_templates())
def test_no_template_carries_inline_script_or_style(name):
    text = (TEMPLATES / name).read_text()
    found = [what for what, pattern in INLINE if pattern.search(text)]
    assert not found, f"{name}: {found} (move it to a file under static/)"


def test_the_pdf_only_templates_exist():
    for name in PDF_ONLY:
        assert (TEMPLATES / name).is_file(), name


def test_every_page_sends_the_policy_and_headers(client):
    for path in ("/", "/account/login", "/nowhere", "/healthz"):
        headers = client.get(path).headers
        policy = headers["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert directives["script-src"] == "'self'"
        assert directives["style-src"] == "'self'"
        assert directives["frame-ancestors"] == "'none'"
        assert directives["object-src"] == "'none'"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["X-Frame-Options"] == "DENY"
        assert "Strict-Transport-Security" not in headers  # the test site is http


def test_hsts_when_the_site_is_https(client):
    response = client.get("/", base_url="https://eventsys.test")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_session_cookie_is_lax_and_not_secure_over_http(client, factory):
    user = factory.user()
    response = client.post(
        "/account/login",
        data={"email": user.email, "password": factory.password, "remember": "y"},
    )
    cookies = response.headers.getlist("Set-Cookie")
    session = next(c for c in cookies if c.startswith("session="))
    remember = next(c for c in cookies if c.startswith("remember_token="))
    for cookie in (session, remember):
        assert "SameSite=Lax" in cookie
        assert "HttpOnly" in cookie
        assert "Secure" not in cookie


@pytest.mark.parametrize(("base_url", "secure"), [("https://e.org", True), ("http://e", False)])
def test_cookies_are_secure_whenever_the_base_url_is_https(app, base_url, secure):
    class Fake:
        config = {"BASE_URL": base_url}

    configure_cookies(Fake)
    assert Fake.config["SESSION_COOKIE_SECURE"] is secure
    assert Fake.config["REMEMBER_COOKIE_SECURE"] is secure
    assert Fake.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert Fake.config["REMEMBER_COOKIE_SAMESITE"] == "Lax"


def test_an_https_installation_sets_secure_cookies(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
            "QUEUE_BACKEND": "memory",
            "BASE_URL": "https://events.example.org",
        }
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True


def test_colours_become_classes_and_only_hex_colours_get_rules():
    assert colour_class("#1F6f43") == "colour-1f6f43"
    assert colour_class("red;}body{") == "" and colour_class(None) == ""
    css = colours_css(["#1f6f43", "#abc", "x;}*{display:none", None, "#1F6F43"])
    assert css.count(".colour-1f6f43{") == 1 and ".colour-abc{" in css
    assert "display:none" not in css


def test_event_colour_stylesheet(client, factory):
    event = factory.event()
    event.categories[0].colour = "#123456"
    response = client.get(f"/events/{event.slug}/colours.css")
    assert response.status_code == 200 and response.mimetype == "text/css"
    assert ".colour-123456{--colour:#123456" in response.get_data(as_text=True)
    etag = response.headers["ETag"]
    again = client.get(f"/events/{event.slug}/colours.css", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert client.get("/events/no-such-event/colours.css").status_code == 200


def test_positions_cover_a_whole_day_of_quarter_hours():
    css = positions_css()
    assert ".row-98{grid-row-start:98}" in css and ".end-99{grid-row-end:99}" in css
    assert ".lanes-3.lane-2{" in css and ".w-100{width:100%}" in css


def test_favicon_is_served_at_the_root_and_linked_from_pages(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    page = client.get("/").get_data(as_text=True)
    link = re.search(r'<link rel="icon" href="([^"]+)"', page)
    assert link and client.get(link.group(1)).status_code == 200


def test_the_language_menu_switches_without_ok_but_keeps_it_for_no_js(client):
    page = client.get("/").get_data(as_text=True)
    menu = page.split('class="inline lang"')[1].split("</form>")[0]
    assert 'type="submit"' in menu  # the OK button, for browsers without JavaScript
    script = re.search(r'<script src="([^"]*language\.js)"', page)
    assert script
    source = client.get(script.group(1)).get_data(as_text=True)
    assert 'addEventListener("change"' in source and "form.submit()" in source
