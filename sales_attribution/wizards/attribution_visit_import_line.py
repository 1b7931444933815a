from odoo import fields, models

from .attribution_visit_import import LINE_STATES
from ..models.attribution_visit import rule_code_selection


class AttributionVisitImportLine(models.TransientModel):
    """One row of an imported register as the preview or the import saw it: ``ok``
    (the customer, receiver, owner and rule the rule book gives, ``message`` its
    explanation), ``error`` (``message`` names every fault, in the user's language)
    or ``duplicate`` (already in the database or earlier in the file)."""

    _name = "attribution.visit.import.line"
    _description = "Visit Register Import Row"
    _order = "row, id"

    import_id = fields.Many2one("attribution.visit.import", required=True,
                                ondelete="cascade", index=True)
    row = fields.Integer(help="The row's number in the sheet (1 = first line).")
    state = fields.Selection(LINE_STATES, required=True)
    message = fields.Text(help="Why the rule book decides so, or what is wrong.")
    partner_name = fields.Char(string="Customer")
    phone = fields.Char()
    visit_datetime = fields.Datetime(string="Visit Time")
    receiver_id = fields.Many2one("res.users", string="Received By")
    owner_id = fields.Many2one("res.users", string="Owner")
    rule_code = fields.Selection(rule_code_selection(), string="Rule")
    visit_id = fields.Many2one("attribution.visit", string="Visit",
                               ondelete="set null",
                               help="The visit the import created (empty in a "
                                    "preview).")
