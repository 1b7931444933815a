"""离职交接 (H1): the manager hands a departed consultant's work over."""
from odoo.exceptions import AccessError, UserError

from .common import AttributionCase


class TestHandover(AttributionCase):

    def wizard(self, user, successors=None, as_user=None):
        Wizard = self.env["attribution.handover.wizard"].sudo(as_user or self.manager)
        return Wizard.create({
            "user_id": user.id, "team_id": self.team.id,
            "successor_ids": [(6, 0, (successors or self.env["res.users"]).ids)]})

    def owned(self, user):
        return self.env["res.partner"].search_count(
            [("attribution_owner_id", "=", user.id)])

    def test_H1_200_customers_two_successors_get_100_each(self):
        Partner = self.env["res.partner"]
        customers = Partner.browse([Partner.create({
            "name": "客户%03d" % i, "customer": True,
            "attribution_owner_id": self.liu.id}).id for i in range(200)])
        self.liu.active = False
        self.assertTrue(self.wizard(self.liu, self.zhang | self.li).action_apply())
        self.assertEqual(self.owned(self.liu), 0)
        for user in (self.zhang, self.li):
            got = len(customers.filtered(lambda c: c.attribution_owner_id == user))
            self.assertLessEqual(abs(got - 100), 1, user.name)
        decisions = self.env["attribution.decision"].search(
            [("partner_id", "in", customers.ids)])
        self.assertEqual(len(decisions), 200)
        self.assertEqual(set(decisions.mapped("rule_code")), {"H1"})
        self.assertEqual(decisions.mapped("previous_owner_id"), self.liu)
        self.assertIn("刘洋已离职", decisions[0].explanation_zh)
        self.assertIn("has left", decisions[0].explanation_en)

    def test_H1_empty_successors_even_over_present_rotation(self):
        customers = [self.customer("客户%s" % i, owner=self.chen) for i in range(6)]
        self.absent(self.wang, self.liu)
        self.wizard(self.chen).action_apply()
        owners = [c.attribution_owner_id for c in customers]
        self.assertEqual(sorted(o.id for o in owners),
                         sorted((self.zhang | self.li).ids * 3))

    def test_H1_leads_claims_followers_moved_won_splits_untouched(self):
        customer = self.customer("交接客户", owner=self.liu)
        open_lead = self.open_lead(customer, self.liu)
        stray = self.open_lead(self.customer("他人客户", owner=self.li), self.liu)
        won = self.won_lead(customer, self.liu, 5)
        won.action_compute_splits()
        splits = [(ln.user_id, ln.performance_share, ln.bonus_share)
                  for ln in won.split_line_ids]
        self.assertTrue(splits)
        other = self.customer("撞单客户", owner=self.wang)
        conflict = self.env["attribution.conflict"].create({
            "partner_id": other.id, "team_id": self.team.id,
            "claimant_ids": [(6, 0, (self.liu | self.wang).ids)],
            "proposed_owner_id": self.liu.id})
        customer.message_subscribe(partner_ids=self.liu.partner_id.ids)
        self.wizard(self.liu, self.zhang).action_apply()
        self.assertEqual(customer.attribution_owner_id, self.zhang)
        self.assertEqual(open_lead.user_id, self.zhang)
        self.assertEqual(stray.user_id, self.zhang)
        self.assertEqual(won.user_id, self.liu, "won deals stay as they were")
        self.assertEqual([(ln.user_id, ln.performance_share, ln.bonus_share)
                          for ln in won.split_line_ids], splits)
        self.assertEqual(conflict.claimant_ids, self.zhang | self.wang)
        self.assertEqual(conflict.proposed_owner_id, self.zhang)
        followers = customer.message_follower_ids.mapped("partner_id")
        self.assertIn(self.zhang.partner_id, followers)
        self.assertNotIn(self.liu.partner_id, followers)

    def test_H1_consultant_cannot_hand_over(self):
        self.customer("客户", owner=self.liu)
        with self.assertRaises(AccessError):
            self.wizard(self.liu, self.zhang, as_user=self.zhang).action_apply()
        self.assertEqual(self.owned(self.liu), 1)

    def test_H1_departed_successor_refused(self):
        self.customer("客户", owner=self.liu)
        self.li.active = False
        with self.assertRaises(UserError):
            self.wizard(self.liu, self.li).action_apply()

    def test_H1_nobody_present(self):
        self.customer("客户", owner=self.liu)
        self.absent(*self.consultants)
        with self.assertRaises(UserError):
            self.wizard(self.liu).action_apply()

    def test_H1_revisit_after_handover_stays_with_the_successor(self):
        first = self.register(phone=self.phone(), receiver_id=self.liu.id,
                              visit_datetime=self.ago(10))
        self.liu.active = False
        self.wizard(self.liu, self.wang).action_apply()
        again = self.register(partner_id=first.partner_id.id, receiver_id=self.wang.id,
                              visit_datetime=self.ago(1))
        self.assertEqual((again.rule_code, again.owner_id), ("H1", self.wang))
        self.assertFalse(self.conflicts(first.partner_id))
