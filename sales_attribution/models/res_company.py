import datetime

from odoo import api, fields, models, _
from odoo.exceptions import ValidationError

import pytz

from ..attribution import ownership, projects, sms, terms


def _timezones(model):
    """The selection of office time zones (Odoo calls it with the model)."""
    return [(tz, tz) for tz in pytz.common_timezones]


class ResCompany(models.Model):
    _inherit = "res.company"

    attribution_protection_days = fields.Integer(
        string="Protection Days", default=30,
        help="B6: a revisit without recognition within this many days of the last "
             "visit stays with the original consultant; later it goes to the "
             "consultant on duty.")
    attribution_group_units = fields.Integer(
        string="Group Buyer Units", default=5,
        help="A9: a company buying at least this many units is a group buyer whose "
             "consultants share the deal equally.")
    attribution_followup_days = fields.Integer(
        string="Follow-up Days", default=30,
        help="A14: a phone-only customer never brought to the showroom within this "
             "many days of the last follow-up becomes a natural customer.")
    attribution_complaint_split = fields.Integer(
        string="Complaint Split (original %)", default=20,
        help="B5: bonus share of the original consultant after a complaint "
             "reassignment; the consultant who closes gets the rest (seed: 20/80).")
    attribution_relative_split = fields.Integer(
        string="Relative Split (original %)", default=50,
        help="A15 and B1: bonus share of the original consultant when a relative or "
             "friend of their customer closes with another consultant (seed: 50/50).")
    attribution_strikes = fields.Integer(
        string="Strikes to Dismissal", default=3,
        help="A12/A13: this many violations within the strike period propose "
             "dismissal.")
    attribution_strike_period_days = fields.Integer(
        string="Strike Period (days)", default=365,
        help="Violations older than this many days no longer count as strikes.")
    attribution_duty_early_minutes = fields.Integer(
        string="Duty Arrival (minutes early)", default=5,
        help="Consultants on duty arrive at least this many minutes before the shift "
             "(seed: 5-10 minutes); later is recorded as late.")
    attribution_duty_grace_minutes = fields.Integer(
        string="Duty Grace (minutes)", default=30,
        help="A duty shift with nobody arrived this many minutes after its start is "
             "marked absent by the scheduled check.")

    attribution_late_entry_minutes = fields.Integer(
        string="Late Entry After (minutes)", default=30,
        help="补登: a visit dated more than this many minutes before it is entered is a "
             "late entry. Only a manager can enter it, with a reason; it never moves "
             "a customer by itself (a conflict is opened instead).")
    attribution_cover_uses_turn = fields.Boolean(
        string="Covering Uses the Turn", default=False,
        help="When the consultant on duty covers for an absent named or original "
             "consultant (A2, A4, B3b, B4, B8), the cover counts as their rotation "
             "turn. Off: covering does not move the rotation.")

    attribution_scope = fields.Selection(
        terms.selection(terms.SCOPES, {
            terms.SCOPE_PROJECT: "Per project", terms.SCOPE_COMPANY: "Company-wide"}),
        string="Ownership Scope", default=terms.SCOPE_PROJECT, required=True,
        help="Per project: a customer has one owner in each project (案场, sales team) "
             "they visit, and a visit at one project never changes another project's "
             "owner. Company-wide: one owner across all the company's projects (one "
             "office, or projects that share their customers).")

    attribution_timezone = fields.Selection(
        _timezones, string="Office Time Zone", default=terms.DEFAULT_TIMEZONE,
        required=True,
        help="The sales office's clock: visit dates, deal dates, windows (A14, B6), "
             "event messages and quiet hours count in this zone's calendar days.")

    attribution_quiet_start = fields.Float(
        string="Quiet Hours From", default=sms.QUIET_START,
        help="S1 (免打扰): no SMS or guest mail goes out from this time of day (office "
             "time zone) until the end of the quiet hours; messages due then wait in "
             "the queue until the morning. Equal start and end: no quiet hours.")
    attribution_quiet_end = fields.Float(
        string="Quiet Hours Until", default=sms.QUIET_END,
        help="S1: the end of the quiet hours (office time zone); held messages go "
             "out from then.")

    @api.constrains("attribution_quiet_start", "attribution_quiet_end")
    def _check_attribution_quiet_hours(self):
        for company in self:
            try:
                sms.check_quiet_hours(company.attribution_quiet_start,
                                      company.attribution_quiet_end)
            except terms.BilingualError:
                raise ValidationError(_("Quiet hours must be times of day (00:00 to "
                                        "23:59)."))

    @api.constrains("attribution_protection_days", "attribution_group_units",
                    "attribution_followup_days", "attribution_complaint_split",
                    "attribution_relative_split", "attribution_strikes",
                    "attribution_strike_period_days", "attribution_duty_early_minutes",
                    "attribution_duty_grace_minutes")
    def _check_attribution_settings(self):
        for company in self:
            if min(company.attribution_protection_days,
                   company.attribution_followup_days,
                   company.attribution_strike_period_days) < 1:
                raise ValidationError(_("Protection, follow-up and strike periods must "
                                        "be at least one day."))
            if company.attribution_group_units < 2 or company.attribution_strikes < 1:
                raise ValidationError(_("A group buyer needs at least 2 units and "
                                        "dismissal at least 1 strike."))
            for share in (company.attribution_complaint_split,
                          company.attribution_relative_split):
                if not 0 <= share <= 100:
                    raise ValidationError(_("A split share must be between 0 and 100."))
            if company.attribution_duty_early_minutes < 0 \
                    or company.attribution_duty_grace_minutes < 0:
                raise ValidationError(_("Duty arrival minutes cannot be negative."))

    @api.constrains("attribution_late_entry_minutes")
    def _check_attribution_late_entry_minutes(self):
        for company in self:
            if company.attribution_late_entry_minutes < 0:
                raise ValidationError(_("The late-entry minutes cannot be negative."))

    def _attribution_tz(self):
        """The office's time zone name (IANA, e.g. ``Asia/Shanghai``) of this company
        (the first one of ``self``; the current user's company when empty)."""
        company = self[:1] or self.env.user.company_id
        return company.attribution_timezone or terms.DEFAULT_TIMEZONE

    def _attribution_office_date(self, value=None):
        """The office's calendar date (``datetime.date``) of ``value``, a UTC datetime
        (Odoo string or naive ``datetime``; default: now) in this company's zone."""
        if not value:
            value = fields.Datetime.now()
        if isinstance(value, str):
            value = fields.Datetime.from_string(value)
        return terms.office_date(value, self._attribution_tz())

    def _attribution_office_day_start(self, day):
        """The UTC datetime string at which the office's calendar ``day`` (a
        ``datetime.date``) begins, to compare with stored datetimes."""
        start = datetime.datetime.combine(day, datetime.time.min)
        return fields.Datetime.to_string(
            terms.utc_from_office(start, self._attribution_tz()))

    def _attribution_office_time(self, value):
        """``YYYY-MM-DD HH:MM`` of a UTC datetime (Odoo string or naive ``datetime``)
        on the office's clock, for messages to users; ``""`` for an empty value."""
        if not value:
            return ""
        if isinstance(value, str):
            value = fields.Datetime.from_string(value)
        return terms.office_datetime(value, self._attribution_tz()).strftime(
            "%Y-%m-%d %H:%M")

    def _attribution_quiet_hours(self):
        """The S1 quiet hours of this company (the first one of ``self``; the current
        user's company when empty): ``attribution.sms.QuietHours`` in the office's
        zone."""
        company = self[:1] or self.env.user.company_id
        return sms.QuietHours(company.attribution_quiet_start,
                              company.attribution_quiet_end, company._attribution_tz())

    @api.multi
    def write(self, vals):
        switched = self.browse()
        if "attribution_scope" in vals:
            switched = self.filtered(
                lambda c: c.attribution_scope != vals["attribution_scope"])
        res = super().write(vals)
        for company in switched:
            self.env["attribution.ownership"]._regroup(company)
        return res

    def _attribution_rules(self, team=None):
        """The one resolver of a project's rule numbers: ``projects.Rules`` of
        ``team`` (``crm.team``, a project; empty or ``None``: the company's own
        numbers), each number the project's override, else this company's value.
        ``self``: the company (the team's company, else the user's, when empty)."""
        team = (team or self.env["crm.team"])[:1]
        company = self[:1] or team.company_id or self.env.user.company_id
        base = projects.Rules(**{name: company["attribution_%s" % name]
                                 for name in projects.OVERRIDABLE})
        if not team:
            return base
        return projects.effective_rules(
            base, team.sudo()._attribution_rule_overrides(), project_id=team.id)

    def _attribution_ownership_settings(self, team=None):
        """The ownership rules' numbers of the project ``team`` (``crm.team``; empty:
        the company's, see :meth:`_attribution_rules`) and this company's office time
        zone, for ``ownership.decide`` and ``ownership.lapse_phone_only``."""
        self.ensure_one()
        rules = self._attribution_rules(team)
        return ownership.Settings(
            protection_days=rules.protection_days,
            followup_days=rules.followup_days,
            timezone=self._attribution_tz())

    def _attribution_ownership_team(self, team):
        """The project whose ownership row a decision in ``team`` reads and writes:
        ``team`` itself (``crm.team``) in scope ``project``; no team (the company-wide
        row) in scope ``company``. ``self``: the company (the user's when empty)."""
        company = self[:1] or self.env.user.company_id
        if company.attribution_scope == terms.SCOPE_COMPANY:
            return self.env["crm.team"]
        return (team or self.env["crm.team"])[:1]
