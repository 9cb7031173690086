"""Cookies and response headers that keep pages from being framed, sniffed or injected into.

- Session and remember-me cookies: SameSite=Lax always, Secure whenever EVENTSYS_BASE_URL is
  https (the site is then only reached over TLS, so a cookie must never travel in clear).
- Content-Security-Policy: scripts, styles, fonts and images only from this site's own files;
  no inline script or style (templates have none: tests/web/test_security_headers.py scans
  them), no framing (`frame-ancestors 'none'`), forms post only here.
- Strict-Transport-Security once the site is served over https.
"""

from __future__ import annotations

from flask import Flask, Response, request

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "media-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HSTS = "max-age=31536000; includeSubDomains"


def uses_https(app: Flask) -> bool:
    return str(app.config.get("BASE_URL") or "").lower().startswith("https://")


def configure_cookies(app: Flask) -> None:
    secure = uses_https(app)
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["REMEMBER_COOKIE_SAMESITE"] = "Lax"
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["REMEMBER_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SECURE"] = secure
    app.config["REMEMBER_COOKIE_SECURE"] = secure


def init_app(app: Flask) -> None:
    configure_cookies(app)
    https = uses_https(app)

    @app.after_request
    def security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        # same-origin: links to other sites never learn a page address (some carry a token).
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        if https or request.is_secure:
            headers.setdefault("Strict-Transport-Security", HSTS)
        return response
