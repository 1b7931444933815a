"""Careless data under the event messages (E1-E5): guests and events with fields
missing, numbers that are not numbers. The cron never fails on them: what can be sent
is sent without "False"/"None" holes in the text, what cannot is skipped with a reason;
what a user types wrong is refused in words and leaves nothing saved."""
from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests.common import SavepointCase

from .event_common import build_office, utc

HOLES = ("False", "None", "${", "%s")


class TestBadInputEventTemplates(SavepointCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        office = build_office(cls.env, prefix="bad_input_")
        cls.consultant = office["consultant"]
        # the same event with every logistics field left empty
        cls.event = office["event"].copy({
            "name": "空白论坛", "venue_directions": False, "greeter_note": False,
            "signin_location": False, "parking_note": False, "event_mail_ids": []})
        Partner = cls.env["res.partner"]
        Reg = cls.env["event.registration"].with_context(registration_force_draft=True)
        guests = {
            # a mobile with letters and no e-mail: no address at all
            "garbage_mobile": Partner.create({"name": "钱", "mobile": "138-oo13-8000"}),
            # a mobile only, no industry, no e-mail: generic wording by SMS
            "bare": Partner.create({"name": "冯", "mobile": "+86 １３９ ００１３ ９０００"}),
            # a landline only: no SMS possible, no e-mail
            "landline": Partner.create({"name": "陈", "phone": "010-8888 6666"}),
        }
        cls.regs = {}
        for key, partner in guests.items():
            reg = Reg.create({"event_id": cls.event.id, "partner_id": partner.id,
                              "name": partner.name, "email": False, "phone": False,
                              "attribution_user_id": cls.consultant.id})
            reg.write({"state": "open"})
            cls.regs[key] = reg
        cls.Reg = cls.env["event.registration"]

    def sms(self, reg):
        return self.env["attribution.sms.message"].search(
            [("registration_id", "=", reg.id)], order="id")

    def test_E1_guests_without_usable_address_skipped_with_reason(self):
        result = self.Reg._cron_attribution_messages(now=utc(7, 10))
        skipped = {(r, c) for r, c, _reason in result["skipped"]}
        for key in ("garbage_mobile", "landline"):
            self.assertIn((self.regs[key].id, "E1"), skipped, key)
            self.assertFalse(self.sms(self.regs[key]))
        reasons = [reason for _r, _c, reason in result["skipped"]]
        self.assertTrue(all(reasons), "a skip without a reason")

    def test_E1_bare_guest_gets_generic_sms_without_holes(self):
        result = self.Reg._cron_attribution_messages(now=utc(7, 10))
        reg = self.regs["bare"]
        self.assertIn((reg.id, "E1"), result["sent"])
        sms = self.sms(reg)
        self.assertEqual(sms.number, "13900139000")  # full-width and +86 read
        for hole in HOLES:
            self.assertNotIn(hole, sms.body)

    def test_E2_logistics_with_empty_event_fields_has_no_holes(self):
        self.Reg._cron_attribution_messages(now=utc(7, 10))
        result = self.Reg._cron_attribution_messages(now=utc(8, 18, 30))
        reg = self.regs["bare"]
        self.assertIn((reg.id, "E2"), result["sent"])
        body = self.sms(reg).filtered(lambda s: s.code == "E2").body
        self.assertTrue(body)
        for hole in HOLES:
            self.assertNotIn(hole, body)

    def test_E_cron_twice_sends_nothing_more(self):
        now = utc(7, 10)
        self.Reg._cron_attribution_messages(now=now)
        self.assertEqual(self.Reg._cron_attribution_messages(now=now)["sent"], [])

    def test_bad_input_seats_reserved_negative_refused(self):
        reg = self.regs["bare"]
        before = reg.seats_reserved
        with self.assertRaises(ValidationError) as caught, self.env.cr.savepoint():
            reg.write({"seats_reserved": -2})
        self.env.clear()
        self.assertIn("cannot be negative", caught.exception.name)
        self.assertEqual(reg.seats_reserved, before)

    def test_bad_input_survey_answer_unknown_refused(self):
        with self.assertRaises(ValidationError) as caught, self.env.cr.savepoint():
            self.regs["bare"].write({"survey_pension_holder": "grandma"})
        self.env.clear()
        self.assertIn("not a valid value", caught.exception.name)
        self.assertFalse(self.regs["bare"].survey_pension_holder)

    def test_bad_input_event_confirm_days_text_refused(self):
        with self.assertRaises(ValidationError) as caught, self.env.cr.savepoint():
            self.event.write({"confirm_days_before": "two"})
        self.env.clear()
        self.assertIn("not a valid value", caught.exception.name)
        self.assertEqual(self.event.confirm_days_before, 2)
        self.assertTrue(fields.Datetime.from_string(self.event.date_begin))
