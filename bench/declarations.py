"""How long the Baku declaration's pages and files take with its 1,023 signatures.

python bench/declarations.py            # SQLite in a temporary folder
EVENTSYS_DATABASE_URL=postgresql://... python bench/declarations.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eventsys import create_app  # noqa: E402
from eventsys.extensions import db  # noqa: E402


def report(label: str, seconds: float, note: str = "") -> None:
    print(f"{label:<46} {seconds * 1000:8.1f} ms {note}")


def timed(label: str, fn, repeat: int = 5) -> None:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    report(label, best, f"(best of {repeat})")


def main() -> None:
    folder = tempfile.mkdtemp(prefix="bench-declarations-")
    url = os.environ.get("EVENTSYS_DATABASE_URL") or f"sqlite:///{folder}/bench.db"
    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "bench",
            "QUEUE_BACKEND": "memory",
            "RATELIMIT_ENABLED": False,
            "EVENTSYS_INSTANCE_PATH": folder,
        }
    )
    app.instance_path = folder
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.create_all()
        from eventsys.declarations import demo, exports, pdf, services
        from tests.factories import Factory

        organiser = Factory().user("bench-organiser@example.org")
        event = Factory().event("baku-bench", timezone="Asia/Baku", organiser=organiser)
        start = time.perf_counter()
        declaration = demo.load(db.session, SimpleNamespace(baku=event, registrations={}))
        db.session.commit()
        report("demo: 1,038 signature rows inserted", time.perf_counter() - start)
        client = app.test_client()
        page = f"/events/{event.slug}/declarations/{declaration.slug}"
        timed("public page (counts, chart, 800+ names)", lambda: client.get(page))
        timed("counts by country", lambda: services.counts(db.session, declaration))
        rows = services.all_signatures(db.session, declaration)
        timed("CSV export", lambda: exports.to_csv(rows, event.timezone, "en"))
        timed("XLSX export", lambda: exports.to_xlsx(rows, event.timezone, "en", "x"))
        with app.test_request_context():
            start = time.perf_counter()
            pdf.declaration_pdf(db.session, declaration, "en")
            report("PDF, first render (WeasyPrint)", time.perf_counter() - start)
            timed("PDF, cached", lambda: pdf.declaration_pdf(db.session, declaration, "en"))
        db.session.remove()  # PostgreSQL: our own open transaction would block the DROP
        db.drop_all()


if __name__ == "__main__":
    main()
