from odoo import api, fields, models


class AttributionSettingsMixin(models.AbstractModel):
    """The rule book's numbers of ``company_id`` (fields of ``res.company``), for the
    two screens that edit them: Odoo's settings (administrators) and the sales
    manager's Rule Book Settings (``attribution.settings.wizard``)."""

    _name = "attribution.settings.mixin"
    _description = "Rule Book Settings Fields"

    # as base_setup declares it on res.config.settings
    company_id = fields.Many2one(
        "res.company", string="Company", required=True,
        default=lambda self: self.env.user.company_id)
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
    attribution_timezone = fields.Selection(
        related="company_id.attribution_timezone")

    @api.model
    def _attribution_settings_defaults(self, fields_list):
        """The company's current values of the fields asked (for ``default_get``)."""
        company = self.env.user.company_id
        return {name: company[self._fields[name].related[1]] for name in fields_list
                if name in self._fields and self._fields[name].related
                and self._fields[name].related[0] == "company_id"}

    # late entries (补登) and the cover at the desk (A2/A4/B3b/B4/B8)
    attribution_late_entry_minutes = fields.Integer(
        related="company_id.attribution_late_entry_minutes")
    attribution_cover_uses_turn = fields.Boolean(
        related="company_id.attribution_cover_uses_turn")

    # several projects (案场) in one company
    attribution_scope = fields.Selection(related="company_id.attribution_scope")

    # S1 quiet hours (免打扰时段) of the guest messages
    attribution_quiet_start = fields.Float(
        related="company_id.attribution_quiet_start")
    attribution_quiet_end = fields.Float(related="company_id.attribution_quiet_end")
