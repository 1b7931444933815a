"""Issue 16: a year of history names consultants who have left since (archived).

Their rows are the office's history: the register's receivers, requested consultants
and the deal ledger's consultants are matched among the project's consultants,
archived ones included, in every entry point (preview, import row by row through
the desk's engine, bulk import, background batch, deal ledger); a customer the
history leaves with a departed consultant stays theirs, the manager is told on the
row's line and in the summary, and the handover (离职交接, H1) moves them. At the desk
nothing changes: a departed receiver is refused, a departed owner loses the
customer.
"""
from unittest import mock

from odoo.exceptions import ValidationError

from ..attribution import terms
from ..models import attribution_import_batch as batch_module
from .common import make_user
from .test_deal_import import ZH as DEAL_ZH
from .test_deal_import import DealImportCase
from .visit_import_common import VisitImportCase, xlsx

#: the note of a row whose customer ends with 李娜, who has left
LEFT_ZH = "李娜已离职:按历史记录归其所有的客户仍归其所有,直至经理办理离职交接"


class _Rollback(Exception):
    pass


class TestImportDeparted(VisitImportCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        consultant = cls.env.ref("sales_attribution.group_consultant")
        # 周老师 never was a member: she received a walk-in of the project, then left
        cls.zhou = make_user(cls.env, "sa_test_zhou", "周敏", consultant,
                             email="zhou@example.invalid")
        cls.zhou_phone = cls.phone()
        cls.register(cls, desk=cls.manager, phone=cls.zhou_phone, partner_name="褚先生",
                     receiver_id=cls.zhou.id, visit_datetime=cls.ago(300),
                     late_entry_reason="补登")
        cls.zhou.active = False
        cls.li.active = False
        # an active consultant of another project only
        cls.other_team = cls.env["crm.team"].create({"name": "案场 Other Office"})
        cls.sun = make_user(cls.env, "sa_test_sun", "孙七", consultant,
                            email="sun@example.invalid",
                            sale_team_id=cls.other_team.id)

    def rolled_back(self, run):
        """``run()``'s result, the database as it was after."""
        result = []
        try:
            with self.env.cr.savepoint():
                result.append(run())
                raise _Rollback()
        except _Rollback:
            pass
        self.env.clear()
        return result[0]

    def import_lines(self, data, per_row, action="action_import"):
        """``{row: (state, rule, owner, receiver, message)}`` and the summary of
        ``data`` imported (or previewed) row by row or in bulk."""
        Notice = self.env["attribution.owner.notice"]
        departed = [("partner_id", "in",
                     (self.li | self.zhou).mapped("partner_id").ids)]
        notices = Notice.search(departed)
        wizard = self.wizard(data).with_context(**{terms.CTX_IMPORT_PER_ROW: per_row})
        getattr(wizard, action)()
        lines = {line.row: (line.state, line.rule_code, line.owner_id,
                            line.receiver_id, line.message)
                 for line in wizard.line_ids}
        owners = {phone: self.env["res.partner"].search(
            [("mobile", "=", phone)]).attribution_owner_id
            for phone in {line.phone for line in wizard.line_ids}}
        # nobody who has left is queued a notice of a customer
        self.assertEqual(Notice.search(departed), notices)
        return lines, wizard.departed_summary or "", owners

    def history(self):
        self.first, self.second = self.phone(), self.phone()
        return xlsx([
            # 李娜 (left since) received 钱先生 ...
            (self.office(60), "钱先生", self.first, "李娜"),
            # ... who came back to 张伟 within 30 days: the first receiver keeps
            (self.office(50), "钱先生", self.first, "张伟"),
            # named by login, and asked for by a customer 张伟 received (A2)
            (self.office(45), "孙女士", self.second, "sa_test_li"),
            (self.office(40), "冯先生", self.phone(), "张伟", "自然来访", "李娜"),
            # 周敏 left too: she received a visit of the project before
            (self.office(30), "褚先生", self.zhou_phone, "周敏"),
            # an active consultant of another project, and nobody
            (self.office(20), "卫先生", self.phone(), "孙七"),
            (self.office(20), "蒋先生", self.phone(), "没这个人"),
        ])

    def assertHistoryKept(self, lines, summary, owners):
        self.assertEqual([lines[r][:4] for r in range(2, 6)], [
            ("ok", "A5", self.li, self.li),
            ("ok", "B6", self.li, self.zhang),
            ("ok", "A5", self.li, self.li),
            ("ok", "A2", self.li, self.zhang),
        ], "\n".join(lines[r][4] for r in range(2, 6)))
        self.assertEqual((lines[6][0], lines[6][2], lines[6][3]),
                         ("ok", self.zhou, self.zhou), lines[6][4])
        for row in (2, 3, 4, 5):
            self.assertIn(LEFT_ZH, lines[row][4])
            self.assertIn("CRM > 案场判客 > 离职交接", lines[row][4])
        self.assertIn("周敏已离职", lines[6][4])
        self.assertEqual(lines[7][0], "error")
        self.assertIn("顾问“孙七”不是本项目的成员", lines[7][4])
        self.assertEqual(lines[8][0], "error")
        self.assertIn("顾问“没这个人”不是本项目的成员", lines[8][4])
        self.assertIn("4位客户最终归属已离职的顾问(周敏, 李娜)", summary)
        self.assertEqual(owners[self.first], self.li)
        self.assertEqual(owners[self.zhou_phone], self.zhou)

    # ------------------------------------------------------------------ tests

    def test_departed_receivers_history_row_by_row_and_in_bulk(self):
        data = self.history()
        per_row = self.rolled_back(lambda: self.import_lines(data, True))
        self.assertHistoryKept(*per_row)
        bulk = self.rolled_back(lambda: self.import_lines(data, False))
        self.assertHistoryKept(*bulk)
        self.assertEqual(per_row, bulk)

    def test_departed_preview_shows_the_history_both_ways(self):
        data = self.history()
        for per_row in (True, False):
            lines, summary, _owners = self.rolled_back(
                lambda: self.import_lines(data, per_row, "action_preview"))
            self.assertEqual(lines[2][:3], ("ok", "A5", self.li))
            self.assertEqual(lines[3][:3], ("ok", "B6", self.li))
            self.assertIn(LEFT_ZH, lines[3][4])
            self.assertIn("4位客户最终归属已离职的顾问", summary)
        self.assertFalse(self.env["attribution.visit"].search(
            [("import_fingerprint", "!=", False)]), "the preview saved visits")

    def test_departed_desk_unchanged_and_handover_moves_the_imported(self):
        phone = self.phone()
        self.run_import(xlsx([(self.office(20), "钱先生", phone, "李娜")]))
        customer = self.visits(phone).partner_id
        self.assertEqual(customer.attribution_owner_id, self.li)
        lead = self.env["crm.lead"].create({
            "name": "Lead 钱先生", "partner_id": customer.id, "type": "opportunity",
            "user_id": self.li.id, "team_id": self.team.id,
            "stage_id": self.stage_new.id})
        # the desk still refuses a departed receiver ...
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.register(phone=self.phone(), receiver_id=self.li.id)
        # ... and the handover moves the history's customer, H1
        wizard = self.env["attribution.handover.wizard"].sudo(self.manager).create({
            "user_id": self.li.id, "team_id": self.team.id,
            "successor_ids": [(6, 0, self.wang.ids)]})
        wizard.action_apply()
        self.assertEqual(customer.attribution_owner_id, self.wang)
        self.assertEqual(lead.user_id, self.wang)
        decision = self.env["attribution.decision"].search(
            [("partner_id", "=", customer.id)], order="id desc", limit=1)
        self.assertEqual((decision.rule_code, decision.previous_owner_id,
                          decision.owner_id), ("H1", self.li, self.wang))

    def test_departed_owner_at_the_desk_loses_the_imported_customer_H1(self):
        phone = self.phone()
        self.run_import(xlsx([(self.office(5), "钱先生", phone, "李娜")]))
        again = self.register(phone=phone, receiver_id=self.zhang.id)
        self.assertEqual(again.rule_code, "H1")
        self.assertNotEqual(again.owner_id, self.li)

    def test_departed_namesake_is_an_ambiguity_asking_for_the_login(self):
        consultant = self.env.ref("sales_attribution.group_consultant")
        namesake = make_user(self.env, "sa_test_zhang2", "张伟", consultant,
                             email="zhang2@example.invalid", sale_team_id=self.team.id)
        namesake.active = False
        phone, other = self.phone(), self.phone()
        data = xlsx([(self.office(9), "韩先生", phone, "张伟"),
                     (self.office(8), "杨先生", other, "sa_test_zhang2")])
        for per_row in (True, False):
            lines, _summary, _owners = self.rolled_back(
                lambda: self.import_lines(data, per_row))
            self.assertEqual(lines[2][0], "error")
            self.assertIn("本项目有多位顾问名为“张伟”(sa_test_zhang、sa_test_zhang2),"
                          "请改填其登录名", lines[2][4])
            self.assertEqual(lines[3][:3], ("ok", "A5", namesake))

    def test_departed_in_a_background_batch_the_manager_is_told(self):
        self.env["ir.config_parameter"].sudo().set_param(
            batch_module.BACKGROUND_ROWS_PARAM, "2")
        data = self.history()
        with mock.patch.object(batch_module, "CHUNK_ROWS", 3):
            action = self.wizard(data).action_import()
            batch = self.env["attribution.import.batch"].browse(action["res_id"])
            while batch._claim_self() and batch._process_chunk():
                pass
        rows = {r.row: r for r in batch.row_ids}
        self.assertEqual([rows[r].state for r in range(2, 9)],
                         ["ok"] * 5 + ["error"] * 2)
        self.assertIn(LEFT_ZH, rows[3].message)
        visit = self.env["attribution.visit"].browse(rows[3].res_id)
        self.assertEqual((visit.owner_id, visit.receiver_id), (self.li, self.zhang))
        message = batch.message_ids.filtered(
            lambda m: self.manager.partner_id in m.partner_ids)
        self.assertIn("4位客户最终归属已离职的顾问(周敏, 李娜)", message.body)


class TestDealImportDeparted(DealImportCase):

    def test_departed_consultant_deal_kept_and_told(self):
        self.bob.active = False
        consultant = self.env.ref("sales_attribution.group_consultant")
        other = self.env["crm.team"].create({"name": "Other Split Office"})
        make_user(self.env, "sa_split_dan", "Dan 赵", consultant,
                  email="dan@example.invalid", sale_team_id=other.id)
        # an archived namesake of Alice 王 in the project: her name is ambiguous
        namesake = make_user(self.env, "sa_split_alice2", "Alice 王", consultant,
                             email="alice2@example.invalid",
                             sale_team_id=self.team.id)
        namesake.active = False
        wizard = self.wizard(DEAL_ZH, [
            ["王大伟", "13901000011", 1, 1000000, self.day, "Bob 李", ""],
            ["李小红", "13901000012", 1, 1000000, self.day, "Dan 赵", ""],
            ["赵小明", "13901000013", 1, 1000000, self.day, "Alice 王", ""],
            ["钱小明", "13901000014", 1, 1000000, self.day, "sa_split_alice2", ""],
        ])
        wizard.action_import()
        lines = {line.row: line for line in wizard.line_ids}
        self.assertEqual(lines[2].state, "ok", lines[2].message)
        self.assertEqual((lines[2].consultant_id, lines[2].owner_id),
                         (self.bob, self.bob))
        self.assertIn("Bob 李 has left the office", lines[2].message)
        self.assertEqual(lines[2].lead_id.user_id, self.bob)
        self.assertEqual(lines[3].state, "error")
        self.assertIn("Dan 赵 is not a member", lines[3].message)
        self.assertEqual(lines[4].state, "error")
        self.assertIn("are named Alice 王: use their login", lines[4].message)
        self.assertEqual((lines[5].state, lines[5].owner_id), ("ok", namesake),
                         lines[5].message)
        self.assertIn("2 customers end with a consultant who has left (Alice 王, "
                      "Bob 李)",
                      wizard.departed_summary)

    def test_departed_consultant_deal_batch_tells_the_manager(self):
        self.bob.active = False
        self.env["ir.config_parameter"].sudo().set_param(
            batch_module.BACKGROUND_ROWS_PARAM, "2")
        wizard = self.wizard(DEAL_ZH, [
            ["王大伟", "13901000031", 1, 1000000, self.day, "Bob 李", ""],
            ["李小红", "13901000032", 1, 1000000, self.day, "sa_split_bob", ""],
            ["赵小明", "13901000033", 1, 1000000, self.day, "Alice 王", ""],
        ])
        with mock.patch.object(batch_module, "CHUNK_ROWS", 2):
            batch = self.env["attribution.import.batch"].browse(
                wizard.action_import()["res_id"])
            while batch._claim_self() and batch._process_chunk():
                pass
        self.assertEqual((batch.state, batch.count_ok), ("done", 3))
        rows = {r.row: r for r in batch.row_ids}
        self.assertIn("Bob 李 has left the office", rows[2].message)
        self.assertFalse(rows[4].message)
        message = batch.message_ids.filtered(
            lambda m: self.manager.partner_id in m.partner_ids)
        self.assertIn("2 customers end with a consultant who has left (Bob 李)",
                      message.body)
