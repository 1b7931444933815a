"""The visit register import in the background (issue 16 point 5): a register over
``attribution.import.batch._background_rows()`` rows becomes a batch, and the batch
replays its chunks through the wizard's own row path.

The batch calls (see ``models/attribution_import_batch.py``) ``_batch_read``,
``_batch_columns``, ``_batch_sort_key`` and ``_batch_import_rows`` on the empty
model, as the manager who started it. A chunk's rows are parsed by
``register_import.parse_row`` and replayed by ``_replay_row`` on a wizard record of
the batch (its project, file name and one ``import_ref`` for every chunk of the
batch: "an owner already in the database before the import" means before the batch).
"""
import base64
import json

from odoo import _, api, models

from ..attribution import register_import as register
from ..attribution import terms
from ..tools import import_staff, sheet_reader

#: the wizard record of a batch holds no file: the rows come from the batch
_NO_FILE = base64.b64encode(b"-")


class AttributionVisitImport(models.TransientModel):
    _inherit = "attribution.visit.import"

    @api.multi
    def action_import(self):
        """A register over the background threshold goes to a batch (the manual
        column mapping with it); a smaller one is imported in the request."""
        self._check_manager()
        self.ensure_one()
        Batch = self.env["attribution.import.batch"]
        rows = sum(1 for _row in self._rows()) - 1  # the header
        if rows <= Batch._background_rows():
            return super().action_import()
        batch = Batch.create({
            "name": self.filename or _("Visit register"), "kind": "visit",
            "file": self.file, "filename": self.filename,
            "team_id": self.team_id.id,
            "mapping": self._batch_mapping_json(),
        })
        self.state = "done"
        return {"type": "ir.actions.act_window", "res_model": batch._name,
                "res_id": batch.id, "view_mode": "form", "target": "current"}

    def _batch_mapping_json(self):
        return json.dumps({c.header: c.column or register.IGNORE
                           for c in self.column_ids}, ensure_ascii=False)

    # ------------------------------------------------------------------ batch hooks

    @api.model
    def _batch_read(self, content, filename):
        """``(header, rows)`` of the file (``tools.sheet_reader.read_rows``)."""
        rows = sheet_reader.read_rows(base64.b64decode(content),
                                      filename or "register.xlsx")
        _number, header = next(rows)
        return list(header), ((number, list(cells)) for number, cells in rows)

    @api.model
    def _batch_columns(self, header, mapping=None):
        """The header and the manual mapping, with the visit time's column; a
        missing required column is the ``BilingualError`` that fails the batch."""
        texts = [None if h is None else str(h) for h in header]
        header_map = register.recognize(texts, mapping or None)
        error = header_map.error()
        if error:
            raise error
        return {"header": texts, "mapping": mapping or {},
                "visit_at": header_map.columns.get("visit_at")}

    @api.model
    def _batch_sort_key(self, columns, cells):
        """Rows are replayed in visit-time order (the register's own order)."""
        index = columns.get("visit_at")
        value = cells[index] if index is not None and index < len(cells) else None
        stamp = register.parse_datetime(value)
        return stamp.isoformat() if stamp else ""

    @api.model
    def _batch_import_rows(self, batch, columns, rows):
        """``[(state, message, visit id)]`` of ``rows`` (``[(row, cells)]``), each
        replayed by ``_replay_row`` (its own savepoint)."""
        header_map = register.recognize(columns["header"],
                                        columns.get("mapping") or None)
        wizard = self.create({
            "file": _NO_FILE, "filename": batch.filename, "team_id": batch.team_id.id,
            "import_ref": "%s#batch%s" % (batch.filename or "register", batch.id),
        })
        tz_name = wizard._company()._attribution_tz()
        now = wizard._office_now(tz_name)
        context = {"staff": wizard._staff(), "tz": tz_name, "seen": set()}
        lang = wizard._lang()
        results = []
        for number, values in rows:
            try:
                row = register.parse_row(number, tuple(values), header_map, now)
            except terms.BilingualError as err:
                results.append(("error", err.message(lang), None))
                continue
            line = wizard._replay_row(row, context)
            results.append((line["state"], line.get("message"), line.get("visit_id")))
        return results

    @api.model
    def _batch_departed_notice(self, batch):
        """The summary of the batch's customers whose project's owner has left
        (``_departed_summary``'s words), ``""`` when none: added to the message
        that tells the manager the batch is done."""
        return self._departed_count_note(import_staff.batch_owner_counts(
            self.env.cr, batch.id, "attribution_visit"))
