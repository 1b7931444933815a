"""撞单 (A6/A7/A8): the conflict's state machine, who may press what, and the decision
log's immutability - run as the real users."""
from types import SimpleNamespace

from odoo.exceptions import AccessError, UserError

from ..attribution import terms
from .common import AttributionCase


class TestConflict(AttributionCase):

    def setUp(self):
        super().setUp()
        first = self.register(phone=self.phone(), receiver_id=self.zhang.id,
                              visit_datetime=self.ago(10))
        self.partner = first.partner_id
        self.register(partner_id=self.partner.id, receiver_id=self.li.id,
                      customer_recalls_consultant=True, visit_datetime=self.ago(1))
        self.conflict = self.conflicts(self.partner)
        self.assertEqual(len(self.conflict), 1)

    def as_(self, user):
        return self.conflict.sudo(user)

    def test_A06_agreement_needs_a_winner(self):
        with self.assertRaises(UserError):
            self.as_(self.li).action_agree()

    def test_A06_steps_only_from_their_states(self):
        with self.assertRaises(UserError):
            self.as_(self.manager).action_accept()
        with self.assertRaises(UserError):
            self.as_(self.manager).action_forfeit()

    def test_A06_consultant_cannot_rule(self):
        self.as_(self.li).write({"winner_id": self.li.id})
        with self.assertRaises(AccessError):
            self.as_(self.li).action_rule()
        self.assertEqual(self.conflict.state, "negotiation")

    def test_A06_consultant_cannot_change_a_ruling_or_shares(self):
        self.as_(self.manager).write({"winner_id": self.zhang.id})
        self.as_(self.manager).action_rule()
        with self.assertRaises(AccessError):
            self.as_(self.li).write({"winner_id": self.li.id})
        with self.assertRaises(AccessError):
            self.as_(self.li).write({"deliberate": True})
        with self.assertRaises(AccessError):
            self.as_(self.li).write({"share_line_ids": [(0, 0, {
                "user_id": self.li.id, "performance_share": 100, "bonus_share": 100})]})

    def test_A06_manager_rules_with_shares_that_sum_to_100(self):
        self.as_(self.manager).write({"winner_id": self.zhang.id, "share_line_ids": [
            (0, 0, {"user_id": self.zhang.id, "role": "owner", "performance_share": 60,
                    "bonus_share": 50}),
            (0, 0, {"user_id": self.li.id, "role": "co_owner", "performance_share": 30,
                    "bonus_share": 50})]})
        with self.assertRaises(UserError):
            self.as_(self.manager).action_rule()
        self.conflict.share_line_ids[1].performance_share = 40
        self.as_(self.manager).action_rule()
        self.assertEqual(self.conflict.state, "ruled")
        self.as_(self.li).action_accept()
        self.assertEqual(self.conflict.state, "accepted")
        self.assertEqual(self.partner.attribution_owner_id, self.zhang)

    def test_A07_claimant_escalates_manager_forfeits(self):
        self.as_(self.li).action_escalate()
        self.assertEqual(self.conflict.state, "escalated")
        with self.assertRaises(AccessError):
            self.as_(self.li).action_forfeit()
        self.as_(self.manager).action_forfeit()
        decision = self.conflict.decision_ids[:1]
        self.assertEqual((decision.rule_code, decision.owner_id.id), ("A7", False))
        self.assertEqual(decision.previous_owner_id, self.zhang)

    def test_A10_never_two_open_conflicts_for_one_customer(self):
        self.register(partner_id=self.partner.id, receiver_id=self.wang.id,
                      customer_recalls_consultant=True)
        self.register(partner_id=self.partner.id, receiver_id=self.li.id,
                      customer_recalls_consultant=True)
        self.assertEqual(len(self.conflicts(self.partner)), 1)
        self.assertEqual(self.partner.attribution_owner_id, self.zhang)

    # ---------------------------------------------- "open" (terms.OPEN) at the desk

    def bring_to(self, state):
        """Take the conflict to ``state`` through its buttons, as the office would."""
        steps = {
            "negotiation": [],
            "agreed": [(self.li, "action_agree")],
            "ruled": [(self.manager, "action_rule")],
            "escalated": [(self.li, "action_escalate")],
            "accepted": [(self.manager, "action_rule"), (self.li, "action_accept")],
            "forfeited": [(self.li, "action_escalate"),
                          (self.manager, "action_forfeit")],
        }[state]
        if state in ("agreed",):
            self.as_(self.li).write({"winner_id": self.zhang.id})
        elif steps:
            self.as_(self.manager).write({"winner_id": self.zhang.id})
        for user, button in steps:
            getattr(self.as_(user), button)()
        self.assertEqual(self.conflict.state, state)

    def collide(self):
        """A later collision on the customer (claimants 张伟 and 王芳) reaches the
        desk's conflict step (``_open_conflict``, as after a visit's decision)."""
        visit = self.partner.attribution_visit_ids.sorted("id")[-1]
        decision = SimpleNamespace(claimant_ids=[self.zhang.id, self.wang.id],
                                   owner_id=self.zhang.id, proposed_owner_id=None)
        visit._open_conflict(decision, visit.decision_id)
        return self.conflicts(self.partner)

    def check_joined(self, state):
        self.bring_to(state)
        self.assertIn(state, terms.OPEN)
        found = self.collide()
        self.assertEqual(found, self.conflict, "a second conflict beside a %s one"
                         % state)
        self.assertIn(self.wang, self.conflict.claimant_ids)

    def test_A10_collision_joins_a_conflict_in_negotiation(self):
        self.check_joined("negotiation")

    def test_A10_collision_joins_an_agreed_conflict(self):
        self.check_joined("agreed")

    def test_A10_collision_joins_a_ruled_conflict(self):
        self.check_joined("ruled")

    def test_A10_collision_joins_an_escalated_conflict(self):
        self.check_joined("escalated")

    def test_A10_accepted_conflict_is_closed_a_collision_opens_a_new_one(self):
        self.bring_to("accepted")
        self.assertIn("accepted", terms.FINAL)
        found = self.collide()
        self.assertEqual(len(found), 2)
        self.assertEqual((found - self.conflict).state, "negotiation")
        self.assertNotIn(self.wang, self.conflict.claimant_ids)

    def test_A06_open_filter_lists_what_waits_for_someone(self):
        self.bring_to("ruled")
        open_ = self.env["attribution.conflict"].search(
            [("partner_id", "=", self.partner.id), ("state", "in", terms.OPEN)])
        self.assertEqual(open_, self.conflict)

    def test_A08_poacher_defaults_to_the_loser_and_is_recorded_once(self):
        self.as_(self.manager).write({"winner_id": self.zhang.id})
        self.as_(self.manager).action_rule()
        self.as_(self.manager).write({"deliberate": True})
        self.as_(self.li).action_accept()
        violations = self.env["attribution.violation"].search([
            ("category", "=", "poaching")])
        self.assertEqual(violations.user_id, self.li)
        self.assertEqual(len(violations), 1)
        self.assertTrue(self.activities(self.conflict, self.manager))

    def test_A06_state_changes_only_through_the_buttons(self):
        for user in (self.li, self.manager):
            with self.assertRaises(AccessError):
                self.as_(user).write({"state": "accepted"})
        self.assertEqual(self.conflict.state, "negotiation")

    def test_A06_claimant_cannot_rewrite_what_the_manager_reads(self):
        # the project (whose ownership row the ruling writes, whose manager rules),
        # the proposal's reason, the visit and the reference are the rule book's
        other_project = self.env["crm.team"].create({"name": "案场 Elsewhere"})
        before = self.conflict.read(
            ["team_id", "proposal_reason", "visit_id", "name"])[0]
        for vals in ({"team_id": other_project.id},
                     {"proposal_reason": "A1: all agreed it is mine"},
                     {"visit_id": False}, {"name": "CF-0"}):
            with self.assertRaises(AccessError):
                self.as_(self.li).write(vals)
        self.assertEqual(self.conflict.read(
            ["team_id", "proposal_reason", "visit_id", "name"])[0], before)

    def test_A06_visit_owner_cannot_be_set_by_hand(self):
        visit = self.partner.attribution_visit_ids[:1]
        for user in (self.li, self.manager):
            with self.assertRaises(AccessError):
                visit.sudo(user).write({"owner_id": user.id})

    def test_decisions_are_append_only_even_for_a_manager(self):
        decision = self.partner.attribution_decision_ids[:1]
        for user in (self.manager, self.zhang):
            with self.assertRaises(AccessError):
                decision.sudo(user).write({"rule_code": "A3"})
            with self.assertRaises(AccessError):
                decision.sudo(user).unlink()

    def test_manager_reads_the_whole_history_with_reasons(self):
        decisions = self.partner.sudo(self.manager).attribution_decision_ids
        self.assertEqual(len(decisions), 2)
        self.assertTrue(all(decisions.mapped("explanation")))
        self.assertEqual(set(decisions.mapped("rule_code")), {"A5", "A1"})
        arch = self.env["res.partner"].sudo(self.manager).fields_view_get(
            view_type="form")["arch"]
        self.assertIn("attribution_decision_ids", arch)

    def test_consultant_sees_only_own_conflicts(self):
        self.assertTrue(self.conflict.sudo(self.li).read(["state"]))
        with self.assertRaises(AccessError):
            self.conflict.sudo(self.wang).read(["state"])
