"""Benchmark of the timetable: 300 sessions in 12 rooms over 3 days, 400 participants and
2,000 sign-ups. Prints the figures; the last line is the summary the issue asks for.

    python bench/timetable.py            # a temporary SQLite database
    python bench/timetable.py --sessions 3000 --rooms 60 --days 12   # a COP's side events
    EVENTSYS_BENCH_DATABASE_URL=postgresql://... python bench/timetable.py   # an EMPTY database
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event as sa_event  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from eventsys import create_app  # noqa: E402
from eventsys.accounts.services import create_user  # noqa: E402
from eventsys.events.enums import RoleName  # noqa: E402
from eventsys.events.services import create_event, grant_role  # noqa: E402
from eventsys.extensions import db  # noqa: E402
from eventsys.programme import (
    services,  # noqa: E402
    versions,  # noqa: E402
)
from eventsys.programme.models import ProgrammeSession, SignUp, SignUpStatus  # noqa: E402
from eventsys.registration.enums import Status  # noqa: E402
from eventsys.registration.models import Registration  # noqa: E402

ROUNDS = 7
START = datetime(2024, 10, 9, 7, 0, tzinfo=UTC)  # 08:00 in Lisbon


def build(
    slug: str, sessions: int, rooms: int, participants: int, signups: int, organiser, days: int = 3
):
    event = create_event(
        db.session, slug=slug, title=f"Benchmark {slug}", timezone="Europe/Lisbon",
        starts_at=START, ends_at=START + timedelta(days=days - 1, hours=12), is_published=True,
        venue_name="Centro de Congressos", city="Cascais",
    )  # fmt: skip
    grant_role(db.session, event, organiser, RoleName.ORGANISER)
    room_rows = [
        services.save_room(db.session, event, name=f"Room {n + 1}", capacity=40)
        for n in range(rooms)
    ]
    tracks = [
        services.save_track(db.session, event, name=f"Track {n + 1}", colour="#2f6f4f")
        for n in range(4)
    ]
    per_day = -(-sessions // days)
    rows = []
    for n in range(sessions):
        day, index = divmod(n, per_day)
        slot, room = divmod(index, rooms)
        start = START + timedelta(days=day, hours=1 + slot)
        rows.append(
            services.create_session(
                db.session, event,
                services.SessionData(
                    title=f"Session {n}: municipal climate action", kind="workshop",
                    starts_at=start, ends_at=start + timedelta(minutes=50),
                    room_id=room_rows[room].id, track_id=tracks[n % 4].id,
                    description="Workshop description. " * 10, capacity=40, signup_required=True,
                    speakers=[services.SpeakerData(f"Speaker {n % 150}")],
                ),
            )
        )  # fmt: skip
    category = next(c for c in event.categories if c.code == "delegate")
    db.session.execute(
        insert(Registration),
        [
            {"event_id": event.id, "category_id": category.id, "status": Status.CONFIRMED,
             "email": f"p{n}@{slug}.example.org", "display_name": f"Participant {n}",
             "answers": {}}
            for n in range(participants)
        ],
    )  # fmt: skip
    registration_ids = [
        r.id
        for r in db.session.execute(
            db.select(Registration.id).where(Registration.event_id == event.id)
        )
    ]
    # Each participant takes sessions at different hours, so nobody overlaps.
    per_person = signups // max(participants, 1)
    values = []
    for n, registration_id in enumerate(registration_ids):
        for k in range(per_person):
            row = rows[(n * 7 + k * (rooms + 1)) % len(rows)]
            values.append({"session_id": row.id, "registration_id": registration_id,
                           "status": SignUpStatus.CONFIRMED})  # fmt: skip
    unique = list({(v["session_id"], v["registration_id"]): v for v in values}.values())
    db.session.execute(insert(SignUp), unique)
    versions.publish(db.session, event, user=organiser)
    db.session.commit()
    return event


def timed(fn, rounds: int = ROUNDS) -> float:
    fn()  # warm up
    samples = []
    for _ in range(rounds):
        began = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - began) * 1000)
    return statistics.median(samples)


def count_queries(engine, fn) -> int:
    statements = []

    def before(conn, cursor, statement, *args):
        statements.append(statement)

    sa_event.listen(engine, "before_cursor_execute", before)
    try:
        fn()
    finally:
        sa_event.remove(engine, "before_cursor_execute", before)
    return len(statements)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Timetable benchmark")
    parser.add_argument("--sessions", type=int, default=300)
    parser.add_argument("--rooms", type=int, default=12)
    parser.add_argument("--days", type=int, default=3)
    parser.add_argument("--participants", type=int, default=400)
    parser.add_argument("--signups", type=int, default=2000)
    return parser.parse_args()


def main() -> None:
    args = arguments()
    tmp = tempfile.mkdtemp(prefix="eventsys-bench-")
    url = os.environ.get("EVENTSYS_BENCH_DATABASE_URL") or f"sqlite:///{tmp}/bench.db"
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "bench", "DATABASE_URL": url, "QUEUE_BACKEND": "memory",
         "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "BASE_URL": "http://bench.test",
         "CACHE_DIR": f"{tmp}/cache"}
    )  # fmt: skip
    with app.app_context():
        db.drop_all()
        db.create_all()
        organiser = create_user(
            db.session, email="organiser@bench.test", password="bench password",
            display_name="Organiser",
        )  # fmt: skip
        small = build("bench-30", 30, 12, 40, 200, organiser)
        large = build(
            f"bench-{args.sessions}", args.sessions, args.rooms, args.participants, args.signups,
            organiser, days=args.days,
        )  # fmt: skip
        built = db.session.scalar(
            db.select(db.func.count())
            .select_from(ProgrammeSession)
            .where(ProgrammeSession.event_id == large.id)
        )
        organiser_id = organiser.get_id()
        engine = db.engine
        slugs = (small.slug, large.slug)
        warnings = services.event_conflicts(db.session, large)
        programme = services.load_programme(db.session, large)

        conflicts_ms = timed(lambda: services.event_conflicts(db.session, large))
        pure_ms = timed(lambda: services.conflicts_of(programme))
        db.session.remove()

    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = organiser_id, True

    def get(path: str) -> bytes:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return response.data

    page = f"/events/{slugs[1]}/programme/"
    page_ms = timed(lambda: get(page))
    editor_ms = timed(lambda: get(f"/events/{slugs[1]}/programme/manage"))
    ics_ms = timed(lambda: get(f"/events/{slugs[1]}/calendar.ics"))
    xml_ms = timed(lambda: get(f"/events/{slugs[1]}/schedule.xml"))
    json_ms = timed(lambda: get(f"/events/{slugs[1]}/schedule.json"))
    for slug in slugs:  # the first visit records the person's baseline version: not counted
        get(f"/events/{slug}/programme/")
    queries = [count_queries(engine, lambda s=s: get(f"/events/{s}/programme/")) for s in slugs]
    editor_queries = [
        count_queries(engine, lambda s=s: get(f"/events/{s}/programme/manage")) for s in slugs
    ]
    with app.app_context():
        db.drop_all()

    print(f"database: {url.split(':')[0]}; {built} sessions, rooms {args.rooms}, days "
          f"{args.days}, participants {args.participants}, sign-ups {args.signups}; "
          f"conflicts found: {len(warnings)}")  # fmt: skip
    print(f"editor page ms: {editor_ms:.1f}; editor queries at 30: {editor_queries[0]}; "
          f"at {args.sessions}: {editor_queries[1]}")  # fmt: skip
    print(f"conflict rules alone (no loading) ms: {pure_ms:.1f}; schedule.json ms: {json_ms:.1f}")
    print(
        f"page ms: {page_ms:.1f}; queries at 30: {queries[0]}; "
        f"queries at {args.sessions}: {queries[1]}; "
        f"conflicts ms: {conflicts_ms:.1f}; ics ms: {ics_ms:.1f}; xml ms: {xml_ms:.1f}"
    )


if __name__ == "__main__":
    main()
