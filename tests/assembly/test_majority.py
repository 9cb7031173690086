"""The majority rules, called directly with plain numbers."""

from __future__ import annotations

from fractions import Fraction

import pytest

from eventsys.assembly.majority import Count, Rule, decide


def count(yes=0, no=0, abstain=0, *, present=None, entitled=100, ballots=None) -> Count:
    cast = yes + no + abstain
    return Count(
        options={"yes": Fraction(yes), "no": Fraction(no), "abstain": Fraction(abstain)},
        ballots=Fraction(cast if ballots is None else ballots),
        present=Fraction(cast if present is None else present),
        entitled=Fraction(entitled),
    )


def test_the_issue_example_word_for_word():
    decision = decide(
        count(212, 9, 4, present=225, entitled=310),
        Rule("two_thirds", "cast", Fraction(1, 2)),
        passed_word="Admitted",
        failed_word="Not admitted",
    )
    assert decision.passed
    assert decision.text == (
        "Admitted: 212 yes, 9 no, 4 abstentions; two-thirds of votes cast required; "
        "quorum of 50% reached with 225 of 310 voting rights present"
    )


def test_two_thirds_exactly_on_the_threshold_passes_one_short_fails():
    rule = Rule("two_thirds", "cast")
    assert decide(count(20, 10), rule).passed  # 20/30 is exactly two-thirds
    assert not decide(count(19, 10), rule).passed  # 19/29 < 2/3


def test_exact_tie_where_floats_would_see_a_majority():
    # With floats 0.1 + 0.2 > 0.3 and the motion would pass; exactly, it is a tie.
    votes = Count(
        options={"yes": Fraction(1, 10) + Fraction(2, 10), "no": Fraction(3, 10)},
        ballots=Fraction(3),
        present=Fraction(6, 10),
        entitled=Fraction(1),
    )
    decision = decide(votes, Rule("simple", tie="rejected"))
    assert decision.tie and not decision.passed


def test_three_quarters_of_those_present_counts_absent_voters_as_no():
    rule = Rule("three_quarters", "present")
    assert not decide(count(75, 0, present=101), rule).passed
    assert decide(count(75, 0, present=100), rule).passed


def test_abstentions_matter_only_with_the_valid_base():
    votes = count(51, 40, 20)
    assert decide(votes, Rule("absolute", "cast")).passed  # 51 > 45.5
    assert not decide(votes, Rule("absolute", "valid")).passed  # 51 > 55.5 fails


def test_absolute_majority_of_all_entitled():
    assert not decide(count(50, 0, entitled=100), Rule("absolute", "entitled")).passed
    assert decide(count(51, 0, entitled=100), Rule("absolute", "entitled")).passed


@pytest.mark.parametrize(("tie", "expected"), [("rejected", False), ("adopted", True)])
def test_a_tie_follows_the_statutes(tie, expected):
    decision = decide(count(10, 10), Rule("simple", tie=tie))
    assert decision.passed is expected
    assert decision.tie
    assert "tie" in decision.text


def test_absolute_majority_at_exactly_half_is_a_tie():
    decision = decide(count(10, 10, entitled=20), Rule("absolute", "entitled", tie="rejected"))
    assert decision.tie and not decision.passed


def test_quorum_not_reached_makes_the_result_invalid():
    decision = decide(count(40, 0, present=40, entitled=100), Rule("simple", quorum=Fraction(1, 2)))
    assert not decision.passed
    assert not decision.quorum_reached
    assert decision.text.startswith("Not valid: 40 yes")
    assert "quorum of 50% not reached with 40 of 100 voting rights present" in decision.text


def test_quorum_exactly_reached():
    decision = decide(count(50, 0, present=50, entitled=100), Rule("simple", quorum=Fraction(1, 2)))
    assert decision.quorum_reached and decision.passed


def test_nobody_voted():
    decision = decide(count(0, 0, present=0, entitled=10), Rule("simple"))
    assert not decision.passed
    assert "no yes or no votes" in decision.text


def test_only_abstentions_with_a_qualified_majority_of_votes_cast():
    decision = decide(count(0, 0, 5), Rule("two_thirds", "cast"))
    assert not decision.passed
    assert "base is zero" in decision.text


def test_nobody_entitled_is_never_valid():
    assert not decide(count(0, 0, present=0, entitled=0), Rule("simple")).quorum_reached


def test_double_majority_needs_members_and_weight():
    # Two big members vote yes (weight 10 each), five small ones no (weight 1 each).
    weight = count(20, 5, present=25, entitled=25)
    members = count(2, 5, present=7, entitled=7)
    single = decide(weight, Rule("absolute", "cast"))
    double = decide(weight, Rule("absolute", "cast", double=True), members=members)
    assert single.passed
    assert not double.passed
    assert "not reached by members: 2 yes, 5 no" in double.text


def test_double_majority_passes_when_both_agree():
    decision = decide(
        count(20, 5), Rule("simple", double=True), members=count(5, 2, present=7, entitled=7)
    )
    assert decision.passed
    assert "double majority" in decision.text


def test_fractional_weights_are_exact():
    votes = Count(
        options={"yes": Fraction(2, 3), "no": Fraction(1, 3)},
        ballots=Fraction(2),
        present=Fraction(1),
        entitled=Fraction(1),
    )
    assert decide(votes, Rule("two_thirds", "cast")).passed


def test_election_elects_the_best_candidates_with_the_required_majority():
    votes = Count(
        options={"Ana": Fraction(60), "Boris": Fraction(45), "Chidi": Fraction(20)},
        ballots=Fraction(100),
        present=Fraction(100),
        entitled=Fraction(120),
    )
    decision = decide(votes, Rule("absolute", "valid", seats=2), election=True)
    assert decision.elected == ["Ana"]  # Boris has 45 of 100 ballots: not more than half
    assert decision.text.startswith("Elected: Ana (Ana 60, Boris 45, Chidi 20)")


def test_election_tie_for_the_last_seat_needs_a_run_off():
    votes = Count(
        options={"Ana": Fraction(50), "Boris": Fraction(30), "Chidi": Fraction(30)},
        ballots=Fraction(100),
        present=Fraction(100),
        entitled=Fraction(100),
    )
    decision = decide(votes, Rule("simple", seats=2), election=True)
    assert decision.elected == ["Ana"]
    assert decision.tie
    assert "run-off" in decision.text


def test_bad_rules_are_refused():
    with pytest.raises(ValueError):
        decide(count(1), Rule("four_fifths"))
    with pytest.raises(ValueError):
        decide(count(1), Rule(quorum=Fraction(3, 2)))
    with pytest.raises(ValueError):
        decide(count(1), Rule(double=True))
