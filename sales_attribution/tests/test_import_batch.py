"""Large sheets in the background (issue 16 point 5): a batch stages the file, runs
in chunks, is told apart from the web request by its size, gives the error rows back
as .xlsx and tells the manager. (Chunks in transactions of their own, a restart in
the middle and two workers at once: ``live/test_import_batch.py``.)"""
import base64
import io
from datetime import timedelta
from unittest import mock

import openpyxl

from odoo import fields
from odoo.exceptions import AccessError

from ..models import attribution_import_batch as batch_module
from .test_deal_import import ZH, DealImportCase


class TestImportBatch(DealImportCase):

    def setUp(self):
        super().setUp()
        self.env["ir.config_parameter"].sudo().set_param(
            batch_module.BACKGROUND_ROWS_PARAM, "3")
        chunk = mock.patch.object(batch_module, "CHUNK_ROWS", 2)
        chunk.start()
        self.addCleanup(chunk.stop)

    def rows(self):
        day = fields.Date.from_string(self.today)
        return [
            ["批一", "13902000001", 1, 100000, day - timedelta(days=1), "Alice 王", ""],
            ["批二", "13902000002", 1, 200000, day - timedelta(days=9), "Bob 李", ""],
            ["批错", "123", 1, 300000, day - timedelta(days=5), "Bob 李", ""],
            ["批三", "13902000003", 2, 400000, day - timedelta(days=3), "Carol 张", ""],
            ["批四", "13902000004", 1, 500000, day - timedelta(days=7), "Nobody", ""],
        ]

    def start(self, rows=None):
        wizard = self.wizard(ZH, rows or self.rows())
        action = wizard.action_import()
        self.assertEqual(action["res_model"], "attribution.import.batch")
        return self.env["attribution.import.batch"].browse(action["res_id"])

    def step(self, batch):
        """One chunk, as a cron worker does it (claim, then process)."""
        self.assertTrue(batch._claim_self())
        return batch._process_chunk()

    def activities(self, record, user):
        return self.env["mail.activity"].search([
            ("res_model", "=", record._name), ("res_id", "=", record.id),
            ("user_id", "=", user.id)])

    def imported(self):
        return self.env["crm.lead"].search(
            [("partner_id.mobile", "=like", "1390200000%")])

    def test_a_large_file_goes_to_a_batch_not_the_request(self):
        batch = self.start()
        self.assertEqual((batch.state, batch.kind, batch.user_id, batch.team_id),
                         ("waiting", "deal", self.manager, self.team))
        self.assertFalse(self.imported())
        # a small one stays in the request
        wizard = self.wizard(ZH, self.rows()[:3])
        self.assertEqual(wizard.action_import()["res_model"], "attribution.deal.import")
        self.assertEqual(len(self.imported()), 2)

    def test_chunks_in_replay_order_each_row_once(self):
        batch = self.start()
        self.assertTrue(self.step(batch))  # staging
        self.assertEqual((batch.state, batch.row_total, batch.row_done),
                         ("running", 5, 0))
        staged = batch.row_ids.sorted("sequence")
        # replayed in deal-date order: 9, 7, 5, 3, 1 days ago
        self.assertEqual(staged.mapped("row"), [3, 6, 4, 5, 2])
        self.assertTrue(self.step(batch))
        self.assertEqual((batch.row_done, batch.count_ok, batch.count_error), (2, 1, 1))
        self.assertEqual(len(self.imported()), 1)
        # the rest, as after a restart: what is done stays done, the rest follows
        batch.invalidate_cache()
        while self.step(batch):
            pass
        self.assertEqual((batch.state, batch.row_done, batch.count_ok,
                          batch.count_error, batch.count_duplicate),
                         ("done", 5, 3, 2, 0))
        self.assertEqual(len(self.imported()), 3)
        self.assertFalse(batch._claim_self())
        self.assertEqual(set(batch.row_ids.mapped("state")), {"ok", "error"})
        lead = self.imported().filtered(
            lambda lead: lead.partner_id.mobile == "13902000003")
        self.assertEqual(batch.row_ids.filtered(lambda r: r.row == 5).res_id, lead.id)
        self.assertEqual(lead.split_line_ids.rule_code, "A1")

    def test_the_manager_is_told_when_it_ends(self):
        batch = self.start()
        batch.action_process_now()
        self.assertEqual(batch.state, "done")
        activity = self.activities(batch, self.manager)
        self.assertEqual(len(activity), 1)
        self.assertIn("3 imported, 2 errors, 0 already imported", activity.summary)
        message = batch.message_ids.filtered(
            lambda m: self.manager.partner_id in m.partner_ids)
        self.assertTrue(message)

    def test_error_rows_download_as_xlsx_with_their_columns_and_message(self):
        batch = self.start()
        batch.action_process_now()
        action = batch.sudo(self.manager).action_download_errors()
        self.assertIn("/error_file/", action["url"])
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(batch.error_file)))
        values = [list(r) for r in book.active.iter_rows(values_only=True)]
        self.assertEqual(values[0], ZH + ["Error"])
        self.assertEqual([v[:2] for v in values[1:]],
                         [["批错", "123"], ["批四", "13902000004"]])
        self.assertIn("too short", values[1][7])
        self.assertIn("Nobody is not a member", values[2][7])
        # fixed and imported again: only the fixed rows are new
        fixed = [v[:7] for v in values[1:]]
        fixed[0][1], fixed[1][5] = "13902000005", "Bob 李"
        wizard = self.wizard(ZH, fixed)
        wizard.action_import()
        self.assertEqual(wizard.line_ids.mapped("state"), ["ok", "ok"])
        self.assertEqual(len(self.imported()), 5)

    def test_the_same_file_again_adds_nothing(self):
        self.start().action_process_now()
        leads = self.imported()
        again = self.start()
        again.action_process_now()
        self.assertEqual((again.count_ok, again.count_duplicate, again.count_error),
                         (0, 3, 2))
        self.assertEqual(self.imported(), leads)

    def test_a_file_without_its_columns_fails_whole(self):
        batch = self.env["attribution.import.batch"].sudo(self.manager).create({
            "name": "bad", "kind": "deal", "filename": "bad.xlsx",
            "file": self.wizard(["客户", "电话"], [["王", "13902000009"]] * 5).file,
            "team_id": self.team.id})
        self.assertFalse(self.step(batch))
        self.assertEqual((batch.state, batch.row_total), ("failed", 0))
        self.assertIn("Missing columns", batch.message)
        self.assertTrue(self.activities(batch, self.manager))
        self.assertFalse(batch.row_ids)

    def test_only_managers_download_or_run(self):
        batch = self.start()
        with self.assertRaises(AccessError):
            batch.sudo(self.alice).action_process_now()
        with self.assertRaises(AccessError):
            batch.sudo(self.alice).action_download_errors()
        self.assertEqual(batch.state, "waiting")
