"""Issue 16, point 7: the visit register and the decision log export to .xlsx in the
import's column layout, and the exported sheet imports back as it is."""
from io import BytesIO

from openpyxl import load_workbook

from odoo.exceptions import AccessError

from ..attribution import register_import as register
from .visit_import_common import VisitImportCase, xlsx


class TestVisitRegisterExport(VisitImportCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.company_id.attribution_late_entry_minutes = 10 ** 7
        cls.phone_a, cls.phone_b = cls.phone(), cls.phone()

    def export(self, records, report="attribution_visit_register_xlsx_report",
               user=None, lang="zh_CN"):
        action = self.env.ref("sales_attribution.%s" % report).sudo(
            user or self.manager).with_context(lang=lang)
        content, ext = action.render(records.ids, {})
        self.assertEqual(ext, "xlsx")
        return content

    def rows(self, content):
        sheet = load_workbook(BytesIO(content), read_only=True).worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]

    def office_visits(self):
        """Two customers: a walk-in, and a referral of the first one's friend."""
        self.run_import(xlsx([
            (self.office(20, 9, 30), "孔先生", self.phone_a, "张伟", None,
             None, None, None, "是", "看了两套"),
            (self.office(10, 16, 0), "柏女士", self.phone_b, "王芳", "老带新", None,
             self.phone_a, "是", "否"),
        ]))
        visits = self.visits(self.phone_a) | self.visits(self.phone_b)
        # a text that xlsxwriter's write() would turn into a live formula
        visits[0].partner_id.name = "=HYPERLINK(\"x\")"
        return visits

    def test_register_export_in_the_import_layout(self):
        visits = self.office_visits()
        rows = self.rows(self.export(visits))
        self.assertEqual(rows[0], register.header_row("zh_CN"))
        first, second = rows[1], rows[2]
        self.assertEqual(first[:11], [
            self.office(20, 9, 30), "=HYPERLINK(\"x\")", self.phone_a, "张伟", "自然来访",
            None, None, "否", "是", "否", "看了两套"])
        self.assertEqual(first[11:13], ["张伟", "A5"])
        self.assertIn("A5", first[13])
        self.assertEqual(second[4:9], ["老带新", None, self.phone_a, "是", "否"])
        self.assertEqual(second[11:13], ["张伟", "B4"])
        english = self.rows(self.export(visits, lang="en_US"))
        self.assertEqual(english[0], register.header_row("en_US"))
        self.assertEqual(english[2][4], "referral")

    def test_exported_register_imports_back_as_duplicates(self):
        visits = self.office_visits()
        for lang in ("zh_CN", "en_US"):
            wizard = self.preview(self.export(visits, lang=lang),
                                  filename="visit_register.xlsx")
            self.assertEqual(wizard.line_ids.mapped("state"),
                             ["duplicate", "duplicate"], wizard.line_ids.mapped(
                                 "message"))
            self.assertFalse(wizard.column_ids.filtered(
                lambda c: c.header in register.header_row(lang)[:10]
                and not c.column), "a register column was not recognised")

    def test_desk_register_round_trips_to_a_new_database_layout(self):
        """A sheet exported, then its register columns read back, gives the same
        rows the rule book judged (the layout is the import's)."""
        desk = self.register(phone=self.phone(), partner_name="卫先生",
                             receiver_id=self.liu.id, note="第一次")
        rows = self.rows(self.export(desk))
        header = register.recognize(rows[0])
        self.assertEqual((header.unknown, header.missing), ((), ()))
        parsed = register.parse_row(2, rows[1], header, self.today)
        self.assertEqual((parsed.phone, parsed.receiver, parsed.partner_name,
                          parsed.kind, parsed.asked_prior_visit, parsed.note),
                         (desk.phone, "刘洋", "卫先生", "walk_in", True, "第一次"))

    def test_decision_log_in_the_same_layout(self):
        visits = self.office_visits()
        decisions = visits.mapped("decision_id")
        rows = self.rows(self.export(decisions,
                                     report="attribution_decision_log_xlsx_report"))
        self.assertEqual(rows[0], register.header_row("zh_CN"))
        self.assertEqual(len(rows), 3)
        self.assertEqual(sorted(r[12] for r in rows[1:]), ["A5", "B4"])
        self.assertEqual(sorted(r[2] for r in rows[1:]),
                         sorted([self.phone_a, self.phone_b]))

    def test_consultant_cannot_export_the_register(self):
        visit = self.register(phone=self.phone(), receiver_id=self.zhang.id)
        with self.assertRaises(AccessError):
            self.export(visit, user=self.zhang)
