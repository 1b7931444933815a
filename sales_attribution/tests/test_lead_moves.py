"""A consultant cannot move a colleague's customer through a deal (``crm.lead``).

The registration sheet decides who owns a customer (A1, A10) and a deal's salesperson
is the owner its split pays: creating a deal on a colleague's customer, taking an
unassigned deal of one, or re-pointing an own deal at one is refused in the user's
language and nothing is written. Run as the real users (``sudo(user)``); the same moves
over XML-RPC are in ``live/test_rpc_surface.py``.
"""
from odoo.exceptions import UserError

from .common import AttributionCase, make_user


class TestLeadMoves(AttributionCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.theirs = cls.env["res.partner"].create({
            "name": "张先生", "mobile": "13900130901", "customer": True,
            "attribution_owner_id": cls.zhang.id})
        cls.mine = cls.env["res.partner"].create({
            "name": "李女士", "mobile": "13900130902", "customer": True,
            "attribution_owner_id": cls.li.id})

    def deals(self, partner):
        return self.env["crm.lead"].with_context(active_test=False).search(
            [("partner_id", "=", partner.id)])

    def test_A10_consultant_cannot_open_a_deal_on_a_colleagues_customer(self):
        Lead = self.env["crm.lead"].sudo(self.li)
        for vals in ({}, {"user_id": self.li.id}):
            with self.assertRaises(UserError) as caught:
                Lead.create(dict(vals, name="抢单", type="opportunity",
                                 partner_id=self.theirs.id))
            self.assertIn(self.zhang.name, caught.exception.name)
            self.assertIn("A10", caught.exception.name)
        self.assertFalse(self.deals(self.theirs))

    def test_A10_consultant_cannot_take_an_unassigned_deal_of_a_colleague(self):
        lead = self.env["crm.lead"].create({
            "name": "无人跟进", "type": "opportunity", "partner_id": self.theirs.id,
            "user_id": False, "team_id": self.team.id})
        with self.assertRaises(UserError):
            lead.sudo(self.li).write({"user_id": self.li.id})
        self.assertFalse(lead.user_id)

    def test_A10_consultant_cannot_repoint_an_own_deal_at_a_colleagues_customer(self):
        lead = self.env["crm.lead"].sudo(self.li).create({
            "name": "我的商机", "type": "opportunity", "partner_id": self.mine.id})
        self.assertEqual(lead.user_id, self.li)
        with self.assertRaises(UserError):
            lead.write({"partner_id": self.theirs.id})
        lead.invalidate_cache()
        self.assertEqual(lead.sudo().partner_id, self.mine)
        with self.assertRaises(UserError):
            lead.write({"user_id": self.wang.id})  # giving it away is the manager's
        self.assertEqual(lead.sudo().user_id, self.li)

    def test_A10_consultant_cannot_repoint_an_unassigned_deal(self):
        # an unassigned deal is split to its closer: pointing one at a colleague's
        # customer would pay whoever closes it, not the owner
        lead = self.env["crm.lead"].create({
            "name": "无人跟进", "type": "opportunity", "user_id": False,
            "team_id": self.team.id})
        with self.assertRaises(UserError):
            lead.sudo(self.li).write({"partner_id": self.theirs.id})
        self.assertFalse(lead.partner_id)

    def test_A10_consultant_works_own_and_unowned_customers(self):
        Lead = self.env["crm.lead"].sudo(self.li)
        own = Lead.create({"name": "自己的", "type": "opportunity",
                           "partner_id": self.mine.id})
        own.write({"description": "回访", "partner_id": self.mine.id})
        new = self.env["res.partner"].create({"name": "新客户", "customer": True})
        other = Lead.create({"name": "新客户商机", "type": "opportunity",
                             "partner_id": new.id})
        self.assertEqual((own.user_id, other.user_id), (self.li, self.li))

    def test_A10_manager_assigns_a_deal_to_another_consultant(self):
        lead = self.env["crm.lead"].sudo(self.manager).create({
            "name": "经理分配", "type": "opportunity", "partner_id": self.theirs.id,
            "user_id": self.li.id})
        self.assertEqual(lead.user_id, self.li)

    def test_A10_refusal_reads_in_chinese(self):
        self.env["res.lang"].load_lang("zh_CN")
        self.env["ir.translation"].load_module_terms(["sales_attribution"], ["zh_CN"])
        self.li.lang = "zh_CN"
        Lead = self.env["crm.lead"].sudo(self.li).with_context(lang="zh_CN")
        with self.assertRaises(UserError) as caught:
            Lead.create({"name": "抢单", "type": "opportunity",
                         "partner_id": self.theirs.id})
        self.assertIn("来访登记表", caught.exception.name)

    def test_A10_a_deal_without_project_is_checked_against_the_latest_owner(self):
        lead = self.env["crm.lead"].create({
            "name": "无案场", "type": "opportunity", "user_id": False,
            "team_id": False})
        with self.assertRaises(UserError):
            lead.sudo(self.li).write({"partner_id": self.theirs.id})
        self.assertFalse(lead.partner_id)

    def test_A10_the_colleagues_customer_is_free_in_another_project(self):
        # ownership is per project (issue 14): zhang owns the customer in the test
        # office only; in project B nobody does, B's consultant may open a deal there
        project_b = self.env["crm.team"].create({"name": "案场 B"})
        sun = make_user(self.env, "sa_test_sun", "孙悦",
                        self.env.ref("sales_attribution.group_consultant"),
                        sale_team_id=project_b.id)
        lead = self.env["crm.lead"].sudo(sun).create({
            "name": "B 案场商机", "type": "opportunity", "partner_id": self.theirs.id,
            "team_id": project_b.id})
        self.assertEqual((lead.sudo().user_id, lead.sudo().team_id), (sun, project_b))

    def test_a_consultant_holds_deals_only_in_projects_they_work_in(self):
        # issue 14: "A's consultant would own a deal in a project they do not work in"
        elsewhere = self.env["crm.team"].create({"name": "案场 C"})
        Lead = self.env["crm.lead"].sudo(self.li)
        with self.assertRaises(UserError) as caught:
            Lead.create({"name": "别的案场", "type": "opportunity",
                         "partner_id": self.mine.id, "team_id": elsewhere.id})
        self.assertIn("案场 C", caught.exception.name)
        lead = Lead.create({"name": "本案场", "type": "opportunity",
                            "partner_id": self.mine.id})
        with self.assertRaises(UserError):
            lead.write({"team_id": elsewhere.id})
        self.assertEqual(lead.sudo().team_id, self.team)
