import datetime

from odoo import fields
from odoo.tests.common import SavepointCase

from .event_common import build_office, expected_text, html_lines, utc


class TestEventMessages(SavepointCase):
    """SPEC section 4: what the cron sends at each moment around the event."""

    @classmethod
    def setUpClass(cls):
        super(TestEventMessages, cls).setUpClass()
        office = build_office(cls.env)
        cls.consultant = office["consultant"]
        cls.event = office["event"]
        cls.regs = office["regs"]
        cls.Reg = cls.env["event.registration"]
        cls.company = cls.event.company_id.name

    # ------------------------------------------------------------------ helpers

    def mails(self, reg):
        return self.env["mail.mail"].search([
            ("model", "=", "event.registration"), ("res_id", "=", reg.id)], order="id")

    def logs(self, reg, state="sent"):
        return self.env["attribution.message.log"].search([
            ("registration_id", "=", reg.id), ("state", "=", state)], order="id")

    def sms(self, reg):
        return self.env["attribution.sms.message"].search(
            [("registration_id", "=", reg.id)], order="id")

    def run_cron(self, now):
        return self.Reg._cron_attribution_messages(now=now)

    def sent_codes(self, result):
        return sorted((r, c) for r, c in result["sent"])

    # ------------------------------------------------------------------ E1

    def test_E1_nothing_before_the_confirmation_day(self):
        result = self.run_cron(utc(7, 8))  # 08:00 local, two days before
        self.assertEqual(result["sent"], [])
        self.assertFalse(self.mails(self.regs["service"]))

    def test_E1_industry_wording_countdown_signature(self):
        now = utc(7, 10)  # 10:00 local on 7 May, the event starts on 9 May
        result = self.run_cron(now)
        sendable = ("service", "agency", "fmcg", "industrial", "generic", "sms_only")
        self.assertEqual(self.sent_codes(result),
                         sorted((self.regs[k].id, "E1") for k in sendable))
        seed = {
            "service": "服务业是最有希望的行业",
            "agency": "代理业是所有行业中压力最大的行业",
            "fmcg": "快速消费品是所有行业中竞争最剧烈的",
            "industrial": "工业品是人才流失最多的行业",
        }
        for key in ("service", "agency", "fmcg", "industrial", "generic"):
            reg = self.regs[key]
            mail = self.mails(reg)
            self.assertEqual(len(mail), 1, key)
            text = expected_text(reg, "E1", now)
            self.assertTrue(text.startswith("%s总晚上好!" % reg.partner_id.name))
            self.assertIn("9-10号举办薪酬绩效论坛,诚邀您莅临!", text)
            self.assertIn("距薪酬绩效论坛只有2天时间,请安排好行程!", text)
            self.assertTrue(text.endswith("%s陈卫" % self.company), text)
            for other, phrase in seed.items():
                if other == key:
                    self.assertIn(phrase, text)
                else:
                    self.assertNotIn(phrase, text)
            for line in html_lines(text):
                self.assertIn(line, mail.body_html)
            self.assertEqual(mail.email_to, reg.partner_id.email)
            self.assertEqual(mail.subject, "薪酬绩效论坛(9-10号)参会确认")
            self.assertEqual(reg.confirm_sent_date, fields.Datetime.to_string(now))
        # the mail template of each industry was used
        template = self.env.ref("sales_attribution.event_mail_template_e1_agency")
        self.assertIn("'agency'", template.body_html)
        # the SMS copy says the same, to the normalised mobile
        sms = self.sms(self.regs["service"])
        self.assertEqual(len(sms), 1)
        self.assertEqual(sms.body, expected_text(self.regs["service"], "E1", now))
        self.assertEqual(sms.number, "13800198000")
        self.assertEqual((sms.code, sms.state), ("E1", "queued"))
        self.assertFalse(self.sms(self.regs["generic"]), "no mobile, no SMS")
        # SMS only: no mail, an SMS, a note in the chatter
        reg = self.regs["sms_only"]
        self.assertFalse(self.mails(reg))
        self.assertEqual(self.sms(reg).number, "13700137000")
        self.assertTrue(reg.message_ids.filtered(
            lambda m: "SMS queued" in (m.body or "")))

    def test_E1_countdown_on_the_eve(self):
        """A guest confirmed late gets E1 with the countdown of that day."""
        self.regs["generic"].write({"state": "draft"})
        self.run_cron(utc(7, 10))
        self.assertFalse(self.mails(self.regs["generic"]))
        self.regs["generic"].write({"state": "open"})
        now = utc(8, 12)
        self.run_cron(now)
        mail = self.mails(self.regs["generic"])
        self.assertEqual(len(mail), 1)
        self.assertIn("距薪酬绩效论坛只有1天时间", mail.body_html)
        # the skip of the unconfirmed day became the send
        self.assertEqual(self.logs(self.regs["generic"]).mapped("code"), ["E1"])
        self.assertFalse(self.logs(self.regs["generic"], "skipped"))

    def test_E1_cancelled_and_no_address_skipped_and_listed(self):
        now = utc(7, 10)
        result = self.run_cron(now)
        skipped = {(r, c): reason for r, c, reason in result["skipped"]}
        self.assertEqual(skipped, {
            (self.regs["cancelled"].id, "E1"): "the registration is cancelled",
            (self.regs["no_contact"].id, "E1"):
                "the customer has neither e-mail nor mobile",
        })
        self.assertFalse(self.mails(self.regs["cancelled"]))
        self.assertFalse(self.mails(self.regs["no_contact"]))
        self.assertFalse(self.regs["cancelled"].confirm_sent_date)
        notes = self.event.message_ids.filtered(
            lambda m: "Guest messages skipped" in (m.body or ""))
        self.assertEqual(len(notes), 1)
        self.assertIn("郑", notes.body)
        self.assertIn("吴", notes.body)
        # a second run lists them again but does not repeat the chatter note
        result = self.run_cron(utc(7, 11))
        self.assertEqual(len(result["skipped"]), 2)
        self.assertEqual(result["sent"], [])
        notes = self.event.message_ids.filtered(
            lambda m: "Guest messages skipped" in (m.body or ""))
        self.assertEqual(len(notes), 1)

    def test_E1_sent_once_across_runs(self):
        self.run_cron(utc(7, 10))
        result = self.run_cron(utc(7, 12))
        self.assertEqual(result["sent"], [])
        for key in ("service", "generic"):
            self.assertEqual(len(self.mails(self.regs[key])), 1)
            self.assertEqual(self.logs(self.regs[key]).mapped("code"), ["E1"])

    def test_E1_send_logged_in_chatter(self):
        self.run_cron(utc(7, 10))
        reg = self.regs["service"]
        mail = self.mails(reg)
        self.assertIn(mail.mail_message_id, reg.message_ids)

    # ------------------------------------------------------------------ E2

    def test_E2_logistics_the_evening_before(self):
        self.run_cron(utc(7, 10))
        self.assertEqual(self.run_cron(utc(8, 17, 59))["sent"], [])
        now = utc(8, 18, 30)
        result = self.run_cron(now)
        self.assertEqual({c for r, c in result["sent"]}, {"E2"})
        reg = self.regs["service"]
        mails = self.mails(reg)
        self.assertEqual(len(mails), 2)
        text = expected_text(reg, "E2", now)
        self.assertEqual(
            text,
            "张总,我到网上查了一下,从您过来的方向,走二环到香格里拉酒店,"
            "酒店门口有穿紫色衣服的工作人员迎接您,签到在1楼,2个席位我已到客服部给您安排好,"
            "直接签到就可以了,停车位在地下室,早点休息,明天提前安排好工作,%s陈卫。"
            % self.company)
        for line in html_lines(text):
            self.assertIn(line, mails[1].body_html)
        self.assertEqual(self.sms(reg).filtered(lambda s: s.code == "E2").body, text)
        self.assertEqual(reg.logistics_sent_date, fields.Datetime.to_string(now))

    # ------------------------------------------------------------------ E3

    def test_E3_call_activity_on_the_event_day(self):
        self.assertFalse(
            [c for r, c in self.run_cron(utc(8, 23))["sent"] if c == "E3"])
        now = utc(9, 0, 30)  # 00:30 local on the event day
        result = self.run_cron(now)
        e3 = sorted(r for r, c in result["sent"] if c == "E3")
        sendable = ("service", "agency", "fmcg", "industrial", "generic", "sms_only")
        self.assertEqual(e3, sorted(self.regs[k].id for k in sendable))
        reg = self.regs["service"]
        activity = reg.call_activity_id
        self.assertTrue(activity)
        self.assertEqual(activity.activity_type_id,
                         self.env.ref("mail.mail_activity_data_call"))
        self.assertEqual(activity.user_id, self.consultant)
        self.assertEqual(activity.date_deadline, "2036-05-09")
        self.assertEqual(activity.res_model, "event.registration")
        self.assertEqual(activity.res_id, reg.id)
        self.assertIn("11:00", activity.summary)
        self.assertIn("张总,昨天我给您发的短信看到了吧,您过来的时候到1楼签到,"
                      "给您安排了2个席位,停车位在地下室。", activity.note)
        # E3 is a call, not a message: no mail for it, and only once
        self.run_cron(utc(9, 0, 45))
        self.assertEqual(self.env["mail.activity"].search_count([
            ("res_model", "=", "event.registration"), ("res_id", "=", reg.id)]), 1)
        self.assertFalse(self.sms(reg).filtered(lambda s: s.code == "E3"))

    def test_office_in_london_gets_E1_E2_E3_at_its_own_local_times(self):
        """The company's time zone, not Beijing's: an office in London (summer time,
        UTC+1) confirms at 09:00, sends logistics at 18:00 and calls at 11:00 London
        time. The event starts 02:00 London on 9 May (01:00 UTC)."""
        self.event.company_id.attribution_timezone = "Europe/London"
        reg = self.regs["service"]

        def codes(now):
            return sorted({c for r, c in self.run_cron(now)["sent"] if r == reg.id})

        self.assertEqual(codes(utc(7, 8, 59, tz="Europe/London")), [])
        # 09:00 London is 16:00 in Beijing: E1 would have gone at 01:00 UTC there
        self.assertEqual(codes(utc(7, 9, tz="Europe/London")), ["E1"])
        self.assertEqual(codes(utc(8, 17, 59, tz="Europe/London")), [])
        self.assertEqual(codes(utc(8, 18, tz="Europe/London")), ["E2"])
        self.assertEqual(codes(utc(8, 23, 59, tz="Europe/London")), [])
        self.assertEqual(codes(utc(9, 0, 30, tz="Europe/London")), ["E3"])
        activity = reg.call_activity_id
        self.assertEqual(activity.date_deadline, "2036-05-09")
        self.assertIn("11:00", activity.summary)
        self.assertIn("9-10号", self.mails(reg)[0].body_html)

    # ------------------------------------------------------------------ E4 / E5

    def _attend(self):
        for key in ("service", "agency", "fmcg"):
            self.regs[key].write({"state": "done"})

    def test_E4_thank_you_letter_with_gift_only_absentees(self):
        self.event.thanks_letter = "gift"
        self.regs["industrial"].gift_description = "紫砂茶具"
        self._attend()
        self.assertEqual(self.run_cron(utc(10, 16, 59))["sent"], [])
        now = utc(10, 18)
        result = self.run_cron(now)
        e4 = sorted(r for r, c in result["sent"] if c == "E4")
        self.assertEqual(e4, sorted(self.regs[k].id for k in
                                    ("industrial", "generic", "sms_only")))
        reg = self.regs["industrial"]
        mails = [m for m in self.mails(reg) if "精美礼品" in m.body_html]
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails[0].subject, "感谢函:薪酬绩效论坛")
        text = expected_text(reg, "E4", now)
        self.assertIn("特为您准备了一份精美礼品(紫砂茶具),由我专程送到您的府上", text)
        self.assertIn("2036年5月9日", text)
        for line in html_lines(text):
            self.assertIn(line, mails[0].body_html)
        self.assertTrue(reg.thanks_sent_date)
        for key in ("service", "agency", "fmcg"):
            self.assertFalse(self.logs(self.regs[key]).filtered(
                lambda log: log.code in ("E4", "E5")), key)

    def test_E5_survey_letter_once_across_two_runs(self):
        self.event.thanks_letter = "survey"
        self._attend()
        now = utc(10, 18)
        self.run_cron(now)
        self.run_cron(utc(11, 10))
        for key in ("industrial", "generic", "sms_only"):
            reg = self.regs[key]
            self.assertEqual(self.logs(reg).mapped("code"), ["E5"], key)
        reg = self.regs["generic"]
        text = expected_text(reg, "E5", now)
        self.assertIn("1、您是否对家庭投资理财有足够的了解? 了解□、不了解□", text)
        self.assertIn("2、您的家庭成员目前谁拥有养老规划? 丈夫□、妻子□、其他□", text)
        self.assertIn("3、您对我公司的服务是否有更好的建议?", text)
        self.assertIn("陈卫是我公司优秀的业务代表", text)
        self.assertIn("(电话:13900000000)", text)
        e5 = [m for m in self.mails(reg) if "养老规划" in m.body_html]
        self.assertEqual(len(e5), 1)
        for line in html_lines(text):
            self.assertIn(line, e5[0].body_html)
        for key in ("service", "agency", "fmcg"):
            self.assertFalse([m for m in self.mails(self.regs[key])
                              if "感谢函" in (m.subject or "")], key)

    def test_E5_letters_stop_after_the_limit(self):
        self._attend()
        result = self.run_cron(utc(10, 18) + datetime.timedelta(days=31))
        self.assertEqual(result["sent"], [])

    # ------------------------------------------------------------------ receipt, wizard

    def test_E4_gift_receipt_report_html(self):
        reg = self.regs["industrial"]
        reg.write({"gift_description": "紫砂茶具", "gift_courier_id": self.consultant.id})
        report = self.env.ref(
            "sales_attribution.event_registration_gift_receipt_report")
        html, fmt = report.render_qweb_html(reg.ids)
        html = html.decode() if isinstance(html, bytes) else html
        self.assertEqual(fmt, "html")
        self.assertIn("签收回执", html)
        self.assertIn("客户:赵  活动:薪酬绩效论坛  礼物:紫砂茶具", html)
        self.assertIn("客户经理签名:__________", html)
        self.assertIn("感谢函", html)
        self.assertIn("陈卫", html)

    def test_E4_courier_wizard_records_gift_and_survey(self):
        reg = self.regs["generic"]
        wizard = self.env["event.gift.wizard"].with_context(
            active_model="event.registration", active_id=reg.id).create({
                "gift_description": "月饼礼盒", "gift_courier_id": self.consultant.id,
                "gift_signed_date": "2036-05-12", "survey_knows_planning": "no",
                "survey_pension_holder": "wife", "survey_suggestion": "多办活动"})
        self.assertEqual(wizard.registration_id, reg)
        wizard.action_save()
        self.assertEqual(reg.gift_description, "月饼礼盒")
        self.assertEqual(reg.gift_courier_id, self.consultant)
        self.assertEqual(reg.gift_signed_date, "2036-05-12")
        self.assertEqual((reg.survey_knows_planning, reg.survey_pension_holder,
                          reg.survey_suggestion), ("no", "wife", "多办活动"))

    def test_E4_wizard_refuses_receipt_without_gift(self):
        from odoo.exceptions import UserError
        wizard = self.env["event.gift.wizard"].create({
            "registration_id": self.regs["generic"].id,
            "gift_signed_date": "2036-05-12"})
        with self.assertRaises(UserError):
            wizard.action_save()
        self.assertFalse(self.regs["generic"].gift_signed_date)

    # ------------------------------------------------------------------ access

    def test_E1_consultant_sees_only_own_sends_and_sms(self):
        self.run_cron(utc(7, 10))
        other = self.env["res.users"].with_context(no_reset_password=True).create({
            "name": "李娜", "login": "events_lina",
            "groups_id": [(6, 0, [self.env.ref("sales_attribution.group_consultant").id,
                                  self.env.ref("base.group_user").id])]})
        self.regs["agency"].attribution_user_id = other
        Log = self.env["attribution.message.log"]
        Sms = self.env["attribution.sms.message"]
        mine = Log.sudo(self.consultant).search([("state", "=", "sent")])
        self.assertEqual(set(mine.mapped("registration_id").ids),
                         {self.regs[k].id for k in ("service", "fmcg", "industrial",
                                                    "generic", "sms_only")})
        theirs = Sms.sudo(other).search([])
        self.assertEqual(theirs.mapped("number"), ["13800198001"])
