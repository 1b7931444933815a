from odoo.tests.common import SavepointCase

CONSULTANT_LOGINS = ["zhangwei", "liuna", "wangfang", "lixiang", "chenjing", "zhaolei"]


class TestDemo(SavepointCase):
    """The demo office tells the story the README and the other parts rely on.

    Odoo 11 runs Python tests only on a database with demo data, so the demo is there
    whenever this runs (bin/test's "demo" phase).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env.ref("sales_attribution.team_office_demo")
        cls.manager = cls.env.ref("sales_attribution.user_manager_demo")
        cls.consultants = cls.env["res.users"].browse([
            cls.env.ref("sales_attribution.user_consultant_%d_demo" % i).id
            for i in range(1, 7)])

    def partner(self, key):
        return self.env.ref("sales_attribution.partner_%s_demo" % key)

    def test_demo_six_consultants_in_consultant_group(self):
        group = self.env.ref("sales_attribution.group_consultant")
        manager_group = self.env.ref("sales_attribution.group_manager")
        self.assertEqual(self.consultants.mapped("login"), CONSULTANT_LOGINS)
        for user in self.consultants:
            self.assertIn(group, user.groups_id, user.login)
            self.assertNotIn(manager_group, user.groups_id, user.login)
            self.assertEqual(user.sale_team_id, self.team)
            self.assertEqual(user.lang, "zh_CN")

    def test_demo_manager_leads_the_team(self):
        self.assertEqual(self.manager.login, "wangqiang")
        manager_group = self.env.ref("sales_attribution.group_manager")
        self.assertIn(manager_group, self.manager.groups_id)
        self.assertEqual(self.team.user_id, self.manager)
        self.assertEqual(self.team.name, "案场一组 / Showroom Team 1")

    def test_demo_rotation_turn_order_one_absent(self):
        rotation = self.env.ref("sales_attribution.rotation_office_demo")
        self.assertEqual(rotation.team_id, self.team)
        members = rotation.member_ids.sorted("sequence")
        self.assertEqual(members.mapped("user_id"), self.consultants)
        self.assertEqual(members.mapped("sequence"), [10, 20, 30, 40, 50, 60])
        self.assertEqual(len(members.filtered(lambda m: not m.present)), 1)

    def assert_kin(self, a, b, relation_type, inverse_type):
        rel = a.attribution_relation_ids.filtered(lambda r: r.related_partner_id == b)
        self.assertEqual(rel.relation_type, relation_type)
        self.assertTrue(rel.is_direct_kin)
        inverse = b.attribution_relation_ids.filtered(
            lambda r: r.related_partner_id == a)
        self.assertEqual(inverse.relation_type, inverse_type)
        self.assertTrue(inverse.is_direct_kin)
        self.assertEqual(rel.inverse_id, inverse)

    def test_demo_family_spouses_with_inverse_row(self):
        self.assert_kin(self.partner("liu_jianguo"), self.partner("chen_meiling"),
                        "spouse", "spouse")

    def test_demo_family_parent_child_with_inverse_row(self):
        self.assert_kin(self.partner("wang_deming"), self.partner("wang_xiaoming"),
                        "child", "parent")

    @staticmethod
    def referrals(partner):
        return partner.attribution_relation_ids.filtered(
            lambda r: r.relation_type == "referral").mapped("related_partner_id")

    def test_demo_referral_chains(self):
        for a, b, c in (("zhou_haitao", "wu_li", "zheng_kai"),
                        ("sun_zhiqiang", "ma_xiaoyan", "zhu_wenbo")):
            a, b, c = self.partner(a), self.partner(b), self.partner(c)
            self.assertEqual(self.referrals(a), b)
            self.assertEqual(self.referrals(b), a | c)
            # a referred customer is owned by the referrer's consultant (B4)
            self.assertEqual(c.attribution_owner_id, a.attribution_owner_id)

    def test_demo_developer_related_customer(self):
        partners = self.env["res.partner"].search([("is_developer_related", "=", True)])
        he = self.partner("he_jianhua")
        self.assertIn(he, partners)
        self.assertTrue(he.developer_notice_date)
        self.assertTrue(he.attribution_owner_id)

    def test_demo_phone_only_customers(self):
        for key in ("gao_yang", "lin_xue", "guo_peng"):
            partner = self.partner(key)
            self.assertTrue(partner.last_followup_date, key)
            self.assertFalse(partner.attribution_visit_ids, key)
            self.assertFalse(partner.first_visit_date, key)
        # one within the A14 follow-up window, one long past it
        self.assertLess(self.partner("gao_yang").last_followup_date,
                        self.partner("gao_yang").create_date)
        self.assertLess(self.partner("lin_xue").last_followup_date,
                        self.partner("gao_yang").last_followup_date)

    def test_demo_visits_received_by_their_owner(self):
        visits = self.env["attribution.visit"].search([("team_id", "=", self.team.id)])
        self.assertGreaterEqual(len(visits), 10)
        for visit in visits:
            self.assertTrue(visit.asked_prior_visit)
            # the owner in the visit's project (a buyer may be known in two projects)
            row = visit.partner_id.attribution_ownership_ids.filtered(
                lambda r, team=visit.team_id: r.team_id == team)
            self.assertEqual(visit.receiver_id, row.owner_id, visit.partner_id.name)

    def test_demo_customers_with_intent_classes(self):
        classes = set(self.env["res.partner"].search(
            [("intent_class", "!=", False)]).mapped("intent_class"))
        self.assertEqual(classes, {"a", "b", "c"})

    def test_demo_won_opportunity(self):
        lead = self.env.ref("sales_attribution.lead_liu_jianguo_won_demo")
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual(lead.stage_id, self.env.ref("crm.stage_lead4"))
        self.assertEqual(lead.team_id, self.team)
        self.assertGreater(lead.planned_revenue, 0)
        self.assertEqual(lead.unit_count, 1)
        self.assertEqual(
            self.env.ref("sales_attribution.lead_huaxin_group_demo").unit_count, 5)

    def test_demo_upcoming_event_four_industries(self):
        event = self.env.ref("sales_attribution.event_forum_demo")
        self.assertEqual(event.greeter_note, "门口穿紫色衣服的迎宾")
        self.assertEqual(event.call_hour, 11)
        self.assertGreater(event.date_begin, self.env["event.event"]._fields[
            "date_begin"].now())
        industries = set(event.registration_ids.mapped("partner_id.industry_id.name"))
        self.assertEqual(industries, {"服务业", "代理业", "快速消费品", "工业品"})
        for reg in event.registration_ids:
            self.assertIn(reg.attribution_user_id, self.consultants)
            self.assertGreaterEqual(reg.seats_reserved, 1)

    def test_demo_past_event_absentees(self):
        event = self.env.ref("sales_attribution.event_dinner_past_demo")
        now = self.env["event.event"]._fields["date_end"].now()
        self.assertLess(event.date_end, now)
        attended = event.registration_ids.filtered(lambda r: r.state == "done")
        absent = event.registration_ids.filtered(lambda r: r.state == "open")
        self.assertEqual(len(attended), 3)
        self.assertEqual(set(absent.mapped("partner_id.name")), {"王德明", "郭鹏", "曹静"})

    def test_demo_conflict_under_negotiation(self):
        conflict = self.env.ref("sales_attribution.conflict_chen_meiling_demo")
        self.assertEqual(conflict.state, "negotiation")
        self.assertEqual(conflict.claimant_ids, self.consultants[:2])

    def test_demo_consultant_sees_only_own_customers(self):
        zhangwei = self.consultants[0]
        visible = self.env["res.partner"].sudo(zhangwei).search(
            [("customer", "=", True)])
        owners = visible.mapped("attribution_owner_id")
        self.assertEqual(owners, zhangwei)
        self.assertIn(self.partner("liu_jianguo"), visible)
        self.assertNotIn(self.partner("wang_deming"), visible)
