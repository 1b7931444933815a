"""Invariants of late entries, departed consultants and the cover (hypothesis)."""
import dataclasses
import datetime as dt
import unittest

from hypothesis import assume, given, settings as hsettings, strategies as st

from attribution.ownership import (Registration, Settings, VisitFacts, decide,
                                   entered_late, resolve)
from attribution.tests.test_properties_ownership import (BASE, NOW, USERS,
                                                         check_well_formed,
                                                         visit_facts)

FAST = hsettings(max_examples=75, deadline=None)
SETTINGS = Settings()


def with_(facts, **changes):
    return dataclasses.replace(facts, **changes)


def drawn_from(facts, departed):
    """A user the rotation could serve: present and still with the office."""
    pool = sorted(set(facts.present_user_ids) - set(departed)) or [9]
    return pool[0]


#: one registration attempt: (receiver, days after BASE of the visit, entered late by
#: how many days (0: in time), kind)
entries = st.lists(st.tuples(
    USERS, st.integers(0, 60), st.integers(0, 20),
    st.sampled_from(["walk_in", "appointment", "referral"])), min_size=1, max_size=8)


class TestLateEntryProperties(unittest.TestCase):

    @FAST
    @given(entries)
    def test_late_entry_sequence_never_moves_an_owner_without_conflict(self, steps):
        """An office keeps its sheet; some registrations are entered days late. No late
        entry changes who owns the customer: it is kept, and where the rules would
        have given the customer to someone else a conflict is opened."""
        regs = []
        owner = None
        clock = BASE
        for receiver, day, late_days, kind in steps:
            visit_at = BASE + dt.timedelta(days=day)
            entered = visit_at + dt.timedelta(days=late_days, minutes=1)
            clock = max(clock, entered)
            late = entered_late(visit_at, entered, SETTINGS.late_entry_minutes)
            facts = VisitFacts(kind, visit_at, receiver_id=receiver,
                               requested_user_id=receiver, appointment_user_id=receiver,
                               present_user_ids=frozenset({1, 2, 3}),
                               current_owner_id=owner, registrations=tuple(regs),
                               is_late_entry=late, entered_at=entered)
            d = decide(facts, SETTINGS, clock)
            if d.needs_rotation:
                d = resolve(d, 3)
            check_well_formed_late(self, d)
            if late and owner is not None:
                self.assertEqual(d.owner_id, owner, d.explanation_en)
                in_time = decide(with_(facts, is_late_entry=False), SETTINGS, clock)
                if in_time.needs_rotation or in_time.owner_id != owner:
                    self.assertTrue(d.open_conflict, d.explanation_en)
                    self.assertIn("补登", d.explanation_zh)
            owner = d.owner_id
            regs.append(Registration(100, d.owner_id, visit_at, receiver,
                                     entered_at=entered))

    @FAST
    @given(visit_facts, st.integers(1, 40))
    def test_late_entry_never_changes_the_current_owner(self, facts, late_days):
        facts = with_(facts, is_late_entry=True,
                      entered_at=facts.visit_datetime + dt.timedelta(days=late_days))
        d = decide(facts, SETTINGS, NOW)
        check_well_formed_late(self, d)
        ruled = facts.ruling is not None and facts.ruling.state in (
            "agreed", "ruled", "accepted", "forfeited") and d.rule_code in ("A6", "A7")
        if facts.current_owner_id is not None and not ruled:
            self.assertFalse(d.needs_rotation)
            self.assertEqual(d.owner_id, facts.current_owner_id)

    @FAST
    @given(visit_facts)
    def test_late_entry_registered_customer_never_called_never_visited(self, facts):
        later = Registration(100, facts.current_owner_id,
                             facts.visit_datetime + dt.timedelta(days=2))
        facts = with_(facts, registrations=facts.registrations + (later,))
        d = decide(facts, SETTINGS, NOW)
        self.assertNotIn("从未到访", d.explanation_zh)
        self.assertNotIn("never visited", d.explanation_en)


def check_well_formed_late(test, d):
    """``check_well_formed``, where a late entry's proposal may differ from the owner
    it keeps."""
    if d.proposed_owner_id is not None and d.proposed_owner_id != d.owner_id:
        d = dataclasses.replace(d, owner_id=d.proposed_owner_id)
    check_well_formed(test, d)


class TestDepartedProperties(unittest.TestCase):

    @FAST
    @given(visit_facts, st.frozensets(USERS, max_size=3))
    def test_departed_never_own_nor_claim(self, facts, departed):
        facts = with_(facts, departed_user_ids=departed, is_late_entry=False)
        d = decide(facts, SETTINGS, NOW)
        if d.needs_rotation:
            d = resolve(d, drawn_from(facts, departed))
        check_well_formed(test=self, d=d)
        self.assertNotIn(d.owner_id, departed, d.explanation_en)
        self.assertFalse(set(d.claimant_ids) & departed, d.explanation_en)
        if d.cover_user_id is not None:
            self.assertNotIn(d.cover_user_id, departed)


class TestCoverProperties(unittest.TestCase):

    @FAST
    @given(visit_facts, USERS)
    def test_cover_never_owns_nor_claims(self, facts, duty):
        # a duty consultant who holds the customer already claims as its owner
        assume(duty != facts.current_owner_id
               and duty not in {r.owner_id for r in facts.registrations})
        facts = with_(facts, receiver_id=None, duty_user_id=duty,
                      present_user_ids=facts.present_user_ids | {duty})
        d = decide(facts, SETTINGS, NOW)
        if d.cover_user_id is not None:
            self.assertEqual(d.cover_user_id, duty)
            self.assertEqual(d.receiver_id, duty)
            self.assertNotEqual(d.owner_id, duty)
            self.assertNotIn(duty, d.claimant_ids)
            self.assertIn(d.rule_code, ("A2", "A4", "B3b", "B4", "B8"))
            self.assertIn(duty, d.notify_user_ids)
