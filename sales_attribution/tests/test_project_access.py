"""People across projects (issue 14, point 4), as the real users: two managers of two
projects see, rule and export only their own; a manager of no project sees the whole
company; a consultant works in both rotations; the desk of one project learns
nothing named about a customer known only in the other (scope ``project``)."""
from io import BytesIO

from openpyxl import load_workbook

from odoo.exceptions import AccessError, UserError

from ..attribution import terms
from .common import AttributionCase, load_chinese, make_user


class ProjectsCase(AttributionCase):
    """The test office (project A, its manager 赵经理 as team leader, five consultants)
    and project B: its leader 钱经理, consultant 孙丽 and 张伟, who works in both
    rotations; 周经理, a manager who leads no project."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        consultant = cls.env.ref("sales_attribution.group_consultant")
        manager = cls.env.ref("sales_attribution.group_manager")
        cls.team_b = cls.env["crm.team"].create({"name": "案场 B 二期"})
        cls.manager_b = make_user(cls.env, "sa_pa_manager_b", "钱经理", manager,
                                  sale_team_id=cls.team_b.id)
        cls.sun = make_user(cls.env, "sa_pa_sun", "孙丽", consultant,
                            sale_team_id=cls.team_b.id)
        cls.manager_free = make_user(cls.env, "sa_pa_manager_free", "周经理", manager)
        cls.team_b.user_id = cls.manager_b
        cls.rotation_b = cls.env["attribution.rotation"].create({
            "team_id": cls.team_b.id,
            "member_ids": [(0, 0, {"user_id": cls.zhang.id, "sequence": 10}),
                           (0, 0, {"user_id": cls.sun.id, "sequence": 20})]})

    def register_b(self, **vals):
        """A visit registered at project B's desk by 孙丽."""
        vals.setdefault("team_id", self.team_b.id)
        return self.register(desk=self.sun, **vals)

    def conflict(self, team, claimants, partner=None):
        partner = partner or self.customer("撞单 %s" % team.name, owner=claimants[0])
        return self.env["attribution.conflict"].create({
            "partner_id": partner.id, "team_id": team.id,
            "claimant_ids": [(6, 0, [u.id for u in claimants])],
            "winner_id": claimants[0].id})

    def won_deal(self, partner, user, team):
        lead = self.won_lead(partner, user, 1)
        lead.write({"team_id": team.id, "planned_revenue": 1000000.0})
        lead.action_compute_splits()
        return lead

    def load_chinese(self):
        load_chinese(self.env)
        self.addCleanup(self.env["ir.translation"].clear_caches)


class TestManagersSeeTheirProjects(ProjectsCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        keep = cls.env["attribution.visit"]
        cls.visit_a = keep.sudo(cls.chen).create({
            "team_id": cls.team.id, "asked_prior_visit": True,
            "phone": "13900990001", "partner_name": "A 客户"}).sudo()
        cls.visit_b = keep.sudo(cls.sun).create({
            "team_id": cls.team_b.id, "asked_prior_visit": True,
            "phone": "13900990002", "partner_name": "B 客户"}).sudo()

    def seen(self, user, model, records):
        return self.env[model].sudo(user).search([("id", "in", records.ids)])

    def test_each_manager_reads_the_visits_decisions_and_rows_of_their_project(self):
        visits = self.visit_a | self.visit_b
        decisions = visits.mapped("decision_id")
        rows = self.env["attribution.ownership"].search(
            [("partner_id", "in", visits.mapped("partner_id").ids)])
        self.assertEqual(len(rows), 2)
        for user, visit, team in ((self.manager, self.visit_a, self.team),
                                  (self.manager_b, self.visit_b, self.team_b)):
            self.assertEqual(self.seen(user, "attribution.visit", visits), visit)
            self.assertEqual(self.seen(user, "attribution.decision", decisions),
                             visit.decision_id)
            self.assertEqual(
                self.seen(user, "attribution.ownership", rows).mapped("team_id"), team)

    def test_manager_of_no_project_sees_the_whole_company(self):
        visits = self.visit_a | self.visit_b
        self.assertFalse(self.manager_free._attribution_managed_teams())
        self.assertEqual(self.seen(self.manager_free, "attribution.visit", visits),
                         visits)
        self.assertEqual(
            self.manager_free._attribution_project_domain("team_id"), [(1, "=", 1)])

    def test_co_manager_named_on_the_team_sees_it_and_only_it(self):
        visits = self.visit_a | self.visit_b
        self.team_b.attribution_manager_ids = self.manager_free
        self.assertEqual(self.manager_free._attribution_managed_teams(), self.team_b)
        self.assertEqual(self.seen(self.manager_free, "attribution.visit", visits),
                         self.visit_b)
        # struck off again: the whole company, at once (the rule cache is cleared)
        self.team_b.attribution_manager_ids = False
        self.assertEqual(self.seen(self.manager_free, "attribution.visit", visits),
                         visits)

    def test_records_without_project_stay_visible_to_every_manager(self):
        visit = self.register(team_id=False, phone="13900990003",
                              partner_name="无案场客户", requested_user_id=self.li.id)
        for user in (self.manager, self.manager_b):
            self.assertEqual(self.seen(user, "attribution.visit", visit), visit)

    def test_manager_cannot_write_another_projects_visit(self):
        with self.assertRaises(AccessError):
            self.visit_b.sudo(self.manager).write({"note": "A 的经理改 B 的登记"})
        self.visit_a.sudo(self.manager).write({"note": "A 的经理改 A 的登记"})
        self.assertEqual(self.visit_a.note, "A 的经理改 A 的登记")

    def test_conflicts_and_their_shares_only_of_the_project(self):
        conflict_a = self.conflict(self.team, [self.li, self.wang])
        conflict_b = self.conflict(self.team_b, [self.sun, self.zhang])
        conflict_b.share_line_ids = [(0, 0, {"user_id": self.sun.id,
                                             "performance_share": 100,
                                             "bonus_share": 100})]
        both = conflict_a | conflict_b
        self.assertEqual(self.seen(self.manager, "attribution.conflict", both),
                         conflict_a)
        self.assertEqual(self.seen(self.manager_b, "attribution.conflict", both),
                         conflict_b)
        self.assertFalse(self.seen(self.manager, "attribution.conflict.share",
                                   conflict_b.share_line_ids))
        self.assertEqual(self.seen(self.manager_b, "attribution.conflict.share",
                                   conflict_b.share_line_ids),
                         conflict_b.share_line_ids)

    def test_split_lines_deals_and_export_only_of_the_project(self):
        deal_a = self.won_deal(self.customer("成交 A", owner=self.li), self.li,
                               self.team)
        deal_b = self.won_deal(self.customer("成交 B", owner=self.sun), self.sun,
                               self.team_b)
        lines = (deal_a | deal_b).mapped("split_line_ids")
        self.assertEqual(set(lines.mapped("team_id")), {self.team, self.team_b})
        self.assertEqual(self.seen(self.manager, "attribution.split.line", lines),
                         deal_a.split_line_ids)
        self.assertEqual(self.seen(self.manager, "crm.lead", deal_a | deal_b), deal_a)
        self.assertEqual(self.seen(self.manager_b, "crm.lead", deal_a | deal_b),
                         deal_b)
        wizard = self.env["attribution.split.export.wizard"].sudo(self.manager)\
            .create({"date_from": "2000-01-01", "date_to": "2100-01-01"})
        self.assertEqual(wizard._get_split_lines() & lines, deal_a.split_line_ids)
        report = self.env.ref("sales_attribution.attribution_split_xlsx_report")\
            .sudo(self.manager)
        content, _ext = report.render(wizard.ids, {})
        cells = {c for row in load_workbook(BytesIO(content)).worksheets[0]
                 .iter_rows(values_only=True) for c in row if c}
        self.assertIn("成交 A", cells)
        self.assertNotIn("成交 B", cells)

    def test_manager_cannot_compute_another_projects_splits(self):
        deal_b = self.won_deal(self.customer("成交 B2", owner=self.sun), self.sun,
                               self.team_b)
        with self.assertRaises(AccessError) as caught:
            deal_b.sudo(self.manager).action_compute_splits()
        self.assertIn(self.team_b.name, caught.exception.name)

    def test_visit_register_export_refuses_another_projects_visits(self):
        report = self.env.ref(
            "sales_attribution.attribution_visit_register_xlsx_report")
        with self.assertRaises(AccessError) as caught:
            report.sudo(self.manager).render(
                (self.visit_a | self.visit_b).ids, {})
        self.assertIn(self.team_b.name, caught.exception.name)
        content, _ext = report.sudo(self.manager).render(self.visit_a.ids, {})
        self.assertTrue(content)

    def test_rotation_and_duty_of_another_project_refused(self):
        self.assertFalse(self.seen(self.manager, "attribution.rotation",
                                   self.rotation_b))
        with self.assertRaises(AccessError) as caught:
            self.rotation_b.sudo(self.manager).next_receiver()
        self.assertIn(self.team_b.name, caught.exception.name)
        with self.assertRaises(AccessError):
            self.rotation_b.member_ids[:1].sudo(self.manager).action_toggle_present()
        duty = self.env["attribution.duty"].create({
            "user_id": self.sun.id, "team_id": self.team_b.id,
            "shift_start": self.ago(-1)})
        with self.assertRaises(AccessError):
            duty.sudo(self.manager).action_mark_absent()
        self.assertFalse(duty.absent_marked)
        duty.sudo(self.manager_b).action_mark_absent()
        self.assertTrue(duty.absent_marked)

    def test_manager_cannot_edit_another_projects_team(self):
        with self.assertRaises(AccessError):
            self.team_b.sudo(self.manager).write(
                {"attribution_manager_ids": [(4, self.manager.id)]})
        self.team.sudo(self.manager).write({"attribution_protection_days": 15})
        self.assertEqual(self.team.attribution_protection_days, 15)


class TestManagersRuleTheirProjects(ProjectsCase):

    def test_manager_rules_a_conflict_of_their_project(self):
        conflict = self.conflict(self.team, [self.li, self.wang])
        self.assertTrue(conflict.sudo(self.manager).action_rule())
        self.assertEqual(conflict.state, "ruled")

    def test_manager_cannot_rule_escalate_or_forfeit_another_projects_conflict(self):
        conflict = self.conflict(self.team_b, [self.sun, self.zhang])
        for action in ("action_rule", "action_agree", "action_escalate"):
            with self.assertRaises(AccessError) as caught:
                getattr(conflict.sudo(self.manager), action)()
            self.assertIn(self.team_b.name, caught.exception.name)
            self.assertIn(conflict.name, caught.exception.name)
        conflict.sudo(self.manager_b).action_escalate()
        for action in ("action_forfeit", "action_accept"):
            with self.assertRaises(AccessError):
                getattr(conflict.sudo(self.manager), action)()
        with self.assertRaises(AccessError):
            conflict.sudo(self.manager).write({"winner_id": self.zhang.id})
        self.assertEqual((conflict.state, conflict.winner_id),
                         ("escalated", self.sun))

    def test_refusal_in_chinese_for_a_chinese_manager(self):
        self.load_chinese()
        self.manager.lang = "zh_CN"
        conflict = self.conflict(self.team_b, [self.sun, self.zhang])
        with self.assertRaises(AccessError) as caught:
            conflict.sudo(self.manager).with_context(lang="zh_CN").action_rule()
        self.assertIn("您不管理案场", caught.exception.name)
        self.assertIn(self.team_b.name, caught.exception.name)

    def test_manager_claiming_in_another_project_is_a_claimant_there(self):
        # 赵经理 sells in project B too: there he negotiates, he does not rule
        conflict = self.conflict(self.team_b, [self.manager, self.sun])
        conflict.winner_id = self.sun
        with self.assertRaises(AccessError):
            conflict.sudo(self.manager).action_rule()
        self.assertTrue(conflict.sudo(self.manager).action_agree())
        self.assertEqual(conflict.state, "agreed")

    def test_handover_moves_only_the_managers_project(self):
        buyer = self.customer("两个案场的客户")
        Ownership = self.env["attribution.ownership"]
        row_a = Ownership._rows_of(buyer, self.team)
        row_b = Ownership._rows_of(buyer, self.team_b)
        (row_a | row_b).write({"owner_id": self.zhang.id})
        wizard = self.env["attribution.handover.wizard"].sudo(self.manager).create({
            "user_id": self.zhang.id, "team_id": self.team.id,
            "successor_ids": [(6, 0, self.li.ids)]})
        self.assertEqual(wizard.customer_count, 1)
        wizard.action_apply()
        self.assertEqual((row_a.owner_id, row_b.owner_id), (self.li, self.zhang))
        decision = self.env["attribution.decision"].search(
            [("partner_id", "=", buyer.id), ("rule_code", "=", "H1")])
        self.assertEqual(decision.team_id, self.team)

    def test_handover_into_another_project_refused(self):
        wizard = self.env["attribution.handover.wizard"].sudo(self.manager).create({
            "user_id": self.sun.id, "team_id": self.team_b.id,
            "successor_ids": [(6, 0, self.zhang.ids)]})
        with self.assertRaises(AccessError) as caught:
            wizard.action_apply()
        self.assertIn(self.team_b.name, caught.exception.name)


class TestConsultantInTwoRotations(ProjectsCase):

    def test_consultant_in_two_rotations_is_served_by_each(self):
        rotations = self.env["attribution.rotation.member"].search(
            [("user_id", "=", self.zhang.id)]).mapped("rotation_id")
        self.assertEqual(rotations, self.rotation | self.rotation_b)
        # B's first turn is 张伟's; A's rotation does not move for it
        last_a = self.rotation.last_sequence
        visit = self.register_b(phone="13900990011", partner_name="B 散客",
                                kind="walk_in")
        self.assertEqual(visit.receiver_id, self.zhang)
        self.assertEqual(self.rotation.last_sequence, last_a)
        self.assertEqual(self.rotation_b.sudo(self.manager_b).next_receiver(),
                         self.sun)
        # and at A's desk 张伟 takes his turn there too
        visit_a = self.register(phone="13900990012", partner_name="A 散客",
                                kind="walk_in")
        self.assertEqual(visit_a.receiver_id, self.zhang)

    def test_consultant_in_two_projects_sees_their_visits_in_both(self):
        visit_b = self.register_b(phone="13900990013", partner_name="B 客",
                                  kind="walk_in")
        visit_a = self.register(phone="13900990014", partner_name="A 客",
                                kind="walk_in")
        seen = self.env["attribution.visit"].sudo(self.zhang).search(
            [("id", "in", (visit_a | visit_b).ids)])
        self.assertEqual(seen, visit_a | visit_b)
        self.assertEqual(visit_a.partner_id.sudo(self.zhang).attribution_owner_id
                         .id, self.zhang.id)

    def test_desk_of_a_project_sees_its_duty_consultant(self):
        self.assertEqual(self.rotation_b._duty_user(), self.zhang)
        self.absent(self.zhang)  # out of A's rotation only
        self.assertEqual(self.rotation_b._duty_user(), self.zhang)


class TestDeskAcrossProjects(ProjectsCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 李娜's customer of project A, a walk-in there while 张伟 (of both projects)
        # is out of A's rotation
        zhang_a = cls.rotation.member_ids.filtered(lambda m: m.user_id == cls.zhang)
        zhang_a.present = False
        cls.visit_a = cls.env["attribution.visit"].sudo(cls.chen).create({
            "team_id": cls.team.id, "asked_prior_visit": True, "kind": "walk_in",
            "phone": "13900990021", "partner_name": "王先生 A"}).sudo()
        zhang_a.present = True
        cls.buyer = cls.visit_a.partner_id

    def scope(self, scope):
        self.env.user.company_id.attribution_scope = scope

    def test_setup_buyer_is_known_in_a_only(self):
        self.assertEqual(self.buyer.attribution_ownership_ids.mapped("team_id"),
                         self.team)
        self.assertEqual(self.buyer.attribution_ownership_ids.owner_id, self.li)

    def test_project_scope_b_desk_number_refusal_names_nobody(self):
        self.scope(terms.SCOPE_PROJECT)
        other = self.env["res.partner"].sudo(self.sun).with_context(
            team_id=self.team_b.id).create({"name": "新客户 B", "customer": True})
        with self.assertRaises(UserError) as caught:
            other.sudo(self.sun).write({"mobile": "139 0099 0021"})
        message = caught.exception.name
        self.assertIn("13900990021", message)
        self.assertIn("another customer", message)
        for private in ("王先生", self.li.name):
            self.assertNotIn(private, message)

    def test_company_scope_b_desk_number_refusal_names_customer_and_owner(self):
        self.scope(terms.SCOPE_COMPANY)
        other = self.env["res.partner"].sudo(self.sun).create(
            {"name": "新客户 B2", "customer": True})
        with self.assertRaises(UserError) as caught:
            other.sudo(self.sun).write({"mobile": "13900990021"})
        self.assertIn("王先生 A", caught.exception.name)

    def test_same_project_desk_refusal_names_customer_and_owner(self):
        self.scope(terms.SCOPE_PROJECT)
        other = self.env["res.partner"].sudo(self.chen).create(
            {"name": "新客户 A", "customer": True})
        with self.assertRaises(UserError) as caught:
            other.sudo(self.chen).write({"mobile": "13900990021"})
        self.assertIn("王先生 A", caught.exception.name)
        self.assertIn(self.li.name, caught.exception.name)

    def panel(self, desk, team):
        visit = self.env["attribution.visit"].sudo(desk).new(
            {"team_id": team.id, "phone": "13900990021"})
        visit._onchange_phone()
        return visit.prior_visit_count, visit.prior_visit_info

    def test_project_scope_b_desk_panel_shows_nothing_of_project_a(self):
        self.scope(terms.SCOPE_PROJECT)
        count, html = self.panel(self.sun, self.team_b)
        self.assertEqual(count, 0)
        self.assertIn("another project", html)
        for private in (self.li.name, self.chen.name, "王先生"):
            self.assertNotIn(private, html)
        count, html = self.panel(self.chen, self.team)
        self.assertEqual(count, 1)
        self.assertIn(self.li.name, html)

    def test_company_scope_b_desk_panel_shows_the_visits_and_owner(self):
        self.scope(terms.SCOPE_COMPANY)
        count, html = self.panel(self.sun, self.team_b)
        self.assertEqual(count, 1)
        self.assertIn(self.li.name, html)

    def test_project_scope_collision_note_for_b_manager_names_nobody_of_a(self):
        self.scope(terms.SCOPE_PROJECT)
        chosen = self.customer("B 的客户")
        self.register_b(partner_id=chosen.id, phone="13900990021")
        notes = self.activities(chosen, self.manager_b).mapped("note")
        self.assertEqual(len(notes), 1)
        self.assertIn("another project", notes[0])
        for private in ("王先生", self.li.name):
            self.assertNotIn(private, notes[0])
