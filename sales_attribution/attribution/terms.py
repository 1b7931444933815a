"""The rule book's vocabulary: one definition of every term the package and the
models share.

Each term is defined here once and imported wherever it is used (the pure rules, the
models, the views' tests). Selections of the Odoo fields are built from the tuples
below; a view filter or a button's ``states`` that lists states is checked against
them by a test.

- Visit kinds (来访类型): ``KINDS``.
- Conflict states (撞单) and their groups: ``CONFLICT_STATES``, the steps between
  them (``CONFLICT_STEPS``, one per button) and the groups ``OPEN``, ``FINAL``,
  ``TO_RULE``, ``SETTLED``, ``FORFEIT`` (see "What open means" below).
- Split roles (业绩/奖金 lines): ``ROLES``.
- Relation types and direct kin: ``RELATION_TYPES``, ``DIRECT_KIN``.
- Won (成交): ``WON_PROBABILITY``; a deal is won when it is an active opportunity at
  that probability (Odoo 11 ``crm.lead.action_set_won`` writes probability 100 and
  the won stage).
- Context keys the models pass to each other: ``CTX_*``.
- The office's time zone: ``DEFAULT_TIMEZONE``; ``office_date`` and
  ``office_datetime`` turn a naive UTC datetime into the office's calendar.
- Errors with a Chinese and an English message: ``BilingualError``.
- Odoo selections from a tuple of values and their labels: ``selection``.

What open means (未结) for the office. The seed's order is 撞单先由顾问之间协商,结果报经理
审核;无结果由经理裁决;不能协商解决,又不接受主管或经理裁定的,上报公司,业绩充公. A
conflict is *open* while one of those steps is still to come, that is while a button
leads on from its state: ``negotiation`` (the consultants negotiate, or the manager
rules), ``agreed`` (the manager approves, or rules otherwise), ``ruled`` (the claimants
accept, or refuse and escalate), ``escalated`` (the company: the manager rules or
forfeits). It is *final* once ``accepted`` or ``forfeited``: no step leads out. The
view's "Open" filter, the collision that joins the customer's conflict instead of
opening a second one, and the rule "never two open conflicts for one customer" all
use this one meaning. Who owns the customer *meanwhile* is a different question
(``SETTLED``: a winner is in effect; ``FORFEIT``: the company holds the deal).

>>> import datetime
>>> office_date(datetime.datetime(2026, 3, 1, 23, 30))      # 07:30 next morning
datetime.date(2026, 3, 2)
>>> office_date(datetime.datetime(2026, 3, 1, 23, 30), "Europe/London")
datetime.date(2026, 3, 1)
>>> "negotiation" in OPEN and "ruled" in SETTLED
True

Open is exactly "a step leads on", final is the rest:

>>> leave = {s for states, _ in CONFLICT_STEPS.values() for s in states}
>>> sorted(OPEN) == sorted(leave)
True
>>> sorted(OPEN + FINAL) == sorted(CONFLICT_STATES)
True
"""
import datetime

import pytz

# ------------------------------------------------------------------ visits

#: visit kinds (contract values of ``attribution.visit.kind``)
KINDS = ("walk_in", "appointment", "referral", "staff_referral")

# ------------------------------------------------------------------ conflicts

#: every state of ``attribution.conflict.state``, in the order the form shows them
CONFLICT_STATES = ("negotiation", "agreed", "ruled", "accepted", "escalated",
                   "forfeited")
#: button -> (states it may be pressed in, state it leads to): A6 negotiation,
#: approval and ruling, A7 escalation and forfeit
CONFLICT_STEPS = {
    "action_agree": (("negotiation",), "agreed"),
    "action_rule": (("negotiation", "agreed", "escalated"), "ruled"),
    "action_accept": (("agreed", "ruled"), "accepted"),
    "action_escalate": (("negotiation", "agreed", "ruled"), "escalated"),
    "action_forfeit": (("escalated",), "forfeited"),
}
#: 未结: a step is still to come (a button leads on); see "What open means"
OPEN = ("negotiation", "agreed", "ruled", "escalated")
#: 已结: no step leads out
FINAL = ("accepted", "forfeited")
#: waiting for the manager: an agreement to approve, an escalation to decide
TO_RULE = ("agreed", "escalated")
#: a ruling with a winner: agreed by the consultants, ruled or accepted by the manager
SETTLED = ("agreed", "ruled", "accepted")
#: A7: the company takes the deal (escalated deals are held by the company too)
FORFEIT = ("forfeited", "escalated")
#: the conflict a new collision on the customer joins (claimants added) rather than
#: opening a second one: the open one (the same group, under the name callers used)
LIVE = OPEN

# ------------------------------------------------------------------ splits

#: roles of ``attribution.split.line.role``
ROLES = ("owner", "co_owner", "original", "closer", "company")

# ------------------------------------------------------------------ relations

RELATION_TYPES = ("spouse", "parent", "child", "sibling", "relative", "friend",
                  "referral")
#: 直系亲属 (B1, A9 family): spouse, parent, child
DIRECT_KIN = ("spouse", "parent", "child")

# ------------------------------------------------------------------ deals

#: a deal is won (成交) at this probability (Odoo 11 ``action_set_won``)
WON_PROBABILITY = 100

# ------------------------------------------------------------------ context keys

#: set by the split writer while it writes split lines (the lines' guard lets it)
CTX_SPLIT_COMPUTE = "attribution_split_compute"
#: set while the inverse row of a relation is written (no second inverse)
CTX_RELATION_INVERSE = "attribution_relation_inverse"
#: set once the A8 poaching violation of a conflict is recorded
CTX_POACHING_RECORDED = "attribution_poaching_recorded"
#: set while the customers' phone rows are written by the partner sync or the merge
#: (``attribution.partner.phone``): the rows of mobile/phone may change then
CTX_PHONE_SYNC = "attribution_phone_sync"
#: the ``now`` (string, UTC) the models read instead of the clock: the one of an event
#: send run, so every message of a run agrees; the dashboard's day; a fixed now in tests
CTX_NOW = "attribution_now"
#: a consultant's own check-in: the arrival is recorded, presence stays the desk's
CTX_ARRIVAL_ONLY = "attribution_arrival_only"
#: set where the addon creates customers (the visit desk, the sheet imports): they get
#: no generated avatar (three PNG attachments per customer, about half the cost of a
#: new customer's creation; the web client shows its placeholder instead)
CTX_NO_AVATAR = "attribution_no_avatar"
#: the register import replays every row through the desk's engine (the path the
#: bulk import is checked against, ``tests/test_register_bulk.py``)
CTX_IMPORT_PER_ROW = "attribution_import_per_row"

# ------------------------------------------------------------------ time

#: the office's time zone when the company sets none (Beijing time)
DEFAULT_TIMEZONE = "Asia/Shanghai"


def office_datetime(value, tz_name=None):
    """The office-local (aware) datetime of a naive UTC ``datetime``.

    ``tz_name``: an IANA zone name (default ``DEFAULT_TIMEZONE``); an unknown name
    raises ``pytz.UnknownTimeZoneError``.
    """
    zone = pytz.timezone(tz_name or DEFAULT_TIMEZONE)
    return pytz.utc.localize(value).astimezone(zone)


def office_date(value, tz_name=None):
    """The office's calendar date of ``value``.

    ``value``: a naive UTC ``datetime`` (converted to the office's zone), a ``date``
    (already an office date, returned as it is) or ``None`` (returned).
    """
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return office_datetime(value, tz_name).date()
    if isinstance(value, datetime.date):
        return value
    raise BilingualError("无法识别的日期:%r" % (value,), "Not a date: %r" % (value,))


def utc_from_office(value, tz_name=None):
    """The naive UTC datetime of a naive office-local ``datetime`` (e.g. a sheet's)."""
    zone = pytz.timezone(tz_name or DEFAULT_TIMEZONE)
    return zone.localize(value).astimezone(pytz.utc).replace(tzinfo=None)


# ------------------------------------------------------------------ selections

def selection(values, labels):
    """The Odoo selection ``[(value, label), ...]`` of ``values``, in their order.

    ``labels``: a dict naming every value and nothing else, else ``ValueError`` (at
    import time, so a value added here without a label stops the module loading).

    >>> selection(("a", "b"), {"b": "Bee", "a": "Ay"})
    [('a', 'Ay'), ('b', 'Bee')]
    >>> selection(("a", "b"), {"a": "Ay"})
    Traceback (most recent call last):
    ...
    ValueError: labels do not match the values: missing ['b'], unknown []
    """
    missing = [v for v in values if v not in labels]
    unknown = sorted(k for k in labels if k not in values)
    if missing or unknown:
        raise ValueError("labels do not match the values: missing %s, unknown %s"
                         % (missing, unknown))
    return [(value, labels[value]) for value in values]


# ------------------------------------------------------------------ errors

class BilingualError(ValueError):
    """An error of the rule book with a Chinese and an English message.

    ``str(err)`` is the English message; the models show ``message(lang)``.

    >>> err = BilingualError("缺少来访时间。", "The visit time is missing.")
    >>> err.message("zh_CN"), err.message("en_US")
    ('缺少来访时间。', 'The visit time is missing.')
    """

    def __init__(self, message_zh, message_en, *args):
        super(BilingualError, self).__init__(message_en, *args)
        self.message_zh = message_zh
        self.message_en = message_en

    def message(self, lang=None):
        """The message in ``lang`` (Chinese for ``zh*``, else English)."""
        return self.message_zh if (lang or "").startswith("zh") else self.message_en


# ------------------------------------------------------------------ projects

#: ownership scopes (company setting ``attribution_scope``): one owner per project
#: (案场, a ``crm.team``), or one owner across all the company's projects
SCOPE_PROJECT = "project"
SCOPE_COMPANY = "company"
SCOPES = (SCOPE_PROJECT, SCOPE_COMPANY)
#: the project (``crm.team`` id) whose ownership the customer's fields read and write
CTX_TEAM = "team_id"
