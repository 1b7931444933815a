from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..attribution import projects


class CrmTeam(models.Model):
    """A sales team is a project (案场): its reception rotation, its bonus rate and, where
    the project differs from the company, its own ownership numbers (empty: the
    company's; ``res.company._attribution_rules`` resolves them)."""

    _inherit = "crm.team"

    attribution_rotation_id = fields.Many2one(
        "attribution.rotation", string="Reception Rotation",
        compute="_compute_attribution_rotation_id")
    attribution_bonus_rate = fields.Float(
        string="Bonus Rate (%)", digits=(5, 3), default=1.0,
        help="Bonus money (奖金) of a won deal as a percentage of its revenue; split "
             "lines divide it by their bonus shares.")
    attribution_protection_days = fields.Integer(
        string="Protection Days",
        help="B6 window of this project in days; empty (0): the company's.")
    attribution_followup_days = fields.Integer(
        string="Follow-up Days",
        help="A14 window of this project in days; empty (0): the company's.")
    attribution_group_units = fields.Integer(
        string="Group Buyer Units",
        help="A9: units that make a group buyer in this project; empty (0): the "
             "company's.")
    attribution_strikes = fields.Integer(
        string="Strikes to Dismissal",
        help="A12/A13 in this project; empty (0): the company's.")
    attribution_strike_period_days = fields.Integer(
        string="Strike Period (days)",
        help="A12/A13 in this project: violations older than this many days no "
             "longer count as strikes here; empty (0): the company's.")
    attribution_own_splits = fields.Boolean(
        string="Own Split Percentages",
        help="On: the complaint (B5) and relative (A15/B1) bonus percentages below "
             "apply in this project. Off: the company's.")
    attribution_complaint_split = fields.Integer(
        string="Complaint Split (original %)", default=20,
        help="B5 in this project (when its own split percentages are on).")
    attribution_relative_split = fields.Integer(
        string="Relative Split (original %)", default=50,
        help="A15 and B1 in this project (when its own split percentages are on).")

    attribution_manager_ids = fields.Many2many(
        "res.users", "attribution_team_manager_rel", "team_id", "user_id",
        string="案场经理",
        help="Co-managers of this project besides its team leader: they see, rule and "
             "export this project's visits, decisions, conflicts, split lines and "
             "rotation. A manager who leads no project and is named on none sees the "
             "whole company.")

    def _compute_attribution_rotation_id(self):
        rotations = self.env["attribution.rotation"].search(
            [("team_id", "in", self.ids)])
        by_team = {r.team_id.id: r for r in rotations}
        for team in self:
            team.attribution_rotation_id = by_team.get(team.id)

    @api.model
    def create(self, vals):
        team = super().create(vals)
        if vals.get("user_id") or vals.get("attribution_manager_ids"):
            team._attribution_managers_changed()
        return team

    @api.multi
    def write(self, vals):
        res = super().write(vals)
        if {"user_id", "attribution_manager_ids"} & set(vals):
            self._attribution_managers_changed()
        return res

    @api.multi
    def unlink(self):
        res = super().unlink()
        self._attribution_managers_changed()
        return res

    def _attribution_managers_changed(self):
        """The managers of a project changed: the record rules, whose domains name
        each manager's projects (``res.users._attribution_project_domain``) and are
        cached per user, are worked out again (in every worker)."""
        self.env["ir.rule"].clear_caches()

    @api.constrains("attribution_bonus_rate")
    def _check_attribution_bonus_rate(self):
        for team in self:
            if not 0 <= team.attribution_bonus_rate <= 100:
                raise ValidationError(
                    _("The bonus rate is a percentage between 0 and 100."))

    @api.constrains("attribution_protection_days", "attribution_followup_days",
                    "attribution_group_units", "attribution_strikes",
                    "attribution_complaint_split", "attribution_relative_split",
                    "attribution_strike_period_days")
    def _check_attribution_rule_overrides(self):
        for team in self:
            if min(team.attribution_protection_days, team.attribution_followup_days,
                   team.attribution_strikes, team.attribution_strike_period_days) < 0:
                raise ValidationError(_("A project's windows and strikes cannot be "
                                        "negative (empty keeps the company's)."))
            if team.attribution_group_units == 1 or team.attribution_group_units < 0:
                raise ValidationError(_("A group buyer needs at least 2 units and "
                                        "dismissal at least 1 strike."))
            for share in (team.attribution_complaint_split,
                          team.attribution_relative_split):
                if not 0 <= share <= 100:
                    raise ValidationError(_("A split share must be between 0 and 100."))

    def _attribution_rule_overrides(self):
        """``{name of projects.OVERRIDABLE: value or None}`` of this project: ``None``
        where it keeps the company's value (0 for windows, units, strikes and the
        strike period; split percentages unless ``attribution_own_splits``)."""
        self.ensure_one()
        values = {name: self["attribution_%s" % name] or None
                  for name in projects.OVERRIDABLE}
        for name in ("complaint_split", "relative_split"):
            values[name] = self["attribution_%s" % name] \
                if self.attribution_own_splits else None
        return values
