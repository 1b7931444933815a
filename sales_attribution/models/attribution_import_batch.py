"""Large sheets imported in the background (issue 16, point 5).

A manager's import of a file over ``background_rows()`` rows becomes an
``attribution.import.batch`` instead of running in the web request (a worker is
killed after its time limit). The scheduler (``ir.cron``
``ir_cron_attribution_import_batch``, every minute) calls :meth:`_cron_process`, which
works in chunks, each in a transaction of its own that commits when the chunk is done:

1. *staging* (the first chunk of a batch): the file is read row by row through the
   kind's import wizard and every row is stored with its original cells
   (``attribution.import.batch.row``) and the key it is replayed in (visit time, deal
   date); a file whose header lacks a required column fails here, nothing imported;
2. *rows*: the next ``CHUNK_ROWS`` waiting rows, in replay order, go through the
   wizard's ``_batch_import_rows`` (each row its own savepoint: a bad row is an error
   row, the rest go on); their states and the batch's counts are written with them;
3. *end*: no row left: the batch is ``done`` and the manager who started it gets a
   message and a to-do activity saying what it became.

Who processes a chunk claims the batch with ``SELECT ... FOR UPDATE SKIP LOCKED``:
two cron workers (or a cron and a manual run) never take the same chunk; the second
takes another batch or nothing. A server killed in the middle loses only its
uncommitted chunk, whose rows are still waiting and run again; the rows' fingerprints
(visits: phone, time, receiver; deals: phone, date, consultant, revenue) make a row
imported twice by two overlapping files a ``duplicate``. Odoo's own scheduler is used
rather than OCA ``queue_job``: one waiting-batch query per minute needs no job
runner process, no extra addon, and the chunk lock gives the same exclusivity.
"""
import json
import logging
import time

from psycopg2.extras import execute_values

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html_escape

from ..attribution.terms import BilingualError
from ..tools import import_errors, row_claims

_logger = logging.getLogger(__name__)

#: batch states: waiting for the scheduler, running (rows staged, chunks going),
#: done, failed (the file could not be read: nothing imported)
BATCH_STATES = [("waiting", "Waiting"), ("running", "Running"), ("done", "Done"),
                ("failed", "Failed")]
#: the wizard that reads and imports each kind of file
KIND_MODELS = {"visit": "attribution.visit.import", "deal": "attribution.deal.import"}
#: rows per chunk (one transaction each)
CHUNK_ROWS = 200
#: rows staged per INSERT while the file is read
STAGE_ROWS = 1000
#: files over this many rows go to a batch (``ir.config_parameter``
#: ``sales_attribution.import_background_rows`` overrides it)
BACKGROUND_ROWS = 2000
BACKGROUND_ROWS_PARAM = "sales_attribution.import_background_rows"
#: seconds a cron run works before it leaves the rest to the next run (Odoo kills
#: a cron worker after ``limit_time_real``, 120 s by default)
CRON_SECONDS = 60


def _jsonable(value):
    """A cell as JSON keeps it: numbers and text as they are, dates as text."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


class AttributionImportBatch(models.Model):
    _name = "attribution.import.batch"
    _description = "Background Import"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    name = fields.Char(required=True, readonly=True)
    kind = fields.Selection([("visit", "Visit Register"), ("deal", "Deal Ledger")],
                            required=True, readonly=True)
    state = fields.Selection(BATCH_STATES, default="waiting", required=True,
                             readonly=True, index=True, track_visibility="onchange")
    file = fields.Binary(attachment=True, readonly=True, copy=False)
    filename = fields.Char(readonly=True)
    team_id = fields.Many2one("crm.team", string="Project", readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Started By", readonly=True,
        default=lambda self: self.env.user,
        help="The manager who started the import: the rows are imported with their "
             "rights and language, and they are told when it ends.")
    header = fields.Text(readonly=True, help="The sheet's header row (JSON).")
    columns = fields.Text(readonly=True, help="Where each column was found (JSON).")
    mapping = fields.Text(readonly=True,
                          help="The manager's column mapping of the file (JSON).")
    row_total = fields.Integer(string="Rows", readonly=True)
    row_done = fields.Integer(string="Rows Done", readonly=True)
    count_ok = fields.Integer(string="Imported", readonly=True)
    count_error = fields.Integer(string="Errors", readonly=True)
    count_duplicate = fields.Integer(string="Already Imported", readonly=True)
    progress = fields.Float(compute="_compute_progress")
    message = fields.Text(readonly=True, help="Why the batch failed.")
    date_start = fields.Datetime(string="Started", readonly=True)
    date_end = fields.Datetime(string="Ended", readonly=True)
    row_ids = fields.One2many("attribution.import.batch.row", "batch_id",
                              string="Rows", readonly=True)
    error_file = fields.Binary(string="Error Rows", attachment=True, readonly=True,
                               copy=False)
    error_filename = fields.Char(readonly=True)

    @api.depends("row_done", "row_total")
    def _compute_progress(self):
        for batch in self:
            batch.progress = (100.0 * batch.row_done / batch.row_total
                              if batch.row_total else 0.0)

    # ------------------------------------------------------------------ helpers

    @api.model
    def _background_rows(self):
        """Rows above which a file is imported in a batch (setting or default)."""
        value = self.env["ir.config_parameter"].sudo().get_param(BACKGROUND_ROWS_PARAM)
        try:
            return max(int(value), 1) if value else BACKGROUND_ROWS
        except ValueError:
            return BACKGROUND_ROWS

    def _check_manager(self):
        if not self.env.user.has_group("sales_attribution.group_manager"):
            raise AccessError(_("Only a sales manager can import sheets."))
        for batch in self.sudo():
            self.env.user._attribution_check_projects(
                batch.team_id, _("the import into %s") % batch.team_id.name)

    def _handler(self):
        """The kind's wizard model, as the user who started the batch, in their
        language."""
        self.ensure_one()
        user = self.user_id or self.create_uid
        return self.env[KIND_MODELS[self.kind]].sudo(user.id).with_context(
            lang=user.lang, tracking_disable=True)

    # ------------------------------------------------------------------ actions

    @api.multi
    def action_download_errors(self):
        """Build the ``.xlsx`` of the error rows (the file's columns plus the error
        message) and download it; managers only."""
        self._check_manager()
        self.ensure_one()
        self.env.cr.execute("""
            SELECT cells, message FROM attribution_import_batch_row
             WHERE batch_id = %s AND state = 'error' ORDER BY row""", (self.id,))
        rows = ((json.loads(cells or "[]"), message)
                for cells, message in self.env.cr.fetchall())
        header = json.loads(self.header or "[]")
        content = import_errors.error_workbook(header, rows, _("Error"))
        name = "%s.errors.xlsx" % (self.filename or self.name).rsplit(".", 1)[0]
        self.sudo().write({"error_file": import_errors.b64(content),
                           "error_filename": name})
        return {
            "type": "ir.actions.act_url", "target": "self",
            "url": "/web/content/%s/%s/error_file/%s?download=true" % (
                self._name, self.id, name),
        }

    @api.multi
    def action_process_now(self):
        """Run this batch's chunks now (as the scheduler would); managers only."""
        self._check_manager()
        for batch in self:
            while batch._claim_self() and batch._process_chunk():
                pass
        return True

    # ------------------------------------------------------------------ processing

    @api.model
    def _cron_process(self, seconds=CRON_SECONDS):
        """Process waiting and running batches chunk by chunk, each chunk in a
        transaction of its own, for at most ``seconds``; called from a cron.
        Returns the number of chunks processed."""
        deadline = time.monotonic() + seconds
        chunks = 0
        while time.monotonic() < deadline:
            batch_id = None
            try:
                # a transaction per chunk, committed when the cursor closes
                with api.Environment.manage(), self.pool.cursor() as cr:
                    env = self.env(cr=cr)
                    batch = env[self._name]._claim()
                    if not batch:
                        break
                    batch_id = batch.id
                    batch._process_chunk()
            except Exception as err:  # pylint: disable=broad-except
                # the chunk rolled back; the batch fails rather than loop on it
                _logger.exception("import batch %s failed", batch_id)
                if batch_id is None:
                    raise
                with api.Environment.manage(), self.pool.cursor() as cr:
                    self.env(cr=cr)[self._name].browse(batch_id)._fail(str(err))
            chunks += 1
        _logger.info("import batches: %s chunk(s) processed", chunks)
        return chunks

    @api.model
    def _claim(self):
        """The oldest batch still to process, locked for this transaction (one
        that another transaction holds is skipped); empty when none."""
        rows = row_claims.claim(self.env.cr, """
            SELECT id FROM attribution_import_batch
             WHERE state IN ('waiting', 'running')
             ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED""")
        return self.browse(rows[0][0] if rows else [])

    def _claim_self(self):
        """Lock this batch for this transaction if it is still to process and no
        other transaction holds it."""
        self.ensure_one()
        return bool(row_claims.claim(self.env.cr, """
            SELECT id FROM attribution_import_batch
             WHERE id = %s AND state IN ('waiting', 'running')
             FOR UPDATE SKIP LOCKED""", (self.id,)))

    def _process_chunk(self):
        """One step of a claimed batch: stage its rows, or import the next chunk,
        or end it. Returns whether there is more to do."""
        self.ensure_one()
        self.invalidate_cache()
        if self.state == "waiting":
            return self._stage()
        self.env.cr.execute("""
            SELECT id, row, cells FROM attribution_import_batch_row
             WHERE batch_id = %s AND state = 'pending'
             ORDER BY sequence, id LIMIT %s""", (self.id, CHUNK_ROWS))
        staged = self.env.cr.fetchall()
        if not staged:
            self._finish()
            return False
        columns = json.loads(self.columns or "{}")
        results = self._handler()._batch_import_rows(
            self, columns, [(row, json.loads(cells)) for _id, row, cells in staged])
        execute_values(self.env.cr, """
            UPDATE attribution_import_batch_row AS r
               SET state = v.state, message = v.message, res_id = v.res_id,
                   write_date = (now() AT TIME ZONE 'UTC')
              FROM (VALUES %s) AS v(id, state, message, res_id) WHERE r.id = v.id""",
                       [(row_id, state, message or None, res_id or None)
                        for (row_id, _row, _cells), (state, message, res_id)
                        in zip(staged, results)],
                       template="(%s::int, %s::varchar, %s::text, %s::int)")
        counts = {"ok": 0, "error": 0, "duplicate": 0}
        for state, _message, _res_id in results:
            counts[state] += 1
        self.write({
            "row_done": self.row_done + len(staged),
            "count_ok": self.count_ok + counts["ok"],
            "count_error": self.count_error + counts["error"],
            "count_duplicate": self.count_duplicate + counts["duplicate"],
        })
        if len(staged) < CHUNK_ROWS:
            self._finish()
            return False
        return True

    def _stage(self):
        """Read the file and store its rows in replay order (one transaction)."""
        handler = self._handler()
        total = 0
        try:
            with self.env.cr.savepoint():
                header, rows = handler._batch_read(self.file, self.filename)
                columns = handler._batch_columns(
                    header, json.loads(self.mapping) if self.mapping else None)
                buffer = []
                for row, cells in rows:
                    cells = [_jsonable(cell) for cell in cells]
                    buffer.append((self.id, row,
                                   handler._batch_sort_key(columns, cells) or "",
                                   json.dumps(cells, ensure_ascii=False), "pending",
                                   self.env.uid, self.env.uid))
                    if len(buffer) >= STAGE_ROWS:
                        total += self._insert_rows(buffer)
                        buffer = []
                total += self._insert_rows(buffer)
        except (BilingualError, UserError) as err:
            # a missing column, a file that is not a sheet or breaks off: no row
            lang = (self.user_id or self.create_uid).lang
            self._fail(err.message(lang) if isinstance(err, BilingualError)
                       else err.name)
            return False
        # replay order: the rows' own time, then the file's order
        self.env.cr.execute("""
            UPDATE attribution_import_batch_row AS r SET sequence = o.n
              FROM (SELECT id, row_number() OVER (ORDER BY sort_key, row) AS n
                      FROM attribution_import_batch_row WHERE batch_id = %s) AS o
             WHERE r.id = o.id""", (self.id,))
        self.write({"state": "running", "row_total": total,
                    "header": json.dumps([_jsonable(c) for c in header],
                                         ensure_ascii=False),
                    "columns": json.dumps(columns),
                    "date_start": fields.Datetime.now()})
        return True

    def _insert_rows(self, values):
        if values:
            template = ("(%s, %s, %s, %s, %s, %s, %s, (now() AT TIME ZONE 'UTC'), "
                        "(now() AT TIME ZONE 'UTC'))")
            execute_values(self.env.cr, """
                INSERT INTO attribution_import_batch_row
                       (batch_id, row, sort_key, cells, state, create_uid, write_uid,
                        create_date, write_date)
                VALUES %s""", values, template=template)
        return len(values)

    def _finish(self):
        """The batch is done: the manager is told what it became."""
        self.ensure_one()
        self.write({"state": "done", "date_end": fields.Datetime.now()})
        user = self.user_id or self.create_uid
        self = self.with_context(lang=user.lang)  # pylint: disable=self-cls-assignment
        summary = _("Import %s done: %s imported, %s errors, %s already imported.") % (
            self.filename or self.name, self.count_ok, self.count_error,
            self.count_duplicate)
        # customers the history leaves with a consultant who has left (issue 16)
        notice = self._handler()._batch_departed_notice(self)
        self._tell(user, "%s %s" % (summary, notice) if notice else summary)

    def _fail(self, message):
        """The file cannot be read: nothing is imported; the manager is told why."""
        self.ensure_one()
        self.write({"state": "failed", "message": message,
                    "date_end": fields.Datetime.now()})
        user = self.user_id or self.create_uid
        self = self.with_context(lang=user.lang)  # pylint: disable=self-cls-assignment
        self._tell(user, _("Import %s failed: %s") % (self.filename or self.name,
                                                      message))

    def _tell(self, user, summary):
        """A message to ``user`` on the batch and a to-do activity for them."""
        summary = summary if isinstance(summary, str) else str(summary)
        self.message_post(body="<p>%s</p>" % html_escape(summary),
                          partner_ids=user.partner_id.ids,
                          subtype="mail.mt_comment")
        self.env["attribution.conflict"]._schedule_activity(
            self, user, summary[:200], "<p>%s</p>" % html_escape(summary))
