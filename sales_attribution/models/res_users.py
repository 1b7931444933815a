from odoo import _, api, fields, models

from ..attribution import conduct as policy


class ResUsers(models.Model):
    _inherit = "res.users"

    attribution_strike_count = fields.Integer(
        string="Strikes", compute="_compute_attribution_strike_count",
        help="Violations of this consultant within the strike period up to today "
             "(A12/A13: at the configured number, dismissal is proposed).")
    attribution_dismissal_proposed = fields.Boolean(
        string="Dismissal Proposed", readonly=True, copy=False,
        help="The rule book proposes to dismiss this consultant (A8: deliberate "
             "poaching; A12/A13: three strikes in the period). The manager confirms "
             "outside the system or dismisses the proposal with a reason.")
    attribution_dismissal_date = fields.Date(
        string="Dismissal Proposed On", readonly=True, copy=False)
    attribution_dismissal_rule_code = fields.Char(
        string="Dismissal Rule", readonly=True, copy=False,
        help="Rule that proposed the dismissal: A8, A12 or A13.")
    attribution_dismissal_violation_id = fields.Many2one(
        "attribution.violation", string="Proposing Violation", readonly=True,
        copy=False,
        help="The violation that brought the consultant to the dismissal proposal.")
    attribution_dismissal_reason = fields.Text(
        string="Proposal Dismissed Because", readonly=True, copy=False,
        help="The manager's reason for dismissing the last dismissal proposal.")
    attribution_dismissal_dismissed_date = fields.Date(
        string="Proposal Dismissed On", readonly=True, copy=False)
    attribution_violation_ids = fields.One2many(
        "attribution.violation", "user_id", string="Violations")

    def _compute_attribution_strike_count(self):
        """Strikes within the period up to now (``terms.CTX_NOW`` or the clock), by
        the office days of the consultant's company."""
        Violation = self.env["attribution.violation"]
        violations = Violation._policy_violations(self)
        now = Violation._office_now()
        for user in self:
            company = user.company_id or self.env.user.company_id
            user.attribution_strike_count = policy.strike_count(
                violations, user.id, now, company.attribution_strike_period_days,
                tz_name=company._attribution_tz())

    @api.multi
    def action_attribution_dismiss_proposal(self):
        """Open the wizard to dismiss this consultant's dismissal proposal."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Dismiss Dismissal Proposal"),
            "res_model": "attribution.dismissal.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_user_id": self.id},
        }

    @api.multi
    def action_attribution_violations(self):
        """The violations of this consultant."""
        self.ensure_one()
        action = self.env.ref(
            "sales_attribution.attribution_violation_action").read()[0]
        action["domain"] = [("user_id", "=", self.id)]
        action["context"] = {"default_user_id": self.id}
        return action
