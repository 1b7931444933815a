"""A consultant cannot move a customer, or a deal's split, by writing the customer.

The registration sheet and the manager decide who owns a customer (A1, A10) and which
customers the developer's notice shares out (A11); the evening review's class counts
for B1 only when it was reported before the deal. A consultant (not a manager) who
writes ``attribution_owner_id`` of an existing customer, creates a customer owned by a
colleague, changes the A11 facts or records an intent class on an earlier day than
today is refused in the user's language, and nothing is written; a follow-up date in
the future (A14: protection without end) is refused for everyone. Run as the real
users (``sudo(user)``); the same writes over XML-RPC in ``live/test_rpc_surface.py``.
"""
from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError, ValidationError

from .common import AttributionCase


class TestOwnerFields(AttributionCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.natural = Partner.create({
            "name": "自然客户", "mobile": "13900131001", "customer": True})
        cls.mine = Partner.create({
            "name": "李女士", "mobile": "13900131002", "customer": True,
            "attribution_owner_id": cls.li.id, "intent_class": "c",
            "intent_reported_date": cls.date_ago(20)})
        cls.today = fields.Date.to_string(
            cls.env.user.company_id._attribution_office_date())

    def owners(self, partner):
        return partner.sudo().attribution_ownership_ids.mapped("owner_id")

    def test_A10_consultant_cannot_take_a_customer_nobody_owns_by_hand(self):
        with self.assertRaises(UserError) as caught:
            self.natural.sudo(self.li).write({"attribution_owner_id": self.li.id})
        self.assertIn("A10", caught.exception.name)
        self.assertFalse(self.owners(self.natural))

    def test_A10_consultant_cannot_hand_their_customer_to_a_colleague(self):
        with self.assertRaises(UserError):
            self.mine.sudo(self.li).write({"attribution_owner_id": self.zhang.id})
        with self.assertRaises(UserError):
            self.mine.sudo(self.li).write({"attribution_owner_id": False})
        self.assertEqual(self.owners(self.mine), self.li)

    def test_A10_consultant_cannot_create_a_customer_owned_by_a_colleague(self):
        Partner = self.env["res.partner"].sudo(self.li)
        with self.assertRaises(UserError):
            Partner.create({"name": "送客", "mobile": "13900131003",
                            "attribution_owner_id": self.zhang.id})
        self.assertFalse(self.env["res.partner"].search(
            [("attribution_phone", "=", "13900131003")]))

    def test_A14_consultant_records_their_own_phone_contact(self):
        contact = self.env["res.partner"].sudo(self.li).create({
            "name": "来电客户", "mobile": "13900131004", "customer": True,
            "attribution_owner_id": self.li.id, "last_followup_date": self.today})
        self.assertEqual(self.owners(contact), self.li)

    def test_A10_manager_still_sets_the_owner(self):
        self.natural.sudo(self.manager).write({"attribution_owner_id": self.wang.id})
        self.assertEqual(self.owners(self.natural), self.wang)

    def test_A11_consultant_cannot_change_the_developer_facts(self):
        for vals in ({"is_developer_related": True},
                     {"developer_notice_date": self.today}):
            with self.assertRaises(UserError):
                self.mine.sudo(self.li).write(vals)
        self.assertFalse(self.mine.is_developer_related)
        self.assertFalse(self.mine.developer_notice_date)

    def test_B01_consultant_cannot_backdate_the_evening_review(self):
        with self.assertRaises(UserError) as caught:
            self.mine.sudo(self.li).write({
                "intent_class": "a", "intent_reported_date": self.date_ago(7)})
        self.assertIn("B1", caught.exception.name)
        row = self.mine.sudo().attribution_ownership_ids
        self.assertEqual((row.intent_class, row.intent_reported_date),
                         ("c", self.date_ago(20)))

    def test_B01_consultant_reports_a_class_today(self):
        self.mine.sudo(self.li).write({"intent_class": "a"})
        row = self.mine.sudo().attribution_ownership_ids
        self.assertEqual((row.intent_class, row.intent_reported_date),
                         ("a", self.today))

    def test_A14_followup_date_cannot_be_in_the_future(self):
        later = fields.Date.to_string(
            fields.Date.from_string(self.today) + timedelta(days=400))
        for user in (self.li, self.manager):
            with self.assertRaises(ValidationError):
                self.mine.sudo(user).write({"last_followup_date": later})
        self.assertFalse(self.mine.sudo().attribution_ownership_ids.last_followup_date)


class TestNumbersOfOthers(AttributionCase):
    """A number decides whose customer a visitor is: a consultant cannot take the
    numbers off a customer they do not own (one nobody owns, e.g. after A14) and put
    them on their own customer, so that the next visit finds theirs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.natural = Partner.create({
            "name": "自然客户", "mobile": "13900131101", "phone": "020-81234567",
            "customer": True, "attribution_owner_id": cls.zhang.id})
        cls.natural.attribution_owner_id = False  # A14: protection lapsed
        cls.extra = cls.env["attribution.partner.phone"].create({
            "partner_id": cls.natural.id, "phone": "13900131102"})
        cls.mine = Partner.create({
            "name": "李女士", "mobile": "13900131103", "customer": True,
            "attribution_owner_id": cls.li.id})

    def numbers(self, partner):
        return sorted(partner.sudo().attribution_phone_ids.mapped("phone"))

    def test_A14_consultant_cannot_strip_a_natural_customers_numbers(self):
        before = self.numbers(self.natural)
        for vals in ({"mobile": False}, {"phone": "13900131199"}):
            with self.assertRaises(UserError) as caught:
                self.natural.sudo(self.li).write(vals)
            self.assertIn(self.natural.name, caught.exception.name)
        with self.assertRaises(UserError):
            self.extra.sudo(self.li).unlink()
        with self.assertRaises(UserError):
            self.extra.sudo(self.li).write({"phone": "13900131198"})
        with self.assertRaises(UserError):
            self.env["attribution.partner.phone"].sudo(self.li).create({
                "partner_id": self.natural.id, "phone": "13900131197"})
        self.assertEqual(self.numbers(self.natural), before)
        visit = self.register(desk=self.li, phone="13900131102", kind="walk_in")
        self.assertEqual(visit.partner_id, self.natural)

    def test_consultant_keeps_the_numbers_of_their_own_customer(self):
        self.mine.sudo(self.li).write({"phone": "020-81234599"})
        row = self.env["attribution.partner.phone"].sudo(self.li).create({
            "partner_id": self.mine.id, "phone": "13900131104"})
        row.unlink()
        self.assertEqual(self.numbers(self.mine), ["02081234599", "13900131103"])

    def test_manager_corrects_a_natural_customers_number(self):
        self.natural.sudo(self.manager).write({"mobile": "13900131105"})
        self.assertIn("13900131105", self.numbers(self.natural))
