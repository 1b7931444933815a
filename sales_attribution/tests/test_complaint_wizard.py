from odoo import fields
from odoo.exceptions import AccessError, UserError

from .conduct_common import ConductCase


class TestComplaintWizard(ConductCase):
    """B5 reassignment after a complaint (A12 recorded) and A13 abandoned customers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({
            "name": "Customer Chen", "customer": True, "mobile": "13800138000",
            "attribution_owner_id": cls.c1.id,
            # followed up today: A14 keeps C1 as owner when the customer visits
            "last_followup_date": fields.Date.context_today(cls.env["res.partner"])})
        cls.lead = cls.env["crm.lead"].create({
            "name": "Chen: 2 bedrooms", "type": "opportunity",
            "partner_id": cls.customer.id, "user_id": cls.c1.id,
            "team_id": cls.team.id})
        cls.Wizard = cls.env["attribution.complaint.wizard"]

    def wizard(self, user, reason_type="complaint", complaint="Exaggerated the view.",
               active_model="crm.lead", **vals):
        active = self.lead if active_model == "crm.lead" else self.customer
        vals.setdefault("new_user_id", self.c2.id)
        vals.update({"reason_type": reason_type, "complaint": complaint})
        return self.Wizard.sudo(user).with_context(
            active_model=active_model, active_id=active.id).create(vals)

    def decisions(self):
        return self.env["attribution.decision"].search([
            ("partner_id", "=", self.customer.id), ("rule_code", "=", "B5")])

    def test_B05_complaint_reassigns_with_decision(self):
        wizard = self.wizard(self.manager)
        self.assertEqual(wizard.partner_id, self.customer)
        self.assertEqual(wizard.original_user_id, self.c1)
        wizard.action_reassign()
        decision = self.decisions()
        self.assertEqual(len(decision), 1)
        self.assertEqual(
            (decision.previous_owner_id, decision.owner_id, decision.lead_id),
            (self.c1, self.c2, self.lead))
        self.assertIn("B5", decision.explanation)
        self.assertIn("Exaggerated the view.", decision.explanation_en)
        self.assertIn("20% to the original and 80% to the new", decision.explanation_en)
        self.assertEqual(self.customer.attribution_owner_id, self.c2)
        self.assertEqual(self.lead.user_id, self.c2)
        violation = self.Violation.search([("user_id", "=", self.c1.id)])
        self.assertEqual(
            (violation.category, violation.fault_class, violation.rule_code),
            ("complaint", "b", "A12"))
        self.assertEqual(violation.source_ref, "attribution.decision,%s" % decision.id)

    def test_B05_from_customer_form(self):
        self.wizard(self.manager, active_model="res.partner").action_reassign()
        self.assertEqual(self.customer.attribution_owner_id, self.c2)
        self.assertEqual(self.lead.user_id, self.c2, "open opportunities follow")

    def test_B05_refusal_reassigns_without_violation(self):
        self.wizard(self.manager, reason_type="refuses_consultant",
                    complaint="Does not want to be received by Zhang again."
                    ).action_reassign()
        self.assertEqual(len(self.decisions()), 1)
        self.assertEqual(self.customer.attribution_owner_id, self.c2)
        self.assertFalse(self.Violation.search([("user_id", "=", self.c1.id)]))

    def test_B05_preference_alone_refused(self):
        wizard = self.wizard(self.manager, reason_type="preference",
                             complaint="Prefers a younger consultant.")
        with self.assertRaises(UserError) as caught:
            wizard.action_reassign()
        self.assertIn("looks", str(caught.exception.name))
        self.assertFalse(self.decisions())
        self.assertEqual(self.customer.attribution_owner_id, self.c1)
        self.assertEqual(self.lead.user_id, self.c1)
        self.assertFalse(self.Violation.search([("user_id", "=", self.c1.id)]))

    def test_B05_complaint_text_required(self):
        wizard = self.wizard(self.manager, complaint="   ")
        with self.assertRaises(UserError):
            wizard.action_reassign()
        self.assertFalse(self.decisions())

    def test_B05_same_consultant_refused(self):
        wizard = self.wizard(self.manager, new_user_id=self.c1.id)
        with self.assertRaises(UserError):
            wizard.action_reassign()
        self.assertFalse(self.decisions())

    def test_B05_consultant_cannot_reassign(self):
        wizard = self.wizard(self.c1)
        with self.assertRaises(AccessError):
            wizard.action_reassign()
        self.assertFalse(self.decisions())
        self.assertEqual(self.customer.attribution_owner_id, self.c1)

    def test_A12_three_complaints_through_wizard_propose_dismissal(self):
        for n, consultant in enumerate((self.c2, self.c3, self.c2)):
            self.customer.sudo().attribution_owner_id = self.c1
            self.wizard(self.manager, complaint="Complaint %s" % n,
                        new_user_id=consultant.id).action_reassign()
        self.assertEqual(self.c1.attribution_strike_count, 3)
        self.assertTrue(self.c1.attribution_dismissal_proposed)
        self.assertEqual(self.c1.attribution_dismissal_rule_code, "A12")

    def test_A13_abandon_customer_class_a(self):
        visit = self.env["attribution.visit"].create({
            "partner_id": self.customer.id, "team_id": self.team.id,
            "receiver_id": self.c3.id, "asked_prior_visit": True})
        Abandon = self.env["attribution.abandon.wizard"]
        ctx = {"active_model": "attribution.visit", "active_id": visit.id}
        wizard = Abandon.sudo(self.manager).with_context(ctx).create(
            {"description": "Left the customer to hand out cards at the door."})
        self.assertEqual(wizard.user_id, self.c3, "the receiver by default")
        wizard.action_report()
        violation = self.Violation.search([("user_id", "=", self.c3.id)])
        self.assertEqual(
            (violation.category, violation.fault_class, violation.rule_code),
            ("abandon_customer", "a", "A13"))
        self.assertEqual(violation.source_ref, "attribution.visit,%s" % visit.id)
        # reported twice: still one violation
        Abandon.sudo(self.manager).with_context(ctx).create(
            {"description": "Again."}).action_report()
        self.assertEqual(self.Violation.search_count([("user_id", "=", self.c3.id)]), 1)
        # another offender chosen by the manager
        Abandon.sudo(self.manager).with_context(ctx).create(
            {"description": "Zhao's colleague too.", "user_id": self.c2.id}
        ).action_report()
        self.assertEqual(self.Violation.search_count([("user_id", "=", self.c2.id)]), 1)

    def test_A13_consultant_cannot_report(self):
        visit = self.env["attribution.visit"].create({
            "partner_id": self.customer.id, "team_id": self.team.id,
            "receiver_id": self.c3.id, "asked_prior_visit": True})
        wizard = self.env["attribution.abandon.wizard"].sudo(self.c1).create({
            "visit_id": visit.id, "user_id": self.c3.id, "description": "Saw it."})
        with self.assertRaises(AccessError):
            wizard.action_report()
        self.assertFalse(self.Violation.search([("user_id", "=", self.c3.id)]))
