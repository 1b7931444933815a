from odoo import _, api, fields, models
from odoo.exceptions import AccessError


class AttributionSettingsWizard(models.TransientModel):
    """判客规则设置: the rule book's numbers (protection days, splits, strikes, duty)
    for the sales manager.

    SPEC gives the settings to managers, but Odoo 11's settings screen saves for
    administrators only and a manager may not write ``res.company``. This form edits
    the company's attribution fields alone: the values are written when the form is
    saved (``create``), after checking that the user is a manager, as the superuser;
    the company's constraints still apply (a bad value saves nothing).
    """

    _name = "attribution.settings.wizard"
    _inherit = "attribution.settings.mixin"
    _description = "Rule Book Settings"

    company_id = fields.Many2one(
        readonly=True,
        help="The sales manager's company; its rule book numbers are edited here.")

    @api.model
    def default_get(self, fields_list):
        """The form opens with the company's current values."""
        result = super().default_get(fields_list)
        result.update(self._attribution_settings_defaults(fields_list))
        return result

    @api.model
    def create(self, vals):
        if not self.env.user.has_group("sales_attribution.group_manager"):
            raise AccessError(_("Only a sales manager can change the rule book "
                                "settings."))
        # a manager edits their own company only, whatever the request says
        vals = dict(vals, company_id=self.env.user.company_id.id)
        # sudo: the related fields write res.company, which only administrators may
        # write; the manager's right to these fields is checked above
        return super(AttributionSettingsWizard, self.sudo()).create(vals).sudo(
            self.env.uid)

    @api.multi
    def write(self, vals):
        raise AccessError(_("Open the rule book settings again to change them."))

    @api.multi
    def action_save(self):
        """The values were saved with the form (``create``): close it."""
        return {"type": "ir.actions.act_window_close"}
