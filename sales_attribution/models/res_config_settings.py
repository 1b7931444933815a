from odoo import models


class ResConfigSettings(models.TransientModel):
    """The rule book's numbers in Odoo's settings screen (see the mixin)."""

    _name = "res.config.settings"
    _inherit = ["res.config.settings", "attribution.settings.mixin"]
