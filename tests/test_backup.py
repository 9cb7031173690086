"""`eventsys db backup` / `eventsys db restore`: a restored copy serves the same event,
registrations, poll results and files; bad paths get a clear message, not a traceback.

Each installation (original, restored) is its own process configured by EVENTSYS_* variables,
as in production. SQLite always; PostgreSQL too when the suite runs on it (in databases of the
test's own, created and dropped here)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from tests.conftest import DATABASE_URL, is_postgres
from tests.servers import ROOT

MAKE = r"""
from pathlib import Path
from flask import current_app
from eventsys import create_app
from eventsys.assembly import services
from eventsys.extensions import db
from tests.assembly.conftest import build_hall, open_motion_poll, option
from tests.factories import Factory

app = create_app()
with app.app_context():
    db.create_all()
    hall = build_hall(Factory(), members=4)
    poll = open_motion_poll(hall, title="Adopt the Cascais resolution")
    for n, key in enumerate(["yes", "yes", "yes", "no"]):
        services.cast_vote(db.session, poll.id, hall.delegates[n].id, [option(poll, key)])
    services.close_poll(db.session, poll.id)
    db.session.commit()
    for key, name in (("UPLOAD_DIR", "resolution.pdf"), ("BADGE_OUTPUT_DIR", "badges-1.pdf")):
        folder = Path(current_app.config[key])
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(b"%PDF-1.4 " + name.encode())
"""

SERVE = r"""
import hashlib, json
from pathlib import Path
from flask import current_app
from sqlalchemy import select
from eventsys import create_app
from eventsys.assembly import services
from eventsys.assembly.models import Poll
from eventsys.events.models import Event
from eventsys.extensions import db
from eventsys.registration.models import Registration

app = create_app()
client = app.test_client()
with app.app_context():
    event = db.session.execute(select(Event)).scalars().first()
    slug, title = event.slug, event.title
    registrations = [
        [r.id, r.email, r.display_name, str(r.status)]
        for r in db.session.execute(select(Registration).order_by(Registration.id)).scalars()
    ]
    polls = [
        [p.id, p.motion_id, str(p.state), p.closed_at, services.tally(db.session, p)]
        for p in db.session.execute(select(Poll).order_by(Poll.id)).scalars()
    ]
    files = {
        key: {
            str(f.relative_to(current_app.config[key])): hashlib.sha256(f.read_bytes()).hexdigest()
            for f in sorted(Path(current_app.config[key]).rglob("*")) if f.is_file()
        }
        for key in ("UPLOAD_DIR", "BADGE_OUTPUT_DIR")
    }
page = client.get(f"/events/{slug}/", follow_redirects=True)
print(json.dumps({
    "page": [page.status_code, title in page.get_data(as_text=True)],
    "registrations": registrations,
    "polls": polls,
    "files": files,
}, default=str, sort_keys=True))
"""


def environment(folder: Path, database_url: str) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("EVENTSYS_")},
        "PYTHONPATH": str(ROOT),
        "EVENTSYS_INSTANCE_PATH": str(folder),
        "EVENTSYS_SECRET_KEY": "backup-test",
        "EVENTSYS_DATABASE_URL": database_url,
        "EVENTSYS_QUEUE_BACKEND": "memory",
    }


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        list(args), cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def python(env: dict[str, str], script: str) -> str:
    result = run(env, sys.executable, "-c", script)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


def eventsys(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return run(env, sys.executable, "-m", "eventsys.cli", "db", *args)


@pytest.fixture(params=["sqlite", "postgresql"])
def two_databases(request, tmp_path):
    """URLs of two empty databases: the original installation's and the restored copy's."""
    if request.param == "sqlite":
        yield [f"sqlite:///{tmp_path / name / 'eventsys.db'}" for name in ("a", "b")]
        return
    if not is_postgres:
        pytest.skip("PostgreSQL: runs when the suite runs on PostgreSQL")
    server = make_url(DATABASE_URL).set(drivername="postgresql")
    names = [f"eventsys_backup_{uuid.uuid4().hex[:12]}" for _ in range(2)]
    admin = server.set(database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        for name in names:
            connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield [server.set(database=name).render_as_string(hide_password=False) for name in names]
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            for name in names:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_restored_copy_serves_the_same_event_registrations_results_and_files(
    tmp_path, two_databases
):
    original = environment(tmp_path / "a", two_databases[0])
    copy = environment(tmp_path / "b", two_databases[1])
    python(original, MAKE)
    before = json.loads(python(original, SERVE))
    assert before["page"] == [200, True]
    assert len(before["registrations"]) == 4 and before["polls"][0][2] == "closed"
    assert before["files"]["UPLOAD_DIR"] and before["files"]["BADGE_OUTPUT_DIR"]

    file = tmp_path / "eventsys-backup.tar.gz"
    done = eventsys(original, "backup", str(file))
    assert done.returncode == 0, done.stderr
    done = eventsys(copy, "restore", str(file), "--yes")
    assert done.returncode == 0, done.stderr
    assert json.loads(python(copy, SERVE)) == before


def test_bad_paths_get_a_clear_message(tmp_path):
    env = environment(tmp_path / "a", f"sqlite:///{tmp_path / 'a.db'}")
    python(
        env,
        "from eventsys import create_app\nfrom eventsys.extensions import db\n"
        "app = create_app()\nwith app.app_context(): db.create_all()",
    )
    cases = [
        (("backup", str(tmp_path / "missing" / "b.tar.gz")), "does not exist"),
        (("restore", str(tmp_path / "nothing.tar.gz"), "--yes"), "There is no backup file"),
    ]
    (tmp_path / "exists.tar.gz").write_text("not a backup")
    cases += [
        (("backup", str(tmp_path / "exists.tar.gz")), "exists already"),
        (("restore", str(tmp_path / "exists.tar.gz"), "--yes"), "is not an eventsys backup"),
    ]
    for args, message in cases:
        result = eventsys(env, *args)
        assert result.returncode != 0, args
        assert message in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr
