from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class CrmTeam(models.Model):
    _inherit = "crm.team"

    attribution_rotation_id = fields.Many2one(
        "attribution.rotation", string="Reception Rotation",
        compute="_compute_attribution_rotation_id")
    attribution_bonus_rate = fields.Float(
        string="Bonus Rate (%)", digits=(5, 3), default=1.0,
        help="Bonus money (奖金) of a won deal as a percentage of its revenue; split "
             "lines divide it by their bonus shares.")

    def _compute_attribution_rotation_id(self):
        rotations = self.env["attribution.rotation"].search(
            [("team_id", "in", self.ids)])
        by_team = {r.team_id.id: r for r in rotations}
        for team in self:
            team.attribution_rotation_id = by_team.get(team.id)

    @api.constrains("attribution_bonus_rate")
    def _check_attribution_bonus_rate(self):
        for team in self:
            if not 0 <= team.attribution_bonus_rate <= 100:
                raise ValidationError(
                    _("The bonus rate is a percentage between 0 and 100."))
