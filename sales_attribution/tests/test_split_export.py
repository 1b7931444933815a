from io import BytesIO

from openpyxl import load_workbook

from .common_splits import SplitsCase

HEADERS = ["客户", "商机", "套数", "规则", "角色", "业绩比例", "奖金比例", "业绩金额",
           "奖金金额"]


class TestSplitExport(SplitsCase):
    """The XLSX export (OCA report_xlsx) of split lines per consultant and period."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lead_a1 = cls.lead(cls.partner("Export 客户一", cls.alice), cls.alice,
                               revenue=1000000.0)
        cls.lead_a2 = cls.lead(cls.partner("Export 客户二", cls.alice), cls.alice,
                               revenue=2500000.55, unit_count=2)
        b5_customer = cls.partner("Export B5", cls.bob)
        # sudo(): decisions are an append-only log
        cls.env["attribution.decision"].sudo().create({
            "partner_id": b5_customer.id, "rule_code": "B5", "owner_id": cls.bob.id,
            "previous_owner_id": cls.alice.id, "explanation": "B5"})
        cls.lead_b5 = cls.lead(b5_customer, cls.bob, revenue=800000.0)
        cls.lead_carol = cls.lead(cls.partner("Export carol", cls.carol), cls.carol,
                                  revenue=300000.0)
        leads = cls.lead_a1 | cls.lead_a2 | cls.lead_b5 | cls.lead_carol
        leads.action_set_won()
        # won at a fixed moment (noon at the office, 04:00 UTC), the lines computed
        # again: the period of the export does not depend on the time of the run
        leads.write({"date_closed": "2026-03-02 04:00:00"})
        leads.action_compute_splits()
        cls.today = "2026-03-02"

    def export(self, user=None, users=None, date_from=None, date_to=None):
        Wizard = self.env["attribution.split.export.wizard"]
        if user:
            Wizard = Wizard.sudo(user)
        wizard = Wizard.create({
            "date_from": date_from or self.today, "date_to": date_to or self.today,
            "user_ids": [(6, 0, users.ids if users else [])]})
        action = wizard.action_export()
        self.assertEqual(action["report_type"], "xlsx")
        report = self.env.ref("sales_attribution.attribution_split_xlsx_report")
        if user:
            report = report.sudo(user)
        content, ext = report.render(wizard.ids, {})
        self.assertEqual(ext, "xlsx")
        sheet = load_workbook(BytesIO(content)).worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]

    def test_workbook_streams_in_constant_memory(self):
        options = self.env["report.sales_attribution.attribution_split_xlsx"]\
            .get_workbook_options()
        self.assertTrue(options["constant_memory"])

    def test_export_headers_lines_subtotals_totals(self):
        rows = self.export(users=self.alice | self.bob | self.carol)
        self.assertEqual(rows[0][:9], HEADERS)
        labels = [r[0] for r in rows]
        # alice: group row, 3 lines (two deals + B5 original), subtotal
        alice_at = labels.index(self.alice.name)
        alice_rows = rows[alice_at + 1:alice_at + 4]
        self.assertEqual(sorted(r[1] for r in alice_rows),
                         sorted([self.lead_a1.name, self.lead_a2.name,
                                 self.lead_b5.name]))
        b5_row = [r for r in alice_rows if r[1] == self.lead_b5.name][0]
        self.assertEqual(b5_row[:9], ["Export B5", self.lead_b5.name, 1, "B5", "原顾问",
                                      0, 20, 0, 3200])
        a2_row = [r for r in alice_rows if r[1] == self.lead_a2.name][0]
        self.assertEqual(a2_row[2:9], [2, "A1", "归属顾问", 100, 100, 2500000.55,
                                       50000.01])
        subtotal = rows[alice_at + 4]
        self.assertEqual(subtotal[:2], ["小计", self.alice.name])
        self.assertAlmostEqual(subtotal[7], 3500000.55, places=2)
        self.assertAlmostEqual(subtotal[8], 20000 + 50000.01 + 3200, places=2)
        # totals row equals the sum of the lines
        line_rows = [r for r in rows[1:] if r[3]]
        total = [r for r in rows if r[0] == "合计"]
        self.assertEqual(len(total), 1)
        self.assertAlmostEqual(total[0][7], sum(r[7] for r in line_rows), places=2)
        self.assertAlmostEqual(total[0][8], sum(r[8] for r in line_rows), places=2)
        self.assertAlmostEqual(total[0][7], 1000000 + 2500000.55 + 800000 + 300000,
                               places=2)
        self.assertEqual(len(line_rows), 5)
        self.assertEqual(labels.count("小计"), 3)
        # subtotals add up to the total
        subtotals = [r for r in rows if r[0] == "小计"]
        self.assertAlmostEqual(sum(r[8] for r in subtotals), total[0][8], places=2)

    def test_export_filters_consultants_and_period(self):
        rows = self.export(users=self.carol)
        line_rows = [r for r in rows[1:] if r[3]]
        self.assertEqual([r[1] for r in line_rows], [self.lead_carol.name])
        rows = self.export(date_from="2000-01-01", date_to="2000-12-31")
        self.assertEqual([r[0] for r in rows[1:] if r and r[0]], ["合计"])

    def test_export_as_consultant_only_own_lines(self):
        rows = self.export(user=self.bob)
        line_rows = [r for r in rows[1:] if r[3]]
        self.assertEqual([r[1] for r in line_rows], [self.lead_b5.name])
        self.assertNotIn(self.alice.name, [r[0] for r in rows])
        rows = self.export(user=self.alice)
        self.assertEqual(len([r for r in rows[1:] if r[3]]), 3)
