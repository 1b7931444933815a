"""Phone numbers of mainland China customers, in one canonical form for matching.

Customers are matched by phone (SPEC section 2, conflict detection) from the visit form,
a phone number alone, XML-RPC and imports alike, so every entry point stores and looks
up ``normalize_phone(raw)``:

- full-width characters (０-９, ＋, －, （）, ideographic space) are folded to ASCII;
- spaces, dashes (-, en and em dash, minus sign), dots, slashes and parentheses are
  removed;
- a country prefix ``+86`` / ``0086`` is removed; a bare ``86`` is removed only when an
  11-digit mobile number follows (``8613800138000``), since ``86...`` is never a valid
  domestic number otherwise;
- mobile numbers come out as 11 digits ``1[3-9]xxxxxxxxx``; landlines keep their area
  code with the leading 0 (``010-8888 6666`` -> ``01088886666``; ``+86 10 8888 6666``
  gets its 0 back); nationwide service numbers 400/800 are kept as 10 digits.

Anything else raises ``InvalidPhone`` (a ``ValueError``) with a message in Chinese and
English: empty input, letters or other characters (extensions such as ``转801`` are not
accepted: store them elsewhere), a foreign country code, a local number without area
code, or a length that fits no Chinese numbering plan.
"""
import re
import unicodedata

from .terms import BilingualError

#: separators removed before reading the digits
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212.\u00b7/()\[\]]")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0[1-9]\d{9,10}$")
_SERVICE = re.compile(r"^[48]00\d{7}$")


class InvalidPhone(BilingualError):
    """A phone number that cannot be read as a mainland China number."""

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


def normalize_phone(raw):
    """Canonical digits string of a mainland China phone number.

    >>> normalize_phone("+86 138-0013-8000")
    '13800138000'
    >>> normalize_phone("010-8888 6666")
    '01088886666'
    """
    text = _SEPARATORS.sub("", _text(raw))
    if not text:
        raise InvalidPhone("电话号码为空。", "The phone number is empty.", raw)
    if not re.match(r"^\+?\d+$", text):
        raise InvalidPhone(
            "电话号码含有字母或其他非法字符:%s。" % raw,
            "The phone number contains letters or other characters: %s." % raw, raw)

    international = False
    if text.startswith("+"):
        if not text.startswith("+86"):
            raise InvalidPhone("不是中国大陆的电话号码:%s。" % raw,
                               "Not a mainland China phone number: %s." % raw, raw)
        text = text[3:]
        international = True
    elif text.startswith("0086"):
        text = text[4:]
        international = True
    elif text.startswith("00"):
        raise InvalidPhone("不是中国大陆的电话号码:%s。" % raw,
                           "Not a mainland China phone number: %s." % raw, raw)
    elif text.startswith("86") and _MOBILE.match(text[2:]):
        text = text[2:]

    if international and text and not (
            text.startswith("0") or _MOBILE.match(text) or _SERVICE.match(text)):
        text = "0" + text  # +86 10 8888 6666: the area code lost its trunk 0

    if _MOBILE.match(text) or _LANDLINE.match(text) or _SERVICE.match(text):
        return text
    if len(text) < 10:
        raise InvalidPhone(
            "电话号码过短(%s位),手机号应为11位,固定电话须带区号:%s。" % (len(text), raw),
            "The phone number is too short (%s digits): a mobile has 11 digits, a "
            "landline needs its area code: %s." % (len(text), raw), raw)
    if len(text) > 12:
        raise InvalidPhone(
            "电话号码过长(%s位):%s。" % (len(text), raw),
            "The phone number is too long (%s digits): %s." % (len(text), raw), raw)
    raise InvalidPhone(
        "不是有效的中国大陆手机或固定电话号码:%s。" % raw,
        "Not a valid mainland China mobile or landline number: %s." % raw, raw)
