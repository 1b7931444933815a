from odoo import api, fields, models

from ..attribution import terms
from .attribution_visit import rule_code_selection
from .input_guard import check_vals

#: ``role`` values of ``terms.ROLES`` with their labels
SPLIT_ROLES = terms.selection(terms.ROLES, {
    "owner": "Owner",
    "co_owner": "Co-owner",
    "original": "Original Consultant",
    "closer": "Closer",
    "company": "Company",
})
#: a manager's edit of these fields makes the line ``manual``
SHARE_FIELDS = ("user_id", "role", "performance_share", "bonus_share")
#: context keys shared with crm.lead (see models/crm_lead.py)
SPLIT_COMPUTE_CTX = "attribution_split_compute"
SPLIT_DEFER_CTX = "attribution_split_defer_check"


class AttributionSplitLine(models.Model):
    _name = "attribution.split.line"
    _inherit = ["attribution.share.mixin"]
    _description = "Commission Split Line"
    _order = "lead_id, role, id"

    lead_id = fields.Many2one(
        "crm.lead", string="Opportunity", required=True, ondelete="cascade", index=True)
    user_id = fields.Many2one(
        "res.users", string="Consultant", index=True,
        help="Empty means the company (A7: forfeited).")
    role = fields.Selection(SPLIT_ROLES, required=True, default="owner")
    performance_amount = fields.Monetary(
        currency_field="currency_id", help="Deal revenue × performance share.")
    bonus_amount = fields.Monetary(
        currency_field="currency_id",
        help="Deal revenue × the team's bonus rate × bonus share.")
    rule_code = fields.Selection(
        rule_code_selection(), required=True, default="A1", index=True,
        help="Rule of the rule book that gave this share.")
    explanation = fields.Text()
    manual = fields.Boolean(
        help="Edited by a manager: kept when the split is computed again.")
    currency_id = fields.Many2one(
        "res.currency", related="lead_id.company_currency", store=True, readonly=True)
    team_id = fields.Many2one(
        "crm.team", related="lead_id.team_id", store=True, readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", related="lead_id.partner_id", store=True,
        readonly=True)
    unit_count = fields.Integer(
        related="lead_id.unit_count", readonly=True, help="套数: units of the deal.")
    date = fields.Date(
        string="Deal Date",
        help="Date the deal was won; periods of analysis and export.")

    # A manager's edit (from the lead's one2many or the line itself) marks the line
    # manual; the lead's performance and bonus totals are checked once all lines of the
    # edit are written (crm.lead.write sets SPLIT_DEFER_CTX and checks itself).

    def _is_rules_write(self):
        return bool(self.env.context.get(SPLIT_COMPUTE_CTX))

    def _edit(self, operation, leads):
        """Run ``operation`` and check the leads' totals; all or nothing."""
        if self.env.context.get(SPLIT_DEFER_CTX):
            return operation()
        try:
            with self.env.cr.savepoint():
                res = operation()
                leads.exists()._attribution_after_split_edit()
        except Exception:
            # the savepoint undid the edit; the cache must forget it too
            self.invalidate_cache()
            raise
        return res

    @api.model
    def create(self, vals):
        check_vals(self, vals)
        if self._is_rules_write():
            return super().create(vals)
        vals = dict(vals, manual=True)
        lead = self.env["crm.lead"].browse(vals.get("lead_id"))
        return self._edit(lambda: super(AttributionSplitLine, self).create(vals), lead)

    @api.multi
    def write(self, vals):
        check_vals(self, vals)
        if self._is_rules_write():
            return super().write(vals)
        if set(SHARE_FIELDS) & set(vals):
            vals = dict(vals, manual=True)
        leads = self.mapped("lead_id")
        if vals.get("lead_id"):
            leads |= self.env["crm.lead"].browse(vals["lead_id"])
        return self._edit(lambda: super(AttributionSplitLine, self).write(vals), leads)

    @api.multi
    def unlink(self):
        if self._is_rules_write():
            return super().unlink()
        leads = self.mapped("lead_id")
        return self._edit(lambda: super(AttributionSplitLine, self).unlink(), leads)
