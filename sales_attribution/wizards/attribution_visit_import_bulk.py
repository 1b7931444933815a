"""The visit register import's bulk path (issue 16 point 6): the preview, the import in
the request and the background batch's chunks judge the rows in memory and write
them set-based (``tools/register_bulk.py``) instead of one desk registration a row.

- preview: every row judged by the pure rule book over the history held in memory
  (``register_replay``), in a savepoint rolled back at the end; nothing is written
  but the lines, except before a row the bulk path leaves to the desk's engine (a
  fallback: the judged rows before it are written, inside that savepoint);
- import: per chunk of ``register_bulk.CHUNK_ROWS`` rows (a batch: per chunk of the
  batch), the chunk judged, then its customers, phone rows, visits, decisions and
  ownership rows inserted, all in one savepoint: a chunk is saved whole or not at all.
  A chunk whose writing fails in the database (a desk or another import wrote one of
  its phones or rows meanwhile) is replayed row by row through the desk's engine.

No chatter note is posted for the historical decisions (the lines and the batch are
the audit trail; the decisions are in the log), and no owner notice is queued. With
the context key ``terms.CTX_IMPORT_PER_ROW`` the wizard replays every row through the
desk's engine as before (``_replay_row``); the two paths are checked against each
other in ``tests/test_register_bulk.py``.
"""
import psycopg2

from odoo import api, models

from ..attribution import register_import as register
from ..attribution import terms
from ..tools import bulk_mail
from ..tools.register_bulk import CHUNK_ROWS, RegisterBulk
from .attribution_visit_import_batch import _NO_FILE

#: the columns of a line, in every line written in bulk
_LINE_KEYS = ("row", "state", "message", "partner_name", "phone", "visit_datetime",
              "receiver_id", "owner_id", "rule_code", "visit_id")
#: lines per INSERT
_LINE_ROWS = 2000


class _Rollback(Exception):
    """Raised at the end of a bulk preview to roll its savepoint back."""


class AttributionVisitImport(models.TransientModel):
    _inherit = "attribution.visit.import"

    def _per_row(self):
        return bool(self.env.context.get(terms.CTX_IMPORT_PER_ROW))

    def _run(self, dry_run):
        if self._per_row():
            return super()._run(dry_run)
        rows, lines = self._parsed(dry_run)
        if rows is None:
            return lines
        bulk = RegisterBulk(self, self._company()._attribution_tz())
        if dry_run:
            try:
                with self.env.cr.savepoint(), self.env.clear_upon_failure():
                    lines += bulk.run(rows, write=False)
                    raise _Rollback()
            except _Rollback:
                pass
            self.env.clear()
            for line in lines:
                line.pop("visit_id", None)  # rolled back with the dry run
        else:
            for start in range(0, len(rows), CHUNK_ROWS):
                lines += self._bulk_chunk(bulk, rows[start:start + CHUNK_ROWS])
        return sorted(lines, key=lambda line: line["row"])

    def _bulk_chunk(self, bulk, rows):
        """The lines of ``rows`` (``RegisterRow``, replay order) judged and written
        in one savepoint; replayed row by row through the desk's engine when the
        database refuses the chunk's writing."""
        seen = set(bulk.seen)
        try:
            with self.env.cr.savepoint(), self.env.clear_upon_failure():
                bulk.load(rows)
                lines = [bulk.judge_row(row) for row in rows]
                bulk.flush()
            return lines
        except psycopg2.IntegrityError:
            bulk.forget(seen)
            context = {"staff": bulk.staff, "tz": bulk.tz, "seen": bulk.seen}
            return [self._replay_row(row, context) for row in rows]

    def _write_lines(self, lines):
        """Replace ``line_ids`` with ``lines`` (dicts of line values), in bulk."""
        if self._per_row() or len(lines) < 50:
            return super()._write_lines(lines)
        self.line_ids.unlink()
        for start in range(0, len(lines), _LINE_ROWS):
            bulk_mail.insert_rows(self.env, "attribution.visit.import.line", [
                dict({key: line.get(key) or False for key in _LINE_KEYS},
                     import_id=self.id)
                for line in lines[start:start + _LINE_ROWS]], "row")
        self.invalidate_cache()

    # ------------------------------------------------------------------ batch

    @api.model
    def _batch_import_rows(self, batch, columns, rows):
        """``[(state, message, visit id)]`` of ``rows`` (``[(row, cells)]``, one chunk
        of the batch in replay order), judged and written in bulk
        (``_bulk_chunk``)."""
        if self._per_row():
            return super()._batch_import_rows(batch, columns, rows)
        header_map = register.recognize(columns["header"],
                                        columns.get("mapping") or None)
        wizard = self._batch_wizard(batch)
        tz_name = wizard._company()._attribution_tz()
        now = wizard._office_now(tz_name)
        lang = wizard._lang()
        results, parsed = {}, []
        for number, values in rows:
            try:
                parsed.append(register.parse_row(number, tuple(values), header_map,
                                                 now))
            except terms.BilingualError as err:
                results[number] = ("error", err.message(lang), None)
        bulk = RegisterBulk(wizard, tz_name)
        for line in wizard._bulk_chunk(bulk, parsed):
            results[line["row"]] = (line["state"], line.get("message"),
                                    line.get("visit_id"))
        return [results[number] for number, _values in rows]

    @api.model
    def _batch_wizard(self, batch):
        """The wizard record a batch's chunks are replayed on (see
        ``attribution_visit_import_batch``)."""
        return self.create({
            "file": _NO_FILE, "filename": batch.filename, "team_id": batch.team_id.id,
            "import_ref": "%s#batch%s" % (batch.filename or "register", batch.id),
        })
