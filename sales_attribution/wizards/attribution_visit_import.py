import base64
import datetime
import uuid

import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, except_orm

from ..attribution import register_import as register
from ..attribution import terms
from ..tools import import_staff
from ..tools.sheet_reader import SheetError, read_rows

#: states of a preview or import line
LINE_STATES = [("ok", "OK"), ("error", "Error"), ("duplicate", "Duplicate")]


class _Rollback(Exception):
    """Raised at the end of a dry run to roll its savepoint back."""


class AttributionVisitImport(models.TransientModel):
    """Import of an office's visit register (来访登记表) for managers (issue 16).

    The manager uploads ``file`` (``.xlsx``, ``.xls``, ``.csv`` in UTF-8 or GB18030;
    read by ``tools/sheet_reader``) for the project ``team_id``. The header's columns
    are recognised by their Chinese or English names (``register_import.COLUMNS``);
    ``column_ids`` lists every header of the file with the column it feeds, for the
    manager to map the others.

    - ``action_preview()``: a dry run. Every row is judged by the rule book through
      the desk's engine (``attribution.visit.create``) inside a savepoint that is
      rolled back at the end: ``line_ids`` shows, row by row, the customer, the
      receiver, the owner and rule the import would give with its explanation, or
      every error of the row in the user's language. Nothing is saved but the lines.
    - ``action_import()``: the same replay, kept. The valid rows are replayed in
      visit-time order (``register_import.in_time_order``), each in its own savepoint
      (a row that fails leaves nothing behind), as history
      (``attribution.visit`` with ``import_fingerprint``: see
      ``models/attribution_visit_history.py``), marked as late entries whose reason
      names the file and row. A row already in the database (same phone, visit
      minute and receiver, imported or registered at the desk) or twice in the file
      is a ``duplicate`` line and adds nothing.

    Sheet times are the office's: the zone (``res.company.attribution_timezone``)
    of the project's company, whoever imports. Receivers and requested consultants
    are matched by login or name among the project's consultants (its rotation's
    members, its members and its leader, the owners and receivers of its customers
    and visits), archived ones included (``tools/import_staff.py``): a consultant
    who has left since is the history's, and a customer the history leaves with
    them stays theirs; the row's line and ``departed_summary`` tell the manager to
    hand them over (离职交接). Two consultants of one name are a row error asking
    for the login. An unknown one is a row error, never a new user. A missing
    required column makes the preview show one error line and the import refuse
    (``UserError``). Both actions are for sales managers only (``AccessError``);
    they return the action that shows the wizard again with its lines.
    """

    _name = "attribution.visit.import"
    _description = "Visit Register Import"

    file = fields.Binary(string="Register File", required=True, attachment=False)
    filename = fields.Char(string="File Name")
    team_id = fields.Many2one(
        "crm.team", string="Sales Team", required=True,
        default=lambda self: self.env["crm.team"]._get_default_team_id(),
        help="The project (案场) whose register this is: receivers are matched among "
             "its consultants and the visits belong to it.")
    state = fields.Selection(
        [("draft", "Upload"), ("preview", "Preview"), ("done", "Imported")],
        default="draft", readonly=True)
    column_ids = fields.One2many(
        "attribution.visit.import.column", "import_id", string="Columns",
        help="The file's headers and the register column each feeds; set the column "
             "of a header the import does not recognise, or leave it empty to skip "
             "it.")
    line_ids = fields.One2many(
        "attribution.visit.import.line", "import_id", string="Rows", readonly=True)
    import_ref = fields.Char(readonly=True, copy=False)
    count_ok = fields.Integer(compute="_compute_counts", string="Rows OK")
    count_error = fields.Integer(compute="_compute_counts", string="Rows with Errors")
    count_duplicate = fields.Integer(compute="_compute_counts", string="Duplicates")
    departed_summary = fields.Text(
        string="Consultants Who Have Left", readonly=True,
        help="The customers the history leaves with consultants who have left the "
             "office: they stay theirs until the manager hands them over (离职交接).")

    @api.depends("line_ids.state")
    def _compute_counts(self):
        for wizard in self:
            states = wizard.line_ids.mapped("state")
            wizard.count_ok = states.count("ok")
            wizard.count_error = states.count("error")
            wizard.count_duplicate = states.count("duplicate")

    # ------------------------------------------------------------------ actions

    @api.multi
    def action_preview(self):
        """Dry run: fill ``line_ids`` with what the import would do (class doc)."""
        self._check_manager()
        self.ensure_one()
        wizard = self._with_user_lang()
        lines = wizard._run(dry_run=True)
        wizard._write_lines(lines)
        wizard.write({"state": "preview",
                      "departed_summary": wizard._departed_summary(lines) or False})
        return wizard._reopen()

    @api.multi
    def action_import(self):
        """Import the register (class docstring); the lines show the result."""
        self._check_manager()
        self.ensure_one()
        wizard = self._with_user_lang()
        if not wizard.import_ref:
            wizard.import_ref = "%s#%s" % (wizard.filename or "register",
                                           uuid.uuid4().hex[:12])
        lines = wizard._run(dry_run=False)
        wizard._write_lines(lines)
        wizard.write({"state": "done",
                      "departed_summary": wizard._departed_summary(lines) or False})
        return wizard._reopen()

    # ------------------------------------------------------------------ internals

    def _check_manager(self):
        if not self.env.user.has_group("sales_attribution.group_manager"):
            raise AccessError(_("Only a sales manager can import the visit register."))
        for wizard in self:
            self.env.user._attribution_check_projects(
                wizard.team_id, _("the import into %s") % wizard.team_id.name)

    def _with_user_lang(self):
        lang = self.env.context.get("lang") or self.env.user.lang
        return self.with_context(lang=lang)

    def _lang(self):
        return self.env.context.get("lang") or self.env.user.lang

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "view_type": "form",
            "target": "new",
            "name": _("Import Visit Register"),
        }

    def _write_lines(self, lines):
        """Replace ``line_ids`` with ``lines`` (dicts of line values)."""
        self.line_ids.unlink()
        Line = self.env["attribution.visit.import.line"]
        for vals in lines:
            Line.create(dict(vals, import_id=self.id))

    def _rows(self):
        """``read_rows`` of the file; a ``SheetError`` becomes a ``UserError``."""
        if not self.file:
            raise UserError(_("Choose the register file to import."))
        data = base64.b64decode(self.file)
        try:
            yield from read_rows(data, self.filename or "register.xlsx")
        except SheetError as err:
            raise UserError(err.message(self._lang()))

    def _header_map(self, header):
        """The ``register_import.HeaderMap`` of ``header``: the column lines of the
        manager when they are this file's headers, else recognised (and the column
        lines written)."""
        texts = [str(h).strip() if h is not None else "" for h in header]
        if self.column_ids.mapped("header") != [t for t in texts if t]:
            self.column_ids.unlink()
            for index, text in enumerate(texts):
                if text:
                    self.env["attribution.visit.import.column"].create({
                        "import_id": self.id, "sequence": index, "header": text,
                        "column": register.column_for(text)
                        if register.column_for(text) in register.COLUMN_KEYS
                        else False})
        mapping = {c.header: c.column or register.IGNORE for c in self.column_ids}
        return register.recognize(header, mapping)

    def _staff(self):
        """``(id, name, login)`` of the consultants the sheet may name: the
        project's, archived ones included (``tools.import_staff.project_staff``)."""
        return [(u.id, u.name, u.login)
                for u in import_staff.project_staff(self.env, self.team_id)]

    def _company(self):
        """The company of the import's project (``crm.team.company_id``; the user's
        when the project has none): its office time zone reads the sheet's times
        and dates the rows, its rules judge them."""
        # sudo: the project's company, whatever the user may read of the team
        return self.team_id.sudo().company_id or self.env.user.company_id

    def _departed_notice(self, owner_ids):
        """The note telling the manager that the consultants ``owner_ids`` (ids)
        have left and keep the customers the history gives them, until the handover
        (离职交接) moves them; ``""`` when none of them has left."""
        departed = self.env["attribution.rotation"]._departed_user_ids(owner_ids)
        if not departed:
            return ""
        # sudo: the names of archived users, which nobody may read by default
        return self._departed_note(self.env["res.users"].sudo().with_context(
            active_test=False).browse(list(departed)).mapped("name"))

    def _departed_note(self, names):
        """The note of :meth:`_departed_notice` for the consultants ``names``."""
        return _("%s has left the office: the customers the history gives them stay "
                 "theirs until the manager hands them over (CRM > Sales Attribution "
                 "> Departed Consultant Handover, 离职交接).") % ", ".join(
                     sorted(names))

    @staticmethod
    def _with_departed_note(message, note):
        """A line's ``message`` followed by the departed ``note`` (if any)."""
        return "%s\n%s" % (message, note) if note and message else \
            (note or message)

    def _departed_summary(self, lines):
        """The wizard's summary of the customers whose last row (in visit time)
        leaves them with a consultant who has left (``lines``: line dicts); ``""``
        when there is none."""
        last = {}
        for line in lines:
            if line.get("state") != "ok" or not line.get("phone"):
                continue
            key = (line.get("visit_datetime") or "", line["row"])
            if line["phone"] not in last or last[line["phone"]][0] < key:
                last[line["phone"]] = (key, line.get("owner_id") or None)
        counts = {}
        for _key, owner in last.values():
            if owner:
                counts[owner] = counts.get(owner, 0) + 1
        return self._departed_count_note(counts)

    @api.model
    def _departed_count_note(self, counts):
        """The departed summary of ``counts`` (``{owner id: customers}``)."""
        departed = self.env["attribution.rotation"]._departed_user_ids(counts)
        if not departed:
            return ""
        # sudo: the names of archived users, which nobody may read by default
        names = self.env["res.users"].sudo().with_context(active_test=False).browse(
            list(departed)).mapped("name")
        return _("%s customers end with a consultant who has left (%s): they stay "
                 "theirs as the history gives them; hand them over with CRM > Sales "
                 "Attribution > Departed Consultant Handover (离职交接).") % (
                     sum(counts[u] for u in departed), ", ".join(sorted(names)))

    def _office_now(self, tz_name):
        """Now on the office's clock (naive), or the test's ``attribution_now``."""
        now = self.env.context.get(terms.CTX_NOW) or fields.Datetime.now()
        return terms.office_datetime(fields.Datetime.from_string(now),
                                     tz_name).replace(tzinfo=None)

    def _parse(self):
        """``(rows, lines)``: the valid ``RegisterRow`` in replay order, and the
        lines of the rows that could not be read. A missing required column is a
        ``BilingualError`` (the header's row number in ``err.row``)."""
        rows_iter = self._rows()
        try:
            header_number, header = next(rows_iter)
        except StopIteration:  # read_rows raises on an empty file; kept for safety
            raise UserError(_("The file is empty."))
        header_map = self._header_map(header)
        error = header_map.error()
        if error:
            error.row = header_number
            raise error
        tz_name = self._company()._attribution_tz()
        now = self._office_now(tz_name)
        rows, lines = [], []
        for number, values in rows_iter:
            try:
                rows.append(register.parse_row(number, values, header_map, now))
            except register.RowError as err:
                lines.append({"row": number, "state": "error",
                              "message": err.message(self._lang()),
                              **self._raw_line_values(values, header_map)})
        return register.in_time_order(rows), lines

    @staticmethod
    def _raw_line_values(values, header_map):
        """What can be shown of a row that could not be read."""
        def cell(key):
            index = header_map.columns.get(key)
            value = values[index] if index is not None and index < len(values) \
                else None
            return "" if value is None else str(value)
        return {"partner_name": cell("partner_name"), "phone": cell("phone")}

    def _parsed(self, dry_run):
        """``(rows, lines)`` of the file (:meth:`_parse`). A file that cannot be read
        raises its ``UserError`` on import and gives ``(None, [its error line])`` in
        a preview (``dry_run``)."""
        try:
            return self._parse()
        except terms.BilingualError as err:
            if not dry_run:
                raise UserError(err.message(self._lang()))
            return None, [{"row": getattr(err, "row", 1), "state": "error",
                           "message": err.message(self._lang())}]

    def _run(self, dry_run):
        """The lines of the whole file, the rows replayed in time order (kept unless
        ``dry_run``: then rolled back)."""
        rows, lines = self._parsed(dry_run)
        if rows is None:
            return lines
        context = {
            "staff": self._staff(),
            "tz": self._company()._attribution_tz(),
            "seen": set(),
        }
        if not dry_run:
            for row in rows:
                lines.append(self._replay_row(row, context))
            return sorted(lines, key=lambda line: line["row"])
        try:
            with self.env.cr.savepoint(), self.env.clear_upon_failure():
                for row in rows:
                    lines.append(self._replay_row(row, context))
                raise _Rollback()
        except _Rollback:
            pass
        for line in lines:
            line.pop("visit_id", None)  # rolled back with the dry run
        return sorted(lines, key=lambda line: line["row"])

    # ------------------------------------------------------------------ one row

    def _match(self, text, staff, what):
        """The user id named ``text`` (``None`` for no text); ``BilingualError``."""
        if not text:
            return None
        try:
            return register.match_user(text, staff)
        except terms.BilingualError as err:
            raise terms.BilingualError("%s:%s" % (what[0], err.message_zh),
                                       "%s: %s" % (what[1], err.message_en))

    def _row_vals(self, row, context):
        """``(visit vals, fingerprint)`` of a parsed row; ``BilingualError`` for an
        unknown consultant or referrer."""
        Visit = self.env["attribution.visit"]
        receiver = self._match(row.receiver, context["staff"], ("接待顾问", "receiver"))
        requested = self._match(row.requested, context["staff"],
                                ("指定顾问", "requested consultant"))
        referrers = []
        if row.referrer_phone:
            referrer = Visit._find_customer_by_phone(row.referrer_phone)
            if not referrer:
                raise terms.BilingualError(
                    "介绍人电话 %s 不是已登记的客户" % row.referrer_phone,
                    "the referrer's phone %s is not a registered customer"
                    % row.referrer_phone)
            referrers = [referrer.id]
        partner = Visit._find_customer_by_phone(row.phone)
        visit_utc = terms.utc_from_office(row.visit_at, context["tz"])
        vals = {
            "phone": row.phone,
            "partner_name": row.partner_name or False,
            "visit_datetime": fields.Datetime.to_string(visit_utc),
            "team_id": self.team_id.id,
            "kind": row.kind,
            "receiver_id": receiver,
            "requested_user_id": requested or False,
            "appointment_user_id": requested if row.kind == "appointment" else False,
            "referrer_partner_ids": [(6, 0, referrers)],
            "brought_in_person": row.brought_in_person,
            "asked_prior_visit": row.asked_prior_visit,
            "customer_recalls_consultant": row.customer_recalls_consultant,
            "note": row.note or False,
            "late_entry_reason": _("Imported from %s, row %s") % (
                self.filename or _("the register"), row.row),
            "import_fingerprint": register.fingerprint(row.phone, row.visit_at,
                                                       receiver),
            "import_ref": self.import_ref or "preview",
            "import_had_owner": self._had_owner(partner),
        }
        return vals, visit_utc

    def _had_owner(self, partner):
        """Whether ``partner`` had an owner before this import run (see
        ``attribution.visit.import_had_owner``)."""
        if not partner:
            return False
        first = self.env["attribution.visit"].sudo().search([
            ("partner_id", "=", partner.id),
            ("import_ref", "=", self.import_ref or "preview")], order="id", limit=1)
        if first:
            return first.import_had_owner
        # sudo: the owner in the import's project, whoever it is
        return bool(partner.sudo()._attribution_row(self.team_id).owner_id)

    def _duplicate_of(self, vals, visit_utc):
        """An existing visit that is this row: the same fingerprint, or the same
        phone, visit minute and receiver (a visit registered at the desk)."""
        Visit = self.env["attribution.visit"].sudo()
        found = Visit.search([("import_fingerprint", "=", vals["import_fingerprint"])],
                             limit=1)
        if found:
            return found
        start = visit_utc.replace(second=0, microsecond=0)
        return Visit.search([
            ("phone", "=", vals["phone"]), ("receiver_id", "=", vals["receiver_id"]),
            ("visit_datetime", ">=", fields.Datetime.to_string(start)),
            ("visit_datetime", "<", fields.Datetime.to_string(
                start + datetime.timedelta(minutes=1)))], limit=1)

    def _replay_row(self, row, context):
        """The line of one parsed row: replayed through the desk's engine in a
        savepoint (nothing of a failed row stays), or its error or duplicate."""
        line = {"row": row.row, "partner_name": row.partner_name or "",
                "phone": row.phone,
                "visit_datetime": fields.Datetime.to_string(
                    terms.utc_from_office(row.visit_at, context["tz"]))}
        lang = self._lang()
        try:
            vals, visit_utc = self._row_vals(row, context)
        except terms.BilingualError as err:
            return dict(line, state="error", message=_("Row %s: %s") % (
                row.row, err.message(lang)))
        line["receiver_id"] = vals["receiver_id"]
        fingerprint = vals["import_fingerprint"]
        if fingerprint in context["seen"]:
            return dict(line, state="duplicate", message=_(
                "Row %s: the same visit (phone, time, receiver) is on an earlier row "
                "of this file.") % row.row)
        duplicate = self._duplicate_of(vals, visit_utc)
        if duplicate:
            return dict(line, state="duplicate", message=_(
                "Row %s: already registered (visit %s): not imported again.") % (
                row.row, duplicate.name))
        context["seen"].add(fingerprint)
        try:
            with self.env.cr.savepoint(), self.env.clear_upon_failure():
                visit = self.env["attribution.visit"].create(vals)
                visit = visit.sudo()
                return dict(line, state="ok", partner_name=visit.partner_id.name,
                            owner_id=visit.owner_id.id or False,
                            rule_code=visit.rule_code or False,
                            visit_id=visit.id, message=self._with_departed_note(
                                visit.explanation or "",
                                self._departed_notice(visit.owner_id.ids)))
        except (except_orm, psycopg2.IntegrityError) as err:
            message = getattr(err, "name", None) or str(err)
            return dict(line, state="error",
                        message=_("Row %s: %s") % (row.row, message))
