"""What a customer receives, tried from the customer's side (issue 15 at review): the
quiet hours hold a guest mail when it is delivered, not only when it is queued; an
opted-out customer gets no SMS whichever registration names the number; a reply
opts out the person who sent it, not the company that booked the seat; a sent SMS is
never sent again by a retry; the office's own salutation of a company wins."""

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests.common import SavepointCase

from ..attribution import terms
from .sms_common import SmsOffice, beijing
from .test_sms import _Gateway


class TestCustomerReceives(SavepointCase, SmsOffice):

    @classmethod
    def setUpClass(cls):
        super(TestCustomerReceives, cls).setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True,
                                       lang="en_US"))
        cls.build_sms_office()
        cls.start_generic_gateway("review gateway", _Gateway)
        cls.Reg = cls.env["event.registration"]
        Partner = cls.env["res.partner"]
        cls.sunshine = Partner.create({
            "name": "阳光置业有限公司", "is_company": True,
            "email": "office@sun.example.invalid", "mobile": "13812345610"})
        cls.ouyang = Partner.create({
            "name": "欧阳娜娜", "parent_id": cls.sunshine.id,
            "email": "oy@sun.example.invalid", "mobile": "13812345611"})

    @classmethod
    def tearDownClass(cls):
        cls.stop_generic_gateway()
        super(TestCustomerReceives, cls).tearDownClass()

    def setUp(self):
        super(TestCustomerReceives, self).setUp()
        self.server.posts[:] = []
        self.server.status = 200

    def seat(self, partner, name=None, phone=False, email=False):
        reg = self.Reg.create({
            "event_id": self.event.id, "partner_id": partner.id,
            "name": name or partner.name, "phone": phone, "email": email})
        reg.state = "open"
        return reg

    def cron(self, when):
        return self.Reg._cron_attribution_messages(now=when)

    def log(self, reg, code="E1"):
        return reg.attribution_message_log_ids.filtered(lambda log: log.code == code)

    # ------------------------------------------------------------------ S1

    def test_S1_mail_queued_before_the_quiet_hours_waits_at_delivery(self):
        """Queued at 20:50, Odoo's mail queue (hourly) delivers at 21:30: quiet."""
        guest = self.env["res.partner"].create({
            "name": "李娜", "email": "lina@example.invalid"})
        reg = self.seat(guest)
        self.cron(beijing(7, 20, 50))
        mail = self.log(reg).mail_id
        self.assertEqual(mail.state, "outgoing")
        self.assertFalse(mail.scheduled_date, "20:50 is not quiet")
        night = self.env["mail.mail"].with_context(**{
            terms.CTX_NOW: fields.Datetime.to_string(beijing(7, 21, 30))})
        night.process_email_queue(ids=mail.ids)
        mail.invalidate_cache()
        self.assertEqual(mail.state, "outgoing", "delivered in the quiet hours")
        self.assertEqual(mail.scheduled_date, fields.Datetime.to_string(beijing(8, 8)))
        self.assertIn("held until 2036-05-08 08:00", self.log(reg).reason)
        # "Send Now" on the mail at night holds it as well
        night.browse(mail.id).send()
        self.assertEqual(mail.state, "outgoing")
        morning = night.with_context(**{
            terms.CTX_NOW: fields.Datetime.to_string(beijing(8, 8))})
        morning.browse(mail.id).send()
        self.assertEqual(mail.state, "sent")

    def test_S1_other_mails_are_not_held(self):
        """Only the guest messages wait: the office's own mails go at night."""
        mail = self.env["mail.mail"].create({
            "subject": "internal", "body_html": "<p>x</p>",
            "email_to": "staff@example.invalid"})
        self.env["mail.mail"].with_context(**{
            terms.CTX_NOW: fields.Datetime.to_string(beijing(7, 23))}).browse(
            mail.id).send()
        self.assertEqual(mail.state, "sent")

    def test_cancelled_during_the_night_receives_nothing_in_the_morning(self):
        guest = self.env["res.partner"].create({
            "name": "孙丽", "email": "sunli@example.invalid", "mobile": "13812345651"})
        reg = self.seat(guest)
        self.cron(beijing(7, 22))  # E1 due, quiet: both wait until 08:00
        log = self.log(reg)
        self.assertEqual(log.sms_id.next_try, fields.Datetime.to_string(beijing(8, 8)))
        reg.button_reg_cancel()
        morning = fields.Datetime.to_string(beijing(8, 8))
        self.assertEqual(self.Sms._cron_send(now=morning), [])
        self.assertEqual(self.server.posts, [])
        self.assertEqual(log.sms_id.state, "skipped")
        self.assertIn("cancelled", log.sms_id.note)
        self.env["mail.mail"].with_context(**{terms.CTX_NOW: morning}).browse(
            log.mail_id.id).send()
        self.assertEqual(log.mail_id.state, "cancel")
        self.assertIn("cancelled", log.reason)

    def test_sms_retried_after_the_event_began_is_dropped(self):
        guest = self.env["res.partner"].create({
            "name": "周强", "mobile": "13812345652"})
        reg = self.seat(guest)
        self.cron(beijing(8, 19))  # E1 and E2
        self.server.status = 503  # the gateway is down all night
        self.Sms._cron_send(now=fields.Datetime.to_string(beijing(8, 19)))
        self.server.status = 200
        self.assertEqual(self.log(reg, "E2").sms_id.state, "queued")
        self.Sms._cron_send(now=fields.Datetime.to_string(beijing(9, 9, 30)))
        self.assertEqual(self.log(reg, "E2").sms_id.state, "skipped")
        self.assertEqual(len(self.server.posts), 2, "only the two failed tries")

    # ------------------------------------------------------------------ S2

    def test_S2_opted_out_attendee_of_a_company_seat_gets_no_sms(self):
        self.ouyang.attribution_sms_opt_out = True
        reg = self.seat(self.sunshine, name="欧阳娜娜")
        self.cron(beijing(7, 10))
        sms = self.log(reg).sms_id
        self.assertEqual((sms.number, sms.state), ("13812345611", "skipped"))
        self.assertIn("opted out", sms.note)
        self.assertTrue(self.log(reg).mail_id, "the mail still goes")
        self.Sms._cron_send(now=fields.Datetime.to_string(beijing(7, 10)))
        self.assertEqual(self.server.posts, [])

    def test_S2_number_of_an_opted_out_customer_booked_by_someone_else(self):
        wife = self.env["res.partner"].create({
            "name": "李娜", "mobile": "13812345612", "attribution_sms_opt_out": True})
        husband = self.env["res.partner"].create({"name": "王德明"})
        reg = self.seat(husband, name="李娜", phone="138 1234 5612")
        self.cron(beijing(7, 10))
        self.assertEqual(self.log(reg).sms_id.state, "skipped")
        # and an opt-out after queueing is found at send time too
        other = self.seat(husband, name="王小明", phone="13812345613")
        self.cron(beijing(7, 10, 5))
        self.env["res.partner"].create({
            "name": "王小明", "mobile": "13812345613", "attribution_sms_opt_out": True})
        self.Sms._cron_send(now=fields.Datetime.to_string(beijing(7, 10, 10)))
        self.assertEqual(self.log(other).sms_id.state, "skipped")
        self.assertEqual(self.server.posts, [])
        self.assertTrue(wife.attribution_sms_opt_out)

    def test_S2_reply_from_a_seat_opts_out_its_attendee_not_the_company(self):
        wang = self.seat(self.sunshine, name="王德明", phone="13812345621")
        ouyang = self.seat(self.sunshine, name="欧阳娜娜")
        self.cron(beijing(7, 10))
        self.assertEqual(self.log(wang).sms_id.state, "queued")
        self.gateway._receive_replies({"from": "13812345621", "text": "TD"})
        self.assertFalse(self.sunshine.attribution_sms_opt_out,
                         "the company did not reply")
        self.assertFalse(self.ouyang.attribution_sms_opt_out)
        # E2 the evening before: the attendee who replied gets none, the other does
        self.cron(beijing(8, 19))
        self.assertEqual(self.log(wang, "E2").sms_id.state, "skipped")
        self.assertEqual(self.log(ouyang, "E2").sms_id.state, "queued")
        # the reply is kept on a contact of the company, found again next time
        replied = self.sunshine.child_ids.filtered("attribution_sms_opt_out")
        self.assertEqual((replied.name, replied.mobile), ("王德明", "13812345621"))

    # ------------------------------------------------------------------ E1R

    def test_E1R_start_moved_within_its_day_sends_nothing_again(self):
        """09:00 becomes 14:00 the same day after E1 and E2 went out: the guest's
        dates hold (no 改期, no second E2); the consultant calls about the hour."""
        guest = self.env["res.partner"].create({
            "name": "钱多多", "email": "qian@example.invalid", "mobile": "13812345641"})
        reg = self.seat(guest)
        self.cron(beijing(8, 18, 30))
        self.assertEqual(self.log(reg).state, "sent")
        self.assertEqual(self.log(reg, "E2").state, "sent")
        self.event.date_begin = fields.Datetime.to_string(beijing(9, 14))
        calls = self.env["mail.activity"].search([
            ("res_model", "=", reg._name), ("res_id", "=", reg.id),
            ("summary", "ilike", "re-confirm")])
        self.assertEqual(len(calls), 1)
        self.assertIn("09:00", calls.note)
        self.assertIn("14:00", calls.note)
        result = self.cron(beijing(8, 19))
        self.assertEqual([c for r, c in result["sent"] if r == reg.id], [])
        self.assertFalse(self.log(reg, "E1R"))
        self.assertEqual(len(self.log(reg, "E2")), 1)
        # moved to the next day: that is a postponement
        self.event.write({"date_begin": fields.Datetime.to_string(beijing(10, 9)),
                          "date_end": fields.Datetime.to_string(beijing(10, 17))})
        result = self.cron(beijing(8, 19, 30))
        self.assertEqual([c for r, c in result["sent"] if r == reg.id], ["E1R"])

    def test_E1R_held_overnight_then_moved_again_names_the_newest_day(self):
        """E1R waits for the morning; during the night the event moves once more:
        the waiting E1R (naming the day before) is dropped, mail and SMS, and the
        guest is told the newest day instead, once."""
        guest = self.env["res.partner"].create({
            "name": "钱多多", "email": "qian@example.invalid", "mobile": "13812345642"})
        reg = self.seat(guest)
        self.cron(beijing(7, 10))
        day = fields.Datetime.to_string(beijing(7, 10))
        self.Sms._cron_send(now=day)
        self.env["mail.mail"].with_context(**{terms.CTX_NOW: day}).browse(
            self.log(reg).mail_id.id).send()
        self.assertEqual(self.log(reg).mail_id.state, "sent")

        def move(days):
            self.event.write({
                "date_begin": fields.Datetime.to_string(beijing(9 + days, 9)),
                "date_end": fields.Datetime.to_string(beijing(9 + days, 17))})
        move(7)
        self.cron(beijing(7, 22))  # E1R at once, held until 08:00
        first = self.log(reg, "E1R")
        self.assertIn("2036年5月16日", first.sms_id.body)
        move(14)
        morning = fields.Datetime.to_string(beijing(8, 8))
        self.assertEqual(self.Sms._cron_send(now=morning), [])
        self.assertEqual((first.sms_id.state, first.mail_id.state),
                         ("skipped", "cancel"))
        self.assertEqual(first.state, "skipped")
        self.assertIn("moved to another day", first.reason)
        self.assertEqual(len(self.server.posts), 1, "only E1 went out")
        # the next run tells the newest day, once
        result = self.cron(beijing(8, 8, 5))
        self.assertEqual([c for r, c in result["sent"] if r == reg.id], ["E1R"])
        second = self.log(reg, "E1R")
        self.assertEqual(len(second), 1)
        self.assertIn("2036年5月23日", second.sms_id.body)
        self.assertIn("2036年5月23日", second.mail_id.body_html)
        self.Sms._cron_send(now=fields.Datetime.to_string(beijing(8, 8, 10)))
        self.assertEqual(len(self.server.posts), 2)
        self.assertEqual(self.cron(beijing(8, 9))["sent"], [])

    # ------------------------------------------------------------------ retries

    def test_retry_of_a_sent_sms_is_refused(self):
        reg = self.seat(self.env["res.partner"].create({
            "name": "赵磊", "mobile": "13812345631"}))
        self.cron(beijing(7, 10))
        sms = self.log(reg).sms_id
        self.Sms._cron_send(now=fields.Datetime.to_string(beijing(7, 10)))
        self.assertEqual(sms.state, "sent")
        with self.assertRaises(UserError):
            sms.action_retry()
        self.Sms._cron_send(now=fields.Datetime.to_string(beijing(7, 11)))
        self.assertEqual(len(self.server.posts), 1, "the customer got it twice")

    # ------------------------------------------------------------------ 称呼

    def test_hand_edited_salutation_of_a_company_greets_its_seat(self):
        self.sunshine.attribution_salutation = "阳光置业各位领导"
        reg = self.seat(self.sunshine, name="阳光置业有限公司")
        self.cron(beijing(7, 10))
        self.assertTrue(self.log(reg).sms_id.body.startswith("阳光置业各位领导晚上好"),
                        self.log(reg).sms_id.body)
        self.assertIn("阳光置业各位领导晚上好", self.log(reg).mail_id.body_html)
