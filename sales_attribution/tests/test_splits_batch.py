"""Split computation of many deals at once (issue #7): the same lines as deal by deal,
a number of queries that does not grow with the number of deals, nothing half-saved."""
from odoo.exceptions import UserError

from .common_splits import SplitsCase

COMPUTE_CTX = {"attribution_split_compute": True}


class TestSplitBatch(SplitsCase):

    # ------------------------------------------------------------------ deals

    def _deal_a01(self, tag):
        customer = self.partner("A01 %s" % tag, self.alice)
        self.visit(customer, self.alice, 3)
        return self.lead(customer, self.alice)

    def _deal_a06(self, tag):
        customer = self.partner("A06 %s" % tag, self.alice)
        self.rule_shared_conflict(customer)
        return self.lead(customer, self.alice, revenue=999999.99)

    def _deal_a07(self, tag):
        customer = self.partner("A07 %s" % tag, self.alice)
        conflict = self.env["attribution.conflict"].create({
            "partner_id": customer.id, "team_id": self.team.id,
            "claimant_ids": [(6, 0, (self.alice | self.bob).ids)]})
        conflict.action_escalate()
        conflict.action_forfeit()
        return self.lead(customer, self.alice)

    def _deal_a09_group(self, tag):
        company = self.partner("A09 %s Ltd" % tag, self.alice, is_company=True)
        for name, user, days in (("A", self.bob, 5), ("B", self.carol, 4)):
            self.visit(self.partner("A09 %s %s" % (tag, name), user,
                                    parent_id=company.id), user, days)
        return self.lead(company, self.alice, revenue=5000000.01, unit_count=6)

    def _deal_a09_family(self, tag):
        husband = self.partner("A09 husband %s" % tag, self.alice)
        wife = self.partner("A09 wife %s" % tag)
        self.relation(husband, wife, "spouse")
        self.visit(husband, self.alice, 6, companions=wife)
        return self.lead(husband, self.alice, unit_count=3)

    def _deal_a15(self, tag):
        contact = self.partner("A15 contact %s" % tag, self.alice)
        friend = self.partner("A15 friend %s" % tag, self.bob)
        self.relation(friend, contact, "friend", evidence="WeChat chat")
        self.visit(friend, self.bob, 2)
        return self.lead(friend, self.bob, revenue=1234567.89)

    def _deal_b01(self, tag, confirmed=False):
        wife = self.partner("B01 wife %s" % tag, self.alice,
                            intent_class="b" if confirmed else False,
                            intent_reported_date="2000-01-01" if confirmed else False)
        husband = self.partner("B01 husband %s" % tag, self.bob)
        self.relation(husband, wife, "spouse",
                      confirmed_date=self.today if confirmed else False)
        self.visit(wife, self.alice, 10)
        self.visit(husband, self.bob, 2)
        return self.lead(husband, self.bob)

    def _deal_b03a(self, tag):
        buyer = self.partner("B03a buyer %s" % tag, self.carol)
        relative = self.partner("B03a relative %s" % tag, self.alice)
        self.relation(buyer, relative, "sibling")
        self.visit(buyer, self.carol, 8)
        self.visit(relative, self.alice, 3)
        return self.lead(relative, self.alice, buyer_partner_id=buyer.id)

    def _deal_b05(self, tag):
        customer = self.partner("B05 %s" % tag, self.bob)
        self.visit(customer, self.alice, 9)
        # sudo(): decisions are an append-only log written by the reassignment wizard
        self.env["attribution.decision"].sudo().create({
            "partner_id": customer.id, "rule_code": "B5", "owner_id": self.bob.id,
            "previous_owner_id": self.alice.id, "explanation": "B5 complaint"})
        return self.lead(customer, self.bob, revenue=777777.77)

    # ------------------------------------------------------------------ helpers

    def _state(self, leads):
        """What the office sees of the splits: lines, rule codes, make-up credits."""
        self.env["crm.lead"].invalidate_cache()
        lines = {lead.id: sorted(
            (ln.user_id.id, ln.role, ln.performance_share, ln.bonus_share,
             ln.performance_amount, ln.bonus_amount, ln.rule_code, ln.explanation,
             ln.date, ln.manual, ln.currency_id.id, ln.team_id.id, ln.partner_id.id)
            for ln in lead.split_line_ids) for lead in leads}
        codes = {lead.id: (lead.attribution_split_rule_code,
                           lead.attribution_makeup_credited) for lead in leads}
        makeup_credits = sorted(self.rotation.member_ids.mapped("makeup_credits"))
        return lines, codes, makeup_credits

    def _reset(self, leads, manual_lead=None):
        """Back to won deals without automatic lines, codes or make-up credits; the
        manager's lines of ``manual_lead`` kept with their amounts wiped."""
        self.env["attribution.split.line"].with_context(**COMPUTE_CTX).search(
            [("lead_id", "in", leads.ids), ("manual", "=", False)]).unlink()
        leads.with_context(**COMPUTE_CTX).write(
            {"attribution_split_rule_code": False,
             "attribution_makeup_credited": False})
        self.rotation.member_ids.write({"makeup_credits": 0})
        if manual_lead:
            self.env.cr.execute(
                "UPDATE attribution_split_line SET performance_amount = 0, "
                "bonus_amount = 0, date = NULL WHERE lead_id = %s", (manual_lead.id,))
        self.env["crm.lead"].invalidate_cache()

    # ------------------------------------------------------------------ tests

    def test_batch_same_lines_as_one_by_one(self):
        """Every rule of section 3 in one batch: the lines of one deal at a time."""
        builders = [self._deal_a01, self._deal_a06, self._deal_a07,
                    self._deal_a09_group, self._deal_a09_family, self._deal_a15,
                    self._deal_b01, lambda tag: self._deal_b01(tag, confirmed=True),
                    self._deal_b03a, self._deal_b05]
        leads = self.env["crm.lead"]
        for number, build in enumerate(builders):
            leads |= build("batch %d" % number)
        manual_lead = self._deal_b01("manual")
        leads |= manual_lead
        self.assertFalse(leads.mapped("split_line_ids"))
        leads.action_set_won()  # one deal at a time (crm writes each lead)
        lines = {ln.user_id: ln for ln in manual_lead.split_line_ids}
        manual_lead.sudo(self.manager).write({"split_line_ids": [
            (1, lines[self.alice].id, {"bonus_share": 60}),
            (1, lines[self.bob].id, {"bonus_share": 40})]})

        # the facts of a deal do not depend on the other deals of the batch
        batch_facts = leads._attribution_deal_facts()
        for lead in leads:
            self.assertEqual(lead._attribution_deal_facts(),
                             {lead.id: batch_facts[lead.id]}, lead.name)

        as_manager = leads.sudo(self.manager)
        self._reset(leads, manual_lead)
        for lead in as_manager:
            lead.action_compute_splits()
        one_by_one = self._state(leads)
        self._reset(leads, manual_lead)
        as_manager.action_compute_splits()
        batch = self._state(leads)
        self.assertEqual(batch, one_by_one)

        codes = {code for code, _credited in batch[1].values()}
        self.assertEqual(codes, {"A1", "A6", "A7", "A9", "A15", "B1", "B3a", "B5",
                                 False})
        self.assertEqual(batch[2].count(1), 1, "one make-up reception, for one deal")
        self.assertTrue(all(line[9] for line in batch[0][manual_lead.id]))
        self.assertEqual(sum(line[4] for line in batch[0][manual_lead.id]), 1000000.0,
                         "the manager's lines get their amounts back")
        for lead in leads:
            self.assertReconciles(lead)

        # computing the batch again changes nothing, not even the line ids
        line_ids = sorted(leads.mapped("split_line_ids").ids)
        as_manager.action_compute_splits()
        self.assertEqual(self._state(leads), batch)
        self.assertEqual(sorted(leads.mapped("split_line_ids").ids), line_ids)

    def test_batch_queries_do_not_grow_with_deals(self):
        """Splitting 20 deals takes no more queries than splitting 5 (+ a few)."""
        builders = [self._deal_a01, self._deal_b01, self._deal_a15, self._deal_b05]
        leads = self.env["crm.lead"]
        for number in range(30):
            leads |= builders[number % len(builders)]("count %d" % number)
        leads.write({"stage_id": self.won_stage.id})
        self.assertEqual(set(leads.mapped("attribution_split_rule_code")),
                         {"A1", "B1", "A15", "B5"})
        Line = self.env["attribution.split.line"].with_context(**COMPUTE_CTX)

        def queries(batch):
            """Queries to split ``batch`` again after lines were lost, went stale or
            were left over: every kind of write the split does."""
            for number, lead in enumerate(batch):
                kind = number % 3
                if kind == 0:  # lines lost: inserted again
                    lead.split_line_ids.with_context(**COMPUTE_CTX).unlink()
                elif kind == 1:  # revenue changed behind the ORM: lines updated
                    self.env.cr.execute(
                        "UPDATE crm_lead SET planned_revenue = planned_revenue + 1 "
                        "WHERE id = %s", (lead.id,))
                else:  # a line no rule gives: deleted
                    Line.create({"lead_id": lead.id, "user_id": self.carol.id,
                                 "role": "co_owner", "rule_code": "A1"})
            self.env.cr.execute(
                "UPDATE crm_lead SET attribution_split_rule_code = NULL "
                "WHERE id IN %s", (tuple(batch.ids),))
            self.env["crm.lead"].invalidate_cache()
            before = self.env.cr.sql_log_count
            batch.sudo(self.manager).action_compute_splits()
            return self.env.cr.sql_log_count - before

        queries(leads[25:30])  # warm the caches of the manager's rights and rules
        five = queries(leads[:5])
        twenty = queries(leads[5:25])
        self.assertLessEqual(twenty, five + 3, (five, twenty))
        for lead in leads:
            self.assertReconciles(lead)
            self.assertTrue(lead.attribution_split_rule_code)

    def test_batch_error_saves_nothing(self):
        """A deal whose ruling does not add up stops the batch before anything is
        written, the deals before it included."""
        good = self._deal_a01("error good")
        bad = self._deal_a06("error bad")
        (good | bad).action_set_won()
        self._reset(good | bad)
        # a ruling damaged behind the ORM: performance shares 60 + 30
        self.env.cr.execute(
            "UPDATE attribution_conflict_share SET performance_share = 30 "
            "WHERE user_id = %s AND conflict_id IN "
            "(SELECT id FROM attribution_conflict WHERE partner_id = %s)",
            (self.bob.id, bad.partner_id.id))
        self.env["crm.lead"].invalidate_cache()
        with self.assertRaises(UserError) as caught:
            (good | bad).sudo(self.manager).action_compute_splits()
        self.assertIn(bad.name, str(caught.exception.name))
        self.env["crm.lead"].invalidate_cache()
        self.assertFalse((good | bad).mapped("split_line_ids"))
        self.assertFalse(good.attribution_split_rule_code)
