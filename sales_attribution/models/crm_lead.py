from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class CrmLead(models.Model):
    _inherit = "crm.lead"

    buyer_partner_id = fields.Many2one(
        "res.partner", string="Buyer", index=True,
        help="买受人: the buyer named in the purchase contract; defaults to the customer. "
             "B3a: when relatives buy one unit, the buyer's consultant takes the deal.")
    unit_count = fields.Integer(
        string="Units", default=1,
        help="套数: units bought in this deal (A9: a company buying at least the group "
             "threshold is a group buyer).")
    closer_id = fields.Many2one(
        "res.users", string="Closed By",
        help="Consultant who closed the deal, when not the owner (A15, B1, B5).")
    split_line_ids = fields.One2many(
        "attribution.split.line", "lead_id", string="Split Lines")
    attribution_decision_ids = fields.One2many(
        "attribution.decision", "lead_id", string="Attribution Decisions")
    attribution_conflict_ids = fields.One2many(
        "attribution.conflict", "lead_id", string="Conflicts")

    @api.constrains("unit_count")
    def _check_unit_count(self):
        for lead in self:
            if lead.unit_count < 1:
                raise ValidationError(_("A deal has at least one unit."))

    @api.model
    def create(self, vals):
        if vals.get("partner_id") and not vals.get("buyer_partner_id"):
            vals["buyer_partner_id"] = vals["partner_id"]
        return super().create(vals)

    @api.multi
    def action_compute_splits(self):
        """Compute the split lines of the won deals (section 3 of the rule book)."""
        return True
