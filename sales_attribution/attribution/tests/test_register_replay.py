"""A register judged in memory (``register_replay``): each row sees the rows judged
before it, only the sheet's receiver is on duty, and what the bulk path cannot hold
(a conflict against an owner from before the import, today's duty consultant, a
developer-related customer) is handed back to the desk's engine."""
import datetime as dt
import unittest

from hypothesis import given, settings as hsettings, strategies as st

from attribution import register_replay as rr
from attribution.ownership import Referrer, Registration, Ruling, Settings

BASE = dt.datetime(2026, 6, 1, 2, 0)
NOW = dt.datetime(2026, 12, 1, 2, 0)
NAMES = {1: "张伟", 2: "李娜", 3: "王芳", 4: "刘洋"}


def visit(days, receiver, **kw):
    kw.setdefault("entered_at", NOW)
    kw.setdefault("late", True)
    return rr.ReplayVisit(kind=kw.pop("kind", "walk_in"),
                          visit_datetime=BASE + dt.timedelta(days=days),
                          receiver_id=receiver, **kw)


def replay(customer, visits, **kw):
    """Judge ``visits`` in turn, recording each; the judgements."""
    out = []
    for v in visits:
        judgement = rr.judge(v, customer, settings=Settings(), now=NOW,
                             names=NAMES, **kw)
        if judgement.decision:
            rr.record(customer, v, judgement.decision)
        out.append(judgement)
    return out


class TestReplay(unittest.TestCase):

    def test_A05_first_row_receiver_owns_a_new_customer(self):
        first, = replay(rr.Customer(-1), [visit(0, 2)])
        self.assertEqual((first.decision.rule_code, first.decision.owner_id),
                         ("A5", 2))

    def test_B06_effect_carried_to_a_later_row_within_the_window(self):
        customer = rr.Customer(-1)
        _first, second, third = replay(customer, [
            visit(0, 1), visit(10, 2), visit(60, 3)])
        self.assertEqual((second.decision.rule_code, second.decision.owner_id),
                         ("B6", 1))
        # 50 days after the last visit, not recognised: the receiver on duty then
        self.assertEqual((third.decision.rule_code, third.decision.owner_id),
                         ("B6", 3))
        self.assertEqual(customer.owner_id, 3)
        self.assertEqual(len(customer.registrations), 3)

    def test_B07_rotation_goes_to_the_sheets_receiver(self):
        judged, = replay(rr.Customer(-1), [visit(0, 4, kind="staff_referral")])
        self.assertEqual((judged.decision.rule_code, judged.decision.owner_id,
                          judged.decision.receiver_id), ("B7", 4, 4))

    def test_A02_requested_absent_owns_only_the_receiver_is_present(self):
        judged, = replay(rr.Customer(-1), [visit(0, 1, requested_user_id=3)])
        self.assertEqual((judged.decision.rule_code, judged.decision.owner_id),
                         ("A2", 3))

    def test_history_against_an_owner_before_the_import_goes_to_the_desk(self):
        customer = rr.Customer(9, owner_id=2, registrations=[Registration(
            partner_id=9, owner_id=2, visit_datetime=BASE + dt.timedelta(days=5))])
        judged, = replay(customer, [visit(0, 1)])
        self.assertEqual(judged.fallback, rr.FALLBACK_CONFLICT)
        self.assertEqual(customer.owner_id, 2, "a fallback changes nothing")

    def test_an_owner_given_by_the_run_opens_nothing(self):
        customer = rr.Customer(-1)
        judged = replay(customer, [visit(0, 1), visit(3, 2)])
        self.assertEqual([j.fallback for j in judged], [None, None])
        self.assertTrue(judged[1].decision.open_conflict)  # the desk's flag, kept

    def test_had_owner_settled_by_the_first_row_of_the_run(self):
        customer = rr.Customer(9, owner_id=2, registrations=[Registration(
            partner_id=9, owner_id=2, visit_datetime=BASE - dt.timedelta(days=3))])
        self.assertIsNone(customer.had_owner)
        judged, = replay(customer, [visit(0, 2)])
        self.assertEqual((judged.decision.rule_code, judged.decision.owner_id),
                         ("B6", 2))
        self.assertTrue(customer.had_owner)

    def test_developer_related_customer_goes_to_the_desk(self):
        judged, = replay(rr.Customer(9, is_developer_related=True), [visit(0, 1)])
        self.assertEqual(judged.fallback, rr.FALLBACK_DEVELOPER)

    def test_no_A5_violation_for_history(self):
        customer = rr.Customer(9, owner_id=2, had_owner=False)
        judged, = replay(customer, [visit(0, 1, asked_prior_visit=False)])
        self.assertFalse(judged.decision.not_asked_collision)

    def test_kin_visits_up_to_the_visit(self):
        wife = rr.Customer(7, registrations=[
            Registration(partner_id=7, owner_id=3, visit_datetime=BASE),
            Registration(partner_id=7, owner_id=3,
                         visit_datetime=BASE + dt.timedelta(days=9))])
        husband = rr.Customer(8, kin=((7, "spouse"), (99, "child")))
        kin = rr.kin_visits(husband, {7: wife, 8: husband},
                            BASE + dt.timedelta(days=5))
        self.assertEqual([(k.partner_id, k.relation_type) for k in kin],
                         [(7, "spouse")])
        judged, = replay(husband, [visit(5, 1)], kin=kin)
        self.assertEqual((judged.decision.rule_code, judged.decision.owner_id),
                         ("B1", 3))

    def test_history_has_no_departed_consultant(self):
        # whoever has left since, the facts of a row name nobody departed: the
        # referrer's consultant and the first receiver keep their claims (H1 is
        # the handover's, after the import)
        referred = rr.Customer(-2)
        ref = (Referrer(partner_id=5, owner_id=3),)
        judged, = replay(referred, [visit(0, 1, kind="referral",
                                          brought_in_person=True)], referrers=ref)
        facts = rr.visit_facts(visit(0, 1), referred, referrers=ref)
        self.assertEqual(facts.departed_user_ids, frozenset())
        self.assertEqual((judged.decision.rule_code, judged.decision.owner_id),
                         ("B4", 3))

    def test_ruling_in_memory_keeps_the_owner(self):
        customer = rr.Customer(9, owner_id=2, had_owner=True,
                               ruling=Ruling(state="ruled", winner_id=2))
        judged, = replay(customer, [visit(0, 1)])
        self.assertEqual((judged.decision.rule_code, judged.decision.owner_id),
                         ("A6", 2))


class TestReplayProperties(unittest.TestCase):

    @hsettings(max_examples=60, deadline=None)
    @given(st.lists(st.tuples(st.integers(0, 150), st.integers(1, 4),
                              st.sampled_from(["walk_in", "appointment",
                                               "staff_referral"])),
                    min_size=1, max_size=8))
    def test_a_new_customer_replayed_in_time_order_never_falls_back(self, rows):
        """History alone (no owner before the import) is always judged in memory,
        and the customer always ends with the last decision's owner."""
        customer = rr.Customer(-1)
        judged = replay(customer, [
            visit(days, receiver, kind=kind,
                  appointment_user_id=receiver if kind == "appointment" else None)
            for days, receiver, kind in sorted(rows)])
        self.assertEqual([j.fallback for j in judged], [None] * len(rows))
        self.assertEqual(customer.owner_id, judged[-1].decision.owner_id)
        self.assertTrue(all(j.decision.owner_id for j in judged))
