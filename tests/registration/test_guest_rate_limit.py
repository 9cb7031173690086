"""Guest registration is rate-limited per client address (issue 10 §7).

As in tests/accounts/test_rate_limit.py, the shared test app runs without the limiter, so the
case builds its own app in a fresh interpreter configured by EVENTSYS_* variables."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import json
from datetime import timedelta
from eventsys import create_app
from eventsys.accounts.services import create_user
from eventsys.db import utcnow
from eventsys.events.services import create_event
from eventsys.extensions import db

app = create_app()
with app.app_context():
    db.create_all()
    start = utcnow() + timedelta(days=30)
    event = create_event(db.session, slug="open", title="Open", starts_at=start,
                         ends_at=start + timedelta(days=1), timezone="UTC", is_published=True)
    create_user(db.session, email="member@example.org", password="right password",
                display_name="M").email_confirmed_at = utcnow()
    db.session.commit()
    category_id = event.categories[0].id

def form(n):
    return {"display_name": f"Guest {n}", "email": f"g{n}@example.org",
            "category_id": category_id, "visibility": "organisers"}

guest = app.test_client()
statuses = [guest.post("/events/open/register", data=form(n)).status_code for n in range(4)]
# A form sent back with errors does not use up the allowance of another address.
other = app.test_client()
invalid = [other.post("/events/open/register", data={"email": "x"},
                      environ_base={"REMOTE_ADDR": "10.1.1.1"}).status_code for _ in range(4)]
valid_other = other.post("/events/open/register", data=form(99),
                         environ_base={"REMOTE_ADDR": "10.1.1.1"}).status_code
# Someone logged in is not a guest: no limit from the same address.
member = app.test_client()
member.post("/account/login", data={"email": "member@example.org", "password": "right password"})
signed_in = member.post("/events/open/register", data=form(50)).status_code
print(json.dumps({"statuses": statuses, "invalid": invalid, "valid_other": valid_other,
                  "signed_in": signed_in}))
"""


def test_guests_from_one_address_are_limited(tmp_path):
    environ = {
        **{k: v for k, v in os.environ.items() if not k.startswith("EVENTSYS_")},
        "EVENTSYS_INSTANCE_PATH": str(tmp_path),
        "EVENTSYS_SECRET_KEY": "guest-limit-test",
        "EVENTSYS_DATABASE_URL": f"sqlite:///{tmp_path / 'limit.db'}",
        "EVENTSYS_QUEUE_BACKEND": "memory",
        "EVENTSYS_WTF_CSRF_ENABLED": "false",
        "EVENTSYS_GUEST_REGISTRATION_RATE_LIMIT": "2 per hour",
        "EVENTSYS_RATELIMIT_KEY_PREFIX": f"eventsys-test-{uuid.uuid4().hex}",
        "PYTHONPATH": str(ROOT),
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env=environ,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["statuses"] == [302, 302, 429, 429]
    assert outcome["invalid"] == [200, 200, 200, 200]
    assert outcome["valid_other"] == 302
    assert outcome["signed_in"] == 302
