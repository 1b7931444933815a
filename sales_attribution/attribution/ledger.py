"""The deal ledger (成交台账) of an office, read row by row: columns, values, fingerprint.

A ledger sheet has a header row and one won deal per row. The columns, by their
Chinese or English header (case, spaces and full-width forms do not matter):

==============  ==========================  ========  ==============================
key             headers                     required  value
==============  ==========================  ========  ==============================
``buyer``       客户 / 买受人 / buyer         yes       the buyer's name (text)
``phone``       电话 / 手机 / phone           yes       normalised (``phone.py``)
``units``       套数 / units                  no        whole number >= 1 (default 1)
``revenue``     成交金额 / 金额 / revenue      yes       money >= 0; ``1,200,000``,
                                                      ``¥98万`` and numbers are read
``deal_date``   成交日期 / deal date          yes       a date, not after today
``consultant``  顾问 / 置业顾问 / consultant   yes       the consultant's name or login
``project``     项目 / 案场 / project         no        the project (sales team) name
==============  ==========================  ========  ==============================

:func:`map_headers` finds the columns of a header row (``LedgerError`` naming every
missing required column); :func:`parse_row` reads one row into a :class:`DealRow`
(``LedgerError`` with every fault of the row, in Chinese and English); the
consultant and the project stay text: the models look them up in the project.
:func:`fingerprint` is the row's identity for idempotence: normalised phone, deal date,
consultant and revenue (the models pass the consultant's user id, so a name and a
login of one consultant are the same deal).

>>> import datetime
>>> columns = map_headers(["客户", "电话", "套数", "成交金额", "成交日期", "顾问", "项目"])
>>> row = parse_row(["王先生", "138-0013-8000", 2, "¥98万", "2026/3/1", "张伟", "一期"],
...                 columns, today=datetime.date(2026, 3, 9), row=2)
>>> row.phone, row.units, row.revenue, row.deal_date
('13800138000', 2, Decimal('980000.00'), datetime.date(2026, 3, 1))
>>> fingerprint(row.phone, row.deal_date, 7, row.revenue)[:12]  # fixed for good:
'bdc08304a613'

(a changed fingerprint would import every ledger already imported a second time.)
>>> try:
...     parse_row(["", "12345", 0, "x", "2027-01-01", "", ""], columns,
...               today=datetime.date(2026, 3, 9), row=3)
... except LedgerError as err:
...     print(err.message("zh_CN"))
第3行:缺少客户姓名;电话号码过短(5位),手机号应为11位,固定电话须带区号:12345。;套数应为不小于1的整数:0;成交金额无法识别:x;成交日期晚于今天:2027-01-01;缺少顾问
"""
import datetime
import hashlib
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from .phone import InvalidPhone, normalize_phone
from .terms import BilingualError

#: (key, required, header names): the ledger's columns in the order of a new sheet;
#: the first name is the Chinese header, the second the English one
COLUMNS = (
    ("buyer", True, ("客户", "buyer", "客户姓名", "买受人", "customer")),
    ("phone", True, ("电话", "phone", "手机", "联系电话", "mobile")),
    ("units", False, ("套数", "units", "unit count")),
    ("revenue", True, ("成交金额", "revenue", "金额", "成交价", "amount")),
    ("deal_date", True, ("成交日期", "deal date", "日期", "date")),
    ("consultant", True, ("顾问", "consultant", "置业顾问", "成交顾问")),
    ("project", False, ("项目", "project", "案场", "sales team")),
)
#: (Chinese, English) name of each column, for messages
COLUMN_NAMES = {key: (names[0], names[1]) for key, _required, names in COLUMNS}
#: Excel's day 0 for serial dates (1900 system, with its 1900-02-29)
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                        r"(?:[ T].*)?$")
_MONEY_NOISE = re.compile(r"[\s,，¥￥元]|rmb|cny", re.IGNORECASE)
#: names of a company buyer (A9): a new buyer so named is created as a company
_COMPANY_SUFFIXES = ("公司", "集团", "有限公司", "事务所", "研究院", "中心", "ltd", "ltd.",
                     "limited", "inc", "inc.", "co.", "corp", "corp.", "llc", "gmbh")


class LedgerError(BilingualError):
    """A ledger that cannot be read: missing columns, or the faults of one row."""


def _fold(text):
    """Header text compared case-, width- and space-insensitively."""
    return "".join(unicodedata.normalize("NFKC", str(text or "")).split()).casefold()


def map_headers(header):
    """``{key: column index}`` of the header row ``header`` (a list of cells).

    The first column matching one of a key's names wins; unknown columns are
    ignored. ``LedgerError`` names every missing required column.

    >>> map_headers(["Buyer", "Phone", "Revenue", "Deal Date", "Consultant"])["phone"]
    1
    >>> try:
    ...     map_headers(["客户", "电话"])
    ... except LedgerError as err:
    ...     print(err.message("en_US"))
    Missing columns: revenue, deal date, consultant.
    """
    folded = [_fold(cell) for cell in header]
    columns = {}
    for key, _required, names in COLUMNS:
        wanted = {_fold(name) for name in names}
        for index, cell in enumerate(folded):
            if cell in wanted and index not in columns.values():
                columns[key] = index
                break
    missing = [key for key, required, _names in COLUMNS
               if required and key not in columns]
    if missing:
        raise LedgerError(
            "缺少列:%s。" % "、".join(COLUMN_NAMES[key][0] for key in missing),
            "Missing columns: %s." % ", ".join(COLUMN_NAMES[key][1] for key in missing))
    return columns


def is_company_name(name):
    """Whether a buyer's name is a company's (公司, 集团, Ltd...): A9 group buyers.

    >>> is_company_name("上海某某置业有限公司"), is_company_name("王伟")
    (True, False)
    """
    folded = _fold(name)
    return any(folded.endswith(_fold(suffix)) for suffix in _COMPANY_SUFFIXES)


def read_date(value):
    """A ``date`` from a cell: a date or datetime, an Excel serial day number, or text
    ``2026-03-01``, ``2026/3/1``, ``2026.3.1``, ``2026年3月1日`` (a time after it is
    ignored). ``None`` when it cannot be read.

    >>> read_date("2026年3月1日"), read_date(46082.0)
    (datetime.date(2026, 3, 1), datetime.date(2026, 3, 1))
    """
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # 9999-12-31
            return _EXCEL_EPOCH + datetime.timedelta(days=int(value))
        return None
    match = _DATE_TEXT.match(unicodedata.normalize("NFKC", str(value or "")).strip())
    if not match:
        return None
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def read_money(value):
    """A ``Decimal`` (2 places) from a cell: a number, or text with thousands
    separators, ¥ / 元 / RMB and a 万 (ten thousand) suffix. ``None`` when unreadable.

    >>> read_money("1,200,000.5"), read_money("98.5万"), read_money(3)
    (Decimal('1200000.50'), Decimal('985000.00'), Decimal('3.00'))
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float, Decimal)):
        amount = Decimal(str(value))
    else:
        text = _MONEY_NOISE.sub("", unicodedata.normalize("NFKC", str(value or "")))
        factor = Decimal(1)
        if text.endswith("万"):
            text, factor = text[:-1], Decimal(10000)
        try:
            amount = Decimal(text) * factor
        except InvalidOperation:
            return None
    if not amount.is_finite():
        return None
    return amount.quantize(Decimal("0.01"))


def read_units(value):
    """The unit count of a cell: a whole number (``2``, ``2.0``, ``"2套"``); an empty
    cell is 1. ``None`` when it is not a whole number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return 1
    if isinstance(value, bool):
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip().rstrip("套").strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    if not number.is_finite() or number != number.to_integral_value():
        return None
    return int(number)


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(unicodedata.normalize("NFKC", str(value)).split())


class DealRow(object):
    """One ledger row read: ``row`` (sheet row number), ``buyer``, ``phone``
    (normalised), ``units`` (int >= 1), ``revenue`` (Decimal >= 0), ``deal_date``
    (office date), ``consultant`` and ``project`` (text, ``project`` may be empty),
    ``is_company`` (the buyer's name is a company's)."""

    __slots__ = ("row", "buyer", "phone", "units", "revenue", "deal_date",
                 "consultant", "project", "is_company")

    def __init__(self, **values):
        for name in self.__slots__:
            setattr(self, name, values.get(name))

    def __repr__(self):
        return "DealRow(%s)" % ", ".join(
            "%s=%r" % (name, getattr(self, name)) for name in self.__slots__)


def _phone_field(raw, faults):
    """The normalised phone of a cell, or None with its fault added."""
    if raw is None or not _text(raw):
        faults.append(("缺少电话", "the phone is missing"))
        return None
    try:
        return normalize_phone(raw)
    except InvalidPhone as err:
        faults.append((err.message_zh, err.message_en))
        return None


def _date_field(raw, today, faults):
    """The deal date of a cell (not after ``today``), or None with its fault."""
    deal_date = read_date(raw)
    if deal_date is None:
        faults.append(("成交日期无法识别:%s" % _text(raw),
                       "the deal date cannot be read: %s" % _text(raw)))
    elif deal_date > today:
        faults.append(("成交日期晚于今天:%s" % deal_date.isoformat(),
                       "the deal date is after today: %s" % deal_date.isoformat()))
        return None
    return deal_date


def parse_row(cells, columns, today, row=None):
    """The :class:`DealRow` of a row's ``cells`` (list) under ``columns``
    (:func:`map_headers`); ``today``: the office's date (a later deal date is an
    error); ``row``: the sheet row number, named in the messages.

    Raises ``LedgerError`` listing every fault of the row (both languages, ``;``
    between faults).
    """
    def cell(key):
        index = columns.get(key)
        return cells[index] if index is not None and index < len(cells) else None

    faults = []
    buyer = _text(cell("buyer"))
    if not buyer:
        faults.append(("缺少客户姓名", "the buyer is missing"))
    phone = _phone_field(cell("phone"), faults)
    units = read_units(cell("units"))
    if units is None or units < 1:
        faults.append(("套数应为不小于1的整数:%s" % _text(cell("units")),
                       "the unit count must be a whole number of at least 1: %s"
                       % _text(cell("units"))))
    raw_revenue = cell("revenue")
    revenue = read_money(raw_revenue)
    if revenue is None:
        faults.append(("成交金额无法识别:%s" % _text(raw_revenue),
                       "the revenue cannot be read: %s" % _text(raw_revenue)))
    elif revenue < 0:
        faults.append(("成交金额不能为负数:%s" % revenue,
                       "the revenue cannot be negative: %s" % revenue))
    deal_date = _date_field(cell("deal_date"), today, faults)
    consultant = _text(cell("consultant"))
    if not consultant:
        faults.append(("缺少顾问", "the consultant is missing"))
    if faults:
        where = ("第%s行:" % row, "Row %s: " % row) if row is not None else ("", "")
        raise LedgerError(where[0] + ";".join(zh for zh, _en in faults),
                          where[1] + "; ".join(en for _zh, en in faults) + ".")
    return DealRow(row=row, buyer=buyer, phone=phone, units=units, revenue=revenue,
                   deal_date=deal_date, consultant=consultant,
                   project=_text(cell("project")), is_company=is_company_name(buyer))


def fingerprint(phone, deal_date, consultant, revenue):
    """The identity of a ledger deal: a hex SHA-1 of the normalised ``phone``, the
    ``deal_date`` (date), the ``consultant`` (any stable key: the models pass the
    user id) and the ``revenue`` (to the cent). Equal facts, equal fingerprint:

    >>> a = fingerprint("13800138000", datetime.date(2026, 3, 1), 7, Decimal("1E6"))
    >>> a == fingerprint("13800138000", datetime.date(2026, 3, 1), "7", 1000000)
    True
    >>> a == fingerprint("13800138000", datetime.date(2026, 3, 2), 7, 1000000)
    False
    """
    key = "deal|%s|%s|%s|%s" % (phone, deal_date.isoformat(), consultant,
                                Decimal(str(revenue)).quantize(Decimal("0.01")))
    return hashlib.sha1(key.encode("utf-8")).hexdigest()


class DealOwner(object):
    """Who owns a ledger deal's customer: ``owner_id``, ``rule_code``, the bilingual
    ``explanation_zh``/``explanation_en``, and ``is_new`` (the customer had no owner:
    the decision is to be recorded)."""

    __slots__ = ("owner_id", "rule_code", "explanation_zh", "explanation_en", "is_new")

    def __init__(self, owner_id, rule_code, explanation_zh, explanation_en, is_new):
        self.owner_id = owner_id
        self.rule_code = rule_code
        self.explanation_zh = explanation_zh
        self.explanation_en = explanation_en
        self.is_new = is_new


def deal_owner(current_owner_id, consultant_id, names, deal_date):
    """The owner of a ledger deal's customer (A1: the first registered consultant).

    ``current_owner_id``: the customer's owner in the project before the row (None:
    nobody); ``consultant_id``: the consultant the ledger names; ``names``: ``{user id:
    name}``; ``deal_date``: the office date of the deal. A customer who has an owner
    keeps them (the split rules then decide who is paid what: A1, A9, A15, B1...); a
    customer without one is owned by the ledger's consultant, the first consultant
    on record for them.

    >>> import datetime
    >>> d = deal_owner(None, 7, {7: "张伟"}, datetime.date(2026, 3, 1))
    >>> d.owner_id, d.rule_code, d.is_new
    (7, 'A1', True)
    >>> print(d.explanation_zh)
    A1 首次登记:成交台账2026-03-01的成交由张伟完成,客户此前没有归属顾问,归张伟。
    >>> deal_owner(3, 7, {3: "李娜", 7: "张伟"}, datetime.date(2026, 3, 1)).owner_id
    3
    """
    day = deal_date.isoformat()
    if current_owner_id:
        owner = names.get(current_owner_id) or "#%s" % current_owner_id
        return DealOwner(
            current_owner_id, "A1",
            "A1 首次登记:客户已归%s,成交台账%s的成交不改变归属。" % (owner, day),
            "A1 first registration: the customer belongs to %s; the ledger's deal "
            "of %s does not change that." % (owner, day), False)
    name = names.get(consultant_id) or "#%s" % consultant_id
    return DealOwner(
        consultant_id, "A1",
        "A1 首次登记:成交台账%s的成交由%s完成,客户此前没有归属顾问,归%s。" % (
            day, name, name),
        "A1 first registration: the ledger's deal of %s was closed by %s and the "
        "customer had no owner: %s owns them." % (day, name, name), True)
