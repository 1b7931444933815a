from odoo import api, fields, models

from ..attribution import projects


class AttributionOwnership(models.Model):
    """Who owns a customer in one project (案场, a ``crm.team``): one row per customer
    and project, written by the attribution decisions (``attribution.decision._log``)
    and the customer's fields (``res.partner.attribution_owner_id`` and the dates,
    which read and write the current project's row). A row without project is the
    company-wide ownership of a company whose ``attribution_scope`` is ``company``."""

    _name = "attribution.ownership"
    _description = "Customer Ownership in a Project"
    _order = "partner_id, last_visit_date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True,
        ondelete="cascade")
    team_id = fields.Many2one(
        "crm.team", string="Project", index=True, ondelete="restrict",
        help="The project (sales team, 案场) this ownership holds in; empty: every "
             "project of the company (ownership scope company-wide).")
    owner_id = fields.Many2one(
        "res.users", string="Owning Consultant", index=True,
        help="The consultant who owns the customer in this project (归属顾问); empty: "
             "nobody (or the company after a forfeited conflict, A7).")
    first_visit_date = fields.Date(
        help="Office date of the customer's first registered visit in this project.")
    last_visit_date = fields.Date(
        help="Office date of the customer's latest registered visit in this project "
             "(B6 counts days from it).")
    last_followup_date = fields.Date(
        help="Date the owning consultant last followed the customer up by phone (A14).")
    intent_class = fields.Selection(
        [("a", "A"), ("b", "B"), ("c", "C")], string="Intent Class",
        help="Class reported at this project's evening review (每日晚会), B1.")
    intent_reported_date = fields.Date(
        help="Date the intent class was reported at the evening review.")

    _sql_constraints = [
        ("partner_team_uniq", "unique(partner_id, team_id)",
         "A customer has one ownership per project."),
    ]

    @api.model_cr
    def init(self):
        # unique(partner_id, team_id) lets NULL teams repeat: one company-wide row
        self.env.cr.execute("""
            CREATE UNIQUE INDEX IF NOT EXISTS attribution_ownership_company_uniq
                ON attribution_ownership (partner_id) WHERE team_id IS NULL""")

    # ------------------------------------------------------------------ rows

    @api.model
    def _rows_of(self, partner, team):
        """The row of ``partner`` (``res.partner``, one) in ``team`` (``crm.team``;
        empty: the company-wide row), created empty when missing. Superuser rows: the
        rule book writes ownership whoever caused it (callers check their rights)."""
        partner.ensure_one()
        # sudo: ownership rows are the rule book's, written for whoever acts
        rows = self.sudo()
        row = rows.search([("partner_id", "=", partner.id),
                           ("team_id", "=", team.id or False)], limit=1)
        return row or rows.create({"partner_id": partner.id,
                                   "team_id": team.id or False})

    @api.model
    def _current_rows_query(self, project_id):
        """SQL (and its parameters) of the current row of every customer that has
        rows, ordered as ``projects.current_row`` picks it: the row of
        ``project_id`` (``None``: the company-wide row), else the latest visited,
        else the newest. Columns: those of ``attribution_ownership``."""
        return ("""
            SELECT DISTINCT ON (o.partner_id) o.*
              FROM attribution_ownership o
             ORDER BY o.partner_id, (o.team_id IS NOT DISTINCT FROM %s) DESC,
                      o.last_visit_date DESC NULLS LAST, o.id DESC""", [project_id])

    def _current_of(self, project_id):
        """``{partner id: row}`` of the customers of these rows: the row their fields
        show in ``project_id`` (``projects.current_row``)."""
        by_partner = {}
        for row in self:
            by_partner.setdefault(row.partner_id.id, []).append(row)
        current = {}
        for partner_id, rows in by_partner.items():
            pick = projects.current_row(
                [projects.OwnershipRow(r.id, r.team_id.id or None,
                                       fields.Date.from_string(r.last_visit_date)
                                       if r.last_visit_date else None)
                 for r in rows], project_id)
            current[partner_id] = self.browse(pick.row_id)
        return current
