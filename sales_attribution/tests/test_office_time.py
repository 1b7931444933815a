"""Office days in the company's time zone (``res.company.attribution_timezone``),
through the real models: the customer's visit dates, the B6 window of a revisit, the
A14 lapse cron and the duty roster. Each case runs at a moment where Beijing and UTC
(or London) disagree on the date: 23:30 UTC is 07:30 the next morning in Beijing."""
import datetime
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import UserError

from ..attribution import terms
from .common import AttributionCase

#: 07:30 on Saturday 10 January 2026 in Beijing, 23:30 on the 9th in London (GMT)
EARLY_MORNING = "2026-01-09 23:30:00"


class TestOfficeTime(AttributionCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.chen.company_id

    def office(self, zone):
        self.company.attribution_timezone = zone

    # ------------------------------------------------------------------ defaults

    def test_default_zone_is_beijing(self):
        defaults = self.env["res.company"].default_get(["attribution_timezone"])
        self.assertEqual(defaults["attribution_timezone"], terms.DEFAULT_TIMEZONE)
        self.assertEqual(self.company._attribution_ownership_settings().timezone,
                         self.company.attribution_timezone)

    # ------------------------------------------------------------------ customer

    def test_visit_dates_are_office_dates(self):
        self.office("Asia/Shanghai")
        visit = self.register(phone=self.phone(), visit_datetime=EARLY_MORNING)
        customer = visit.partner_id
        self.assertEqual((customer.first_visit_date, customer.last_visit_date),
                         ("2026-01-10", "2026-01-10"))
        self.register(partner_id=customer.id, customer_recalls_consultant=True,
                      visit_datetime="2026-01-12 16:10:00")  # 00:10 on the 13th
        self.assertEqual((customer.first_visit_date, customer.last_visit_date),
                         ("2026-01-10", "2026-01-13"))

    def test_visit_dates_follow_the_company_zone(self):
        self.office("Europe/London")
        visit = self.register(phone=self.phone(), visit_datetime=EARLY_MORNING)
        self.assertEqual(visit.partner_id.first_visit_date, "2026-01-09")

    def test_visit_dates_move_when_the_office_changes_zone(self):
        self.office("Europe/London")
        customer = self.register(phone=self.phone(),
                                 visit_datetime=EARLY_MORNING).partner_id
        self.assertEqual(customer.company_id, self.company)
        self.office("Asia/Shanghai")
        self.assertEqual(customer.last_visit_date, "2026-01-10")

    # ------------------------------------------------------------------ B6 window

    def revisit_after_thirty_utc_days(self):
        first = self.register(phone=self.phone(), receiver_id=self.wang.id,
                              visit_datetime="2026-01-01 02:00:00")
        # 30 days later in UTC and London; 1 February 07:30 in Beijing: 31 days
        return self.register(partner_id=first.partner_id.id,
                             visit_datetime="2026-01-31 23:30:00")

    def test_B06_window_counts_beijing_days(self):
        self.office("Asia/Shanghai")
        again = self.revisit_after_thirty_utc_days()
        self.assertEqual((again.rule_code, again.owner_id), ("B6", self.zhang))
        self.assertIn("31", again.decision_id.explanation_zh)

    def test_B06_window_counts_london_days(self):
        self.office("Europe/London")
        again = self.revisit_after_thirty_utc_days()
        self.assertEqual((again.rule_code, again.owner_id), ("B6", self.wang))

    # ------------------------------------------------------------------ A14 cron

    def phone_only_customer(self):
        return self.customer("电话客户", owner=self.li,
                             last_followup_date="2026-01-01")

    def test_A14_cron_lapses_on_the_beijing_day(self):
        self.office("Asia/Shanghai")
        customer = self.phone_only_customer()
        self.env["res.partner"]._cron_attribution_phone_lapse(now="2026-01-31 23:30:00")
        self.assertFalse(customer.attribution_owner_id)
        decision = customer.attribution_decision_ids[:1]
        self.assertEqual((decision.rule_code, decision.previous_owner_id),
                         ("A14", self.li))
        self.assertIn("2026-01-01", decision.explanation_zh)

    def test_A14_cron_keeps_the_customer_on_the_london_day(self):
        self.office("Europe/London")
        customer = self.phone_only_customer()
        self.env["res.partner"]._cron_attribution_phone_lapse(now="2026-01-31 23:30:00")
        self.assertEqual(customer.attribution_owner_id, self.li)
        self.assertFalse(customer.attribution_decision_ids)

    # ------------------------------------------------------------------ duty

    def shift(self, start):
        return self.env["attribution.duty"].sudo(self.manager).create({
            "user_id": self.liu.id, "team_id": self.team.id, "shift_start": start})

    def test_duty_day_is_the_office_day_whatever_the_consultant_zone(self):
        self.office("Asia/Shanghai")
        self.liu.tz = "Europe/London"
        self.assertEqual(self.shift(EARLY_MORNING).date, "2026-01-10")

    def test_duty_day_follows_the_company_zone(self):
        self.office("Europe/London")
        self.liu.tz = "Asia/Shanghai"
        self.assertEqual(self.shift(EARLY_MORNING).date, "2026-01-09")

    def test_duty_reset_reads_the_office_day(self):
        self.office("Asia/Shanghai")
        duty = self.shift(EARLY_MORNING)
        duty.sudo(self.manager).write({"arrival": "2026-01-09 23:00:00"})
        self.rotation.member_ids.write({"present": True})
        # 08:00 in Beijing on the 10th: the roster of the 10th is today's
        self.env["attribution.duty"]._cron_reset_presence(now="2026-01-10 00:00:00")
        present = self.rotation.member_ids.filtered("present").mapped("user_id")
        self.assertEqual(present, self.liu)

    def test_duty_messages_show_office_time(self):
        self.office("Asia/Shanghai")
        duty = self.shift(EARLY_MORNING)
        duty.sudo(self.manager).write({"arrival": "2026-01-09 23:40:00"})  # late
        self.assertIn("2026-01-10 07:30", duty.violation_id.description)
        with self.assertRaises(UserError) as caught:
            duty.sudo(self.manager).action_mark_absent()
        self.assertIn("2026-01-10 07:40", caught.exception.name)

    # ------------------------------------------------------------------ conduct

    def fault_at(self, now):
        """A complaint against 刘洋 recorded at ``now`` (UTC) by the system, undated."""
        Violation = self.env["attribution.violation"].with_context(
            **{terms.CTX_NOW: now})
        return Violation._record(self.liu, "complaint", "test.office,%s" % now)

    def test_A12_fault_early_in_the_morning_is_dated_the_beijing_day(self):
        self.office("Asia/Shanghai")
        self.manager.tz = "UTC"  # the recording user's zone does not date it
        self.assertEqual(self.fault_at(EARLY_MORNING).date, "2026-01-10")

    def test_A12_fault_is_dated_the_london_day(self):
        self.office("Europe/London")
        self.assertEqual(self.fault_at(EARLY_MORNING).date, "2026-01-09")

    def strikes_at(self, now, *days):
        Violation = self.env["attribution.violation"].sudo(self.manager)
        for day in days:
            Violation.create({"user_id": self.liu.id, "category": "complaint",
                              "date": day})
        return self.liu.with_context(**{terms.CTX_NOW: now}).attribution_strike_count

    def test_A12_strike_window_counts_beijing_days(self):
        self.office("Asia/Shanghai")
        self.company.attribution_strike_period_days = 30
        self.liu.tz = "UTC"
        # at 07:30 on the 10th in Beijing today's fault counts (on the UTC date, the
        # 9th, it would lie in the future), and so does the 12th of December
        self.assertEqual(self.strikes_at(EARLY_MORNING, "2026-01-10", "2025-12-12"), 2)
        # the 11th of December is today - 30 in Beijing: outside the window
        self.assertEqual(self.strikes_at(EARLY_MORNING, "2025-12-11"), 2)

    def test_A12_strike_window_counts_london_days(self):
        self.office("Europe/London")
        self.company.attribution_strike_period_days = 30
        # still the 9th in London: the fault of the 10th is not yet, the 10th of
        # December (today - 30) is out, the 11th in
        self.assertEqual(self.strikes_at(EARLY_MORNING, "2026-01-10", "2025-12-10",
                                         "2025-12-11"), 1)

    def test_A13_abandoned_customer_is_dated_the_office_day_of_the_visit(self):
        self.office("Asia/Shanghai")
        self.manager.tz = "Europe/London"
        visit = self.register(phone=self.phone(), receiver_id=self.liu.id,
                              visit_datetime=EARLY_MORNING)
        wizard = self.env["attribution.abandon.wizard"].sudo(self.manager).create({
            "visit_id": visit.id, "user_id": self.liu.id,
            "description": "left the customer at the sand table"})
        wizard.action_report()
        violation = self.env["attribution.violation"].search(
            [("user_id", "=", self.liu.id), ("category", "=", "abandon_customer")])
        self.assertEqual(violation.date, "2026-01-10")

    def test_split_export_period_defaults_to_the_office_month(self):
        self.office("Asia/Shanghai")
        self.manager.tz = "UTC"
        # 07:30 on 1 February in Beijing, still 31 January in UTC
        with patch.object(fields.Datetime, "now", return_value="2026-01-31 23:30:00"):
            defaults = self.env["attribution.split.export.wizard"].sudo(
                self.manager).default_get(["date_from", "date_to"])
        self.assertEqual((defaults["date_from"], defaults["date_to"]),
                         ("2026-02-01", "2026-02-01"))

    # ------------------------------------------------------------------ dashboard

    def visits_today(self, zone):
        """Visits of 王芳 counted "today" on the dashboard: one a minute after the
        office's day began, one a minute before."""
        self.office(zone)
        today = terms.office_date(datetime.datetime.utcnow(), zone)
        start = terms.utc_from_office(
            datetime.datetime.combine(today, datetime.time.min), zone)
        for minutes in (1, -1):
            self.register(phone=self.phone(), receiver_id=self.wang.id,
                          visit_datetime=fields.Datetime.to_string(
                              start + datetime.timedelta(minutes=minutes)))
        member = self.rotation.member_ids.filtered(lambda m: m.user_id == self.wang)
        member.invalidate_cache()
        return member.sudo(self.manager).visits_today

    def test_dashboard_today_is_the_office_day_in_beijing(self):
        self.assertEqual(self.visits_today("Asia/Shanghai"), 1)

    def test_dashboard_today_is_the_office_day_in_london(self):
        self.assertEqual(self.visits_today("Europe/London"), 1)
