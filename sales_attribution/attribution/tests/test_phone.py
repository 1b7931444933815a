"""Phone normalisation: customers are matched by phone (SPEC 2, conflict detection);
mainland numbers keep their domestic form, the rest of the world is stored in E.164."""
import doctest
import re
import unittest

import phonenumbers

from hypothesis import assume, given, settings, strategies as st

from attribution import phone as phone_module
from attribution.phone import InvalidPhone, is_mainland_mobile, normalize_phone
from attribution.terms import BilingualError

VALID = [
    # raw, canonical, why
    ("13800138000", "13800138000", "plain mobile"),
    ("138 0013 8000", "13800138000", "spaces"),
    ("138-0013-8000", "13800138000", "dashes"),
    ("138.0013.8000", "13800138000", "dots"),
    ("(138)0013-8000", "13800138000", "parentheses"),
    ("138/0013/8000", "13800138000", "slashes"),
    ("+86 138 0013 8000", "13800138000", "+86 prefix"),
    ("+86-13800138000", "13800138000", "+86 and dash"),
    ("(+86) 138.0013.8000", "13800138000", "+86 in parentheses"),
    ("0086 13800138000", "13800138000", "0086 prefix"),
    ("8613800138000", "13800138000", "bare 86 before a mobile"),
    ("１３８００１３８０００", "13800138000", "full-width digits"),
    ("＋８６　１３８－００１３－８０００", "13800138000", "full-width +, dash, space"),
    ("（０１０）８８８８－６６６６", "01088886666", "full-width parentheses"),
    ("  13912345678  ", "13912345678", "surrounding blanks"),
    ("199 1234 5678", "19912345678", "19x mobile"),
    ("166 1234 5678", "16612345678", "16x mobile"),
    ("010-8888 6666", "01088886666", "Beijing landline keeps 010"),
    ("(010) 8888-6666", "01088886666", "landline area code in parentheses"),
    ("021 6666 8888", "02166668888", "Shanghai landline"),
    ("0755-2345 6789", "075523456789", "Shenzhen 4-digit area code"),
    ("0771-1234567", "07711234567", "7-digit subscriber number"),
    ("+86 10 8888 6666", "01088886666", "+86 landline gets its trunk 0 back"),
    ("+86 (0)10 8888 6666", "01088886666", "+86 (0) landline"),
    ("0086-755-23456789", "075523456789", "0086 landline"),
    ("400-888-8888", "4008888888", "400 service number"),
    ("800-888-8888", "8008888888", "800 service number"),
    ("+86 400 888 8888", "4008888888", "400 with +86"),
    (13800138000, "13800138000", "integer from an import"),
    (13800138000.0, "13800138000", "float from a spreadsheet"),
    ("138\u20140013\u20148000", "13800138000", "em dashes"),
    ("138\u22120013\u22128000", "13800138000", "minus signs"),
    # Greater Bay Area and abroad: E.164
    ("+852 9123 4567", "+85291234567", "Hong Kong mobile"),
    ("00852 9123 4567", "+85291234567", "Hong Kong with the 00 prefix"),
    ("００８５２－９１２３－４５６７", "+85291234567", "Hong Kong full-width"),
    ("+852 2123 4567", "+85221234567", "Hong Kong landline"),
    ("+853 6612 3456", "+85366123456", "Macau mobile"),
    ("00853-6612-3456", "+85366123456", "Macau with 00"),
    ("+886 912 345 678", "+886912345678", "Taiwan mobile"),
    ("+886 (0)2 2345 6789", "+886223456789", "Taiwan landline with (0)"),
    ("+1 212 555 0100", "+12125550100", "United States"),
    ("001 212 555 0100", "+12125550100", "United States with 00"),
    ("+44 20 7946 0958", "+442079460958", "United Kingdom landline"),
    ("+44 7911 123456", "+447911123456", "United Kingdom mobile"),
    ("+85291234567", "+85291234567", "E.164 stays E.164"),
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
    ("+852 9123 4567 ext 1", "letters"),
    ("1380013", "too short"),
    ("8888 6666", "too short"),
    ("+86 1380013", "too short"),
    ("138001380001234", "too long"),
    ("12345678901", "Not a valid mainland"),
    ("86 12345678901", "Not a valid mainland"),
    ("+8612345678901", "Not a valid mainland"),
    ("+", "letters"),
    ("++8613800138000", "letters"),
    ("+852 1234 5678", "Not a valid phone number of Hong Kong"),
    ("+852 9123", "too short"),
    ("+999 1234567", "Unknown country"),
    ("00", "too short"),
    ("0012125550100999999", "too long"),
    ([13800138000], "not text"),
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
                self.assertIsInstance(caught.exception, BilingualError)
                self.assertIsInstance(caught.exception, ValueError)

    def test_idempotent(self):
        for raw, expected, _why in VALID:
            with self.subTest(raw=raw):
                self.assertEqual(normalize_phone(expected), expected)

    def test_messages_in_both_languages(self):
        with self.assertRaises(InvalidPhone) as caught:
            normalize_phone("")
        self.assertEqual(caught.exception.message("zh_CN"), "电话号码为空。")
        self.assertEqual(str(caught.exception), "The phone number is empty.")

    def test_too_short_counts_the_digits_typed(self):
        with self.assertRaises(InvalidPhone) as caught:
            normalize_phone("0086 8888 6666")
        self.assertIn("(8 digits)", caught.exception.message_en)
        self.assertIn("(8位)", caught.exception.message_zh)

    def test_foreign_refusal_names_the_region_in_chinese(self):
        with self.assertRaises(InvalidPhone) as caught:
            normalize_phone("+852 1234 5678")
        self.assertIn("香港", caught.exception.message_zh)

    def test_mainland_mobile_is_what_gets_an_sms(self):
        self.assertTrue(is_mainland_mobile(normalize_phone("+86 138 0013 8000")))
        self.assertFalse(is_mainland_mobile(normalize_phone("010-8888 6666")))
        self.assertFalse(is_mainland_mobile(normalize_phone("+852 9123 4567")))

    def test_doctests(self):
        result = doctest.testmod(phone_module)
        self.assertGreater(result.attempted, 0)
        self.assertEqual(result.failed, 0)


# ------------------------------------------------------------------ properties

#: mainland numbers in canonical form: mobiles of assigned ranges and landlines of
#: Beijing (010), Shanghai (021) and Shenzhen (0755)
MAINLAND = st.one_of(
    st.builds("{}{:08d}".format, st.sampled_from(
        ["130", "135", "138", "139", "150", "186", "199"]),
        st.integers(0, 10 ** 8 - 1)),
    st.builds("{}{}{:07d}".format, st.sampled_from(["010", "021", "0755"]),
              st.sampled_from("2356"), st.integers(0, 10 ** 7 - 1)),
)
#: how a number may be written: separators between its digits, full width
SEPARATORS = st.sampled_from([" ", "-", ".", "", "\u2014", "\u3000"])


def written(number, sep, full_width):
    text = sep.join(number[i:i + 4] for i in range(0, len(number), 4))
    if full_width:
        text = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() or c == "+" else c
                       for c in text)
    return text


class TestPhoneProperties(unittest.TestCase):

    @settings(max_examples=200, deadline=None)
    @given(MAINLAND)
    def test_normalising_is_idempotent(self, number):
        once = normalize_phone(number)
        self.assertEqual(normalize_phone(once), once)

    @settings(max_examples=200, deadline=None)
    @given(MAINLAND, SEPARATORS, st.booleans(),
           st.sampled_from(["+86", "0086", "+86 ", "0086-"]))
    def test_mainland_number_and_its_plus86_form_match(self, number, sep, wide,
                                                       prefix):
        canonical = normalize_phone(number)
        international = prefix + (number[1:] if number.startswith("0") else number)
        self.assertEqual(normalize_phone(written(international, sep, wide)),
                         canonical)
        self.assertEqual(normalize_phone(written(number, sep, wide)), canonical)

    @settings(max_examples=300, deadline=None)
    @given(st.integers(13 * 10 ** 9, 2 * 10 ** 10 - 1))
    def test_mainland_mobile_keeps_the_national_format_digits(self, number):
        """The mobile shortcut of ``canonical`` (the national significant number)
        gives the digits of the library's national format, for every valid
        mainland 1xxxxxxxxxx."""
        parsed = phonenumbers.parse(str(number), "CN")
        assume(parsed.country_code == 86 and phonenumbers.is_valid_number(parsed))
        national = re.sub(r"\D", "", phonenumbers.format_number(
            parsed, phonenumbers.PhoneNumberFormat.NATIONAL))
        self.assertEqual(phone_module.canonical(parsed), national)

    @settings(max_examples=100, deadline=None)
    @given(st.sampled_from([("+852 9", 7), ("+853 6", 7), ("+886 9", 8),
                            ("+44 7911 1", 5), ("+1 212 5", 6)]),
           st.integers(0, 10 ** 8 - 1))
    def test_foreign_number_stored_in_e164_and_stable(self, head, tail):
        prefix, width = head
        raw = prefix + str(tail % 10 ** width).zfill(width)
        try:
            stored = normalize_phone(raw)
        except InvalidPhone:
            return  # not every draw is an assigned range; refusals are tested above
        self.assertTrue(stored.startswith("+"))
        self.assertEqual(normalize_phone(stored), stored)
        self.assertEqual(normalize_phone("00" + stored[1:]), stored)

    @settings(max_examples=200, deadline=None)
    @given(st.text(max_size=20))
    def test_any_text_is_read_or_refused_in_words(self, raw):
        try:
            stored = normalize_phone(raw)
        except InvalidPhone as err:
            self.assertTrue(err.message_zh and err.message_en)
        else:
            self.assertEqual(normalize_phone(stored), stored)


if __name__ == "__main__":
    unittest.main()
