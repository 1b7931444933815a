"""The deal ledger's columns, values and fingerprint (issue 16, point 4)."""
import datetime
import unittest
from decimal import Decimal

from hypothesis import given, strategies as st

from attribution.ledger import (DealRow, LedgerError, fingerprint, is_company_name,
                                map_headers, parse_row, read_date, read_money,
                                read_units)

TODAY = datetime.date(2026, 3, 9)
ZH = ["客户", "电话", "套数", "成交金额", "成交日期", "顾问", "项目"]
EN = ["Buyer", "Phone", "Units", "Revenue", "Deal Date", "Consultant", "Project"]


class TestHeaders(unittest.TestCase):

    def test_chinese_and_english_headers_map_the_same_columns(self):
        self.assertEqual(map_headers(ZH), map_headers(EN))
        self.assertEqual(map_headers(ZH)["consultant"], 5)

    def test_headers_in_another_order_with_extra_columns(self):
        columns = map_headers(["备注", "置业顾问", "成交日期", " 手 机 ", "客户姓名",
                               "金额"])
        self.assertEqual(columns, {"consultant": 1, "deal_date": 2, "phone": 3,
                                   "buyer": 4, "revenue": 5})

    def test_full_width_and_case_do_not_matter(self):
        self.assertEqual(map_headers(["ＢＵＹＥＲ", "PHONE", "revenue", "DEAL DATE",
                                      "Consultant"])["buyer"], 0)

    def test_every_missing_required_column_is_named_in_both_languages(self):
        with self.assertRaises(LedgerError) as caught:
            map_headers(["客户", "套数"])
        self.assertEqual(caught.exception.message("zh_CN"),
                         "缺少列:电话、成交金额、成交日期、顾问。")
        self.assertIn("phone, revenue, deal date, consultant",
                      caught.exception.message("en_US"))


class TestValues(unittest.TestCase):

    def test_dates_of_every_form(self):
        for raw in ("2026-03-01", "2026/3/1", "2026.3.1", "2026年3月1日",
                    "2026-03-01 14:30:00", datetime.datetime(2026, 3, 1, 9),
                    datetime.date(2026, 3, 1), 46082, 46082.6):
            self.assertEqual(read_date(raw), datetime.date(2026, 3, 1), raw)

    def test_unreadable_dates(self):
        for raw in ("", None, "yesterday", "2026-02-30", "3/1/2026", True, -5):
            self.assertIsNone(read_date(raw), raw)

    def test_money_of_every_form(self):
        for raw, value in (("1,200,000", "1200000.00"), ("¥1200000元", "1200000.00"),
                           ("98万", "980000.00"), ("RMB 5.5", "5.50"),
                           (1200000.0, "1200000.00"), ("１２３", "123.00")):
            self.assertEqual(read_money(raw), Decimal(value), raw)
        for raw in ("", "about a million", None, True, "nan"):
            self.assertIsNone(read_money(raw), raw)

    def test_units(self):
        self.assertEqual([read_units(v) for v in (None, "", 2, 2.0, "3套", " 6 ")],
                         [1, 1, 2, 2, 3, 6])
        self.assertEqual([read_units(v) for v in (1.5, "two", True)],
                         [None, None, None])

    def test_company_names(self):
        self.assertTrue(is_company_name("北京某某科技有限公司"))
        self.assertTrue(is_company_name("Acme Trading Co."))
        self.assertFalse(is_company_name("张公"))  # a surname + 公, not a company


class TestRow(unittest.TestCase):

    def setUp(self):
        super().setUp()
        self.columns = map_headers(ZH)

    def test_a_good_row(self):
        row = parse_row(["上海某某有限公司", "+86 139 0000 1111", "6", 6000000,
                         "2026-02-01", " 张伟 ", "一期"], self.columns, TODAY, row=5)
        self.assertIsInstance(row, DealRow)
        self.assertEqual((row.buyer, row.phone, row.units, row.revenue, row.deal_date,
                          row.consultant, row.project, row.is_company, row.row),
                         ("上海某某有限公司", "13900001111", 6, Decimal("6000000.00"),
                          datetime.date(2026, 2, 1), "张伟", "一期", True, 5))

    def test_units_and_project_are_optional(self):
        columns = map_headers(["客户", "电话", "成交金额", "成交日期", "顾问"])
        row = parse_row(["王伟", "13900001111", 1, "2026-02-01", "张伟"], columns,
                        TODAY)
        self.assertEqual((row.units, row.project), (1, ""))

    def test_a_short_row_is_missing_its_last_cells(self):
        with self.assertRaises(LedgerError) as caught:
            parse_row(["王伟", "13900001111"], self.columns, TODAY, row=4)
        self.assertIn("Row 4: the revenue cannot be read",
                      caught.exception.message("en_US"))
        self.assertIn("缺少顾问", caught.exception.message("zh_CN"))

    def test_today_is_allowed_tomorrow_is_not(self):
        cells = ["王伟", "13900001111", 1, 100, TODAY, "张伟", ""]
        self.assertEqual(parse_row(cells, self.columns, TODAY).deal_date, TODAY)
        cells[4] = TODAY + datetime.timedelta(days=1)
        with self.assertRaises(LedgerError):
            parse_row(cells, self.columns, TODAY)

    def test_negative_revenue_and_zero_units(self):
        with self.assertRaises(LedgerError) as caught:
            parse_row(["王伟", "13900001111", 0, -1, "2026-01-01", "张伟", ""],
                      self.columns, TODAY)
        message = caught.exception.message("en_US")
        self.assertIn("at least 1", message)
        self.assertIn("cannot be negative", message)


class TestFingerprint(unittest.TestCase):

    @given(st.dates(max_value=TODAY), st.decimals(min_value=0, max_value=10 ** 9,
                                                  places=2),
           st.integers(min_value=1, max_value=10 ** 6))
    def test_equal_facts_equal_fingerprint_any_change_differs(self, day, revenue, user):
        phone = "13900001111"
        base = fingerprint(phone, day, user, revenue)
        self.assertEqual(base, fingerprint(phone, day, str(user), float(revenue)
                                           if revenue == revenue.to_integral() else
                                           revenue))
        self.assertNotEqual(base, fingerprint("13900001112", day, user, revenue))
        self.assertNotEqual(base, fingerprint(phone, day, user + 1, revenue))
        self.assertNotEqual(base, fingerprint(phone, day, user,
                                              revenue + Decimal("0.01")))
        self.assertNotEqual(base, fingerprint(
            phone, day - datetime.timedelta(days=1), user, revenue))
