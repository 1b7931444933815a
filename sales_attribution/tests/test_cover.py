"""The desk always records who receives: the duty consultant covers for an absent
named or original consultant (A2, A4, B3b, B4, B8)."""
from .common import AttributionCase


class TestCover(AttributionCase):

    def test_A02_cover_duty_consultant_recorded_and_told(self):
        self.absent(self.wang)
        pointer = self.rotation.last_sequence
        visit = self.register(phone=self.phone(), requested_user_id=self.wang.id)
        self.assertEqual(visit.rule_code, "A2")
        self.assertEqual(visit.owner_id, self.wang)
        self.assertEqual(visit.receiver_id, self.zhang)  # next present member
        self.assertEqual(visit.cover_user_id, self.zhang)
        self.assertTrue(self.activities(visit, self.zhang))
        self.assertFalse(self.conflicts(visit.partner_id))
        self.assertEqual(self.rotation.last_sequence, pointer, "covering is no turn")
        self.assertEqual(self.register(phone=self.phone()).owner_id, self.zhang)

    def test_A02_cover_uses_the_turn_when_the_office_says_so(self):
        self.env.user.company_id.attribution_cover_uses_turn = True
        self.absent(self.wang)
        visit = self.register(phone=self.phone(), requested_user_id=self.wang.id)
        self.assertEqual(visit.cover_user_id, self.zhang)
        self.assertEqual(self.register(phone=self.phone()).owner_id, self.li)

    def test_A02_cover_not_recorded_when_the_desk_named_the_receiver(self):
        self.absent(self.wang)
        visit = self.register(phone=self.phone(), requested_user_id=self.wang.id,
                              receiver_id=self.liu.id)
        self.assertEqual((visit.receiver_id, visit.cover_user_id),
                         (self.liu, self.env["res.users"]))

    def test_A04_cover_named_original_absent(self):
        old = self.customer("老客户", owner=self.wang)
        self.absent(self.wang)
        visit = self.register(phone=self.phone(), kind="referral",
                              referrer_partner_ids=[(6, 0, old.ids)],
                              requested_user_id=self.wang.id)
        self.assertEqual((visit.rule_code, visit.owner_id, visit.cover_user_id),
                         ("A4", self.wang, self.zhang))
        self.assertTrue(visit.no_phone_notice)
        activity = self.activities(visit, self.zhang)
        self.assertIn("phone number", activity.note)

    def test_B04_cover_brought_in_person_original_absent(self):
        old = self.customer("老客户", owner=self.wang)
        self.absent(self.wang)
        visit = self.register(phone=self.phone(), kind="referral",
                              referrer_partner_ids=[(6, 0, old.ids)],
                              brought_in_person=True)
        self.assertEqual((visit.rule_code, visit.owner_id, visit.cover_user_id),
                         ("B4", self.wang, self.zhang))
        self.assertTrue(visit.no_phone_notice)
        self.assertFalse(self.conflicts(visit.partner_id))

    def test_B3b_cover_appointment_user_absent(self):
        self.absent(self.liu)
        visit = self.register(phone=self.phone(), kind="appointment",
                              appointment_user_id=self.liu.id,
                              requested_user_id=self.liu.id)
        self.assertEqual((visit.rule_code, visit.owner_id, visit.cover_user_id),
                         ("B3b", self.liu, self.zhang))

    def test_B08_cover_owner_absent(self):
        first = self.customer("老客户甲", owner=self.wang)
        second = self.customer("老客户乙", owner=self.li)
        self.won_lead(first, self.wang, 100)
        self.won_lead(second, self.li, 50)
        self.absent(self.wang)
        visit = self.register(phone=self.phone(), kind="referral",
                              referrer_partner_ids=[(6, 0, (first | second).ids)],
                              brought_in_person=True)
        self.assertEqual((visit.rule_code, visit.owner_id, visit.cover_user_id),
                         ("B8", self.wang, self.zhang))

    def test_A02_cover_nobody_on_duty(self):
        self.absent(*self.consultants)
        visit = self.register(phone=self.phone(), requested_user_id=self.wang.id)
        self.assertEqual(visit.owner_id, self.wang)
        self.assertFalse(visit.cover_user_id)
