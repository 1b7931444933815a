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
    _description = "Rule Book Settings"

    company_id = fields.Many2one(
        "res.company", string="Company", readonly=True,
        default=lambda self: self.env.user.company_id,
        help="The sales manager's company; its rule book numbers are edited here.")
    attribution_protection_days = fields.Integer(
        related="company_id.attribution_protection_days")
    attribution_group_units = fields.Integer(
        related="company_id.attribution_group_units")
    attribution_followup_days = fields.Integer(
        related="company_id.attribution_followup_days")
    attribution_complaint_split = fields.Integer(
        related="company_id.attribution_complaint_split")
    attribution_relative_split = fields.Integer(
        related="company_id.attribution_relative_split")
    attribution_strikes = fields.Integer(related="company_id.attribution_strikes")
    attribution_strike_period_days = fields.Integer(
        related="company_id.attribution_strike_period_days")
    attribution_duty_early_minutes = fields.Integer(
        related="company_id.attribution_duty_early_minutes")
    attribution_duty_grace_minutes = fields.Integer(
        related="company_id.attribution_duty_grace_minutes")

    @api.model
    def default_get(self, fields_list):
        """The form opens with the company's current values."""
        result = super().default_get(fields_list)
        company = self.env.user.company_id
        for name in fields_list:
            field = self._fields.get(name)
            if field and field.related and field.related[0] == "company_id":
                result[name] = company[field.related[1]]
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
