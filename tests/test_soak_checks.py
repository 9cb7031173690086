"""The soak's checks can fail: given what the clients were told and rows that disagree, each
check counts the loss, the doubling or the excess (bench/soak_checks.py)."""

from __future__ import annotations

import email.message

from bench import soak_checks
from bench.soak_clients import Record
from bench.soak_seed import Seeded


class Rows:
    """Answers each query by the table it reads, like psycopg's connection.execute()."""

    def __init__(self, tables: dict[str, list[tuple]]) -> None:
        self.tables = tables

    def execute(self, sql: str, _params=None):
        table = next(name for name in self.tables if f"FROM {name}" in sql)
        rows = self.tables[table]
        return type("Cursor", (), {"fetchall": lambda _self: rows})()


def test_registrations_lost_doubled_over_capacity_and_waiting_list_order():
    record = Record(registered={1: (10, "confirmed"), 2: (11, "waitlisted"), 3: (12, "waitlisted"),
                                4: (99, "confirmed")},  # 99 is not in the database: lost
                    form_emails=["form@x.org"])  # fmt: skip
    rows = [
        (10, "a@x.org", "confirmed", "t"),
        (11, "b@x.org", "waitlisted", None),  # joined first, still waiting...
        (12, "c@x.org", "confirmed", "t"),  # ...while a later one was promoted
        (13, "form@x.org", "confirmed", "t"),
        (14, "form@x.org", "confirmed", "t"),  # the form's registration twice
    ]
    counts = soak_checks.Counts()
    soak_checks.registrations(Rows({"registrations": rows}), "s", 3, record, counts)
    assert (counts.lost, counts.doubled) == (1, 1)
    assert counts.over == 1 + 1  # four places held of three; one skipped in the waiting list


def test_sign_ups_over_places_and_lost():
    seeded = Seeded(workshops={5: 1})
    record = Record(signups=[(5, 1, "confirmed"), (5, 2, "confirmed"), (5, 3, "waitlisted")])
    rows = [(5, 1, "confirmed"), (5, 2, "confirmed")]
    counts = soak_checks.Counts()
    soak_checks.signups(Rows({"programme_signups": rows}), seeded, record, counts)
    assert (counts.lost, counts.doubled, counts.over) == (1, 0, 1)


def test_a_badge_neither_device_admitted_is_lost():
    record = Record(scans=[(8, "n3", "already_checked_in"), (8, "n4", "already_checked_in")])
    counts = soak_checks.Counts()
    soak_checks.checkins(Rows({"checkins": []}), Seeded(), record, counts)
    assert counts.lost == 2 + 1  # two answers saying "already" without a check-in; none admitted


def test_two_admissions_of_one_badge_are_doubled():
    record = Record(scans=[(7, "n1", "checked_in"), (7, "n2", "checked_in")])
    counts = soak_checks.Counts()
    soak_checks.checkins(Rows({"checkins": [(7, "n1")]}), Seeded(), record, counts)
    assert (counts.lost, counts.doubled) == (1, 1)


def test_ballots_after_the_close_and_a_wrong_tally():
    record = Record(receipts=[("r1", 1.0), ("r2", 5.0)], closed_at=2.0)
    tables = {"ballots": [("r1",), ("r2",)], "poll_votes": [(1,), (2,)]}
    result = {"ballots": 2, "options": [{"members": 1}]}  # one ballot missing from the tally
    counts = soak_checks.Counts()
    soak_checks.votes(Rows(tables), Seeded(), record, result, counts)
    assert (counts.lost, counts.doubled, counts.over) == (0, 0, 2)


def test_mail_never_sent_or_sent_with_another_message_id():
    class Smtp:
        received = []

    for message_id in ("<a@x>", "<other@x>"):
        message = email.message.EmailMessage()
        message["Message-ID"] = message_id
        Smtp.received.append(message)
    outbox = [(1, "sent", "<a@x>", "p@x.org"), (2, "failed", "<b@x>", "q@x.org")]
    assert soak_checks.mails(outbox, Smtp) == (1, 1)
