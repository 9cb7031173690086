"""Per-request figures for benchmarks and profiling: with EVENTSYS_TIMING_HEADERS=true every
response says how many SQL statements it ran (`X-Query-Count`) and how long the app took
(`Server-Timing: app;dur=…`, which browsers' developer tools show). Off by default: counting
costs a little on every statement."""

from __future__ import annotations

import time
from typing import Any

from flask import Flask, Response, g, has_request_context
from sqlalchemy import event
from sqlalchemy.engine import Engine


def _count_statement(*_args: Any, **_kwargs: Any) -> None:
    if has_request_context() and "statements" in g:
        g.statements += 1


def init_app(app: Flask) -> None:
    if not app.config.get("TIMING_HEADERS"):
        return
    if not event.contains(Engine, "before_cursor_execute", _count_statement):
        event.listen(Engine, "before_cursor_execute", _count_statement)

    @app.before_request
    def start_timing() -> None:
        g.statements = 0
        g.started = time.perf_counter()

    @app.after_request
    def timing_headers(response: Response) -> Response:
        if "started" in g:
            elapsed = (time.perf_counter() - g.started) * 1000
            response.headers["Server-Timing"] = f"app;dur={elapsed:.1f}"
            response.headers["X-Query-Count"] = str(g.statements)
        return response
