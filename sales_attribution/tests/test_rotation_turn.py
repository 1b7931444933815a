"""The turn is the desk's, not the consultant's (issue 17): run as the real users.

A consultant serves a turn only by registering a visit; next_receiver, presence and
the morning roster are the manager's. The same moves over the wire are in
live/test_rpc_surface.py.
"""
from datetime import datetime, timedelta

from odoo import api, fields
from odoo.exceptions import AccessError, UserError

from .common import AttributionCase, load_chinese


class TestRotationTurn(AttributionCase):

    def rotation_state(self):
        self.rotation.invalidate_cache()
        return (self.rotation.last_sequence,
                [(m.user_id.id, m.present, m.makeup_credits, m.sequence,
                  m.last_assigned) for m in self.rotation.member_ids])

    def test_rotation_turn_next_receiver_refuses_a_consultant(self):
        before = self.rotation_state()
        for user in (self.zhang, self.li):
            with self.assertRaises(AccessError) as caught:
                self.rotation.sudo(user).next_receiver()
            self.assertIn("manager", caught.exception.name)
        self.assertEqual(self.rotation_state(), before, "no turn was served")

    def test_rotation_turn_refusal_in_chinese_for_a_chinese_user(self):
        load_chinese(self.env)
        self.zhang.lang = "zh_CN"
        try:
            with self.assertRaises(AccessError) as caught:
                self.rotation.sudo(self.zhang).with_context(
                    lang="zh_CN").next_receiver()
        finally:
            # the translations loaded here are rolled back: forget the cached ones
            self.env["ir.translation"].clear_caches()
        self.assertIn("只有销售经理可以手动调整轮接", caught.exception.name)

    def test_rotation_turn_manager_serves_and_rpc_gets_an_id(self):
        first = self.rotation.sudo(self.manager).next_receiver()
        self.assertEqual(first, self.zhang)
        # what an XML-RPC client receives: the user's id, not a recordset
        answer = api.call_kw(self.rotation.sudo(self.manager), "next_receiver",
                             [self.rotation.ids], {})
        self.assertEqual(answer, self.li.id)

    def test_rotation_turn_presence_is_the_managers(self):
        member = self.rotation.member_ids[0]
        with self.assertRaises(AccessError):
            member.sudo(self.zhang).action_toggle_present()
        with self.assertRaises(AccessError):
            self.rotation.sudo(self.zhang).action_all_present()
        self.assertTrue(member.present)
        member.sudo(self.manager).action_toggle_present()
        self.assertFalse(member.present)
        self.rotation.sudo(self.manager).action_all_present()
        self.assertTrue(member.present)

    def test_rotation_turn_served_by_a_walk_in_registration(self):
        visit = self.register(desk=self.li, phone=self.phone(), kind="walk_in")
        self.assertEqual((visit.receiver_id, visit.owner_id, visit.rule_code),
                         (self.zhang, self.zhang, "A3"))
        self.assertEqual(self.rotation.last_sequence, 10)

    def test_A03_consultant_cannot_receive_a_walk_in_out_of_turn(self):
        # 张伟 (10) is next; 李娜 registers a new walk-in naming herself as receiver:
        # she would own it (A5) without her turn, the rotation unmoved
        before = self.rotation_state()
        partners = self.env["res.partner"].search_count([])
        with self.assertRaises(UserError) as caught:
            self.register(desk=self.li, phone=self.phone(), partner_name="路过客户",
                          kind="walk_in", receiver_id=self.li.id)
        self.assertIn(self.zhang.name, caught.exception.name)
        self.assertIn("A3", caught.exception.name)
        self.assertEqual(self.rotation_state(), before)
        self.assertEqual(self.env["res.partner"].search_count([]), partners)

    def test_A03_walk_in_received_in_turn_or_named_by_the_desk(self):
        # 张伟 is next and names himself; the desk (陈静) names 李娜; a manager too
        mine = self.register(desk=self.zhang, phone=self.phone(),
                             receiver_id=self.zhang.id)
        self.assertEqual((mine.rule_code, mine.owner_id), ("A5", self.zhang))
        desk = self.register(phone=self.phone(), receiver_id=self.li.id)
        self.assertEqual(desk.owner_id, self.li)
        manager = self.register(desk=self.manager, phone=self.phone(),
                                receiver_id=self.manager.id)
        self.assertEqual(manager.owner_id, self.manager)

    def test_rotation_turn_own_check_in_keeps_presence(self):
        member = self.rotation.member_ids.filtered(lambda m: m.user_id == self.li)
        member.present = False
        duty = self.env["attribution.duty"].create({
            "user_id": self.li.id, "team_id": self.team.id,
            "shift_start": fields.Datetime.to_string(
                datetime.utcnow() + timedelta(minutes=30))})
        duty.sudo(self.li).action_check_in()
        self.assertTrue(duty.arrival)
        self.assertFalse(member.present, "the desk puts them in the queue")

    def test_rotation_turn_no_check_in_days_ahead(self):
        duty = self.env["attribution.duty"].create({
            "user_id": self.li.id, "team_id": self.team.id,
            "shift_start": fields.Datetime.to_string(
                datetime.utcnow() + timedelta(days=3))})
        with self.assertRaises(UserError):
            duty.sudo(self.li).action_check_in()
        self.assertFalse(duty.arrival)
        duty.sudo(self.manager).action_check_in()
        self.assertTrue(duty.arrival, "the manager records any arrival")

    def _conflict(self):
        partner = self.customer("Turn Conflict", owner=self.zhang)
        return self.env["attribution.conflict"].create({
            "partner_id": partner.id, "team_id": self.team.id,
            "claimant_ids": [(6, 0, (self.zhang | self.li).ids)]})

    def test_A06_three_claimants_agree_only_when_both_others_give_way(self):
        conflict = self._conflict()
        conflict.sudo().write({"claimant_ids": [(4, self.wang.id)]})
        conflict.sudo(self.zhang).write({"winner_id": self.li.id})
        conflict.sudo(self.zhang).action_agree()
        # one colleague's word is not the agreement: 王芳 has not given way
        self.assertEqual(conflict.state, "negotiation")
        self.assertEqual(conflict.agreed_user_ids, self.zhang)
        self.assertEqual(conflict.partner_id.attribution_owner_id, self.zhang)
        # naming another winner asks everyone again
        conflict.sudo(self.wang).write({"winner_id": self.zhang.id})
        self.assertFalse(conflict.agreed_user_ids)
        conflict.sudo(self.wang).write({"winner_id": self.li.id})
        conflict.sudo(self.wang).action_agree()
        self.assertEqual(conflict.state, "negotiation")
        conflict.sudo(self.zhang).action_agree()
        self.assertEqual(conflict.state, "agreed")
        self.assertEqual(conflict.agreed_user_ids, self.zhang | self.wang)

    def test_A06_agreement_does_not_wait_for_a_claimant_who_left(self):
        conflict = self._conflict()
        conflict.sudo().write({"claimant_ids": [(4, self.wang.id)]})
        self.wang.active = False
        conflict.sudo(self.zhang).write({"winner_id": self.li.id})
        conflict.sudo(self.zhang).action_agree()
        self.assertEqual(conflict.state, "agreed")

    def test_A06_consent_cannot_be_written_by_hand(self):
        conflict = self._conflict()
        with self.assertRaises(AccessError):
            conflict.sudo(self.li).write({"agreed_user_ids": [(4, self.zhang.id)]})

    def test_rotation_turn_no_claimant_wins_on_their_own_word(self):
        conflict = self._conflict()
        conflict.sudo(self.li).write({"winner_id": self.li.id})
        with self.assertRaises(UserError):
            conflict.sudo(self.li).action_agree()
        conflict.sudo(self.li).write({"winner_id": self.wang.id})
        with self.assertRaises(UserError):
            conflict.sudo(self.li).action_agree()
        self.assertEqual(conflict.state, "negotiation")
        self.assertEqual(conflict.partner_id.attribution_owner_id, self.zhang)
        # 张伟 gives way: the agreement is recorded; only the manager approves it
        conflict.sudo(self.zhang).write({"winner_id": self.li.id})
        conflict.sudo(self.zhang).action_agree()
        self.assertEqual(conflict.state, "agreed")
        for user in (self.zhang, self.li):
            with self.assertRaises(AccessError):
                conflict.sudo(user).action_accept()
        self.assertEqual(conflict.state, "agreed")
        conflict.sudo(self.manager).action_accept()
        self.assertEqual(conflict.state, "accepted")
