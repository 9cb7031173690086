"""After the soak: what the clients were told against what the database and the SMTP server hold.

Each check adds to one of the last line's counts: lost (acknowledged but absent), doubled
(present more than once: a registration, sign-up, admission or ballot), over capacity (places or
session places exceeded, the waiting list promoted out of order, a vote accepted after the close,
a tally that differs from the ballots)."""

from __future__ import annotations

import collections
from dataclasses import dataclass

from bench.soak_clients import Record
from bench.soak_seed import Seeded


@dataclass
class Counts:
    lost: int = 0
    doubled: int = 0
    over: int = 0

    def add(self, name: str, lost: int = 0, doubled: int = 0, over: int = 0, note: str = ""):
        self.lost, self.doubled, self.over = (
            self.lost + lost,
            self.doubled + doubled,
            self.over + over,
        )
        print(f"check {name}: lost {lost}, doubled {doubled}, over/out of order {over}{note}")


def _connect(database_url: str):
    import psycopg

    return psycopg.connect(database_url)


def registrations(connection, slug: str, capacity: int, record: Record, counts: Counts) -> None:
    rows = connection.execute(
        "SELECT r.id, r.email, r.status, r.confirmed_at FROM registrations r"
        " JOIN events e ON e.id = r.event_id WHERE e.slug = %s",
        (slug,),
    ).fetchall()
    by_id = {row[0]: row for row in rows}
    lost = sum(1 for rid, _s in record.registered.values() if rid not in by_id)
    lost += sum(1 for rid in record.cancelled if by_id.get(rid, (0, 0, ""))[2] != "cancelled")
    live = collections.Counter(row[1] for row in rows if row[2] != "cancelled")
    lost += sum(1 for email in record.form_emails if live[email] == 0)
    doubled = sum(count - 1 for count in live.values() if count > 1)
    holding = sum(1 for row in rows if row[2] in ("confirmed", "pending"))
    counts.add(
        "registrations (API and form)", lost, doubled, max(0, holding - capacity),
        f"; {holding} of {capacity} places held, {len(record.form_emails)} by form",
    )  # fmt: skip
    # The waiting list in acceptance order: nobody still waiting joined before someone promoted.
    waited = {rid for rid, status in record.registered.values() if status == "waitlisted"}
    promoted = [
        rid for rid in waited
        if by_id.get(rid) and (by_id[rid][2] == "confirmed" or by_id[rid][3] is not None)
    ]  # fmt: skip
    waiting = [row[0] for row in rows if row[2] == "waitlisted"]
    last = max(promoted, default=0)
    skipped = sum(1 for rid in waiting if rid < last)
    counts.add(
        "waiting list order", over=skipped,
        note=f"; {len(promoted)} promoted, {len(waiting)} still waiting",
    )  # fmt: skip


def signups(connection, seeded: Seeded, record: Record, counts: Counts) -> None:
    rows = connection.execute(
        "SELECT session_id, registration_id, status FROM programme_signups"
        " WHERE session_id = ANY(%s)",
        (list(seeded.workshops),),
    ).fetchall()
    present = collections.Counter((row[0], row[1]) for row in rows)
    lost = sum(1 for s, r, _st in record.signups if present[(s, r)] == 0)
    doubled = sum(n - 1 for n in present.values() if n > 1)
    taken = collections.Counter(row[0] for row in rows if row[2] == "confirmed")
    over = sum(max(0, taken[s] - places) for s, places in seeded.workshops.items())
    full = sum(1 for s, places in seeded.workshops.items() if taken[s] >= places)
    counts.add(
        "workshop sign-ups", lost, doubled, over,
        f"; {len(record.signups)} acknowledged, {full} of {len(seeded.workshops)} sessions full,"
        f" {sum(1 for row in rows if row[2] != 'confirmed')} waiting",
    )  # fmt: skip


def checkins(connection, seeded: Seeded, record: Record, counts: Counts) -> None:
    rows = connection.execute(
        "SELECT c.registration_id, c.nonce FROM checkins c JOIN events e ON e.id = c.event_id"
        " WHERE e.slug = %s AND c.reverted_at IS NULL",
        (seeded.day_slug,),
    ).fetchall()
    nonces = {row[1] for row in rows}
    per_badge = collections.Counter(row[0] for row in rows)
    admitted = [(r, n) for r, n, outcome in record.scans if outcome == "checked_in"]
    lost = sum(1 for _r, n in admitted if n not in nonces)
    # "Already checked in" is acknowledged too: the badge's check-in must then exist.
    lost += sum(1 for r, _n, o in record.scans if o == "already_checked_in" and not per_badge[r])
    told = collections.Counter(r for r, _n in admitted)
    # Both devices answered: exactly one of them admitted.
    answered = collections.Counter(r for r, _n, _o in record.scans)
    lost += sum(1 for r, n in answered.items() if n == 2 and told[r] == 0)
    doubled = sum(n - 1 for n in per_badge.values() if n > 1)
    doubled += sum(n - 1 for n in told.values() if n > 1)
    counts.add(
        "check-in scans (two devices at once)", lost, doubled,
        note=f"; {len(record.scans)} scans answered, {len(per_badge)} badges checked in",
    )  # fmt: skip


def votes(connection, seeded: Seeded, record: Record, result: dict | None, counts: Counts) -> None:
    rows = connection.execute(
        "SELECT receipt FROM ballots WHERE poll_id = %s", (seeded.poll,)
    ).fetchall()
    receipts = {row[0] for row in rows}
    lost = sum(1 for receipt, _t in record.receipts if receipt not in receipts)
    # A secret ballot does not name its right; who voted is in poll_votes, once per right.
    voted = connection.execute(
        "SELECT right_id FROM poll_votes WHERE poll_id = %s", (seeded.poll,)
    ).fetchall()
    per_right = collections.Counter(row[0] for row in voted)
    doubled = sum(n - 1 for n in per_right.values() if n > 1)
    doubled += max(0, len(rows) - len(voted))  # more ballots than rights that voted
    doubled += len(record.receipts) - len({r for r, _t in record.receipts})
    closed = record.closed_at
    late = sum(1 for _r, started in record.receipts if closed is not None and started > closed)
    wrong_tally = 0
    if result is None:
        wrong_tally = 1  # the chair could not close the poll
    else:
        members = sum(option["members"] for option in result["options"])
        wrong_tally = int(result["ballots"] != len(rows) or members != len(rows))
    counts.add(
        "ballots", lost, doubled, late + wrong_tally,
        f"; {len(record.receipts)} acknowledged, {len(rows)} counted, "
        f"{late} accepted after the close, tally {'wrong' if wrong_tally else 'equal'}",
    )  # fmt: skip


def mails(outbox, smtp) -> tuple[int, int]:
    received = collections.Counter(str(m["Message-ID"]) for m in smtp.received)
    known = {row[2] for row in outbox}
    lost = sum(1 for row in outbox if row[1] != "sent" or received[row[2]] == 0)
    # The same Message-ID twice is a redelivery the reader's client folds; a message the outbox
    # never issued is a doubling with a different Message-ID.
    doubled = sum(1 for mid in received if mid not in known)
    print(
        f"check mails: {len(outbox)} in the outbox, {sum(received.values())} received, "
        f"lost {lost}, doubled {doubled}"
    )
    return lost, doubled


def check_all(database_url, slug, capacity, seeded, record, poll_result) -> Counts:
    counts = Counts()
    with _connect(database_url) as connection:
        registrations(connection, slug, capacity, record, counts)
        signups(connection, seeded, record, counts)
        checkins(connection, seeded, record, counts)
        votes(connection, seeded, record, poll_result, counts)
    return counts
