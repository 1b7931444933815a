"""Invariants of the ownership rules and the rotation (hypothesis)."""
import datetime as dt
import unittest

from hypothesis import given, settings as hsettings, strategies as st

from attribution.codes import RULES
from attribution.ownership import (KinVisit, Referrer, Registration, Ruling, Settings,
                                   VisitFacts, decide)
from attribution.rotation import Member, serve
from attribution.terms import CONFLICT_STATES, KINDS, SETTLED

BASE = dt.datetime(2026, 10, 1, 2, 0)
NOW = dt.datetime(2027, 12, 31)
USERS = st.integers(min_value=1, max_value=5)
MAYBE_USER = st.one_of(st.none(), USERS)
NAMES = {1: "张伟", 2: "李娜", 3: "王芳", 4: "刘洋", 5: "陈静"}
FAST = hsettings(max_examples=75, deadline=None)


def day(offset):
    return BASE + dt.timedelta(days=offset)


registrations = st.lists(st.builds(
    Registration, partner_id=st.just(100), owner_id=MAYBE_USER,
    visit_datetime=st.integers(-120, 0).map(day)), max_size=4).map(tuple)
referrers = st.lists(st.builds(
    Referrer, partner_id=st.integers(200, 210), owner_id=MAYBE_USER,
    first_won_date=st.one_of(st.none(), st.integers(-400, -1).map(
        lambda n: (BASE + dt.timedelta(days=n)).date()))), max_size=3).map(tuple)
kin = st.lists(st.builds(
    KinVisit, partner_id=st.integers(300, 310), owner_id=MAYBE_USER,
    visit_datetime=st.integers(-120, 0).map(day),
    relation_type=st.sampled_from(["spouse", "parent", "child", "sibling", "friend"])),
    max_size=3).map(tuple)
rulings = st.one_of(st.none(), st.builds(
    Ruling, state=st.sampled_from(CONFLICT_STATES), winner_id=MAYBE_USER))
dates = st.one_of(st.none(), st.integers(-120, 5).map(
    lambda n: (BASE + dt.timedelta(days=n)).date()))

visit_facts = st.builds(
    VisitFacts,
    kind=st.sampled_from(KINDS),
    visit_datetime=st.integers(1, 5).map(day),
    receiver_id=MAYBE_USER,
    requested_user_id=MAYBE_USER,
    appointment_user_id=MAYBE_USER,
    referrers=referrers,
    brought_in_person=st.booleans(),
    customer_recalls_consultant=st.booleans(),
    asked_prior_visit=st.booleans(),
    present_user_ids=st.frozensets(USERS),
    current_owner_id=MAYBE_USER,
    registrations=registrations,
    kin_registrations=kin,
    last_followup_date=dates,
    is_developer_related=st.booleans(),
    developer_notice_date=dates,
    developer_counts=st.dictionaries(USERS, st.integers(0, 5)),
    ruling=rulings,
    names=st.sampled_from([{}, NAMES]),
)
office = st.builds(Settings, protection_days=st.integers(1, 60),
                   followup_days=st.integers(1, 60))


def check_well_formed(test, d):
    test.assertIn(d.rule_code, RULES)
    test.assertTrue(d.explanation_zh.startswith(d.rule_code + ":"))
    test.assertTrue(d.explanation_en.startswith(d.rule_code + ": "))
    test.assertTrue(d.explanation_zh.endswith("。"))
    test.assertNotIn("\x00", d.explanation_zh + d.explanation_en)
    test.assertEqual(d.open_conflict, bool(d.claimant_ids))
    test.assertEqual(len(set(d.claimant_ids)), len(d.claimant_ids))
    if d.open_conflict:
        test.assertTrue(d.notify_manager)
        if d.owner_id is not None:
            test.assertEqual(d.claimant_ids[0], d.owner_id)


class TestOwnershipProperties(unittest.TestCase):

    @FAST
    @given(visit_facts, office, USERS)
    def test_exactly_one_decision_with_a_known_code(self, facts, office_settings,
                                                    drawn):
        d = decide(facts, office_settings, NOW)
        check_well_formed(self, d)
        if d.needs_rotation:
            self.assertIsNone(d.owner_id)
            self.assertIsNone(d.receiver_id)
            done = d.resolve_rotation(type("T", (), {"user_id": drawn})())
            check_well_formed(self, done)
            self.assertEqual((done.owner_id, done.receiver_id), (drawn, drawn))
            self.assertFalse(done.needs_rotation)
            self.assertEqual(done.rule_code, d.rule_code)
            name = (facts.names or {}).get(drawn) or "#%s" % drawn
            self.assertIn(name, done.explanation_zh)

    @FAST
    @given(visit_facts, st.sampled_from(SETTLED), USERS)
    def test_settled_ruling_beats_everything(self, facts, state, winner):
        facts = VisitFacts(**dict(facts.__dict__, ruling=Ruling(state, winner)))
        d = decide(facts, Settings(), NOW)
        self.assertEqual((d.rule_code, d.owner_id, d.open_conflict, d.needs_rotation),
                         ("A6", winner, False, False))

    @FAST
    @given(visit_facts)
    def test_forfeited_goes_to_company(self, facts):
        facts = VisitFacts(**dict(facts.__dict__, ruling=Ruling("forfeited")))
        d = decide(facts, Settings(), NOW)
        self.assertEqual((d.rule_code, d.owner_id), ("A7", None))

    @FAST
    @given(visit_facts)
    def test_staff_referral_always_rotation(self, facts):
        facts = VisitFacts(**dict(facts.__dict__, kind="staff_referral", ruling=None))
        d = decide(facts, Settings(), NOW)
        self.assertEqual((d.rule_code, d.needs_rotation), ("B7", True))
        self.assertEqual(d.ignored_request, facts.requested_user_id is not None)

    @FAST
    @given(visit_facts, st.integers(0, 3))
    def test_registration_order_does_not_matter(self, facts, shift):
        regs = list(facts.registrations)
        cut = shift % len(regs) if regs else 0
        rotated = tuple(reversed(regs[cut:] + regs[:cut]))
        other = VisitFacts(**dict(facts.__dict__, registrations=rotated))
        a, b = decide(facts, Settings(), NOW), decide(other, Settings(), NOW)
        self.assertEqual(
            (a.rule_code, a.owner_id, a.open_conflict, set(a.claimant_ids)),
            (b.rule_code, b.owner_id, b.open_conflict, set(b.claimant_ids)))

    @FAST
    @given(st.integers(0, 120), USERS, st.integers(1, 60), st.integers(0, 23))
    def test_B06_window_monotone(self, n, owner, window, hour):
        def lapsed(days):
            first = BASE.replace(hour=hour)
            facts = VisitFacts("walk_in", first + dt.timedelta(days=days),
                               registrations=(Registration(100, owner, first),))
            d = decide(facts, Settings(protection_days=window), NOW)
            self.assertEqual(d.rule_code, "B6")
            return d.needs_rotation
        if lapsed(n):
            self.assertTrue(lapsed(n + 1))
            self.assertGreater(n, window)
        else:
            self.assertEqual(decide(VisitFacts(
                "walk_in", BASE + dt.timedelta(days=n),
                registrations=(Registration(100, owner, BASE),)),
                Settings(protection_days=window), NOW).owner_id, owner)

    @FAST
    @given(st.integers(0, 120), USERS, st.integers(1, 60), st.booleans())
    def test_A14_window_monotone(self, n, owner, window, recalls):
        def lapsed(days):
            facts = VisitFacts("walk_in", BASE + dt.timedelta(days=days),
                               current_owner_id=owner,
                               customer_recalls_consultant=recalls,
                               last_followup_date=BASE.date())
            d = decide(facts, Settings(followup_days=window), NOW)
            self.assertEqual(d.rule_code, "A14")
            return d.needs_rotation
        if lapsed(n):
            self.assertTrue(lapsed(n + 1))
            self.assertFalse(recalls)
        if recalls:
            self.assertFalse(lapsed(n))

    @FAST
    @given(st.frozensets(USERS, min_size=1), st.dictionaries(USERS, st.integers(0, 9)),
           st.sampled_from(["walk_in", "appointment", "referral"]), MAYBE_USER)
    def test_A11_picks_fewest_present(self, present, counts, kind, requested):
        facts = VisitFacts(kind, BASE + dt.timedelta(days=3), present_user_ids=present,
                           requested_user_id=requested, is_developer_related=True,
                           developer_notice_date=BASE.date(), developer_counts=counts,
                           referrers=(Referrer(200, 1),), brought_in_person=True)
        d = decide(facts, Settings(), NOW)
        self.assertEqual(d.rule_code, "A11")
        self.assertIn(d.owner_id, present)
        self.assertEqual(counts.get(d.owner_id, 0),
                         min(counts.get(u, 0) for u in present))

    @FAST
    @given(st.lists(USERS, min_size=1, max_size=3, unique=True), USERS, st.booleans())
    def test_referral_brought_beats_named_consultant_and_sheet(
            self, owners, other, recalls):
        referrers_ = tuple(
            Referrer(200 + i, o, dt.date(2026, 1, 1) + dt.timedelta(days=i))
            for i, o in enumerate(owners))
        earlier = Registration(100, other, BASE - dt.timedelta(1))
        facts = VisitFacts("referral", BASE, referrers=referrers_,
                           brought_in_person=True, requested_user_id=other,
                           customer_recalls_consultant=recalls,
                           registrations=(earlier,))
        d = decide(facts, Settings(), NOW)
        self.assertIn(d.rule_code, ("B4", "A4", "B8"))
        self.assertEqual(d.owner_id, owners[0])


class TestRotationProperties(unittest.TestCase):

    @FAST
    @given(st.lists(st.integers(0, 1000), min_size=1, max_size=8, unique=True),
           st.integers(1, 4), st.one_of(st.none(), st.integers(-5, 1005)))
    def test_k_rounds_serve_everyone_k_times(self, sequences, k, pointer):
        members = [Member(user_id=i + 1, sequence=s) for i, s in enumerate(sequences)]
        counts = {m.user_id: 0 for m in members}
        for _ in range(k * len(members)):
            turn = serve(members, pointer)
            counts[turn.user_id] += 1
            pointer = turn.new_last_sequence
            self.assertEqual(turn.rule_code, "A3")
        self.assertEqual(set(counts.values()), {k})

    @FAST
    @given(st.lists(st.tuples(st.integers(0, 100), st.booleans()), min_size=1,
                    max_size=8, unique_by=lambda t: t[0]),
           st.one_of(st.none(), st.integers(0, 100)))
    def test_absent_never_served_and_skipped_only_before_served(self, rows, pointer):
        members = [Member(i + 1, s, present=p) for i, (s, p) in enumerate(rows)]
        if not any(m.present for m in members):
            return
        turn = serve(members, pointer)
        served = next(m for m in members if m.user_id == turn.user_id)
        self.assertTrue(served.present)
        absent = {m.user_id for m in members if not m.present}
        self.assertTrue(set(turn.skipped_user_ids) <= absent)
        self.assertEqual(turn.new_last_sequence, served.sequence)


if __name__ == "__main__":
    unittest.main()
