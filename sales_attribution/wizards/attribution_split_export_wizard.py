from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class AttributionSplitExportWizard(models.TransientModel):
    _name = "attribution.split.export.wizard"
    _description = "Export of Split Lines to Excel"

    date_from = fields.Date(
        string="From", required=True,
        default=lambda self: fields.Date.context_today(self)[:8] + "01",
        help="First deal date of the period (split line date = date the deal was won).")
    date_to = fields.Date(
        string="To", required=True, default=fields.Date.context_today,
        help="Last deal date of the period, included.")
    user_ids = fields.Many2many(
        "res.users", string="Consultants",
        help="Consultants to export; empty exports every line you may see, the "
             "company's forfeited lines included.")

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise ValidationError(_("The period ends before it starts."))

    def _split_line_domain(self):
        self.ensure_one()
        domain = [("date", ">=", self.date_from), ("date", "<=", self.date_to)]
        if self.user_ids:
            domain.append(("user_id", "in", self.user_ids.ids))
        return domain

    def _get_split_lines(self):
        """Lines of the period visible to the user, in the order of the report rows."""
        lines = self.env["attribution.split.line"].search(self._split_line_domain())
        return lines.sorted(lambda l: (
            l.user_id and 0 or 1, l.user_id.name or "", l.user_id.id, l.date or "",
            l.lead_id.id, l.id))

    @api.multi
    def action_export(self):
        """Download the XLSX report of the period (returns the report action)."""
        self.ensure_one()
        # config=False: the company logo/layout step of report_action is for PDF
        # documents; the spreadsheet does not use them
        return self.env.ref(
            "sales_attribution.attribution_split_xlsx_report").report_action(
                self, config=False)
