"""What events announces to, and asks of, the areas above it (registration first).

Events is a lower layer than registration, so it cannot call it: it sends these blinker
signals, and the higher areas connect their receivers in their init_app. Every signal is sent
with `session=`; receivers run inside the caller's transaction and must not commit.
"""

from __future__ import annotations

from typing import Any

from blinker import NamedSignal, Namespace
from sqlalchemy.orm import Session

_signals = Namespace()

# Sent with the Event as sender after a change gave it more places (its own capacity or a
# category's grew): registration fills them from its waiting list.
capacity_grew = _signals.signal("capacity-grew")

# Asked with the Category as sender before it is deleted: each receiver answers how many of its
# records use the category (registration: its registrations).
category_uses = _signals.signal("category-uses")

# Asked with the Question as sender: each receiver answers how many people answered it.
question_answers = _signals.signal("question-answers")


def total(signal: NamedSignal, sender: Any, session: Session) -> int:
    """The sum of the receivers' answers; 0 when no area answers."""
    return sum(int(answer) for _receiver, answer in signal.send(sender, session=session))
