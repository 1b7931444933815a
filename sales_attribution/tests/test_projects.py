"""Several projects (案场) in one company: the ownership rows, the scope setting and a
project's own rule numbers, through the real models."""
import random
from datetime import date, timedelta

import psycopg2

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tools import mute_logger

from ..attribution import projects, terms
from .common import AttributionCase
from .common_splits import SplitsCase
from .conduct_common import ConductCase


class TestOwnershipRows(SplitsCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.project_b = cls.env["crm.team"].create({"name": "Project B 二期"})
        cls.Ownership = cls.env["attribution.ownership"]

    def test_scope_is_per_project_by_default(self):
        company = self.env["res.company"].create({"name": "New Developer Co"})
        self.assertEqual(company.attribution_scope, terms.SCOPE_PROJECT)

    def test_one_row_per_customer_and_project(self):
        buyer = self.partner("Buyer in two projects")
        self.Ownership.create({"partner_id": buyer.id, "team_id": self.team.id,
                               "owner_id": self.alice.id})
        self.Ownership.create({"partner_id": buyer.id, "team_id": self.project_b.id,
                               "owner_id": self.bob.id})
        self.assertEqual(
            set(buyer.attribution_ownership_ids.mapped(
                lambda r: (r.team_id, r.owner_id))),
            {(self.team, self.alice), (self.project_b, self.bob)})
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.IntegrityError), \
                self.env.cr.savepoint():
            self.Ownership.create({"partner_id": buyer.id, "team_id": self.team.id})

    def test_one_company_wide_row_per_customer(self):
        buyer = self.partner("Buyer of the whole company")
        self.Ownership.create({"partner_id": buyer.id, "owner_id": self.alice.id})
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.IntegrityError), \
                self.env.cr.savepoint():
            self.Ownership.create({"partner_id": buyer.id, "owner_id": self.bob.id})

    def test_rows_of_creates_the_missing_row_once(self):
        buyer = self.partner("Buyer new to B")
        row = self.Ownership._rows_of(buyer, self.project_b)
        self.assertEqual((row.partner_id, row.team_id), (buyer, self.project_b))
        self.assertEqual(self.Ownership._rows_of(buyer, self.project_b), row)

    def test_scope_company_uses_the_company_wide_row(self):
        company = self.env.user.company_id
        self.assertEqual(company._attribution_ownership_team(self.project_b),
                         self.project_b)
        company.attribution_scope = terms.SCOPE_COMPANY
        self.assertFalse(company._attribution_ownership_team(self.project_b))

    def test_current_row_query_picks_as_the_rule_book(self):
        """The SQL of the search picks the same row as ``projects.current_row``."""
        teams = self.team | self.project_b | self.env["crm.team"].create(
            {"name": "Project C"})
        rng = random.Random(14)
        buyers = self.env["res.partner"]
        for n in range(30):
            buyer = self.partner("Row buyer %s" % n)
            buyers |= buyer
            chosen = rng.sample([False] + teams.ids, rng.randint(0, 4))
            for team_id in chosen:
                visit = rng.choice(
                    [None, date(2026, 1, 1) + timedelta(rng.randint(0, 5))])
                self.Ownership.create({
                    "partner_id": buyer.id, "team_id": team_id,
                    "last_visit_date": visit and fields.Date.to_string(visit)})
        for project in [None] + teams.ids:
            query, params = self.Ownership._current_rows_query(project)
            self.env.cr.execute(
                "SELECT partner_id, id FROM (%s) cur "
                "WHERE partner_id = ANY(%%s)" % query, params + [buyers.ids])
            from_sql = dict(self.env.cr.fetchall())
            rows = self.Ownership.search([("partner_id", "in", buyers.ids)])
            picked = {pid: row.id for pid, row in rows._current_of(project).items()}
            self.assertEqual(from_sql, picked, "project %s" % project)


class TestProjectRules(SplitsCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.user.company_id
        cls.company.write({"attribution_protection_days": 30,
                           "attribution_followup_days": 30,
                           "attribution_group_units": 5,
                           "attribution_relative_split": 50})

    def test_empty_overrides_keep_the_company_numbers(self):
        rules = self.company._attribution_rules(self.team)
        self.assertEqual((rules.protection_days, rules.followup_days,
                          rules.group_units, rules.relative_split, rules.project_id),
                         (30, 30, 5, 50, self.team.id))
        settings = self.company._attribution_ownership_settings(self.team)
        self.assertEqual((settings.protection_days, settings.followup_days), (30, 30))

    def test_B06_project_window_of_15_days(self):
        self.team.write({"attribution_protection_days": 15,
                         "attribution_followup_days": 20})
        settings = self.company._attribution_ownership_settings(self.team)
        self.assertEqual((settings.protection_days, settings.followup_days), (15, 20))
        # another project of the company keeps the company's 30 days
        other = self.env["crm.team"].create({"name": "Project 30 days"})
        self.assertEqual(
            self.company._attribution_ownership_settings(other).protection_days, 30)

    def test_A09_group_buyer_units_of_the_deals_project(self):
        self.team.attribution_group_units = 3
        company = self.partner("A09 Project Group Ltd", self.alice, is_company=True)
        buyer = self.partner("A09 project buyer", self.bob, parent_id=company.id)
        self.visit(buyer, self.bob, 5)
        lead = self.lead(company, self.alice, unit_count=3)
        self.win(lead)
        # 3 units: a group buyer in this project (company: 5 units)
        self.assertEqual(set(self.shares(lead)),
                         {(self.alice, "co_owner"), (self.bob, "co_owner")})

    def test_A15_project_relative_split(self):
        self.team.write({"attribution_own_splits": True,
                         "attribution_relative_split": 30})
        settings = self.env["crm.lead"]._attribution_split_settings(
            self.company, self.team)
        self.assertEqual(settings.relative_split, (30, 70))
        self.team.attribution_own_splits = False
        settings = self.env["crm.lead"]._attribution_split_settings(
            self.company, self.team)
        self.assertEqual(settings.relative_split, (50, 50))

    def test_bad_project_numbers_are_refused(self):
        for vals in ({"attribution_protection_days": -1},
                     {"attribution_group_units": 1},
                     {"attribution_relative_split": 120}):
            with self.assertRaises(ValidationError), self.env.cr.savepoint():
                self.team.write(vals)

    def test_every_overridable_number_is_a_field_of_company_and_project(self):
        for name in projects.OVERRIDABLE:
            field = "attribution_%s" % name
            self.assertIn(field, self.env["res.company"]._fields)
            self.assertIn(field, self.env["crm.team"]._fields)


class TestProjectStrikes(ConductCase):

    def test_A12_project_dismisses_after_two_strikes(self):
        self.team.attribution_strikes = 2
        first = self.Violation._record(
            self.c1, "complaint", "t,1", date=self.days_ago(10))
        second = self.Violation._record(self.c1, "impolite", "t,2")
        self.assertFalse(first.dismissal_proposed)
        self.assertTrue(second.dismissal_proposed, "the project's 2 strikes apply")

    def test_A12_company_strikes_when_the_project_keeps_them(self):
        self.Violation._record(self.c1, "complaint", "t,1", date=self.days_ago(10))
        second = self.Violation._record(self.c1, "impolite", "t,2")
        self.assertFalse(second.dismissal_proposed, "the company's 3 strikes apply")


class TestProjectWindows(AttributionCase):
    """The visit engine decides with the numbers of the visit's project."""

    def test_B06_revisit_after_the_projects_15_days_goes_to_duty(self):
        self.team.attribution_protection_days = 15
        first = self.register(phone=self.phone(), receiver_id=self.wang.id,
                              visit_datetime=self.ago(20))
        again = self.register(partner_id=first.partner_id.id,
                              visit_datetime=self.ago(1))
        # 19 days: inside the company's 30, outside the project's 15
        self.assertEqual((again.rule_code, again.owner_id), ("B6", self.zhang))
        self.assertIn("19 days ago, more than 15", again.decision_id.explanation_en)
        self.assertIn("超过15天", again.decision_id.explanation_zh)

    def test_B06_project_without_override_keeps_the_company_window(self):
        first = self.register(phone=self.phone(), receiver_id=self.wang.id,
                              visit_datetime=self.ago(20))
        again = self.register(partner_id=first.partner_id.id,
                              visit_datetime=self.ago(1))
        self.assertEqual((again.rule_code, again.owner_id), ("B6", self.wang))


class ProjectsCase(AttributionCase):
    """The test office (project A) and a second project B with its rotation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team_b = cls.env["crm.team"].create({"name": "案场 B 二期"})
        cls.env["attribution.rotation"].create({
            "team_id": cls.team_b.id,
            "member_ids": [(0, 0, {"user_id": u.id, "sequence": 10 * (i + 1)})
                           for i, u in enumerate(cls.li | cls.liu)]})

    def row(self, partner, team):
        return partner.attribution_ownership_ids.filtered(lambda r: r.team_id == team)


class TestOwnershipRowsFollow(ProjectsCase):
    """The decisions and the customer's fields keep the ownership row of their
    project; the rows' visit dates count the visits of their project."""

    def test_A03_first_visit_at_B_is_Bs_walk_in_and_keeps_As_owner(self):
        # the buyer: owned at A (visited 5 days ago, inside A's 30-day
        # window) walks into B: B's history alone counts, B's rotation receives
        # them (A3), A's consultant keeps A and gets nothing at B
        first = self.register(phone=self.phone(), receiver_id=self.wang.id,
                              visit_datetime=self.ago(5))
        buyer = first.partner_id
        again = self.register(partner_id=buyer.id, team_id=self.team_b.id,
                              visit_datetime=self.ago(1))
        self.assertEqual((again.rule_code, again.owner_id), ("A3", self.li))
        self.assertEqual(self.row(buyer, self.team).owner_id, self.wang)
        self.assertEqual(self.row(buyer, self.team_b).owner_id, self.li)
        # each project's desk reads its own owner on the customer
        self.assertEqual(buyer.with_context(team_id=self.team.id)
                         .attribution_owner_id, self.wang)
        self.assertEqual(buyer.with_context(team_id=self.team_b.id)
                         .attribution_owner_id, self.li)

    def test_B06_revisit_at_B_within_Bs_window_keeps_Bs_owner(self):
        first = self.register(phone=self.phone(), team_id=self.team_b.id,
                              receiver_id=self.liu.id, visit_datetime=self.ago(10))
        buyer = first.partner_id
        self.register(partner_id=buyer.id, receiver_id=self.wang.id,
                      visit_datetime=self.ago(3))
        again = self.register(partner_id=buyer.id, team_id=self.team_b.id,
                              visit_datetime=self.ago(1))
        self.assertEqual((again.rule_code, again.owner_id), ("B6", self.liu))
        self.assertEqual(self.row(buyer, self.team).owner_id, self.wang)

    def test_rows_count_the_visits_of_their_project(self):
        first = self.register(phone=self.phone(), receiver_id=self.wang.id,
                              visit_datetime=self.ago(10))
        buyer = first.partner_id
        self.register(partner_id=buyer.id, team_id=self.team_b.id,
                      visit_datetime=self.ago(3))
        row_a, row_b = self.row(buyer, self.team), self.row(buyer, self.team_b)
        self.assertEqual((row_a.first_visit_date, row_a.last_visit_date),
                         (self.ago(10)[:10], self.ago(10)[:10]))
        self.assertEqual((row_b.first_visit_date, row_b.last_visit_date),
                         (self.ago(3)[:10], self.ago(3)[:10]))

    def test_field_written_in_a_project_goes_to_its_row(self):
        buyer = self.customer("Follow-up buyer", owner=self.zhang)
        self.assertEqual(self.row(buyer, self.team).owner_id, self.zhang)
        day = fields.Date.to_string(date.today() - timedelta(days=2))
        buyer.with_context(team_id=self.team_b.id).write(
            {"attribution_owner_id": self.li.id, "last_followup_date": day})
        row_b = self.row(buyer, self.team_b)
        self.assertEqual((row_b.owner_id, row_b.last_followup_date), (self.li, day))
        self.assertEqual(self.row(buyer, self.team).owner_id, self.zhang)

    def test_company_scope_writes_the_company_wide_row(self):
        self.env.user.company_id.attribution_scope = terms.SCOPE_COMPANY
        first = self.register(phone=self.phone(), receiver_id=self.wang.id,
                              visit_datetime=self.ago(40))
        buyer = first.partner_id
        self.register(partner_id=buyer.id, team_id=self.team_b.id,
                      visit_datetime=self.ago(1))
        rows = buyer.attribution_ownership_ids
        self.assertEqual(len(rows), 1)
        self.assertFalse(rows.team_id)
        self.assertEqual(rows.owner_id, self.li)
        self.assertEqual(rows.first_visit_date, self.ago(40)[:10])

    def test_customer_without_ownership_has_no_row(self):
        buyer = self.env["res.partner"].create(
            {"name": "Nobody's buyer", "attribution_owner_id": False})
        self.assertFalse(buyer.attribution_ownership_ids)


class TestMigration(ProjectsCase):
    """11.0.1.1.0: the ownership held on the customers moves into rows."""

    def forget_rows(self, partners):
        """The customers as 11.0.1.0 left them: the ownership in columns of
        ``res_partner`` (kept by Odoo when the fields stopped being stored; added
        here on a fresh database, inside the test's transaction), no rows."""
        cr = self.env.cr
        cr.execute("""
            ALTER TABLE res_partner
                ADD COLUMN IF NOT EXISTS attribution_owner_id integer,
                ADD COLUMN IF NOT EXISTS last_followup_date date,
                ADD COLUMN IF NOT EXISTS intent_class varchar,
                ADD COLUMN IF NOT EXISTS intent_reported_date date""")
        cr.execute("""
            UPDATE res_partner p
               SET attribution_owner_id = o.owner_id,
                   last_followup_date = o.last_followup_date,
                   intent_class = o.intent_class,
                   intent_reported_date = o.intent_reported_date
              FROM attribution_ownership o
             WHERE o.partner_id = p.id AND p.id = ANY(%s)""", (partners.ids,))
        cr.execute(
            "DELETE FROM attribution_ownership WHERE partner_id = ANY(%s)",
            (partners.ids,))
        self.env["attribution.ownership"].invalidate_cache()
        partners.invalidate_cache()

    def test_migration_keeps_every_owner_in_the_decisions_project(self):
        visited = self.register(phone=self.phone(), team_id=self.team_b.id,
                                receiver_id=self.li.id,
                                visit_datetime=self.ago(5)).partner_id
        phoned = self.customer("Phone-only buyer", owner=self.zhang)
        day = fields.Date.to_string(date.today() - timedelta(days=4))
        phoned.write({"last_followup_date": day, "intent_class": "b",
                      "intent_reported_date": day})
        unknown = self.customer("Never owned")
        self.forget_rows(visited | phoned | unknown)
        self.env["attribution.ownership"]._migrate_from_partners()
        row = visited.attribution_ownership_ids
        self.assertEqual((row.team_id, row.owner_id), (self.team_b, self.li))
        self.assertEqual(row.last_visit_date, self.ago(5)[:10])
        row = phoned.attribution_ownership_ids
        # decided without a visit: the owner's team
        self.assertEqual((row.team_id, row.owner_id, row.last_followup_date,
                          row.intent_class, row.intent_reported_date),
                         (self.team, self.zhang, day, "b", day))
        self.assertFalse(unknown.attribution_ownership_ids)

    def test_migration_in_company_scope_makes_company_wide_rows(self):
        self.env.user.company_id.attribution_scope = terms.SCOPE_COMPANY
        buyer = self.customer("Company buyer", owner=self.wang)
        self.forget_rows(buyer)
        self.env["attribution.ownership"]._migrate_from_partners()
        row = buyer.attribution_ownership_ids
        self.assertEqual((row.team_id, row.owner_id), (self.env["crm.team"], self.wang))

    def test_migration_leaves_customers_with_rows_alone(self):
        buyer = self.customer("Already moved", owner=self.wang)
        row = buyer.attribution_ownership_ids
        self.env["attribution.ownership"]._migrate_from_partners()
        buyer.invalidate_cache()
        self.assertEqual(buyer.attribution_ownership_ids, row)


class TestCustomerFields(ProjectsCase):
    """The customer's ownership fields read the current project's row: the context's
    project, else the user's team, else the only row, else the latest visited; they
    are searchable the same way; a consultant never reads a colleague's row."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the buyer of the story: wang's at A (10 days ago), liu's at B (3 days ago)
        cls.buyer = cls.register(cls, phone=cls.phone(), receiver_id=cls.wang.id,
                                 visit_datetime=cls.ago(10)).partner_id
        cls.register(cls, partner_id=cls.buyer.id, team_id=cls.team_b.id,
                     receiver_id=cls.liu.id, visit_datetime=cls.ago(3))

    def owner(self, user=None, **ctx):
        partner = self.buyer.sudo(user) if user else self.buyer
        return partner.with_context(**ctx).attribution_owner_id

    def test_fields_read_the_context_project_then_the_users_team(self):
        self.assertEqual(self.owner(team_id=self.team.id), self.wang)
        self.assertEqual(self.owner(team_id=self.team_b.id), self.liu)
        self.assertEqual(self.owner(self.manager), self.wang)  # the manager's team: A
        self.assertEqual(
            self.buyer.with_context(team_id=self.team_b.id).last_visit_date,
            self.ago(3)[:10])
        self.assertEqual(
            self.buyer.with_context(team_id=self.team.id).first_visit_date,
            self.ago(10)[:10])

    def test_fields_read_the_latest_visited_row_outside_the_projects(self):
        elsewhere = self.env["crm.team"].create({"name": "案场 C"})
        self.assertEqual(self.owner(team_id=elsewhere.id), self.liu)

    def test_a_consultant_reads_their_own_row_and_nothing_of_a_colleagues(self):
        self.assertEqual(self.owner(self.wang, team_id=self.team.id), self.wang)
        # wang asks in project B, where liu owns the buyer: nothing, not wang's A
        self.assertFalse(self.owner(self.wang, team_id=self.team_b.id))
        self.assertEqual(self.buyer.sudo(self.liu).with_context(
            team_id=self.team_b.id).attribution_owner_ids, self.liu)

    def test_search_reads_the_current_project(self):
        Partner = self.env["res.partner"]
        mine = [("attribution_owner_id", "=", self.wang.id),
                ("id", "=", self.buyer.id)]
        self.assertTrue(Partner.with_context(team_id=self.team.id).search(mine))
        self.assertFalse(Partner.with_context(team_id=self.team_b.id).search(mine))
        nobody = [("attribution_owner_id", "=", False), ("id", "=", self.buyer.id)]
        self.assertFalse(Partner.with_context(team_id=self.team.id).search(nobody))
        stranger = Partner.create({"name": "无人认领", "customer": True})
        self.assertEqual(Partner.with_context(team_id=self.team.id).search(
            [("attribution_owner_id", "=", False),
             ("id", "in", (stranger | self.buyer).ids)]), stranger)
        day = self.ago(3)[:10]
        self.assertTrue(Partner.with_context(team_id=self.team_b.id).search(
            [("last_visit_date", "=", day), ("id", "=", self.buyer.id)]))
        self.assertFalse(Partner.with_context(team_id=self.team.id).search(
            [("last_visit_date", "=", day), ("id", "=", self.buyer.id)]))

    def test_any_project_owner_is_searchable(self):
        Partner = self.env["res.partner"]
        for user in (self.wang, self.liu):
            self.assertIn(self.buyer, Partner.search(
                [("attribution_owner_ids", "=", user.id)]))
        self.assertNotIn(self.buyer, Partner.search(
            [("attribution_owner_ids", "=", False)]))

    def test_consultants_see_customers_they_own_in_any_project(self):
        for user in (self.wang, self.liu):
            self.assertEqual(self.env["res.partner"].sudo(user).search(
                [("id", "=", self.buyer.id)]), self.buyer)
        self.assertFalse(self.env["res.partner"].sudo(self.chen).search(
            [("id", "=", self.buyer.id)]))

    def test_writing_a_field_in_a_project_context_writes_that_row_only(self):
        self.buyer.with_context(team_id=self.team_b.id).write(
            {"intent_class": "a", "intent_reported_date": self.ago(1)[:10]})
        row_a = self.row(self.buyer, self.team)
        row_b = self.row(self.buyer, self.team_b)
        self.assertEqual((row_b.intent_class, row_b.intent_reported_date),
                         ("a", self.ago(1)[:10]))
        self.assertFalse(row_a.intent_class)


class TestScopeSwitch(ProjectsCase):
    """Switching the company's scope regroups the rows: company-wide keeps the row
    the customer's fields showed; per project gives each visited project a row."""

    def test_to_company_keeps_the_latest_visited_projects_owner(self):
        first = self.register(phone=self.phone(), receiver_id=self.wang.id,
                              visit_datetime=self.ago(10))
        buyer = first.partner_id
        self.register(partner_id=buyer.id, team_id=self.team_b.id,
                      receiver_id=self.liu.id, visit_datetime=self.ago(3))
        self.assertEqual(len(buyer.attribution_ownership_ids), 2)
        self.env.user.company_id.attribution_scope = terms.SCOPE_COMPANY
        buyer.invalidate_cache()
        row = buyer.attribution_ownership_ids
        self.assertEqual((len(row), row.team_id, row.owner_id),
                         (1, self.env["crm.team"], self.liu))
        self.assertEqual((row.first_visit_date, row.last_visit_date),
                         (self.ago(10)[:10], self.ago(3)[:10]))
        self.assertEqual(buyer.with_context(team_id=self.team.id)
                         .attribution_owner_id, self.liu)
        # the next visit is judged on the company-wide history: two consultants
        # registered the buyer, the registration sheet's earliest one decides (A10),
        # and the decision says so
        again = self.register(partner_id=buyer.id, visit_datetime=self.ago(1))
        self.assertEqual((again.rule_code, again.owner_id), ("A10", self.wang))
        self.assertEqual(buyer.attribution_ownership_ids.owner_id, self.wang)

    def test_to_project_gives_each_visited_project_a_row(self):
        company = self.env.user.company_id
        company.attribution_scope = terms.SCOPE_COMPANY
        first = self.register(phone=self.phone(), receiver_id=self.wang.id,
                              visit_datetime=self.ago(10))
        buyer = first.partner_id
        self.register(partner_id=buyer.id, team_id=self.team_b.id,
                      visit_datetime=self.ago(3))
        phoned = self.customer("Phone-only buyer", owner=self.zhang)
        company.attribution_scope = terms.SCOPE_PROJECT
        buyer.invalidate_cache()
        rows = buyer.attribution_ownership_ids
        self.assertEqual(sorted((r.team_id.id, r.owner_id.id) for r in rows),
                         sorted([(self.team.id, self.wang.id),
                                 (self.team_b.id, self.wang.id)]))
        self.assertEqual(self.row(buyer, self.team_b).last_visit_date,
                         self.ago(3)[:10])
        row = phoned.attribution_ownership_ids
        self.assertEqual((row.team_id, row.owner_id), (self.team, self.zhang))


class TestOwnedSummary(ProjectsCase):
    """``res.partner.attribution_owned`` (read by the consultants' record rule on
    customers) follows the ownership rows however they are written: decisions,
    the customer's fields, row removal, the scope switch."""

    def assert_in_sync(self):
        self.env.cr.execute("""
            SELECT p.id FROM res_partner p
             WHERE COALESCE(p.attribution_owned, FALSE) != EXISTS (
                   SELECT 1 FROM attribution_ownership o
                    WHERE o.partner_id = p.id AND o.owner_id IS NOT NULL)""")
        self.assertEqual(self.env.cr.fetchall(), [])

    def visible_to(self, user, partner):
        return bool(self.env["res.partner"].sudo(user).search(
            [("id", "=", partner.id)]))

    def test_owned_follows_decisions_fields_and_removal(self):
        walk_in = self.register(phone=self.phone(), receiver_id=self.wang.id)
        buyer = walk_in.partner_id
        self.assertTrue(buyer.attribution_owned)
        self.assert_in_sync()
        self.assertTrue(self.visible_to(self.wang, buyer))
        self.assertFalse(self.visible_to(self.liu, buyer), "a colleague's customer")
        buyer.with_context(team_id=self.team.id).attribution_owner_id = False
        self.assertFalse(buyer.attribution_owned)
        self.assertTrue(self.visible_to(self.liu, buyer), "owned by nobody")
        self.assert_in_sync()
        phoned = self.customer("Phone-only buyer", owner=self.zhang)
        self.assertTrue(phoned.attribution_owned)
        phoned.attribution_ownership_ids.unlink()
        self.assertFalse(phoned.attribution_owned)
        self.assert_in_sync()
        # owned in B only: owned, hidden from A's consultant who does not own it
        self.register(partner_id=buyer.id, team_id=self.team_b.id,
                      receiver_id=self.liu.id)
        self.assertTrue(buyer.attribution_owned)
        self.assertFalse(self.visible_to(self.wang, buyer))
        self.assert_in_sync()

    def test_owned_is_not_written_by_hand(self):
        unowned = self.customer("Nobody's buyer")
        as_zhang = unowned.sudo(self.zhang)
        for value in (True, False):
            with self.assertRaises(UserError):
                as_zhang.write({"attribution_owned": value})
        with self.assertRaises(UserError):
            self.env["res.partner"].sudo(self.zhang).create(
                {"name": "Hidden walk-in", "attribution_owned": True})
        self.assertFalse(unowned.attribution_owned)
        self.assertTrue(self.visible_to(self.liu, unowned))

    def test_owned_follows_the_scope_switch(self):
        walk_in = self.register(phone=self.phone(), receiver_id=self.wang.id,
                                visit_datetime=self.ago(10))
        buyer = walk_in.partner_id
        # B's row is the latest visited and has no owner: company-wide keeps it
        self.register(partner_id=buyer.id, team_id=self.team_b.id,
                      receiver_id=self.liu.id, visit_datetime=self.ago(3))
        self.row(buyer, self.team_b).owner_id = False
        self.assertTrue(buyer.attribution_owned)
        self.env.user.company_id.attribution_scope = terms.SCOPE_COMPANY
        buyer.invalidate_cache()
        self.assertFalse(buyer.attribution_ownership_ids.owner_id)
        self.assertFalse(buyer.attribution_owned)
        self.assert_in_sync()
        self.env.user.company_id.attribution_scope = terms.SCOPE_PROJECT
        self.assert_in_sync()
