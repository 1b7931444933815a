"""S1 quiet hours and S2 opt-out through the real models: the outbox and the guest
mails wait until the morning in the office's zone (the company's setting), an
opted-out customer gets no SMS and each skip is noted; replies with 退订/TD/T/N opt
out."""
import datetime

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests.common import SavepointCase

from ..attribution import terms
from .sms_common import SmsOffice, beijing
from .test_sms import _Gateway


class TestSmsQuietHours(SavepointCase, SmsOffice):

    @classmethod
    def setUpClass(cls):
        super(TestSmsQuietHours, cls).setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True,
                                       lang="en_US"))
        cls.build_sms_office()
        cls.start_generic_gateway("quiet test", _Gateway)

    @classmethod
    def tearDownClass(cls):
        cls.stop_generic_gateway()
        super(TestSmsQuietHours, cls).tearDownClass()

    def setUp(self):
        super(TestSmsQuietHours, self).setUp()
        self.server.posts[:] = []

    def send(self, when):
        return self.Sms._cron_send(now=fields.Datetime.to_string(when))

    # ------------------------------------------------------------------ S1

    def test_S1_queued_at_night_waits_until_eight(self):
        message = self.queue(beijing(7, 22, 30))
        self.assertEqual(message.state, "queued")
        self.assertEqual(message.next_try, fields.Datetime.to_string(beijing(8, 8)))
        self.assertIn("Quiet hours (21:00-08:00 Asia/Shanghai)", message.note)
        self.assertEqual(self.send(beijing(7, 23)), [])
        self.assertEqual(self.send(beijing(8, 7, 59)), [])
        self.assertEqual(self.server.posts, [])
        self.assertEqual(self.send(beijing(8, 8)), message.ids)
        self.assertEqual((message.state, message.attempts), ("sent", 1))
        self.assertFalse(message.note)

    def test_S1_retry_falling_in_the_night_is_held_without_an_attempt(self):
        message = self.queue(beijing(7, 20, 58))
        self.assertFalse(message.note, "20:58 is not quiet")
        message.write({"next_try": fields.Datetime.to_string(beijing(7, 21, 0))})
        self.assertEqual(self.send(beijing(7, 21, 0)), [])
        self.assertEqual(self.server.posts, [])
        self.assertEqual((message.state, message.attempts, message.next_try),
                         ("queued", 0, fields.Datetime.to_string(beijing(8, 8))))
        self.assertIn("held until 2036-05-08 08:00", message.note)

    def test_S1_note_in_chinese_for_a_chinese_user(self):
        message = self.queue(beijing(7, 23)).with_context(lang="zh_CN")
        message.with_context(lang="zh_CN")._send_one(
            message, self.gateway, beijing(7, 23, 30))
        self.assertEqual(message.note,
                         "免打扰时段(21:00-08:00 Asia/Shanghai):等到 2036-05-08 08:00 发送")

    def test_S1_office_in_another_zone_uses_its_own_clock(self):
        # 22:30 in Beijing is 15:30 in London: a London office sends
        self.company.attribution_timezone = "Europe/London"
        message = self.queue(beijing(7, 22, 30))
        self.assertFalse(message.note)
        self.assertEqual(self.send(beijing(7, 22, 30)), message.ids)
        # and holds at 22:00 London time
        late = self.queue(terms.utc_from_office(
            datetime.datetime(2036, 5, 7, 22, 0), "Europe/London"),
            partner=self.env["res.partner"].create({
                "name": "Lee", "mobile": "13812345602"}))
        self.assertEqual(late.next_try, fields.Datetime.to_string(
            terms.utc_from_office(datetime.datetime(2036, 5, 8, 8, 0),
                                  "Europe/London")))

    def test_S1_no_quiet_hours_when_start_equals_end(self):
        self.company.write({"attribution_quiet_start": 0.0,
                            "attribution_quiet_end": 0.0})
        message = self.queue(beijing(7, 23))
        self.assertEqual(self.send(beijing(7, 23)), message.ids)

    def test_S1_settings_wizard_sets_the_quiet_hours(self):
        manager = self.env["res.users"].with_context(no_reset_password=True).create({
            "name": "Quiet Manager", "login": "sms_quiet_manager",
            "groups_id": [(6, 0, [self.env.ref("sales_attribution.group_manager").id,
                                  self.env.ref("base.group_user").id])]})
        Wizard = self.env["attribution.settings.wizard"].sudo(manager)
        self.assertEqual(Wizard.default_get(["attribution_quiet_start"]),
                         {"attribution_quiet_start": 21.0})
        Wizard.create({"attribution_quiet_start": 22.5, "attribution_quiet_end": 7.0})
        self.assertEqual((self.company.attribution_quiet_start,
                          self.company.attribution_quiet_end), (22.5, 7.0))
        # the savepoint stands for the request's transaction, which Odoo rolls back
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            Wizard.create({"attribution_quiet_start": 25.0})
        self.company.invalidate_cache()
        self.assertEqual(self.company.attribution_quiet_start, 22.5)

    def test_S1_guest_mails_wait_in_the_mail_queue(self):
        guest = self.env["res.partner"].create({
            "name": "李娜", "email": "lina@example.invalid", "mobile": "13812345603"})
        reg = self.registration(guest)
        reg.state = "open"
        # E1 is due from 09:00 on 7 May; at 22:00 that evening it is quiet
        night = beijing(7, 22)
        self.env["event.registration"]._cron_attribution_messages(now=night)
        log = reg.attribution_message_log_ids.filtered(lambda log: log.code == "E1")
        self.assertEqual(log.state, "sent")
        self.assertTrue(log.mail_id)
        morning = fields.Datetime.to_string(beijing(8, 8))
        self.assertEqual(log.mail_id.scheduled_date, morning)
        self.assertIn("held until 2036-05-08 08:00", log.reason)
        self.assertEqual(log.sms_id.next_try, morning)
        self.assertIn("Quiet hours", log.sms_id.note)

    def test_S1_guest_mails_in_the_day_go_at_once(self):
        guest = self.env["res.partner"].create({
            "name": "李娜", "email": "lina@example.invalid", "mobile": "13812345603"})
        reg = self.registration(guest)
        reg.state = "open"
        self.env["event.registration"]._cron_attribution_messages(now=beijing(7, 10))
        log = reg.attribution_message_log_ids.filtered(lambda log: log.code == "E1")
        self.assertFalse(log.mail_id.scheduled_date)
        self.assertFalse(log.reason)

    # ------------------------------------------------------------------ S2

    def test_S2_opted_out_customer_is_skipped_and_noted(self):
        self.guest.attribution_sms_opt_out = True
        message = self.queue(beijing(7, 10))
        self.assertEqual((message.state, message.next_try), ("skipped", False))
        self.assertIn("opted out", message.note)
        self.assertEqual(self.send(beijing(7, 10)), [])
        self.assertEqual(self.server.posts, [])

    def test_S2_opt_out_after_queueing_skips_at_send(self):
        message = self.queue(beijing(7, 10))
        self.guest.attribution_sms_opt_out = True
        self.assertEqual(self.send(beijing(7, 10)), [])
        self.assertEqual((message.state, message.attempts), ("skipped", 0))
        self.assertIn("opted out", message.note)
        self.assertEqual(self.server.posts, [])

    def test_S2_opt_out_never_holds_back_a_mail(self):
        guest = self.env["res.partner"].create({
            "name": "李娜", "email": "lina@example.invalid", "mobile": "13812345603",
            "attribution_sms_opt_out": True})
        reg = self.registration(guest)
        reg.state = "open"
        self.env["event.registration"]._cron_attribution_messages(now=beijing(7, 10))
        log = reg.attribution_message_log_ids.filtered(lambda log: log.code == "E1")
        self.assertTrue(log.mail_id)
        self.assertEqual(log.sms_id.state, "skipped")

    def test_S2_replies_opt_out(self):
        other = self.env["res.partner"].create({"name": "王", "mobile": "13812345604"})
        for kind, payload in (
                ("aliyun", [{"phone_number": "13812345601", "content": "退订",
                             "send_time": "2036-05-07 10:00:00"}]),
                ("tencent", {"mobile": "13812345601", "nationcode": "86",
                             "text": "TD", "time": 2096000000})):
            self.guest.attribution_sms_opt_out = False
            self.gateway.write({"type": kind, "signature": "某某置业"})
            marked = self.gateway._receive_replies(payload)
            self.assertEqual(marked, self.guest, kind)
            self.assertTrue(self.guest.attribution_sms_opt_out)
        notes = self.guest.message_ids.mapped("body")
        self.assertTrue(any("退订" in note and "TD" in note for note in notes), notes)
        # a reply that is no opt-out changes nothing
        self.gateway.write({"type": "http"})
        self.gateway._receive_replies({"from": "13812345604", "text": "好的,谢谢"})
        self.assertFalse(other.attribution_sms_opt_out)
        self.gateway._receive_replies({"from": "+86 138-1234-5604", "text": "n"})
        self.assertTrue(other.attribution_sms_opt_out)
