"""Invariants of the splits and the event schedule, checked with hypothesis."""
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal as D

from hypothesis import HealthCheck, given, settings, strategies as st

from attribution.codes import RULES
from attribution.events import MESSAGE_CODES, EventFacts, RegFacts, due_messages
from attribution.splits import (Conflict, DealFacts, Person, Relation, Settings, Share,
                                Visit, allocate_amounts, compute_shares,
                                validate_shares)
from attribution.terms import CONFLICT_STATES, FORFEIT, RELATION_TYPES, ROLES

users = st.integers(min_value=1, max_value=6)
maybe_user = st.one_of(st.none(), users)
percent = st.integers(min_value=0, max_value=100)


@st.composite
def partition_100(draw, n):
    """``n`` Decimal percents with two decimals summing to exactly 100."""
    cuts = sorted(draw(st.lists(st.integers(0, 10000), min_size=n - 1, max_size=n - 1)))
    bounds = [0] + cuts + [10000]
    return [D(bounds[i + 1] - bounds[i]) / 100 for i in range(n)]


@st.composite
def ruling_shares(draw):
    keys = draw(st.lists(st.tuples(maybe_user, st.sampled_from(ROLES)), min_size=1,
                         max_size=4, unique=True))
    perf = draw(partition_100(len(keys)))
    bonus = draw(partition_100(len(keys)))
    codes = st.sampled_from(["A6", "A9", "", "zz"])
    return tuple(Share(u, r, p, b, draw(codes))
                 for (u, r), p, b in zip(keys, perf, bonus))


moments = st.datetimes(min_value=dt.datetime(2026, 1, 1),
                       max_value=dt.datetime(2026, 1, 20))
visits = st.builds(Visit, moments, maybe_user,
                   st.sampled_from([frozenset(), frozenset({12}), frozenset({10, 13})]))
days = st.one_of(st.none(), st.dates(dt.date(2026, 1, 1), dt.date(2026, 1, 22)))
conflicts = st.builds(Conflict, st.sampled_from(CONFLICT_STATES),
                      st.lists(users, max_size=2).map(tuple))


@st.composite
def people(draw, partner_id, contact=False):
    """A person; a company's ``contact`` may carry conflicts, others intents."""
    if contact:
        return Person(partner_id, owner_id=draw(maybe_user),
                      visits=tuple(draw(st.lists(visits, max_size=2))),
                      conflicts=tuple(draw(st.lists(conflicts, max_size=2))))
    return Person(
        partner_id, owner_id=draw(maybe_user),
        visits=tuple(draw(st.lists(visits, max_size=2))),
        intent_class=draw(st.sampled_from([None, "a", "b", "c", "A"])),
        intent_reported_date=draw(days),
        deal_ids=draw(st.sampled_from([frozenset(), frozenset({1}), frozenset({2})])))


@st.composite
def deals(draw):
    """Raw facts of a won deal: customer 10, buyer 10 or 11, relatives 12-14."""
    customer = draw(people(10))
    buyer = draw(st.one_of(st.none(), people(11)))
    owners = [10] + ([11] if buyer else [])
    relations = tuple(
        Relation(draw(st.sampled_from(owners)), draw(people(partner_id)),
                 draw(st.sampled_from(RELATION_TYPES)),
                 evidence=draw(st.sampled_from([None, "", " ", "微信记录"])),
                 confirmed_date=draw(days),
                 relation_id=partner_id)
        for partner_id in draw(st.lists(st.integers(12, 14), unique=True, max_size=3)))
    return DealFacts(
        owner_id=draw(maybe_user),
        closer_id=draw(maybe_user),
        lead_id=1,
        won_datetime=draw(moments),
        customer=customer,
        buyer=buyer,
        conflict_state=draw(st.sampled_from((None,) + CONFLICT_STATES)),
        conflict_shares=draw(st.one_of(st.just(()), ruling_shares())),
        forfeited=draw(st.booleans()),
        buyer_is_company=draw(st.booleans()),
        unit_count=draw(st.integers(1, 12)),
        company_contacts=tuple(draw(st.lists(people(15, True), max_size=2))),
        relations=relations,
        reassigned_from_id=draw(maybe_user),
    )


@st.composite
def office_settings(draw):
    complaint = draw(percent)
    relative = draw(percent)
    return Settings(group_units=draw(st.integers(2, 8)),
                    complaint_split=(complaint, 100 - complaint),
                    relative_split=(relative, 100 - relative))


# generating raw facts is slow on a loaded machine; the examples are what matter
@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(deals(), office_settings())
def test_A01_shares_always_sum_to_exactly_100_per_column(deal, office):
    decision = compute_shares(deal, office)
    assert sum(s.performance_share for s in decision.shares) == 100
    assert sum(s.bonus_share for s in decision.shares) == 100
    assert validate_shares(decision.shares)
    keys = [(s.user_id, s.role) for s in decision.shares]
    assert len(keys) == len(set(keys))
    assert all(0 <= s.performance_share <= 100 and 0 <= s.bonus_share <= 100
               for s in decision.shares)
    assert decision.rule_code in RULES
    assert all(s.rule_code in RULES for s in decision.shares)
    assert decision.explanation_zh.startswith(decision.rule_code + " ")
    assert decision.explanation_en.startswith(decision.rule_code + " ")
    assert compute_shares(deal, office) == decision  # idempotent


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(deals())
def test_A07_forfeit_always_wins(deal):
    if deal.forfeited or deal.conflict_state in FORFEIT:
        decision = compute_shares(deal, Settings())
        assert decision.rule_code == "A7"
        assert [(s.user_id, s.role) for s in decision.shares] == [(None, "company")]


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 40))
def test_A09_equal_co_owner_shares_differ_by_at_most_a_cent(count):
    contacts = tuple(Person(100 + u, u, (Visit(dt.datetime(2026, 1, 1), u),))
                     for u in range(2, count + 1))
    deal = DealFacts(owner_id=1, buyer_is_company=True, unit_count=5,
                     company_contacts=contacts)
    shares = compute_shares(deal, Settings()).shares
    values = [s.performance_share for s in shares]
    assert sum(values) == 100 and max(values) - min(values) <= D("0.01")
    assert values == sorted(values, reverse=True)


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(deals(), st.decimals(min_value=0, max_value=10 ** 10, places=2),
       st.decimals(min_value=0, max_value=100, places=3))
def test_A01_amounts_always_reconcile_to_the_cent(deal, revenue, bonus_rate):
    shares = compute_shares(deal, Settings()).shares
    rows = allocate_amounts(shares, revenue, bonus_rate)
    pool = (revenue * bonus_rate / 100).quantize(D("0.01"), rounding=ROUND_HALF_UP)
    assert sum(p for _, p, _ in rows) == revenue
    assert sum(b for _, _, b in rows) == pool
    for share, perf, bonus in rows:
        assert perf == perf.quantize(D("0.01")) and bonus == bonus.quantize(D("0.01"))
        assert abs(perf - revenue * share.performance_share / 100) < D("0.01")
        exact_bonus = revenue * bonus_rate / 100 * share.bonus_share / 100
        assert abs(bonus - exact_bonus) < D("0.01")
        if not share.performance_share:
            assert perf == 0
        if not share.bonus_share:
            assert bonus == 0


@settings(max_examples=200, deadline=None)
@given(ruling_shares(), st.decimals(min_value=0, max_value=10 ** 9, places=2))
def test_A06_ruling_amounts_reconcile(shares, revenue):
    rows = allocate_amounts(shares, revenue, D("2.5"))
    assert sum(p for _, p, _ in rows) == revenue
    pool = (revenue * D("0.025")).quantize(D("0.01"), rounding=ROUND_HALF_UP)
    assert sum(b for _, _, b in rows) == pool


registrations = st.builds(
    RegFacts,
    registration_id=st.integers(1, 50),
    state=st.sampled_from(["draft", "open", "done", "cancel"]),
    attended=st.booleans(),
    has_email=st.booleans(),
    has_mobile=st.booleans(),
    sent_codes=st.frozensets(st.sampled_from(MESSAGE_CODES)),
)


@settings(max_examples=200, deadline=None)
@given(st.datetimes(min_value=dt.datetime(2024, 1, 1),
                    max_value=dt.datetime(2024, 12, 31)),
       st.integers(0, 72), st.integers(0, 5), st.integers(0, 23),
       st.sampled_from(("Asia/Shanghai", "Europe/London", "America/New_York",
                        "Pacific/Auckland", "UTC")),
       st.lists(registrations, max_size=8),
       st.timedeltas(min_value=dt.timedelta(days=-40), max_value=dt.timedelta(days=60)))
def test_E1_due_messages_never_repeat_a_sent_code(begin, hours, days_before, call_hour,
                                                  tz, regs, offset):
    event = EventFacts(1, begin, begin + dt.timedelta(hours=hours), days_before,
                       call_hour, tz)
    now = begin + offset
    due, skipped = due_messages(event, regs, now)
    by_id = {}
    for r in regs:
        by_id.setdefault(r.registration_id, []).append(r)
    for rid, code in due:
        assert any(code not in r.sent_codes and r.state != "cancel" for r in by_id[rid])
        assert code in MESSAGE_CODES
    for rid, code, zh, en in skipped:
        assert any(code not in r.sent_codes for r in by_id[rid]) and zh and en
    for r in regs:
        mine_due, _ = due_messages(event, [r], now)
        assert not {c for _, c in mine_due} & r.sent_codes
        if r.state == "cancel" or not (r.has_email or r.has_mobile):
            assert mine_due == []
        if now < event.date_begin:
            assert not {"E4", "E5"} & {c for _, c in mine_due}
        else:
            assert not {"E1", "E2", "E3"} & {c for _, c in mine_due}
