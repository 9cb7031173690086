"""Every page a person can reach by links, timed: the demo on SQLite under gunicorn, walked as a
visitor, a participant, an organiser, the Assembly's chair and an administrator (feeds and
PDFs included). Each page is fetched three times; the median is its time. Query counts come
from the app's own `X-Query-Count` header (EVENTSYS_TIMING_HEADERS).

    python bench/pages.py [--limit-per-role 250] [--port N]

Prints the slowest pages, the PDFs and bulk exports apart (they are files, not pages), and last:
    pages: N; p95 ms: P; max ms: M; largest KB: K; max queries: Q
Goal: P < 100, M < 300, K < 300, with N well over 100. Exits 1 on any server error.

Before the walk, each gunicorn worker is warmed on fresh connections (a worker compiles each
template on its first use); the slowest of those cold answers is printed apart as "cold ms", so
the walk measures what people meet once a server has run for a minute.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import deque
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import free_port, start_gunicorn, stop  # noqa: E402

FILES = ("application/pdf", "text/csv", "application/vnd.openxmlformats")
ROLES = {
    "visitor": (None, ["/", "/events/cascais-2024/", "/events/baku-2024-south-south/"]),
    "participant": (
        "participant@example.org",
        ["/account/", "/events/cascais-2024/", "/events/cascais-2024/assembly/vote"],
    ),
    "organiser": (
        "organiser@example.org",
        ["/events/cascais-2024/manage/", "/events/baku-2024-south-south/manage/"],
    ),
    "chair": (
        "organiser@example.org",
        ["/events/cascais-2024/assembly/manage", "/events/cascais-2024/assembly/projector"],
    ),
    "administrator": ("admin@example.org", ["/admin/events/", "/"]),
}
WORKERS = 2
# Links that change state on GET do not exist; these would end the walker's session or
# lead off the app.
SKIP = re.compile(r"/account/logout|/static/|^mailto:|/account/delete")


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.found.append(href)


@dataclass
class Page:
    role: str
    url: str
    status: int
    kind: str
    ms: float
    size: int
    queries: int


def shape(url: str) -> str:
    """Pages of one kind (numbers and query values aside), so the walk samples each kind a few
    times instead of every day, filter and page of every list."""
    parts = urlsplit(url)
    path = re.sub(r"/\d+(?=/|$)", "/N", parts.path)
    path = re.sub(r"/[A-Za-z0-9_-]{20,}(?=[/.]|$)", "/TOKEN", path)
    keys = ",".join(sorted(k.split("=")[0] for k in parts.query.split("&") if k))
    return f"{path}?{keys}"


def log_in(http: requests.Session, base: str, email: str) -> None:
    form = http.get(base + "/account/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form) or re.search(
        r'name="csrf_token" value="([^"]+)"', form
    )
    answer = http.post(
        base + "/account/login",
        data={"email": email, "password": "demo", "csrf_token": token.group(1) if token else ""},
        allow_redirects=False,
    )
    if answer.status_code != 302:
        raise SystemExit(f"could not log in as {email}: {answer.status_code}")


WARM_PATHS = ["/", "/events/cascais-2024/", "/events/cascais-2024/programme/", "/account/login"]


def warm_up(base: str, workers: int) -> float:
    """Each path once per worker and then some, each on a new connection (keep-alive would keep
    talking to one worker); returns the slowest answer, the cold start a first visitor meets."""
    slowest = 0.0
    for path in WARM_PATHS:
        for _ in range(workers * 3):
            started = time.perf_counter()
            requests.get(base + path, headers={"Connection": "close"}, timeout=60)
            slowest = max(slowest, (time.perf_counter() - started) * 1000)
    return slowest


def timed(http: requests.Session, url: str) -> tuple[requests.Response, float]:
    times = []
    answer = None
    for _ in range(3):
        started = time.perf_counter()
        answer = http.get(url, allow_redirects=False)
        times.append((time.perf_counter() - started) * 1000)
    assert answer is not None
    return answer, statistics.median(times)


def walk(base: str, role: str, limit: int, per_shape: int) -> list[Page]:
    email, starts = ROLES[role]
    http = requests.Session()
    if email:
        log_in(http, base, email)
    queue = deque(base + path for path in starts)
    seen: set[str] = set(queue)
    shapes: dict[str, int] = {}
    pages: list[Page] = []
    while queue and len(pages) < limit:
        url = queue.popleft()
        answer, ms = timed(http, url)
        kind = answer.headers.get("Content-Type", "").split(";")[0]
        pages.append(
            Page(role, url[len(base) :], answer.status_code, kind, ms, len(answer.content),
                 int(answer.headers.get("X-Query-Count", -1)))
        )  # fmt: skip
        if answer.status_code in (301, 302, 303):
            found = [answer.headers["Location"]]
        elif kind == "text/html":
            parser = Links()
            parser.feed(answer.text)
            found = parser.found
        else:
            continue
        for href in found:
            target = urldefrag(urljoin(url, href))[0]
            if not target.startswith(base) or SKIP.search(target) or target in seen:
                continue
            key = shape(target[len(base) :])
            if shapes.get(key, 0) >= per_shape:
                continue
            shapes[key] = shapes.get(key, 0) + 1
            seen.add(target)
            queue.append(target)
    return pages


def serve_demo(instance: Path, port: int) -> subprocess.Popen:
    env = {
        "EVENTSYS_INSTANCE_PATH": str(instance),
        "EVENTSYS_SECRET_KEY": "bench-pages",
        "EVENTSYS_TIMING_HEADERS": "true",
        "EVENTSYS_RATELIMIT_ENABLED": "false",
        "EVENTSYS_BASE_URL": f"http://127.0.0.1:{port}",
    }
    cli = [sys.executable, "-c", "from eventsys.cli import main; main()"]
    for command in (["db", "upgrade"], ["demo"]):
        subprocess.run([*cli, *command], env={**os.environ, **env}, check=True,
                       capture_output=True)  # fmt: skip
    return start_gunicorn("eventsys:create_app()", port, WORKERS, env)


def report(pages: list[Page]) -> int:
    errors = [p for p in pages if p.status >= 500]
    files = [p for p in pages if p.kind.startswith(FILES)]
    timed_pages = [p for p in pages if p not in files and p.status < 400]
    print(f"{'ms':>7} {'KB':>7} {'q':>4}  role          page")
    for p in sorted(timed_pages, key=lambda p: -p.ms)[:15]:
        print(f"{p.ms:7.1f} {p.size / 1024:7.1f} {p.queries:4d}  {p.role:<13} {p.url}")
    print("most queries:")
    for p in sorted(timed_pages, key=lambda p: -p.queries)[:5]:
        print(f"{p.ms:7.1f} {p.size / 1024:7.1f} {p.queries:4d}  {p.role:<13} {p.url}")
    print("PDFs and bulk exports (apart):")
    for p in sorted(files, key=lambda p: -p.ms)[:10]:
        print(f"{p.ms:7.1f} {p.size / 1024:7.1f} {p.queries:4d}  {p.role:<13} {p.url}")
    for p in errors:
        print(f"SERVER ERROR {p.status}: {p.role} {p.url}")
    refused = [p for p in pages if 400 <= p.status < 500]
    print(f"refused (4xx, a link to what the role may not see): {len(refused)}")
    for p in refused[:10]:
        print(f"  {p.status} {p.role} {p.url}")
    times = sorted(p.ms for p in timed_pages)
    p95 = times[int(0.95 * (len(times) - 1))] if times else 0.0
    print(
        f"pages: {len(timed_pages)}; p95 ms: {p95:.1f}; max ms: {max(times, default=0):.1f}; "
        f"largest KB: {max((p.size for p in timed_pages), default=0) / 1024:.0f}; "
        f"max queries: {max((p.queries for p in timed_pages), default=0)}"
    )
    return 1 if errors else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit-per-role", type=int, default=250)
    parser.add_argument("--per-shape", type=int, default=3)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    port = args.port or free_port()
    with tempfile.TemporaryDirectory(prefix="eventsys-pages-") as folder:
        server = serve_demo(Path(folder), port)
        try:
            base = f"http://127.0.0.1:{port}"
            print(f"cold ms: {warm_up(base, WORKERS):.1f} (slowest first answer of a worker)")
            pages = [
                page
                for role in ROLES
                for page in walk(base, role, args.limit_per_role, args.per_shape)
            ]
        finally:
            stop(server)
    return report(pages)


if __name__ == "__main__":
    raise SystemExit(main())
