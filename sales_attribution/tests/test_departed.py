"""Consultants who left (archived, or out of the sales groups) take no customer."""
from odoo.exceptions import ValidationError

from .common import AttributionCase


class TestDeparted(AttributionCase):

    def leave(self, user):
        user.active = False

    def member(self, user):
        return self.rotation.member_ids.filtered(lambda m: m.user_id == user)

    def test_departed_archived_skipped_by_the_rotation(self):
        self.leave(self.li)
        served = [self.register(phone=self.phone()).owner_id for _ in range(5)]
        self.assertNotIn(self.li, served)
        self.assertEqual(served[:2], [self.zhang, self.wang])
        member = self.member(self.li)
        self.assertTrue(member.is_departed)
        self.assertEqual(member.queue_position, 0)
        self.assertFalse(self.member(self.zhang).is_departed)

    def test_departed_groups_removed_skipped_by_the_rotation(self):
        self.li.groups_id = [(6, 0, self.env.ref("base.group_user").ids)]
        served = [self.register(phone=self.phone()).owner_id for _ in range(5)]
        self.assertNotIn(self.li, served)
        self.assertTrue(self.member(self.li).is_departed)

    def test_departed_named_A02_goes_to_the_rotation(self):
        self.leave(self.wang)
        visit = self.register(phone=self.phone(), requested_user_id=self.wang.id)
        self.assertEqual(visit.rule_code, "A2")
        self.assertEqual(visit.owner_id, self.zhang)  # the rotation's next
        self.assertIn("王芳已离职", visit.decision_id.explanation_zh)
        self.assertIn("has left", visit.decision_id.explanation_en)

    def test_departed_owner_revisit_goes_to_duty_H1(self):
        first = self.register(phone=self.phone(), receiver_id=self.liu.id,
                              visit_datetime=self.ago(10))
        self.leave(self.liu)
        again = self.register(partner_id=first.partner_id.id,
                              visit_datetime=self.ago(1))
        self.assertEqual(again.rule_code, "H1")
        self.assertEqual(again.owner_id, self.zhang)
        self.assertEqual(first.partner_id.attribution_owner_id, self.zhang)
        self.assertIn("刘洋已离职", again.decision_id.explanation_zh)
        self.assertFalse(self.conflicts(first.partner_id))

    def test_departed_referrer_consultant_B04_goes_to_the_rotation(self):
        old = self.customer("老客户", owner=self.chen)
        self.leave(self.chen)
        visit = self.register(desk=self.li, phone=self.phone(), kind="referral",
                              referrer_partner_ids=[(6, 0, old.ids)],
                              brought_in_person=True)
        self.assertEqual(visit.rule_code, "B4")
        self.assertNotEqual(visit.owner_id, self.chen)
        self.assertFalse(visit.no_phone_notice)
        self.assertIn("陈静已离职", visit.decision_id.explanation_zh)

    def test_departed_appointment_B3b_goes_to_the_rotation(self):
        self.leave(self.wang)
        visit = self.register(phone=self.phone(), kind="appointment",
                              appointment_user_id=self.wang.id,
                              requested_user_id=self.wang.id)
        self.assertEqual((visit.rule_code, visit.owner_id), ("B3b", self.zhang))

    def test_departed_never_chosen_by_A11(self):
        # 张伟 holds no developer customer, the others one each; he left
        for user in (self.li, self.wang, self.liu, self.chen):
            self.customer("发展商客户", owner=user, is_developer_related=True)
        self.leave(self.zhang)
        partner = self.customer("发展商新客户", is_developer_related=True,
                                developer_notice_date=self.date_ago(5))
        visit = self.register(partner_id=partner.id, receiver_id=self.li.id)
        self.assertEqual(visit.rule_code, "A11")
        self.assertNotEqual(visit.owner_id, self.zhang)
        self.assertTrue(visit.owner_id)

    def test_departed_cannot_be_the_receiver(self):
        self.leave(self.wang)
        with self.assertRaises(ValidationError):
            self.register(phone=self.phone(), receiver_id=self.wang.id)
