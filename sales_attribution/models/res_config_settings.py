from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

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
