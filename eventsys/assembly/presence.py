"""Who is present, and how: in the hall, online (remote), or through a proxy. Pure functions.

The statutes say whether delegates who follow the Assembly online count for the quorum. They
vote either way (the rights check is the same); the setting only decides what the quorum
counts. A proxy carried by a remote delegate is remote too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from flask_babel import gettext as _
from flask_babel import ngettext

HALL = "hall"
REMOTE = "remote"
MODES = (HALL, REMOTE)


@dataclass(frozen=True)
class Presence:
    """Weights of the rights present, by how they are present."""

    hall: int = 0  # own delegate in the hall
    remote: int = 0  # own delegate online
    proxy_hall: int = 0  # carried by another member's delegate in the hall
    proxy_remote: int = 0  # carried by another member's delegate online
    remote_counts: bool = False

    @property
    def proxy(self) -> int:
        return self.proxy_hall + self.proxy_remote

    @property
    def total(self) -> int:
        return self.hall + self.remote + self.proxy

    @property
    def for_quorum(self) -> int:
        counted = self.hall + self.proxy_hall
        if self.remote_counts:
            counted += self.remote + self.proxy_remote
        return counted

    def as_dict(self) -> dict[str, int | bool]:
        return {
            "hall": self.hall,
            "remote": self.remote,
            "proxy": self.proxy,
            "proxy_remote": self.proxy_remote,
            "for_quorum": self.for_quorum,
            "remote_counts": self.remote_counts,
        }


def summarise(rows: Iterable[tuple[int, str, bool]], *, remote_counts: bool) -> Presence:
    """`rows`: (weight, mode of the carrier, carried by proxy) of each right present."""
    totals = {"hall": 0, "remote": 0, "proxy_hall": 0, "proxy_remote": 0}
    for weight, mode, by_proxy in rows:
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}")
        totals[f"proxy_{mode}" if by_proxy else mode] += weight
    return Presence(**totals, remote_counts=remote_counts)


class Group(NamedTuple):
    """Voting rights alike for the count, as the database sums them: how they are present (None:
    absent), carried by proxy, voted in the poll, carrier last marked online (present or gone)."""

    mode: str | None
    by_proxy: bool
    voted: bool
    remote_marked: bool
    rights: int
    weight: int


def summarise_groups(groups: Iterable[Group], *, remote_counts: bool) -> Presence:
    return summarise(
        ((g.weight, g.mode, g.by_proxy) for g in groups if g.mode is not None),
        remote_counts=remote_counts,
    )


def present_for_poll(groups: Iterable[Group], *, remote_counts: bool) -> tuple[int, int]:
    """(rights, weight) present for a poll's quorum and base: present now (online only if the
    statutes count remote presence), or took part in the poll, since voting is being present
    even for a delegate who left the hall just after. When remote presence does not count, a
    right whose carrier last joined online does not count by voting either."""
    rights = weight = 0
    for group in groups:
        here = group.mode is not None and (group.mode != REMOTE or remote_counts)
        took_part = group.voted and (remote_counts or not group.remote_marked)
        if here or took_part:
            rights += group.rights
            weight += group.weight
    return rights, weight


def presence_text(presence: Presence | dict) -> str:
    """“12 in the hall, 3 remote, 2 by proxy; remote presence counts for the quorum”."""
    values = presence.as_dict() if isinstance(presence, Presence) else presence
    parts = [
        ngettext("%(num)s in the hall", "%(num)s in the hall", int(values["hall"])),
        ngettext("%(num)s remote", "%(num)s remote", int(values["remote"])),
        ngettext("%(num)s by proxy", "%(num)s by proxy", int(values["proxy"])),
    ]
    rule = (
        _("remote presence counts for the quorum")
        if values["remote_counts"]
        else _("remote presence does not count for the quorum")
    )
    return _("Present: %(parts)s; %(rule)s", parts=", ".join(parts), rule=rule)
