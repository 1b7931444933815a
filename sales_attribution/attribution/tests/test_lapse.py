"""A14 between visits: a phone-only customer's protection lapses (scheduled action)."""
import datetime as dt
import unittest

from attribution.ownership import Settings, lapse_phone_only

TODAY = dt.date(2026, 11, 30)


class TestPhoneOnlyLapse(unittest.TestCase):

    def test_A14_followup_older_than_window_lapses(self):
        decision = lapse_phone_only(3, TODAY - dt.timedelta(days=31), TODAY,
                                    names={3: "王芳"})
        self.assertEqual(decision.rule_code, "A14")
        self.assertIsNone(decision.owner_id)
        self.assertEqual(decision.previous_owner_id, 3)
        self.assertIn("王芳", decision.explanation_zh)
        self.assertIn("31 days ago", decision.explanation_en)

    def test_A14_day_30_is_still_protected(self):
        self.assertIsNone(lapse_phone_only(3, TODAY - dt.timedelta(days=30), TODAY))

    def test_A14_visited_customer_never_lapses(self):
        self.assertIsNone(lapse_phone_only(3, TODAY - dt.timedelta(days=300), TODAY,
                                           visited=True))

    def test_A14_no_owner_or_no_followup_nothing_to_lapse(self):
        self.assertIsNone(lapse_phone_only(None, TODAY - dt.timedelta(days=90), TODAY))
        self.assertIsNone(lapse_phone_only(3, None, TODAY))

    def test_A14_window_follows_settings(self):
        settings = Settings(followup_days=10)
        self.assertIsNotNone(lapse_phone_only(3, TODAY - dt.timedelta(days=11), TODAY,
                                              settings=settings))
        self.assertIsNone(lapse_phone_only(3, TODAY - dt.timedelta(days=10), TODAY,
                                           settings=settings))
