"""Issue 16: an office's visit register imported through the rule book.

Sheets are written here (openpyxl, xlwt, CSV) and read by the wizard as a manager
would upload them; the assertions read what the office would see: the preview's lines,
the visits, owners, decisions and conflicts."""
from datetime import timedelta
from unittest import mock

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError

from ..attribution import terms
from .visit_import_common import EN, VisitImportCase, csv_bytes, xls, xlsx


class TestVisitImportPreview(VisitImportCase):

    def test_preview_is_a_dry_run_showing_the_rule_book(self):
        phone = self.phone()
        data = xlsx([
            (self.office(40), "周先生", phone, "张伟", "自然来访", None, None, None, "是"),
            (self.office(35), "周先生", phone, "李娜", None, None, None, None, "否"),
            (self.office(30), "钱女士", "12345", "张伟"),
        ])
        counts = [self.env[m].search_count([]) for m in (
            "attribution.visit", "res.partner", "attribution.decision",
            "attribution.conflict")]
        wizard = self.preview(data)
        lines = self.lines(wizard)
        self.assertEqual(sorted(lines), [2, 3, 4])
        self.assertEqual((lines[2].state, lines[2].owner_id, lines[2].rule_code),
                         ("ok", self.zhang, "A5"), lines[2].message)
        # five days later, not recognised: within 30 days the first receiver keeps
        self.assertEqual((lines[3].state, lines[3].owner_id, lines[3].rule_code),
                         ("ok", self.zhang, "B6"), lines[3].message)
        self.assertEqual(lines[3].receiver_id, self.li)
        self.assertEqual(lines[4].state, "error")
        self.assertIn("第4行", lines[4].message)
        self.assertIn("电话号码过短", lines[4].message)
        self.assertEqual(wizard.state, "preview")
        self.assertEqual((wizard.count_ok, wizard.count_error), (2, 1))
        self.assertEqual(counts, [self.env[m].search_count([]) for m in (
            "attribution.visit", "res.partner", "attribution.decision",
            "attribution.conflict")], "the preview saved something")

    def test_preview_errors_in_english_for_an_english_user(self):
        self.manager.lang = "en_US"
        wizard = self.preview(xlsx([(self.office(3), "Bad", "abc", "张伟")]),
                              lang="en_US")
        line = wizard.line_ids
        self.assertEqual(line.state, "error")
        self.assertIn("Row 2: The phone number contains letters", line.message)

    def test_every_fault_of_a_row_shown(self):
        future = self.today.replace(hour=0) + timedelta(days=2)
        wizard = self.preview(xlsx([
            (future, "甲", "13900000000", "赵六", "路过"),
            (self.office(2), "乙", self.phone(), "赵六"),
            (None, "丙", self.phone(), None),
        ]))
        lines = self.lines(wizard)
        self.assertIn("在将来", lines[2].message)
        self.assertIn("来访类型“路过”无法识别", lines[2].message)
        self.assertIn("顾问“赵六”不是本项目的成员", lines[3].message)
        self.assertIn("缺少来访时间", lines[4].message)
        self.assertIn("缺少接待顾问", lines[4].message)
        self.assertEqual(set(wizard.line_ids.mapped("state")), {"error"})

    def test_missing_column_previewed_and_import_refused(self):
        data = xlsx([(self.office(1), "甲", self.phone())],
                    header=("来访时间", "客户姓名", "电话"))
        wizard = self.preview(data)
        self.assertEqual(wizard.line_ids.state, "error")
        self.assertIn("缺少必需的列:接待顾问", wizard.line_ids.message)
        with self.assertRaises(UserError) as caught:
            wizard.action_import()
        self.assertIn("缺少必需的列", caught.exception.name)

    def test_mapping_step_for_other_headers(self):
        phone = self.phone()
        data = xlsx([(self.office(2), phone, "sa_test_wang", "A栋")],
                    header=("日期时刻", "号码", "谁接的", "楼栋"))
        wizard = self.preview(data)
        self.assertEqual(wizard.line_ids.state, "error")
        columns = {c.header: c for c in wizard.column_ids}
        self.assertEqual(sorted(columns), ["号码", "日期时刻", "楼栋", "谁接的"])
        self.assertFalse(any(c.column for c in wizard.column_ids))
        columns["日期时刻"].column = "visit_at"
        columns["号码"].column = "phone"
        columns["谁接的"].column = "receiver"
        wizard.action_preview()
        line = wizard.line_ids
        self.assertEqual((line.state, line.receiver_id, line.owner_id),
                         ("ok", self.wang, self.wang), line.message)

    def test_unreadable_file_is_a_clear_error(self):
        wizard = self.wizard(b"PK\x03\x04 not really a workbook", "来访登记.xlsx")
        with self.assertRaises(UserError) as caught:
            wizard.action_preview()
        self.assertIn("无法读取文件", caught.exception.name)

    def test_only_managers_preview_and_import(self):
        data = xlsx([(self.office(1), "甲", self.phone(), "张伟")])
        wizard = self.wizard(data, user=self.zhang)
        with self.assertRaises(AccessError):
            wizard.action_preview()
        with self.assertRaises(AccessError):
            wizard.action_import()
        self.assertFalse(self.env["attribution.visit"].search(
            [("import_fingerprint", "!=", False)]))

    def test_consultant_cannot_forge_import_marks(self):
        with self.assertRaises(AccessError):
            self.register(desk=self.zhang, phone=self.phone(),
                          receiver_id=self.zhang.id, import_fingerprint="x|y|1")
        visit = self.register(desk=self.zhang, phone=self.phone(),
                              receiver_id=self.zhang.id)
        with self.assertRaises(AccessError):
            visit.sudo(self.manager).write({"import_fingerprint": "x"})


class TestVisitImportReplay(VisitImportCase):

    def test_import_replays_rows_in_time_order_as_history(self):
        phone = self.phone()
        # the later visit first in the file: replayed after the earlier one
        data = xlsx([
            (self.office(35, 15, 30), "孙先生", phone, "李娜"),
            (self.office(40, 9, 5), "孙先生", phone, "张伟", None, None, None, None,
             "是", "首次"),
        ])
        wizard = self.run_import(data, filename="2025年来访.xlsx")
        self.assertEqual(wizard.state, "done")
        visits = self.visits(phone)
        self.assertEqual(len(visits), 2)
        first, second = visits
        self.assertEqual(first.visit_datetime, fields.Datetime.to_string(
            self.office(40, 9, 5) - timedelta(hours=8)),
            "sheet times are office-local (UTC+8)")
        self.assertEqual((first.owner_id, first.rule_code), (self.zhang, "A5"))
        self.assertEqual((second.owner_id, second.rule_code), (self.zhang, "B6"))
        self.assertEqual(first.partner_id.attribution_owner_id, self.zhang)
        self.assertEqual(first.note, "首次")
        for visit in visits:
            self.assertTrue(visit.is_late_entry)
            self.assertIn("2025年来访.xlsx", visit.late_entry_reason)
            self.assertTrue(visit.import_fingerprint)
        self.assertEqual(first.decision_id.rule_code, "A5")
        self.assertFalse(self.conflicts(first.partner_id))
        lines = self.lines(wizard)
        self.assertEqual(lines[3].visit_id, first)
        self.assertEqual((lines[2].owner_id, lines[2].rule_code), (self.zhang, "B6"))

    def test_A03_B06_sheet_receiver_on_duty_owns_not_todays_rotation(self):
        phone = self.phone()
        members = self.rotation.member_ids
        before = [(m.user_id.id, m.last_assigned) for m in members]
        data = xlsx([(self.office(100), "吴先生", phone, "张伟"),
                     (self.office(50), "吴先生", phone, "王芳")])
        wizard = self.run_import(data)
        self.assertEqual(set(wizard.line_ids.mapped("state")), {"ok"},
                         wizard.line_ids.mapped("message"))
        lapsed = self.visits(phone)[1]
        self.assertEqual((lapsed.rule_code, lapsed.owner_id, lapsed.receiver_id),
                         ("B6", self.wang, self.wang), lapsed.explanation)
        self.assertEqual(lapsed.partner_id.attribution_owner_id, self.wang)
        self.assertEqual(before, [(m.user_id.id, m.last_assigned) for m in members],
                         "the import served a turn of today's rotation")

    def test_A02_requested_consultant_absent_keeps_named_owner(self):
        phone = self.phone()
        data = xlsx([(self.office(5), "郑女士", phone, "王芳", "自然来访", "刘洋")])
        self.run_import(data)
        visit = self.visits(phone)
        self.assertEqual((visit.owner_id, visit.receiver_id, visit.rule_code),
                         (self.liu, self.wang, "A2"), visit.explanation)
        self.assertFalse(self.conflicts(visit.partner_id))

    def test_B04_referral_by_phone_of_an_earlier_row(self):
        old, new = self.phone(), self.phone()
        data = xlsx([
            (self.office(20), "老客户", old, "陈静"),
            (self.office(3), "新客户", new, "陈静", "老带新", None, old, "是"),
        ])
        self.run_import(data)
        visit = self.visits(new)
        self.assertEqual((visit.owner_id, visit.rule_code), (self.chen, "B4"),
                         visit.explanation)
        self.assertEqual(visit.referrer_partner_ids, self.visits(old).partner_id)

    def test_conflict_only_against_an_owner_before_the_import(self):
        known = self.phone()
        desk = self.register(phone=known, partner_name="冯先生", receiver_id=self.li.id)
        self.assertEqual(desk.owner_id, self.li)
        fresh = self.phone()
        data = xlsx([
            # the sheet shows 张伟 received 冯先生 sixty days ago: li's owner stays,
            # the manager settles it
            (self.office(60), "冯先生", known, "张伟"),
            # a customer new to the database received by two consultants in turn:
            # history, judged by the rules, no conflict
            (self.office(20), "褚女士", fresh, "张伟"),
            (self.office(10), "褚女士", fresh, "王芳", None, None, None, None, None),
        ])
        wizard = self.run_import(data)
        lines = self.lines(wizard)
        self.assertEqual(lines[2].owner_id, self.li, lines[2].message)
        self.assertEqual(desk.partner_id.attribution_owner_id, self.li)
        conflict = self.conflicts(desk.partner_id)
        self.assertEqual(len(conflict), 1)
        self.assertEqual(conflict.claimant_ids, self.li | self.zhang)
        # the register kept at the desk shows 张伟 first (A10)
        self.assertEqual(conflict.proposed_owner_id, self.zhang)
        self.assertEqual(lines[2].rule_code, "A10")
        new_customer = self.visits(fresh).mapped("partner_id")
        self.assertEqual(new_customer.attribution_owner_id, self.zhang)
        self.assertFalse(self.conflicts(new_customer))

    def test_no_activity_for_history(self):
        phone = self.phone()
        self.run_import(xlsx([(self.office(5), "蒋女士", phone, "王芳", None, "刘洋")]))
        visit = self.visits(phone)
        self.assertEqual(visit.rule_code, "A2")
        self.assertFalse(self.env["mail.activity"].search([
            ("res_model", "=", "attribution.visit"), ("res_id", "=", visit.id)]))

    def test_row_never_half_saved(self):
        # the desk's engine refuses the row after the customer is found or made
        # (a consultant who has left is no longer such a row: issue 16, they are
        # the history's); nothing of the row stays
        phone, good = self.phone(), self.phone()
        Visit = type(self.env["attribution.visit"])  # the registry's class
        real = Visit._apply_attribution

        def refuse(visit):
            if visit.phone == phone:
                raise ValidationError("refused after the customer was made")
            return real(visit)
        data = xlsx([(self.office(3), "韩先生", phone, "王芳"),
                     (self.office(2), "杨女士", good, "张伟")])
        with mock.patch.object(Visit, "_apply_attribution", refuse):
            wizard = self.wizard(data).with_context(
                **{terms.CTX_IMPORT_PER_ROW: True})
            wizard.action_import()
        lines = self.lines(wizard)
        self.assertEqual(lines[2].state, "error", lines[2].message)
        self.assertIn("refused after the customer was made", lines[2].message)
        self.assertFalse(self.env["res.partner"].search([("mobile", "=", phone)]))
        self.assertFalse(self.visits(phone))
        self.assertEqual(lines[3].state, "ok")
        self.assertEqual(self.visits(good).owner_id, self.zhang)


class TestVisitImportFormats(VisitImportCase):

    def rows(self, phone):
        return [(self.office(12, 14, 0), "朱先生", phone, "sa_test_chen", "walk-in",
                 None, None, None, "yes")]

    def test_english_headers_xls(self):
        phone = self.phone()
        wizard = self.run_import(xls(self.rows(phone), header=EN),
                                 filename="register.xls")
        self.assertEqual(wizard.line_ids.state, "ok", wizard.line_ids.message)
        visit = self.visits(phone)
        self.assertEqual((visit.owner_id, visit.asked_prior_visit), (self.chen, True))

    def test_gb18030_csv_with_chinese_headers(self):
        phone = self.phone()
        data = csv_bytes([(self.office(12, 14, 0), "朱先生", phone, "陈静", "预约",
                           "陈静")], encoding="gb18030")
        wizard = self.run_import(data, filename="来访登记.csv")
        self.assertEqual(wizard.line_ids.state, "ok", wizard.line_ids.message)
        visit = self.visits(phone)
        self.assertEqual(visit.partner_id.name, "朱先生")
        self.assertEqual((visit.kind, visit.appointment_user_id, visit.owner_id),
                         ("appointment", self.chen, self.chen), visit.explanation)

    def test_utf8_csv_with_bom_english_headers(self):
        phone = self.phone()
        data = csv_bytes(self.rows(phone), header=EN, encoding="utf-8-sig")
        wizard = self.run_import(data, filename="register.csv")
        self.assertEqual(wizard.line_ids.state, "ok", wizard.line_ids.message)


class TestVisitImportIdempotence(VisitImportCase):

    def test_re_import_adds_nothing_twice(self):
        a, b, c = self.phone(), self.phone(), self.phone()
        first = xlsx([(self.office(9), "秦先生", a, "张伟"),
                      (self.office(8), "许女士", b, "李娜"),
                      (self.office(8), "许女士", b, "李娜")])  # typed twice
        wizard = self.run_import(first)
        self.assertEqual([ln.state for ln in wizard.line_ids],
                         ["ok", "ok", "duplicate"])
        counts = (self.env["attribution.visit"].search_count([]),
                  self.env["attribution.decision"].search_count([]))
        again = self.run_import(first)
        self.assertEqual(set(again.line_ids.mapped("state")), {"duplicate"})
        self.assertEqual(counts, (self.env["attribution.visit"].search_count([]),
                                  self.env["attribution.decision"].search_count([])))
        # an overlapping file: the phone typed another way, one new row
        overlap = xlsx([(self.office(9), "秦先生", "+86 " + a, "sa_test_zhang"),
                        (self.office(7), "何先生", c, "王芳")])
        third = self.run_import(overlap)
        self.assertEqual([ln.state for ln in third.line_ids], ["duplicate", "ok"])
        self.assertEqual(len(self.visits(a)), 1)

    def test_desk_visit_in_the_file_is_a_duplicate(self):
        phone = self.phone()
        desk = self.register(phone=phone, receiver_id=self.wang.id)
        at = fields.Datetime.from_string(desk.visit_datetime) + timedelta(hours=8)
        wizard = self.preview(xlsx([(at, "", phone, "王芳")]))
        self.assertEqual(wizard.line_ids.state, "duplicate", wizard.line_ids.message)
