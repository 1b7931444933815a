from odoo.exceptions import AccessError
from odoo.tests.common import SavepointCase

from ..attribution import terms
from .common import keep_history


class TestDashboard(SavepointCase):
    """The manager's reception queue (A3, B1) and counters on rotation members."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        keep_history(cls.env)  # the visits of a fixed past day are the sheet's
        consultant = cls.env.ref("sales_attribution.group_consultant")
        manager = cls.env.ref("sales_attribution.group_manager")
        Users = cls.env["res.users"].with_context(no_reset_password=True)
        cls.manager = Users.create({
            "name": "Dash Manager", "login": "dash_manager",
            "groups_id": [(6, 0, [manager.id])]})
        cls.users = [Users.create({
            "name": "Dash Consultant %s" % i, "login": "dash_consultant_%s" % i,
            "groups_id": [(6, 0, [consultant.id])]}) for i in range(1, 4)]
        cls.team = cls.env["crm.team"].create({
            "name": "Dash Team", "user_id": cls.manager.id,
            "member_ids": [(6, 0, [u.id for u in cls.users])]})
        cls.rotation = cls.env["attribution.rotation"].create({
            "team_id": cls.team.id, "last_sequence": 10,
            "member_ids": [(0, 0, {"user_id": u.id, "sequence": 10 * (i + 1)})
                           for i, u in enumerate(cls.users)]})
        cls.m1, cls.m2, cls.m3 = cls.rotation.member_ids.sorted("sequence")

    def test_A03_queue_shows_next_after_last_served(self):
        self.assertEqual([self.m1.queue_position, self.m2.queue_position,
                          self.m3.queue_position], [3, 1, 2])
        self.assertTrue(self.m2.is_next)
        self.assertFalse(self.m1.is_next or self.m3.is_next)

    def test_A03_absent_member_leaves_the_queue(self):
        self.m2.sudo(self.manager).action_toggle_present()
        self.assertFalse(self.m2.present)
        self.assertEqual(self.m2.queue_position, 0)
        self.assertTrue(self.m3.is_next)

    def test_A03_queue_first_is_who_next_receiver_serves(self):
        self.m3.present = False
        expected = self.rotation.member_ids.filtered("is_next").user_id
        self.assertEqual(self.rotation.next_receiver(), expected)

    def test_B01_makeup_credit_goes_first(self):
        self.m1.makeup_credits = 1
        self.assertTrue(self.m1.is_next)
        self.assertEqual(self.m2.queue_position, 2)

    def test_A03_toggle_present_is_for_managers(self):
        with self.assertRaises(AccessError):
            self.m1.sudo(self.users[0]).action_toggle_present()

    def test_A03_visits_today_counts_received_customers(self):
        partner = self.env["res.partner"].create({"name": "Dash Customer"})
        # the dashboard's clock fixed at noon at the office (Beijing), the visit an hour
        # earlier, one the day before: the count does not depend on the time of the run
        now = "2026-03-02 04:00:00"
        visit = self.env["attribution.visit"].create({
            "partner_id": partner.id, "team_id": self.team.id,
            "receiver_id": self.users[0].id, "asked_prior_visit": True,
            "visit_datetime": "2026-03-02 03:00:00"})
        self.env["attribution.visit"].create({
            "partner_id": self.env["res.partner"].create({"name": "Dash Earlier"}).id,
            "team_id": self.team.id, "receiver_id": visit.receiver_id.id,
            "asked_prior_visit": True, "visit_datetime": "2026-03-01 03:00:00"})
        # the rules may hand a walk-in to whoever is next: count on the actual receiver
        members = self.rotation.member_ids.with_context(**{terms.CTX_NOW: now})
        receiving = members.filtered(lambda m: m.user_id == visit.receiver_id)
        self.assertEqual(receiving.visits_today, 1)
        self.assertEqual(sum((members - receiving).mapped("visits_today")), 0)

    def test_A01_performance_amount_is_manager_only(self):
        self.assertIn("month_performance",
                      self.m1.sudo(self.manager).read(["month_performance"])[0])
        self.assertNotIn("month_performance", self.m1.sudo(self.users[0])
                         .fields_get(["month_performance"]))

    def test_A03_dashboard_actions_filter_on_the_member(self):
        for method in ("action_open_visits_today", "action_open_strikes",
                       "action_open_performance"):
            action = getattr(self.m1.sudo(self.manager), method)()
            self.assertIn(("receiver_id" if "visits" in method else "user_id",
                           "=", self.users[0].id), action["domain"], method)
