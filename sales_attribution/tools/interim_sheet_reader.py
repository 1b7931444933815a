"""Stand-in for the shared streaming reader (``tools.sheet_reader``, issue 16 point 1,
built on another branch): replaced by it when the branches meet.

:func:`read_sheet` returns ``(header, rows)``: the first row's cells and an iterator
of ``(row number, cells)`` over the rest (blank rows skipped), streamed: ``.xlsx``
with openpyxl in read-only mode, ``.xls`` with xlrd, ``.csv`` in UTF-8 (with or
without BOM) else GB18030. An unreadable file raises ``BilingualError``.
"""
import csv
import io

from ..attribution.terms import BilingualError


def _blank(cells):
    return all(cell is None or (isinstance(cell, str) and not cell.strip())
               for cell in cells)


def _numbered(rows):
    for number, cells in enumerate(rows, 1):
        cells = list(cells)
        if not _blank(cells):
            yield number, cells


def _xlsx(content):
    import openpyxl
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    return _numbered(book.worksheets[0].iter_rows(values_only=True))


def _xls(content):
    import xlrd
    book = xlrd.open_workbook(file_contents=content)
    sheet = book.sheet_by_index(0)

    def cell(c):
        if c.ctype == xlrd.XL_CELL_DATE:
            return xlrd.xldate.xldate_as_datetime(c.value, book.datemode)
        return c.value if c.ctype != xlrd.XL_CELL_EMPTY else None
    return _numbered([cell(c) for c in sheet.row(i)] for i in range(sheet.nrows))


def _csv(content):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    return _numbered(csv.reader(io.StringIO(text)))


def read_sheet(content, filename):
    """``(header cells, iterator of (row number, cells))`` of a file's first sheet."""
    name = (filename or "").lower()
    reader = _csv if name.endswith(".csv") else _xls if name.endswith(".xls") else _xlsx
    try:
        rows = reader(content)
        first = next(rows, None)
    except Exception as err:  # pylint: disable=broad-except
        raise BilingualError("无法读取文件 %s:%s" % (filename or "", err),
                             "The file %s cannot be read: %s" % (filename or "", err))
    if first is None:
        raise BilingualError("文件 %s 是空的。" % (filename or ""),
                             "The file %s is empty." % (filename or ""))
    return first[1], rows
