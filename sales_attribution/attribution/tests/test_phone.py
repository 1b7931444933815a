"""Phone normalisation: customers are matched by phone (SPEC 2, conflict detection)."""
import unittest

from attribution.phone import InvalidPhone, normalize_phone

VALID = [
    # raw, canonical, why
    ("13800138000", "13800138000", "plain mobile"),
    ("138 0013 8000", "13800138000", "spaces"),
    ("138-0013-8000", "13800138000", "dashes"),
    ("138.0013.8000", "13800138000", "dots"),
    ("(138)0013-8000", "13800138000", "parentheses"),
    ("+86 138 0013 8000", "13800138000", "+86 prefix"),
    ("+86-13800138000", "13800138000", "+86 and dash"),
    ("0086 13800138000", "13800138000", "0086 prefix"),
    ("8613800138000", "13800138000", "bare 86 before a mobile"),
    ("１３８００１３８０００", "13800138000", "full-width digits"),
    ("＋８６　１３８－００１３－８０００", "13800138000", "full-width +, dash, space"),
    ("  13912345678  ", "13912345678", "surrounding blanks"),
    ("199 1234 5678", "19912345678", "19x mobile"),
    ("010-8888 6666", "01088886666", "Beijing landline keeps 010"),
    ("(010) 8888-6666", "01088886666", "landline area code in parentheses"),
    ("021 6666 8888", "02166668888", "Shanghai landline"),
    ("0755-2345 6789", "075523456789", "Shenzhen 4-digit area code"),
    ("0771-1234567", "07711234567", "7-digit subscriber number"),
    ("+86 10 8888 6666", "01088886666", "+86 landline gets its trunk 0 back"),
    ("+86 (0)10 8888 6666", "01088886666", "+86 (0) landline"),
    ("0086-755-23456789", "075523456789", "0086 landline"),
    ("400-888-8888", "4008888888", "400 service number"),
    (13800138000, "13800138000", "integer from an import"),
    (13800138000.0, "13800138000", "float from a spreadsheet"),
    ("138\u20140013\u20148000", "13800138000", "em dashes"),
]

INVALID = [
    # raw, phrase expected in the English message
    ("", "empty"),
    ("   ", "empty"),
    (None, "empty"),
    (False, "empty"),
    ("138abc38000", "letters"),
    ("tel:13800138000", "letters"),
    ("010-88886666转801", "letters"),
    ("1380013", "too short"),
    ("8888 6666", "too short"),
    ("138001380001234", "too long"),
    ("+852 9123 4567", "Not a mainland"),
    ("001 212 555 0100", "Not a mainland"),
    ("12345678901", "Not a valid"),
    ("86 12345678901", "too long"),
    ("+", "letters"),
]


class TestNormalizePhone(unittest.TestCase):

    def test_table_valid(self):
        for raw, expected, why in VALID:
            with self.subTest(raw=raw, why=why):
                self.assertEqual(normalize_phone(raw), expected)

    def test_table_invalid(self):
        for raw, phrase in INVALID:
            with self.subTest(raw=raw):
                with self.assertRaises(InvalidPhone) as caught:
                    normalize_phone(raw)
                self.assertIn(phrase, caught.exception.message_en)
                self.assertTrue(caught.exception.message_zh)
                self.assertIsInstance(caught.exception, ValueError)

    def test_idempotent(self):
        for raw, expected, _why in VALID:
            with self.subTest(raw=raw):
                self.assertEqual(normalize_phone(expected), expected)

    def test_messages_in_both_languages(self):
        with self.assertRaises(InvalidPhone) as caught:
            normalize_phone("")
        self.assertEqual(caught.exception.message_zh, "电话号码为空。")
        self.assertEqual(str(caught.exception), "The phone number is empty.")


if __name__ == "__main__":
    unittest.main()
