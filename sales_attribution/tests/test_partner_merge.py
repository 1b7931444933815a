"""Odoo's partner merge (Contacts → Merge) keeps the rule book's records (issue 17,
point 6): visits, decisions (re-pointed, text unchanged), relations (duplicates merged
with their evidence, self-relations removed with a note), phone numbers, ownership;
different owners open a conflict for the manager. Run through the wizard as the
manager."""
from odoo.exceptions import UserError

from .common import AttributionCase


class TestPartnerMerge(AttributionCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Odoo deletes the merged records: the merging manager needs Odoo's own
        # "Contact Creation" right on customers, as for any merge
        cls.manager.groups_id = [(4, cls.env.ref("base.group_partner_manager").id)]

    def merge(self, partners, dst, user=None):
        wizard = self.env["base.partner.merge.automatic.wizard"].sudo(
            user or self.manager).with_context(
            active_model="res.partner", active_ids=partners.ids).create({})
        self.assertEqual(wizard.state, "selection")
        wizard.dst_partner_id = dst
        wizard.action_merge()
        self.assertFalse((partners - dst).exists())
        return dst

    def visited(self, name, consultant, days):
        """A customer registered at the desk ``days`` ago by ``consultant``."""
        visit = self.register(phone=self.phone(), partner_name=name,
                              receiver_id=consultant.id, visit_datetime=self.ago(days))
        self.assertEqual(visit.owner_id, consultant)
        return visit.partner_id

    def test_merge_same_owner_keeps_visits_decisions_numbers(self):
        a = self.visited("王先生", self.zhang, 10)
        b = self.visited("王先生 (dup)", self.zhang, 5)
        b.phone = "0755-2345 6710"
        b_mobile = b.mobile
        decisions = (a | b).mapped("attribution_decision_ids")
        texts = {d.id: d.explanation for d in decisions}
        visits = (a | b).mapped("attribution_visit_ids")
        self.merge(a | b, a)
        self.assertEqual(a.attribution_visit_ids, visits)
        self.assertEqual(a.attribution_decision_ids, decisions)
        self.assertEqual({d.id: d.explanation for d in a.attribution_decision_ids},
                         texts)
        self.assertEqual(a.attribution_owner_id, self.zhang)
        self.assertEqual(a.first_visit_date, self.ago(10)[:10])
        self.assertEqual(a.last_visit_date, self.ago(5)[:10])
        self.assertFalse(self.conflicts(a))
        numbers = a.attribution_phone_ids.mapped("phone")
        self.assertIn(b_mobile, numbers)
        self.assertIn("075523456710", numbers)
        Visit = self.env["attribution.visit"]
        self.assertEqual(Visit._find_customer_by_phone(b_mobile), a)
        again = self.register(phone="+86 755 2345 6710", receiver_id=self.zhang.id,
                              customer_recalls_consultant=True)
        self.assertEqual(again.partner_id, a)

    def test_A06_merge_of_different_owners_opens_conflict_for_manager(self):
        a = self.visited("刘女士", self.zhang, 5)
        b = self.visited("刘女士 (dup)", self.li, 12)
        self.merge(a | b, a)
        self.assertEqual(a.attribution_owner_id, self.zhang)  # nothing moved silently
        conflict = self.conflicts(a)
        self.assertEqual(len(conflict), 1)
        self.assertEqual(conflict.state, "negotiation")
        self.assertEqual(conflict.claimant_ids, self.zhang | self.li)
        self.assertEqual(conflict.proposed_owner_id, self.li)  # A10: earliest
        self.assertIn(self.li.name, conflict.proposal_reason)
        self.assertTrue(self.activities(conflict, self.manager))

    def test_A06_merge_conflict_ruling_moves_the_customer(self):
        a = self.visited("周先生", self.zhang, 5)
        b = self.visited("周先生 (dup)", self.li, 12)
        self.merge(a | b, a)
        conflict = self.conflicts(a).sudo(self.manager)
        conflict.winner_id = self.li
        conflict.action_rule()
        self.assertEqual(a.attribution_owner_id, self.li)

    def test_merge_into_unowned_record_keeps_the_owner(self):
        a = self.customer("孙先生")
        b = self.visited("孙先生 (dup)", self.wang, 3)
        self.merge(a | b, a)
        self.assertEqual(a.attribution_owner_id, self.wang)
        self.assertFalse(self.conflicts(a))

    def test_merge_keeps_duplicate_relation_with_both_evidences(self):
        a = self.customer("赵一", owner=self.zhang)
        b = self.customer("赵一 (dup)", owner=self.zhang)
        friend = self.customer("朋友", owner=self.li)
        Rel = self.env["attribution.relation"]
        Rel.create({"partner_id": a.id, "related_partner_id": friend.id,
                    "relation_type": "friend", "evidence": "WeChat 2026-01-02"})
        Rel.create({"partner_id": b.id, "related_partner_id": friend.id,
                    "relation_type": "friend", "evidence": "Call log 2026-02-03",
                    "confirmed_date": "2026-02-03"})
        self.merge(a | b, a)
        rel = a.attribution_relation_ids
        self.assertEqual(len(rel), 1)
        self.assertEqual(rel.related_partner_id, friend)
        self.assertIn("WeChat 2026-01-02", rel.evidence)
        self.assertIn("Call log 2026-02-03", rel.evidence)
        self.assertEqual(rel.confirmed_date, "2026-02-03")
        back = friend.attribution_relation_ids
        self.assertEqual(len(back), 1)
        self.assertEqual(back.related_partner_id, a)
        self.assertIn("Call log 2026-02-03", back.evidence)

    def test_merge_repoints_relation_with_its_inverse(self):
        a = self.customer("钱一", owner=self.zhang)
        b = self.customer("钱一 (dup)", owner=self.zhang)
        child = self.customer("钱二", owner=self.zhang)
        self.env["attribution.relation"].create({
            "partner_id": b.id, "related_partner_id": child.id,
            "relation_type": "child", "evidence": "户口本"})
        self.merge(a | b, a)
        self.assertEqual(a.attribution_relation_ids.related_partner_id, child)
        self.assertEqual(child.attribution_relation_ids.related_partner_id, a)
        self.assertEqual(child.attribution_relation_ids.relation_type, "parent")

    def test_merge_removes_self_relation_with_a_note(self):
        a = self.customer("吴一", owner=self.zhang)
        b = self.customer("吴一 (dup)", owner=self.zhang)
        self.env["attribution.relation"].create({
            "partner_id": a.id, "related_partner_id": b.id,
            "relation_type": "spouse", "evidence": "结婚证"})
        self.merge(a | b, a)
        self.assertFalse(a.attribution_relation_ids)
        self.assertFalse(self.env["attribution.relation"].search(
            [("related_partner_id", "=", a.id)]))
        notes = a.message_ids.mapped("body")
        self.assertTrue(any("结婚证" in (n or "") for n in notes), notes)

    def test_consultant_cannot_merge_customers_with_attribution(self):
        a = self.visited("郑一", self.zhang, 3)
        b = self.visited("郑一 (dup)", self.zhang, 2)
        wizard = self.env["base.partner.merge.automatic.wizard"].sudo(
            self.zhang).with_context(active_model="res.partner",
                                     active_ids=(a | b).ids).create({})
        wizard.dst_partner_id = a
        with self.assertRaises(UserError):
            wizard.action_merge()
        self.assertTrue(b.exists())
