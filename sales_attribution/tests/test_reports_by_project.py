"""Issue 14, point 6: the dashboard, the performance views and the XLSX exports group by
project (案场, ``team_id``) as well as by consultant."""
from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook

from odoo.tests.common import SavepointCase
# odoo.tools.translate is shadowed by the function odoo.tools.translate: import names

from ..attribution import register_import as register
from ..attribution import terms
from ..report.attribution_split_xlsx import NO_PROJECT, PROJECT_HEADERS, PROJECT_SHEET
from .common import load_chinese
from .common_splits import SplitsCase

#: the deals' won moment: noon at the office on 2 March 2026 (04:00 UTC)
WON_AT = "2026-03-02 04:00:00"
DAY = "2026-03-02"


def cents(value):
    return Decimal("%.2f" % (value or 0.0))


class TestReportsByProject(SplitsCase):
    """Two projects: the split office (A: Alice, Bob) and 二期 (B: Alice, Carol).
    Alice works in both; each project has its own rotation and deals."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team.name = "一期 Project A"
        # the manager manages both projects (a manager sees only theirs, issue 14)
        cls.team.user_id = cls.manager
        cls.team_b = cls.env["crm.team"].create({
            "name": "二期 Project B", "attribution_bonus_rate": 1.5,
            "user_id": cls.manager.id})
        cls.rotation_b = cls.env["attribution.rotation"].create({
            "team_id": cls.team_b.id,
            "member_ids": [(0, 0, {"user_id": u.id, "sequence": seq})
                           for seq, u in ((10, cls.alice), (20, cls.carol))]})

        def deal(name, owner, revenue, team):
            lead = cls.lead(cls.partner(name, owner), owner, revenue=revenue)
            lead.team_id = team
            return lead

        cls.a_alice = deal("项目A 客户一", cls.alice, 1000000.01, cls.team)
        cls.a_bob = deal("项目A 客户二", cls.bob, 333333.33, cls.team)
        cls.b_alice = deal("项目B 客户三", cls.alice, 2000000.05, cls.team_b)
        cls.b_carol = deal("项目B 客户四", cls.carol, 777777.77, cls.team_b)
        cls.b_carol2 = deal("项目B 客户五", cls.carol, 123456.78, cls.team_b)
        cls.leads = cls.a_alice | cls.a_bob | cls.b_alice | cls.b_carol | cls.b_carol2
        cls.leads.action_set_won()
        # won at a fixed moment, lines computed again: the period does not depend on
        # the time of the run
        cls.leads.write({"date_closed": WON_AT})
        cls.leads.action_compute_splits()

    # ------------------------------------------------------------------ helpers

    def expected(self, leads):
        """{(team, user): (performance, bonus)} of the split lines of ``leads``, in
        cents, summed in Python from the lines themselves."""
        sums = {}
        for line in leads.mapped("split_line_ids"):
            key = (line.team_id, line.user_id)
            perf, bonus = sums.get(key, (Decimal(0), Decimal(0)))
            sums[key] = (perf + cents(line.performance_amount),
                         bonus + cents(line.bonus_amount))
        return sums

    def export(self, user=None, teams=None):
        """The workbook of the export of the won day (as ``user``)."""
        Wizard = self.env["attribution.split.export.wizard"]
        report = self.env.ref("sales_attribution.attribution_split_xlsx_report")
        if user:
            Wizard, report = Wizard.sudo(user), report.sudo(user)
        wizard = Wizard.create({"date_from": DAY, "date_to": DAY,
                                "team_ids": [(6, 0, teams.ids if teams else [])]})
        content, ext = report.render(wizard.ids, {})
        self.assertEqual(ext, "xlsx")
        return load_workbook(BytesIO(content))

    @staticmethod
    def rows(sheet):
        return [list(row) for row in sheet.iter_rows(values_only=True)]

    def detail_lines(self, book):
        """Line rows of the detail sheet: (project, lead, performance, bonus)."""
        return [(r[9], r[1], r[7], r[8]) for r in self.rows(book.worksheets[0])[1:]
                if r[3]]

    # ------------------------------------------------------------------ the lines

    def test_split_lines_store_the_deals_project(self):
        for lead in self.leads:
            self.assertEqual(lead.split_line_ids.mapped("team_id"), lead.team_id)
        # the deal moves to another project: its lines follow
        self.a_bob.team_id = self.team_b
        self.assertEqual(self.a_bob.split_line_ids.mapped("team_id"), self.team_b)
        self.assertEqual(self.env["attribution.split.line"].search_count(
            [("lead_id", "=", self.a_bob.id), ("team_id", "=", self.team_b.id)]),
            len(self.a_bob.split_line_ids))

    def test_read_group_by_project_and_consultant(self):
        Line = self.env["attribution.split.line"]
        groups = Line.read_group(
            [("lead_id", "in", self.leads.ids)],
            ["team_id", "user_id", "performance_amount", "bonus_amount"],
            ["team_id", "user_id"], lazy=False)
        got = {(g["team_id"][0], g["user_id"][0]): (cents(g["performance_amount"]),
                                                    cents(g["bonus_amount"]))
               for g in groups}
        expected = {(team.id, user.id): value
                    for (team, user), value in self.expected(self.leads).items()}
        self.assertEqual(got, expected)
        # Alice has a line in each project; each project's performance is its deals'
        by_team = {g["team_id"][0]: cents(g["performance_amount"])
                   for g in Line.read_group([("lead_id", "in", self.leads.ids)],
                                            ["team_id", "performance_amount"],
                                            ["team_id"])}
        self.assertEqual(by_team, {
            self.team.id: cents(1000000.01) + cents(333333.33),
            self.team_b.id: cents(2000000.05) + cents(777777.77) + cents(123456.78)})
        self.assertEqual({k[1] for k in got if k[0] == self.team.id},
                         {self.alice.id, self.bob.id})
        self.assertEqual({k[1] for k in got if k[0] == self.team_b.id},
                         {self.alice.id, self.carol.id})

    def test_views_group_by_project(self):
        Line = self.env["attribution.split.line"]
        pivot = Line.fields_view_get(view_type="pivot")["arch"]
        self.assertLess(pivot.index('name="team_id" type="row"'),
                        pivot.index('name="user_id" type="row"'),
                        "the pivot's rows: project, then consultant")
        for model in ("attribution.split.line", "attribution.decision",
                      "attribution.visit", "attribution.conflict",
                      "attribution.violation", "attribution.rotation.member"):
            arch = self.env[model].fields_view_get(view_type="search")["arch"]
            self.assertRegex(arch, r"'group_by': 'team_id'", model)
            self.assertIn('<field name="team_id"', arch, model)
        for xmlid in ("attribution_visit_action_dashboard",
                      "attribution_violation_action_dashboard",
                      "attribution_split_line_action_dashboard"):
            action = self.env.ref("sales_attribution." + xmlid)
            self.assertRegex(action.context, r"search_default_group_(project|team)",
                             xmlid)

    # ------------------------------------------------------------------ the export

    def test_export_names_each_lines_project(self):
        lines = self.detail_lines(self.export())
        by_lead = {lead.name: lead.team_id.name for lead in self.leads}
        self.assertEqual(len(lines), len(self.leads.mapped("split_line_ids")))
        for project, lead, _perf, _bonus in lines:
            self.assertEqual(project, by_lead[lead], lead)
        self.assertEqual(self.rows(self.export().worksheets[0])[0][9], "项目")

    def test_export_project_sheet_reconciles_to_the_cent(self):
        book = self.export()
        self.assertEqual(book.sheetnames[1], PROJECT_SHEET)
        rows = self.rows(book.worksheets[1])
        self.assertEqual(tuple(rows[0]), PROJECT_HEADERS)
        names = {user.name: user for user in self.alice | self.bob | self.carol}
        teams = {team.name: team for team in self.team | self.team_b}
        consultant_rows = [r for r in rows[1:] if r[0] and r[1] and r[1] != "小计"]
        got = {(teams[r[0]], names[r[1]]): (cents(r[3]), cents(r[4]))
               for r in consultant_rows}
        self.assertEqual(got, self.expected(self.leads))
        # the project subtotals are the sums of the detail sheet's lines of the project
        detail = self.detail_lines(book)
        subtotals = {r[0]: (cents(r[3]), cents(r[4]), r[2]) for r in rows
                     if r[1] == "小计"}
        self.assertEqual(set(subtotals), set(teams))
        for name in teams:
            mine = [ln for ln in detail if ln[0] == name]
            self.assertEqual(subtotals[name], (
                sum((cents(ln[2]) for ln in mine), Decimal(0)),
                sum((cents(ln[3]) for ln in mine), Decimal(0)), len(mine)), name)
        total = [r for r in rows if r[0] == "合计"]
        self.assertEqual(len(total), 1)
        self.assertEqual(cents(total[0][3]),
                         sum((s[0] for s in subtotals.values()), Decimal(0)))
        self.assertEqual(cents(total[0][4]),
                         sum((s[1] for s in subtotals.values()), Decimal(0)))
        # and the same cents as the detail sheet's total
        detail_total = [r for r in self.rows(book.worksheets[0]) if r[0] == "合计"][0]
        self.assertEqual((cents(detail_total[7]), cents(detail_total[8])),
                         (cents(total[0][3]), cents(total[0][4])))

    def test_export_filters_by_project(self):
        book = self.export(teams=self.team_b)
        lines = self.detail_lines(book)
        self.assertEqual({ln[0] for ln in lines}, {self.team_b.name})
        self.assertEqual(
            sorted({ln[1] for ln in lines}),
            sorted((self.b_alice | self.b_carol | self.b_carol2).mapped("name")))
        projects = {r[0] for r in self.rows(book.worksheets[1])[1:] if r[1]}
        self.assertEqual(projects, {self.team_b.name})

    def test_export_of_a_consultant_sums_only_their_lines(self):
        book = self.export(user=self.alice)
        rows = self.rows(book.worksheets[1])
        self.assertEqual({r[1] for r in rows[1:] if r[1] and r[1] != "小计"},
                         {self.alice.name})
        expected = self.expected(self.leads)
        subtotals = {r[0]: cents(r[3]) for r in rows if r[1] == "小计"}
        self.assertEqual(subtotals, {
            self.team.name: expected[(self.team, self.alice)][0],
            self.team_b.name: expected[(self.team_b, self.alice)][0]})

    def test_export_line_without_project(self):
        lead = self.lead(self.partner("无项目客户", self.bob), self.bob, revenue=5000.5)
        lead.team_id = False
        lead.action_set_won()
        lead.write({"date_closed": WON_AT})
        lead.action_compute_splits()
        book = self.export()
        self.assertIn((NO_PROJECT, lead.name),
                      [(ln[0], ln[1]) for ln in self.detail_lines(book)])
        rows = self.rows(book.worksheets[1])
        subtotal = [r for r in rows if r[0] == NO_PROJECT and r[1] == "小计"]
        self.assertEqual(cents(subtotal[0][3]), cents(5000.5))
        # the lines without project come after the projects
        self.assertEqual([r[0] for r in rows if r[1] == "小计"][-1], NO_PROJECT)

    # ------------------------------------------------------------------ the dashboard

    def test_dashboard_cards_count_their_projects_performance(self):
        members = (self.rotation | self.rotation_b).mapped("member_ids").sudo(
            self.manager).with_context(**{terms.CTX_NOW: "2026-03-03 04:00:00"})
        alice_a = members.filtered(lambda m: m.user_id == self.alice and
                                   m.team_id == self.team)
        alice_b = members.filtered(lambda m: m.user_id == self.alice and
                                   m.team_id == self.team_b)
        expected = self.expected(self.leads)
        # read together, as the reception queue reads its cards
        amounts = {row["id"]: cents(row["month_performance"])
                   for row in members.read(["month_performance"])}
        self.assertEqual(amounts[alice_a.id], expected[(self.team, self.alice)][0])
        self.assertEqual(amounts[alice_b.id], expected[(self.team_b, self.alice)][0])
        action = alice_b.action_open_performance()
        self.assertIn(("team_id", "=", self.team_b.id), action["domain"])
        self.assertIn(("user_id", "=", self.alice.id), action["domain"])

    def test_dashboard_cards_count_their_projects_visits(self):
        now = "2026-03-03 04:00:00"
        for team, hours in ((self.team, 3), (self.team_b, 2), (self.team_b, 1)):
            self.env["attribution.visit"].create({
                "partner_id": self.env["res.partner"].create(
                    {"name": "Dash %s %s" % (team.name, hours)}).id,
                "team_id": team.id, "receiver_id": self.alice.id,
                "asked_prior_visit": True,
                "visit_datetime": "2026-03-03 0%s:00:00" % hours})
        visits = self.env["attribution.visit"].search(
            [("visit_datetime", ">=", "2026-03-02 16:00:00")])
        members = (self.rotation | self.rotation_b).mapped("member_ids").sudo(
            self.manager).with_context(**{terms.CTX_NOW: now})
        for member in members:
            # the rules may hand a walk-in to the next in turn: count actual receivers
            self.assertEqual(member.visits_today, len(visits.filtered(
                lambda v, m=member: v.receiver_id == m.user_id and
                v.team_id == m.team_id)), (member.user_id.name, member.team_id.name))
        self.assertEqual(sum(members.mapped("visits_today")), 3)
        alice_b = members.filtered(lambda m: m.user_id == self.alice and
                                   m.team_id == self.team_b)
        self.assertIn(("team_id", "=", self.team_b.id),
                      alice_b.action_open_visits_today()["domain"])

    # ------------------------------------------------------------------ registers

    def test_visit_register_and_decision_log_name_the_project(self):
        customer = self.partner("登记表 客户")
        visit_a = self.visit(customer, self.bob, 3)
        visit_b = self.env["attribution.visit"].create({
            "partner_id": customer.id, "receiver_id": self.carol.id,
            "asked_prior_visit": True, "team_id": self.team_b.id,
            "visit_datetime": visit_a.visit_datetime.replace(" 02:", " 05:")})
        header = register.header_row("zh_CN")
        column = header.index("项目")
        for xmlid, records in (
                ("attribution_visit_register_xlsx_report", visit_a | visit_b),
                ("attribution_decision_log_xlsx_report",
                 (visit_a | visit_b).mapped("decision_id"))):
            report = self.env.ref("sales_attribution." + xmlid).sudo(
                self.manager).with_context(lang="zh_CN")
            content, _ext = report.render(records.ids, {})
            rows = self.rows(load_workbook(BytesIO(content)).worksheets[0])
            self.assertEqual(rows[0], header)
            self.assertEqual([r[column] for r in rows[1:]],
                             [self.team.name, self.team_b.name], xmlid)
        # the sheet reads back: the project column is a result column, not imported
        self.assertEqual(register.recognize(header).unknown, ())


class TestProjectLabelsInChinese(SavepointCase):
    """A Chinese-speaking manager reads 项目 wherever a report groups by project."""

    def tearDown(self):
        # translations loaded in a test are rolled back: drop what the caches kept
        self.env["ir.translation"].clear_caches()
        super().tearDown()

    def test_project_label_in_zh_CN(self):
        load_chinese(self.env)
        env = self.env(context=dict(self.env.context, lang="zh_CN"))
        for model in ("attribution.split.line", "attribution.decision",
                      "attribution.visit", "attribution.conflict",
                      "attribution.violation", "attribution.rotation.member",
                      "attribution.ownership"):
            self.assertEqual(env[model].fields_get(["team_id"])["team_id"]["string"],
                             "项目", model)
            arch = env[model].fields_view_get(view_type="search")["arch"]
            self.assertIn('string="项目"', arch, model)
        wizard = env["attribution.split.export.wizard"]
        self.assertEqual(wizard.fields_get(["team_ids"])["team_ids"]["string"], "项目")
