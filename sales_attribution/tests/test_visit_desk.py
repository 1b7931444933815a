import threading

from odoo import fields

from .common import AttributionCase


class TestVisitDesk(AttributionCase):
    """A5 at the door: the phone typed at the desk shows the customer's history
    before the visit is saved, without the other consultant's private data."""

    def desk_onchange(self, desk, phone):
        """What the web client gets back when ``desk`` types ``phone`` on a new
        visit."""
        Visit = self.env["attribution.visit"].sudo(desk)
        values = {"phone": phone, "partner_id": False, "team_id": self.team.id,
                  "visit_datetime": fields.Datetime.now(), "prior_visit_info": False,
                  "prior_visit_count": 0}
        spec = {name: "1" for name in values}
        return Visit.onchange(values, "phone", spec)["value"]

    def test_A05_new_number_says_new_customer(self):
        value = self.desk_onchange(self.chen, self.phone())
        self.assertIn("new customer", value["prior_visit_info"])
        # unchanged values are not sent back: the count stays 0
        self.assertEqual(value.get("prior_visit_count", 0), 0)

    def test_A05_known_number_shows_date_consultant_and_owner(self):
        phone = self.phone()
        first = self.register(phone=phone, partner_name="王先生", receiver_id=self.li.id,
                              visit_datetime=self.ago(3))
        owner = first.owner_id
        self.assertTrue(owner)
        # another consultant at the desk, who may not read this customer
        value = self.desk_onchange(self.wang, phone)
        info = value["prior_visit_info"]
        self.assertEqual(value["prior_visit_count"], 1)
        self.assertIn(first.receiver_id.name, info)
        self.assertIn(owner.name, info)
        self.assertIn(first._desk_time(first.visit_datetime)[:10], info)
        # nothing private of the other consultant's customer
        self.assertNotIn("王先生", info)
        self.assertNotIn(phone[-8:], info)

    def test_A05_number_typed_with_spaces_and_prefix_is_found(self):
        phone = self.phone()
        self.register(phone=phone, partner_name="李女士", visit_datetime=self.ago(1))
        typed = "+86 %s %s %s" % (phone[:3], phone[3:7], phone[7:])
        value = self.desk_onchange(self.zhang, typed)
        self.assertEqual(value["prior_visit_count"], 1)

    def test_A05_unreadable_number_is_flagged(self):
        value = self.desk_onchange(self.zhang, "12")
        self.assertIn("cannot be read", value["prior_visit_info"])

    def test_A05_saved_visit_lists_only_earlier_visits(self):
        phone = self.phone()
        self.register(phone=phone, partner_name="赵先生", visit_datetime=self.ago(5))
        second = self.register(phone=phone, customer_recalls_consultant=True,
                               visit_datetime=self.ago(1))
        self.assertEqual(second.prior_visit_count, 1)

    def test_visit_name_shows_the_desk_time(self):
        # the desk in Shanghai (UTC+8) registers a visit at 09:30 local time
        self.chen.tz = "Asia/Shanghai"
        visit = self.register(phone=self.phone(), partner_name="王先生",
                              visit_datetime="2026-11-02 01:30:00")
        self.assertEqual(visit.name, "王先生 2026-11-02 09:30")

    def test_new_customer_at_the_desk_has_no_generated_avatar(self):
        """The desk creates customers by the thousand: no generated avatar (three
        PNG attachments each, half the cost of the new customer); a contact created
        by hand keeps Odoo's."""
        # Odoo makes no avatar in tests (threading's ``testing`` flag): lift it
        thread = threading.currentThread()
        thread.testing = False
        try:
            visit = self.register(phone=self.phone(), partner_name="新客户")
            by_hand = self.env["res.partner"].create({"name": "手工联系人"})
        finally:
            thread.testing = True
        self.assertFalse(visit.partner_id.image)
        self.assertTrue(by_hand.image)
