from odoo import api, fields, models
from odoo.tools import sql

from ..attribution import projects, terms


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
        compute="_compute_visit_dates", store=True, compute_sudo=True,
        help="Office date of the customer's first registered visit in this project.")
    last_visit_date = fields.Date(
        compute="_compute_visit_dates", store=True, compute_sudo=True,
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

    @api.depends("partner_id.attribution_visit_ids.visit_datetime",
                 "partner_id.attribution_visit_ids.team_id", "team_id",
                 "partner_id.company_id.attribution_timezone",
                 "team_id.company_id.attribution_timezone")
    def _compute_visit_dates(self):
        """First and last visit of the customer in this row's project (every visit
        for a row without project) as office dates of the project's company (the
        customer's company for a row without project or a project without
        company)."""
        for row in self:
            visits = row.partner_id.sudo().attribution_visit_ids
            if row.team_id:
                visits = visits.filtered(lambda v, team=row.team_id: v.team_id == team)
            stamps = visits.mapped("visit_datetime")
            # sudo: the project's company, whoever reads the row
            company = row.team_id.sudo().company_id or \
                row.partner_id._attribution_company()
            row.first_visit_date = fields.Date.to_string(
                company._attribution_office_date(min(stamps))) if stamps else False
            row.last_visit_date = fields.Date.to_string(
                company._attribution_office_date(max(stamps))) if stamps else False

    # ------------------------------------------------------------------ rows

    @api.model
    def _rows_of(self, partner, team, create=True):
        """The row of ``partner`` (``res.partner``, one) in ``team`` (``crm.team``;
        empty: the company-wide row), created empty when missing (else, with
        ``create=False``, an empty recordset). Superuser rows: the rule book writes
        ownership whoever caused it (callers check their rights)."""
        partner.ensure_one()
        # sudo: ownership rows are the rule book's, written for whoever acts
        rows = self.sudo()
        row = rows.search([("partner_id", "=", partner.id),
                           ("team_id", "=", team.id or False)], limit=1)
        if row or not create:
            return row
        return rows.create({"partner_id": partner.id, "team_id": team.id or False})

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

    # ------------------------------------------------------------------ scope switch

    @api.model
    def _regroup(self, company):
        """Regroup the rows of ``company``'s customers (``res.company``; customers
        without company count as the user's company's) after its
        ``attribution_scope`` changed; returns the number of customers regrouped.

        To ``company``: each customer keeps one company-wide row, the one their
        fields showed (``projects.current_row`` without project: the most recently
        visited project's), the other projects' rows are removed. To ``project``:
        the company-wide row becomes one row per project the customer visited
        (same owner, follow-up and class in each; the owner's team, else the
        user's, when no visit names a project). Visit dates are recomputed;
        decisions, visits and conflicts stay as they were."""
        cr = self.env.cr
        main = company == self.env.user.company_id
        customers = ("SELECT id FROM res_partner WHERE company_id = %s"
                     + (" OR company_id IS NULL" if main else ""))
        if company.attribution_scope == terms.SCOPE_COMPANY:
            rows_sql, rows_params = self._current_rows_query(None)
            cr.execute("SELECT cur.id, cur.partner_id FROM (%s) cur "
                       "WHERE cur.partner_id IN (%s)" % (rows_sql, customers),
                       rows_params + [company.id])
            keep = dict(cr.fetchall())
            partner_ids = list(keep.values())
            cr.execute("DELETE FROM attribution_ownership WHERE partner_id = ANY(%s) "
                       "AND id != ALL(%s)", (partner_ids, list(keep)))
            cr.execute("UPDATE attribution_ownership SET team_id = NULL "
                       "WHERE id = ANY(%s)", (list(keep),))
        else:
            cr.execute("""
                INSERT INTO attribution_ownership
                       (partner_id, team_id, owner_id, last_followup_date, intent_class,
                        intent_reported_date, create_uid, create_date, write_uid,
                        write_date)
                SELECT o.partner_id, t.team_id, o.owner_id, o.last_followup_date,
                       o.intent_class, o.intent_reported_date, %s,
                       now() AT TIME ZONE 'UTC', %s, now() AT TIME ZONE 'UTC'
                  FROM attribution_ownership o
                  LEFT JOIN res_users u ON u.id = o.owner_id
                 CROSS JOIN LATERAL (
                       SELECT DISTINCT v.team_id FROM attribution_visit v
                        WHERE v.partner_id = o.partner_id AND v.team_id IS NOT NULL
                       UNION
                       SELECT COALESCE(u.sale_team_id, %s)
                        WHERE NOT EXISTS (
                              SELECT 1 FROM attribution_visit v
                               WHERE v.partner_id = o.partner_id
                                 AND v.team_id IS NOT NULL)) t
                 WHERE o.team_id IS NULL AND t.team_id IS NOT NULL
                   AND o.partner_id IN (""" + customers + """)
                RETURNING partner_id""", (self.env.uid, self.env.uid,
                                          self.env.user.sale_team_id.id or None,
                                          company.id))
            partner_ids = list({row[0] for row in cr.fetchall()})
            cr.execute("DELETE FROM attribution_ownership WHERE team_id IS NULL "
                       "AND partner_id = ANY(%s)", (partner_ids,))
        self.invalidate_cache()
        self.env["res.partner"].invalidate_cache()
        rows = self.search([("partner_id", "in", partner_ids)])
        for name in ("first_visit_date", "last_visit_date"):
            self.env.add_todo(self._fields[name], rows)
        self._todo_owned(self.env["res.partner"].browse(partner_ids))
        self.recompute()
        self.env["res.partner"].invalidate_cache()
        return len(partner_ids)

    def _todo_owned(self, partners):
        """Have ``res.partner.attribution_owned`` of ``partners`` recomputed (their
        rows were written in SQL, which the ORM does not see)."""
        self.env.add_todo(partners._fields["attribution_owned"], partners)

    # ------------------------------------------------------------------ migration

    @api.model
    def _migrate_from_partners(self):
        """Move the ownership held on the customers (11.0.1.0: one owner per customer,
        columns of ``res_partner``) into rows. The customers to move and their values
        are those ``migrations/11.0.1.1.0/pre-migrate.py`` set aside in the table
        ``attribution_ownership_premigrate`` before this version's code ran (read here
        from the columns when that table is missing, e.g. when called directly): every
        customer with an owner, a follow-up, an intent or a visit, and no row before
        the upgrade. Each gets the row of one project holding the owner, follow-up
        date and intent class: the project of the visit of the customer's latest
        decision made on a visit, else the owner's team, else the team of the
        customer's latest visit (no project in scope ``company``); a row of that
        project made during the upgrade (the data files run before post-migrate)
        takes the values held, rows of other projects stay. Visit dates are
        computed from that project's visits. Every decision, visit, conflict and
        split line stays as it was. Returns the number of rows made or updated;
        drops the table set aside."""
        cr = self.env.cr
        cr.execute("SELECT to_regclass('attribution_ownership_premigrate')")
        if not cr.fetchone()[0]:
            if not sql.column_exists(cr, "res_partner", "attribution_owner_id"):
                return 0  # a database made at 11.0.1.1.0 or later: nothing held there
            cr.execute("""
                CREATE TABLE attribution_ownership_premigrate AS
                SELECT p.id AS partner_id, p.attribution_owner_id AS owner_id,
                       p.last_followup_date, p.intent_class, p.intent_reported_date
                  FROM res_partner p
                 WHERE (p.attribution_owner_id IS NOT NULL
                        OR p.last_followup_date IS NOT NULL
                        OR p.intent_class IS NOT NULL
                        OR p.intent_reported_date IS NOT NULL
                        OR EXISTS (SELECT 1 FROM attribution_visit v
                                    WHERE v.partner_id = p.id))
                   AND NOT EXISTS (SELECT 1 FROM attribution_ownership o
                                    WHERE o.partner_id = p.id)""")
        cr.execute("""
            WITH target AS (
                SELECT h.*, CASE WHEN c.attribution_scope = 'company' THEN NULL
                       ELSE COALESCE(
                           (SELECT v.team_id FROM attribution_decision d
                              JOIN attribution_visit v ON v.id = d.visit_id
                             WHERE d.partner_id = h.partner_id AND v.team_id IS NOT NULL
                             ORDER BY d.create_date DESC, d.id DESC LIMIT 1),
                           u.sale_team_id,
                           (SELECT v.team_id FROM attribution_visit v
                             WHERE v.partner_id = h.partner_id AND v.team_id IS NOT NULL
                             ORDER BY v.visit_datetime DESC, v.id DESC LIMIT 1))
                       END AS team_id
                  FROM attribution_ownership_premigrate h
                  JOIN res_partner p ON p.id = h.partner_id
                  LEFT JOIN res_users u ON u.id = h.owner_id
                  JOIN res_company c ON c.id = COALESCE(p.company_id, %(company)s)
            ), updated AS (
                UPDATE attribution_ownership o
                   SET owner_id = t.owner_id, last_followup_date = t.last_followup_date,
                       intent_class = t.intent_class,
                       intent_reported_date = t.intent_reported_date,
                       write_uid = %(uid)s, write_date = now() AT TIME ZONE 'UTC'
                  FROM target t
                 WHERE o.partner_id = t.partner_id
                   AND o.team_id IS NOT DISTINCT FROM t.team_id
             RETURNING o.id
            ), inserted AS (
                INSERT INTO attribution_ownership
                       (partner_id, team_id, owner_id, last_followup_date, intent_class,
                        intent_reported_date, create_uid, create_date, write_uid,
                        write_date)
                SELECT t.partner_id, t.team_id, t.owner_id, t.last_followup_date,
                       t.intent_class, t.intent_reported_date, %(uid)s,
                       now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
                  FROM target t
                 WHERE NOT EXISTS (SELECT 1 FROM attribution_ownership o
                                    WHERE o.partner_id = t.partner_id
                                      AND o.team_id IS NOT DISTINCT FROM t.team_id)
             RETURNING id
            )
            SELECT id FROM updated UNION ALL SELECT id FROM inserted""",
                   {"uid": self.env.uid, "company": self.env.user.company_id.id})
        ids = [row[0] for row in cr.fetchall()]
        cr.execute("DROP TABLE attribution_ownership_premigrate")
        # rows written in SQL: nothing cached of them or of their customers holds
        self.invalidate_cache()
        rows = self.browse(ids)
        # the visit dates are stored computed fields: compute them for these rows
        for name in ("first_visit_date", "last_visit_date"):
            self.env.add_todo(self._fields[name], rows)
        self._todo_owned(rows.mapped("partner_id"))
        self.recompute()
        return len(rows)
