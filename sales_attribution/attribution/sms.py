"""What an SMS (and a guest mail) may do now: quiet hours, opt-out, provider templates
and segment counts. Pure: no Odoo import; times are naive UTC ``datetime`` and ``now``
is always a parameter.

Rules (SPEC section 4, issue 15; cited in every decision):

- ``S1`` quiet hours (免打扰时段): nothing goes out between ``QuietHours.start`` and
  ``QuietHours.end`` office time (default 21:00-08:00, the office's zone ``tz``); a
  message due then waits until the end of the quiet hours (:func:`release_time`).
- ``S2`` opt-out (退订): a customer who opted out receives no SMS; the message is
  skipped, never held.

Templates: China's providers send only pre-approved templates. A template maps the
provider's named (Alibaba Cloud ``${name}``) or numbered (Tencent Cloud ``{1}``)
parameters to the facts of a message (:data:`FACTS`, :func:`message_facts`), one
``param=fact`` a line (:func:`parse_param_map`, :func:`fill_params`).

>>> quiet = QuietHours(21, 8, "Asia/Shanghai")
>>> d = send_decision(dt(2026, 5, 7, 14, 0), dt(2026, 5, 7, 14, 0), quiet)
>>> d.action, d.code, d.at                                 # 22:00 in Beijing
('hold', 'S1', datetime.datetime(2026, 5, 8, 0, 0))
>>> d.message("zh_CN")
'免打扰时段(21:00-08:00 Asia/Shanghai):等到 2026-05-08 08:00 发送'
>>> send_decision(dt(2026, 5, 7, 1, 0), dt(2026, 5, 7, 1, 0), quiet).action
'send'
>>> send_decision(dt(2026, 5, 7, 1, 0), dt(2026, 5, 7, 1, 0), quiet,
...               opted_out=True).code
'S2'
"""
import datetime
import json
import math
import re
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass
from typing import Optional

from .terms import DEFAULT_TIMEZONE, BilingualError, office_datetime, utc_from_office

dt = datetime.datetime

#: rule codes of this module: (Chinese title, English title)
RULES = {
    "S1": ("免打扰时段不发送", "Quiet hours: nothing is sent"),
    "S2": ("客户已退订短信", "The customer opted out of SMS"),
}

#: quiet hours by default (office time, hours as floats: 21.5 is 21:30)
QUIET_START = 21.0
QUIET_END = 8.0

#: one SMS holds 70 characters; a longer text is sent in parts of 67 characters
SINGLE_LENGTH = 70
PART_LENGTH = 67

#: an incoming reply containing this word opts out (退订 = unsubscribe)
OPT_OUT_WORDS = ("退订",)
#: ... or one of these letters as a word of its own (TD = 退订, T, N), any case
OPT_OUT_TOKENS = ("TD", "T", "N")

#: facts a template parameter may take (keys of :func:`message_facts`)
FACTS = ("salutation", "name", "event", "date", "time", "date_range", "countdown",
         "venue", "signin", "parking", "seats", "consultant", "consultant_phone",
         "company", "gift")


# --------------------------------------------------------------------------- decisions

@dataclass(frozen=True)
class QuietHours:
    """The office's quiet hours: from ``start`` to ``end`` (hours of the day as
    floats, 0 <= h < 24; ``start`` after ``end`` spans midnight; ``start == end``
    means no quiet hours), counted in the zone ``tz`` (IANA name)."""

    start: float = QUIET_START
    end: float = QUIET_END
    tz: str = DEFAULT_TIMEZONE

    def label(self):
        """``"21:00-08:00 Asia/Shanghai"``."""
        return "%s-%s %s" % (_hhmm(self.start), _hhmm(self.end), self.tz)


@dataclass(frozen=True)
class Decision:
    """When a message may go: ``action`` ``send`` (now), ``hold`` (at ``at``, naive
    UTC) or ``skip`` (never); ``code`` the rule (None for a plain send)."""

    action: str
    at: Optional[datetime.datetime]
    code: Optional[str]
    message_zh: str
    message_en: str

    def message(self, lang=None):
        """The explanation in ``lang`` (Chinese for ``zh*``, else English)."""
        return self.message_zh if (lang or "").startswith("zh") else self.message_en


def _hhmm(hours):
    minutes = int(round(hours * 60))
    return "%02d:%02d" % (minutes // 60, minutes % 60)


def _minute_of_day(hours):
    return int(round(hours * 60)) % (24 * 60)


def check_quiet_hours(start, end):
    """Raise ``BilingualError`` unless ``start`` and ``end`` are hours of a day
    (0 <= h < 24).

    >>> check_quiet_hours(21, 8)
    >>> check_quiet_hours(25, 8)
    Traceback (most recent call last):
    ...
    attribution.terms.BilingualError: Quiet hours must be times of day (00:00 to 23:59).
    """
    for value in (start, end):
        if value is None or not 0 <= value < 24:
            raise BilingualError("免打扰时段必须是一天中的时刻(00:00 至 23:59)。",
                                 "Quiet hours must be times of day (00:00 to 23:59).")


def in_quiet_hours(when, quiet):
    """Whether the naive UTC ``when`` falls in the quiet hours (start included, end
    excluded).

    >>> q = QuietHours(21, 8, "Asia/Shanghai")
    >>> [in_quiet_hours(dt(2026, 5, 7, h, 0), q) for h in (0, 12, 13, 22, 23)]
    [False, False, True, True, True]
    >>> in_quiet_hours(dt(2026, 5, 7, 13, 0), QuietHours(21, 8, "Europe/London"))
    False
    >>> in_quiet_hours(dt(2026, 5, 7, 13, 0), QuietHours(8, 8))   # none
    False
    """
    start, end = _minute_of_day(quiet.start), _minute_of_day(quiet.end)
    if start == end:
        return False
    local = office_datetime(when, quiet.tz)
    minute = local.hour * 60 + local.minute
    if start < end:
        return start <= minute < end
    return minute >= start or minute < end


def release_time(when, quiet):
    """The first moment at or after the naive UTC ``when`` outside the quiet hours
    (``when`` itself when it is outside), naive UTC.

    >>> q = QuietHours(21, 8, "Asia/Shanghai")
    >>> release_time(dt(2026, 5, 7, 14, 0), q)                 # 22:00 -> 08:00
    datetime.datetime(2026, 5, 8, 0, 0)
    >>> release_time(dt(2026, 5, 7, 22, 30), q)                # 06:30 -> 08:00
    datetime.datetime(2026, 5, 8, 0, 0)
    >>> release_time(dt(2026, 5, 7, 3, 0), q)                  # 11:00: now
    datetime.datetime(2026, 5, 7, 3, 0)
    """
    if not in_quiet_hours(when, quiet):
        return when
    local = office_datetime(when, quiet.tz).replace(tzinfo=None)
    end = _minute_of_day(quiet.end)
    candidate = local.replace(hour=end // 60, minute=end % 60, second=0,
                              microsecond=0)
    if candidate <= local:
        candidate += datetime.timedelta(days=1)
    return utc_from_office(candidate, quiet.tz)


def send_decision(due, now, quiet, opted_out=False, sms=True):
    """When a message due at ``due`` (naive UTC; None = now) may go, asked at
    ``now``: a :class:`Decision`. ``opted_out`` (the customer's 退订) skips an SMS
    (``sms``) and does not touch a mail.

    >>> q = QuietHours(21, 8, "Asia/Shanghai")
    >>> send_decision(dt(2026, 5, 8, 1, 0), dt(2026, 5, 7, 14, 0), q).at  # later
    datetime.datetime(2026, 5, 8, 1, 0)
    >>> send_decision(None, dt(2026, 5, 7, 14, 0), q, opted_out=True, sms=False).action
    'hold'
    """
    if opted_out and sms:
        zh, en = RULES["S2"]
        return Decision("skip", None, "S2", zh + ",不发送", en + ": not sent")
    when = max(due, now) if due else now
    release = release_time(when, quiet)
    if release == when:
        return Decision("send", when, None, "", "")
    local = office_datetime(release, quiet.tz).strftime("%Y-%m-%d %H:%M")
    return Decision(
        "hold", release, "S1",
        "免打扰时段(%s):等到 %s 发送" % (quiet.label(), local),
        "Quiet hours (%s): held until %s" % (quiet.label(), local))


# --------------------------------------------------------------------------- texts

def segment_count(text):
    """SMS parts of ``text`` as the providers bill it: up to 70 characters is one SMS,
    a longer text goes in parts of 67 (each part carries a header); empty is 0.
    Characters, not bytes: a Chinese character counts one, like a Latin one.

    >>> [segment_count("字" * n) for n in (0, 1, 70, 71, 134, 135, 201, 202)]
    [0, 1, 1, 2, 2, 3, 3, 4]
    """
    length = len(text or "")
    if length == 0:
        return 0
    if length <= SINGLE_LENGTH:
        return 1
    return int(math.ceil(length / float(PART_LENGTH)))


def signed(text, signature):
    """The text as the phone shows it: ``【signature】`` first (the providers add it).

    >>> signed("张总晚上好", "某某置业")
    '【某某置业】张总晚上好'
    >>> signed("张总晚上好", "")
    '张总晚上好'
    """
    return "【%s】%s" % (signature, text) if signature else text


_TOKENS = re.compile(r"[A-Za-z]+")


def is_opt_out_reply(text):
    """Whether a customer's reply asks to stop: it contains 退订 (spaces inside
    ignored), or TD, T or N as a word of its own (any case, full-width letters too;
    Chinese around it separates words).

    >>> [is_opt_out_reply(t) for t in ("退订", "td", "回复T", "n", "请退订谢谢")]
    [True, True, True, True, True]
    >>> [is_opt_out_reply(t) for t in ("好的", "Thanks", "Not now", "", None)]
    [False, False, False, False, False]
    """
    if not text:
        return False
    # full-width letters and spaces of a Chinese keyboard ("ＴＤ") read as ASCII
    text = unicodedata.normalize("NFKC", text)
    if any(word in "".join(text.split()) for word in OPT_OUT_WORDS):  # "退 订"
        return True
    return any(token.upper() in OPT_OUT_TOKENS for token in _TOKENS.findall(text))


# --------------------------------------------------------------------------- templates

def parse_param_map(text):
    """The template's parameters: ``[(provider parameter, fact)]`` in order from
    ``text``, one ``param=fact`` a line (blank lines and ``#`` comments ignored;
    Tencent's numbered parameters are the order of the lines). Raises
    ``BilingualError`` for a line without ``=``, a fact not in :data:`FACTS` or a
    parameter named twice.

    >>> parse_param_map("name=salutation\\n# comment\\n event = event ")
    [('name', 'salutation'), ('event', 'event')]
    >>> parse_param_map("name=age")
    Traceback (most recent call last):
    ...
    attribution.terms.BilingualError: Template parameter line 1: unknown fact 'age' ...
    """
    result, seen = [], set()
    for number, line in enumerate((text or "").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if "=" not in line:
            raise BilingualError(
                "模板参数第%d行应为“参数=事实”:%r" % (number, line),
                "Template parameter line %d must be 'param=fact': %r" % (number, line))
        name, fact = (part.strip() for part in line.split("=", 1))
        if not name:
            raise BilingualError("模板参数第%d行缺少参数名。" % number,
                                 "Template parameter line %d has no name." % number)
        if fact not in FACTS:
            raise BilingualError(
                "模板参数第%d行:未知的事实 %r(可用:%s)" % (number, fact, ", ".join(FACTS)),
                "Template parameter line %d: unknown fact %r (known: %s)"
                % (number, fact, ", ".join(FACTS)))
        if name in seen:
            raise BilingualError("模板参数 %s 重复。" % name,
                                 "Template parameter %s is named twice." % name)
        seen.add(name)
        result.append((name, fact))
    return result


def fill_params(param_map, facts):
    """``OrderedDict`` parameter -> value of ``param_map`` ([(param, fact)]) from
    ``facts`` (a dict of :data:`FACTS` to strings). Raises ``BilingualError`` when a
    fact is empty: the providers refuse empty parameters.

    >>> fill_params([("name", "salutation"), ("d", "date")],
    ...             {"salutation": "张总", "date": "5月9日"})
    OrderedDict([('name', '张总'), ('d', '5月9日')])
    >>> fill_params([("v", "venue")], {"venue": ""})
    Traceback (most recent call last):
    ...
    attribution.terms.BilingualError: Template parameter v needs the venue, which is ...
    """
    result = OrderedDict()
    for name, fact in param_map:
        value = facts.get(fact)
        if value in (None, ""):
            raise BilingualError("模板参数 %s 需要的 %s 为空。" % (name, fact),
                                 "Template parameter %s needs the %s, which is empty."
                                 % (name, fact))
        result[name] = str(value)
    return result


_NAMED = re.compile(r"\$\{(\w+)\}")
_NUMBERED = re.compile(r"\{(\d+)\}")


def render_template(content, params):
    """The text the customer reads: the template's approved ``content`` with its
    ``${name}`` (Alibaba Cloud) or ``{n}`` (Tencent Cloud, 1-based position in
    ``params``) placeholders filled from ``params`` (an ordered mapping). Unknown
    placeholders are left as they are.

    >>> p = OrderedDict([("name", "张总"), ("event", "论坛")])
    >>> render_template("${name}您好,${event}明天开始", p)
    '张总您好,论坛明天开始'
    >>> render_template("{1}您好,{2}明天开始{3}", p)
    '张总您好,论坛明天开始{3}'
    """
    values = list(params.values())

    def numbered(match):
        index = int(match.group(1)) - 1
        return values[index] if 0 <= index < len(values) else match.group(0)

    text = _NAMED.sub(lambda m: params.get(m.group(1), m.group(0)), content or "")
    return _NUMBERED.sub(numbered, text)


def message_facts(ctx):
    """The facts of a message for template parameters: ``{fact: str}`` for every
    key of :data:`FACTS`, from the context the wording takes
    (:func:`attribution.events.render_sms`'s ``ctx``: ``date_begin``/``now`` naive
    UTC, ``tz`` the office's zone). Dates and times are office time.

    >>> f = message_facts({"salutation": "张总", "event": "论坛", "tz": "Asia/Shanghai",
    ...     "date_begin": dt(2026, 5, 9, 1, 30), "now": dt(2026, 5, 7, 2, 0),
    ...     "seats": 2})
    >>> f["date"], f["time"], f["countdown"], f["seats"], f["venue"]
    ('5月9日', '09:30', '2', '2', '')
    """
    tz = ctx.get("tz") or DEFAULT_TIMEZONE
    facts = {key: "" for key in FACTS}
    for key in ("salutation", "name", "event", "date_range", "venue", "signin",
                "parking", "consultant", "consultant_phone", "company", "gift"):
        value = ctx.get(key)
        facts[key] = "" if value in (None, False) else str(value)
    begin = ctx.get("date_begin")
    if begin:
        local = office_datetime(begin, tz)
        facts["date"] = "%d月%d日" % (local.month, local.day)
        facts["time"] = local.strftime("%H:%M")
        now = ctx.get("now")
        if now:
            days = (local.date() - office_datetime(now, tz).date()).days
            facts["countdown"] = str(max(days, 0))
    seats = ctx.get("seats")
    facts["seats"] = str(seats) if seats else ""
    return facts


def dumps(mapping):
    """JSON of ``mapping`` as the outbox stores it (Chinese kept readable, keys in
    their order).

    >>> dumps(OrderedDict([("b", "张"), ("a", 1)]))
    '{"b": "张", "a": 1}'
    """
    return json.dumps(mapping, ensure_ascii=False)


# --------------------------------------------------------------------------- replies

def parse_replies(kind, payload):
    """``[(number, text)]`` of the customers' replies in a provider's reply callback
    ``payload`` (parsed JSON: one reply object or a list of them); numbers normalised
    (:func:`attribution.phone.normalize_phone`), unreadable ones dropped.

    - Alibaba Cloud (``aliyun``, SmsUp push): ``phone_number``, ``content``;
    - Tencent Cloud (``tencent``, reply callback): ``mobile``, ``nationcode``,
      ``text``;
    - ``http`` (the generic gateway): ``from``, ``text``.

    >>> parse_replies("aliyun", [{"phone_number": "13800138000", "content": "TD"}])
    [('13800138000', 'TD')]
    >>> parse_replies("tencent", {"mobile": "13800138000", "nationcode": "86",
    ...                           "text": "退订"})
    [('13800138000', '退订')]
    >>> parse_replies("tencent", {"mobile": "91234567", "nationcode": "852",
    ...                           "text": "N"})
    [('+85291234567', 'N')]
    >>> parse_replies("http", {"from": "bad", "text": "T"})
    []
    """
    from .phone import InvalidPhone, normalize_phone

    keys = {"aliyun": ("phone_number", "content"), "tencent": ("mobile", "text"),
            "http": ("from", "text")}.get(kind, ("from", "text"))
    items = payload if isinstance(payload, list) else [payload]
    result = []
    for item in items:
        if not isinstance(item, dict):
            continue
        raw = str(item.get(keys[0]) or "")
        nation = str(item.get("nationcode") or "")
        if nation and nation != "86" and not raw.startswith("+"):
            raw = "+%s%s" % (nation, raw)
        try:
            number = normalize_phone(raw)
        except InvalidPhone:
            continue
        result.append((number, str(item.get(keys[1]) or "")))
    return result
