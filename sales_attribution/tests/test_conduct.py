from odoo.exceptions import AccessError

from .conduct_common import ConductCase


class TestConduct(ConductCase):
    """Violations, rolling strikes and dismissal proposals (SPEC 5; A5, A8, A12,
    A13)."""

    def test_A05_collision_not_asked_records_violation(self):
        # the engine calls record() from the consultant's own registration
        violation = self.Violation.sudo(self.c2)._record(
            self.c1, "other", "attribution.visit,901", rule_code="A5",
            description="Collision found; prior visits were not asked.")
        self.assertEqual(violation.user_id, self.c1)
        self.assertEqual((violation.fault_class, violation.rule_code), ("c", "A5"))
        self.assertEqual(violation.strike_count, 1)
        self.assertEqual(violation.team_id, self.team)
        again = self.Violation.sudo(self.c2)._record(
            self.c1, "other", "attribution.visit,901", rule_code="A5")
        self.assertEqual(again, violation, "one event records one violation")
        self.assertEqual(self.Violation.search_count([("user_id", "=", self.c1.id)]), 1)
        self.assertFalse(self.c1.attribution_dismissal_proposed)

    def test_A08_poaching_immediate_dismissal_proposal(self):
        violation = self.Violation.sudo(self.manager)._record(
            self.c1, "poaching", "attribution.conflict,77")
        self.assertEqual((violation.fault_class, violation.rule_code), ("a", "A8"))
        self.assertEqual(violation.strike_count, 1)
        self.assertTrue(violation.dismissal_proposed)
        self.assertEqual(violation.dismissal_rule_code, "A8")
        self.assertTrue(self.c1.attribution_dismissal_proposed)
        self.assertEqual(self.c1.attribution_dismissal_rule_code, "A8")
        self.assertEqual(self.c1.attribution_dismissal_violation_id, violation)
        activity = self.activities(violation)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.manager, "the team manager decides")

    def test_A12_three_complaints_propose_dismissal(self):
        first = self.Violation._record(
            self.c1, "complaint", "t,1", date=self.days_ago(50))
        second = self.Violation._record(
            self.c1, "impolite", "t,2", date=self.days_ago(20))
        self.assertEqual((first.strike_count, second.strike_count), (1, 2))
        self.assertEqual((second.fault_class, second.rule_code), ("b", "A12"))
        self.assertFalse(self.c1.attribution_dismissal_proposed)
        self.assertFalse(self.activities(first | second))
        third = self.Violation._record(self.c1, "complaint", "t,3")
        self.assertEqual(third.strike_count, 3)
        self.assertTrue(third.dismissal_proposed)
        self.assertEqual(third.dismissal_rule_code, "A12")
        self.assertIn("A12", third.dismissal_explanation)
        self.assertTrue(self.c1.attribution_dismissal_proposed)
        self.assertEqual(self.c1.attribution_strike_count, 3)
        self.assertEqual(self.activities(third).user_id, self.manager)

    def test_A12_strikes_outside_period_do_not_count(self):
        self.Violation._record(self.c1, "complaint", "t,1", date=self.days_ago(400))
        self.Violation._record(self.c1, "complaint", "t,2", date=self.days_ago(380))
        recent = self.Violation._record(self.c1, "complaint", "t,3")
        self.assertEqual(recent.strike_count, 1)
        self.assertFalse(recent.dismissal_proposed)
        self.assertFalse(self.c1.attribution_dismissal_proposed)
        self.assertEqual(self.c1.attribution_strike_count, 1)

    def test_A12_shorter_period_setting_is_used(self):
        self.company.attribution_strike_period_days = 30
        self.Violation._record(self.c1, "complaint", "t,1", date=self.days_ago(40))
        self.Violation._record(self.c1, "complaint", "t,2", date=self.days_ago(10))
        third = self.Violation._record(self.c1, "complaint", "t,3")
        self.assertEqual(third.strike_count, 2)
        self.assertFalse(self.c1.attribution_dismissal_proposed)

    def test_A13_three_faults_cite_A13(self):
        self.Violation._record(self.c2, "late", "t,1", date=self.days_ago(9))
        self.Violation._record(self.c2, "abandon_customer", "t,2",
                               date=self.days_ago(5))
        third = self.Violation._record(self.c2, "absence", "t,3")
        self.assertEqual(third.dismissal_rule_code, "A13")
        self.assertEqual(self.c2.attribution_dismissal_rule_code, "A13")

    def test_manager_creates_violation_class_from_category(self):
        violation = self.Violation.sudo(self.manager).create({
            "user_id": self.c3.id, "category": "abandon_customer"})
        self.assertEqual((violation.fault_class, violation.rule_code), ("a", "A13"))
        self.assertEqual(violation.strike_count, 1)

    def test_consultant_cannot_see_another_consultants_violations(self):
        own = self.Violation._record(self.c1, "late", "t,1")
        other = self.Violation._record(self.c2, "late", "t,2")
        visible = self.Violation.sudo(self.c1).search([])
        self.assertIn(own, visible)
        self.assertNotIn(other, visible)
        with self.assertRaises(AccessError):
            other.sudo(self.c1).read(["category"])

    def test_consultant_cannot_create_violations(self):
        with self.assertRaises(AccessError):
            self.Violation.sudo(self.c1).create({"user_id": self.c2.id,
                                                 "category": "impolite"})

    def test_manager_sees_all_violations(self):
        self.Violation._record(self.c1, "late", "t,1")
        self.Violation._record(self.c2, "late", "t,2")
        self.assertEqual(self.Violation.sudo(self.manager).search_count(
            [("user_id", "in", (self.c1 | self.c2).ids)]), 2)

    def _propose(self, user):
        for n in range(3):
            last = self.Violation._record(user, "complaint", "p,%s" % n,
                                          date=self.days_ago(10 - n))
        self.assertTrue(user.attribution_dismissal_proposed)
        return last

    def test_manager_dismisses_proposal_with_reason(self):
        last = self._propose(self.c1)
        wizard = self.env["attribution.dismissal.wizard"].sudo(self.manager).create({
            "user_id": self.c1.id, "reason": "First year; coached by the manager."})
        wizard.action_dismiss()
        self.c1.invalidate_cache()
        self.assertFalse(self.c1.attribution_dismissal_proposed)
        self.assertEqual(self.c1.attribution_dismissal_reason,
                         "First year; coached by the manager.")
        self.assertTrue(self.c1.attribution_dismissal_dismissed_date)
        self.assertFalse(self.activities(last), "the manager's to-do is done")
        self.assertTrue(any("coached by the manager" in (m.body or "")
                            for m in last.message_ids))

    def test_consultant_cannot_dismiss_proposal(self):
        self._propose(self.c1)
        wizard = self.env["attribution.dismissal.wizard"].sudo(self.c2).create({
            "user_id": self.c1.id, "reason": "Friend."})
        with self.assertRaises(AccessError):
            wizard.action_dismiss()
        self.assertTrue(self.c1.attribution_dismissal_proposed)

    def test_no_double_proposal(self):
        third = self._propose(self.c1)
        fourth = self.Violation._record(self.c1, "impolite", "p,4")
        self.assertEqual(fourth.strike_count, 4)
        self.assertFalse(fourth.dismissal_proposed, "a proposal is already open")
        proposals = self.Violation.search([("user_id", "=", self.c1.id),
                                           ("dismissal_proposed", "=", True)])
        self.assertEqual(proposals, third)
        self.assertEqual(len(self.env["mail.activity"].search([
            ("res_model", "=", "attribution.violation"),
            ("res_id", "in", self.Violation.search(
                [("user_id", "=", self.c1.id)]).ids)])), 1)
        # once dismissed, a further strike (a new level) proposes again
        self.env["attribution.dismissal.wizard"].sudo(self.manager).create({
            "user_id": self.c1.id, "reason": "Stays."}).action_dismiss()
        self.assertTrue(any("Stays." in (m.body or "") for m in fourth.message_ids),
                        "the reason is logged on the latest violation too")
        fifth = self.Violation._record(self.c1, "impolite", "p,5")
        self.assertTrue(fifth.dismissal_proposed)
        self.assertTrue(self.c1.attribution_dismissal_proposed)

    def test_backdated_fault_does_not_propose_again(self):
        third = self._propose(self.c1)
        self.env["attribution.dismissal.wizard"].sudo(self.manager).create({
            "user_id": self.c1.id, "reason": "Stays."}).action_dismiss()
        # a fault recorded late with an old date counts only what came before it
        old = self.Violation._record(self.c1, "late", "p,old", date=self.days_ago(200))
        self.assertEqual(old.strike_count, 1)
        self.assertFalse(old.dismissal_proposed)
        self.assertEqual(self.Violation.search([("dismissal_proposed", "=", True),
                                                ("user_id", "=", self.c1.id)]), third)

    def test_proposal_without_team_manager_goes_to_office_manager(self):
        self.team.user_id = False
        violation = self.Violation._record(self.c1, "poaching", "t,1")
        activity = self.activities(violation)
        self.assertEqual(len(activity), 1)
        self.assertTrue(activity.user_id.has_group("sales_attribution.group_manager"))
