"""Conduct across projects (issue 14): strikes, dismissal proposals and who sees the
violations, per project, as the real users.

Project A (the conduct office, Manager Wang) and project B (Manager Qian, its
consultant Sun). Consultant Zhang (c1) works in both rotations. Strikes count per
project (the seed is one sales office's rule book: its 累计三次除名 strikes a name off
that office's roster), so Zhang's faults at A never bring a proposal at B."""
from odoo.exceptions import AccessError, UserError
from odoo.tools.safe_eval import safe_eval

from ..attribution import terms
from .common import make_user
from .conduct_common import ConductCase


class ProjectConductCase(ConductCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        consultant = cls.env.ref("sales_attribution.group_consultant")
        manager = cls.env.ref("sales_attribution.group_manager")
        employee = cls.env.ref("base.group_user")
        cls.manager_b = make_user(cls.env, "conduct_manager_b", "Manager Qian",
                                  employee | manager, tz="Asia/Shanghai")
        cls.sun = make_user(cls.env, "conduct_sun", "Consultant Sun",
                            employee | consultant, tz="Asia/Shanghai")
        cls.manager_free = make_user(cls.env, "conduct_manager_free", "Manager Zhou",
                                     employee | manager, tz="Asia/Shanghai")
        cls.team_b = cls.env["crm.team"].create({
            "name": "Conduct Project B", "user_id": cls.manager_b.id})
        cls.sun.sale_team_id = cls.team_b
        cls.rotation_b = cls.env["attribution.rotation"].create({
            "team_id": cls.team_b.id,
            "member_ids": [(0, 0, {"user_id": cls.c1.id, "sequence": 10}),
                           (0, 0, {"user_id": cls.sun.id, "sequence": 20})]})

    def fault(self, user, team, category="complaint", days_ago=0, ref=None):
        """A violation of ``user`` recorded by the rule book in project ``team``."""
        self._n = getattr(self, "_n", 0) + 1
        return self.Violation._record(
            user, category, ref or "test.project,%s" % self._n, team=team,
            date=self.days_ago(days_ago))

    def seen(self, user, records):
        return self.Violation.sudo(user).search([("id", "in", records.ids)])

    def member_b(self, user):
        return self.rotation_b.member_ids.filtered(lambda m: m.user_id == user)


class TestViolationRecordRules(ProjectConductCase):
    """Who sees and acts on which violations (record rules, as the real users)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Violation = cls.env["attribution.violation"]
        cls.zhang_a = Violation._record(cls.c1, "late", "rule,1", team=cls.team)
        cls.zhang_b = Violation._record(cls.c1, "late", "rule,2", team=cls.team_b)
        cls.li_a = Violation._record(cls.c2, "late", "rule,3", team=cls.team)
        cls.sun_b = Violation._record(cls.sun, "late", "rule,4", team=cls.team_b)
        cls.every = cls.zhang_a | cls.zhang_b | cls.li_a | cls.sun_b

    def test_each_manager_sees_only_their_projects_violations(self):
        self.assertEqual(self.seen(self.manager, self.every),
                         self.zhang_a | self.li_a)
        self.assertEqual(self.seen(self.manager_b, self.every),
                         self.zhang_b | self.sun_b)
        with self.assertRaises(AccessError):
            self.sun_b.sudo(self.manager).read(["category"])
        with self.assertRaises(AccessError):
            self.zhang_a.sudo(self.manager_b).read(["category"])

    def test_manager_of_no_project_sees_every_violation(self):
        self.assertEqual(self.seen(self.manager_free, self.every), self.every)

    def test_violation_without_project_is_seen_by_every_manager(self):
        loose = self.Violation._record(self.c3, "late", "rule,loose",
                                       team=self.env["crm.team"])
        loose.team_id = False
        for manager in (self.manager, self.manager_b):
            self.assertEqual(self.seen(manager, loose), loose)

    def test_consultant_sees_their_own_violations_in_every_project(self):
        self.assertEqual(self.seen(self.c1, self.every), self.zhang_a | self.zhang_b)
        self.assertEqual(self.seen(self.sun, self.every), self.sun_b)
        with self.assertRaises(AccessError):
            self.zhang_b.sudo(self.sun).read(["category"])

    def test_manager_cannot_write_or_delete_another_projects_violation(self):
        with self.assertRaises(AccessError):
            self.sun_b.sudo(self.manager).write({"description": "A 改 B"})
        with self.assertRaises(AccessError):
            self.sun_b.sudo(self.manager).unlink()
        self.li_a.sudo(self.manager).write({"description": "A 改 A"})
        self.assertEqual(self.li_a.description, "A 改 A")

    def test_manager_cannot_move_a_violation_into_another_project(self):
        with self.assertRaises(AccessError):
            self.li_a.sudo(self.manager).write({"team_id": self.team_b.id})
        self.assertEqual(self.li_a.team_id, self.team)

    def test_manager_records_violations_in_their_project_only(self):
        # Zhang works in both: the manager of B records in B, the manager of A in A
        made_b = self.Violation.sudo(self.manager_b).create(
            {"user_id": self.c1.id, "category": "impolite"})
        self.assertEqual(made_b.team_id, self.team_b)
        made_a = self.Violation.sudo(self.manager).create(
            {"user_id": self.c1.id, "category": "impolite"})
        self.assertEqual(made_a.team_id, self.team)
        # Sun works in B only: A's manager cannot record against B
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.Violation.sudo(self.manager).create(
                {"user_id": self.sun.id, "category": "impolite"})
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.Violation.sudo(self.manager).create(
                {"user_id": self.c1.id, "category": "impolite",
                 "team_id": self.team_b.id})

    def test_A13_manager_reports_abandonment_only_on_their_projects_visits(self):
        partner = self.env["res.partner"].create({"name": "B 的客户"})
        visit = self.env["attribution.visit"].create({
            "partner_id": partner.id, "team_id": self.team_b.id,
            "receiver_id": self.c1.id, "asked_prior_visit": True})
        Wizard = self.env["attribution.abandon.wizard"]
        vals = {"visit_id": visit.id, "user_id": self.c1.id,
                "description": "left the customer at the sand table"}
        with self.assertRaises(AccessError):
            Wizard.sudo(self.manager).create(vals).action_report()
        Wizard.sudo(self.manager_b).create(vals).action_report()
        made = self.Violation.search([("source_ref", "=",
                                       "attribution.visit,%s" % visit.id)])
        self.assertEqual((made.category, made.team_id), ("abandon_customer",
                                                         self.team_b))


class TestStrikesPerProject(ProjectConductCase):
    """A12/A13/A8 count and propose within one project."""

    def test_A12_faults_in_A_do_not_dismiss_from_B(self):
        self.fault(self.c1, self.team, days_ago=30)
        self.fault(self.c1, self.team, "impolite", days_ago=20)
        self.fault(self.c1, self.team_b, days_ago=10)
        second_b = self.fault(self.c1, self.team_b, "impolite")
        self.assertEqual(second_b.strike_count, 2, "B counts B's faults only")
        self.assertFalse(self.c1.attribution_dismissal_proposed,
                         "four faults, but two in each project")
        third_a = self.fault(self.c1, self.team, days_ago=1)
        self.assertEqual(third_a.strike_count, 3)
        self.assertTrue(third_a.dismissal_proposed)
        self.assertEqual(third_a.dismissal_rule_code, "A12")
        self.assertIn("Conduct Test Office", third_a.dismissal_explanation)
        self.assertEqual(self.activities(third_a).user_id, self.manager,
                         "A's manager decides on A's proposal")
        # the dashboard: one card per project, each with its project's strikes
        self.assertEqual(self.member(self.c1).strike_count, 3)
        self.assertEqual(self.member_b(self.c1).strike_count, 2)
        self.assertEqual(self.c1.sudo(self.manager).attribution_strike_count, 3)
        self.assertEqual(self.c1.sudo(self.manager_b).attribution_strike_count, 2)
        self.assertEqual(self.c1.with_context(
            **{terms.CTX_TEAM: self.team_b.id}).attribution_strike_count, 2)

    def test_A13_abandonment_counts_where_it_happened(self):
        self.fault(self.c1, self.team, "abandon_customer", days_ago=9)
        self.fault(self.c1, self.team_b, "late", days_ago=8)
        self.fault(self.c1, self.team_b, "absence", days_ago=7)
        self.fault(self.c1, self.team, "late", days_ago=6)
        self.assertFalse(self.c1.attribution_dismissal_proposed)
        third_b = self.fault(self.c1, self.team_b, "complaint", days_ago=5)
        self.assertEqual(third_b.dismissal_rule_code, "A12",
                         "A's abandoned customer is not among B's strikes")
        self.assertEqual(self.activities(third_b).user_id, self.manager_b)
        third_a = self.fault(self.c1, self.team, "late", days_ago=4)
        self.assertEqual(third_a.dismissal_rule_code, "A13")
        self.assertEqual(self.activities(third_a).user_id, self.manager)
        self.assertEqual(self.member(self.c1).strike_count, 3)
        self.assertEqual(self.member_b(self.c1).strike_count, 3)

    def test_A12_project_strikes_and_period_overrides(self):
        # B: two strikes within 30 days; A keeps the company's 3 within 365
        self.team_b.write({"attribution_strikes": 2,
                           "attribution_strike_period_days": 30})
        old_b = self.fault(self.c1, self.team_b, days_ago=40)
        self.fault(self.c1, self.team, days_ago=40)
        second_a = self.fault(self.c1, self.team, days_ago=1)
        self.assertEqual(second_a.strike_count, 2)
        self.assertFalse(second_a.dismissal_proposed, "A dismisses at 3")
        recent_b = self.fault(self.c1, self.team_b, days_ago=1)
        self.assertEqual(recent_b.strike_count, 1, "B's 30 days: the old one is out")
        self.assertFalse(recent_b.dismissal_proposed)
        self.assertEqual(old_b.strike_count, 1)
        self.assertEqual(self.member_b(self.c1).strike_count, 1)
        self.assertEqual(self.member(self.c1).strike_count, 2)
        second_b = self.fault(self.c1, self.team_b, "impolite")
        self.assertTrue(second_b.dismissal_proposed, "B dismisses at 2")
        action = self.member_b(self.c1).sudo(self.manager_b).action_open_strikes()
        listed = self.Violation.sudo(self.manager_b).search(action["domain"])
        self.assertEqual(listed, recent_b | second_b,
                         "the card opens the strikes it counts")

    def test_A08_poaching_in_B_proposes_dismissal_to_B(self):
        partner = self.env["res.partner"].create({"name": "撞单客户"})
        conflict = self.env["attribution.conflict"].create({
            "partner_id": partner.id, "team_id": self.team_b.id,
            "claimant_ids": [(6, 0, [self.sun.id, self.c1.id])],
            "winner_id": self.sun.id})
        conflict.sudo(self.manager_b).write({"deliberate": True,
                                             "poacher_id": self.c1.id})
        conflict.sudo(self.manager_b).action_rule()
        poaching = self.Violation.search([("user_id", "=", self.c1.id),
                                          ("category", "=", "poaching")])
        self.assertEqual(poaching.team_id, self.team_b)
        self.assertEqual(poaching.dismissal_rule_code, "A8")
        self.assertEqual(self.activities(poaching).user_id, self.manager_b)
        self.assertFalse(self.seen(self.manager, poaching))
        self.assertEqual(self.member(self.c1).strike_count, 0)


class TestProposalsPerProject(ProjectConductCase):
    """A proposal is open in its project; the managers close their own."""

    def propose(self, user, team):
        for n in range(3):
            last = self.fault(user, team, days_ago=10 - n)
        self.assertTrue(last.dismissal_open)
        return last

    def dismiss(self, manager, user, team=None, reason="Stays."):
        return self.env["attribution.dismissal.wizard"].sudo(manager).create({
            "user_id": user.id, "team_id": team and team.id,
            "reason": reason}).action_dismiss()

    def test_A12_open_proposal_in_A_does_not_block_B(self):
        in_a = self.propose(self.c1, self.team)
        in_b = self.propose(self.c1, self.team_b)
        self.assertTrue(in_b.dismissal_proposed, "B proposes although A's is open")
        self.assertEqual(self.activities(in_b).user_id, self.manager_b)
        self.assertTrue(in_a.user_dismissal_open and in_b.user_dismissal_open)
        self.assertEqual(
            self.Violation.search([("user_dismissal_open", "=", True),
                                   ("id", "in", (in_a | in_b).ids)]), in_a | in_b)
        # one more fault in A: A's proposal is open, no second one there
        fourth_a = self.fault(self.c1, self.team)
        self.assertFalse(fourth_a.dismissal_proposed)

    def test_A12_each_manager_dismisses_only_their_projects_proposal(self):
        in_a = self.propose(self.c1, self.team)
        in_b = self.propose(self.c1, self.team_b)
        with self.assertRaises(AccessError):
            self.dismiss(self.manager, self.c1, self.team_b)
        self.dismiss(self.manager, self.c1, reason="Coached at A.")
        self.c1.invalidate_cache()
        self.assertFalse(in_a.dismissal_open)
        self.assertTrue(in_b.dismissal_open, "B's proposal stays open")
        self.assertFalse(self.activities(in_a))
        self.assertTrue(self.activities(in_b))
        self.assertTrue(self.c1.attribution_dismissal_proposed)
        self.assertEqual(self.c1.attribution_dismissal_violation_id, in_b)
        self.assertFalse(self.Violation.search(
            [("user_dismissal_open", "=", True), ("id", "=", in_a.id)]))
        # nothing left for A's manager to dismiss: B's is not theirs
        with self.assertRaises(AccessError):
            self.dismiss(self.manager, self.c1)
        self.dismiss(self.manager_b, self.c1)
        self.c1.invalidate_cache()
        self.assertFalse(self.c1.attribution_dismissal_proposed)
        with self.assertRaises(UserError):
            self.dismiss(self.manager_b, self.c1)

    def test_A12_consultants_proposed_list_shows_the_managers_projects(self):
        self.propose(self.sun, self.team_b)
        action = self.env.ref("sales_attribution.res_users_action_dismissal")
        domain = safe_eval(action.domain) + [("id", "in", (self.sun | self.c1).ids)]
        Users = self.env["res.users"]
        self.assertFalse(Users.sudo(self.manager).search(domain))
        self.assertEqual(Users.sudo(self.manager_b).search(domain), self.sun)
        self.assertEqual(Users.sudo(self.manager_free).search(domain), self.sun)
        self.assertTrue(self.sun.sudo(self.manager_b).attribution_dismissal_in_reach)
        self.assertFalse(self.sun.sudo(self.manager).attribution_dismissal_in_reach)

    def test_A12_violation_form_button_dismisses_its_projects_proposal(self):
        in_b = self.propose(self.c1, self.team_b)
        action = in_b.sudo(self.manager_b).action_dismiss_proposal()
        self.assertEqual(action["context"]["default_team_id"], self.team_b.id)
