"""Deal ledger import (issue 16 point 4): generated sheets through the real wizard."""
import base64
import io
from datetime import timedelta

import openpyxl

from odoo import fields
from odoo.exceptions import AccessError, UserError

from .common_splits import SplitsCase

ZH = ["客户", "电话", "套数", "成交金额", "成交日期", "顾问", "项目"]
EN = ["Buyer", "Phone", "Units", "Revenue", "Deal Date", "Consultant", "Project"]


def xlsx(header, rows):
    """The base64 of an .xlsx with ``header`` and ``rows`` (lists of cells)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return base64.b64encode(out.getvalue())


class DealImportCase(SplitsCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, lang="en_US"))
        cls.day = fields.Date.from_string(cls.today) - timedelta(days=3)

    def wizard(self, header, rows, user=None, filename="ledger.xlsx", **vals):
        vals.update(file=xlsx(header, rows), filename=filename, team_id=self.team.id)
        return self.env["attribution.deal.import"].sudo(
            user or self.manager).create(vals)

    def deals(self, partner):
        return self.env["crm.lead"].search([("partner_id", "=", partner.id)])

    def shares(self, lead):
        return {(line.user_id, line.role): (line.performance_share, line.bonus_share,
                                            line.rule_code)
                for line in lead.split_line_ids}


class TestDealImport(DealImportCase):

    def test_rows_become_won_deals_with_their_split_lines(self):
        wizard = self.wizard(ZH, [
            ["王大伟", "139 0100 0001", 1, "150万", self.day, "Alice 王", "Split Office"],
            ["李小红", "13901000002", 2, 3000000, self.day, "sa_split_bob", ""],
        ])
        wizard.action_import()
        self.assertEqual(wizard.line_ids.mapped("state"), ["ok", "ok"])
        partner = self.env["res.partner"].search([("mobile", "=", "13901000001")])
        lead = self.deals(partner)
        self.assertEqual(len(lead), 1)
        self.assertTrue(lead._attribution_is_won())
        self.assertEqual((lead.planned_revenue, lead.unit_count, lead.team_id,
                          lead.user_id), (1500000.0, 1, self.team, self.alice))
        self.assertEqual(self.office_day(lead.date_closed),
                         fields.Date.to_string(self.day))
        self.assertEqual(self.shares(lead), {(self.alice, "owner"): (100, 100, "A1")})
        # the customer had no owner: the ledger's consultant owns them, logged as A1
        self.assertEqual(partner.attribution_owner_id, self.alice)
        decision = self.env["attribution.decision"].search(
            [("partner_id", "=", partner.id)])
        self.assertEqual((decision.rule_code, decision.lead_id), ("A1", lead))
        line = wizard.line_ids.filtered(lambda line: line.row == 3)
        self.assertEqual((line.owner_id, line.rule_code, line.consultant_id),
                         (self.bob, "A1", self.bob))

    def test_english_headers_and_an_existing_owner(self):
        buyer = self.partner("Zhou", self.carol, mobile="13901000003")
        wizard = self.wizard(EN, [["Zhou", "+86 139-0100-0003", 1, 800000, self.day,
                                   "Alice 王", "Split Office"]])
        wizard.action_import()
        lead = self.deals(buyer)
        # the customer is Carol's: Alice closed it, the rule book pays the owner (A1)
        self.assertEqual((lead.user_id, lead.closer_id), (self.carol, self.alice))
        self.assertEqual(self.shares(lead), {(self.carol, "owner"): (100, 100, "A1")})
        self.assertEqual(buyer.attribution_owner_id, self.carol)

    def test_bad_rows_are_errors_the_rest_are_imported(self):
        tomorrow = fields.Date.from_string(self.today) + timedelta(days=2)
        wizard = self.wizard(ZH, [
            ["好人", "13901000011", 1, 100, self.day, "Alice 王", ""],
            ["电话错", "12345", 1, 100, self.day, "Alice 王", ""],
            ["陌生顾问", "13901000012", 1, 100, self.day, "Nobody", ""],
            ["未来", "13901000013", 1, 100, tomorrow, "Alice 王", ""],
            ["没项目", "13901000014", 1, 100, self.day, "Alice 王", "No Such Office"],
        ])
        users = self.env["res.users"].search_count([])
        wizard.action_import()
        by_row = {line.row: line for line in wizard.line_ids}
        self.assertEqual([by_row[r].state for r in range(2, 7)],
                         ["ok", "error", "error", "error", "error"])
        self.assertIn("too short", by_row[3].message)
        self.assertIn("Nobody is not a member of project Split Office",
                      by_row[4].message)
        self.assertIn("after today", by_row[5].message)
        self.assertIn("No Such Office is unknown", by_row[6].message)
        self.assertEqual(self.env["res.users"].search_count([]), users)
        self.assertFalse(self.env["res.partner"].search(
            [("mobile", "in", ["13901000012", "13901000013", "13901000014"])]))
        self.assertEqual((wizard.count_ok, wizard.count_error), (1, 4))

    def test_errors_in_the_managers_language(self):
        self.manager.lang = "zh_CN"
        if not self.env["res.lang"].search([("code", "=", "zh_CN")]):
            self.env["base.language.install"].create({"lang": "zh_CN"}).lang_install()
        wizard = self.wizard(ZH, [["电话错", "12345", 1, 100, self.day, "Alice 王", ""]])
        wizard.with_context(lang="zh_CN").action_import()
        self.assertIn("电话号码过短", wizard.line_ids.message)

    def test_a_missing_column_stops_the_file_before_any_row(self):
        wizard = self.wizard(["客户", "电话", "成交日期"],
                             [["王", "13901000021", self.day]])
        with self.assertRaisesRegex(UserError, "Missing columns: revenue, consultant"):
            wizard.action_import()
        self.assertFalse(
            self.env["res.partner"].search([("mobile", "=", "13901000021")]))

    def test_reimport_adds_nothing(self):
        rows = [["再来", "13901000031", 1, 500000, self.day, "Alice 王", ""],
                ["再来二", "13901000032", 1, 600000, self.day, "Bob 李", ""]]
        self.wizard(ZH, rows).action_import()
        leads = self.env["crm.lead"].search_count([])
        lines = self.env["attribution.split.line"].search_count([])
        # the same deals again, one of them with the consultant's login, in English
        again = self.wizard(EN, [rows[1][:5] + ["sa_split_bob", ""], rows[0]])
        again.action_import()
        self.assertEqual(again.line_ids.mapped("state"), ["duplicate", "duplicate"])
        self.assertEqual(self.env["crm.lead"].search_count([]), leads)
        self.assertEqual(self.env["attribution.split.line"].search_count([]), lines)

    def test_a_row_twice_in_one_file_is_imported_once(self):
        row = ["两次", "13901000041", 1, 500000, self.day, "Alice 王", ""]
        wizard = self.wizard(ZH, [row, list(row)])
        wizard.action_import()
        self.assertEqual(sorted(wizard.line_ids.mapped("state")), ["duplicate", "ok"])

    def test_preview_saves_nothing_and_shows_the_rule_book(self):
        contact = self.partner("Preview contact", self.bob)
        friend = self.partner("Preview friend", self.alice, mobile="13901000051")
        self.relation(friend, contact, "friend", evidence="call log")
        self.visit(friend, self.alice, 5)
        leads = self.env["crm.lead"].search_count([])
        wizard = self.wizard(ZH, [
            ["Preview friend", "13901000051", 1, 100000, self.day, "Alice 王", ""],
            ["新客", "13901000052", 1, 100000, self.day, "Carol 张", ""]])
        wizard.action_preview()
        self.assertEqual(self.env["crm.lead"].search_count([]), leads)
        self.assertFalse(
            self.env["res.partner"].search([("mobile", "=", "13901000052")]))
        self.assertEqual(wizard.state, "preview")
        first, second = wizard.line_ids.sorted("row")
        self.assertEqual((first.state, first.owner_id, first.rule_code, first.lead_id),
                         ("ok", self.alice, "A15", self.env["crm.lead"]))
        self.assertEqual((second.owner_id, second.rule_code), (self.carol, "A1"))
        wizard.action_import()
        self.assertEqual(self.env["crm.lead"].search_count([]), leads + 2)

    def test_A09_group_buyer_from_the_ledger_shares_equally(self):
        company = self.partner("A09 Ledger Trading Ltd", self.alice, is_company=True,
                               mobile="13901000061")
        buyer_a = self.partner("A09 ledger contact A", self.bob, parent_id=company.id)
        buyer_b = self.partner("A09 ledger contact B", self.carol, parent_id=company.id)
        self.visit(buyer_a, self.bob, 6)
        self.visit(buyer_b, self.carol, 5)
        self.wizard(ZH, [["A09 Ledger Trading Ltd", "13901000061", 6, 6000000,
                          self.day, "Alice 王", ""]]).action_import()
        lead = self.deals(company)
        self.assertEqual(self.shares(lead), {
            (self.alice, "co_owner"): (33.34, 33.34, "A9"),
            (self.bob, "co_owner"): (33.33, 33.33, "A9"),
            (self.carol, "co_owner"): (33.33, 33.33, "A9")})

    def test_A09_new_company_buyer_is_created_as_a_company(self):
        self.wizard(ZH, [["上海某某置业有限公司", "13901000062", 5, 5000000, self.day,
                          "Alice 王", ""]]).action_import()
        partner = self.env["res.partner"].search([("mobile", "=", "13901000062")])
        self.assertTrue(partner.is_company)
        self.assertEqual(self.shares(self.deals(partner)),
                         {(self.alice, "owner"): (100, 100, "A9")})

    def test_A15_friend_of_a_contact_with_evidence(self):
        contact = self.partner("A15 ledger contact (never came)", self.alice)
        friend = self.partner("A15 ledger friend", self.bob, mobile="13901000071")
        self.relation(friend, contact, "friend", evidence="WeChat chat of 3 May")
        self.visit(friend, self.bob, 4)
        self.wizard(EN, [["A15 ledger friend", "13901000071", 1, 1000000, self.day,
                          "Bob 李", ""]]).action_import()
        self.assertEqual(self.shares(self.deals(friend)), {
            (self.alice, "original"): (100, 50, "A15"),
            (self.bob, "closer"): (0, 50, "A15")})

    def test_only_managers_import(self):
        wizard = self.wizard(ZH, [["王", "13901000081", 1, 1, self.day, "Alice 王", ""]],
                             user=self.alice)
        with self.assertRaises(AccessError):
            wizard.action_preview()
        with self.assertRaises(AccessError):
            wizard.action_import()
        self.assertFalse(
            self.env["res.partner"].search([("mobile", "=", "13901000081")]))

    def test_gb18030_csv_ledger(self):
        text = "客户,电话,套数,成交金额,成交日期,顾问\n张三,13901000091,1,98万,%s,Carol 张\n" % (
            self.day.isoformat())
        wizard = self.env["attribution.deal.import"].sudo(self.manager).create({
            "file": base64.b64encode(text.encode("gb18030")), "filename": "台账.csv",
            "team_id": self.team.id})
        wizard.action_import()
        self.assertEqual(wizard.line_ids.state, "ok")
        partner = self.env["res.partner"].search([("mobile", "=", "13901000091")])
        self.assertEqual((partner.name, self.deals(partner).planned_revenue),
                         ("张三", 980000.0))
