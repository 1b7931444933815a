"""One test per rule code of 第二篇 客户确认规范, driving the real models: visits are
registered at the desk (as a consultant), conflict buttons are pressed, the owner of
the customer and of the open deals is read back. Split-only codes (A9, A15, B2, B3a,
B5) check the ownership side; their split lines are tested with the split engine."""
from odoo.exceptions import UserError, ValidationError

from .common import AttributionCase


class TestOwnership(AttributionCase):

    # ---------------------------------------------------------------- A rules

    def test_A01_first_registered_reception_owns(self):
        first = self.register(phone=self.phone(), partner_name="周先生",
                              receiver_id=self.li.id, visit_datetime=self.ago(10))
        second = self.register(partner_id=first.partner_id.id, receiver_id=self.li.id,
                               customer_recalls_consultant=True,
                               visit_datetime=self.ago(2))
        self.assertEqual(second.rule_code, "A1")
        self.assertEqual(second.owner_id, self.li)
        self.assertEqual(first.partner_id.attribution_owner_id, self.li)
        self.assertIn("A1", second.decision_id.explanation_en)

    def test_A02_named_consultant_absent_owns_and_manager_told(self):
        self.absent(self.wang)
        visit = self.register(phone=self.phone(), requested_user_id=self.wang.id,
                              receiver_id=self.li.id)
        self.assertEqual(visit.rule_code, "A2")
        self.assertEqual(visit.owner_id, self.wang)
        self.assertEqual(visit.receiver_id, self.li)
        self.assertFalse(self.conflicts(visit.partner_id))
        self.assertTrue(self.activities(visit, self.manager))

    def test_A03_absent_member_loses_the_turn(self):
        self.absent(self.zhang)
        first = self.register(phone=self.phone())
        second = self.register(phone=self.phone())
        self.assertEqual((first.rule_code, first.owner_id, first.receiver_id),
                         ("A3", self.li, self.li))
        self.assertEqual(second.owner_id, self.wang)
        self.rotation.member_ids.write({"present": True})
        third = self.register(phone=self.phone())
        self.assertEqual(third.owner_id, self.liu, "no backlog for 张伟 on return")

    def test_A04_covering_receiver_gets_no_claim_and_the_notice(self):
        old = self.customer("老客户", owner=self.wang)
        self.absent(self.wang)
        visit = self.register(phone=self.phone(), kind="referral",
                              referrer_partner_ids=[(6, 0, old.ids)],
                              requested_user_id=self.wang.id, receiver_id=self.li.id)
        self.assertEqual(visit.rule_code, "A4")
        self.assertEqual(visit.owner_id, self.wang)
        self.assertEqual(visit.receiver_id, self.li)
        self.assertTrue(visit.no_phone_notice)
        self.assertFalse(self.conflicts(visit.partner_id))

    def test_A05_no_record_receiver_owns(self):
        visit = self.register(phone=self.phone(), receiver_id=self.li.id)
        self.assertEqual((visit.rule_code, visit.owner_id), ("A5", self.li))

        # the decision is posted once, on the customer, and the new owner is told by
        # the cron (once, however often it runs); the visit shows the decision in its
        # own fields (no second note on the visit)
        def told():
            return self.env["mail.message"].search([
                ("model", "=", "res.partner"), ("res_id", "=", visit.partner_id.id),
                ("needaction_partner_ids", "in", self.li.partner_id.ids)])
        self.assertFalse(told())
        Decision = self.env["attribution.decision"]
        self.assertGreaterEqual(Decision._cron_tell_owners(), 1)
        self.assertEqual(Decision._cron_tell_owners(), 0)  # the queue is empty now
        self.assertEqual(len(told()), 1)
        self.assertIn("A5", told().body)
        self.assertEqual(told().partner_ids, self.li.partner_id)
        self.assertFalse(visit.message_ids.filtered(lambda m: "A5" in (m.body or "")))
        self.assertIn("A5", visit.explanation)
        self.assertEqual(visit.decision_id.explanation,
                         visit.decision_id.explanation_en)
        self.assertTrue(visit.decision_id.explanation_zh.startswith("A5:"))
        self.assertFalse(self.env["attribution.violation"].search(
            [("user_id", "=", self.li.id)]))

    def test_A05_collision_not_asked_is_a_violation_of_the_receiver(self):
        first = self.register(phone=self.phone(), receiver_id=self.zhang.id,
                              visit_datetime=self.ago(10))
        second = self.register(partner_id=first.partner_id.id, receiver_id=self.li.id,
                               asked_prior_visit=False, visit_datetime=self.ago(1))
        self.assertEqual(second.owner_id, self.zhang)
        self.assertEqual(len(self.conflicts(first.partner_id)), 1)
        violation = self.env["attribution.violation"].search([
            ("user_id", "=", self.li.id),
            ("source_ref", "=", "attribution.visit,%d" % second.id)])
        self.assertEqual(
            (violation.category, violation.fault_class, violation.rule_code),
            ("other", "c", "A5"))

    def _collision(self):
        first = self.register(phone=self.phone(), receiver_id=self.zhang.id,
                              visit_datetime=self.ago(10))
        self.register(partner_id=first.partner_id.id, receiver_id=self.li.id,
                      customer_recalls_consultant=True, visit_datetime=self.ago(1))
        conflict = self.conflicts(first.partner_id)
        self.assertEqual(len(conflict), 1)
        return first.partner_id, conflict

    def test_A06_agreement_approved_makes_the_winner_owner(self):
        partner, conflict = self._collision()
        self.assertEqual(conflict.state, "negotiation")
        lead = self.open_lead(partner, self.zhang)
        # the consultant who gives way records the agreement
        conflict.sudo(self.zhang).write({"winner_id": self.li.id})
        conflict.sudo(self.zhang).action_agree()
        conflict.sudo(self.manager).action_accept()
        self.assertEqual(conflict.state, "accepted")
        self.assertEqual(partner.attribution_owner_id, self.li)
        self.assertEqual(lead.user_id, self.li)
        self.assertEqual(conflict.decision_ids[:1].rule_code, "A6")

    def test_A06_manager_rules(self):
        partner, conflict = self._collision()
        conflict.sudo(self.manager).write({"winner_id": self.li.id,
                                           "ruling_note": "李娜先留电话"})
        conflict.sudo(self.manager).action_rule()
        self.assertEqual((conflict.state, conflict.ruled_by_id),
                         ("ruled", self.manager))
        self.assertEqual(partner.attribution_owner_id, self.li)
        self.assertIn("李娜先留电话", conflict.decision_ids[:1].explanation_zh)
        # the ruling decides the next visit as well (precedence: ruling first)
        later = self.register(partner_id=partner.id, receiver_id=self.zhang.id)
        self.assertEqual((later.rule_code, later.owner_id), ("A6", self.li))
        self.assertEqual(len(self.conflicts(partner)), 1)

    def test_A07_escalated_then_forfeited_to_the_company(self):
        partner, conflict = self._collision()
        conflict.sudo(self.zhang).action_escalate()
        self.assertTrue(self.activities(conflict, self.manager))
        conflict.sudo(self.manager).action_forfeit()
        self.assertEqual(conflict.state, "forfeited")
        self.assertFalse(partner.attribution_owner_id)
        self.assertEqual(conflict.decision_ids[:1].rule_code, "A7")

    def test_A08_deliberate_poaching_recorded_against_the_loser(self):
        partner, conflict = self._collision()
        conflict.sudo(self.manager).write({"winner_id": self.zhang.id,
                                           "deliberate": True})
        conflict.sudo(self.manager).action_rule()
        self.assertEqual(conflict.poacher_id, self.li)
        violation = self.env["attribution.violation"].search([
            ("user_id", "=", self.li.id), ("category", "=", "poaching")])
        self.assertEqual((violation.fault_class, violation.rule_code), ("a", "A8"))
        self.assertEqual(violation.source_ref, "attribution.conflict,%d" % conflict.id)

    def test_A09_family_visiting_together_has_one_owner(self):
        spouse = self.customer("王太太")
        visit = self.register(phone=self.phone(), receiver_id=self.li.id,
                              companion_partner_ids=[(6, 0, spouse.ids)])
        leads = self.open_lead(visit.partner_id) | self.open_lead(visit.partner_id)
        again = self.register(partner_id=visit.partner_id.id, receiver_id=self.li.id,
                              customer_recalls_consultant=True)
        self.assertEqual(again.owner_id, self.li)
        self.assertEqual(leads.mapped("user_id"), self.li)

    def test_A10_conflict_proposes_the_earliest_registration(self):
        partner, conflict = self._collision()
        self.assertEqual(conflict.proposed_owner_id, self.zhang)
        self.assertEqual(conflict.claimant_ids, self.zhang | self.li)
        self.assertIn("张伟", conflict.proposal_reason)
        self.assertEqual(partner.attribution_owner_id, self.zhang)
        self.assertTrue(self.activities(conflict, self.manager))

    def test_A11_developer_customer_goes_to_the_fewest(self):
        self.customer("发展商客户甲", owner=self.zhang, is_developer_related=True)
        partner = self.customer("发展商客户乙", is_developer_related=True,
                                developer_notice_date=self.date_ago(5))
        visit = self.register(partner_id=partner.id)
        self.assertEqual((visit.rule_code, visit.owner_id), ("A11", self.li))
        self.assertTrue(self.activities(visit, self.manager))

    def test_A12_complaint_is_recorded_as_a_violation(self):
        violation = self.env["attribution.violation"]._record(
            self.li, "complaint", "res.partner,%d" % self.customer("投诉客户").id,
            rule_code="A12")
        self.assertEqual((violation.category, violation.user_id),
                         ("complaint", self.li))

    def test_A13_abandoning_a_customer_is_class_a(self):
        violation = self.env["attribution.violation"]._record(
            self.li, "abandon_customer", "attribution.visit,0", rule_code="A13",
            fault_class="a")
        self.assertEqual(violation.fault_class, "a")

    def test_A14_lapsed_phone_customer_goes_to_the_rotation(self):
        partner = self.customer("电话客户", owner=self.wang,
                                last_followup_date=self.date_ago(40))
        visit = self.register(partner_id=partner.id)
        self.assertEqual((visit.rule_code, visit.owner_id), ("A14", self.zhang))
        self.assertEqual(visit.decision_id.previous_owner_id, self.wang)

    def test_A14_protected_or_named_phone_customer_stays(self):
        fresh = self.customer("电话客户乙", owner=self.wang,
                              last_followup_date=self.date_ago(10))
        self.assertEqual(self.register(partner_id=fresh.id).owner_id, self.wang)
        old = self.customer("电话客户丙", owner=self.wang,
                            last_followup_date=self.date_ago(40))
        named = self.register(partner_id=old.id, customer_recalls_consultant=True)
        self.assertEqual((named.rule_code, named.owner_id), ("A14", self.wang))

    def test_A14_scheduled_lapse_clears_the_owner(self):
        # the run's day is fixed: 30 days kept, 31 lapsed, whatever the clock says
        # (the office's day is not the server's between 00:00 and 08:00 Beijing time)
        partner = self.customer("电话客户丁", owner=self.wang,
                                last_followup_date="2026-01-30")
        kept = self.customer("电话客户戊", owner=self.wang,
                             last_followup_date="2026-01-31")
        self.env["res.partner"]._cron_attribution_phone_lapse(now="2026-03-02 04:00:00")
        self.assertFalse(partner.attribution_owner_id)
        self.assertEqual(kept.attribution_owner_id, self.wang)
        decision = partner.attribution_decision_ids[:1]
        self.assertEqual((decision.rule_code, decision.previous_owner_id),
                         ("A14", self.wang))

    def test_A15_friend_of_a_contact_is_owned_by_its_own_receiver(self):
        contact = self.customer("电话联系人", owner=self.zhang)
        friend = self.customer("朋友")
        self.env["attribution.relation"].create({
            "partner_id": contact.id, "related_partner_id": friend.id,
            "relation_type": "friend", "evidence": "微信聊天记录"})
        visit = self.register(partner_id=friend.id, receiver_id=self.li.id)
        self.assertEqual(visit.owner_id, self.li)
        self.assertEqual(contact.attribution_owner_id, self.zhang)

    # ---------------------------------------------------------------- B rules

    def test_B01_direct_kin_first_reception_owns(self):
        wife = self.register(phone=self.phone(), receiver_id=self.zhang.id,
                             visit_datetime=self.ago(20)).partner_id
        husband = self.customer("丈夫")
        self.env["attribution.relation"].create({
            "partner_id": husband.id, "related_partner_id": wife.id,
            "relation_type": "spouse"})
        visit = self.register(partner_id=husband.id, visit_datetime=self.ago(1))
        self.assertEqual((visit.rule_code, visit.owner_id), ("B1", self.zhang))
        self.assertTrue(self.activities(visit, self.manager))
        self.assertTrue(self.activities(visit, self.zhang))

    def test_B02_non_kin_relatives_each_their_own_owner(self):
        first = self.register(phone=self.phone(), receiver_id=self.zhang.id,
                              visit_datetime=self.ago(5)).partner_id
        cousin = self.customer("表弟")
        self.env["attribution.relation"].create({
            "partner_id": cousin.id, "related_partner_id": first.id,
            "relation_type": "relative"})
        visit = self.register(partner_id=cousin.id, receiver_id=self.li.id)
        self.assertEqual(visit.owner_id, self.li)
        self.assertEqual(first.attribution_owner_id, self.zhang)

    def test_B03a_buyer_keeps_the_consultant_who_received_them(self):
        buyer = self.register(phone=self.phone(), receiver_id=self.wang.id,
                              visit_datetime=self.ago(6)).partner_id
        sibling = self.customer("姐姐")
        self.env["attribution.relation"].create({
            "partner_id": sibling.id, "related_partner_id": buyer.id,
            "relation_type": "sibling"})
        self.register(partner_id=sibling.id, receiver_id=self.liu.id,
                      visit_datetime=self.ago(3))
        lead = self.open_lead(buyer)
        self.register(partner_id=buyer.id, receiver_id=self.wang.id,
                      customer_recalls_consultant=True)
        self.assertEqual(lead.user_id, self.wang)
        self.assertEqual(sibling.attribution_owner_id, self.liu)

    def test_B03b_appointment_honoured_when_the_customer_asks(self):
        visit = self.register(phone=self.phone(), kind="appointment",
                              appointment_user_id=self.wang.id,
                              requested_user_id=self.wang.id)
        self.assertEqual((visit.rule_code, visit.owner_id), ("B3b", self.wang))

    def test_B03b_appointment_not_asked_for_is_a_natural_visit(self):
        visit = self.register(phone=self.phone(), kind="appointment",
                              appointment_user_id=self.wang.id)
        self.assertEqual((visit.rule_code, visit.owner_id), ("B3b", self.zhang))

    def test_B04_brought_in_person_goes_to_the_referrers_consultant(self):
        old = self.customer("老客户", owner=self.liu)
        visit = self.register(phone=self.phone(), kind="referral",
                              referrer_partner_ids=[(6, 0, old.ids)],
                              brought_in_person=True)
        self.assertEqual((visit.rule_code, visit.owner_id), ("B4", self.liu))

    def test_B04_came_alone_naming_nobody_goes_to_the_rotation(self):
        old = self.customer("老客户", owner=self.liu)
        visit = self.register(phone=self.phone(), kind="referral",
                              referrer_partner_ids=[(6, 0, old.ids)])
        self.assertEqual((visit.rule_code, visit.owner_id), ("B4", self.zhang))

    def test_B05_reassignment_logged_through_the_engine(self):
        visit = self.register(phone=self.phone(), receiver_id=self.zhang.id)
        partner = visit.partner_id
        lead = self.open_lead(partner, self.zhang)
        decision = self.env["attribution.decision"].sudo(self.manager)._log(
            partner, self.li, "B5", "B5:客户投诉,经理改派李娜。",
            "B5: complaint, the manager reassigns to Li Na.")
        self.assertEqual(partner.attribution_owner_id, self.li)
        self.assertEqual(lead.user_id, self.li)
        self.assertEqual((decision.previous_owner_id, decision.owner_id),
                         (self.zhang, self.li))
        self.assertTrue(partner.message_ids.filtered(lambda m: "B5" in (m.body or "")))

    def test_B06_unrecognised_revisit_within_window_stays(self):
        first = self.register(phone=self.phone(), receiver_id=self.wang.id,
                              visit_datetime=self.ago(25))
        again = self.register(partner_id=first.partner_id.id,
                              visit_datetime=self.ago(1))
        self.assertEqual((again.rule_code, again.owner_id), ("B6", self.wang))

    def test_B06_unrecognised_revisit_after_window_goes_to_duty(self):
        first = self.register(phone=self.phone(), receiver_id=self.wang.id,
                              visit_datetime=self.ago(40))
        again = self.register(partner_id=first.partner_id.id,
                              visit_datetime=self.ago(1))
        self.assertEqual((again.rule_code, again.owner_id), ("B6", self.zhang))
        self.assertEqual(again.decision_id.previous_owner_id, self.wang)
        self.assertEqual(first.partner_id.attribution_owner_id, self.zhang)
        self.assertFalse(self.conflicts(first.partner_id))

    def test_B07_staff_referral_ignores_the_requested_consultant(self):
        visit = self.register(phone=self.phone(), kind="staff_referral",
                              requested_user_id=self.liu.id)
        self.assertEqual((visit.rule_code, visit.owner_id), ("B7", self.zhang))
        self.assertIn("刘洋", visit.decision_id.explanation_zh)

    def test_B08_earliest_referrer_deal_decides(self):
        old_zhang = self.customer("老客户张", owner=self.zhang)
        old_li = self.customer("老客户李", owner=self.li)
        self.won_lead(old_li, self.li, 100)
        self.won_lead(old_zhang, self.zhang, 50)
        visit = self.register(phone=self.phone(), kind="referral",
                              referrer_partner_ids=[(6, 0, (old_zhang | old_li).ids)],
                              brought_in_person=True)
        self.assertEqual((visit.rule_code, visit.owner_id), ("B8", self.li))

    # ---------------------------------------------------------------- entry points

    def test_A05_bad_phone_is_refused(self):
        with self.assertRaises(ValidationError):
            self.register(phone="12345")

    def test_A03_phone_alone_finds_the_existing_customer(self):
        partner = self.customer("老客户", mobile="138 0013 8000")
        visit = self.register(phone="+86 138-0013-8000", receiver_id=self.li.id)
        self.assertEqual(visit.partner_id, partner)

    def test_A03_new_member_goes_to_the_end_of_the_turn_order(self):
        newcomer = self.env["res.users"].create({
            "name": "新人", "login": "sa_test_new",
            "groups_id": [(6, 0, self.env.ref(
                "sales_attribution.group_consultant").ids)]})
        member = self.env["attribution.rotation.member"].create({
            "rotation_id": self.rotation.id, "user_id": newcomer.id})
        self.assertEqual(member.sequence, 60)
        clash = self.env["attribution.rotation.member"].create({
            "rotation_id": self.rotation.id, "user_id": self.manager.id,
            "sequence": 10})
        self.assertEqual(clash.sequence, 70)

    def test_A03_no_rotation_no_walk_in(self):
        team = self.env["crm.team"].create({"name": "No rotation"})
        with self.assertRaises(UserError):
            self.register(phone=self.phone(), team_id=team.id)
