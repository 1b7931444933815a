from odoo import fields, models

#: what the import made (or would make) of a row
LINE_STATES = [("ok", "OK"), ("error", "Error"), ("duplicate", "Already Imported")]


class AttributionDealImportLine(models.TransientModel):
    _name = "attribution.deal.import.line"
    _description = "Deal Ledger Import Row"
    _order = "row"

    wizard_id = fields.Many2one("attribution.deal.import", required=True,
                                ondelete="cascade")
    row = fields.Integer(readonly=True)
    state = fields.Selection(LINE_STATES, readonly=True)
    message = fields.Text(readonly=True)
    partner_name = fields.Char(string="Buyer", readonly=True)
    phone = fields.Char(readonly=True)
    deal_date = fields.Date(readonly=True)
    unit_count = fields.Integer(string="Units", readonly=True)
    revenue = fields.Float(readonly=True)
    team_id = fields.Many2one("crm.team", string="Project", readonly=True)
    consultant_id = fields.Many2one("res.users", string="Consultant", readonly=True)
    owner_id = fields.Many2one("res.users", string="Owner", readonly=True)
    rule_code = fields.Char(string="Split Rule", readonly=True)
    lead_id = fields.Many2one("crm.lead", string="Deal", readonly=True)
