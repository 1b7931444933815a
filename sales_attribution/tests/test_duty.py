from datetime import datetime, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError

from .conduct_common import ConductCase


def stamp(dt):
    return fields.Datetime.to_string(dt)


# The tests' clock (UTC): 01:30 on 1 March at the office (Beijing), still 28 February
# on the server. Shifts are placed around it and the crons are given it.
NOW = datetime(2026, 2, 28, 17, 30)


class TestDuty(ConductCase):
    """Duty attendance (售楼部工作制度: 提前5-10分钟到岗, 不得迟到早退旷工)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shift = NOW - timedelta(hours=2)
        cls.Duty = cls.env["attribution.duty"]

    def duty(self, user, shift=None, **vals):
        vals.update({"user_id": user.id, "team_id": self.team.id,
                     "shift_start": stamp(shift or self.shift)})
        return self.Duty.sudo(self.manager).create(vals)

    def test_duty_on_time_records_nothing(self):
        duty = self.duty(self.c1, arrival=stamp(self.shift - timedelta(minutes=8)))
        self.assertEqual(duty.status, "on_time")
        self.assertFalse(duty.violation_id)
        self.assertFalse(self.Violation.search([("user_id", "=", self.c1.id)]))

    def test_duty_late_records_violation_once(self):
        duty = self.duty(self.c1)
        self.assertEqual(duty.status, "planned")
        duty.sudo(self.manager).write(
            {"arrival": stamp(self.shift - timedelta(minutes=2))})
        self.assertEqual(duty.status, "late")
        violation = duty.violation_id
        self.assertEqual((violation.user_id, violation.category, violation.fault_class),
                         (self.c1, "late", "c"))
        self.assertEqual(violation.source_ref, "attribution.duty,%s" % duty.id)
        duty.sudo(self.manager).write(
            {"arrival": stamp(self.shift + timedelta(minutes=5))})
        self.assertEqual(self.Violation.search_count([("user_id", "=", self.c1.id)]), 1)

    def test_duty_early_minutes_setting(self):
        self.company.attribution_duty_early_minutes = 10
        duty = self.duty(self.c1, arrival=stamp(self.shift - timedelta(minutes=8)))
        self.assertEqual(duty.status, "late")

    def test_duty_absence_marks_member_absent(self):
        duty = self.duty(self.c2)
        self.assertTrue(self.member(self.c2).present)
        duty.sudo(self.manager).action_mark_absent()
        self.assertEqual(duty.status, "absence")
        self.assertEqual(duty.violation_id.category, "absence")
        self.assertFalse(self.member(self.c2).present, "absent: loses the turns (A3)")
        self.assertTrue(self.member(self.c1).present)
        duty.sudo(self.manager).action_mark_absent()
        self.assertEqual(self.Violation.search_count([("user_id", "=", self.c2.id)]), 1)

    def test_duty_cannot_mark_arrived_absent(self):
        duty = self.duty(self.c2, arrival=stamp(self.shift - timedelta(minutes=8)))
        with self.assertRaises(UserError):
            duty.sudo(self.manager).action_mark_absent()

    def test_duty_consultant_cannot_mark_absent(self):
        duty = self.duty(self.c2)
        with self.assertRaises(AccessError):
            duty.sudo(self.c2).action_mark_absent()
        self.assertFalse(duty.violation_id)

    def test_duty_cron_marks_absence_after_grace(self):
        overdue = self.duty(self.c1)
        within = self.duty(self.c2, shift=NOW - timedelta(minutes=10))
        future = self.duty(self.c3, shift=NOW + timedelta(hours=3))
        self.Duty._cron_mark_absences(now=stamp(NOW))
        self.assertEqual(overdue.status, "absence")
        self.assertFalse(self.member(self.c1).present)
        self.assertEqual(within.status, "planned")
        self.assertEqual(future.status, "planned")

    def test_duty_check_in_by_consultant(self):
        duty = self.duty(self.c1, shift=datetime.utcnow() + timedelta(hours=1))
        self.member(self.c1).present = False
        duty.sudo(self.c1).action_check_in()
        self.assertEqual(duty.status, "on_time")
        self.assertFalse(self.member(self.c1).present,
                         "presence is the desk's, not the consultant's")
        by_manager = self.duty(self.c3, shift=datetime.utcnow() + timedelta(hours=1))
        self.member(self.c3).present = False
        by_manager.sudo(self.manager).action_check_in()
        self.assertTrue(self.member(self.c3).present,
                        "an arrival the desk records puts them in the rotation")
        other = self.duty(self.c2, shift=datetime.utcnow() + timedelta(hours=1))
        with self.assertRaises(AccessError):
            other.sudo(self.c1).action_check_in()

    def test_duty_consultant_sees_own_shifts_only(self):
        own = self.duty(self.c1)
        other = self.duty(self.c2)
        visible = self.Duty.sudo(self.c1).search([])
        self.assertIn(own, visible)
        self.assertNotIn(other, visible)
        with self.assertRaises(AccessError):
            self.Duty.sudo(self.c1).create({
                "user_id": self.c1.id, "team_id": self.team.id,
                "shift_start": stamp(self.shift + timedelta(days=1))})

    def test_duty_daily_reset_from_roster(self):
        today = "2026-03-01"  # the office's day of NOW
        shift = datetime(2026, 3, 1, 1, 0)  # 09:00 in Shanghai
        self.duty(self.c1, shift=shift, arrival=stamp(shift - timedelta(minutes=8)))
        self.duty(self.c2, shift=shift)
        self.member(self.c3).present = True
        self.Duty._cron_reset_presence(today=today)
        self.assertTrue(self.member(self.c1).present)
        self.assertFalse(self.member(self.c2).present, "on the roster, not arrived")
        self.assertFalse(self.member(self.c3).present, "not on today's roster")

    def test_duty_reset_leaves_teams_without_roster_alone(self):
        self.Duty._cron_reset_presence(today="2000-01-01")
        self.assertTrue(all(self.rotation.member_ids.mapped("present")))
