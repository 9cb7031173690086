"""What registration announces to the areas above it (programme, badges, ...).

Registration is a lower layer than the programme, so it cannot call it: it sends these blinker
signals and the higher areas connect their handlers in their init_app.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent with the Registration as sender and `session=` after it stopped holding a place for good
# (cancelled by the person, an organiser or the API, or given up when the account was erased).
# Handlers run inside the caller's transaction and must not commit.
registration_cancelled = _signals.signal("registration-cancelled")

# Sent with the Registration as sender and `session=` once it holds a confirmed place: accepted
# straight away, approved, or moved up from the waiting list. Handlers run inside the caller's
# transaction (the event's lock held) and must not commit.
registration_confirmed = _signals.signal("registration-confirmed")
