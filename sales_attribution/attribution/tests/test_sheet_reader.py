"""The streaming sheet reader (``tools/sheet_reader.py``): .xlsx, .xls and .csv in UTF-8
or GB18030 give the same rows; unreadable files give a bilingual ``SheetError``.

The reader lives in the addon's ``tools`` package beside Odoo helpers; it imports
nothing from Odoo, so it is loaded here under a stand-in parent package (the addon's
``__init__`` would import Odoo).
"""
import datetime
import doctest
import importlib
import io
import os
import sys
import types
import unittest

import openpyxl
import xlwt

_ADDON = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _load_reader():
    if "sa_addon" not in sys.modules:
        package = types.ModuleType("sa_addon")
        package.__path__ = [_ADDON]
        sys.modules["sa_addon"] = package
    return importlib.import_module("sa_addon.tools.sheet_reader")


sheet_reader = _load_reader()
SheetError = sheet_reader.SheetError

HEADER = ("来访时间", "客户姓名", "电话", "接待顾问")
ROWS = [
    (datetime.datetime(2026, 3, 1, 10, 30), "王先生", "13800138000", "张伟"),
    (datetime.datetime(2026, 3, 2, 14, 0), "李女士", "13900139000", "刘娜"),
]


def xlsx_bytes(rows, blank_row_at=None):
    book = openpyxl.Workbook()
    sheet = book.active
    for index, row in enumerate(rows):
        if index == blank_row_at:
            sheet.append([])
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xls_bytes(rows):
    book = xlwt.Workbook()
    sheet = book.add_sheet("来访登记")
    style = xlwt.easyxf(num_format_str="yyyy-mm-dd hh:mm")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, datetime.datetime):
                sheet.write(r, c, value, style)
            else:
                sheet.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows, encoding, delimiter=","):
    lines = []
    for row in rows:
        lines.append(delimiter.join(
            v.strftime("%Y-%m-%d %H:%M") if isinstance(v, datetime.datetime) else str(v)
            for v in row))
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


class TestFormats(unittest.TestCase):

    def test_xlsx_header_then_rows_with_datetimes(self):
        rows = list(sheet_reader.read_rows(xlsx_bytes([HEADER] + ROWS), "r.xlsx"))
        self.assertEqual(rows[0], (1, HEADER))
        self.assertEqual(rows[1], (2, ROWS[0]))
        self.assertEqual(rows[2], (3, ROWS[1]))

    def test_xlsx_blank_rows_skipped_numbers_kept(self):
        rows = list(sheet_reader.read_rows(
            xlsx_bytes([HEADER] + ROWS, blank_row_at=2), "r.xlsx"))
        self.assertEqual([n for n, _v in rows], [1, 2, 4])

    def test_xlsx_from_a_path_and_a_file_object(self):
        path = "/tmp/sheet_reader_test.xlsx"
        with open(path, "wb") as out:
            out.write(xlsx_bytes([HEADER] + ROWS))
        try:
            by_path = list(sheet_reader.read_rows(path, "r.xlsx"))
            with open(path, "rb") as stream:
                by_stream = list(sheet_reader.read_rows(stream, "r.xlsx"))
                self.assertFalse(stream.closed, "a caller's file stays open")
        finally:
            os.remove(path)
        self.assertEqual(by_path, by_stream)
        self.assertEqual(len(by_path), 3)

    def test_xls_gives_the_same_rows(self):
        rows = list(sheet_reader.read_rows(xls_bytes([HEADER] + ROWS), "r.xls"))
        self.assertEqual(rows, [(1, HEADER), (2, ROWS[0]), (3, ROWS[1])])

    def test_xls_numbers_integral_as_int(self):
        rows = list(sheet_reader.read_rows(
            xls_bytes([("电话",), (13800138000,)]), "r.xls"))
        self.assertEqual(rows[1], (2, (13800138000,)))
        self.assertIsInstance(rows[1][1][0], int)

    def test_csv_utf8_with_and_without_bom_and_gb18030(self):
        expected = [(1, HEADER), (2, ("2026-03-01 10:30", "王先生", "13800138000", "张伟")),
                    (3, ("2026-03-02 14:00", "李女士", "13900139000", "刘娜"))]
        for encoding in ("utf-8", "utf-8-sig", "gb18030"):
            data = csv_bytes([HEADER] + ROWS, encoding)
            with self.subTest(encoding=encoding):
                self.assertEqual(list(sheet_reader.read_rows(data, "r.csv")), expected)

    def test_csv_gb18030_decided_from_the_whole_file(self):
        # the first lines are ASCII (valid UTF-8 too): Chinese only far below
        rows = [("visit time", "phone", "receiver")] + [
            ("2026-03-01 10:00", "1380013%04d" % i, "zhangwei") for i in range(5000)]
        rows.append(("2026-03-02 10:00", "13900139000", "张伟"))
        data = csv_bytes(rows, "gb18030")
        read = list(sheet_reader.read_rows(data, "r.csv"))
        self.assertEqual(read[-1], (5002, ("2026-03-02 10:00", "13900139000", "张伟")))

    def test_csv_semicolon_and_tab(self):
        for delimiter in (";", "\t"):
            data = csv_bytes([HEADER] + ROWS, "utf-8", delimiter)
            with self.subTest(delimiter=delimiter):
                self.assertEqual(
                    list(sheet_reader.read_rows(data, "r.csv"))[0], (1, HEADER))

    def test_xlsx_saved_with_an_xls_name_reads(self):
        rows = list(sheet_reader.read_rows(xlsx_bytes([HEADER] + ROWS), "r.xls"))
        self.assertEqual(rows[0], (1, HEADER))

    def test_rows_are_streamed_from_xlsx(self):
        """The reader hands out a row before it has read the rest of the sheet."""
        rows = sheet_reader.read_rows(xlsx_bytes([HEADER] + ROWS * 2000), "r.xlsx")
        self.assertIsInstance(rows, types.GeneratorType)
        self.assertEqual(next(rows), (1, HEADER))
        rows.close()


class TestErrors(unittest.TestCase):

    def assertSheetError(self, data, filename, zh_part):
        with self.assertRaises(SheetError) as caught:
            list(sheet_reader.read_rows(data, filename))
        self.assertIn(zh_part, caught.exception.message("zh_CN"))
        self.assertTrue(caught.exception.message("en_US"))
        self.assertNotEqual(caught.exception.message("zh_CN"),
                            caught.exception.message("en_US"))
        return caught.exception

    def test_unknown_extension(self):
        err = self.assertSheetError(b"x", "register.pdf", "不支持的文件类型")
        self.assertIn("upload an .xlsx", str(err))

    def test_damaged_xlsx(self):
        data = xlsx_bytes([HEADER] + ROWS)[:300]
        self.assertSheetError(data, "r.xlsx", "无法读取文件 r.xlsx")

    def test_text_named_xlsx(self):
        self.assertSheetError("来访时间,电话".encode("utf-8"), "r.xlsx", "不是有效的")

    def test_damaged_xls(self):
        data = xls_bytes([HEADER] + ROWS)[:600]
        self.assertSheetError(data, "r.xls", "Excel 97-2003")

    def test_empty_files(self):
        self.assertSheetError(b"", "r.csv", "是空的")
        self.assertSheetError(b"\r\n,,\r\n", "r.csv", "是空的")
        self.assertSheetError(xlsx_bytes([]), "r.xlsx", "是空的")

    def test_csv_in_neither_encoding(self):
        # a lone GB18030 lead byte at the end decodes in neither encoding
        self.assertSheetError("电话\n".encode("utf-8") + b"\x81", "r.csv", "编码")


class TestDoctests(unittest.TestCase):

    def test_module_examples(self):
        result = doctest.testmod(sheet_reader, optionflags=doctest.ELLIPSIS)
        self.assertGreater(result.attempted, 0)
        self.assertEqual(result.failed, 0)
