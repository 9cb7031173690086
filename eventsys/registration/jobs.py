"""Queue tasks of registration: releasing the places of guests who never confirmed."""

from __future__ import annotations

from huey import crontab

from eventsys.extensions import db, huey
from eventsys.registration.guests import release_all_overdue


@huey.periodic_task(crontab(minute="*"))
def release_unconfirmed_guest_holds() -> int:
    return release_all_overdue(db.session)
