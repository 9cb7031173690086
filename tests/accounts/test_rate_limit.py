"""Logging in is rate-limited, in memory by default and in Redis when EVENTSYS_REDIS_URL is set.

The limiter is configured when the app is created, and the shared test app runs without it; each
case here builds its own app in a fresh interpreter, configured only by EVENTSYS_* variables, as
`eventsys run` or gunicorn would be.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

REDIS_URL = os.environ.get("EVENTSYS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import json
from eventsys import create_app
from eventsys.accounts.services import create_user
from eventsys.extensions import db, limiter

app = create_app()
with app.app_context():
    db.create_all()
    create_user(
        db.session, email="limited@example.org", password="right password", display_name="L"
    )
    db.session.commit()
client = app.test_client()
statuses = []
for attempt in range(5):
    wrong = {"email": "limited@example.org", "password": "wrong"}
    response = client.post("/account/login", data=wrong)
    statuses.append(response.status_code)
last = response.get_data(as_text=True)
# Another address (a different client) is not affected.
other = app.test_client().post(
    "/account/login",
    data={"email": "limited@example.org", "password": "right password"},
    environ_base={"REMOTE_ADDR": "10.9.8.7"},
)
print(json.dumps({
    "statuses": statuses,
    "other": other.status_code,
    "storage": type(limiter.storage).__name__,
    "retry_after": response.headers.get("Retry-After"),
    "page": last,
}))
"""


def redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


def run_app(tmp_path: Path, **env: str) -> dict:
    environ = {
        **{k: v for k, v in os.environ.items() if not k.startswith("EVENTSYS_")},
        "EVENTSYS_INSTANCE_PATH": str(tmp_path),
        "EVENTSYS_SECRET_KEY": "rate-limit-test",
        "EVENTSYS_DATABASE_URL": f"sqlite:///{tmp_path / 'limit.db'}",
        "EVENTSYS_QUEUE_BACKEND": "memory",
        "EVENTSYS_WTF_CSRF_ENABLED": "false",
        "EVENTSYS_LOGIN_RATE_LIMIT": "3 per minute",
        # Unique keys, so runs (and other checkouts sharing the Redis) never count each other.
        "EVENTSYS_RATELIMIT_KEY_PREFIX": f"eventsys-test-{uuid.uuid4().hex}",
        **env,
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def assert_limited(outcome: dict) -> None:
    assert outcome["statuses"] == [200, 200, 200, 429, 429]
    assert outcome["retry_after"] and int(outcome["retry_after"]) > 0
    assert "Too many attempts" in outcome["page"]
    assert outcome["other"] == 302  # the right password from elsewhere still logs in


def test_login_rate_limit_in_memory(tmp_path):
    outcome = run_app(tmp_path)
    assert outcome["storage"] == "MemoryStorage"
    assert_limited(outcome)


@pytest.mark.skipif(not redis_available(), reason="needs Redis at EVENTSYS_TEST_REDIS_URL")
def test_login_rate_limit_in_redis_when_redis_url_is_set(tmp_path):
    outcome = run_app(tmp_path, EVENTSYS_REDIS_URL=REDIS_URL)
    assert outcome["storage"] == "RedisStorage"
    assert_limited(outcome)
