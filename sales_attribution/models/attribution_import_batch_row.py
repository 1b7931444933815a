from odoo import fields, models

#: states of a staged row: waiting, then what the import made of it
ROW_STATES = [("pending", "Waiting"), ("ok", "Imported"), ("error", "Error"),
              ("duplicate", "Already Imported")]


class AttributionImportBatchRow(models.Model):
    """One row of a file imported in the background (``attribution.import.batch``),
    staged with its original cells so that the batch can be processed in chunks,
    resumed after a restart and its error rows given back in the file's own columns.

    Written by the batch only (in bulk SQL when staged); read by managers.
    """

    _name = "attribution.import.batch.row"
    _description = "Imported Row"
    _order = "batch_id, sequence, id"

    batch_id = fields.Many2one("attribution.import.batch", required=True,
                               ondelete="cascade", index=True)
    sequence = fields.Integer(
        readonly=True, help="Processing order: the rows are replayed in the order of "
                            "their own time (visit time, deal date), then of the file.")
    row = fields.Integer(string="Row", readonly=True,
                         help="Row number in the sheet (the header is row 1).")
    sort_key = fields.Char(readonly=True)
    cells = fields.Text(readonly=True, help="The row's cells as read (JSON list).")
    state = fields.Selection(ROW_STATES, default="pending", readonly=True, index=True)
    message = fields.Text(readonly=True)
    res_id = fields.Integer(string="Record", readonly=True,
                            help="Id of the visit or deal the row became.")
