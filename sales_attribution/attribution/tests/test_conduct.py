"""Conduct: strikes and dismissal proposals (A5, A8, A12, A13) and duty attendance."""
import datetime as dt

import pytest
from hypothesis import given, strategies as st

from attribution.codes import RULES
from attribution.conduct import (Violation, assess, classify, dismissal_due,
                                 dismissal_explanation, duty_status, duty_violation,
                                 strike_count, strikes_by_project)

NOW = dt.datetime(2024, 6, 30, 10, 0)
NAMES = {1: "张三", 2: "李四"}


def v(user, days_ago, category="complaint", **kw):
    fault = classify(category)[0]
    return Violation(user, NOW - dt.timedelta(days=days_ago, **kw), category, fault)


@pytest.mark.parametrize("category, expected", [
    ("abandon_customer", ("a", "A13")),
    ("poaching", ("a", "A8")),
    ("impolite", ("b", "A12")),
    ("complaint", ("b", "A12")),
    ("late", ("c", None)),
    ("absence", ("c", None)),
    ("other", ("c", None)),
])
def test_A12_classify_defaults(category, expected):
    assert classify(category) == expected
    assert expected[1] is None or expected[1] in RULES


def test_A05_other_from_collision_not_asked():
    assert classify("other", collision_not_asked=True) == ("c", "A5")


def test_A12_unknown_category_refused():
    with pytest.raises(ValueError):
        classify("rude")


def test_A12_three_complaints_propose_dismissal():
    violations = [v(1, 1), v(1, 10, "impolite"), v(1, 20), v(2, 1)]
    assert strike_count(violations, 1, NOW, 30) == 3
    decision = assess(violations, 1, NOW, 30, names=NAMES)
    assert decision.propose_dismissal and decision.rule_code == "A12"
    assert decision.strike_count == 3
    assert "张三" in decision.explanation_zh and "除名" in decision.explanation_zh
    assert "dismissal" in decision.explanation_en


def test_A12_two_strikes_no_dismissal():
    decision = assess([v(1, 1), v(1, 2)], 1, NOW, 30)
    assert not decision.propose_dismissal and decision.rule_code is None
    assert decision.strike_count == 2


@pytest.mark.parametrize("violation, counted", [
    (v(1, 0), True),                    # now itself counts
    (v(1, 30), False),                  # exactly period_days ago: outside (now-30, now]
    (v(1, 30, seconds=-1), True),       # one second inside
    (v(1, -1), False),                  # future
    (Violation(1, dt.date(2024, 6, 30), "late", "c"), True),
    (Violation(1, dt.date(2024, 5, 31), "late", "c"), False),  # date: today - 30
    (Violation(1, dt.date(2024, 6, 1), "late", "c"), True),
    (Violation(1, dt.date(2024, 7, 1), "late", "c"), False),
])
def test_A12_rolling_window(violation, counted):
    assert strike_count([violation], 1, NOW, 30) == (1 if counted else 0)


#: 07:30 on 1 July 2024 in Beijing, 23:30 on 30 June in UTC
EARLY = dt.datetime(2024, 6, 30, 23, 30)


@pytest.mark.parametrize("day, zone, counted", [
    (dt.date(2024, 7, 1), None, True),          # the Beijing day: today
    (dt.date(2024, 7, 1), "Asia/Shanghai", True),
    (dt.date(2024, 7, 1), "UTC", False),        # the UTC day is still 30 June
    (dt.date(2024, 6, 1), "Asia/Shanghai", False),  # Beijing today - 30
    (dt.date(2024, 6, 1), "UTC", True),
])
def test_A12_window_counts_office_days(day, zone, counted):
    violation = Violation(1, day, "complaint", "b")
    assert strike_count([violation], 1, EARLY, 30, tz_name=zone) == int(counted)
    assert assess([violation], 1, EARLY, 30, tz_name=zone).strike_count == int(counted)


def test_A12_every_category_counts_one_strike():
    violations = [v(1, 1, "late"), v(1, 2, "absence"), v(1, 3, "other")]
    assert strike_count(violations, 1, NOW, 30) == 3
    assert strike_count(violations, 1, NOW, 30, categories=("late",)) == 1
    assert strike_count(violations, 1, NOW, None) == 3
    assert assess(violations, 1, NOW, 30).rule_code == "A12"


@pytest.mark.parametrize("count, strikes, due", [
    (0, 3, False), (2, 3, False), (3, 3, True), (4, 3, True), (2, 2, True),
])
def test_A12_dismissal_due(count, strikes, due):
    assert dismissal_due(count, strikes) is due


def test_A13_abandoning_a_customer_is_class_a_and_third_strike_dismisses():
    assert classify("abandon_customer") == ("a", "A13")
    violations = [v(1, 1, "abandon_customer"), v(1, 5, "abandon_customer")]
    assert not assess(violations, 1, NOW, 30).propose_dismissal
    violations.append(v(1, 6, "late"))
    decision = assess(violations, 1, NOW, 30, names=NAMES)
    assert decision.propose_dismissal and decision.rule_code == "A13"
    assert decision.explanation_zh.startswith("A13 ")


def test_A08_poaching_proposes_dismissal_at_once():
    decision = assess([v(2, 3, "poaching")], 2, NOW, 30, names=NAMES)
    assert decision.propose_dismissal and decision.rule_code == "A8"
    assert decision.strike_count == 1
    assert "蓄意抢单" in decision.explanation_zh and "李四" in decision.explanation_zh
    zh, en = dismissal_explanation("李四", 1, "A8")
    assert zh == decision.explanation_zh and "poached" in en


# ------------------------------------------------------------ strikes per project

def p(user, days_ago, team, category="complaint"):
    """A violation of ``user`` in project ``team`` (``None``: without project)."""
    fault = classify(category)[0]
    return Violation(user, NOW - dt.timedelta(days=days_ago), category, fault, team)


def test_A12_strikes_count_in_the_violations_project_only():
    # 张三 works in projects 1 and 2: two complaints at 1, one at 2
    violations = [p(1, 1, 1), p(1, 2, 1, "impolite"), p(1, 3, 2)]
    assert strike_count(violations, 1, NOW, 30, team_id=1) == 2
    assert strike_count(violations, 1, NOW, 30, team_id=2) == 1
    assert strike_count(violations, 1, NOW, 30) == 0, "none without project"
    third = violations + [p(1, 4, 2, "impolite")]
    assert not assess(third, 1, NOW, 30, team_id=2).propose_dismissal, \
        "project 1's faults do not bring the consultant to 3 strikes at 2"
    decision = assess(third + [p(1, 5, 1)], 1, NOW, 30, team_id=1, names=NAMES)
    assert decision.propose_dismissal and decision.rule_code == "A12"
    assert decision.strike_count == 3


def test_A13_abandoned_customer_cited_only_where_it_happened():
    violations = [p(1, 1, 2, "abandon_customer"), p(1, 2, 1), p(1, 3, 1),
                  p(1, 4, 1, "late")]
    decision = assess(violations, 1, NOW, 30, team_id=1)
    assert decision.propose_dismissal and decision.rule_code == "A12", \
        "project 2's A13 fault is not among project 1's strikes"
    decision = assess(violations + [p(1, 5, 2), p(1, 6, 2)], 1, NOW, 30, team_id=2)
    assert decision.propose_dismissal and decision.rule_code == "A13"


def test_A08_poaching_proposes_dismissal_in_its_project():
    violations = [p(2, 1, 1, "poaching")]
    assert assess(violations, 2, NOW, 30, team_id=1).rule_code == "A8"
    assert not assess(violations, 2, NOW, 30, team_id=2).propose_dismissal


def test_A12_strikes_by_project_each_with_its_period():
    violations = [p(1, 1, 1), p(1, 20, 1), p(1, 20, 2), p(1, 1, None), p(2, 1, 3)]
    periods = {1: 30, 2: 15, None: 365}
    assert strikes_by_project(violations, 1, NOW, periods.get) == {
        1: 2, 2: 0, None: 1}
    assert strikes_by_project([], 1, NOW, periods.get) == {}


violations_strategy = st.lists(st.builds(
    Violation, user_id=st.integers(1, 3),
    date=st.dates(dt.date(2024, 5, 1), dt.date(2024, 7, 5)),
    category=st.sampled_from(("late", "complaint", "abandon_customer", "poaching")),
    fault_class=st.just("b"), team_id=st.one_of(st.none(), st.integers(1, 3))),
    max_size=20)


@given(violations_strategy, st.integers(1, 3),
       st.one_of(st.none(), st.integers(1, 3)))
def test_A12_A13_other_projects_faults_never_change_a_projects_decision(
        violations, user, team):
    """Whatever the consultant did elsewhere, a project's strikes and proposal are
    those of its own violations alone."""
    own = [x for x in violations if x.team_id == team]
    assert assess(violations, user, NOW, 30, team_id=team) == \
        assess(own, user, NOW, 30, team_id=team)
    by_project = strikes_by_project(violations, user, NOW, lambda t: 30)
    assert by_project.get(team, 0) == strike_count(own, user, NOW, 30, team_id=team)
    assert sum(by_project.values()) == sum(
        strike_count(violations, user, NOW, 30, team_id=t) for t in (None, 1, 2, 3))


@pytest.mark.parametrize("arrival, expected", [
    (None, "absence"),
    (dt.datetime(2024, 6, 30, 0, 50), "on_time"),   # 10 minutes early
    (dt.datetime(2024, 6, 30, 0, 55), "on_time"),   # exactly 5 minutes early
    (dt.datetime(2024, 6, 30, 0, 56), "late"),      # 4 minutes early is too late
    (dt.datetime(2024, 6, 30, 1, 0), "late"),
    (dt.datetime(2024, 6, 30, 3, 0), "late"),
])
def test_A12_duty_status_five_minutes_early(arrival, expected):
    shift = dt.datetime(2024, 6, 30, 1, 0)  # 09:00 in the office
    assert duty_status(shift, arrival) == expected


def test_A12_duty_violation_feeds_late_and_absence():
    shift = dt.datetime(2024, 6, 30, 1, 0)
    assert duty_violation(1, shift, dt.datetime(2024, 6, 30, 0, 50)) is None
    assert duty_violation(1, shift, None) == Violation(1, shift, "absence", "c")
    assert duty_violation(1, shift, shift) == Violation(1, shift, "late", "c")
    arrival = dt.datetime(2024, 6, 30, 0, 52)
    assert duty_status(shift, arrival, early_minutes_min=10) == "late"


@pytest.mark.parametrize("hours, allowed", [
    (-72, False), (-2.01, False), (-2, True), (-0.1, True), (0, True), (3, True),
    (12, True), (12.01, False), (72, False)])
def test_rotation_turn_check_in_only_around_the_shift(hours, allowed):
    """A consultant checks in for their own shift on its day, never days ahead."""
    from attribution.conduct import check_in_open
    start = dt.datetime(2024, 6, 30, 1, 0)
    assert check_in_open(start, start + dt.timedelta(hours=hours)) is allowed
