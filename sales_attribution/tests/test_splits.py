import json

from lxml import etree

from odoo.exceptions import AccessError, UserError

from .common_splits import SplitsCase

REVENUE = 1000000.0
POOL = 20000.0  # team bonus rate 2 %


class TestSplitRules(SplitsCase):
    """One won deal per rule code of SPEC section 3, driven through real leads."""

    def test_A01_default_owner_takes_all(self):
        customer = self.partner("A01 customer", self.alice)
        self.visit(customer, self.alice, 3)
        lead = self.lead(customer, self.alice)
        lines = self.win(lead)
        self.assertEqual(len(lines), 1)
        self.assertEqual(self.shares(lead), {(self.alice, "owner"): (100, 100, "A1")})
        self.assertEqual(lines.performance_amount, REVENUE)
        self.assertEqual(lines.bonus_amount, POOL)
        self.assertEqual(lines.date, self.office_day(lead.date_closed))
        self.assertIn("A1", lines.explanation)
        self.assertEqual(lead.attribution_split_rule_code, "A1")

    def test_A01_won_stage_write_splits(self):
        """Dragging the deal to a won stage splits it like the Won button."""
        customer = self.partner("A01 stage customer", self.bob)
        lead = self.lead(customer, self.bob)
        self.assertFalse(lead.split_line_ids)
        lead.write({"stage_id": self.won_stage.id})
        self.assertEqual(self.shares(lead), {(self.bob, "owner"): (100, 100, "A1")})

    def test_A01_lost_or_reopened_deal_earns_nothing(self):
        customer = self.partner("A01 lost customer", self.alice)
        lead = self.lead(customer, self.alice)
        self.win(lead)
        self.assertTrue(lead.split_line_ids)
        lead.sudo(self.alice).action_set_lost()  # the consultant marks it lost
        self.assertFalse(lead.with_context(active_test=False).split_line_ids)
        self.assertFalse(self.env["attribution.split.line"].search(
            [("lead_id", "=", lead.id)]))
        self.assertFalse(lead.attribution_split_rule_code)
        note = lead.message_ids.filtered(
            lambda m: "no longer won" in (m.body or ""))
        self.assertEqual(len(note), 1)
        self.assertIn("A1", note.body)
        # won again: split afresh
        lead.toggle_active()
        lead.action_set_won()
        self.assertEqual(self.shares(lead), {(self.alice, "owner"): (100, 100, "A1")})
        # back to an open stage: nothing earned either
        lead.write({"probability": 50, "stage_id": self.env["crm.stage"].search(
            [("probability", "<", 100)], limit=1).id})
        self.assertFalse(lead.split_line_ids)

    def test_A01_not_won_no_lines(self):
        lead = self.lead(self.partner("A01 open", self.alice), self.alice)
        lead.write({"probability": 60})
        self.assertFalse(lead.split_line_ids)

    def test_A06_ruling_shares(self):
        customer = self.partner("A06 customer", self.alice)
        self.rule_shared_conflict(customer)
        lead = self.lead(customer, self.alice)
        self.win(lead)
        self.assertEqual(self.shares(lead), {
            (self.alice, "co_owner"): (60, 70, "A6"),
            (self.bob, "co_owner"): (40, 30, "A6")})
        self.assertReconciles(lead)

    def test_A07_forfeited_to_company(self):
        customer = self.partner("A07 customer", self.alice)
        conflict = self.env["attribution.conflict"].create({
            "partner_id": customer.id, "team_id": self.team.id,
            "claimant_ids": [(6, 0, (self.alice | self.bob).ids)]})
        conflict.action_escalate()
        conflict.action_forfeit()
        lead = self.lead(customer, self.alice)
        lines = self.win(lead)
        self.assertEqual(len(lines), 1)
        self.assertFalse(lines.user_id)
        self.assertEqual((lines.role, lines.rule_code), ("company", "A7"))
        self.assertEqual((lines.performance_share, lines.bonus_share), (100, 100))
        self.assertEqual((lines.performance_amount, lines.bonus_amount),
                         (REVENUE, POOL))

    def test_A09_group_buyer_equal_co_owners(self):
        company = self.partner("A09 Group Ltd", self.alice, is_company=True)
        buyer_a = self.partner("A09 buyer A", self.bob, parent_id=company.id)
        buyer_b = self.partner("A09 buyer B", self.carol, parent_id=company.id)
        self.visit(buyer_a, self.bob, 5)
        self.visit(buyer_b, self.carol, 4)
        lead = self.lead(company, self.alice, revenue=5000000.01, unit_count=6)
        self.win(lead)
        self.assertEqual(self.shares(lead), {
            (self.alice, "co_owner"): (33.34, 33.34, "A9"),
            (self.bob, "co_owner"): (33.33, 33.33, "A9"),
            (self.carol, "co_owner"): (33.33, 33.33, "A9")})
        self.assertReconciles(lead)

    def test_A09_group_below_threshold_owner_takes_all(self):
        company = self.partner("A09 Small Ltd", self.alice, is_company=True)
        contact = self.partner("A09 small contact", self.bob, parent_id=company.id)
        self.visit(contact, self.bob, 5)
        lead = self.lead(company, self.alice, unit_count=4)
        self.win(lead)
        self.assertEqual(self.shares(lead), {(self.alice, "owner"): (100, 100, "A1")})

    def test_A09_family_joint_single_owner(self):
        husband = self.partner("A09 husband", self.alice)
        wife = self.partner("A09 wife")
        self.relation(husband, wife, "spouse")
        self.visit(husband, self.alice, 6, companions=wife)
        lead = self.lead(husband, self.alice, unit_count=3)
        self.win(lead)
        self.assertEqual(self.shares(lead), {(self.alice, "owner"): (100, 100, "A9")})

    def test_A15_friend_of_contact_with_evidence(self):
        contact = self.partner("A15 contact (never came)", self.alice)
        friend = self.partner("A15 friend", self.bob)
        self.relation(friend, contact, "friend", evidence="WeChat chat of 3 May")
        self.visit(friend, self.bob, 2)
        lead = self.lead(friend, self.bob)
        self.win(lead)
        self.assertEqual(self.shares(lead), {
            (self.alice, "original"): (100, 50, "A15"),
            (self.bob, "closer"): (0, 50, "A15")})
        self.assertReconciles(lead)

    def test_A15_without_evidence_normal_rules(self):
        contact = self.partner("A15 contact no proof", self.alice)
        friend = self.partner("A15 friend no proof", self.bob)
        self.relation(friend, contact, "friend")
        self.visit(friend, self.bob, 2)
        lead = self.lead(friend, self.bob)
        self.win(lead)
        self.assertEqual(self.shares(lead), {(self.bob, "owner"): (100, 100, "A1")})

    def _kin_deal(self, confirmed_date=False, intent_class=False, reported=False):
        wife = self.partner("B01 wife", self.alice, intent_class=intent_class,
                            intent_reported_date=reported)
        husband = self.partner("B01 husband", self.bob)
        self.relation(husband, wife, "spouse", confirmed_date=confirmed_date)
        self.visit(wife, self.alice, 10)
        self.visit(husband, self.bob, 2)
        return self.lead(husband, self.bob)

    def test_B01_unconfirmed_bonus_halved(self):
        lead = self._kin_deal()
        self.win(lead)
        self.assertEqual(self.shares(lead), {
            (self.alice, "original"): (100, 50, "B1"),
            (self.bob, "closer"): (0, 50, "B1")})
        self.assertReconciles(lead)
        bob_member = self.rotation.member_ids.filtered(lambda m: m.user_id == self.bob)
        self.assertEqual(bob_member.makeup_credits, 0)

    def test_B01_reported_but_not_confirmed_bonus_halved(self):
        lead = self._kin_deal(intent_class="a", reported="2000-01-01")
        self.win(lead)
        self.assertEqual(self.shares(lead)[(self.alice, "original")], (100, 50, "B1"))

    def test_B01_confirmed_all_original_and_makeup_credit(self):
        yesterday = "2000-01-01"
        lead = self._kin_deal(confirmed_date=self.today, intent_class="b",
                              reported=yesterday)
        self.win(lead)
        self.assertEqual(self.shares(lead),
                         {(self.alice, "original"): (100, 100, "B1")})
        bob_member = self.rotation.member_ids.filtered(lambda m: m.user_id == self.bob)
        self.assertEqual(bob_member.makeup_credits, 1)
        self.assertTrue(lead.attribution_makeup_credited)
        lead.action_compute_splits()
        lead.action_compute_splits()
        self.assertEqual(bob_member.makeup_credits, 1, "one make-up reception per deal")

    def test_B01_confirmed_on_the_office_day_of_a_deal_won_after_midnight(self):
        """Won at 00:30 Beijing time on 21 March (16:30 UTC on the 20th): the
        relation confirmed on the 21st is confirmed on the day of the deal."""
        self.assertEqual(self.tz, "Asia/Shanghai")
        lead = self._kin_deal(confirmed_date="2026-03-21", intent_class="b",
                              reported="2026-03-20")
        self.win(lead)
        lead.write({"date_closed": "2026-03-20 16:30:00"})
        lead.sudo(self.manager).action_compute_splits()
        self.assertEqual(self.shares(lead),
                         {(self.alice, "original"): (100, 100, "B1")})
        self.assertEqual(lead.split_line_ids.date, "2026-03-21")
        self.assertIn("2026-03-21", lead.split_line_ids.explanation)
        # the same deal confirmed on the UTC date only: not the day of the deal
        lead.partner_id.attribution_relation_ids.filtered(
            lambda rel: rel.related_partner_id.name == "B01 wife").write(
                {"confirmed_date": "2026-03-20"})
        lead.sudo(self.manager).action_compute_splits()
        self.assertEqual(self.shares(lead), {
            (self.alice, "original"): (100, 50, "B1"),
            (self.bob, "closer"): (0, 50, "B1")})

    def test_B02_two_deals_independent(self):
        cousin_a = self.partner("B02 cousin A", self.alice)
        cousin_b = self.partner("B02 cousin B", self.bob)
        self.relation(cousin_a, cousin_b, "relative")
        self.visit(cousin_a, self.alice, 6)
        self.visit(cousin_b, self.bob, 3)
        lead_a = self.lead(cousin_a, self.alice)
        lead_b = self.lead(cousin_b, self.bob, revenue=800000.0)
        self.win(lead_a)
        self.win(lead_b)
        self.assertEqual(self.shares(lead_a), {(self.alice, "owner"): (100, 100, "A1")})
        self.assertEqual(self.shares(lead_b), {(self.bob, "owner"): (100, 100, "A1")})
        self.assertEqual(lead_b.split_line_ids.performance_amount, 800000.0)

    def test_B03a_buyer_consultant(self):
        buyer = self.partner("B03a buyer (contract name)", self.carol)
        relative = self.partner("B03a relative", self.alice)
        self.relation(buyer, relative, "sibling")
        self.visit(buyer, self.carol, 8)
        self.visit(relative, self.alice, 3)
        lead = self.lead(relative, self.alice, buyer_partner_id=buyer.id)
        self.win(lead)
        self.assertEqual(self.shares(lead), {(self.carol, "owner"): (100, 100, "B3a")})

    def test_B05_complaint_split_20_80(self):
        customer = self.partner("B05 customer", self.bob)
        self.visit(customer, self.alice, 9)
        # sudo(): decisions are an append-only log written by the reassignment wizard
        self.env["attribution.decision"].sudo().create({
            "partner_id": customer.id, "rule_code": "B5", "owner_id": self.bob.id,
            "previous_owner_id": self.alice.id,
            "explanation": "B5 complaint: manager reassigned Alice's customer to Bob"})
        lead = self.lead(customer, self.bob)
        self.win(lead)
        self.assertEqual(self.shares(lead), {
            (self.bob, "closer"): (100, 80, "B5"),
            (self.alice, "original"): (0, 20, "B5")})
        lines = {line.user_id: line for line in lead.split_line_ids}
        self.assertEqual(lines[self.bob].bonus_amount, 16000.0)
        self.assertEqual(lines[self.alice].bonus_amount, 4000.0)
        self.assertEqual(lines[self.alice].performance_amount, 0.0)


class TestSplitRecompute(SplitsCase):
    """Computing again is idempotent; managers' edits are kept and validated."""

    def _lines_state(self, lead):
        return sorted((ln.id, ln.user_id.id, ln.role, ln.performance_share,
                       ln.bonus_share, ln.performance_amount, ln.bonus_amount,
                       ln.rule_code, ln.manual)
                      for ln in lead.split_line_ids)

    def test_recompute_idempotent(self):
        company = self.partner("Idem Group Ltd", self.alice, is_company=True)
        contact = self.partner("Idem contact", self.bob, parent_id=company.id)
        self.visit(contact, self.bob, 4)
        lead = self.lead(company, self.alice, revenue=3333333.33, unit_count=5)
        self.win(lead)
        before = self._lines_state(lead)
        lead.action_compute_splits()
        lead.action_compute_splits()
        self.assertEqual(self._lines_state(lead), before)
        self.assertEqual(len(before), 2)

    def test_recompute_after_revenue_edit(self):
        lead = self.lead(self.partner("Edit customer", self.alice), self.alice)
        self.win(lead)
        lead.planned_revenue = 1234567.89
        self.assertEqual(lead.split_line_ids.performance_amount, 1234567.89,
                         "editing a won deal splits it again")
        lead.action_compute_splits()
        self.assertEqual(len(lead.split_line_ids), 1)
        self.assertReconciles(lead)

    def test_won_deal_new_owner_resplit(self):
        lead = self.lead(self.partner("Owner change", self.alice), self.alice)
        self.win(lead)
        lead.sudo(self.manager).user_id = self.carol
        self.assertEqual(self.shares(lead), {(self.carol, "owner"): (100, 100, "A1")})

    def test_explanation_both_languages(self):
        lead = self.lead(self.partner("Explained", self.alice), self.alice)
        self.win(lead)
        text = lead.split_line_ids.explanation
        self.assertTrue(text.startswith("A1 First registered reception"))
        self.assertIn("A1 首次接待登记人确认归属", text)

    def test_recompute_after_facts_change_replaces_lines(self):
        """A B5 decision recorded after the win: computing again follows the facts."""
        customer = self.partner("Late B5", self.bob)
        lead = self.lead(customer, self.bob)
        self.win(lead)
        self.assertEqual(self.shares(lead), {(self.bob, "owner"): (100, 100, "A1")})
        # sudo(): decisions are an append-only log
        self.env["attribution.decision"].sudo().create({
            "partner_id": customer.id, "rule_code": "B5", "owner_id": self.bob.id,
            "previous_owner_id": self.carol.id, "explanation": "B5"})
        lead.action_compute_splits()
        self.assertEqual(set(self.shares(lead)), {(self.bob, "closer"),
                                                  (self.carol, "original")})
        self.assertEqual(self.env["attribution.split.line"].search_count(
            [("lead_id", "=", lead.id)]), 2)

    def _b1_lead(self):
        wife = self.partner("Manual wife", self.alice)
        husband = self.partner("Manual husband", self.bob)
        self.relation(husband, wife, "spouse")
        self.visit(wife, self.alice, 10)
        self.visit(husband, self.bob, 2)
        lead = self.lead(husband, self.bob)
        self.win(lead)
        return lead.sudo(self.manager)

    def test_manual_edit_kept_on_recompute(self):
        lead = self._b1_lead()
        lines = {line.user_id: line for line in lead.split_line_ids}
        lead.write({"split_line_ids": [
            (1, lines[self.alice].id, {"bonus_share": 60}),
            (1, lines[self.bob].id, {"bonus_share": 40})]})
        self.assertTrue(all(lead.split_line_ids.mapped("manual")))
        self.assertEqual(lines[self.alice].bonus_amount, 12000.0, "amounts follow")
        lead.action_compute_splits()
        self.assertEqual(len(lead.split_line_ids), 2)
        self.assertEqual(lines[self.alice].bonus_share, 60)
        self.assertEqual(lines[self.bob].bonus_share, 40)
        lead.planned_revenue = 2000000.0
        lead.action_compute_splits()
        self.assertEqual(lines[self.alice].bonus_amount, 24000.0)
        self.assertEqual(lines[self.bob].bonus_amount, 16000.0)
        self.assertReconciles(lead)

    def test_manual_edit_bad_sum_refused(self):
        lead = self._b1_lead()
        Line = self.env["attribution.split.line"]
        count = Line.search_count([("lead_id", "=", lead.id)])
        alice_line = lead.split_line_ids.filtered(
            lambda line: line.user_id == self.alice)
        with self.assertRaises(UserError) as caught:
            lead.write({"split_line_ids": [(1, alice_line.id, {"bonus_share": 70})]})
        self.assertIn("Bonus shares", str(caught.exception.name))
        self.assertEqual(Line.search_count([("lead_id", "=", lead.id)]), count)
        self.assertEqual(alice_line.bonus_share, 50)
        self.assertFalse(alice_line.manual)
        # the line form: same check
        with self.assertRaises(UserError):
            alice_line.sudo(self.manager).write({"performance_share": 90})
        self.assertEqual(alice_line.performance_share, 100)
        # an added line that breaks the totals
        with self.assertRaises(UserError):
            lead.write({"split_line_ids": [(0, 0, {
                "user_id": self.carol.id, "role": "co_owner", "performance_share": 10,
                "bonus_share": 0})]})
        self.assertEqual(Line.search_count([("lead_id", "=", lead.id)]), count)
        # removing a line that breaks the totals
        with self.assertRaises(UserError):
            lead.write({"split_line_ids": [(2, alice_line.id)]})
        self.assertEqual(Line.search_count([("lead_id", "=", lead.id)]), count)

    def test_manual_edit_adding_a_line_balanced(self):
        lead = self._b1_lead()
        lines = {line.user_id: line for line in lead.split_line_ids}
        lead.write({"split_line_ids": [
            (1, lines[self.alice].id, {"performance_share": 80}),
            (0, 0, {"user_id": self.carol.id, "role": "co_owner",
                    "performance_share": 20, "bonus_share": 0})]})
        self.assertEqual(len(lead.split_line_ids), 3)
        self.assertReconciles(lead)
        lead.action_compute_splits()
        self.assertEqual(len(lead.split_line_ids), 3)

    def test_amounts_reconcile_to_the_cent(self):
        company = self.partner("Cent Group Ltd", self.alice, is_company=True)
        for name, user in (("Cent A", self.bob), ("Cent B", self.carol)):
            self.visit(self.partner(name, user, parent_id=company.id), user, 3)
        lead = self.lead(company, self.alice, revenue=1000000.01, unit_count=7)
        self.team.attribution_bonus_rate = 1.234
        self.win(lead)
        self.assertEqual(len(lead.split_line_ids), 3)
        self.assertReconciles(lead)


class TestSplitAccess(SplitsCase):
    """Consultants see their own lines, read only; My Performance works as them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        customer = cls.partner("Access B5 customer", cls.bob)
        # sudo(): decisions are an append-only log
        cls.env["attribution.decision"].sudo().create({
            "partner_id": customer.id, "rule_code": "B5", "owner_id": cls.bob.id,
            "previous_owner_id": cls.alice.id, "explanation": "B5"})
        cls.lead_b5 = cls.lead(customer, cls.bob)
        cls.lead_carol = cls.lead(cls.partner("Access carol", cls.carol), cls.carol)

    def test_consultant_marks_won_and_sees_own_lines(self):
        self.lead_b5.sudo(self.bob).action_set_won()
        self.lead_carol.sudo(self.carol).action_set_won()
        self.assertEqual(len(self.lead_b5.split_line_ids), 2)
        Line = self.env["attribution.split.line"]
        alice_lines = Line.sudo(self.alice).search([])
        self.assertEqual(alice_lines.mapped("user_id"), self.alice)
        self.assertEqual(len(alice_lines), 1)
        self.assertEqual(alice_lines.bonus_amount, 4000.0)
        carol_lines = Line.sudo(self.carol).search([])
        self.assertEqual(carol_lines.mapped("lead_id"), self.lead_carol)
        groups = Line.sudo(self.bob).read_group(
            [], ["user_id", "team_id", "date", "performance_amount", "bonus_amount"],
            ["user_id", "team_id", "date:month"],
            lazy=False)
        self.assertEqual(len(groups), 1)
        self.assertEqual(groups[0]["bonus_amount"], 16000.0)

    def test_consultant_cannot_edit_split_lines(self):
        self.lead_b5.action_set_won()
        line = self.lead_b5.split_line_ids.filtered(
            lambda line: line.user_id == self.alice)
        with self.assertRaises(AccessError):
            line.sudo(self.alice).write({"bonus_share": 100})
        with self.assertRaises(AccessError):
            self.lead_b5.sudo(self.bob).action_compute_splits()
        with self.assertRaises(AccessError):
            self.env["attribution.split.line"].sudo(self.bob).search([]).unlink()

    def test_lead_form_split_lines_editable_by_managers_only(self):
        Lead = self.env["crm.lead"]
        for user, readonly in ((self.alice, True), (self.manager, False)):
            arch = Lead.sudo(user).fields_view_get(
                view_id=self.env.ref("crm.crm_case_form_view_oppor").id,
                view_type="form")["arch"]
            node = etree.fromstring(arch).xpath("//field[@name='split_line_ids']")[0]
            modifiers = json.loads(node.get("modifiers") or "{}")
            self.assertEqual(bool(modifiers.get("readonly")), readonly, user.name)

    def test_my_performance_views(self):
        action = self.env.ref(
            "sales_attribution.attribution_split_line_action_my_performance")
        self.assertIn("pivot", action.view_mode)
        self.assertEqual(action.domain, "[('user_id', '=', uid)]")
        Line = self.env["attribution.split.line"].sudo(self.alice)
        for view_type in ("pivot", "graph", "tree", "search"):
            arch = Line.fields_view_get(view_type=view_type)["arch"]
            self.assertTrue(arch)
        pivot = Line.fields_view_get(view_type="pivot")["arch"]
        self.assertIn("team_id", pivot)
        menu = self.env.ref(
            "sales_attribution.attribution_split_line_menu_my_performance")
        self.assertIn(menu, self.env["ir.ui.menu"].sudo(self.alice).search(
            [("id", "=", menu.id)]))
