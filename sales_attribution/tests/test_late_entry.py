"""补登: a visit entered long after its time never beats the sheet kept at the desk."""
from datetime import datetime, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError

from .common import AttributionCase


class TestLateEntry(AttributionCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the office's rule (common.py widens it for the other tests' history)
        cls.env.user.company_id.attribution_late_entry_minutes = 30

    @staticmethod
    def minutes_ago(minutes):
        return fields.Datetime.to_string(
            datetime.utcnow() - timedelta(minutes=minutes))

    def late(self, desk=None, **vals):
        vals.setdefault("late_entry_reason", "前台当天漏登,经理补登")
        return self.register(desk=desk or self.manager, **vals)

    def test_late_entry_back_dated_does_not_take_the_customer(self):
        phone = self.phone()
        first = self.register(phone=phone, receiver_id=self.li.id)
        self.assertEqual(first.owner_id, self.li)
        back = self.late(phone=phone, receiver_id=self.zhang.id,
                         visit_datetime=self.ago(3))
        partner = first.partner_id
        self.assertEqual(back.partner_id, partner)
        self.assertTrue(back.is_late_entry)
        self.assertEqual(partner.attribution_owner_id, self.li, back.explanation)
        self.assertEqual(back.owner_id, self.li)
        self.assertEqual(back.rule_code, "A10")
        conflict = self.conflicts(partner)
        self.assertEqual(len(conflict), 1)
        self.assertEqual(conflict.proposed_owner_id, self.li)
        self.assertEqual(conflict.claimant_ids, self.li | self.zhang)
        decision = back.decision_id
        for text in (decision.explanation_zh, decision.explanation_en):
            self.assertNotIn("从未到访", text)
            self.assertNotIn("never visited", text)
        self.assertIn("补登", decision.explanation_zh)
        self.assertIn("late entry", decision.explanation_en)

    def test_late_entry_by_a_consultant_is_refused(self):
        phone = self.phone()
        partners = self.env["res.partner"].search_count([])
        with self.assertRaises(UserError) as caught:
            self.register(desk=self.zhang, phone=phone, partner_name="周先生",
                          receiver_id=self.zhang.id, visit_datetime=self.ago(3))
        self.assertIn("manager", caught.exception.name)
        self.assertEqual(self.env["res.partner"].search_count([]), partners)
        self.assertFalse(self.env["attribution.visit"].search([("phone", "=", phone)]))

    def test_late_entry_refusal_reads_in_chinese(self):
        self.env["res.lang"].load_lang("zh_CN")
        self.env["ir.translation"].load_module_terms(["sales_attribution"], ["zh_CN"])
        self.zhang.lang = "zh_CN"
        desk = self.env["attribution.visit"].sudo(self.zhang).with_context(
            lang="zh_CN")
        with self.assertRaises(UserError) as caught:
            desk.create({"phone": self.phone(), "team_id": self.team.id,
                         "asked_prior_visit": True, "visit_datetime": self.ago(3)})
        self.assertIn("补登须由经理办理", caught.exception.name)

    def test_late_entry_by_a_consultant_with_a_reason_is_refused(self):
        with self.assertRaises(UserError):
            self.register(desk=self.zhang, phone=self.phone(),
                          late_entry_reason="I forgot", visit_datetime=self.ago(1))

    def test_late_entry_by_a_manager_needs_a_reason(self):
        with self.assertRaises(UserError) as caught:
            self.register(desk=self.manager, phone=self.phone(),
                          receiver_id=self.li.id, visit_datetime=self.ago(2))
        self.assertIn("reason", caught.exception.name)
        with self.assertRaises(UserError):
            self.late(phone=self.phone(), receiver_id=self.li.id,
                      visit_datetime=self.ago(2), late_entry_reason="   ")

    def test_late_entry_within_the_window_is_in_time(self):
        visit = self.register(desk=self.zhang, phone=self.phone(),
                              receiver_id=self.zhang.id,
                              visit_datetime=self.minutes_ago(25))
        self.assertFalse(visit.is_late_entry)
        self.assertEqual(visit.owner_id, self.zhang)

    def test_late_entry_dated_before_a_colleagues_registration_in_the_window(self):
        # the desk registered 李娜's customer 5 minutes ago; 张伟 then enters the phone
        # dated 25 minutes ago (inside the window, no manager needed): dating it
        # first does not take the customer, the manager settles it (A10)
        phone = self.phone()
        first = self.register(phone=phone, receiver_id=self.li.id,
                              visit_datetime=self.minutes_ago(5))
        self.assertEqual(first.owner_id, self.li)
        back = self.register(desk=self.zhang, phone=phone, receiver_id=self.zhang.id,
                             visit_datetime=self.minutes_ago(25))
        partner = first.partner_id
        self.assertFalse(back.is_late_entry)
        self.assertEqual((back.rule_code, back.owner_id), ("A10", self.li))
        self.assertEqual(partner.attribution_owner_id, self.li)
        conflict = self.conflicts(partner)
        self.assertEqual(conflict.proposed_owner_id, self.li)
        self.assertEqual(conflict.claimant_ids, self.li | self.zhang)

    def test_late_entry_window_is_the_company_setting(self):
        self.env.user.company_id.attribution_late_entry_minutes = 10
        with self.assertRaises(UserError):
            self.register(desk=self.zhang, phone=self.phone(),
                          visit_datetime=self.minutes_ago(25))

    def test_late_entry_flag_cannot_be_forged(self):
        visit = self.late(phone=self.phone(), receiver_id=self.li.id,
                          visit_datetime=self.ago(2), is_late_entry=False)
        self.assertTrue(visit.is_late_entry)
        on_time = self.register(phone=self.phone(), is_late_entry=True,
                                receiver_id=self.li.id)
        self.assertFalse(on_time.is_late_entry)
        with self.assertRaises(AccessError):
            on_time.sudo(self.manager).write({"is_late_entry": True})

    def test_late_entry_of_a_new_customer_applies(self):
        visit = self.late(phone=self.phone(), receiver_id=self.wang.id,
                          visit_datetime=self.ago(2))
        self.assertEqual((visit.rule_code, visit.owner_id), ("A5", self.wang))
        self.assertFalse(self.conflicts(visit.partner_id))

    def test_late_entry_that_keeps_the_owner_opens_nothing(self):
        phone = self.phone()
        first = self.register(phone=phone, receiver_id=self.li.id)
        again = self.late(phone=phone, receiver_id=self.li.id,
                          visit_datetime=self.ago(1))
        self.assertEqual(again.owner_id, self.li)
        self.assertFalse(self.conflicts(first.partner_id))

    def test_late_entry_phone_only_customer_is_held(self):
        # 王芳's phone-only customer, last followed up 40 days ago; a late entry that
        # would lapse it (A14) does not move it
        partner = self.customer("电话客户", owner=self.wang,
                                last_followup_date=self.date_ago(40))
        visit = self.late(partner_id=partner.id, visit_datetime=self.ago(2))
        self.assertEqual((visit.rule_code, partner.attribution_owner_id),
                         ("A6", self.wang))
        self.assertEqual(self.conflicts(partner).proposed_owner_id, self.wang)
        self.assertIn("A14", visit.decision_id.explanation_en)
