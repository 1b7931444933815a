"""The rule book's situations replayed end to end at the desk: a family walking in
twice, a neighbour bringing a friend, two consultants claiming one buyer."""
from .common import AttributionCase


class TestSeedReplay(AttributionCase):

    def relate(self, partner, other, relation_type):
        return self.env["attribution.relation"].create({
            "partner_id": partner.id, "related_partner_id": other.id,
            "relation_type": relation_type})

    def test_B01_family_walking_in_twice(self):
        # the wife walks in: nobody claims her, the rotation serves 张伟 (A3)
        wife_visit = self.register(phone=self.phone(), partner_name="王太太",
                                   visit_datetime=self.ago(25))
        wife = wife_visit.partner_id
        self.assertEqual((wife_visit.rule_code, wife_visit.owner_id),
                         ("A3", self.zhang))
        # ten days later the husband comes alone; the desk records the marriage
        husband = self.customer("王先生")
        self.relate(husband, wife, "spouse")
        husband_visit = self.register(partner_id=husband.id,
                                      visit_datetime=self.ago(15))
        self.assertEqual((husband_visit.rule_code, husband_visit.owner_id),
                         ("B1", self.zhang))
        self.assertTrue(self.activities(husband_visit, self.manager))
        # both come back together; nobody recognises anybody, within 30 days (B6)
        joint = self.register(partner_id=wife.id, visit_datetime=self.ago(1),
                              companion_partner_ids=[(6, 0, husband.ids)])
        self.assertEqual((joint.rule_code, joint.owner_id), ("B6", self.zhang))
        # two units bought after the joint visit: one owner (A9 family)
        leads = self.open_lead(wife) | self.open_lead(wife)
        self.register(partner_id=wife.id, customer_recalls_consultant=True)
        self.assertEqual(leads.mapped("user_id"), self.zhang)
        self.assertFalse(self.conflicts(wife) | self.conflicts(husband))
        self.assertEqual(
            wife.attribution_decision_ids.mapped("rule_code"), ["A1", "B6", "A3"])

    def test_A04_neighbour_brings_a_friend(self):
        neighbour = self.register(phone=self.phone(), partner_name="邻居李",
                                  receiver_id=self.li.id,
                                  visit_datetime=self.ago(60)).partner_id
        self.won_lead(neighbour, self.li, 40)
        self.absent(self.li)
        friend_visit = self.register(phone=self.phone(), partner_name="邻居的朋友",
                                     kind="referral", brought_in_person=True,
                                     referrer_partner_ids=[(6, 0, neighbour.ids)],
                                     receiver_id=self.wang.id,
                                     visit_datetime=self.ago(10))
        self.assertEqual((friend_visit.rule_code, friend_visit.owner_id,
                          friend_visit.receiver_id), ("B4", self.li, self.wang))
        # brought in person: B4 decides, present or not; the cover still sees A4's
        # "do not leave your number" notice
        self.assertTrue(friend_visit.no_phone_notice)
        friend = friend_visit.partner_id
        self.assertEqual(friend.attribution_owner_id, self.li)
        self.assertFalse(self.conflicts(friend))
        # the friend comes back alone a week later, recognised by nobody (B6)
        self.rotation.member_ids.write({"present": True})
        again = self.register(partner_id=friend.id, visit_datetime=self.ago(3))
        self.assertEqual((again.rule_code, again.owner_id), ("B6", self.li))

    def test_A06_two_consultants_claim_one_buyer(self):
        first = self.register(phone=self.phone(), partner_name="孙女士",
                              receiver_id=self.zhang.id, visit_datetime=self.ago(12))
        buyer = first.partner_id
        lead = self.open_lead(buyer, self.zhang)
        # 李娜 receives her again without asking whether she had been here before
        second = self.register(partner_id=buyer.id, receiver_id=self.li.id,
                               asked_prior_visit=False,
                               customer_recalls_consultant=True,
                               visit_datetime=self.ago(2), desk=self.li)
        conflict = self.conflicts(buyer)
        self.assertEqual(len(conflict), 1)
        self.assertEqual(conflict.claimant_ids, self.zhang | self.li)
        self.assertEqual(conflict.proposed_owner_id, self.zhang)
        self.assertEqual(second.owner_id, self.zhang)
        self.assertTrue(self.env["attribution.violation"].search([
            ("user_id", "=", self.li.id), ("rule_code", "=", "A5")]))
        # they agree 张伟 keeps her; the manager approves
        conflict.sudo(self.li).write({"winner_id": self.zhang.id})
        conflict.sudo(self.li).action_agree()
        self.assertTrue(self.activities(conflict, self.manager))
        conflict.sudo(self.manager).action_accept()
        self.assertEqual((buyer.attribution_owner_id, lead.user_id),
                         (self.zhang, self.zhang))
        # the settled ruling decides every later visit, without a new conflict
        third = self.register(partner_id=buyer.id, receiver_id=self.li.id,
                              desk=self.li)
        self.assertEqual((third.rule_code, third.owner_id), ("A6", self.zhang))
        self.assertEqual(len(self.conflicts(buyer)), 1)
