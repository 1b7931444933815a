"""A large visit register goes to a background batch (issue 16 point 5): the rows are
replayed in visit-time order across chunks through the wizard's own row path, as the
request would, and a second run of the file adds nothing."""
from unittest import mock

from ..models import attribution_import_batch as batch_module
from .visit_import_common import VisitImportCase, xlsx


class TestVisitImportBatch(VisitImportCase):

    def setUp(self):
        super().setUp()
        self.env["ir.config_parameter"].sudo().set_param(
            batch_module.BACKGROUND_ROWS_PARAM, "2")
        chunk = mock.patch.object(batch_module, "CHUNK_ROWS", 2)
        chunk.start()
        self.addCleanup(chunk.stop)

    def run_batch(self, data):
        action = self.wizard(data).action_import()
        self.assertEqual(action["res_model"], "attribution.import.batch")
        batch = self.env["attribution.import.batch"].browse(action["res_id"])
        self.assertEqual((batch.kind, batch.state), ("visit", "waiting"))
        while batch._claim_self() and batch._process_chunk():
            pass
        return batch

    def test_a_large_register_is_replayed_in_time_order_across_chunks(self):
        phone, other = self.phone(), self.phone()
        data = xlsx([
            # the sheet's rows out of order: the revisit comes first in the file
            (self.office(35), "周先生", phone, "李娜", None, None, None, None, "是"),
            (self.office(30), "钱女士", "12345", "张伟"),
            (self.office(40), "周先生", phone, "张伟", "自然来访", None, None, None, "是"),
            (self.office(20), "孙先生", other, "王芳", None, None, None, None, "是"),
        ])
        batch = self.run_batch(data)
        self.assertEqual((batch.state, batch.row_total, batch.count_ok,
                          batch.count_error, batch.count_duplicate),
                         ("done", 4, 3, 1, 0))
        partner = self.env["res.partner"].search([("mobile", "=", phone)])
        visits = self.env["attribution.visit"].search(
            [("partner_id", "=", partner.id)], order="visit_datetime")
        # first reception 40 days ago by 张伟, the revisit five days later keeps him
        self.assertEqual(visits.mapped("receiver_id"), self.zhang | self.li)
        self.assertEqual(visits.mapped("owner_id"), self.zhang)
        self.assertEqual(visits[1].rule_code, "B6")
        self.assertTrue(all(visits.mapped("is_late_entry")))
        error = batch.row_ids.filtered(lambda r: r.state == "error")
        self.assertEqual(error.row, 3)
        self.assertIn("电话号码过短", error.message)
        self.assertEqual(
            batch.row_ids.filtered(lambda r: r.row == 2).res_id, visits[1].id)

    def test_the_same_register_again_adds_nothing(self):
        data = xlsx([
            (self.office(12), "吴先生", self.phone(), "张伟", None, None, None, None, "是"),
            (self.office(11), "郑女士", self.phone(), "李娜", None, None, None, None, "是"),
            (self.office(10), "冯先生", self.phone(), "王芳", None, None, None, None, "是"),
        ])
        self.run_batch(data)
        visits = self.env["attribution.visit"].search_count([])
        again = self.run_batch(data)
        self.assertEqual((again.count_ok, again.count_duplicate), (0, 3))
        self.assertEqual(self.env["attribution.visit"].search_count([]), visits)

    def test_a_small_register_stays_in_the_request(self):
        data = xlsx([(self.office(9), "陈先生", self.phone(), "张伟", None, None,
                      None, None, "是")])
        wizard = self.wizard(data)
        action = wizard.action_import()
        self.assertEqual(action["res_model"], "attribution.visit.import")
        self.assertEqual(wizard.line_ids.state, "ok")
