"""The conditions of A9, B1, A15 and B3a, decided by ``splits.compute_shares`` from raw
facts: each test holds one condition and shows the rule with it and without it.

Users: 1 张三, 2 李四, 3 王五, 4 赵六. Partners: 10 the customer (buyer), 20 and up
their relatives and contacts. Datetimes are naive UTC, the office is in Beijing
(UTC+8) unless a test says otherwise.
"""
from datetime import date, datetime, timedelta

from attribution.splits import (Conflict, DealFacts, Person, Relation, Settings,
                                Visit, compute_shares, fmt_pct)

NAMES = {1: "张三", 2: "李四", 3: "王五", 4: "赵六"}
DAY = datetime(2026, 3, 10, 2, 0)  # 10:00 Beijing time, 10 March
WON = datetime(2026, 3, 20, 6, 0)  # 14:00 Beijing time, 20 March


def at(days, hours=0):
    """``days`` days (and ``hours`` hours) after ``DAY``."""
    return DAY + timedelta(days=days, hours=hours)


def person(partner_id, owner=None, visits=(), **vals):
    """A person; ``visits``: ``(datetime, owner[, companion ids])`` each."""
    made = tuple(Visit(v[0], v[1], frozenset(v[2]) if len(v) > 2 else frozenset())
                 for v in visits)
    return Person(partner_id, owner_id=owner, visits=made, **vals)


def deal(**facts):
    facts.setdefault("names", NAMES)
    facts.setdefault("won_datetime", WON)
    return DealFacts(**facts)


def split(settings=None, **facts):
    return compute_shares(deal(**facts), settings or Settings())


def lines(decision):
    return {(s.user_id, s.role): (fmt_pct(s.performance_share), fmt_pct(s.bonus_share))
            for s in decision.shares}


ALL_TO = {1: {(1, "owner"): ("100", "100")}, 2: {(2, "owner"): ("100", "100")},
          3: {(3, "owner"): ("100", "100")}}


# ================================================================== A9 group buyer

def group(units=6, company=True, contacts=()):
    buyer = person(10, 1, [(at(0), 1)])
    return split(owner_id=1, customer=buyer, buyer_is_company=company,
                 unit_count=units, company_contacts=(buyer,) + tuple(contacts))


def test_A09_group_needs_a_company_buyer():
    staff = person(21, 2, [(at(1), 2)])
    assert lines(group(company=True, contacts=[staff])) == {
        (1, "co_owner"): ("50", "50"), (2, "co_owner"): ("50", "50")}
    assert group(company=False, contacts=[staff]).rule_code == "A1"


def test_A09_group_needs_group_units():
    staff = person(21, 2, [(at(1), 2)])
    assert group(units=5, contacts=[staff]).rule_code == "A9"
    assert group(units=4, contacts=[staff]).rule_code == "A1"
    d = compute_shares(deal(owner_id=1, buyer_is_company=True, unit_count=4,
                            company_contacts=(staff,)), Settings(group_units=4))
    assert d.rule_code == "A9"


def test_A09_group_confirmed_claims_are_settled_conflicts_only():
    settled = person(21, conflicts=(Conflict("ruled", (3,)),))
    open_ = person(22, conflicts=(Conflict("negotiation", (4,)),))
    d = group(contacts=[settled, open_])
    assert lines(d) == {(1, "co_owner"): ("50", "50"), (3, "co_owner"): ("50", "50")}
    for state in ("agreed", "accepted"):
        d = group(contacts=[person(21, conflicts=(Conflict(state, (3,)),))])
        assert (3, "co_owner") in lines(d)


def test_A09_group_contact_who_visited_brings_their_consultants():
    visited = person(21, 2, [(at(1), 3)])  # owner 2, received by 3
    d = group(contacts=[visited])
    assert lines(d) == {(u, "co_owner"): (p, p) for u, p in
                        ((1, "33.34"), (2, "33.33"), (3, "33.33"))}
    never = person(21, 2)  # owned by 2 but never came: no claim
    assert lines(group(contacts=[never])) == {(1, "owner"): ("100", "100")}


# ================================================================== A9 family

def family(units=3, kin_type="spouse", companions=(), kin_visits=()):
    kin = person(20, visits=kin_visits)
    buyer = person(10, 1, [(at(0), 1, companions)])
    return split(owner_id=1, closer_id=2, customer=buyer, unit_count=units,
                 relations=(Relation(10, kin, kin_type),))


def test_A09_family_needs_several_units():
    assert family(units=2, companions=[20]).rule_code == "A9"
    assert family(units=1, companions=[20]).rule_code == "A1"


def test_A09_family_needs_direct_kin():
    assert lines(family(kin_type="child", companions=[20])) == ALL_TO[1]
    assert family(kin_type="child", companions=[20]).rule_code == "A9"
    assert family(kin_type="sibling", companions=[20]).rule_code == "A1"


def test_A09_family_kin_as_companion():
    assert family(companions=[20]).rule_code == "A9"
    assert family(companions=[21]).rule_code == "A1"


def test_A09_family_kin_registered_the_same_office_day():
    # the buyer came at 10:00 Beijing time; the wife at 07:30 the same Beijing morning,
    # which is 23:30 UTC the day before
    assert family(kin_visits=[(at(0, -2.5), 2)]).rule_code == "A9"
    # the wife at 07:30 Beijing time the next day (23:30 UTC the same UTC day)
    d = family(kin_visits=[(at(0, 21.5), 2)])
    assert d.rule_code == "A1"


# ================================================================== B1 direct kin

def kin_deal(kin_type="spouse", kin_owner=1, kin_first=at(0), buyer_first=at(4),
             intent="a", reported=date(2026, 3, 12), confirmed=date(2026, 3, 20),
             won=WON, closer=None, settings=None):
    kin = person(20, kin_owner, [(kin_first, kin_owner)] if kin_first else [],
                 intent_class=intent, intent_reported_date=reported)
    buyer = person(10, 2, [(buyer_first, 2)] if buyer_first else [])
    return split(settings, owner_id=2, closer_id=closer, customer=buyer,
                 won_datetime=won,
                 relations=(Relation(10, kin, kin_type, confirmed_date=confirmed),))


FULL = {(1, "original"): ("100", "100")}
HALF = {(1, "original"): ("100", "50"), (2, "closer"): ("0", "50")}


def test_B01_reported_and_confirmed_all_to_original_with_makeup():
    d = kin_deal()
    assert d.rule_code == "B1" and lines(d) == FULL
    assert d.makeup_credit_user_id == 2
    assert "补接" in d.explanation_zh and "make-up" in d.explanation_en
    assert "2026-03-20" in d.explanation_zh and "配偶" in d.explanation_zh


def test_B01_needs_direct_kin():
    for kin_type in ("parent", "child"):
        assert kin_deal(kin_type=kin_type).rule_code == "B1"
    not_kin = kin_deal(kin_type="sibling")  # B3a: the buyer's consultant
    assert not_kin.rule_code == "B3a" and lines(not_kin) == ALL_TO[2]


def test_B01_needs_kin_owned_by_another_consultant():
    assert kin_deal(kin_owner=3).rule_code == "B1"
    assert kin_deal(kin_owner=2).rule_code == "A1"  # the kin's own consultant closed
    assert kin_deal(kin_owner=None).rule_code == "A1"


def test_B01_needs_the_kin_received_first():
    assert kin_deal(kin_first=at(3, 23)).rule_code == "B1"
    assert kin_deal(kin_first=at(4)).rule_code == "A1"  # same instant: not first
    assert kin_deal(kin_first=at(5)).rule_code == "A1"
    assert kin_deal(kin_first=None).rule_code == "A1"  # the kin never came
    assert kin_deal(buyer_first=None).rule_code == "B1"  # the buyer's first is now


def test_B01_needs_the_relation_confirmed_on_the_won_day():
    assert lines(kin_deal(confirmed=date(2026, 3, 19))) == HALF
    assert lines(kin_deal(confirmed=None)) == HALF
    assert kin_deal(confirmed=date(2026, 3, 19)).makeup_credit_user_id is None


def test_B01_confirmed_day_is_the_office_day_not_the_utc_day():
    # won at 00:30 Beijing time on 21 March, which is 16:30 UTC on 20 March
    won = datetime(2026, 3, 20, 16, 30)
    assert lines(kin_deal(won=won, confirmed=date(2026, 3, 21))) == FULL
    assert lines(kin_deal(won=won, confirmed=date(2026, 3, 20))) == HALF
    # the same instant in an office in London is still 20 March
    london = Settings(timezone="Europe/London")
    d = kin_deal(won=won, confirmed=date(2026, 3, 20), settings=london)
    assert lines(d) == FULL


def test_B01_needs_class_a_or_b_reported():
    assert lines(kin_deal(intent="b")) == FULL
    assert lines(kin_deal(intent="A")) == FULL
    assert lines(kin_deal(intent="c")) == HALF
    assert lines(kin_deal(intent=None)) == HALF


def test_B01_needs_the_class_reported_before_the_deal():
    assert lines(kin_deal(reported=date(2026, 3, 19))) == FULL
    assert lines(kin_deal(reported=date(2026, 3, 20))) == HALF  # the won day's review
    assert lines(kin_deal(reported=None)) == HALF


def test_B01_closer_is_the_second_consultant():
    d = kin_deal(closer=3, confirmed=None)
    assert lines(d) == {(1, "original"): ("100", "50"), (3, "closer"): ("0", "50")}
    assert kin_deal(closer=3).makeup_credit_user_id == 3


def test_B01_relative_split_setting():
    d = kin_deal(confirmed=None, settings=Settings(relative_split=(60, 40)))
    assert lines(d) == {(1, "original"): ("100", "60"), (2, "closer"): ("0", "40")}


def test_B01_earliest_kin_decides():
    mother = person(20, 1, [(at(1), 1)])
    father = person(21, 3, [(at(0), 3)])
    buyer = person(10, 2, [(at(4), 2)])
    d = split(owner_id=2, customer=buyer, relations=(
        Relation(10, mother, "parent", relation_id=1),
        Relation(10, father, "parent", relation_id=2)))
    assert lines(d) == {(3, "original"): ("100", "50"), (2, "closer"): ("0", "50")}


# ================================================================== A15 contact

def contact_deal(rel_type="friend", evidence="微信聊天记录", contact_owner=1,
                 contact_visits=(), closer=None):
    contact = person(20, contact_owner, contact_visits)
    buyer = person(10, 2, [(at(4), 2)])
    return split(owner_id=2, closer_id=closer, customer=buyer,
                 relations=(Relation(10, contact, rel_type, evidence=evidence),))


def test_A15_contact_with_evidence_performance_original_bonus_halved():
    d = contact_deal()
    assert d.rule_code == "A15" and lines(d) == HALF
    assert "通讯证据" in d.explanation_zh and "evidence" in d.explanation_en


def test_A15_needs_a_relative_or_friend():
    for rel_type in ("sibling", "relative", "friend"):
        assert contact_deal(rel_type=rel_type).rule_code == "A15"
    assert contact_deal(rel_type="referral").rule_code == "A1"
    # direct kin who never came: neither A15 nor B1
    assert contact_deal(rel_type="spouse").rule_code == "A1"


def test_A15_needs_evidence_recorded():
    assert contact_deal(evidence=None).rule_code == "A1"
    assert contact_deal(evidence="  \n").rule_code == "A1"


def test_A15_needs_a_contact_who_never_visited():
    visited = contact_deal(contact_visits=[(at(1), 1)])  # B3a: the buyer's consultant
    assert visited.rule_code == "B3a" and lines(visited) == ALL_TO[2]


def test_A15_needs_the_contact_owned_by_another_consultant():
    assert contact_deal(contact_owner=2).rule_code == "A1"
    assert contact_deal(contact_owner=None).rule_code == "A1"
    d = contact_deal(contact_owner=2, closer=3)
    assert lines(d) == {(2, "original"): ("100", "50"), (3, "closer"): ("0", "50")}


def test_A15_direct_kin_first_is_B1():
    kin = person(21, 3, [(at(0), 3)])
    contact = person(20, 1)
    buyer = person(10, 2, [(at(4), 2)])
    d = split(owner_id=2, customer=buyer, relations=(
        Relation(10, contact, "friend", evidence="通话记录"),
        Relation(10, kin, "spouse")))
    assert d.rule_code == "B1"


# ================================================================== B3a buyer

def b3a(units=1, rel_type="sibling", on_buyer=True, buyer_visits=((at(0), 3),),
        other_visit=at(5), other_owner=1, other_deals=frozenset({99})):
    buyer = person(10, 3, buyer_visits)
    other = person(20, other_owner, [(other_visit, other_owner)] if other_visit else [],
                   deal_ids=other_deals)
    # the relative is the lead's customer (their own consultant 1 opened it), the
    # contract names the buyer; their relation is recorded on both
    rels = (Relation(10, other, rel_type, relation_id=1),) if on_buyer else ()
    return split(owner_id=1, lead_id=99, customer=other, buyer=buyer, unit_count=units,
                 relations=rels + (Relation(20, buyer, rel_type, relation_id=2),))


def test_B03a_buyer_consultant_takes_all():
    d = b3a()
    assert d.rule_code == "B3a" and lines(d) == ALL_TO[3]
    assert "买受人" in d.explanation_zh and "王五" in d.explanation_zh


def test_B03a_needs_one_unit():
    assert b3a(units=2).rule_code == "A1"


def test_B03a_needs_a_non_kin_relative_of_the_buyer():
    for rel_type in ("relative", "friend"):
        assert b3a(rel_type=rel_type).rule_code == "B3a"
    assert b3a(rel_type="referral").rule_code == "A1"
    assert b3a(rel_type="spouse").rule_code == "A1"
    assert b3a(on_buyer=False).rule_code == "A1"


def test_B03a_needs_a_relation_recorded_on_the_buyer():
    friend = person(30, 4, [(at(6), 4)])  # received on another day by another
    buyer = person(10, 3, [(at(0), 3)])
    customer = person(20, 1, [(at(5), 1)], deal_ids=frozenset({99}))

    def code(recorded_on):
        return split(owner_id=1, lead_id=99, customer=customer, buyer=buyer,
                     relations=(Relation(recorded_on, friend, "friend"),)).rule_code
    assert code(10) == "B3a"
    assert code(20) == "A1"  # the customer's friend, not the buyer's


def test_B03a_needs_different_office_days():
    assert b3a(other_visit=at(0, 5)).rule_code == "A1"  # the same afternoon
    # 07:00 Beijing the next morning is 23:00 UTC the same UTC day: another day
    assert b3a(other_visit=at(0, 21)).rule_code == "B3a"
    assert b3a(other_visit=at(0, -3)).rule_code == "A1"  # 07:00 the same Beijing day
    assert b3a(other_visit=None).rule_code == "A1"
    assert b3a(buyer_visits=()).rule_code == "A1"


def test_B03a_needs_a_different_consultant():
    assert b3a(other_owner=3).rule_code == "A1"
    assert b3a(other_owner=None).rule_code == "A1"


def test_B03a_relative_with_a_deal_of_their_own_is_B02():
    assert b3a(other_deals=frozenset({99, 98})).rule_code == "A1"
    assert b3a(other_deals=frozenset()).rule_code == "B3a"
