from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class AttributionSplitExportWizard(models.TransientModel):
    _name = "attribution.split.export.wizard"
    _description = "Export of Split Lines to Excel"

    date_from = fields.Date(
        string="From", required=True,
        default=lambda self: self._default_office_today()[:8] + "01",
        help="First deal date of the period (split line date = date the deal was won).")
    date_to = fields.Date(
        string="To", required=True,
        default=lambda self: self._default_office_today(),
        help="Last deal date of the period, included.")
    user_ids = fields.Many2many(
        "res.users", string="Consultants",
        help="Consultants to export; empty exports every line you may see, the "
             "company's forfeited lines included.")
    team_ids = fields.Many2many(
        "crm.team", string="Projects",
        help="Projects (案场) whose deals to export; empty exports every project's "
             "lines you may see. The file names each line's project and sums the "
             "lines per project on its second sheet.")

    @api.model
    def _default_office_today(self):
        """Today on the office's calendar (the user's company's time zone), as the
        split lines are dated: the month so far by default."""
        company = self.env.user.company_id
        return fields.Date.to_string(company._attribution_office_date())

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
        if self.team_ids:
            domain.append(("team_id", "in", self.team_ids.ids))
        return domain

    def _get_split_lines(self):
        """Lines of the period visible to the user, in the order of the report rows:
        per consultant by name (the company's lines last), then date, deal, line."""
        Line = self.env["attribution.split.line"]
        Line.check_access_rights("read")
        # one query, sorted by the database, under the user's record rules (as
        # search() applies them): sorting in Python on user_id.name read every line,
        # user and deal into the cache at once (100k lines: minutes and the memory
        # of the whole period); the report then reads the lines chunk by chunk
        query = Line._where_calc(self._split_line_domain())
        Line._apply_ir_rules(query, "read")
        from_clause, where_clause, params = query.get_sql()
        self.env.cr.execute("""
            SELECT l.id FROM attribution_split_line l
              LEFT JOIN res_users u ON u.id = l.user_id
              LEFT JOIN res_partner p ON p.id = u.partner_id
             WHERE l.id IN (SELECT attribution_split_line.id FROM %s WHERE %s)
             ORDER BY l.user_id IS NULL, COALESCE(p.name, ''), l.user_id, l.date,
                      l.lead_id, l.id""" % (from_clause, where_clause or "TRUE"),
                            params)
        return Line.browse([row[0] for row in self.env.cr.fetchall()])

    @api.multi
    def action_export(self):
        """Download the XLSX report of the period (returns the report action)."""
        self.ensure_one()
        # config=False: the company logo/layout step of report_action is for PDF
        # documents; the spreadsheet does not use them. data={}: no options (the web
        # client prints the active ids); None cannot travel over XML-RPC.
        return self.env.ref(
            "sales_attribution.attribution_split_xlsx_report").report_action(
                self, data={}, config=False)
