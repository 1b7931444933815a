from odoo import fields, models

from ..attribution import register_import as register


def _column_selection():
    return [(c.key, "%s / %s" % (c.zh, c.en)) for c in register.COLUMNS]


class AttributionVisitImportColumn(models.TransientModel):
    """A header of the uploaded register and the register column it feeds (the
    mapping step): recognised headers come filled in; the manager names the column
    of the others, or leaves it empty to skip the header."""

    _name = "attribution.visit.import.column"
    _description = "Visit Register Import Column"
    _order = "sequence, id"

    import_id = fields.Many2one("attribution.visit.import", required=True,
                                ondelete="cascade", index=True)
    sequence = fields.Integer(help="The header's position in the file (0 = first).")
    header = fields.Char(readonly=True, help="The header as the file writes it.")
    column = fields.Selection(
        _column_selection(), string="Imported As",
        help="The register column this header feeds; empty: not imported.")
