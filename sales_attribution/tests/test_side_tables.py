"""The engine's side tables are models (claims and queues kept "exactly once" by
their constraints) that nobody reads by hand, and the customer's visit dates follow a
visit registered by any consultant."""
from odoo.exceptions import AccessError

from .common import AttributionCase


class TestSideTables(AttributionCase):

    def test_new_phone_is_claimed_once_in_the_claim_model(self):
        phone = self.phone()
        self.register(phone=phone, partner_name="新客户")
        Claim = self.env["attribution.phone.claim"]
        self.assertEqual(Claim.search_count([("phone", "=", phone)]), 1)
        # the same number again (a second desk): still one claim, one customer
        Claim._claim(phone)
        self.assertEqual(Claim.search_count([("phone", "=", phone)]), 1)
        self.assertEqual(self.env["res.partner"].search_count(
            [("attribution_phone", "=", phone)]), 1)

    def test_decision_queues_the_new_owner_once_until_told(self):
        visit = self.register(phone=self.phone(), partner_name="排队客户",
                              receiver_id=self.zhang.id)
        Notice = self.env["attribution.owner.notice"]
        queued = Notice.search([("partner_id", "=", visit.owner_id.partner_id.id)])
        self.assertEqual(len(queued), 1)
        note = queued.message_id
        self.assertEqual(note.res_id, visit.partner_id.id)
        self.assertGreaterEqual(
            self.env["attribution.decision"]._cron_tell_owners(), 1)
        self.assertFalse(queued.exists())
        self.assertIn(visit.owner_id.partner_id, note.partner_ids)
        # told once: a second run finds nothing of this note
        self.env["attribution.decision"]._cron_tell_owners()
        self.assertEqual(Notice.search_count([("message_id", "=", note.id)]), 0)

    def test_consultants_and_managers_cannot_read_the_side_tables(self):
        for model in ("attribution.owner.notice", "attribution.phone.claim"):
            for user in (self.chen, self.manager):
                with self.assertRaises(AccessError, msg="%s %s" % (model, user.login)):
                    self.env[model].sudo(user).search([])

    def test_visit_of_another_consultants_customer_moves_its_visit_dates(self):
        customer = self.customer("张先生", owner=self.zhang)
        when = self.ago(0)
        # 陈静 keeps the sheet and may not write 张伟's customer
        with self.assertRaises(AccessError):
            customer.sudo(self.chen).write({"comment": "x"})
        self.register(desk=self.chen, partner_id=customer.id, visit_datetime=when)
        customer.invalidate_cache()
        self.assertTrue(customer.last_visit_date)
        self.assertEqual(customer.first_visit_date, customer.last_visit_date)
