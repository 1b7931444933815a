"""Split lines (``attribution.split.line``): a manager's edits and the rules' bulk
writer.

A line written by a person (form, one2many of the lead, XML-RPC) is ``manual`` and
the lead's totals are checked (``crm.lead._attribution_after_split_edit``) once the
edit is written, all or nothing. The rules write through ``_write_split_plan`` (one
statement per kind of change for a whole chunk of deals) with the context key
``terms.CTX_SPLIT_COMPUTE``.
"""
from collections import defaultdict

from psycopg2.extras import execute_values

from odoo import api, fields, models

from ..attribution import terms
from .attribution_visit import rule_code_selection
from .input_guard import check_vals

#: ``role`` values of ``terms.ROLES`` with their labels
SPLIT_ROLES = terms.selection(terms.ROLES, {
    "owner": "Owner",
    "co_owner": "Co-owner",
    "original": "Original Consultant",
    "closer": "Closer",
    "company": "Company",
})
#: a manager's edit of these fields makes the line ``manual``
SHARE_FIELDS = ("user_id", "role", "performance_share", "bonus_share")
#: context key: the lead checks the totals itself once all lines of an edit are
#: written (``crm.lead.write`` of ``split_line_ids``)
SPLIT_DEFER_CTX = "attribution_split_defer_check"
#: the columns the rules write, with their SQL types (constants: safe in SQL text)
RULE_COLUMNS = (("user_id", "int"), ("role", "varchar"),
                ("performance_share", "numeric"), ("bonus_share", "numeric"),
                ("performance_amount", "numeric"), ("bonus_amount", "numeric"),
                ("rule_code", "varchar"), ("explanation", "text"), ("date", "date"),
                ("manual", "boolean"))


def _line_vals(row):
    """A split line read in SQL as the vals the rules write (values as the ORM's)."""
    return {
        "id": row["id"],
        "user_id": row["user_id"] or False,
        "role": row["role"],
        "performance_share": row["performance_share"] or 0.0,
        "bonus_share": row["bonus_share"] or 0.0,
        "performance_amount": row["performance_amount"] or 0.0,
        "bonus_amount": row["bonus_amount"] or 0.0,
        "rule_code": row["rule_code"] or False,
        "explanation": row["explanation"] or False,
        "date": row["date"] or False,
        "manual": bool(row["manual"]),
    }


class AttributionSplitLine(models.Model):
    _name = "attribution.split.line"
    _inherit = ["attribution.share.mixin"]
    _description = "Commission Split Line"
    _order = "lead_id, role, id"

    lead_id = fields.Many2one(
        "crm.lead", string="Opportunity", required=True, ondelete="cascade", index=True)
    user_id = fields.Many2one(
        "res.users", string="Consultant", index=True,
        help="Empty means the company (A7: forfeited).")
    role = fields.Selection(SPLIT_ROLES, required=True, default="owner")
    performance_amount = fields.Monetary(
        currency_field="currency_id", help="Deal revenue × performance share.")
    bonus_amount = fields.Monetary(
        currency_field="currency_id",
        help="Deal revenue × the team's bonus rate × bonus share.")
    rule_code = fields.Selection(
        rule_code_selection(), required=True, default="A1", index=True,
        help="Rule of the rule book that gave this share.")
    explanation = fields.Text()
    manual = fields.Boolean(
        help="Edited by a manager: kept when the split is computed again.")
    currency_id = fields.Many2one(
        "res.currency", related="lead_id.company_currency", store=True, readonly=True)
    # computed, not related: a related field shows the deal's label ("Sales Channel")
    team_id = fields.Many2one(
        "crm.team", string="Project", compute="_compute_team_id", store=True,
        readonly=True, index=True,
        help="The project (案场) of the deal: reports group by it as by consultant.")
    partner_id = fields.Many2one(
        "res.partner", string="Customer", related="lead_id.partner_id", store=True,
        readonly=True)
    unit_count = fields.Integer(
        related="lead_id.unit_count", readonly=True, help="套数: units of the deal.")
    date = fields.Date(
        string="Deal Date",
        help="Date the deal was won; periods of analysis and export.")

    @api.depends("lead_id.team_id")
    def _compute_team_id(self):
        for line in self:
            line.team_id = line.lead_id.team_id

    # A manager's edit (from the lead's one2many or the line itself) marks the line
    # manual; the lead's performance and bonus totals are checked once all lines of the
    # edit are written (crm.lead.write sets SPLIT_DEFER_CTX and checks itself).

    def _is_rules_write(self):
        return bool(self.env.context.get(terms.CTX_SPLIT_COMPUTE))

    def _edit(self, operation, leads):
        """Run ``operation`` and check the leads' totals; all or nothing."""
        if self.env.context.get(SPLIT_DEFER_CTX):
            return operation()
        try:
            with self.env.cr.savepoint():
                res = operation()
                leads.exists()._attribution_after_split_edit()
        except Exception:
            # the savepoint undid the edit; the cache must forget it too
            self.invalidate_cache()
            raise
        return res

    @api.model
    def create(self, vals):
        check_vals(self, vals)
        if self._is_rules_write():
            return super().create(vals)
        vals = dict(vals, manual=True)
        lead = self.env["crm.lead"].browse(vals.get("lead_id"))
        return self._edit(lambda: super(AttributionSplitLine, self).create(vals), lead)

    @api.multi
    def write(self, vals):
        check_vals(self, vals)
        if self._is_rules_write():
            return super().write(vals)
        if set(SHARE_FIELDS) & set(vals):
            vals = dict(vals, manual=True)
        leads = self.mapped("lead_id")
        if vals.get("lead_id"):
            leads |= self.env["crm.lead"].browse(vals["lead_id"])
        return self._edit(lambda: super(AttributionSplitLine, self).write(vals), leads)

    @api.multi
    def unlink(self):
        if self._is_rules_write():
            return super().unlink()
        leads = self.mapped("lead_id")
        return self._edit(lambda: super(AttributionSplitLine, self).unlink(), leads)

    # ------------------------------------------------------------------ the rules' I/O

    @api.model
    def _rows_by_lead(self, lead_ids):
        """``{lead id: [vals]}`` of the lines of ``lead_ids`` in id order, as the vals
        the rules write (``_line_vals``, with ``id``); one query, no access check (the
        split runs as a manager or in sudo)."""
        lines = defaultdict(list)
        self.env.cr.execute("""
            SELECT id, lead_id, user_id, role, performance_share, bonus_share,
                   performance_amount, bonus_amount, rule_code, explanation, date,
                   manual
              FROM attribution_split_line WHERE lead_id = ANY(%s) ORDER BY id""",
                            (list(lead_ids),))
        for row in self.env.cr.dictfetchall():
            lines[row.pop("lead_id")].append(_line_vals(row))
        return lines

    @api.model
    def _write_split_plan(self, inserts, updates, deletes):
        """Write the split lines decided for a chunk of deals, in bulk.

        ``inserts``: vals of new lines, with their stored related fields (the lead's
        ``currency_id``, ``team_id`` and ``partner_id``); ``updates``: all the vals of
        lines whose values changed (with ``id``); ``deletes``: ids of automatic lines
        no rule gives any more. One statement each: the ORM creates one record per
        call and its unlink recomputes the related fields of the deleted lines. Access
        rights and record rules are checked as the ORM would; the cache forgets the
        lines afterwards. The values are the rules' own (shares validated by
        ``splits.validate_shares``, amounts by ``shares.allocate_amounts``), not a
        user's: the input guard of ``create``/``write`` is not run on them. Nothing
        refers to split lines (no xmlids, attachments or
        properties on lines the rules wrote), so a plain DELETE loses nothing.
        The caller makes its leads' ``split_line_ids`` forget the lines.
        """
        cr = self.env.cr
        columns = tuple(name for name, _cast in RULE_COLUMNS)
        casts = tuple(cast for _name, cast in RULE_COLUMNS)

        def values(vals, names):
            return tuple(None if vals[name] is False and name != "manual"
                         else vals[name] for name in names)

        if deletes:
            self.check_access_rights("unlink")
            self.browse(deletes).check_access_rule("unlink")
            cr.execute("DELETE FROM attribution_split_line WHERE id = ANY(%s)",
                       (deletes,))
            self.invalidate_cache(ids=deletes)
        if updates:
            self.check_access_rights("write")
            ids = [vals["id"] for vals in updates]
            self.browse(ids).check_access_rule("write")
            # column names from the constant tuple above, values as parameters
            execute_values(cr, """
                UPDATE attribution_split_line AS l
                   SET {sets}, write_uid = v.write_uid,
                       write_date = (now() AT TIME ZONE 'UTC')
                  FROM (VALUES %s) AS v(id, {names}, write_uid)
                 WHERE l.id = v.id""".format(
                sets=", ".join("{0} = v.{0}".format(name) for name in columns),
                names=", ".join(columns)),
                [(vals["id"],) + values(vals, columns) + (self.env.uid,)
                 for vals in updates],
                template="(%s::int, {}, %s::int)".format(
                    ", ".join("%s::" + cast for cast in casts)),
                page_size=1000)
            self.invalidate_cache(ids=ids)
        if inserts:
            self.check_access_rights("create")
            names = ("lead_id", "currency_id", "team_id", "partner_id") + columns
            # column names from the constant tuples above, values as parameters
            insert_sql = """
                INSERT INTO attribution_split_line
                       ({names}, create_uid, create_date, write_uid, write_date)
                VALUES %s RETURNING id""".format(names=", ".join(names))
            rows = execute_values(
                cr, insert_sql,
                [values(vals, names) + (self.env.uid, self.env.uid)
                 for vals in inserts],
                template="({}, %s, (now() AT TIME ZONE 'UTC'), %s, "
                         "(now() AT TIME ZONE 'UTC'))".format(
                             ", ".join(["%s"] * len(names))),
                page_size=1000, fetch=True)
            self.browse([row[0] for row in rows]).check_access_rule("create")
