"""The demo office's sample register (demo/visit_register_sample.xlsx) imports cleanly
and every row becomes what the rule book says."""
import base64

from odoo.modules.module import get_module_resource
from odoo.tests.common import SavepointCase


class TestVisitImportDemo(SavepointCase):

    def test_demo_sample_register_imports_cleanly(self):
        path = get_module_resource("sales_attribution", "demo",
                                   "visit_register_sample.xlsx")
        with open(path, "rb") as handle:
            data = handle.read()
        manager = self.env.ref("sales_attribution.user_manager_demo")
        wizard = self.env["attribution.visit.import"].sudo(manager).create({
            "file": base64.b64encode(data), "filename": "visit_register_sample.xlsx",
            "team_id": self.env.ref("sales_attribution.team_office_demo").id})
        wizard.action_preview()
        self.assertEqual(set(wizard.line_ids.mapped("state")), {"ok"},
                         wizard.line_ids.mapped("message"))

        def outcome():
            return [(ln.row, ln.owner_id.login, ln.rule_code) for ln in wizard.line_ids]
        previewed = outcome()
        wizard.action_import()
        imported = outcome()
        self.assertEqual(previewed, imported, "the preview foretold the import")
        self.assertEqual(imported, [
            (2, "zhangwei", "A5"), (3, "liuna", "A5"), (4, "zhangwei", "B6"),
            (5, "lixiang", "B3b"), (6, "liuna", "B4"), (7, "zhangwei", "A2"),
            (8, "wangfang", "B7"), (9, "chenjing", "B6")])
        self.assertEqual(len(wizard.line_ids.mapped("visit_id")), 8)
