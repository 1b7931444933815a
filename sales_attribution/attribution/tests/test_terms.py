"""The rule book's terms: one meaning of "open", the office's calendar, the bilingual
error every rule module raises."""
import datetime as dt
import unittest

from attribution import ownership, phone, rotation, splits, terms
from attribution.ownership import Registration, Settings, VisitFacts, decide


class TestConflictGroups(unittest.TestCase):

    def test_open_is_where_a_step_leads_on(self):
        leave = {s for states, _target in terms.CONFLICT_STEPS.values()
                 for s in states}
        self.assertEqual(sorted(leave), sorted(terms.OPEN))

    def test_final_is_where_no_step_leads_on(self):
        self.assertEqual(sorted(terms.OPEN + terms.FINAL),
                         sorted(terms.CONFLICT_STATES))
        self.assertFalse(set(terms.OPEN) & set(terms.FINAL))

    def test_steps_lead_to_known_states(self):
        for name, (states, target) in terms.CONFLICT_STEPS.items():
            self.assertIn(target, terms.CONFLICT_STATES, name)
            self.assertNotIn(target, states, name)
            self.assertLessEqual(set(states), set(terms.CONFLICT_STATES), name)

    def test_every_state_but_the_first_is_reached_by_a_step(self):
        reached = {target for _states, target in terms.CONFLICT_STEPS.values()}
        self.assertEqual(sorted(reached | {"negotiation"}),
                         sorted(terms.CONFLICT_STATES))

    def test_manager_waits_on_open_conflicts_only(self):
        self.assertLessEqual(set(terms.TO_RULE), set(terms.OPEN))
        self.assertLessEqual(set(terms.SETTLED) | set(terms.FORFEIT),
                             set(terms.CONFLICT_STATES))


class TestLabelsCoverTheTerms(unittest.TestCase):

    def test_relation_labels_of_the_explanations(self):
        self.assertEqual(sorted(ownership.RELATION_LABELS),
                         sorted(terms.RELATION_TYPES))

    def test_direct_kin_are_relation_types(self):
        self.assertLessEqual(set(terms.DIRECT_KIN), set(terms.RELATION_TYPES))

    def test_role_names_of_the_explanations(self):
        self.assertEqual(sorted(splits.ROLE_NAMES), sorted(terms.ROLES))


class TestSelection(unittest.TestCase):

    def test_labels_follow_the_values_order(self):
        self.assertEqual(terms.selection(("b", "a"), {"a": "A", "b": "B"}),
                         [("b", "B"), ("a", "A")])

    def test_a_value_without_label_is_refused(self):
        with self.assertRaises(ValueError):
            terms.selection(terms.KINDS, {"walk_in": "Walk-in"})

    def test_a_label_without_value_is_refused(self):
        labels = {k: k for k in terms.ROLES}
        labels["boss"] = "Boss"
        with self.assertRaises(ValueError):
            terms.selection(terms.ROLES, labels)


class TestOfficeDate(unittest.TestCase):

    def test_beijing_morning_is_the_next_day(self):
        self.assertEqual(terms.office_date(dt.datetime(2026, 1, 9, 23, 30)),
                         dt.date(2026, 1, 10))

    def test_other_zone(self):
        self.assertEqual(
            terms.office_date(dt.datetime(2026, 1, 9, 23, 30), "Europe/London"),
            dt.date(2026, 1, 9))

    def test_daylight_saving_follows_the_zone(self):
        # 23:30 UTC on 1 July is 00:30 BST on the 2nd: no fixed offset would say so
        self.assertEqual(
            terms.office_date(dt.datetime(2026, 7, 1, 23, 30), "Europe/London"),
            dt.date(2026, 7, 2))

    def test_utc_from_office_is_the_inverse(self):
        local = dt.datetime(2026, 1, 10, 7, 30)
        utc = terms.utc_from_office(local)
        self.assertEqual(utc, dt.datetime(2026, 1, 9, 23, 30))
        self.assertEqual(terms.office_datetime(utc).replace(tzinfo=None), local)

    def test_dates_and_none_pass_through(self):
        self.assertEqual(terms.office_date(dt.date(2026, 1, 9)), dt.date(2026, 1, 9))
        self.assertIsNone(terms.office_date(None))


class TestOwnershipCountsOfficeDays(unittest.TestCase):
    """B6 through ``ownership.decide``: 30 UTC days are 31 Beijing days here."""

    def revisit(self, zone):
        first = Registration(100, 3, dt.datetime(2026, 1, 1, 2, 0), receiver_id=3)
        facts = VisitFacts(kind="walk_in",
                           visit_datetime=dt.datetime(2026, 1, 31, 23, 30),
                           registrations=(first,), current_owner_id=3,
                           present_user_ids=frozenset({1, 3}))
        return decide(facts, Settings(timezone=zone))

    def test_B06_beijing_days(self):
        decision = self.revisit("Asia/Shanghai")
        self.assertEqual(decision.rule_code, "B6")
        self.assertTrue(decision.needs_rotation)
        self.assertIn("相隔31天", decision.explanation_zh)

    def test_B06_london_days(self):
        decision = self.revisit("Europe/London")
        self.assertEqual((decision.rule_code, decision.owner_id), ("B6", 3))

    def test_default_zone_is_beijing(self):
        self.assertEqual(Settings().timezone, terms.DEFAULT_TIMEZONE)


class TestBilingualErrors(unittest.TestCase):

    def test_every_rule_error_is_bilingual(self):
        for error in (ownership.InvalidFacts, splits.ShareError, rotation.NoReceiver,
                      rotation.DuplicateSequence, phone.InvalidPhone):
            self.assertTrue(issubclass(error, terms.BilingualError), error)
            self.assertTrue(issubclass(error, ValueError), error)

    def test_message_in_the_users_language(self):
        with self.assertRaises(terms.BilingualError) as caught:
            decide(VisitFacts(kind="teleport", visit_datetime=dt.datetime(2026, 1, 1)))
        self.assertIn("来访类型", caught.exception.message("zh_CN"))
        self.assertIn("visit kind", caught.exception.message("en_US"))
        self.assertEqual(str(caught.exception), caught.exception.message("en_US"))

    def test_phone_keeps_the_raw_input(self):
        with self.assertRaises(terms.BilingualError) as caught:
            phone.normalize_phone("12")
        self.assertEqual(caught.exception.raw, "12")
        self.assertTrue(caught.exception.message("zh_CN"))


if __name__ == "__main__":  # pragma: no cover
    unittest.main()
