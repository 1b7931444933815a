"""Exports cannot carry formulas (issue 17): every text a user controls lands in the
XLSX split export as a text cell, exactly as typed; amounts stay numbers."""
import re
from io import BytesIO

from openpyxl import load_workbook

from odoo.tests.common import TransactionCase

from ..tools import import_errors
from .common_splits import SplitsCase

#: what users may type: their own display name, a customer's, a deal's
USER_NAME = '=HYPERLINK("http://x","y")'
TEXTS = ("+1+1", "-2", "@SUM(A1)", "\tTab deal", "\rCR deal", "=1+2", "-3.5")


def unescape(text):
    """The text as Excel shows it: the file format (ST_Xstring) stores a control
    character as ``_xHHHH_``, which openpyxl leaves as is."""
    return re.sub(r"_x([0-9A-F]{4})_", lambda m: chr(int(m.group(1), 16)), text)


class TestSplitExportFormulas(SplitsCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Odoo lets every user edit their own name (Preferences)
        cls.alice.sudo(cls.alice).write({"name": USER_NAME})
        customer = cls.partner("+1+1", cls.alice)
        cls.leads = cls.lead(customer, cls.alice, revenue=1000.0)
        cls.leads.name = "-2"
        for name in TEXTS[2:]:
            lead = cls.lead(cls.partner(name, cls.alice), cls.alice, revenue=500.0)
            lead.name = name
            cls.leads |= lead
        # a credit note of a deal: negative amounts stay negative numbers
        refund = cls.lead(cls.partner("退款客户", cls.alice), cls.alice,
                          revenue=-300.0)
        refund.name = "退款"
        cls.leads |= refund
        cls.leads.action_set_won()

    def export(self, user):
        wizard = self.env["attribution.split.export.wizard"].sudo(user).create({
            "date_from": self.today, "date_to": self.today,
            "user_ids": [(6, 0, self.alice.ids)]})
        report = self.env.ref("sales_attribution.attribution_split_xlsx_report")
        content, _ext = report.sudo(user).render(wizard.ids, {})
        return load_workbook(BytesIO(content)).worksheets[0]

    def test_export_texts_are_text_cells_never_formulas(self):
        for user in (self.manager, self.alice):
            sheet = self.export(user)
            cells = [cell for row in sheet.iter_rows() for cell in row
                     if cell.value is not None]
            formulas = [(c.coordinate, c.value) for c in cells if c.data_type == "f"]
            self.assertEqual(formulas, [], "no cell is a formula")
            texts = {unescape(c.value) for c in cells if c.data_type == "s"}
            for text in (USER_NAME, "+1+1") + TEXTS:
                self.assertIn(text, texts, "%r is written as typed, as text" % text)

    def test_export_amounts_stay_numbers_negatives_too(self):
        sheet = self.export(self.manager)
        rows = [[cell for cell in row] for row in sheet.iter_rows(min_row=2)]
        lines = [row for row in rows if row[3].value]  # rule code: a split line
        self.assertEqual(len(lines), len(self.leads))
        for row in lines:
            for cell in row[5:9]:
                self.assertEqual(cell.data_type, "n", cell.coordinate)
        refund = [row for row in lines if row[1].value == "退款"][0]
        self.assertEqual((refund[7].value, refund[8].value),
                         (-300, refund[8].value))
        self.assertLess(refund[8].value, 0)
        total = [row for row in rows if row[0].value == "合计"][0]
        self.assertEqual(total[7].data_type, "n")
        self.assertAlmostEqual(total[7].value, 1000 + 500 * 5 - 300, places=2)


class TestImportErrorRowsFormulas(TransactionCase):
    """The error rows an import gives back (``tools.import_errors``) hold the sheet's
    own cells: a cell typed as ``=HYPERLINK(...)`` comes back as text."""

    def test_error_rows_texts_are_text_cells_never_formulas(self):
        cells = (USER_NAME,) + TEXTS
        content = import_errors.error_workbook(
            ["=客户", "+电话"] + ["@%d" % i for i in range(len(cells) - 2)],
            [(list(cells), "=号码无法识别")], "错误")
        sheet = load_workbook(BytesIO(content)).worksheets[0]
        found = [cell for row in sheet.iter_rows() for cell in row
                 if cell.value is not None]
        self.assertEqual([(c.coordinate, c.value) for c in found
                          if c.data_type == "f"], [])
        texts = {unescape(c.value) for c in found if c.data_type == "s"}
        for text in cells + ("=客户", "+电话", "=号码无法识别"):
            self.assertIn(text, texts)
