"""The demo's second project (issue 14) tells its story: a buyer known in both projects,
owned by a different consultant in each, every ownership written by the rule book."""
from odoo.tests.common import SavepointCase

from ..attribution import codes


class TestSecondProjectDemo(SavepointCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.first = ref("sales_attribution.team_office_demo")
        cls.second = ref("sales_attribution.team_second_project_demo")
        cls.buyer = ref("sales_attribution.partner_qian_zhiyuan_demo")
        cls.visit_first = ref("sales_attribution.visit_qian_zhiyuan_demo")
        cls.visit_second = ref("sales_attribution.visit_qian_zhiyuan_second_demo")
        cls.wangfang = ref("sales_attribution.user_consultant_3_demo")
        cls.second_consultants = ref("sales_attribution.user_consultant_7_demo") | \
            ref("sales_attribution.user_consultant_8_demo")

    def row(self, team):
        return self.buyer.attribution_ownership_ids.filtered(
            lambda r: r.team_id == team)

    def test_demo_second_project_has_its_office(self):
        consultant = self.env.ref("sales_attribution.group_consultant")
        manager = self.env.ref("sales_attribution.group_manager")
        self.assertNotEqual(self.first, self.second)
        self.assertEqual(self.second.user_id,
                         self.env.ref("sales_attribution.user_manager_demo"))
        for user in self.second_consultants:
            self.assertIn(consultant, user.groups_id, user.login)
            self.assertNotIn(manager, user.groups_id, user.login)
            self.assertEqual((user.sale_team_id, user.lang), (self.second, "zh_CN"))
            # a Chinese name
            self.assertTrue(all("\u4e00" <= ch <= "\u9fff" for ch in user.name))
        rotation = self.env["attribution.rotation"].search(
            [("team_id", "=", self.second.id)])
        self.assertEqual(rotation.member_ids.sorted("sequence").mapped("user_id"),
                         self.second_consultants)

    def test_demo_buyer_known_in_both_projects_with_two_owners(self):
        rows = self.buyer.attribution_ownership_ids
        self.assertEqual(len(rows), 2)
        self.assertEqual(rows.mapped("team_id"), self.first | self.second)
        first, second = self.row(self.first), self.row(self.second)
        self.assertNotEqual(first.owner_id, second.owner_id)
        # the first project's owner is the one its own visit gave, unchanged by the
        # visit to the second project
        self.assertEqual(first.owner_id, self.wangfang)
        self.assertEqual(self.visit_first.owner_id, self.wangfang)
        self.assertIn(second.owner_id, self.second_consultants)
        self.assertEqual(second.owner_id, self.visit_second.owner_id)
        self.assertEqual(second.owner_id, self.visit_second.receiver_id)
        # each row's visit dates are its project's visit
        self.assertLess(first.last_visit_date, second.first_visit_date)

    def test_demo_decisions_cite_their_rule_in_their_project(self):
        decisions = self.env["attribution.decision"].search(
            [("partner_id", "=", self.buyer.id)])
        self.assertEqual(decisions.mapped("visit_id"),
                         self.visit_first | self.visit_second)
        for decision in decisions:
            self.assertIn(decision.rule_code, codes.CODES)
            self.assertEqual(decision.team_id, decision.visit_id.team_id)
            self.assertEqual(decision.owner_id, decision.visit_id.owner_id)
            self.assertIn(decision.rule_code, decision.explanation_en)
            self.assertIn(decision.rule_code, decision.explanation_zh)
        second = decisions.filtered(lambda d: d.team_id == self.second)
        # not kept by the first project's consultant
        self.assertNotEqual(second.owner_id, self.wangfang)

    def test_demo_deal_split_in_the_second_project(self):
        lead = self.env.ref("sales_attribution.lead_qian_zhiyuan_second_demo")
        owner = self.row(self.second).owner_id
        self.assertEqual(lead.user_id, owner)
        lines = lead.split_line_ids
        self.assertTrue(lines)
        self.assertEqual(lines.mapped("team_id"), self.second)
        self.assertEqual(lines.mapped("user_id"), owner)
        self.assertAlmostEqual(sum(lines.mapped("performance_share")), 100.0)
        groups = self.env["attribution.split.line"].read_group(
            [("team_id", "in", (self.first | self.second).ids)],
            ["team_id", "performance_amount"], ["team_id"])
        self.assertEqual({g["team_id"][0] for g in groups},
                         {self.first.id, self.second.id})
