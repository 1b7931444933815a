"""Issue 16: an imported sheet's office dates are those of the project's company.

The importing manager works in another company than the project's, in another time
zone: the register's times are read, and the ownership's first and last visit dates
and a deal's "not after today" are computed, in the zone of the company of the
project whose row it is (``res.company.attribution_timezone``), row by row, in bulk
and for the deal ledger.
"""
from datetime import timedelta
from io import BytesIO

from openpyxl import load_workbook

from odoo import fields

from ..attribution import terms
from .test_deal_import import ZH as DEAL_ZH
from .test_deal_import import DealImportCase
from .visit_import_common import VisitImportCase, xlsx


class _Rollback(Exception):
    pass


def project_in_own_company(env, team, tz_name, users, user_tz):
    """``team``'s company becomes a new company in ``tz_name``, a child of the
    ``users``' company (whose zone becomes ``user_tz``): they still see the project
    (the multi-company rules read ``child_of`` their company) and import into it
    from their own company."""
    parent = users[0].company_id
    parent.attribution_timezone = user_tz
    company = env["res.company"].create({
        "name": "%s Co" % tz_name, "attribution_timezone": tz_name,
        "parent_id": parent.id})
    team.company_id = company
    users.write({"company_ids": [(4, company.id)]})
    return company


class TestImportOfficeZone(VisitImportCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        project_in_own_company(cls.env, cls.team, "Asia/Shanghai",
                               cls.manager | cls.consultants, "America/Los_Angeles")

    def imported(self, data, per_row):
        """``(visit time, first visit date, last visit date)`` of the one customer
        of ``data`` imported, the database rolled back after."""
        result = []
        try:
            with self.env.cr.savepoint():
                wizard = self.wizard(data).with_context(
                    **{terms.CTX_IMPORT_PER_ROW: per_row})
                wizard.action_import()
                self.assertEqual(wizard.line_ids.mapped("state"), ["ok", "ok"],
                                 wizard.line_ids.mapped("message"))
                visits = self.env["attribution.visit"].search(
                    [("import_fingerprint", "!=", False),
                     ("phone", "=", self.sheet_phone)], order="visit_datetime")
                row = self.env["attribution.ownership"].search(
                    [("partner_id", "=", visits[0].partner_id.id),
                     ("team_id", "=", self.team.id)])
                result.append((visits.mapped("visit_datetime"), row.first_visit_date,
                               row.last_visit_date))
                raise _Rollback()
        except _Rollback:
            pass
        self.env.clear()
        return result[0]

    def test_office_dates_in_the_projects_zone_row_by_row_and_in_bulk(self):
        self.sheet_phone = self.phone()
        # early morning in Beijing: still the day before in UTC and in Los Angeles
        first, last = self.office(20, 7, 30), self.office(12, 6, 45)
        data = xlsx([(first, "秦先生", self.sheet_phone, "张伟"),
                     (last, "秦先生", self.sheet_phone, "李娜")])
        expected = (
            [fields.Datetime.to_string(t - timedelta(hours=8)) for t in (first, last)],
            fields.Date.to_string(first.date()), fields.Date.to_string(last.date()))
        for per_row in (True, False):
            self.assertEqual(self.imported(data, per_row), expected,
                             "per row" if per_row else "bulk")

    def test_register_export_in_the_projects_zone_imports_back(self):
        self.sheet_phone = self.phone()
        at = self.office(9, 7, 30)
        self.run_import(xlsx([(at, "秦女士", self.sheet_phone, "张伟")]))
        visit = self.visits(self.sheet_phone)
        action = self.env.ref(
            "sales_attribution.attribution_visit_register_xlsx_report").sudo(
                self.manager).with_context(lang="zh_CN")
        content, _ext = action.render(visit.ids, {})
        sheet = load_workbook(BytesIO(content), read_only=True).worksheets[0]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        self.assertEqual(rows[1][0], at, "the sheet's time, on the office's clock")
        # the exported sheet is the same visit for the import
        again = self.run_import(content)
        self.assertEqual(again.line_ids.mapped("state"), ["duplicate"],
                         again.line_ids.mapped("message"))

    def test_A14_days_counted_on_the_projects_calendar(self):
        # a phone-only customer of 王芳, last followed up 31 days before the visit
        # on the project's (Beijing) calendar: 30 on the manager's (Los Angeles)
        visit_at = self.office(3, 7, 30)
        for per_row in (True, False):
            self.sheet_phone = self.phone()
            self.customer("邹先生", owner=self.wang, mobile=self.sheet_phone,
                          last_followup_date=fields.Date.to_string(
                              visit_at.date() - timedelta(days=31)))
            # received by 王芳 herself and asked for: no collision and nothing for
            # a late entry to hold (the bulk path judges the row itself)
            data = xlsx([(visit_at, "邹先生", self.sheet_phone, "王芳", None,
                          "王芳")])
            result = []
            try:
                with self.env.cr.savepoint():
                    wizard = self.wizard(data).with_context(
                        **{terms.CTX_IMPORT_PER_ROW: per_row})
                    wizard.action_import()
                    visit = self.env["attribution.visit"].search(
                        [("phone", "=", self.sheet_phone)])
                    result.append((visit.rule_code, visit.owner_id,
                                   visit.decision_id.explanation_en))
                    raise _Rollback()
            except _Rollback:
                pass
            self.env.clear()
            code, owner, explanation = result[0]
            self.assertIn("31 days before the visit (limit 30)", explanation,
                          "per row" if per_row else "bulk")
            # the protection lapsed, but the customer asked for her: kept
            self.assertEqual((code, owner), ("A14", self.wang), explanation)
            self.assertIn("the exception applies", explanation)


class TestDealImportOfficeZone(DealImportCase):

    def test_deal_date_checked_in_the_projects_zone(self):
        # the project's company is 11 hours behind UTC, the manager's 14 ahead: its
        # tomorrow is always the manager's today (or yesterday)
        project_in_own_company(self.env, self.team, "Pacific/Pago_Pago",
                               self.manager | self.alice | self.bob | self.carol,
                               "Pacific/Kiritimati")
        now = fields.Datetime.from_string(fields.Datetime.now())
        tomorrow = terms.office_date(now, "Pacific/Pago_Pago") + timedelta(days=1)
        today = terms.office_date(now, "Pacific/Pago_Pago")
        wizard = self.wizard(DEAL_ZH, [
            ["王明天", "13901000021", 1, 1000000, tomorrow, "Alice 王", ""],
            ["王今天", "13901000022", 1, 1000000, today, "Alice 王", ""],
        ])
        wizard.action_import()
        lines = {line.row: line for line in wizard.line_ids}
        self.assertEqual(lines[2].state, "error")
        self.assertIn("the deal date is after today", lines[2].message)
        self.assertEqual(lines[3].state, "ok", lines[3].message)
        self.assertEqual(
            terms.office_date(fields.Datetime.from_string(
                lines[3].lead_id.date_closed), "Pacific/Pago_Pago"), today)
