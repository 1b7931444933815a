"""11.0.1.1.0: the scripts of ``migrations/11.0.1.1.0`` move the ownership that
11.0.1.0 held on each customer (columns of ``res_partner``) into ownership rows.

The customers are put back in the 11.0.1.0 state inside the test's transaction: no
row, the values in the old columns (added back when this version no longer stores
them). ``bin/test``'s upgrade phase runs the same scripts through ``-u`` on a database
made and filled by the real 11.0.1.0 code (``tools/upgrade_check.py``)."""
import importlib.util
import os
from datetime import timedelta

from odoo import fields

from .test_projects import ProjectsCase


def migration_script(name):
    """The module ``migrations/11.0.1.1.0/<name>.py``, loaded as Odoo loads it."""
    path = os.path.join(os.path.dirname(__file__), os.pardir, "migrations",
                        "11.0.1.1.0", name + ".py")
    spec = importlib.util.spec_from_file_location(
        "sales_attribution_11_0_1_1_0_" + name.replace("-", "_"), path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestMigrationScripts(ProjectsCase):

    def setUp(self):
        super().setUp()
        # the 11.0.1.0 columns, whether or not this version still stores them
        self.env.cr.execute("""
            ALTER TABLE res_partner
                ADD COLUMN IF NOT EXISTS attribution_owner_id integer,
                ADD COLUMN IF NOT EXISTS last_followup_date date,
                ADD COLUMN IF NOT EXISTS intent_class varchar,
                ADD COLUMN IF NOT EXISTS intent_reported_date date""")
        self.day = fields.Date.to_string(
            fields.Date.from_string(fields.Date.today()) - timedelta(days=4))

    def as_in_11_0_1_0(self, partner, owner, followup=None, intent=None,
                       reported=None):
        """``partner`` as 11.0.1.0 left it: its ownership on its columns, no row."""
        self.env.cr.execute(
            "DELETE FROM attribution_ownership WHERE partner_id = %s", (partner.id,))
        self.env.cr.execute("""
            UPDATE res_partner SET attribution_owner_id = %s, last_followup_date = %s,
                   intent_class = %s, intent_reported_date = %s
             WHERE id = %s""", (owner.id or None, followup, intent, reported,
                                partner.id))
        self.env["attribution.ownership"].invalidate_cache()
        partner.invalidate_cache()

    def upgrade(self, between=None):
        """Run pre-migrate, ``between`` (what the data files of the new version do
        before post-migrate), then post-migrate, as ``-u`` from 11.0.1.0.0 does."""
        migration_script("pre-migrate").migrate(self.env.cr, "11.0.1.0.0")
        if between:
            between()
        migration_script("post-migrate").migrate(self.env.cr, "11.0.1.0.0")
        self.env["attribution.ownership"].invalidate_cache()

    def rows(self, partner):
        return {(r.team_id, r.owner_id, r.last_followup_date or None,
                 r.intent_class or None, r.intent_reported_date or None)
                for r in partner.attribution_ownership_ids}

    def test_owner_moves_to_the_project_of_the_latest_decision_on_a_visit(self):
        buyer = self.register(phone=self.phone(), receiver_id=self.wang.id,
                              visit_datetime=self.ago(20)).partner_id
        self.register(partner_id=buyer.id, team_id=self.team_b.id,
                      receiver_id=self.li.id, visit_datetime=self.ago(2))
        self.as_in_11_0_1_0(buyer, self.wang, intent="a", reported=self.day)
        self.upgrade()
        self.assertEqual(self.rows(buyer), {
            (self.team_b, self.wang, None, "a", self.day)})
        row = buyer.attribution_ownership_ids
        self.assertEqual((row.first_visit_date, row.last_visit_date),
                         (self.ago(2)[:10], self.ago(2)[:10]))

    def test_phone_only_customer_moves_to_the_owners_team(self):
        phoned = self.customer("电话客 phone only")
        self.as_in_11_0_1_0(phoned, self.zhang, followup=self.day, intent="b",
                            reported=self.day)
        self.upgrade()
        self.assertEqual(self.rows(phoned), {
            (self.team, self.zhang, self.day, "b", self.day)})

    def test_values_held_before_the_data_files_win(self):
        """The data files of the new version run between pre- and post-migrate: a
        row of the promised project they made takes the values held before the
        upgrade, a row of another project stays, a column they wrote is ignored."""
        buyer = self.register(phone=self.phone(), team_id=self.team_b.id,
                              receiver_id=self.li.id,
                              visit_datetime=self.ago(3)).partner_id
        self.as_in_11_0_1_0(buyer, self.li, followup=self.day)
        Ownership = self.env["attribution.ownership"]

        def data_files():
            Ownership.create({"partner_id": buyer.id, "team_id": self.team_b.id,
                              "owner_id": self.liu.id})
            Ownership.create({"partner_id": buyer.id, "team_id": self.team.id,
                              "owner_id": self.chen.id})
            self.env.cr.execute(
                "UPDATE res_partner SET attribution_owner_id = %s WHERE id = %s",
                (self.chen.id, buyer.id))

        self.upgrade(between=data_files)
        self.assertEqual(self.rows(buyer), {
            (self.team_b, self.li, self.day, None, None),
            (self.team, self.chen, None, None, None)})

    def test_customers_with_rows_before_the_upgrade_keep_them(self):
        buyer = self.customer("Moved by an earlier build", owner=self.wang)
        self.env.cr.execute(
            "UPDATE res_partner SET attribution_owner_id = %s WHERE id = %s",
            (self.liu.id, buyer.id))
        self.upgrade()
        self.assertEqual(self.rows(buyer), {(self.team, self.wang, None, None, None)})

    def test_nobody_known_gets_no_row_and_nothing_is_left_behind(self):
        unknown = self.customer("Never owned")
        self.as_in_11_0_1_0(unknown, self.env["res.users"])
        self.upgrade()
        self.assertFalse(unknown.attribution_ownership_ids)
        self.env.cr.execute("SELECT to_regclass('attribution_ownership_premigrate')")
        self.assertIsNone(self.env.cr.fetchone()[0])
