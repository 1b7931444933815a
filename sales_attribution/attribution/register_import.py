"""An office's visit register (来访登记表) read row by row, before the rule book judges it.

Pure Python: the import wizard (``attribution.visit.import``) reads the file with
``tools/sheet_reader.read_rows`` and calls this module; nothing here decides an owner.

1. Header recognition: :func:`recognize` maps the header row to the register's
   columns (``COLUMNS``) by their Chinese or English names and a few common variants
   (blanks, case, full-width characters and punctuation do not matter); a manual
   ``mapping`` (header text -> column key, or ``IGNORE``) names the others. Columns the
   export adds (owner, rule, explanation) are recognised and ignored.
2. Row normalisation and validation: :func:`parse_row` turns one row into a
   :class:`RegisterRow` or raises :class:`RowError` naming *every* fault of the row in
   Chinese and English: a missing value, an unreadable phone (``phone.py``), an
   unreadable or future visit time, an unknown kind, a yes/no that is neither.
3. Consultants: :func:`match_user` finds the user a sheet names, by login or by
   name (an unknown or ambiguous name is an error, never a new user).
4. :func:`fingerprint`: what makes a row the same visit again (normalised phone,
   visit time to the minute as typed in the office, receiver), so a re-import adds
   nothing twice; :func:`in_time_order`: the order the rows are replayed in.

Times are office-local naive datetimes as typed in the sheet (the caller converts them
with ``terms.utc_from_office``); ``now`` is a parameter, office-local too.

>>> import datetime
>>> header = recognize(["来访时间", "客户姓名", "电话", "接待顾问", "来访类型", "备注"])
>>> header.missing, header.unknown
((), ())
>>> row = parse_row(2, ("2026/3/1 10:30", "王先生", "138 0013 8000", "张伟", "老带新",
...                     None), header, now=datetime.datetime(2026, 3, 2))
>>> row.visit_at, row.phone, row.kind, row.receiver
(datetime.datetime(2026, 3, 1, 10, 30), '13800138000', 'referral', '张伟')
>>> fingerprint(row.phone, row.visit_at, 7)
'13800138000|2026-03-01 10:30|7'
>>> try:
...     parse_row(3, ("明天", "李女士", "12345", None), header,
...               now=datetime.datetime(2026, 3, 2))
... except RowError as err:
...     print(err.message("zh_CN"))
第3行:来访时间“明天”无法识别(例如 2026-03-01 14:30);电话号码过短(5位),手机号应为11位,固定电话须带区号:12345;缺少接待顾问。
"""
import dataclasses
import datetime
import re
import unicodedata

from .phone import InvalidPhone, normalize_phone
from .terms import KINDS, BilingualError

#: a manual mapping's value for a header the import leaves out
IGNORE = "ignore"


@dataclasses.dataclass(frozen=True)
class Column:
    """One column of the register: ``key`` (the row's attribute), its Chinese and
    English header (what the export writes) and other names recognised."""

    key: str
    zh: str
    en: str
    aliases: tuple = ()
    required: bool = False


#: the register's columns, in the export's order (the issue's names first)
COLUMNS = (
    Column("visit_at", "来访时间", "Visit Time",
           ("来访日期", "到访时间", "到访日期", "visit date", "visit datetime", "date",
            "time"), required=True),
    Column("partner_name", "客户姓名", "Customer",
           ("姓名", "客户", "客户名称", "customer name", "name")),
    Column("phone", "电话", "Phone",
           ("联系电话", "客户电话", "手机", "手机号", "手机号码", "电话号码", "mobile",
            "phone number", "tel"), required=True),
    Column("receiver", "接待顾问", "Receiver",
           ("接待人", "接待", "置业顾问", "接待置业顾问", "received by", "consultant"),
           required=True),
    Column("kind", "来访类型", "Kind", ("类型", "来访方式", "visit kind", "visit type",
                                    "type")),
    Column("requested", "指定顾问", "Requested",
           ("指定置业顾问", "找顾问", "requested consultant", "consultant asked for",
            "asked for")),
    Column("referrer_phone", "介绍人电话", "Referrer Phone",
           ("介绍人手机", "老客户电话", "referred by phone", "referrer")),
    Column("brought_in_person", "是否亲自带来", "Brought In Person",
           ("亲自带来", "老客户是否到场", "brought in person by referrer")),
    Column("asked_prior_visit", "是否询问来访", "Asked Prior Visit",
           ("是否询问", "询问来访", "asked about prior visits", "asked prior visits")),
    Column("customer_recalls_consultant", "客户是否记得顾问",
           "Customer Recalls Consultant",
           ("记得顾问", "是否记得顾问", "recalls consultant", "customer recalls")),
    Column("note", "备注", "Note", ("说明", "notes", "remark", "remarks", "comment")),
)
#: the columns the export adds after the register's: the rule book's result,
#: recognised (a round-tripped sheet imports without a mapping) and not imported
RESULT_COLUMNS = (
    Column("owner", "归属顾问", "Owner", ("owner consultant",)),
    Column("rule_code", "判客规则", "Rule", ("rule code", "规则")),
    Column("explanation", "判客说明", "Explanation", ("说明理由",)),
    Column("decision_time", "判客时间", "Decision Time", ("decided at",)),
    Column("previous_owner", "原归属顾问", "Previous Owner", ()),
    Column("project", "项目", "Project", ("案场", "project name")),
)
COLUMN_KEYS = tuple(c.key for c in COLUMNS)
_BY_KEY = {c.key: c for c in COLUMNS + RESULT_COLUMNS}

#: kind names of the sheets (Chinese, English, the values themselves)
KIND_NAMES = {
    "walk_in": ("自然来访", "自然到访", "散客", "上门", "walk-in", "walk in", "walkin"),
    "appointment": ("预约", "预约来访", "预约到访", "appointment"),
    "referral": ("老带新", "客户介绍", "老客户介绍", "介绍", "转介", "referral",
                 "referral by a customer", "customer referral"),
    "staff_referral": ("员工介绍", "内部介绍", "同事介绍", "发展商介绍", "开发商介绍",
                       "staff referral", "staff or developer referral",
                       "developer referral"),
}
_YES = ("是", "有", "y", "yes", "true", "1", "√", "✓", "✔", "对")
_NO = ("否", "无", "没有", "n", "no", "false", "0", "×", "✗", "-")
#: date-time formats of typed text, tried in order (a date alone is at 00:00)
DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M",
    "%Y.%m.%d %H:%M", "%Y年%m月%d日 %H:%M", "%Y年%m月%d日%H:%M", "%Y年%m月%d日%H时%M分",
    "%Y年%m月%d日 %H时%M分", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M",
    "%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日",
)
#: clocks of the office's PCs: a visit up to this much after ``now`` is not future
FUTURE_SLACK = datetime.timedelta(minutes=10)
#: Excel's day 0 (serial dates typed as numbers, 1900 system)
_EXCEL_EPOCH = datetime.datetime(1899, 12, 30)


def _fold(text):
    """Text compared loosely: NFKC (full width to ASCII), lower case, no blanks,
    underscores, dashes, slashes or brackets."""
    text = unicodedata.normalize("NFKC", str(text)).lower()
    return re.sub(r"[\s_\-/()\[\]:.?？]", "", text)


_HEADER_NAMES = {}
for _col in COLUMNS + RESULT_COLUMNS:
    for _name in (_col.key, _col.zh, _col.en) + _col.aliases:
        _HEADER_NAMES.setdefault(_fold(_name), _col.key)
_KIND_NAMES = {_fold(name): kind for kind, names in KIND_NAMES.items()
               for name in names + (kind,)}


class RowError(BilingualError):
    """Every fault of one row: ``faults`` is a list of ``(zh, en)`` messages."""

    def __init__(self, row, faults):
        faults = list(faults)
        self.row = row
        self.faults = faults
        super(RowError, self).__init__(
            "第%s行:%s。" % (row, ";".join(zh.rstrip("。.") for zh, _en in faults)),
            "Row %s: %s." % (row, "; ".join(en.rstrip(".") for _zh, en in faults)))


# ------------------------------------------------------------------ header

@dataclasses.dataclass(frozen=True)
class HeaderMap:
    """The header row read: ``columns`` ``{key: column index}``; ``unknown``
    ``((index, header text), ...)`` neither recognised nor mapped (left out);
    ``missing`` the required keys no column gives; ``duplicates`` keys given twice
    ``((key, header text), ...)`` (the first column is used)."""

    columns: dict
    unknown: tuple = ()
    missing: tuple = ()
    duplicates: tuple = ()

    def error(self):
        """A ``BilingualError`` naming the missing required columns, or ``None``."""
        if not self.missing:
            return None
        cols = [_BY_KEY[k] for k in self.missing]
        return BilingualError(
            "缺少必需的列:%s。请在表头中加上这些列,或在“列对应”中指定。"
            % "、".join(c.zh for c in cols),
            "Missing required column(s): %s. Add them to the header row or map them "
            "in the column mapping." % ", ".join(c.en for c in cols))


def column_for(header_text):
    """The column key a header names (``None`` when not recognised).

    >>> column_for(" 联系电话 "), column_for("Visit Time"), column_for("楼栋")
    ('phone', 'visit_at', None)
    """
    if header_text is None:
        return None
    return _HEADER_NAMES.get(_fold(header_text))


def recognize(header, mapping=None):
    """The :class:`HeaderMap` of the ``header`` row's values.

    ``mapping``: ``{header text: column key or IGNORE}`` chosen by the manager; it
    wins over the recognised names. A mapped key that is not a column raises
    ``ValueError`` (a programming error: the wizard offers the keys only). Result
    columns of the export are left out quietly.

    >>> m = recognize(["Visit Time", "Mobile", "顾问", "楼栋"], {"顾问": "receiver"})
    >>> sorted(m.columns.items()), m.unknown, m.missing
    ([('phone', 1), ('receiver', 2), ('visit_at', 0)], ((3, '楼栋'),), ())
    >>> recognize(["电话"]).error().message("en_US")
    'Missing required column(s): Visit Time, Receiver. Add them to the header row or \
map them in the column mapping.'
    """
    mapping = {_fold(k): v for k, v in (mapping or {}).items()}
    columns, unknown, duplicates = {}, [], []
    for index, text in enumerate(header):
        if text is None or str(text).strip() == "":
            continue
        text = str(text).strip()
        key = mapping.get(_fold(text)) or _HEADER_NAMES.get(_fold(text))
        if key == IGNORE or key in _BY_KEY and key not in COLUMN_KEYS:
            continue
        if key is None:
            unknown.append((index, text))
            continue
        if key not in COLUMN_KEYS:
            raise ValueError("not a register column: %r" % (key,))
        if key in columns:
            duplicates.append((key, text))
            continue
        columns[key] = index
    missing = tuple(c.key for c in COLUMNS if c.required and c.key not in columns)
    return HeaderMap(columns=columns, unknown=tuple(unknown), missing=missing,
                     duplicates=tuple(duplicates))


# ------------------------------------------------------------------ values

def parse_datetime(value):
    """A naive ``datetime`` of a sheet's visit time, or ``None`` if unreadable.

    ``value``: a ``datetime`` (a date cell), a ``date`` (00:00), an Excel serial
    number (1900 system, a date cell the program did not format) or text in one of
    ``DATETIME_FORMATS`` (full-width digits are read). Seconds are dropped.

    >>> parse_datetime("2026年3月1日 9:05"), parse_datetime(46082.5)
    (datetime.datetime(2026, 3, 1, 9, 5), datetime.datetime(2026, 3, 1, 12, 0))
    >>> parse_datetime("2026-02-30") is None
    True
    """
    if isinstance(value, datetime.datetime):
        result = value.replace(tzinfo=None)
    elif isinstance(value, datetime.date):
        result = datetime.datetime(value.year, value.month, value.day)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if not 1 <= value < 2958466:  # Excel's last day is 9999-12-31
            return None
        result = _EXCEL_EPOCH + datetime.timedelta(days=value)
        result = result.replace(microsecond=0) + datetime.timedelta(
            seconds=round(result.microsecond / 1e6))
    elif isinstance(value, str):
        text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", value).strip())
        result = None
        for fmt in DATETIME_FORMATS:
            try:
                result = datetime.datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        if result is None:
            return None
    else:
        return None
    return result.replace(second=0, microsecond=0)


def parse_kind(value, has_referrer=False):
    """The visit kind (``terms.KINDS``) a sheet names, ``None`` if unknown. Empty:
    ``referral`` when the row names a referrer, else ``walk_in``.

    >>> parse_kind("预约"), parse_kind("Staff Referral"), parse_kind(None, True)
    ('appointment', 'staff_referral', 'referral')
    """
    if value is None or str(value).strip() == "":
        return "referral" if has_referrer else "walk_in"
    kind = _KIND_NAMES.get(_fold(value))
    assert kind is None or kind in KINDS
    return kind


def parse_yes_no(value):
    """``True``/``False`` of a yes/no cell in either language, ``False`` when empty,
    ``None`` when it is neither.

    >>> parse_yes_no("是"), parse_yes_no("No"), parse_yes_no(None), parse_yes_no("也许")
    (True, False, False, None)
    """
    if value is None or value == "":
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    folded = _fold(value)
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    return None


def _text(value):
    """A cell as text (an integral number without ``.0``), ``None`` when empty."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


# ------------------------------------------------------------------ rows

@dataclasses.dataclass(frozen=True)
class RegisterRow:
    """One valid row of the register. ``row``: its number in the sheet; ``visit_at``:
    naive office-local; ``phone`` and ``referrer_phone``: normalised (``phone.py``);
    ``receiver`` and ``requested``: the consultant as the sheet names them (name or
    login, matched by the caller with :func:`match_user`); ``kind`` one of
    ``terms.KINDS``."""

    row: int
    visit_at: datetime.datetime
    phone: str
    receiver: str
    partner_name: str = None
    kind: str = "walk_in"
    requested: str = None
    referrer_phone: str = None
    brought_in_person: bool = False
    asked_prior_visit: bool = False
    customer_recalls_consultant: bool = False
    note: str = None


def _yes_no_field(values, key, faults):
    value = values.get(key)
    result = parse_yes_no(value)
    if result is None:
        col = _BY_KEY[key]
        faults.append((
            "%s“%s”应为“是”或“否”" % (col.zh, value),
            "%s \"%s\" must be yes or no" % (col.en, value)))
        return False
    return result


def _visit_at_field(raw, now, faults):
    visit_at = parse_datetime(raw)
    if raw is None or raw == "":
        faults.append(("缺少来访时间", "the visit time is missing"))
    elif visit_at is None:
        faults.append(("来访时间“%s”无法识别(例如 2026-03-01 14:30)" % (raw,),
                       "the visit time \"%s\" cannot be read (e.g. 2026-03-01 14:30)"
                       % (raw,)))
    elif visit_at > now + FUTURE_SLACK:
        faults.append(("来访时间 %s 在将来" % visit_at.strftime("%Y-%m-%d %H:%M"),
                       "the visit time %s is in the future"
                       % visit_at.strftime("%Y-%m-%d %H:%M")))
    return visit_at


def _referrer_field(raw, faults):
    if not _text(raw):
        return None
    try:
        return normalize_phone(raw)
    except InvalidPhone as err:
        faults.append(("介绍人" + err.message_zh, "referrer: " + err.message_en))
        return None


def parse_row(number, values, header, now):
    """The :class:`RegisterRow` of the sheet's row ``number`` with ``values``.

    ``header``: the :class:`HeaderMap`; ``now``: the office-local naive datetime the
    import runs at (a visit later than ``now`` + ``FUTURE_SLACK`` is refused).
    Raises :class:`RowError` with every fault of the row.
    """
    cells = {key: (values[index] if index < len(values) else None)
             for key, index in header.columns.items()}
    faults = []

    visit_at = _visit_at_field(cells.get("visit_at"), now, faults)
    phone = None
    try:
        phone = normalize_phone(cells.get("phone"))
    except InvalidPhone as err:
        faults.append((err.message_zh, err.message_en))
    referrer_phone = _referrer_field(cells.get("referrer_phone"), faults)

    receiver = _text(cells.get("receiver"))
    if receiver is None:
        faults.append(("缺少接待顾问", "the receiver is missing"))

    kind = parse_kind(cells.get("kind"), has_referrer=bool(referrer_phone))
    if kind is None:
        faults.append((
            "来访类型“%s”无法识别(可填:自然来访、预约、老带新、员工介绍)"
            % (cells.get("kind"),),
            "the kind \"%s\" is unknown (use walk-in, appointment, referral or staff "
            "referral)" % (cells.get("kind"),)))
    flags = {key: _yes_no_field(cells, key, faults) for key in (
        "brought_in_person", "asked_prior_visit", "customer_recalls_consultant")}
    if faults:
        raise RowError(number, faults)
    return RegisterRow(
        row=number, visit_at=visit_at, phone=phone, receiver=receiver,
        partner_name=_text(cells.get("partner_name")), kind=kind,
        requested=_text(cells.get("requested")), referrer_phone=referrer_phone,
        note=_text(cells.get("note")), **flags)


# ------------------------------------------------------------------ consultants

def match_user(text, users):
    """The id of the consultant a sheet names by login or by name.

    ``users``: ``(id, name, login)`` of the project's consultants (those who have
    left included: nothing tells which of two namesakes the sheet meant). A login
    matches first (case and blanks do not matter), then a name; two consultants of
    that name (the error lists their logins), or none, raise ``BilingualError``.

    >>> staff = [(7, "张伟", "zhangwei"), (8, "刘娜", "liuna"), (9, "张伟", "zw2")]
    >>> match_user("LiuNa", staff), match_user("zw2", staff)
    (8, 9)
    >>> try:
    ...     match_user("张伟", staff)
    ... except BilingualError as err:
    ...     print(err.message("zh_CN"))
    本项目有多位顾问名为“张伟”(zhangwei、zw2),请改填其登录名
    """
    wanted = _fold(text)
    by_login = [uid for uid, _name, login in users if login and _fold(login) == wanted]
    if len(by_login) == 1:
        return by_login[0]
    by_name = [uid for uid, name, _login in users if name and _fold(name) == wanted]
    if len(by_name) == 1:
        return by_name[0]
    if by_name:
        logins = sorted(login for uid, _name, login in users if uid in by_name)
        raise BilingualError(
            "本项目有多位顾问名为“%s”(%s),请改填其登录名" % (text, "、".join(logins)),
            "two or more consultants of the project are called \"%s\" (%s): write "
            "their login instead" % (text, ", ".join(logins)))
    raise BilingualError(
        "顾问“%s”不是本项目的成员(按姓名或登录名查找)" % text,
        "consultant \"%s\" is not a member of the project (by name or login)" % text)


# ------------------------------------------------------------------ identity, order

def fingerprint(phone, visit_at, receiver_id):
    """The identity of a register row: normalised ``phone``, office-local
    ``visit_at`` to the minute and the receiver's user id. Two rows (of one file or
    of two overlapping files) with the same fingerprint are the same visit."""
    return "%s|%s|%s" % (phone, visit_at.strftime("%Y-%m-%d %H:%M"), receiver_id)


def in_time_order(rows):
    """``rows`` (:class:`RegisterRow`) by visit time, then by their row number: the
    order the office registered them in.

    >>> a = RegisterRow(row=2, visit_at=datetime.datetime(2026, 3, 2), phone="1",
    ...                 receiver="x")
    >>> b = dataclasses.replace(a, row=3, visit_at=datetime.datetime(2026, 3, 1))
    >>> [r.row for r in in_time_order([a, b])]
    [3, 2]
    """
    return sorted(rows, key=lambda r: (r.visit_at, r.row))


#: how the export writes a kind and a yes/no, (Chinese, English): both read back
KIND_LABELS = {"walk_in": ("自然来访", "walk-in"), "appointment": ("预约", "appointment"),
               "referral": ("老带新", "referral"),
               "staff_referral": ("员工介绍", "staff referral")}
YES_NO_LABELS = {True: ("是", "yes"), False: ("否", "no")}


def _label(labels, lang):
    return labels[0] if (lang or "").startswith("zh") else labels[1]


def kind_label(kind, lang=None):
    """The export's name of a visit kind, read back by :func:`parse_kind`.

    >>> kind_label("referral", "zh_CN"), parse_kind(kind_label("referral", "en_US"))
    ('老带新', 'referral')
    """
    return _label(KIND_LABELS[kind], lang)


def yes_no_label(value, lang=None):
    """The export's yes/no, read back by :func:`parse_yes_no`.

    >>> yes_no_label(True, "zh_CN"), parse_yes_no(yes_no_label(False, "en_US"))
    ('是', False)
    """
    return _label(YES_NO_LABELS[bool(value)], lang)


def header_row(lang=None):
    """The register's header as the export writes it: Chinese for ``zh*``, else
    English, the result columns after the register's.

    >>> header_row("zh_CN")[:4]
    ['来访时间', '客户姓名', '电话', '接待顾问']
    """
    zh = (lang or "").startswith("zh")
    return [c.zh if zh else c.en for c in COLUMNS + RESULT_COLUMNS]
