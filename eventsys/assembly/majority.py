"""Majority rules: one pure function from a poll's counts to its result and decision in words.

No database, no floats: every count is an exact `Fraction` (weights may be fractional in some
statutes), so a two-thirds threshold is never missed by a rounding error. Tests call `decide`
with plain values.

Conventions (they match the usual wording of statutes):
- simple majority: more yes than no (the base only matters for the quorum);
- absolute: more than half of the base;
- two-thirds / three-quarters: at least that share of the base;
- a result exactly on the threshold of a "more than" rule (yes = no, yes = half the base) is a
  tie, decided by the tie rule (rejected unless the statutes say a tie adopts);
- the quorum is a share of all voting rights that are present or took part (by weight).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from flask_babel import gettext as _
from flask_babel import ngettext

MAJORITIES = ("simple", "absolute", "two_thirds", "three_quarters")
BASES = ("cast", "valid", "present", "entitled")
TIE_RULES = ("rejected", "adopted")
THRESHOLDS = {
    "absolute": Fraction(1, 2),
    "two_thirds": Fraction(2, 3),
    "three_quarters": Fraction(3, 4),
}
ABSTAIN = "abstain"


@dataclass(frozen=True)
class Rule:
    majority: str = "simple"
    base: str = "cast"
    quorum: Fraction = Fraction(0)  # share of voting rights that must be present, 0..1
    tie: str = "rejected"
    double: bool = False  # also require the majority counted by members (one member, one vote)
    seats: int = 1  # elections: how many candidates can be elected


@dataclass(frozen=True)
class Count:
    """One unit of counting: by weight (voting rights) or by members (heads)."""

    options: dict[str, Fraction]  # "yes"/"no"/"abstain" or candidate names -> votes
    ballots: Fraction  # ballots cast (an election ballot may name several candidates)
    present: Fraction  # rights present or taking part
    entitled: Fraction  # all voting rights


@dataclass(frozen=True)
class Decision:
    passed: bool
    quorum_reached: bool
    text: str
    elected: list[str] = field(default_factory=list)
    tie: bool = False


def decide(
    weight: Count,
    rule: Rule,
    *,
    members: Count | None = None,
    election: bool = False,
    passed_word: str | None = None,
    failed_word: str | None = None,
) -> Decision:
    """The result of a poll and the decision in words.

    `weight` counts voting rights with their weights; `members` counts each member once (needed
    for a double majority). `passed_word`/`failed_word` name the outcome ("Admitted").
    """
    _check(rule, weight, members)
    passed_word = passed_word or _("Adopted")
    failed_word = failed_word or _("Rejected")
    quorum_reached, quorum_text = _quorum(weight, rule)
    if election:
        return _election(weight, rule, members, quorum_reached, quorum_text)
    counts_text = _yes_no_text(weight)
    requirement = _requirement_text(rule)
    if not quorum_reached:
        return Decision(
            False, False, f"{_('Not valid')}: {counts_text}; {requirement}; {quorum_text}"
        )
    passed, tie, reason = _motion_passes(weight, rule)
    if passed and rule.double and members is not None:
        by_members, member_tie, member_reason = _motion_passes(members, rule)
        tie = tie or member_tie
        if not by_members:
            passed = False
            reason = _("not reached by members: %(counts)s", counts=_yes_no_text(members))
        else:
            reason = reason or member_reason
    word = passed_word if passed else failed_word
    parts = [f"{word}: {counts_text}", requirement]
    if rule.double:
        parts.append(_("double majority of members and of voting rights"))
    if reason:
        parts.append(reason)
    parts.append(quorum_text)
    return Decision(passed, True, "; ".join(parts), tie=tie)


def _check(rule: Rule, weight: Count, members: Count | None) -> None:
    if rule.majority not in MAJORITIES:
        raise ValueError(f"unknown majority {rule.majority!r}")
    if rule.base not in BASES:
        raise ValueError(f"unknown base {rule.base!r}")
    if rule.tie not in TIE_RULES:
        raise ValueError(f"unknown tie rule {rule.tie!r}")
    if not 0 <= rule.quorum <= 1:
        raise ValueError("the quorum is a share between 0 and 1")
    if rule.double and members is None:
        raise ValueError("a double majority needs the counts by members")
    for count in (weight, members):
        if count is None:
            continue
        if any(v < 0 for v in count.options.values()) or count.entitled < 0:
            raise ValueError("counts cannot be negative")


def _quorum(weight: Count, rule: Rule) -> tuple[bool, str]:
    present = weight.present
    entitled = weight.entitled
    reached = entitled > 0 and present >= rule.quorum * entitled
    values = {"share": _percent(rule.quorum), "present": _num(present), "entitled": _num(entitled)}
    if rule.quorum == 0:
        return entitled > 0, _(
            "no quorum required; %(present)s of %(entitled)s voting rights present", **values
        )
    if reached:
        return True, _(
            "quorum of %(share)s reached with %(present)s of %(entitled)s voting rights present",
            **values,
        )
    return False, _(
        "quorum of %(share)s not reached with %(present)s of %(entitled)s voting rights present",
        **values,
    )


def _base(count: Count, base: str) -> Fraction:
    yes, no, abstain = _yna(count)
    return {
        "cast": yes + no,
        "valid": yes + no + abstain,
        "present": count.present,
        "entitled": count.entitled,
    }[base]


def _yna(count: Count) -> tuple[Fraction, Fraction, Fraction]:
    options = count.options
    return (
        Fraction(options.get("yes", 0)),
        Fraction(options.get("no", 0)),
        Fraction(options.get(ABSTAIN, 0)),
    )


def _motion_passes(count: Count, rule: Rule) -> tuple[bool, bool, str]:
    """(passed, tie, reason) for a yes/no/abstain count."""
    yes, no, _abstain = _yna(count)
    if rule.majority == "simple":
        if yes + no == 0:
            return False, False, _("no yes or no votes")
        if yes == no:
            return rule.tie == "adopted", True, _tie_text(rule)
        return yes > no, False, ""
    base = _base(count, rule.base)
    if base == 0:
        return False, False, _("nothing to count: the base is zero")
    share = THRESHOLDS[rule.majority]
    if rule.majority == "absolute":
        if yes == share * base:
            return rule.tie == "adopted", True, _tie_text(rule)
        return yes > share * base, False, ""
    return yes >= share * base, False, ""


def _tie_text(rule: Rule) -> str:
    if rule.tie == "adopted":
        return _("a tie, which the statutes count as adopted")
    return _("a tie, which the statutes count as rejected")


def _requirement_text(rule: Rule, *, election: bool = False) -> str:
    majority = {
        "simple": _("simple majority"),
        "absolute": _("absolute majority"),
        "two_thirds": _("two-thirds"),
        "three_quarters": _("three-quarters"),
    }[rule.majority]
    if rule.majority == "simple":
        return _("%(majority)s of votes cast required", majority=majority)
    base = {
        "cast": _("of ballots cast") if election else _("of votes cast"),
        "valid": _("of valid votes including abstentions"),
        "present": _("of voting rights present"),
        "entitled": _("of all voting rights"),
    }[rule.base]
    return _("%(majority)s %(base)s required", majority=majority, base=base)


def _yes_no_text(count: Count) -> str:
    yes, no, abstain = _yna(count)
    if abstain == 1:
        return _("%(yes)s yes, %(no)s no, 1 abstention", yes=_num(yes), no=_num(no))
    return _(
        "%(yes)s yes, %(no)s no, %(abstain)s abstentions",
        yes=_num(yes),
        no=_num(no),
        abstain=_num(abstain),
    )


def _election(
    weight: Count,
    rule: Rule,
    members: Count | None,
    quorum_reached: bool,
    quorum_text: str,
) -> Decision:
    """Each candidate needs the majority of the base on their own; the best `seats` are elected.
    A tie for the last seat elects nobody to it (the statutes then call a run-off)."""
    candidates = {k: Fraction(v) for k, v in weight.options.items() if k != ABSTAIN}
    ranking = sorted(candidates.items(), key=lambda item: (-item[1], item[0]))
    counts_text = ", ".join(f"{name} {_num(votes)}" for name, votes in ranking) or _("no votes")
    abstain = Fraction(weight.options.get(ABSTAIN, 0))
    if abstain:
        counts_text += "; " + ngettext(
            "%(num)s abstention",
            "%(num)s abstentions",
            # gettext's plural rules take whole numbers; a fractional weight reads as plural.
            int(abstain) if abstain.denominator == 1 else 2,
            num=_num(abstain),
        )
    requirement = _election_requirement(rule)
    if not quorum_reached:
        return Decision(
            False, False, f"{_('Not valid')}: {counts_text}; {requirement}; {quorum_text}"
        )
    qualified = [(name, votes) for name, votes in ranking if _candidate_passes(votes, weight, rule)]
    if rule.double and members is not None:
        qualified = [
            (name, votes)
            for name, votes in qualified
            if _candidate_passes(Fraction(members.options.get(name, 0)), members, rule)
        ]
    elected = [name for name, _votes in qualified[: rule.seats]]
    tie = False
    if len(qualified) > rule.seats:
        last = qualified[rule.seats - 1][1]
        if qualified[rule.seats][1] == last:
            tie = True
            elected = [name for name, votes in qualified[: rule.seats] if votes > last]
    head = _("Elected: %(names)s", names=", ".join(elected)) if elected else _("Nobody elected")
    parts = [f"{head} ({counts_text})", requirement]
    if tie:
        parts.append(_("a tie for the last seat: a run-off is needed"))
    parts.append(quorum_text)
    return Decision(bool(elected), True, "; ".join(parts), elected=elected, tie=tie)


def _candidate_passes(votes: Fraction, count: Count, rule: Rule) -> bool:
    if votes <= 0:
        return False
    if rule.majority == "simple":
        return True  # the most votes wins
    base = {
        "cast": count.ballots - Fraction(count.options.get(ABSTAIN, 0)),
        "valid": count.ballots,
        "present": count.present,
        "entitled": count.entitled,
    }[rule.base]
    if base <= 0:
        return False
    share = THRESHOLDS[rule.majority]
    return votes > share * base if rule.majority == "absolute" else votes >= share * base


def _election_requirement(rule: Rule) -> str:
    if rule.majority == "simple":
        return ngettext(
            "most votes elected, %(num)s seat", "most votes elected, %(num)s seats", rule.seats
        )
    return _requirement_text(rule, election=True)


def _num(value: Fraction) -> str:
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):.2f}".rstrip("0").rstrip(".")


def _percent(share: Fraction) -> str:
    percent = Fraction(share) * 100
    if percent.denominator == 1:
        return f"{percent.numerator}%"
    return f"{float(percent):.1f}%"
