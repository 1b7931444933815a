"""What a guest receives (issue 15): one thank-you letter per absentee (point 1),
messages to each attendee of a company's seats (point 3), postponed events and late
registrations (point 6). Through the real models and the scheduled action's entry
point (``event.registration._cron_attribution_messages``)."""
import datetime

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests.common import SavepointCase

from ..models.event_registration import TextMemo
from .event_common import DATE_BEGIN, DATE_END, build_office, expected_text, utc

#: the event moved a week later: 16-17 May 2036
WEEK = datetime.timedelta(days=7)


class EventLetterCase(SavepointCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        office = build_office(cls.env, prefix="letters_")
        cls.consultant = office["consultant"]
        cls.event = office["event"]
        cls.regs = office["regs"]
        cls.Reg = cls.env["event.registration"]

    def run_cron(self, now):
        return self.Reg._cron_attribution_messages(now=now)

    def mails(self, reg):
        return self.env["mail.mail"].search([
            ("model", "=", "event.registration"), ("res_id", "=", reg.id)], order="id")

    def sms(self, reg, code=None):
        domain = [("registration_id", "=", reg.id)]
        if code:
            domain.append(("code", "=", code))
        return self.env["attribution.sms.message"].search(domain, order="id")

    def logs(self, reg, code=None, state="sent"):
        domain = [("registration_id", "=", reg.id), ("state", "=", state)]
        if code:
            domain.append(("code", "=", code))
        return self.env["attribution.message.log"].search(domain, order="id")

    def calls(self, reg):
        return self.env["mail.activity"].search([
            ("res_model", "=", "event.registration"), ("res_id", "=", reg.id)],
            order="id")


class TestOneLetterPerAbsentee(EventLetterCase):
    """Point 1: the event's letter, once, to confirmed absentees only."""

    def _after_event(self):
        for key in ("service", "agency"):
            self.regs[key].write({"state": "done"})
        self.regs["fmcg"].write({"state": "draft"})
        self.regs["industrial"].gift_description = "紫砂茶具"
        return self.run_cron(utc(10, 18))

    def test_E4_default_one_letter_with_gift_and_survey(self):
        self.assertEqual(self.event.thanks_letter, "gift_survey")
        result = self._after_event()
        absent = ("industrial", "generic", "sms_only")
        self.assertEqual(sorted(result["sent"]),
                         sorted((self.regs[k].id, "E4") for k in absent))
        reg = self.regs["industrial"]
        letters = [m for m in self.mails(reg) if "感谢函" in (m.subject or "")]
        self.assertEqual(len(letters), 1)
        body = letters[0].body_html
        for phrase in ("精美礼品(紫砂茶具)", "您是否对家庭投资理财有足够的了解?",
                       "您的家庭成员目前谁拥有养老规划?", "陈卫是我公司优秀的业务代表"):
            self.assertIn(phrase, body)
        self.assertEqual(body.count("尊敬的"), 1)
        # the SMS announces the letter and the gift; it is not the letter
        sms = self.sms(reg)
        self.assertEqual(len(sms), 1)
        self.assertEqual(sms.body, "赵总您好!您未能出席薪酬绩效论坛,感谢函和一份礼品将随后送到"
                                   "您府上,请留意查收。%s陈卫" % self.event.company_id.name)
        self.assertNotIn("□", self.sms(self.regs["sms_only"]).body)
        # attendees, unconfirmed and cancelled registrations: nothing
        for key in ("service", "agency", "fmcg", "cancelled"):
            self.assertFalse(self.logs(self.regs[key], "E4"), key)
            self.assertFalse([m for m in self.mails(self.regs[key])
                              if "感谢函" in (m.subject or "")], key)
        skipped = {(r, c): reason for r, c, reason in result["skipped"]}
        self.assertEqual(skipped[(self.regs["fmcg"].id, "E4")],
                         "the registration is not confirmed")

    def test_E5_survey_letter_alone(self):
        self.event.thanks_letter = "survey"
        self._after_event()
        reg = self.regs["generic"]
        letters = [m for m in self.mails(reg) if "感谢函" in (m.subject or "")]
        self.assertEqual(len(letters), 1)
        self.assertIn("养老规划", letters[0].body_html)
        self.assertNotIn("精美礼品", letters[0].body_html)
        self.assertEqual(self.logs(reg).mapped("code"), ["E5"])
        self.assertNotIn("礼品", self.sms(self.regs["sms_only"]).body)

    def test_E4_gift_letter_alone_without_survey(self):
        self.event.thanks_letter = "gift"
        self._after_event()
        reg = self.regs["industrial"]
        letters = [m for m in self.mails(reg) if "感谢函" in (m.subject or "")]
        self.assertEqual(len(letters), 1)
        self.assertIn("精美礼品", letters[0].body_html)
        self.assertNotIn("养老规划", letters[0].body_html)

    def test_E4_changing_the_letter_afterwards_sends_no_second(self):
        self._after_event()
        self.event.thanks_letter = "survey"
        self.assertEqual(self.run_cron(utc(11, 10))["sent"], [])
        for key in ("industrial", "generic", "sms_only"):
            self.assertEqual(self.logs(self.regs[key]).mapped("code"), ["E4"], key)

    def test_E5_survey_answers_still_recorded_on_the_registration(self):
        self._after_event()
        reg = self.regs["industrial"]
        self.env["event.gift.wizard"].create({
            "registration_id": reg.id, "gift_description": "紫砂茶具",
            "gift_signed_date": "2036-05-12", "survey_knows_planning": "yes",
            "survey_pension_holder": "husband", "survey_suggestion": "周末办"
        }).action_save()
        self.assertEqual((reg.survey_knows_planning, reg.survey_pension_holder,
                          reg.survey_suggestion), ("yes", "husband", "周末办"))

    def test_E4_letter_choice_is_validated(self):
        with self.assertRaises(ValueError):
            self.event.thanks_letter = "both"


class TestAttendeeContacts(EventLetterCase):
    """Point 3: a company books seats: each attendee written to and greeted."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.company = Partner.create({
            "name": "深圳市阳光置业有限公司", "is_company": True,
            "email": "office@sun.example", "mobile": "13800000099"})
        cls.ouyang = Partner.create({
            "name": "欧阳娜娜", "parent_id": cls.company.id, "email": "oy@sun.example",
            "mobile": "13700000001", "attribution_salutation": "欧阳董"})
        Reg = cls.env["event.registration"].with_context(
            registration_force_draft=True)
        cls.seats = Reg.browse()
        for name, email, phone in (("王德明", "wang@sun.example", "139-1111-2222"),
                                   ("李娜", "li@sun.example", False),
                                   ("欧阳娜娜", "oy@sun.example", False)):
            cls.seats |= Reg.create({
                "event_id": cls.event.id, "partner_id": cls.company.id, "name": name,
                "email": email, "phone": phone,
                "attribution_user_id": cls.consultant.id})
        cls.seats.write({"state": "open"})

    def test_E1_one_message_per_attendee_to_that_attendee(self):
        now = utc(7, 10)
        result = self.run_cron(now)
        self.assertEqual(sorted(r for r, c in result["sent"] if r in self.seats.ids),
                         sorted(self.seats.ids))
        wang, li, ouyang = self.seats
        expected = {wang: ("wang@sun.example", "深圳市阳光置业有限公司王总晚上好!",
                           "13911112222"),
                    li: ("li@sun.example", "深圳市阳光置业有限公司李总晚上好!",
                         "13800000099"),
                    ouyang: ("oy@sun.example", "深圳市阳光置业有限公司欧阳董晚上好!",
                             "13700000001")}
        for reg, (email, greeting, mobile) in expected.items():
            mail = self.mails(reg)
            self.assertEqual(len(mail), 1, reg.name)
            self.assertEqual(mail.email_to, email)
            self.assertIn(greeting, mail.body_html)
            self.assertNotIn("有限公司总", mail.body_html)
            self.assertEqual(self.sms(reg).number, mobile)
            self.assertTrue(expected_text(reg, "E1", now).startswith(greeting))
        self.assertNotIn("office@sun.example",
                         self.env["mail.mail"].search([
                             ("model", "=", "event.registration"),
                             ("res_id", "in", self.seats.ids)]).mapped("email_to"))

    def test_E1_batch_facts_are_the_ones_read_record_by_record(self):
        """The cron reads the addressees of a batch in a few queries
        (``_attribution_load_addressees``): each is the one the ORM works out for
        the registration alone (seats of a company, its contacts, inactive and
        company contacts left out, titles, a person of a company, no partner)."""
        Partner = self.env["res.partner"]
        madam = self.env.ref("base.res_partner_title_madam")
        Partner.create({"name": "王德明", "parent_id": self.company.id,
                        "email": "old@sun.example", "active": False})
        Partner.create({"name": "李娜", "parent_id": self.company.id,
                        "is_company": True, "email": "li-co@sun.example"})
        lina = Partner.create({"name": "李娜", "parent_id": self.company.id,
                               "title": madam.id, "mobile": "13600000002"})
        person = Partner.create({"name": "赵敏", "parent_id": self.company.id,
                                 "title": madam.id, "phone": "010-8888 6666"})
        Reg = self.Reg.with_context(registration_force_draft=True)
        extra = Reg.create({"event_id": self.event.id, "partner_id": person.id,
                            "attribution_user_id": self.consultant.id})
        extra |= Reg.create({"event_id": self.event.id, "name": "无名客",
                             "email": "walkin@example.invalid"})
        regs = self.seats | extra | self.Reg.browse(
            [reg.id for reg in self.regs.values()])
        memo = TextMemo()
        batch = regs.with_context(attribution_text_memo=memo)
        before = self.cr.sql_log_count
        batch._attribution_load_addressees()
        self.assertLessEqual(self.cr.sql_log_count - before, 4)
        self.env["res.partner"].invalidate_cache()
        for reg in regs:
            self.assertEqual(memo.shared[("addressee", reg.id)],
                             reg._attribution_addressee(), reg.name)
        self.assertEqual(memo.shared[("addressee", self.seats[1].id)].mobile,
                         lina.mobile)
        self.assertEqual(memo.shared[("addressee", extra[0].id)].salutation, "赵女士")

    def test_E4_letter_and_receipt_name_the_attendee_and_the_company(self):
        wang = self.seats[0]
        wang.gift_description = "茶具"
        text = expected_text(wang, "E4", utc(10, 18))
        self.assertTrue(text.startswith("感谢函\n尊敬的深圳市阳光置业有限公司王总:"), text)
        receipt = wang.with_context(attribution_now="2036-05-10 10:00:00")
        self.assertIn("客户:王德明", "\n".join(receipt.attribution_receipt_lines()))

    def test_E1_person_booking_for_someone_else_greets_the_guest(self):
        reg = self.regs["generic"]
        reg.write({"name": "陈刚", "email": "chen@example.invalid"})
        text = expected_text(reg, "E1", utc(7, 10))
        self.assertTrue(text.startswith("陈总晚上好!"), text)
        self.assertEqual(reg.attribution_email(), "chen@example.invalid")


class TestPostponedEvent(EventLetterCase):
    """Point 6: moved after the confirmation: a call to re-confirm, one E1R, E2/E3
    on the new date; a late registration gets E1 at once."""

    def _postpone(self):
        self.event.write({
            "date_begin": fields.Datetime.to_string(DATE_BEGIN + WEEK),
            "date_end": fields.Datetime.to_string(DATE_END + WEEK)})

    def test_E1_postponed_after_E1_reconfirmed_once(self):
        self.run_cron(utc(7, 10))
        reg = self.regs["service"]
        old = fields.Datetime.to_string(DATE_BEGIN)
        self.assertEqual(self.logs(reg, "E1").event_date, old)
        self._postpone()
        # the consultant is asked to re-confirm by phone, once per guest told
        calls = self.calls(reg)
        self.assertEqual(len(calls), 1)
        self.assertEqual(calls.user_id, self.consultant)
        self.assertEqual(calls.activity_type_id,
                         self.env.ref("mail.mail_activity_data_call"))
        self.assertIn("2036年5月9日", calls.note)
        self.assertIn("2036年5月16日", calls.note)
        self.assertFalse(self.calls(self.regs["cancelled"]))
        self.assertFalse(self.calls(self.regs["no_contact"]), "it had no E1")
        # the E1 log keeps the date it announced
        self.assertEqual(self.logs(reg, "E1").event_date, old)
        # the re-confirmation goes out once, with 改期 and the new date
        now = utc(8, 12)
        result = self.run_cron(now)
        sendable = ("service", "agency", "fmcg", "industrial", "generic", "sms_only")
        self.assertEqual(sorted(result["sent"]),
                         sorted((self.regs[k].id, "E1R") for k in sendable))
        mail = self.mails(reg)[-1]
        self.assertIn("改期", mail.subject)
        self.assertIn("薪酬绩效论坛因故改期,新的日期为2036年5月16日。", mail.body_html)
        self.assertIn("16-17号举办薪酬绩效论坛", mail.body_html)
        self.assertIn("改期", self.sms(reg, "E1R").body)
        self.assertEqual(self.logs(reg, "E1R").event_date,
                         fields.Datetime.to_string(DATE_BEGIN + WEEK))
        self.assertEqual(self.run_cron(utc(8, 13))["sent"], [])
        self.assertEqual(len(self.logs(reg, "E1R")), 1)

    def test_E2_E3_follow_the_new_date_only(self):
        self.run_cron(utc(7, 10))
        self._postpone()
        self.run_cron(utc(8, 12))  # E1R
        reg = self.regs["service"]
        # the old evening before and the old event day send nothing
        for now in (utc(8, 18, 30), utc(9, 0, 30), utc(9, 11)):
            self.assertEqual(self.run_cron(now)["sent"], [], now)
        self.assertFalse(self.logs(reg, "E2"))
        self.assertFalse(reg.call_activity_id)
        codes = {c for r, c in self.run_cron(utc(15, 18, 30))["sent"] if r == reg.id}
        self.assertEqual(codes, {"E2"})
        codes = {c for r, c in self.run_cron(utc(16, 0, 30))["sent"] if r == reg.id}
        self.assertEqual(codes, {"E3"})
        self.assertEqual(reg.call_activity_id.date_deadline, "2036-05-16")

    def test_E2_sent_for_the_old_date_goes_again_for_the_new_one(self):
        """E2 went out on the old eve, then the event moved a week: the guest gets
        E2 again on the new eve (not before), once; the first E2 keeps its date."""
        old = fields.Datetime.to_string(DATE_BEGIN)
        new = fields.Datetime.to_string(DATE_BEGIN + WEEK)
        reg = self.regs["service"]
        self.assertEqual({c for r, c in self.run_cron(utc(8, 18, 30))["sent"]
                          if r == reg.id}, {"E1", "E2"})
        self._postpone()
        # the re-confirmation now; E2 waits for the new eve
        for now in (utc(8, 19), utc(12, 10), utc(15, 17, 59)):
            self.assertNotIn("E2", {c for r, c in self.run_cron(now)["sent"]}, now)
        sendable = ("service", "agency", "fmcg", "industrial", "generic", "sms_only")
        self.assertEqual(sorted(self.run_cron(utc(15, 18, 30))["sent"]),
                         sorted((self.regs[k].id, "E2") for k in sendable))
        self.assertEqual(self.run_cron(utc(15, 20))["sent"], [])
        logs = self.logs(reg, "E2")
        self.assertEqual(sorted(logs.mapped("event_date")), [old, new])
        self.assertEqual(sorted(logs.mapped("claim_key")), [old, new])
        texts = self.sms(reg, "E2").mapped("body")
        self.assertEqual(len(texts), 2)
        self.assertEqual(len(logs.mapped("mail_id")), 2)
        self.assertEqual(reg.logistics_sent_date,
                         fields.Datetime.to_string(utc(15, 18, 30)))

    def test_E3_call_made_before_the_postponement_is_made_again(self):
        """The E3 call of the old day was made (done), then the event moved: the
        consultant gets a new E3 call on the new day, once."""
        reg = self.regs["service"]
        self.run_cron(utc(9, 0, 30))  # E1, E2, E3 of the old event day
        first = reg.call_activity_id
        self.assertEqual(first.date_deadline, "2036-05-09")
        first.action_done()
        self.assertFalse(reg.call_activity_id)
        self._postpone()
        self.assertEqual({c for r, c in self.run_cron(utc(15, 18, 30))["sent"]
                          if r == reg.id}, {"E1R", "E2"})
        self.assertEqual({c for r, c in self.run_cron(utc(16, 0, 30))["sent"]
                          if r == reg.id}, {"E3"})
        self.assertEqual(reg.call_activity_id.date_deadline, "2036-05-16")
        self.assertEqual(self.run_cron(utc(16, 1))["sent"], [])
        self.assertEqual(len(self.logs(reg, "E3")), 2)

    def test_E1_unknown_message_code_is_refused_in_words(self):
        # attribution_text is public (the templates call it): reachable over XML-RPC
        reg = self.regs["service"]
        with self.assertRaises(UserError):
            reg.attribution_text("E9")
        with self.assertRaises(UserError):
            reg.attribution_lines("")
        self.assertTrue(reg.attribution_text("E2"))

    def test_E3_pending_call_moves_with_the_event(self):
        self.run_cron(utc(9, 0, 30))  # E1, E2, E3 of the event day
        reg = self.regs["service"]
        self.assertEqual(reg.call_activity_id.date_deadline, "2036-05-09")
        self._postpone()
        self.assertEqual(reg.call_activity_id.date_deadline, "2036-05-16")
        # on the new day the re-confirmation and the new eve's E2 are due, no
        # second call: the moved one is the new day's
        self.assertEqual({c for r, c in self.run_cron(utc(16, 0, 30))["sent"]},
                         {"E1R", "E2"})
        self.assertEqual(len(self.logs(reg, "E3")), 1)
        self.assertEqual(self.logs(reg, "E3").claim_key,
                         fields.Datetime.to_string(DATE_BEGIN + WEEK))

    def test_E1_moved_before_any_confirmation_is_plain(self):
        self._postpone()
        self.assertFalse(self.calls(self.regs["service"]))
        result = self.run_cron(utc(14, 10))
        self.assertEqual({c for r, c in result["sent"]}, {"E1"})
        reg = self.regs["service"]
        self.assertNotIn("改期", self.mails(reg).body_html)
        self.assertEqual(self.logs(reg, "E1").event_date,
                         fields.Datetime.to_string(DATE_BEGIN + WEEK))

    def test_E1_late_registration_confirmed_at_once(self):
        now = utc(8, 20)  # the eve: the E1 window opened yesterday
        self.event.write({"auto_confirm": True, "state": "confirm"})
        partner = self.env["res.partner"].create(
            {"name": "钱多多", "email": "qian@example.invalid"})
        Reg = self.Reg.with_context(attribution_now=fields.Datetime.to_string(now))
        reg = Reg.create({"event_id": self.event.id, "partner_id": partner.id,
                          "name": "钱多多", "email": "qian@example.invalid",
                          "attribution_user_id": self.consultant.id})
        self.assertEqual(reg.state, "open")
        log = self.logs(reg, "E1")
        self.assertEqual(len(log), 1)
        self.assertTrue(log.late)
        mail = self.mails(reg)
        self.assertEqual(len(mail), 1)
        self.assertIn("距薪酬绩效论坛只有1天时间", mail.body_html)
        self.assertEqual(mail.email_to, "qian@example.invalid")
        # the cron sends no second one
        self.assertNotIn((reg.id, "E1"), self.run_cron(utc(8, 21))["sent"])
        self.assertEqual(len(self.mails(reg).filtered(
            lambda m: "参会确认" in (m.subject or ""))), 1)

    def test_E1_late_confirmation_of_a_draft(self):
        now = fields.Datetime.to_string(utc(8, 9))
        reg = self.regs["generic"]
        reg.write({"state": "draft"})
        self.assertFalse(self.logs(reg, "E1"))
        reg.with_context(attribution_now=now).confirm_registration()
        self.assertTrue(self.logs(reg, "E1").late)
        # before the window: nothing at once, the cron sends it in time
        early = self.regs["sms_only"]
        early.write({"state": "draft"})
        early.with_context(attribution_now=fields.Datetime.to_string(
            utc(6, 10))).confirm_registration()
        self.assertFalse(self.logs(early, "E1"))
