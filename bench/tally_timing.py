"""Focused timing of the Assembly's close-and-count (the tally), without HTTP or gunicorn.

Seeds the same Assembly as bench/assembly_votes.py (2,000 members, 100 by proxy, 1,900 present
delegates), writes every vote in bulk, then times `tally` on the poll (median of --repeat) and
closes it once (close_poll and commit: the tally, the decision, the audit entry).

    python bench/tally_timing.py [--database-url URL] [--repeat 7] [--profile]

Without --database-url it uses a fresh SQLite file. The last line: `tally ms: M (N counted)`.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.assembly_votes import seed  # noqa: E402


def cast_all(poll_id: int, yes: int) -> None:
    """Every present right votes yes: poll_votes and (named) ballots, in bulk."""
    from sqlalchemy import insert

    from eventsys import create_app
    from eventsys.assembly import services
    from eventsys.assembly.models import Ballot, Poll, PollVote
    from eventsys.extensions import db

    app = create_app()
    with app.app_context():
        poll = db.session.get_one(Poll, poll_id)
        rights = services.present_rights(db.session, poll.assembly_id)
        db.session.execute(
            insert(PollVote), [{"poll_id": poll_id, "right_id": r} for r, _w in rights]
        )
        db.session.execute(
            insert(Ballot),
            [
                {
                    "receipt": secrets.token_hex(10),
                    "poll_id": poll_id,
                    "secret": False,
                    "right_id": r,
                    "weight": w,
                    "choices": [yes],
                    "members": 1,
                }
                for r, w in rights
            ],
        )
        db.session.commit()
        db.session.remove()


def time_tally(poll_id: int, repeat: int, profile: bool) -> tuple[float, int]:
    from eventsys import create_app
    from eventsys.assembly import services
    from eventsys.assembly.models import Poll
    from eventsys.assembly.services.tally import tally
    from eventsys.extensions import db

    app = create_app()
    with app.app_context():
        poll = db.session.get_one(Poll, poll_id)
        tally(db.session, poll)  # warm-up: statements compiled, connection open
        timings = []
        for _i in range(repeat):
            started = time.perf_counter()
            counts = tally(db.session, poll)
            timings.append((time.perf_counter() - started) * 1000)
        profiler = cProfile.Profile() if profile else None
        started = time.perf_counter()
        if profiler is not None:
            profiler.enable()
        services.close_poll(db.session, poll.id)
        db.session.commit()
        close_ms = (time.perf_counter() - started) * 1000
        if profiler is not None:
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        print(f"close_poll and commit, once: {close_ms:.1f} ms")
        print(
            f"counts: ballots {counts['ballots']}, present {counts['present']}, "
            f"presence {counts['presence']}"
        )
        db.session.remove()
    return statistics.median(timings), counts["ballots"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    instance = tempfile.mkdtemp(prefix="eventsys-tally-")
    url = args.database_url or f"sqlite:///{instance}/tally.db"
    env = {
        "EVENTSYS_DATABASE_URL": url,
        "EVENTSYS_SECRET_KEY": "bench-secret",
        "EVENTSYS_INSTANCE_PATH": instance,
        "EVENTSYS_QUEUE_BACKEND": "memory",
        "EVENTSYS_UPLOAD_DIR": instance,
    }
    os.environ.update(env)
    info = seed(env)
    cast_all(info["poll"], info["yes"])
    median, counted = time_tally(info["poll"], args.repeat, args.profile)
    print(f"tally ms: {median:.1f} ({counted} counted)")


if __name__ == "__main__":
    main()
