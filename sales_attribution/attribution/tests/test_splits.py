"""Split lines of won deals (SPEC section 3): A1, A6, A7, B2, B5 and the amounts of
every rule; the conditions of A9, B1, A15 and B3a are in ``test_splits_conditions``."""
import datetime
from decimal import Decimal as D

import pytest

from attribution.codes import RULES
from attribution.splits import (DealFacts, Person, Relation, Settings, Share,
                                ShareError, Visit, allocate_amounts, compute_shares,
                                equal_shares, fmt_pct, validate_shares)

NAMES = {1: "张三", 2: "李四", 3: "王五", 4: "赵六"}
NOW = datetime.datetime(2026, 3, 20, 6, 0)


def lines(decision):
    """``{(user_id, role): (performance, bonus)}`` as strings, for readable asserts."""
    return {(s.user_id, s.role): (fmt_pct(s.performance_share), fmt_pct(s.bonus_share))
            for s in decision.shares}


def split(**facts):
    facts.setdefault("names", NAMES)
    return compute_shares(DealFacts(**facts), Settings())


# ----------------------------------------------------------------- A1 default

def test_A01_default_owner_takes_all():
    d = split(owner_id=1)
    assert d.rule_code == "A1"
    assert lines(d) == {(1, "owner"): ("100", "100")}
    assert d.makeup_credit_user_id is None


def test_A01_closer_same_as_owner_collapses_to_one_line():
    d = split(owner_id=1, closer_id=1)
    assert len(d.shares) == 1 and lines(d) == {(1, "owner"): ("100", "100")}


def test_A01_closer_without_rule_gets_nothing():
    d = split(owner_id=1, closer_id=2)
    assert lines(d) == {(1, "owner"): ("100", "100")}


def test_A01_explanation_names_rule_person_and_shares():
    d = split(owner_id=1)
    assert d.explanation_zh.startswith("A1 ") and "张三" in d.explanation_zh
    assert "业绩100%" in d.explanation_zh and "奖金100%" in d.explanation_zh
    assert d.explanation_en.startswith("A1 ") and "performance 100%" in d.explanation_en


# ----------------------------------------------------------------- A6 ruling shares

def test_A06_settled_ruling_uses_manager_shares():
    ruling = (Share(1, "owner", 60, 70, ""), Share(2, "co_owner", 40, 30, ""))
    for state in ("agreed", "ruled", "accepted"):
        d = split(owner_id=1, conflict_state=state, conflict_shares=ruling)
        assert d.rule_code == "A6"
        assert lines(d) == {(1, "owner"): ("60", "70"), (2, "co_owner"): ("40", "30")}
        assert {s.rule_code for s in d.shares} == {"A6"}


def test_A06_ruling_line_keeps_a_catalogue_code():
    ruling = (Share(1, "co_owner", 50, 50, "A9"), Share(2, "co_owner", 50, 50, "xx"))
    d = split(owner_id=1, conflict_state="ruled", conflict_shares=ruling)
    assert [s.rule_code for s in d.shares] == ["A9", "A6"]


def test_A06_ruling_not_summing_to_100_is_refused():
    ruling = (Share(1, "owner", 60, 50, "A6"), Share(2, "owner", 30, 50, "A6"))
    with pytest.raises(ShareError) as err:
        split(owner_id=1, conflict_state="ruled", conflict_shares=ruling)
    assert "业绩" in err.value.message_zh and "performance" in err.value.message_en


def test_A06_negotiation_applies_normal_rules_provisionally():
    ruling = (Share(2, "owner", 100, 100, "A6"),)
    d = split(owner_id=1, conflict_state="negotiation", conflict_shares=ruling)
    assert d.rule_code == "A1" and lines(d) == {(1, "owner"): ("100", "100")}
    assert "协商" in d.explanation_zh and "negotiated" in d.explanation_en


@pytest.mark.parametrize("shares, fragment", [
    ((), "no split lines"),
    ((Share(1, "owner", 100, 100, "A1"), Share(1, "owner", 0, 0, "A1")), "twice"),
    ((Share(1, "owner", 110, 100, "A1"), Share(2, "closer", -10, 0, "A1")), "between"),
    ((Share(1, "owner", 100, 99.99, "A1"),), "bonus shares must sum"),
    ((Share(1, "boss", 100, 100, "A1"),), "unknown role"),
    ((Share(1, "owner", "33.333", 100, "A1"), Share(2, "owner", "66.667", 0, "A1")),
     "two decimals"),
])
def test_A06_validate_shares_refuses(shares, fragment):
    with pytest.raises(ShareError) as err:
        validate_shares(shares)
    assert fragment in err.value.message_en and err.value.message_zh
    assert isinstance(err.value, ValueError)


def test_A06_validate_shares_accepts_same_user_in_two_roles():
    assert validate_shares((Share(1, "original", 100, 50, "B1"),
                            Share(1, "closer", 0, 50, "B1")))


# ----------------------------------------------------------------- A7 forfeiture

@pytest.mark.parametrize("facts", [
    dict(conflict_state="forfeited"),
    dict(conflict_state="escalated"),
    dict(forfeited=True),
    dict(conflict_state="ruled", forfeited=True,
         conflict_shares=(Share(2, "owner", 100, 100, "A6"),)),
    dict(forfeited=True, buyer_is_company=True, unit_count=9,
         company_contacts=(Person(5, 2, (Visit(NOW, 3),)),)),
])
def test_A07_forfeited_goes_to_company(facts):
    d = split(owner_id=1, **facts)
    assert d.rule_code == "A7"
    assert lines(d) == {(None, "company"): ("100", "100")}
    assert "公司" in d.explanation_zh and "company" in d.explanation_en


def test_A07_company_amounts():
    d = split(owner_id=1, forfeited=True)
    [(share, perf, bonus)] = allocate_amounts(d.shares, D("2000000"), D("1.5"))
    assert share.user_id is None and perf == D("2000000.00") and bonus == D("30000.00")


# ----------------------------------------------------------------- A9 group amounts

def group_facts(owner, *others, units=5):
    """A company buyer whose contacts each visited with one of ``others``."""
    contacts = tuple(Person(100 + u, u, (Visit(NOW, u),)) for u in others)
    return dict(owner_id=owner, buyer_is_company=True, unit_count=units,
                company_contacts=contacts)


@pytest.mark.parametrize("co_owners, expected", [
    ((2,), {1: "50", 2: "50"}),
    ((3, 2), {1: "33.34", 2: "33.33", 3: "33.33"}),
    ((2, 2, 1), {1: "50", 2: "50"}),
    ((4, 3, 2), {1: "25", 2: "25", 3: "25", 4: "25"}),
])
def test_A09_group_buyer_shared_equally_by_co_owners(co_owners, expected):
    d = split(**group_facts(1, *co_owners))
    assert d.rule_code == "A9"
    assert lines(d) == {(u, "co_owner"): (p, p) for u, p in expected.items()}
    assert sum(s.performance_share for s in d.shares) == 100
    assert sum(s.bonus_share for s in d.shares) == 100


def test_A09_leftover_cents_go_first_in_user_id_order():
    assert [str(x) for x in equal_shares(7)] == [
        "14.29", "14.29", "14.29", "14.29", "14.28", "14.28", "14.28"]
    d = split(**group_facts(9, 3, 5, units=6))
    assert [(s.user_id, str(s.performance_share)) for s in d.shares] == [
        (3, "33.34"), (5, "33.33"), (9, "33.33")]


def test_A09_group_with_one_consultant_is_single_owner():
    d = split(**group_facts(1, units=8))
    assert d.rule_code == "A9" and lines(d) == {(1, "owner"): ("100", "100")}


def test_A09_amounts_1000000_01_over_three_co_owners():
    d = split(**group_facts(1, 2, 3))
    assert [str(s.performance_share) for s in d.shares] == ["33.34", "33.33", "33.33"]
    rows = allocate_amounts(d.shares, D("1000000.01"), D("3"))
    assert [(s.user_id, p, b) for s, p, b in rows] == [
        (1, D("333400.01"), D("10002.00")),  # largest remainder .003334 > .003333
        (2, D("333300.00"), D("9999.00")),
        (3, D("333300.00"), D("9999.00")),
    ]
    assert sum(p for _, p, _ in rows) == D("1000000.01")
    assert sum(b for _, _, b in rows) == D("30000.00")


def test_A09_amounts_with_equal_thirds_reconcile():
    shares = (Share(1, "co_owner", "33.34", "33.34", "A9"),
              Share(2, "co_owner", "33.33", "33.33", "A9"),
              Share(3, "co_owner", "33.33", "33.33", "A9"))
    rows = allocate_amounts(shares, D("0.01"), D("50"))
    assert sum(p for _, p, _ in rows) == D("0.01")
    assert sum(b for _, _, b in rows) == D("0.01")  # 0.005 rounds half up
    assert [p for _, p, _ in rows] == [D("0.01"), D("0"), D("0")]


def test_A01_zero_revenue_amounts_are_zero():
    d = split(owner_id=1)
    rows = allocate_amounts(d.shares, D("0"), D("2"))
    assert rows == ((d.shares[0], D("0.00"), D("0.00")),)


def test_A15_amounts():
    contact = Person(20, 1)
    d = split(owner_id=2, customer=Person(10, 2), relations=(
        Relation(10, contact, "friend", evidence="通话记录"),))
    assert d.rule_code == "A15"
    rows = allocate_amounts(d.shares, D("1500000"), D("1"))
    assert [(s.user_id, p, b) for s, p, b in rows] == [
        (1, D("1500000.00"), D("7500.00")), (2, D("0.00"), D("7500.00"))]


# ----------------------------------------------------------------- B2 two deals

def test_B02_two_deals_each_its_own_owner():
    first = split(owner_id=1, closer_id=1)
    second = split(owner_id=2, closer_id=2)
    assert lines(first) == {(1, "owner"): ("100", "100")}
    assert lines(second) == {(2, "owner"): ("100", "100")}


# ----------------------------------------------------------------- B5 complaint

def test_B05_complaint_reassignment_bonus_20_80():
    d = split(owner_id=2, closer_id=2, reassigned_from_id=1)
    assert d.rule_code == "B5"
    assert lines(d) == {(2, "closer"): ("100", "80"), (1, "original"): ("0", "20")}
    assert "投诉" in d.explanation_zh and "complaint" in d.explanation_en


def test_B05_complaint_split_setting_and_amounts():
    deal = DealFacts(owner_id=2, reassigned_from_id=1, revenue=D("999999.99"),
                     bonus_rate=D("2"))
    d = compute_shares(deal, Settings(complaint_split=(30, 70)))
    rows = allocate_amounts(d.shares, deal.revenue, deal.bonus_rate)
    assert [(s.user_id, p, b) for s, p, b in rows] == [
        (2, D("999999.99"), D("14000.00")), (1, D("0.00"), D("6000.00"))]


def test_B05_beats_B1():
    wife = Person(20, 3, (Visit(NOW - datetime.timedelta(days=9), 3),))
    d = split(owner_id=2, reassigned_from_id=1, customer=Person(10, 2),
              relations=(Relation(10, wife, "spouse"),))
    assert d.rule_code == "B5"
    assert split(owner_id=2, customer=Person(10, 2),
                 relations=(Relation(10, wife, "spouse"),)).rule_code == "B1"


def test_B05_reassigned_back_to_same_consultant_is_default():
    d = split(owner_id=1, reassigned_from_id=1)
    assert d.rule_code == "A1"


# ----------------------------------------------------------------- catalogue

def test_every_decision_cites_a_catalogue_code():
    for facts in (dict(owner_id=1), dict(owner_id=None),
                  dict(owner_id=None, closer_id=3)):
        d = split(**facts)
        assert d.rule_code in RULES and all(s.rule_code in RULES for s in d.shares)
    assert lines(split(owner_id=None)) == {(None, "company"): ("100", "100")}
    assert lines(split(owner_id=None, closer_id=3)) == {(3, "owner"): ("100", "100")}


def test_share_accepts_floats_and_strings():
    s = Share(1, "owner", 33.33, "66.67", "A1")
    assert s.performance_share == D("33.33") and s.bonus_share == D("66.67")
