"""Rows of an office's spreadsheet, one at a time: ``.xlsx``, ``.xls`` and ``.csv``.

No Odoo here: the import wizards (visit register, deal ledger) and the background
batches call :func:`read_rows` and get plain Python values.

``read_rows(source, filename)`` yields ``(row_number, values)`` pairs: first the header
row (the first row with any value), then every later row that has a value, one at a
time. ``row_number`` is the row as the office's spreadsheet program numbers it (1 =
first line of the sheet or file), so an error message can point at it; blank rows are
skipped but keep their numbers counted. ``values`` is a tuple as wide as the row's last
value (callers pad or cut to the header), each value one of:

- ``None`` for an empty cell (also a text cell holding only blanks);
- ``str`` stripped of surrounding blanks (the CSV's text and the sheets' text cells);
- ``int`` or ``float`` (numbers of a sheet; CSV gives text only);
- ``datetime.datetime``, naive: a date or date-time cell, as typed in the office
  (office-local time; a date alone is at 00:00); the caller converts it to UTC;
- ``datetime.time`` for a time-only cell; ``bool`` for a TRUE/FALSE cell.

``source``: a path (``str``), the file's ``bytes`` or a binary file object that can
seek. ``filename`` chooses the format by its extension (``.xlsx``/``.xlsm``, ``.xls``,
``.csv``/``.txt``); the file's first bytes win over a wrong extension (a zip is read as
``.xlsx``, an OLE2 compound file as ``.xls``), so an ``.xlsx`` saved as ``.xls`` reads.
Only the first (active) sheet of a workbook is read.

Memory: ``.xlsx`` is read with openpyxl in ``read_only`` mode (the sheet's XML is
parsed as it is iterated) and a CSV line by line, so a 50 000-row file never sits in
memory as rows. ``.xls`` (BIFF, at most 65 536 rows by the format) is read by xlrd
1.2, which loads one sheet at a time.

CSV: UTF-8 (with or without the byte-order mark Excel writes) or GB18030 (what Excel
on a Chinese Windows saves as "CSV"; a superset of GBK and GB2312). The encoding is
decided before the first row is given: the file is decoded as UTF-8 in chunks to its
end, and falls back to GB18030 at the first invalid byte. The delimiter is a comma,
else a semicolon or a tab when the header line has one of those and no comma.

Errors: :class:`SheetError` (a ``terms.BilingualError``: ``message("zh_CN")`` and
English ``str()``) for an unknown extension, a file that is not the spreadsheet it
claims to be (damaged, encrypted, another format), a CSV in neither encoding, and a
file without any value.

>>> rows = read_rows("来访时间,客户姓名,电话\\n2026-03-01 10:00,王先生,13800138000\\n"
...                  .encode("gb18030"), "register.csv")
>>> next(rows)
(1, ('来访时间', '客户姓名', '电话'))
>>> next(rows)
(2, ('2026-03-01 10:00', '王先生', '13800138000'))
>>> try:
...     list(read_rows(b"", "register.csv"))
... except SheetError as err:
...     print(err.message("zh_CN"))
文件 register.csv 是空的,没有表头。
"""
import codecs
import csv
import datetime
import io
import os
import struct
import zipfile

from ..attribution.terms import BilingualError

#: extensions of each reader
XLSX, XLS, CSV = "xlsx", "xls", "csv"
EXTENSIONS = {".xlsx": XLSX, ".xlsm": XLSX, ".xls": XLS, ".csv": CSV, ".txt": CSV}
#: the first bytes of a zip (xlsx) and of an OLE2 compound file (xls, encrypted xlsx)
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: CSV encodings, tried in this order
CSV_ENCODINGS = ("utf-8-sig", "gb18030")
_CHUNK = 1 << 16


class SheetError(BilingualError):
    """A file that cannot be read as a sheet; ``filename`` is the file's name."""

    def __init__(self, message_zh, message_en, filename=None):
        super(SheetError, self).__init__(message_zh, message_en)
        self.filename = filename


def _unreadable(filename, kind, detail):
    return SheetError(
        "无法读取文件 %s:不是有效的%s文件(可能已损坏、加密或为其他格式):%s。"
        % (filename, kind, detail),
        "Cannot read %s: not a valid %s file (damaged, encrypted or another "
        "format): %s." % (filename, kind, detail), filename)


def _open_binary(source):
    """A seekable binary file object of ``source`` and whether we opened it."""
    if isinstance(source, (bytes, bytearray)):
        return io.BytesIO(source), True
    if isinstance(source, str):
        return open(source, "rb"), True
    return source, False


def _kind(filename, stream):
    """The reader for ``filename``: its extension, corrected by the file's magic."""
    ext = os.path.splitext(filename or "")[1].lower()
    kind = EXTENSIONS.get(ext)
    if kind is None:
        raise SheetError(
            "不支持的文件类型 %s:请上传 .xlsx、.xls 或 .csv 文件。" % (filename or ""),
            "Unsupported file type %s: upload an .xlsx, .xls or .csv file."
            % (filename or ""), filename)
    head = stream.read(8)
    stream.seek(0)
    if head.startswith(_ZIP_MAGIC):
        return XLSX
    if head == _OLE_MAGIC and kind != CSV:
        return XLS
    return kind


def _clean(value):
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, datetime.date):
        return datetime.datetime(value.year, value.month, value.day)
    return value


def _trimmed(values):
    """The row's values cleaned, trailing empties cut; ``None`` for a blank row."""
    cleaned = [_clean(v) for v in values]
    while cleaned and cleaned[-1] is None:
        cleaned.pop()
    return tuple(cleaned) if cleaned else None


def _numbered(rows):
    """``(number, values)`` of the non-blank rows of ``rows`` (numbered from 1)."""
    for number, values in enumerate(rows, 1):
        values = _trimmed(values)
        if values is not None:
            yield number, values


# ------------------------------------------------------------------ xlsx

def _xlsx_rows(stream, filename):
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException
    try:
        book = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError,
            ValueError) as err:
        raise _unreadable(filename, "Excel (.xlsx)", err)
    try:
        sheet = book.active or book.worksheets[0]
        # the <dimension> tag some programs write is wrong: read to the real end
        sheet.reset_dimensions()
        yield from _numbered(sheet.iter_rows(min_row=1, values_only=True))
    finally:
        book.close()


# ------------------------------------------------------------------ xls

def _xls_value(cell, datemode):
    import xlrd
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            value = xlrd.xldate_as_datetime(cell.value, datemode)
        except (ValueError, OverflowError, xlrd.XLDateError):
            return cell.value
        if cell.value < 1:  # a time of day alone
            return value.time()
        return value
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None
    if cell.ctype == xlrd.XL_CELL_NUMBER and float(cell.value).is_integer():
        return int(cell.value)
    return cell.value


def _xls_rows(stream, filename):
    import xlrd
    import xlrd.compdoc
    try:
        book = xlrd.open_workbook(file_contents=stream.read(), on_demand=True)
        sheet = book.sheet_by_index(0)
    except (xlrd.XLRDError, xlrd.compdoc.CompDocError, AssertionError, IndexError,
            ValueError, struct.error) as err:
        raise _unreadable(filename, "Excel 97-2003 (.xls)", err)
    try:
        rows = ([_xls_value(c, book.datemode) for c in sheet.row(i)]
                for i in range(sheet.nrows))
        yield from _numbered(rows)
    finally:
        book.release_resources()


# ------------------------------------------------------------------ csv

def _csv_encoding(stream, filename):
    """The first of ``CSV_ENCODINGS`` that decodes the whole stream (read in chunks)."""
    for encoding in CSV_ENCODINGS:
        decoder = codecs.getincrementaldecoder(encoding)()
        stream.seek(0)
        try:
            while True:
                chunk = stream.read(_CHUNK)
                decoder.decode(chunk, final=not chunk)
                if not chunk:
                    break
        except UnicodeDecodeError:
            continue
        stream.seek(0)
        return encoding
    raise SheetError(
        "无法读取文件 %s:CSV 文件的编码既不是 UTF-8 也不是 GB18030/GBK,请在 Excel 中"
        "另存为“CSV UTF-8”后重新上传。" % filename,
        "Cannot read %s: the CSV file is neither UTF-8 nor GB18030/GBK encoded; save "
        "it from Excel as \"CSV UTF-8\" and upload it again." % filename, filename)


def _csv_rows(stream, filename):
    encoding = _csv_encoding(stream, filename)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    try:
        first = text.readline()
        delimiter = ","
        if "," not in first:
            delimiter = next((d for d in (";", "\t") if d in first), ",")
        text.seek(0)
        try:
            yield from _numbered(csv.reader(text, delimiter=delimiter))
        except csv.Error as err:
            raise _unreadable(filename, "CSV", err)
    finally:
        text.detach()


# ------------------------------------------------------------------ entry point

_READERS = {XLSX: _xlsx_rows, XLS: _xls_rows, CSV: _csv_rows}


def read_rows(source, filename):
    """``(row_number, values)`` of the header row, then of every non-blank row.

    See the module docstring for the shapes, the formats and the errors
    (``SheetError``, raised when the first row is asked for, or later for a file damaged
    past its start). The file is closed when the iteration ends (or the generator is
    closed) where this function opened it.
    """
    stream, opened = _open_binary(source)
    try:
        kind = _kind(filename, stream)
        found = False
        for number, values in _READERS[kind](stream, filename):
            found = True
            yield number, values
        if not found:
            raise SheetError("文件 %s 是空的,没有表头。" % filename,
                             "The file %s is empty: it has no header row." % filename,
                             filename)
    finally:
        if opened:
            stream.close()
