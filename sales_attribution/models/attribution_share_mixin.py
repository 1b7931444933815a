from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class AttributionShareMixin(models.AbstractModel):
    """Performance and bonus shares in percent, each between 0 and 100.

    Shared by the split lines of a deal and the shares of a conflict ruling; that each
    column sums to 100 is checked per deal or per ruling by their owners.
    """

    _name = "attribution.share.mixin"
    _description = "Performance and Bonus Shares"

    performance_share = fields.Float(
        string="Performance %", digits=(5, 2),
        help="Share of the deal's performance credit (业绩); per deal they sum to 100.")
    bonus_share = fields.Float(
        string="Bonus %", digits=(5, 2),
        help="Share of the deal's bonus money (奖金); per deal they sum to 100.")

    @api.constrains("performance_share", "bonus_share")
    def _check_share_range(self):
        for line in self:
            for value in (line.performance_share, line.bonus_share):
                if not 0 <= value <= 100:
                    raise ValidationError(
                        _("A share must be between 0 and 100 (got %s).") % value)
