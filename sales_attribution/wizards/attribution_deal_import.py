"""Deal ledger import (成交台账导入, issue 16 point 4): managers bring an office's won
deals into the CRM through the rule book.

``action_preview()`` reads the whole sheet and fills ``line_ids`` with what each row
would become (the import run in a savepoint that is rolled back: the owner and the
split rule the rule book would decide, or the row's errors), nothing saved.
``action_import()`` imports in the request, or, over
``attribution.import.batch._background_rows()`` rows, starts a background batch.

Each row (:meth:`_import_row`, its own savepoint: a bad row is an error, the rest go
on) is read by ``attribution.ledger.parse_row``; its project (the row's 项目, else the
wizard's) and consultant (name or login among the project's consultants, archived
ones included: ``tools/import_staff.py``) are looked up;
the customer is found by any of their numbers or created (a company when the name is
a company's, A9); the owner is decided by ``ledger.deal_owner``; a won opportunity of
the project is created, dated on the deal's office day, and its split lines are
computed by the rule book on the won path (``crm.lead._attribution_on_won``: A1, A9,
A15, B1...). A row whose fingerprint (``ledger.fingerprint``) is already a deal is a
``duplicate``: a re-import adds nothing.
"""
import base64
import datetime

import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..attribution import ledger
from ..attribution.terms import CTX_NO_AVATAR, BilingualError, utc_from_office
from ..tools import import_staff, sheet_reader

#: the time of day (office time) a ledger deal is dated at: its office day, whatever
#: the zone
DEAL_TIME = datetime.time(12, 0)


class _DryRun(Exception):
    """Rolls the preview's savepoint back."""


class AttributionDealImport(models.TransientModel):
    _name = "attribution.deal.import"
    _description = "Deal Ledger Import"

    file = fields.Binary(string="Ledger File", required=True,
                         help="成交台账: .xlsx, .xls or .csv (UTF-8 or GB18030), one won "
                              "deal per row under a header row (Chinese or English).")
    filename = fields.Char()
    team_id = fields.Many2one(
        "crm.team", string="Project",
        help="The project (sales team) of rows whose 项目/project column is empty.")
    state = fields.Selection([("draft", "Draft"), ("preview", "Preview"),
                              ("done", "Done")], default="draft", readonly=True)
    line_ids = fields.One2many("attribution.deal.import.line", "wizard_id",
                               string="Rows", readonly=True)
    count_ok = fields.Integer(readonly=True)
    count_error = fields.Integer(readonly=True)
    count_duplicate = fields.Integer(readonly=True)
    row_total = fields.Integer(string="Rows", readonly=True)
    batch_id = fields.Many2one("attribution.import.batch", readonly=True,
                               string="Background Import")
    departed_summary = fields.Text(
        string="Consultants Who Have Left", readonly=True,
        help="The customers the ledger leaves with consultants who have left the "
             "office: they stay theirs until the manager hands them over (离职交接).")

    # ------------------------------------------------------------------ actions

    def _check_manager(self):
        if not self.env.user.has_group("sales_attribution.group_manager"):
            raise AccessError(_("Only a sales manager can import sheets."))
        for wizard in self:
            self.env.user._attribution_check_projects(
                wizard.team_id, _("the import into %s") % wizard.team_id.name)

    @api.multi
    def action_preview(self):
        """Fill ``line_ids`` with what every row would become; nothing is saved."""
        self._check_manager()
        self.ensure_one()
        header, rows = self._batch_read(self.file, self.filename)
        columns = self._columns_or_error(header)
        rows = self._in_replay_order(columns, self._all_rows(rows))
        results = []
        try:
            with self.env.cr.savepoint():
                results = self._import_rows(columns, rows)
                raise _DryRun()
        except _DryRun:
            pass
        # the savepoint is gone: so must be what the ORM remembers of it
        self.env.clear()
        self._write_lines(results, keep_records=False)
        self.state = "preview"
        return self._reopen()

    @api.multi
    def action_import(self):
        """Import the rows (in the request, or in a background batch when the file
        is large) and show what each became."""
        self._check_manager()
        self.ensure_one()
        header, rows = self._batch_read(self.file, self.filename)
        columns = self._columns_or_error(header)
        rows = self._all_rows(rows)
        if len(rows) > self.env["attribution.import.batch"]._background_rows():
            batch = self.env["attribution.import.batch"].create({
                "name": self.filename or _("Deal ledger"), "kind": "deal",
                "file": self.file, "filename": self.filename,
                "team_id": self.team_id.id,
            })
            self.write({"batch_id": batch.id, "state": "done",
                        "row_total": len(rows)})
            return {"type": "ir.actions.act_window", "res_model": batch._name,
                    "res_id": batch.id, "view_mode": "form", "target": "current"}
        results = self._import_rows(columns, self._in_replay_order(columns, rows))
        self._write_lines(results, keep_records=True)
        self.state = "done"
        return self._reopen()

    def _reopen(self):
        return {"type": "ir.actions.act_window", "res_model": self._name,
                "res_id": self.id, "view_mode": "form", "target": "new"}

    def _write_lines(self, results, keep_records):
        self.line_ids.unlink()
        counts = {"ok": 0, "error": 0, "duplicate": 0}
        lines = []
        for result in results:
            counts[result["state"]] += 1
            vals = dict(result)
            if not keep_records:
                vals.pop("lead_id", None)
            lines.append((0, 0, vals))
        owners = {}
        for result in results:
            if result["state"] == "ok" and result.get("owner_id"):
                owners.setdefault(result["owner_id"], set()).add(result.get("phone"))
        summary = self.env["attribution.visit.import"]._departed_count_note(
            {owner: len(phones) for owner, phones in owners.items()})
        self.write({"line_ids": lines, "row_total": len(results),
                    "count_ok": counts["ok"], "count_error": counts["error"],
                    "count_duplicate": counts["duplicate"],
                    "departed_summary": summary or False})

    # ------------------------------------------------------------------ reading

    @api.model
    def _batch_read(self, content, filename):
        """``(header, rows)`` of the file (base64 ``content``): the header cells and
        an iterator of ``(row number, cells)`` (``tools.sheet_reader.read_rows``,
        streamed: a ``SheetError`` may still come while the rows are read)."""
        if not content:
            raise UserError(_("Choose the ledger file to import."))
        rows = sheet_reader.read_rows(base64.b64decode(content), filename)
        try:
            _number, header = next(rows)
        except BilingualError as err:
            raise UserError(err.message(self._lang()))
        return list(header), ((number, list(cells)) for number, cells in rows)

    def _all_rows(self, rows):
        """The rows of :meth:`_batch_read` as a list; a file that breaks off is a
        ``UserError`` in the user's language."""
        try:
            return list(rows)
        except BilingualError as err:
            raise UserError(err.message(self._lang()))

    @api.model
    def _lang(self):
        return self.env.context.get("lang") or self.env.user.lang or "en_US"

    @api.model
    def _batch_columns(self, header, mapping=None):
        """The ledger's columns of ``header`` (``ledger.map_headers``; the ledger
        has no manual ``mapping``)."""
        return ledger.map_headers(header)

    @api.model
    def _columns_or_error(self, header):
        try:
            return self._batch_columns(header)
        except BilingualError as err:
            raise UserError(err.message(self._lang()))

    @api.model
    def _batch_sort_key(self, columns, cells):
        """Deals are replayed in deal-date order (B8 reads which deal came first)."""
        index = columns.get("deal_date")
        day = ledger.read_date(cells[index]) if index is not None and \
            index < len(cells) else None
        return day.isoformat() if day else ""

    def _in_replay_order(self, columns, rows):
        return sorted(rows, key=lambda item: (
            self._batch_sort_key(columns, item[1]), item[0]))

    # ------------------------------------------------------------------ importing

    @api.model
    def _batch_import_rows(self, batch, columns, rows):
        """``[(state, message, lead id)]`` of ``rows`` (``[(row, cells)]``) imported
        for ``batch`` (``attribution.import.batch``)."""
        team = batch.team_id if batch else self.env["crm.team"]
        wizard = self.with_context(
            attribution_import_team_id=team.id,
            attribution_import_file=batch.filename if batch else "")
        return [(r["state"], r["message"], r.get("lead_id"))
                for r in wizard._import_rows(columns, rows)]

    @api.model
    def _batch_departed_notice(self, batch):
        """The summary of the batch's buyers whose owner in the deal's project has
        left, ``""`` when none (added to the message that the batch is done)."""
        return self.env["attribution.visit.import"]._departed_count_note(
            import_staff.batch_owner_counts(self.env.cr, batch.id, "crm_lead"))

    def _import_rows(self, columns, rows):
        """The result dicts (import line values) of ``rows`` imported in order."""
        today = self._today()
        cache = {"teams": {}, "members": {}, "stage": {}}
        fingerprints = set()
        return [self._import_row(columns, row, cells, today, cache, fingerprints)
                for row, cells in rows]

    def _today(self):
        """The latest office date of the companies (a row is checked again against
        its project's company's date once its project is known: ``_project_today``)."""
        now = fields.Datetime.from_string(fields.Datetime.now())
        # sudo: every company's zone, the user's or not (only dates come out)
        return max(company._attribution_office_date(now) for company in
                   self.env["res.company"].sudo().search([]))

    @api.model
    def _project_today(self, team):
        """The office date now in the zone of the company of the project ``team``."""
        # sudo: the project's company, whatever the user may read of the team
        company = team.sudo().company_id or self.env.user.company_id
        return company._attribution_office_date(
            fields.Datetime.from_string(fields.Datetime.now()))

    def _default_team(self):
        team_id = self.env.context.get("attribution_import_team_id")
        if team_id:
            return self.env["crm.team"].browse(team_id)
        return self.team_id if self else self.env["crm.team"]

    def _import_row(self, columns, row, cells, today, cache, fingerprints):
        """The result of one row (a dict of import line values); the row is saved
        whole or not at all."""
        result = {"row": row, "state": "error", "message": False}
        try:
            deal = ledger.parse_row(cells, columns, today, row=row)
        except BilingualError as err:
            result["message"] = err.message(self._lang())
            return result
        result.update({"partner_name": deal.buyer, "phone": deal.phone,
                       "deal_date": fields.Date.to_string(deal.deal_date),
                       "unit_count": deal.units, "revenue": float(deal.revenue)})
        try:
            team = self._row_team(deal, cache)
            result["team_id"] = team.id
            if deal.deal_date > self._project_today(team):
                raise BilingualError(
                    "成交日期晚于今天:%s" % deal.deal_date.isoformat(),
                    "the deal date is after today: %s" % deal.deal_date.isoformat())
            consultant = self._row_consultant(deal, team, cache)
            result["consultant_id"] = consultant.id
            stage = self._won_stage(team, cache)
        except UserError as err:
            result["message"] = err.name
            return result
        except BilingualError as err:
            result["message"] = err.message(self._lang())
            return result
        key = ledger.fingerprint(deal.phone, deal.deal_date, consultant.id,
                                 deal.revenue)
        Lead = self.env["crm.lead"].sudo().with_context(active_test=False)
        existing = Lead.search([("attribution_import_fingerprint", "=", key)], limit=1)
        if existing or key in fingerprints:
            result.update(state="duplicate", lead_id=existing.id or False,
                          message=_("This deal is already imported."))
            return result
        try:
            with self.env.cr.savepoint():
                lead = self._create_deal(deal, team, consultant, stage, key)
        except psycopg2.IntegrityError:
            # imported meanwhile by another import of the same row
            result.update(state="duplicate",
                          message=_("This deal is already imported."))
            return result
        except BilingualError as err:
            result["message"] = err.message(self._lang())
            return result
        except (UserError, ValidationError, AccessError) as err:
            result["message"] = err.name
            return result
        fingerprints.add(key)
        lead = lead.sudo()
        result.update(state="ok", lead_id=lead.id, owner_id=lead.user_id.id,
                      rule_code=lead.attribution_split_rule_code or False,
                      message=self.env["attribution.visit.import"]._departed_notice(
                          lead.user_id.ids) or False)
        return result

    def _row_team(self, deal, cache):
        """The row's project: its 项目 column by name, else the wizard's."""
        name = deal.project
        if not name:
            team = self._default_team()
            if not team:
                raise UserError(_("The row names no project and the import has no "
                                  "default project."))
            return team
        if name not in cache["teams"]:
            cache["teams"][name] = self.env["crm.team"].search(
                [("name", "=ilike", name)])
        teams = cache["teams"][name]
        if len(teams) != 1:
            raise UserError(_("Project %s is unknown.") % name if not teams else
                            _("Several projects are named %s.") % name)
        return teams

    def _row_consultant(self, deal, team, cache):
        """The consultant the row names (name or login) among the project's
        consultants, archived ones included (``tools.import_staff``: a ledger's
        history names consultants who have left); an unknown one is an error, never
        a new user; two of one name an error asking for the login."""
        if team.id not in cache["members"]:
            members = import_staff.project_staff(self.env, team)
            by_key = {}
            for user in members:
                for key in {" ".join(user.name.split()).casefold(),
                            user.login.casefold()}:
                    by_key.setdefault(key, self.env["res.users"])
                    by_key[key] |= user
            cache["members"][team.id] = by_key
        found = cache["members"][team.id].get(deal.consultant.casefold())
        if not found:
            raise UserError(_("Consultant %s is not a member of project %s.") % (
                deal.consultant, team.name))
        if len(found) > 1:
            raise UserError(_("Several consultants of project %s are named %s: use "
                              "their login.") % (team.name, deal.consultant))
        return found

    def _won_stage(self, team, cache):
        if team.id not in cache["stage"]:
            cache["stage"][team.id] = self.env["crm.lead"]._stage_find(
                team_id=team.id,
                domain=[("probability", "=", 100.0), ("on_change", "=", True)])
        stage = cache["stage"][team.id]
        if not stage:
            raise UserError(_("No won stage (probability 100%%) for project %s.")
                            % team.name)
        return stage

    def _find_or_create_buyer(self, deal):
        """The customer holding the row's phone, else a new one (a company when the
        name is a company's)."""
        holder = self.env["attribution.partner.phone"]._holder(deal.phone)
        if holder:
            return holder.partner_id.sudo()
        # two imports of one new number: the second waits and finds the first's
        self.env["attribution.phone.claim"]._claim(deal.phone)
        holder = self.env["attribution.partner.phone"]._holder(deal.phone)
        if holder:
            return holder.partner_id.sudo()
        # sudo: the customer belongs to whoever the rule book names, like at the desk
        return self.env["res.partner"].sudo().with_context(
            tracking_disable=True, **{CTX_NO_AVATAR: True}).create({
                "name": deal.buyer, "mobile": deal.phone, "customer": True,
                "is_company": deal.is_company})

    def _create_deal(self, deal, team, consultant, stage, key):
        """The won opportunity of a ledger row; its split lines follow on the won
        path."""
        partner = self._find_or_create_buyer(deal)
        # sudo: the owner in the deal's project, whoever it is
        current = partner.sudo()._attribution_row(team).owner_id
        owner = ledger.deal_owner(current.id or None, consultant.id,
                                  {u.id: u.name for u in current | consultant},
                                  deal.deal_date)
        owner_user = self.env["res.users"].browse(owner.owner_id)
        company = team.company_id or self.env.user.company_id
        won = utc_from_office(datetime.datetime.combine(deal.deal_date, DEAL_TIME),
                              company._attribution_tz())
        source = self.env.context.get("attribution_import_file") or \
            (self.filename if self else "")
        lead = self.env["crm.lead"].with_context(
            tracking_disable=True, mail_create_nolog=True).create({
                "name": _("%s (ledger %s)") % (deal.buyer, deal.deal_date.isoformat()),
                "type": "opportunity",
                "partner_id": partner.id,
                "team_id": team.id,
                "user_id": owner_user.id,
                "closer_id": consultant.id if consultant != owner_user else False,
                "planned_revenue": float(deal.revenue),
                "unit_count": deal.units,
                "stage_id": stage.id,
                "probability": 100,
                "date_closed": fields.Datetime.to_string(won),
                "attribution_import_fingerprint": key,
                "description": _("Imported from the deal ledger %s, row %s.") % (
                    source, deal.row),
            })
        if owner.is_new:
            self.env["attribution.decision"]._log(
                partner, owner_user, owner.rule_code, owner.explanation_zh,
                owner.explanation_en, lead=lead)
        return lead
