from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError

from .attribution_visit import rule_code_selection


class AttributionDecision(models.Model):
    """Append-only log of ownership decisions: who owns the customer, by which rule."""

    _name = "attribution.decision"
    _description = "Attribution Decision"
    _order = "create_date desc, id desc"
    _rec_name = "rule_code"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, readonly=True,
        ondelete="restrict")
    lead_id = fields.Many2one(
        "crm.lead", string="Opportunity", index=True, readonly=True, ondelete="set null")
    visit_id = fields.Many2one(
        "attribution.visit", string="Visit", index=True, readonly=True, ondelete="set null")
    conflict_id = fields.Many2one(
        "attribution.conflict", string="Conflict", index=True, readonly=True,
        ondelete="set null")
    owner_id = fields.Many2one(
        "res.users", string="Owner", index=True, readonly=True,
        help="Owner after this decision; empty means the company (A7).")
    previous_owner_id = fields.Many2one(
        "res.users", string="Previous Owner", readonly=True)
    receiver_id = fields.Many2one(
        "res.users", string="Received By", readonly=True)
    rule_code = fields.Selection(
        rule_code_selection(), required=True, readonly=True, index=True,
        help="Rule of the rule book that made this decision.")
    explanation = fields.Text(
        required=True, readonly=True,
        help="The rule, the facts it used and the outcome, in the language of the user "
             "who caused the decision.")
    explanation_en = fields.Text(string="Explanation (English)", readonly=True)
    explanation_zh = fields.Text(string="Explanation (Chinese)", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True, index=True)
    decided_by_id = fields.Many2one(
        "res.users", string="Decided By", readonly=True,
        default=lambda self: self.env.uid,
        help="User whose action caused the decision.")

    def _check_append_only(self):
        if self.env.uid != SUPERUSER_ID:
            raise AccessError(_("Attribution decisions are an append-only log: they "
                                "cannot be changed or deleted."))

    @api.multi
    def write(self, vals):
        self._check_append_only()
        return super().write(vals)

    @api.multi
    def unlink(self):
        self._check_append_only()
        return super().unlink()
