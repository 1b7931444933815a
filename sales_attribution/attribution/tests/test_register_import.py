"""The visit register read before the rule book judges it: headers in Chinese or
English (or mapped by hand), every fault of a row named in both languages, the row's
identity (fingerprint) and the replay order."""
import datetime
import unittest

from hypothesis import given, strategies as st

from attribution import register_import as ri
from attribution.terms import KINDS

NOW = datetime.datetime(2026, 3, 10, 12, 0)
ZH = ["来访时间", "客户姓名", "电话", "接待顾问", "来访类型", "指定顾问", "介绍人电话",
      "是否亲自带来", "是否询问来访", "备注"]
EN = ["Visit Time", "Customer", "Phone", "Receiver", "Kind", "Requested",
      "Referrer Phone", "Brought In Person", "Asked Prior Visit", "Note"]


def row(**cells):
    """A row of the Chinese header with ``cells`` by column key."""
    base = {"visit_at": "2026-03-01 10:30", "partner_name": "王先生",
            "phone": "13800138000", "receiver": "张伟"}
    base.update(cells)
    header = ri.recognize(ZH)
    values = [None] * len(ZH)
    for key, index in header.columns.items():
        values[index] = base.get(key)
    return header, tuple(values)


class TestHeader(unittest.TestCase):

    def test_chinese_and_english_headers_give_the_same_columns(self):
        zh, en = ri.recognize(ZH), ri.recognize(EN)
        self.assertEqual(zh.columns, en.columns)
        self.assertEqual(set(zh.columns), set(ri.COLUMN_KEYS) - {
            "customer_recalls_consultant"})
        self.assertEqual((zh.unknown, zh.missing), ((), ()))

    def test_variants_blanks_case_full_width(self):
        header = ri.recognize(["  VISIT  TIME ", "联系电话", "置业顾问", "ＰＨＯＮＥ"])
        self.assertEqual(header.columns, {"visit_at": 0, "phone": 1, "receiver": 2})
        self.assertEqual(header.duplicates, (("phone", "ＰＨＯＮＥ"),))

    def test_unknown_headers_are_listed_and_can_be_mapped(self):
        header = ri.recognize(["日期时刻", "号码", "谁接的", "楼栋"])
        self.assertEqual(header.unknown, ((0, "日期时刻"), (1, "号码"), (2, "谁接的"),
                                          (3, "楼栋")))
        self.assertEqual(header.missing, ("visit_at", "phone", "receiver"))
        mapped = ri.recognize(["日期时刻", "号码", "谁接的", "楼栋"], {
            "日期时刻": "visit_at", "号码": "phone", "谁接的": "receiver",
            "楼栋": ri.IGNORE})
        self.assertEqual(mapped.columns, {"visit_at": 0, "phone": 1, "receiver": 2})
        self.assertEqual((mapped.unknown, mapped.missing), ((), ()))
        self.assertIsNone(mapped.error())

    def test_mapping_overrides_a_recognised_name(self):
        header = ri.recognize(["来访时间", "电话", "接待顾问", "备注"],
                              {"备注": ri.IGNORE, "接待顾问": "requested"})
        self.assertNotIn("note", header.columns)
        self.assertEqual(header.columns["requested"], 2)
        self.assertEqual(header.missing, ("receiver",))

    def test_missing_column_error_in_both_languages(self):
        err = ri.recognize(["来访时间", "客户姓名"]).error()
        self.assertEqual(err.message("zh_CN"),
                         "缺少必需的列:电话、接待顾问。请在表头中加上这些列,或在“列对应”中指定。")
        self.assertIn("Phone, Receiver", err.message("en_US"))

    def test_exported_result_columns_are_left_out_quietly(self):
        header = ri.recognize(ri.header_row("zh_CN"))
        self.assertEqual(header.unknown, ())
        self.assertEqual(set(header.columns), set(ri.COLUMN_KEYS))
        self.assertEqual(ri.recognize(ri.header_row("en_US")).columns, header.columns)

    def test_mapping_to_a_non_column_is_a_programming_error(self):
        with self.assertRaises(ValueError):
            ri.recognize(["x"], {"x": "owner_id"})


class TestRows(unittest.TestCase):

    def test_a_full_row(self):
        header, values = row(kind="预约", requested="刘娜", referrer_phone="13900139000",
                             brought_in_person="是", asked_prior_visit="Yes",
                             note="看了三号楼")
        parsed = ri.parse_row(5, values, header, NOW)
        self.assertEqual(parsed, ri.RegisterRow(
            row=5, visit_at=datetime.datetime(2026, 3, 1, 10, 30), phone="13800138000",
            receiver="张伟", partner_name="王先生", kind="appointment", requested="刘娜",
            referrer_phone="13900139000", brought_in_person=True,
            asked_prior_visit=True, note="看了三号楼"))

    def test_every_fault_of_a_row_is_named(self):
        header, values = row(visit_at="2026-13-01", phone="abc", receiver=None,
                             kind="路过", asked_prior_visit="也许",
                             referrer_phone="123")
        with self.assertRaises(ri.RowError) as caught:
            ri.parse_row(7, values, header, NOW)
        err = caught.exception
        self.assertEqual(len(err.faults), 6, err.faults)
        zh = err.message("zh_CN")
        self.assertTrue(zh.startswith("第7行:来访时间“2026-13-01”无法识别"), zh)
        for part in ("电话号码含有字母", "介绍人电话号码过短", "缺少接待顾问", "来访类型“路过”无法识别",
                     "是否询问来访“也许”应为“是”或“否”"):
            self.assertIn(part, zh)
        en = err.message("en_US")
        self.assertTrue(en.startswith("Row 7: the visit time \"2026-13-01\" cannot be "
                                      "read"), en)
        self.assertIn("the receiver is missing", en)

    def test_future_visit_refused_with_clock_slack(self):
        header, values = row(visit_at=NOW + datetime.timedelta(minutes=10))
        self.assertEqual(ri.parse_row(2, values, header, NOW).visit_at,
                         NOW + datetime.timedelta(minutes=10))
        header, values = row(visit_at=NOW + datetime.timedelta(minutes=11))
        with self.assertRaises(ri.RowError) as caught:
            ri.parse_row(2, values, header, NOW)
        self.assertIn("在将来", caught.exception.message("zh_CN"))
        self.assertIn("in the future", str(caught.exception))

    def test_missing_visit_time_and_phone(self):
        header, values = row(visit_at=None, phone=None)
        with self.assertRaises(ri.RowError) as caught:
            ri.parse_row(2, values, header, NOW)
        self.assertEqual(caught.exception.message("zh_CN"),
                         "第2行:缺少来访时间;电话号码为空。")

    def test_short_rows_and_numbers(self):
        header = ri.recognize(ZH)
        parsed = ri.parse_row(2, (datetime.datetime(2026, 3, 1, 10, 30, 45), None,
                                  13800138000.0, "zhangwei"), header, NOW)
        self.assertEqual(parsed.phone, "13800138000")
        self.assertEqual(parsed.visit_at, datetime.datetime(2026, 3, 1, 10, 30))
        self.assertEqual((parsed.kind, parsed.partner_name, parsed.asked_prior_visit),
                         ("walk_in", None, False))

    def test_referrer_without_kind_is_a_referral(self):
        header, values = row(referrer_phone="139 0013 9000")
        parsed = ri.parse_row(2, values, header, NOW)
        self.assertEqual((parsed.kind, parsed.referrer_phone),
                         ("referral", "13900139000"))

    def test_kind_names(self):
        for text, kind in [("自然来访", "walk_in"), ("Walk-in", "walk_in"),
                           ("预约来访", "appointment"), ("老带新", "referral"),
                           ("Referral by a Customer", "referral"),
                           ("发展商介绍", "staff_referral"),
                           ("staff_referral", "staff_referral")]:
            with self.subTest(text=text):
                self.assertEqual(ri.parse_kind(text), kind)
        self.assertEqual(set(ri.KIND_NAMES), set(KINDS))

    def test_yes_no_both_languages(self):
        for text in ("是", "有", "Y", "yes", "TRUE", "1", "√", True, 1):
            self.assertIs(ri.parse_yes_no(text), True, text)
        for text in ("否", "无", "N", "no", "False", "0", "×", False, 0, None, ""):
            self.assertIs(ri.parse_yes_no(text), False, text)
        self.assertIsNone(ri.parse_yes_no("不知道"))

    def test_datetime_texts(self):
        expected = datetime.datetime(2026, 3, 1, 14, 30)
        for text in ("2026-03-01 14:30", "2026-3-1 14:30:59", "2026/03/01 14:30",
                     "2026.03.01 14:30", "2026年3月1日 14:30", "2026年3月1日14时30分",
                     "２０２６－０３－０１　１４：３０", "2026-03-01T14:30:00"):
            with self.subTest(text=text):
                self.assertEqual(ri.parse_datetime(text), expected)
        self.assertEqual(ri.parse_datetime("2026-03-01"),
                         datetime.datetime(2026, 3, 1))
        self.assertEqual(ri.parse_datetime(datetime.date(2026, 3, 1)),
                         datetime.datetime(2026, 3, 1))
        for bad in ("昨天", "01/03/2026 14:30", "2026-02-29", 0, -5, True, ["x"]):
            self.assertIsNone(ri.parse_datetime(bad), bad)


class TestUsers(unittest.TestCase):
    STAFF = [(7, "张伟", "zhangwei"), (8, "刘娜", "liuna"), (9, "王芳", "wangfang"),
             (10, "wangfang", "wf2")]

    def test_login_first_then_name(self):
        self.assertEqual(ri.match_user(" ZhangWei ", self.STAFF), 7)
        self.assertEqual(ri.match_user("刘娜", self.STAFF), 8)
        # "wangfang" is 9's login and 10's name: the login wins
        self.assertEqual(ri.match_user("wangfang", self.STAFF), 9)

    def test_unknown_consultant_is_an_error_not_a_user(self):
        with self.assertRaises(ri.BilingualError) as caught:
            ri.match_user("赵六", self.STAFF)
        self.assertEqual(caught.exception.message("zh_CN"),
                         "顾问“赵六”不是本项目的成员(按姓名或登录名查找)")


class TestIdentityAndOrder(unittest.TestCase):

    @given(st.sampled_from(["13800138000", "+86 138 0013 8000", "138-0013-8000",
                            "００８６１３８００１３８０００"]),
           st.integers(0, 59))
    def test_fingerprint_ignores_how_the_phone_and_seconds_were_typed(self, raw, sec):
        header, values = row(phone=raw,
                             visit_at=datetime.datetime(2026, 3, 1, 10, 30, sec))
        parsed = ri.parse_row(2, values, header, NOW)
        self.assertEqual(ri.fingerprint(parsed.phone, parsed.visit_at, 7),
                         "13800138000|2026-03-01 10:30|7")

    def test_fingerprint_differs_by_receiver_and_minute(self):
        at = datetime.datetime(2026, 3, 1, 10, 30)
        prints = {ri.fingerprint("13800138000", at, 7),
                  ri.fingerprint("13800138000", at, 8),
                  ri.fingerprint("13800138000", at + datetime.timedelta(minutes=1), 7),
                  ri.fingerprint("13900139000", at, 7)}
        self.assertEqual(len(prints), 4)

    @given(st.lists(st.tuples(st.integers(0, 5), st.integers(2, 10000)),
                    unique_by=lambda t: t[1]))
    def test_in_time_order_sorts_by_time_then_row(self, items):
        base = datetime.datetime(2026, 1, 1)
        rows = [ri.RegisterRow(row=n, visit_at=base + datetime.timedelta(days=d),
                               phone="1", receiver="x") for d, n in items]
        ordered = ri.in_time_order(rows)
        self.assertEqual(sorted(r.row for r in ordered), sorted(n for _d, n in items))
        keys = [(r.visit_at, r.row) for r in ordered]
        self.assertEqual(keys, sorted(keys))
