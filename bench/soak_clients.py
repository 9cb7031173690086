"""The soak's clients: keep-alive connections spread over both app hosts, and what each request
kind records when it is answered success (only those count as acknowledged)."""

from __future__ import annotations

import collections
import http.client
import json
import random
import re
import secrets
import threading
import time
from dataclasses import dataclass, field

import requests

from bench.soak_seed import FORM_PASSWORD, Seeded

IDLE_SECONDS = 20  # the app hosts keep idle connections for 60 s (GUNICORN_CMD_ARGS in soak.py)
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
DELEGATE = re.compile(r'name="category_id"[^>]*value="(\d+)"')
# Request kinds and their share of the mix.
MIX = [
    ("register", 0.34), ("cancel", 0.08), ("form", 0.08), ("signup", 0.10),
    ("scan", 0.10), ("vote", 0.12), ("read", 0.18),
]  # fmt: skip


@dataclass
class Record:
    """What the clients were told."""

    registered: dict[int, tuple[int, str]] = field(default_factory=dict)  # person -> (id, status)
    cancelled: set[int] = field(default_factory=set)  # registration ids
    form_emails: list[str] = field(default_factory=list)  # registrations made through the form
    signups: list[tuple[int, int, str]] = field(default_factory=list)  # (session, reg., status)
    scans: list[tuple[int, str, str]] = field(default_factory=list)  # (reg., nonce, outcome)
    receipts: list[tuple[str, float]] = field(default_factory=list)  # (receipt, request start)
    errors: collections.Counter = field(default_factory=collections.Counter)  # (kind, status)
    closed_at: float | None = None  # when the chair's close was answered
    # (start, seconds, kind, outcome) with outcome ok, refused (a 4xx the rules give) or error
    samples: list[tuple[float, float, str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def acknowledged(self) -> int:
        return (
            len(self.registered) + len(self.cancelled) + len(self.form_emails)
            + len(self.signups) + len(self.scans) + len(self.receipts)
        )  # fmt: skip


class Connections:
    """One keep-alive connection per (port, device); a broken one is replaced, never retried
    (a POST sent twice could be doubled by the client rather than by the server)."""

    def __init__(self) -> None:
        self.open: dict[tuple[int, int], http.client.HTTPConnection] = {}
        self.used: dict[tuple[int, int], float] = {}

    def get(self, port: int, device: int = 0) -> http.client.HTTPConnection:
        key = (port, device)
        # Like a browser, never reuse a connection the server may be closing as it idles out
        # (its keep-alive is longer): that race would be the client's error, not the server's.
        if key in self.open and time.monotonic() - self.used[key] > IDLE_SECONDS:
            self.drop(port, device)
        if key not in self.open:
            self.open[key] = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.used[key] = time.monotonic()
        return self.open[key]

    def send(self, port, method, path, body=None, token="", device=0):
        connection = self.get(port, device)
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        try:
            connection.request(
                method, path, json.dumps(body) if body is not None else None, headers
            )
        except OSError:
            self.drop(port, device)
            raise
        return connection

    def answer(self, port, device=0) -> tuple[int, bytes]:
        try:
            response = self.get(port, device).getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException):
            self.drop(port, device)
            raise

    def call(self, port, method, path, body=None, token="") -> tuple[int, bytes]:
        self.send(port, method, path, body, token)
        return self.answer(port)

    def drop(self, port: int, device: int) -> None:
        connection = self.open.pop((port, device), None)
        if connection is not None:
            connection.close()


class Pools:
    """Who is still free to act, shared by all clients."""

    def __init__(self, people: int, seeded: Seeded) -> None:
        self.api = collections.deque(range(people))
        self.form = collections.deque(enumerate(seeded.form_accounts))
        self.badges = collections.deque(seeded.badge_codes)
        self.voters = collections.deque(range(len(seeded.voter_tokens)))
        self.voted: list[int] = []
        self.guests = 0
        self.lock = threading.Lock()

    def take(self, pool: collections.deque):
        with self.lock:
            return pool.popleft() if pool else None


class Client:
    def __init__(self, ports, slug, tokens, seeded: Seeded, record: Record, pools: Pools) -> None:
        self.ports, self.slug, self.tokens, self.seeded = ports, slug, tokens, seeded
        self.record, self.pools = record, pools
        self.rng = random.Random()
        self.connections = Connections()
        self.browser = requests.Session()
        self.status: int | str = 0

    def outcome(self, status: int, ok: tuple[int, ...]) -> str:
        """ok, refused (a 4xx the rules give: full, closed, already done) or error."""
        self.status = status
        if status in ok:
            return "ok"
        return "refused" if 400 <= status < 500 and status != 429 else "error"

    def run(self, until: float) -> None:
        kinds, weights = zip(*MIX, strict=True)
        while time.monotonic() < until:
            kind = self.rng.choices(kinds, weights)[0]
            port = self.rng.choice(self.ports)
            started = time.monotonic()
            try:
                result = getattr(self, kind)(port)
            except (OSError, http.client.HTTPException, requests.RequestException) as exc:
                result, self.status = "error", type(exc).__name__
            if result is None:
                continue  # nothing left to do of this kind
            with self.record.lock:
                self.record.samples.append((started, time.monotonic() - started, kind, result))
                if result == "error":
                    self.record.errors[(kind, self.status)] += 1
        self.browser.close()

    # --- conference registrations -------------------------------------------------------

    def register(self, port: int) -> str | None:
        person = self.pools.take(self.pools.api)
        if person is None:
            return None
        status, body = self.connections.call(
            port, "POST", f"/api/v1/events/{self.slug}/registrations",
            {"category": "delegate", "display_name": f"Soak {person}"}, self.tokens[person],
        )  # fmt: skip
        if status == 201:
            data = json.loads(body)
            with self.record.lock:
                self.record.registered[person] = (data["id"], data.get("status", ""))
        return self.outcome(status, (201,))

    def cancel(self, port: int) -> str | None:
        with self.record.lock:
            candidates = [
                (p, r) for p, (r, _s) in self.record.registered.items()
                if r not in self.record.cancelled
            ]  # fmt: skip
        if not candidates:
            return None
        person, registration_id = self.rng.choice(candidates[-300:])
        status, _ = self.connections.call(
            port, "POST", f"/api/v1/registrations/{registration_id}/cancel", {},
            self.tokens[person],
        )  # fmt: skip
        if status == 200:
            with self.record.lock:
                self.record.cancelled.add(registration_id)
        return self.outcome(status, (200,))

    def form(self, port: int) -> str | None:
        """The web form with its CSRF token: every other one as a guest, else logged in."""
        base = f"http://127.0.0.1:{port}"
        self.browser.cookies.clear()
        if self.rng.random() < 0.5:
            with self.pools.lock:
                self.pools.guests += 1
                email = f"guest{self.pools.guests}-{secrets.token_hex(3)}@soak.example.org"
        else:
            taken = self.pools.take(self.pools.form)
            if taken is None:
                return None
            email = taken[1]
            page = self.browser.get(f"{base}/login", timeout=30)
            if page.status_code != 200:
                return self.outcome(page.status_code, ())
            login = self.browser.post(
                f"{base}/login", allow_redirects=False, timeout=30,
                data={"csrf_token": _csrf(page.text), "email": email, "password": FORM_PASSWORD},
            )  # fmt: skip
            if login.status_code != 302:
                return self.outcome(login.status_code, ())
        page = self.browser.get(f"{base}/events/{self.slug}/register", timeout=30)
        if page.status_code != 200:
            return self.outcome(page.status_code, ())
        sent = self.browser.post(
            f"{base}/events/{self.slug}/register", allow_redirects=False, timeout=30,
            data={"csrf_token": _csrf(page.text), "display_name": f"Form {email}",
                  "email": email, "category_id": DELEGATE.search(page.text).group(1),
                  "visibility": "organisers", "show_organisation": "y", "show_country": "y"},
        )  # fmt: skip
        if sent.status_code == 302:
            with self.record.lock:
                self.record.form_emails.append(email)
            return "ok"
        return self.outcome(sent.status_code, ())

    def read(self, port: int) -> str:
        path = self.rng.choice(
            [f"/events/{self.slug}/", f"/events/{self.seeded.day_slug}/programme/",
             f"/events/{self.seeded.day_slug}/calendar.ics",
             f"/events/{self.seeded.day_slug}/schedule.json"]
        )  # fmt: skip
        status, _ = self.connections.call(port, "GET", path)
        return self.outcome(status, (200,))

    # --- the day: workshops and the door ------------------------------------------------------

    def signup(self, port: int) -> str:
        index = self.rng.randrange(len(self.seeded.day_tokens))
        session_id = self.rng.choice(list(self.seeded.workshops))
        status, body = self.connections.call(
            port, "POST", f"/api/v1/events/{self.seeded.day_slug}/sessions/{session_id}/signups",
            None, self.seeded.day_tokens[index],
        )  # fmt: skip
        if status == 201:
            with self.record.lock:
                self.record.signups.append(
                    (session_id, self.seeded.day_registrations[index], json.loads(body)["status"])
                )
        return self.outcome(status, (201,))

    def scan(self, port: int) -> str | None:
        """The same badge at two devices at once, each with its own nonce."""
        badge = self.pools.take(self.pools.badges)
        if badge is None:
            return None
        registration_id, code = badge
        path = f"/api/v1/events/{self.seeded.day_slug}/checkins"
        nonces = [f"soak-{secrets.token_hex(8)}" for _ in (0, 1)]
        other = self.ports[(self.ports.index(port) + 1) % len(self.ports)]
        device_ports = [port, other]
        try:
            for device, token in enumerate(self.seeded.staff_tokens):
                self.connections.send(
                    device_ports[device], "POST", path, {"code": code, "nonce": nonces[device]},
                    token, device + 1,
                )  # fmt: skip
            answers = [self.connections.answer(device_ports[d], d + 1) for d in (0, 1)]
        except (OSError, http.client.HTTPException):
            for device in (0, 1):  # neither device's connection is left with an unread answer
                self.connections.drop(device_ports[device], device + 1)
            raise
        results = []
        for device, (status, body) in enumerate(answers):
            if status == 200:
                with self.record.lock:
                    self.record.scans.append(
                        (registration_id, nonces[device], json.loads(body)["outcome"])
                    )
            results.append(self.outcome(status, (200,)))
        failed = [status for status, _b in answers if status != 200]
        if failed:
            self.status = failed[0]
        return "error" if "error" in results else results[0]

    # --- the assembly ---------------------------------------------------------------------

    def vote(self, port: int) -> str | None:
        with self.pools.lock:
            again = self.pools.voted and self.rng.random() < 0.1
        voter = self.rng.choice(self.pools.voted) if again else self.pools.take(self.pools.voters)
        if voter is None:
            return None
        started = time.monotonic()
        status, body = self.connections.call(
            port, "POST",
            f"/api/v1/events/{self.seeded.ga_slug}/assembly/polls/{self.seeded.poll}/votes",
            {"choices": [self.rng.choice(self.seeded.options)]}, self.seeded.voter_tokens[voter],
        )  # fmt: skip
        if status == 201:
            with self.record.lock:
                for receipt in json.loads(body)["receipts"]:
                    self.record.receipts.append((receipt["receipt"], started))
        if not again:
            with self.pools.lock:
                self.pools.voted.append(voter)
        return self.outcome(status, (201,))


def _csrf(html: str) -> str:
    found = CSRF.search(html)
    return found.group(1) if found else ""
