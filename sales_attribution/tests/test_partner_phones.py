"""Every number of a customer matches, and no two customers share one (issue 17,
points 4 and 5): visits, the desk's prior-visit panel and imports find the customer by
mobile, phone or a further number (``attribution.partner.phone``); a number of
another customer is refused naming that customer and their owner only."""
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import AttributionCase


class TestPartnerPhones(AttributionCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.li_customer = cls.env["res.partner"].create({
            "name": "李四 Li Customer", "customer": True, "mobile": "13900130901",
            "phone": "010-8888 6601", "email": "lisi@example.invalid",
            "attribution_owner_id": cls.li.id})
        cls.Phone = cls.env["attribution.partner.phone"]

    def numbers(self, partner):
        return sorted(partner.sudo().attribution_phone_ids.mapped("phone"))

    # ------------------------------------------------------------------ matching

    def test_numbers_of_mobile_and_phone_are_rows(self):
        self.assertEqual(self.numbers(self.li_customer),
                         ["01088886601", "13900130901"])

    def test_visit_by_landline_finds_the_customer(self):
        visit = self.register(phone="+86 10 8888 6601", receiver_id=self.li.id,
                              customer_recalls_consultant=True)
        self.assertEqual(visit.partner_id, self.li_customer)

    def test_visit_by_further_number_finds_the_customer(self):
        self.Phone.create({"partner_id": self.li_customer.id,
                           "phone": "+852 9123 4501", "note": "Hong Kong mobile"})
        visit = self.register(phone="00852-9123-4501", receiver_id=self.li.id,
                              customer_recalls_consultant=True)
        self.assertEqual(visit.partner_id, self.li_customer)
        self.assertEqual(visit.phone, "+85291234501")

    def test_hong_kong_walk_in_registers_and_revisits_as_one_customer(self):
        first = self.register(phone="+852 9123 4502", partner_name="陈先生 HK")
        self.assertEqual(first.partner_id.mobile, "+85291234502")
        again = self.register(phone="００８５２ ９１２３ ４５０２",
                              customer_recalls_consultant=True)
        self.assertEqual(again.partner_id, first.partner_id)

    def test_taiwan_and_us_numbers_are_accepted(self):
        for raw, stored in (("+886 912 345 603", "+886912345603"),
                            ("+1 212 555 0103", "+12125550103")):
            visit = self.register(phone=raw)
            self.assertEqual(visit.phone, stored)
            self.assertEqual(visit.partner_id.attribution_phone_ids.phone, stored)

    def test_changed_mobile_moves_the_match(self):
        customer = self.customer("王五", owner=self.zhang, mobile="13900130911")
        customer.mobile = "139 0013 0912"
        self.assertEqual(self.numbers(customer), ["13900130912"])
        self.assertEqual(self.env["attribution.visit"]._find_customer_by_phone(
            "13900130912"), customer)
        self.assertFalse(self.env["attribution.visit"]._find_customer_by_phone(
            "13900130911"))

    def test_prior_visit_panel_finds_customer_by_further_number(self):
        self.register(phone="13900130901", receiver_id=self.li.id,
                      customer_recalls_consultant=True)
        self.Phone.create({"partner_id": self.li_customer.id,
                           "phone": "0755 2345 6704"})
        form = self.env["attribution.visit"].sudo(self.chen).new(
            {"phone": "+86 755 2345 6704", "team_id": self.team.id})
        form._onchange_phone()
        self.assertEqual(form.prior_visit_count, 1)
        self.assertIn(self.li.name, form.prior_visit_info)
        self.assertNotIn("13900130901", form.prior_visit_info)

    def test_import_of_visits_by_second_number_finds_the_customer(self):
        result = self.env["attribution.visit"].sudo(self.chen).load(
            ["phone", "team_id/.id", "asked_prior_visit", "customer_recalls_consultant",
             "receiver_id/.id"],
            [["010 8888 6601", str(self.team.id), "1", "1", str(self.li.id)]])
        self.assertFalse(result["messages"], result["messages"])
        visit = self.env["attribution.visit"].browse(result["ids"])
        self.assertEqual(visit.partner_id, self.li_customer)

    # ------------------------------------------------------------------ uniqueness

    def assert_refused_naming_li_customer(self, caught):
        message = caught.exception.name
        self.assertIn("李四 Li Customer", message)
        self.assertIn(self.li.name, message)
        self.assertNotIn("lisi@example.invalid", message)
        return message

    def test_consultant_creating_customer_with_taken_number_refused(self):
        with self.assertRaises(UserError) as caught:
            self.env["res.partner"].sudo(self.zhang).create({
                "name": "Duplicate", "mobile": "+86 139-0013-0901"})
        message = self.assert_refused_naming_li_customer(caught)
        self.assertNotIn("01088886601", message)  # the customer's other number

    def test_consultant_writing_taken_number_on_own_customer_refused(self):
        own = self.customer("张的客户", owner=self.zhang)
        with self.assertRaises(UserError) as caught:
            own.sudo(self.zhang).write({"phone": "(010) 8888-6601"})
        message = self.assert_refused_naming_li_customer(caught)
        self.assertNotIn("13900130901", message)
        self.assertFalse(own.phone)

    def test_consultant_adding_taken_further_number_refused(self):
        own = self.customer("张的客户", owner=self.zhang)
        with self.assertRaises(UserError) as caught:
            own.sudo(self.zhang).write({"attribution_extra_phone_ids": [
                (0, 0, {"phone": "13900130901"})]})
        self.assert_refused_naming_li_customer(caught)
        with self.assertRaises(UserError):
            self.Phone.sudo(self.zhang).create(
                {"partner_id": own.id, "phone": "8613900130901"})

    def test_import_of_customer_with_taken_number_refused(self):
        result = self.env["res.partner"].sudo(self.manager).load(
            ["name", "mobile"], [["Imported duplicate", "0086 13900130901"]])
        self.assertFalse(result["ids"])
        self.assertIn("李四 Li Customer", result["messages"][0]["message"])
        self.assertFalse(self.env["res.partner"].search(
            [("name", "=", "Imported duplicate")]))

    def test_invalid_further_number_refused_in_chinese(self):
        own = self.customer("张的客户", owner=self.zhang)
        with self.assertRaises(ValidationError) as caught:
            self.Phone.sudo(self.zhang).with_context(lang="zh_CN").create(
                {"partner_id": own.id, "phone": "8888 6666"})
        self.assertIn("电话号码过短", caught.exception.name)

    def test_same_number_twice_on_one_customer_refused(self):
        with self.assertRaises(ValidationError):
            self.Phone.create({"partner_id": self.li_customer.id,
                               "phone": "139 0013 0901"})

    def test_mobile_row_changes_only_through_the_customer(self):
        row = self.li_customer.attribution_phone_ids.filtered(
            lambda r: r.source == "mobile")
        with self.assertRaises(UserError):
            row.write({"phone": "13900130999"})
        with self.assertRaises(UserError):
            row.unlink()

    def test_unique_index_on_numbers(self):
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = "
            "'attribution_partner_phone' AND indexdef LIKE 'CREATE UNIQUE%%'")
        self.assertTrue(any("(phone)" in row[0] for row in self.env.cr.fetchall()))

    # ------------------------------------------------------------------ privacy

    def test_consultant_cannot_read_other_customers_numbers(self):
        Phone = self.Phone.sudo(self.zhang)
        self.assertFalse(Phone.search([("partner_id", "=", self.li_customer.id)]))
        self.assertFalse(Phone.search([("phone", "=", "13900130901")]))
        row = self.li_customer.attribution_phone_ids[:1]
        with self.assertRaises(AccessError):
            row.sudo(self.zhang).read(["phone"])

    # ------------------------------------------------------------------ the desk

    def test_desk_number_of_another_customer_is_a_collision_for_the_manager(self):
        own = self.customer("张的客户", owner=self.zhang)
        visit = self.register(partner_id=own.id, phone="010-8888 6601",
                              receiver_id=self.zhang.id,
                              customer_recalls_consultant=True)
        self.assertEqual(visit.partner_id, own)
        self.assertEqual(self.numbers(own), [own.mobile])  # not silently copied
        self.assertEqual(self.numbers(self.li_customer),
                         ["01088886601", "13900130901"])
        todo = self.activities(own, self.manager)
        self.assertEqual(len(todo), 1)
        self.assertIn("李四 Li Customer", todo.note)
        self.assertIn(self.li.name, todo.note)

    def test_desk_new_number_is_recorded_on_the_chosen_customer(self):
        own = self.customer("张的客户", owner=self.zhang)
        self.register(partner_id=own.id, phone="021 6666 8805",
                      receiver_id=self.zhang.id, customer_recalls_consultant=True)
        self.assertIn("02166668805", self.numbers(own))
        again = self.register(phone="+86 21 6666 8805",
                              customer_recalls_consultant=True)
        self.assertEqual(again.partner_id, own)


class TestCompanyNumbers(AttributionCase):
    """A company and its contact persons share the company's numbers (the
    switchboard): Odoo's lead conversion gives a new contact its company's phone.
    Another customer still cannot take them."""

    def test_contact_of_a_company_shares_its_number(self):
        company = self.env["res.partner"].create({
            "name": "阳光置业有限公司", "is_company": True, "customer": True,
            "phone": "0755-8888 6610"})
        contact = self.env["res.partner"].create({
            "name": "赵经理", "parent_id": company.id, "phone": "0755-8888 6610"})
        self.assertEqual(contact.phone, "0755-8888 6610")
        # one row, the company's: a lookup by the number finds the company
        rows = self.env["attribution.partner.phone"].sudo().search(
            [("phone", "=", "075588886610")])
        self.assertEqual(rows.partner_id, company)
        with self.assertRaises(UserError):
            self.env["res.partner"].create({"name": "另一位客户",
                                            "phone": "0755 8888 6610"})
