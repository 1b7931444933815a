"""The error rows of an import as an ``.xlsx`` to fix and import again.

:func:`error_workbook` writes the sheet's own header with an error column after it,
then each error row's original cells and its message, with xlsxwriter in constant
memory mode (rows are streamed to the file, whatever their number). Cells that look
like formulas are written as text: a fixed sheet must not run what a row held.
"""
import base64
import io

import xlsxwriter


def b64(content):
    """``content`` (bytes) as the base64 text of an Odoo binary field."""
    return base64.b64encode(content).decode("ascii")


def error_workbook(header, rows, error_label):
    """The bytes of an ``.xlsx``: ``header`` (list of cells) + ``error_label``, then
    one line per ``(cells, message)`` of ``rows`` (an iterable): the cells in the
    header's columns, the message in the column after them (cells beyond the header
    after the message)."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": True,
                                     "strings_to_formulas": False,
                                     "strings_to_urls": False})
    sheet = book.add_worksheet()
    bold = book.add_format({"bold": True})
    error_col = len(header)
    for col, cell in enumerate(list(header) + [error_label]):
        sheet.write(0, col, cell, bold)
    for number, (cells, message) in enumerate(rows, 1):
        for col, cell in enumerate(cells):
            if cell is not None:
                # a cell without a header goes after the error column
                sheet.write(number, col if col < error_col else col + 1, cell)
        sheet.write_string(number, error_col, message or "")
    sheet.set_column(0, error_col, 16)
    book.close()
    return out.getvalue()
