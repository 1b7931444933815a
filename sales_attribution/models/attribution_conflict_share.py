from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .attribution_split_line import SPLIT_ROLES
from .input_guard import check_vals


class AttributionConflictShare(models.Model):
    _name = "attribution.conflict.share"
    _description = "Conflict Ruling Share"
    _order = "conflict_id, id"

    conflict_id = fields.Many2one(
        "attribution.conflict", required=True, ondelete="cascade", index=True)
    user_id = fields.Many2one(
        "res.users", string="Consultant", help="Empty means the company.")
    role = fields.Selection(SPLIT_ROLES, required=True, default="co_owner")
    performance_share = fields.Float(
        string="Performance %", digits=(5, 2), help="Share of the performance credit (业绩).")
    bonus_share = fields.Float(
        string="Bonus %", digits=(5, 2), help="Share of the bonus money (奖金).")

    @api.constrains("performance_share", "bonus_share")
    def _check_share_range(self):
        for line in self:
            for value in (line.performance_share, line.bonus_share):
                if not 0 <= value <= 100:
                    raise ValidationError(_("A share must be between 0 and 100 (got %s).")
                                          % value)

    @api.model
    def create(self, vals):
        return super().create(check_vals(self, vals))

    @api.multi
    def write(self, vals):
        return super().write(check_vals(self, vals))
