from odoo import fields, models

from .attribution_split_line import SPLIT_ROLES


class AttributionConflictShare(models.Model):
    _name = "attribution.conflict.share"
    _inherit = ["attribution.share.mixin"]
    _description = "Conflict Ruling Share"
    _order = "conflict_id, id"

    conflict_id = fields.Many2one(
        "attribution.conflict", required=True, ondelete="cascade", index=True)
    user_id = fields.Many2one(
        "res.users", string="Consultant", help="Empty means the company.")
    role = fields.Selection(SPLIT_ROLES, required=True, default="co_owner")
