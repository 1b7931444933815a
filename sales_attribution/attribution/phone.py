"""Phone numbers of customers from everywhere, in one canonical form for matching.

Customers are matched by phone (SPEC section 2, conflict detection) from the visit form,
a phone number alone, XML-RPC and imports alike, so every entry point stores and looks
up ``normalize_phone(raw)``. The numbering plans are Google's libphonenumber (the
``phonenumbers`` package), read with region CN by default:

- full-width characters (０-９, ＋, －, （）, ideographic space) are folded to ASCII;
  spaces, dashes (-, en and em dash, minus sign), dots, slashes and parentheses are
  separators; any other character (letters, an extension such as ``转801``) is refused;
- mainland China numbers (``+86``, ``0086``, a bare ``86`` before a mobile, or no
  prefix) keep the domestic canonical form: mobiles as 11 digits ``1xxxxxxxxxx``,
  landlines with their area code and trunk 0 (``010-8888 6666`` and
  ``+86 10 8888 6666`` -> ``01088886666``), nationwide 400/800 numbers as 10 digits;
- Hong Kong, Macau, Taiwan and foreign numbers, written with ``+`` or the ``00``
  international prefix, are stored in E.164: ``+852 9123 4567`` -> ``+85291234567``.

A number the plans call invalid raises ``InvalidPhone`` (a ``terms.BilingualError``)
with a message in Chinese and English: empty, letters or other characters, too short
(a mainland landline needs its area code), too long, an unknown country code, or a
number that fits no plan of its region.

>>> normalize_phone("+86 138-0013-8000")
'13800138000'
>>> normalize_phone("010-8888 6666")
'01088886666'
>>> normalize_phone("00852 9123 4567")
'+85291234567'
>>> try:
...     normalize_phone("8888 6666")
... except InvalidPhone as err:
...     print(err.message("zh_CN"))
电话号码过短(8位),手机号应为11位,固定电话须带区号:8888 6666。
"""
import re
import unicodedata

import phonenumbers
from phonenumbers import CountryCodeSource, NumberParseException, PhoneNumberFormat
from phonenumbers import geocoder

from .terms import BilingualError

#: region of a number written without country code
DEFAULT_REGION = "CN"
#: the mainland's country calling code: numbers in it keep the domestic form
MAINLAND_CODE = 86

#: separators removed before reading the digits
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212.\u00b7/()\[\]]")
_DIGITS = re.compile(r"^\+?\d+$")
#: typed national digits of a mainland number: fewer is too short, more too long
_MAINLAND_MIN, _MAINLAND_MAX = 10, 12


class InvalidPhone(BilingualError):
    """A phone number that cannot be read; ``raw`` is what was given."""

    def __init__(self, message_zh, message_en, raw=None):
        super(InvalidPhone, self).__init__(message_zh, message_en)
        self.raw = raw


def _text(raw):
    if raw is None or raw is False:  # Odoo gives False for an empty char field
        return ""
    if isinstance(raw, float) and raw.is_integer():  # spreadsheet imports
        raw = int(raw)
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    if not isinstance(raw, str):
        raise InvalidPhone("电话号码格式无法识别:%r" % (raw,),
                           "Phone number is not text: %r" % (raw,), raw)
    return unicodedata.normalize("NFKC", raw)


def _region_names(number):
    """(Chinese, English) name of the number's country or region."""
    zh = geocoder.country_name_for_number(number, "zh")
    en = geocoder.country_name_for_number(number, "en")
    code = "+%d" % number.country_code
    return zh or code, en or code


def _typed_national_digits(text, number):
    """How many digits were typed after the country code (the user's count)."""
    digits = len(text.lstrip("+"))
    source = number.country_code_source
    if source == CountryCodeSource.FROM_DEFAULT_COUNTRY:
        return digits
    prefix = len(str(number.country_code))
    if source == CountryCodeSource.FROM_NUMBER_WITH_IDD:
        prefix += 2  # 00
    return digits - prefix


def _too_short(count, raw):
    return InvalidPhone(
        "电话号码过短(%s位),手机号应为11位,固定电话须带区号:%s。" % (count, raw),
        "The phone number is too short (%s digits): a mobile has 11 digits, a "
        "landline needs its area code: %s." % (count, raw), raw)


def _too_long(count, raw):
    return InvalidPhone(
        "电话号码过长(%s位):%s。" % (count, raw),
        "The phone number is too long (%s digits): %s." % (count, raw), raw)


def _refusal(text, number, raw):
    """The InvalidPhone saying why a parsed ``number`` fits no plan."""
    count = _typed_national_digits(text, number)
    if number.country_code == MAINLAND_CODE:
        if count < _MAINLAND_MIN:
            return _too_short(count, raw)
        if count > _MAINLAND_MAX:
            return _too_long(count, raw)
        return InvalidPhone(
            "不是有效的中国大陆手机或固定电话号码:%s。" % raw,
            "Not a valid mainland China mobile or landline number: %s." % raw, raw)
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason == phonenumbers.ValidationResult.TOO_SHORT:
        return _too_short(count, raw)
    if reason == phonenumbers.ValidationResult.TOO_LONG:
        return _too_long(count, raw)
    zh, en = _region_names(number)
    return InvalidPhone("不是有效的%s电话号码:%s。" % (zh, raw),
                        "Not a valid phone number of %s: %s." % (en, raw), raw)


def _parse_error(err, text, raw):
    kind = err.error_type
    if kind == NumberParseException.INVALID_COUNTRY_CODE:
        return InvalidPhone("国家或地区代码无法识别:%s。" % raw,
                            "Unknown country or region code: %s." % raw, raw)
    if kind == NumberParseException.TOO_LONG:
        return _too_long(len(text.lstrip("+")), raw)
    # TOO_SHORT_NSN, TOO_SHORT_AFTER_IDD (NOT_A_NUMBER cannot reach here: digits only)
    return _too_short(len(text.lstrip("+")), raw)


def canonical(number):
    """Canonical text of a valid ``phonenumbers.PhoneNumber``: mainland numbers in
    domestic digits (trunk 0 where dialled at home), others in E.164.

    >>> canonical(phonenumbers.parse("+442079460958"))
    '+442079460958'
    """
    if number.country_code == MAINLAND_CODE:
        digits = phonenumbers.national_significant_number(number)
        if is_mainland_mobile(digits):
            # a mobile is dialled without trunk 0: its national format is these
            # digits (formatting costs a hundred times more; sheets are mostly
            # mobiles)
            return digits
        return re.sub(r"\D", "", phonenumbers.format_number(
            number, PhoneNumberFormat.NATIONAL))
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def normalize_phone(raw, region=DEFAULT_REGION):
    """Canonical form of a phone number (see the module docstring).

    ``raw``: text (or an int / integral float from a spreadsheet); ``region``: where a
    number without country code is from. Returns ``str``; raises ``InvalidPhone``.

    >>> normalize_phone("＋８６　１３８－００１３－８０００")
    '13800138000'
    >>> normalize_phone("+886 912 345 678")
    '+886912345678'
    """
    text = _SEPARATORS.sub("", _text(raw))
    if not text:
        raise InvalidPhone("电话号码为空。", "The phone number is empty.", raw)
    if not _DIGITS.match(text):
        raise InvalidPhone(
            "电话号码含有字母或其他非法字符:%s。" % raw,
            "The phone number contains letters or other characters: %s." % raw, raw)
    try:
        number = phonenumbers.parse(text, region, keep_raw_input=True)
    except NumberParseException as err:
        raise _parse_error(err, text, raw)
    if not phonenumbers.is_valid_number(number):
        raise _refusal(text, number, raw)
    return canonical(number)


def is_mainland_mobile(number):
    """True for a canonical mainland mobile number (what gets an SMS).

    >>> is_mainland_mobile("13800138000"), is_mainland_mobile("01088886666")
    (True, False)
    """
    return len(number) == 11 and number.startswith("1")
