from odoo import fields, models


class CrmLead(models.Model):
    """Deals imported from a ledger (``attribution.deal.import``) keep the row's
    fingerprint (``attribution.ledger.fingerprint``): importing the same row again,
    from the same file or an overlapping one, finds it and adds nothing."""

    _inherit = "crm.lead"

    attribution_import_fingerprint = fields.Char(
        string="Import Fingerprint", readonly=True, copy=False, index=True,
        help="Identity of the ledger row this deal was imported from (phone, deal "
             "date, consultant, revenue); empty for deals entered in Odoo.")

    _sql_constraints = [
        ("attribution_import_fingerprint_uniq",
         "UNIQUE(attribution_import_fingerprint)",
         "This ledger row is already imported."),
    ]
