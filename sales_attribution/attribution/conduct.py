"""Conduct: violations, strikes, dismissal proposals and duty attendance.

SPEC section 5 and rules A5, A8, A12, A13 of the seed rule book.

What counts as a strike: every recorded violation counts one strike, whatever its
category or class. The seed's "累计三次者...除名" is written for A12 (不热情、不礼貌、
被投诉) and A13 (放下正在接待的客户, a class A fault), and SPEC section 5 lets the rolling
count of *all* recorded violations within the period drive those rules; a manager who
does not want a fault to count does not record it (or removes it). Deliberate poaching
(A8, "蓄意抢单...辞退") needs no count: one is enough for a dismissal proposal.

Strikes count per project (案场, a ``crm.team``): the seed is one sales office's rule
book (售楼部工作制度), and "累计三次者...除名" strikes a name off that office's roster. A
consultant working in two projects is judged in each by that project's faults, strike
limit and period; B's manager never gets a proposal for A's faults. A violation
without project is counted with the other violations without project only.

>>> day = _dt.date(2026, 3, 1)
>>> faults = [Violation(7, day, "complaint", "b", team_id=1),
...           Violation(7, day, "impolite", "b", team_id=1),
...           Violation(7, day, "late", "c", team_id=2)]
>>> now = _dt.datetime(2026, 3, 1, 12, 0)
>>> [strike_count(faults, 7, now, 30, team_id=team) for team in (1, 2)]
[2, 1]
>>> assess(faults, 7, now, 30, strikes=2, team_id=2).propose_dismissal
False

Duty (售楼部工作制度 五: "值班业务员应提前5-10分钟前到岗"): arriving later than five
minutes before the shift is ``late``; not arriving is ``absence``. Both are class c
faults with no rule code of the catalogue (the duty rules carry no code).
"""
import datetime as _dt
from dataclasses import dataclass
from typing import Any, Optional

from .codes import RULES
from .terms import office_date

CATEGORIES = ("late", "absence", "impolite", "complaint", "abandon_customer",
              "poaching", "other")
FAULT_CLASSES = ("a", "b", "c")

#: category -> (fault class, rule code or None)
CLASSIFICATION = {
    "abandon_customer": ("a", "A13"),
    "poaching": ("a", "A8"),
    "impolite": ("b", "A12"),
    "complaint": ("b", "A12"),
    "late": ("c", None),
    "absence": ("c", None),
    "other": ("c", None),
}

CATEGORY_NAMES = {
    "late": ("迟到", "late"),
    "absence": ("缺勤", "absence"),
    "impolite": ("接待不热情/不礼貌", "impolite"),
    "complaint": ("被客户投诉", "complaint"),
    "abandon_customer": ("放下接待中的客户抢机会", "abandoned a customer"),
    "poaching": ("蓄意抢单", "deliberate poaching"),
    "other": ("其他", "other"),
}


@dataclass(frozen=True)
class Violation:
    """A recorded fault: ``date`` is a ``datetime`` (naive UTC) or a ``date``;
    ``team_id`` the project it counts in (``None``: without project)."""

    user_id: Any
    date: Any
    category: str
    fault_class: str
    team_id: Any = None


@dataclass(frozen=True)
class ConductDecision:
    """Result of :func:`assess`: the strike count and whether to propose dismissal."""

    user_id: Any
    strike_count: int
    propose_dismissal: bool
    rule_code: Optional[str]
    explanation_zh: str
    explanation_en: str


def classify(category, collision_not_asked=False):
    """Default ``(fault_class, rule_code)`` of a violation ``category``.

    ``other`` is cited as A5 when it is logged because a collision was found on a visit
    where the receiver had not asked whether the customer had been before
    (``collision_not_asked=True``); otherwise it carries no code.
    """
    if category not in CLASSIFICATION:
        raise ValueError("unknown violation category: %r" % (category,))
    if category == "other" and collision_not_asked:
        return ("c", "A5")
    return CLASSIFICATION[category]


def _in_window(when, now, period_days, tz_name=None):
    """``when`` within ``(now - period_days, now]``.

    ``now``: a naive UTC ``datetime``. A ``datetime`` ``when`` (naive UTC) compares
    to the second; a plain ``date`` is an office date and compares with the office's
    date of ``now`` in ``tz_name`` (IANA name, default ``terms.DEFAULT_TIMEZONE``):
    at 07:30 in Beijing (23:30 UTC the day before) a fault dated that Beijing day is
    today's, not tomorrow's.

    >>> early = _dt.datetime(2026, 1, 9, 23, 30)  # 07:30 on the 10th in Beijing
    >>> _in_window(_dt.date(2026, 1, 10), early, 30)
    True
    >>> _in_window(_dt.date(2026, 1, 10), early, 30, "Europe/London")
    False
    >>> _in_window(_dt.date(2025, 12, 11), early, 30)  # today - 30: outside
    False
    """
    if isinstance(when, _dt.datetime):
        if when > now:
            return False
        return period_days is None or when > now - _dt.timedelta(days=period_days)
    if isinstance(when, _dt.date):
        today = office_date(now, tz_name)
        if when > today:
            return False
        return period_days is None or when > today - _dt.timedelta(days=period_days)
    raise TypeError("violation date must be a date or datetime: %r" % (when,))


def counted_violations(violations, user_id, now, period_days, categories=None,
                       tz_name=None, team_id=None):
    """The violations of ``user_id`` in the project ``team_id`` that count as strikes
    at ``now`` (oldest first); ``now``, ``tz_name`` and ``team_id`` as for
    :func:`strike_count`."""
    found = [v for v in violations
             if v.user_id == user_id and v.team_id == team_id
             and _in_window(v.date, now, period_days, tz_name)
             and (categories is None or v.category in categories)]
    return sorted(found, key=lambda v: (v.date if isinstance(v.date, _dt.datetime)
                                        else _dt.datetime.combine(v.date, _dt.time())))


def strike_count(violations, user_id, now, period_days, categories=None,
                 tz_name=None, team_id=None):
    """Strikes of ``user_id`` in the project ``team_id``: their violations of that
    project (``None``: those without project) dated within
    ``(now - period_days, now]``.

    Every violation counts one (see the module docstring). ``now`` is a naive UTC
    ``datetime``; violations dated by a plain ``date`` count by the office's calendar
    in ``tz_name`` (default Beijing time, see ``_in_window``). ``period_days=None``
    counts all up to ``now``; ``categories`` optionally restricts the count.
    """
    return len(counted_violations(violations, user_id, now, period_days, categories,
                                  tz_name, team_id))


def strikes_by_project(violations, user_id, now, period_days_of, tz_name=None):
    """``{team_id: strikes}`` of ``user_id`` in every project they have a violation
    in (``None``: without project), each counted over that project's period:
    ``period_days_of(team_id)`` gives it in days. A project whose violations all
    fell out of its period counts 0.

    >>> day = _dt.date(2026, 3, 1)
    >>> faults = [Violation(7, day, "late", "c", team_id=1),
    ...           Violation(7, day - _dt.timedelta(days=20), "late", "c", team_id=2),
    ...           Violation(8, day, "late", "c", team_id=2)]
    >>> now = _dt.datetime(2026, 3, 1, 12, 0)
    >>> sorted(strikes_by_project(faults, 7, now, {1: 30, 2: 15}.get).items())
    [(1, 1), (2, 0)]
    """
    teams = {v.team_id for v in violations if v.user_id == user_id}
    return {team: strike_count(violations, user_id, now, period_days_of(team),
                               tz_name=tz_name, team_id=team)
            for team in teams}


def dismissal_due(count, strikes=3):
    """True when ``count`` strikes reach the limit (A12/A13: 累计三次除名)."""
    return count >= strikes


def dismissal_explanation(user_name, count, rule_code, strikes=3, project_name=None):
    """``(zh, en)`` text of a dismissal proposal under ``rule_code`` (A8/A12/A13),
    naming the project (案场) whose faults count when ``project_name`` is given.

    >>> zh, en = dismissal_explanation("张三", 3, "A12", 3, "二期")
    >>> print(zh.split(":")[1])
    张三在二期考核期内累计过失3次(满3次除名),建议经理提出除名。
    >>> "张三 has 3 recorded faults in 二期 within the period" in en
    True
    """
    title_zh, title_en = RULES[rule_code]
    where_zh = "在%s" % project_name if project_name else ""
    where_en = " in %s" % project_name if project_name else ""
    if rule_code == "A8":
        return (
            "%s %s:%s%s蓄意抢单并造成不良影响,建议经理提出辞退。"
            % (rule_code, title_zh, user_name, where_zh),
            "%s %s: %s poached a customer deliberately%s; the manager is asked to "
            "propose dismissal." % (rule_code, title_en, user_name, where_en))
    return (
        "%s %s:%s%s考核期内累计过失%s次(满%s次除名),建议经理提出除名。"
        % (rule_code, title_zh, user_name, where_zh or "在", count, strikes),
        "%s %s: %s has %s recorded faults%s within the period (dismissal at %s); the "
        "manager is asked to propose dismissal."
        % (rule_code, title_en, user_name, count, where_en, strikes))


def assess(violations, user_id, now, period_days, strikes=3, names=None,
           tz_name=None, team_id=None, project_name=None):
    """Strike count of ``user_id`` in the project ``team_id`` and whether a
    dismissal proposal is due there.

    Only the project's violations count (``None``: those without project), with the
    project's ``period_days`` and ``strikes``. A poaching violation in the period
    proposes dismissal at once (A8). Otherwise the count reaching ``strikes`` does:
    cited as A13 when an ``abandon_customer`` fault is among the counted ones, else
    A12. ``now`` (naive UTC) and ``tz_name`` (the office time zone) as for
    :func:`strike_count`; ``project_name`` is named in the explanation.
    """
    names = names or {}
    name = names.get(user_id, "顾问#%s" % (user_id,))
    name_en = names.get(user_id, "consultant #%s" % (user_id,))
    counted = counted_violations(violations, user_id, now, period_days,
                                 tz_name=tz_name, team_id=team_id)
    count = len(counted)
    cats = {v.category for v in counted}
    if "poaching" in cats:
        code = "A8"
    elif dismissal_due(count, strikes):
        code = "A13" if "abandon_customer" in cats else "A12"
    else:
        where_zh = "在%s" % project_name if project_name else "在"
        where_en = " in %s" % project_name if project_name else ""
        zh = "%s%s考核期内累计过失%s次,未满%s次。" % (name, where_zh, count, strikes)
        en = "%s has %s recorded faults%s within the period, below %s." % (
            name_en, count, where_en, strikes)
        return ConductDecision(user_id, count, False, None, zh, en)
    zh = dismissal_explanation(name, count, code, strikes, project_name)[0]
    en = dismissal_explanation(name_en, count, code, strikes, project_name)[1]
    return ConductDecision(user_id, count, True, code, zh, en)


def duty_status(shift_start, arrival, early_minutes_min=5):
    """``'on_time'``, ``'late'`` or ``'absence'`` for a duty shift.

    On duty means arriving at least ``early_minutes_min`` minutes before ``shift_start``
    (seed: 提前5-10分钟前到岗). ``arrival`` None is an absence.
    """
    if arrival is None:
        return "absence"
    if arrival > shift_start - _dt.timedelta(minutes=early_minutes_min):
        return "late"
    return "on_time"


def duty_violation(user_id, shift_start, arrival, early_minutes_min=5):
    """The :class:`Violation` a duty record yields, or None when on time."""
    status = duty_status(shift_start, arrival, early_minutes_min)
    if status == "on_time":
        return None
    return Violation(user_id, shift_start, status, classify(status)[0])


#: a consultant checks in for their own shift from this long before its start ...
CHECK_IN_OPENS = _dt.timedelta(hours=2)
#: ... until this long after it (a late arrival is still recorded, as late)
CHECK_IN_CLOSES = _dt.timedelta(hours=12)


def check_in_open(shift_start, now):
    """Whether a consultant may record their own arrival for the shift now.

    The arrival is the desk's record of who is in the showroom: a consultant checks
    in on the day of the shift, from ``CHECK_IN_OPENS`` before its start to
    ``CHECK_IN_CLOSES`` after it, never days ahead (which would record an "on time"
    arrival for a shift not yet worked).

    >>> start = _dt.datetime(2026, 3, 2, 1, 0)
    >>> hours = (-3, -2, 0, 12, 13)
    >>> [check_in_open(start, start + _dt.timedelta(hours=h)) for h in hours]
    [False, True, True, True, False]
    """
    return shift_start - CHECK_IN_OPENS <= now <= shift_start + CHECK_IN_CLOSES


__all__ = ["Violation", "ConductDecision", "classify", "strike_count",
           "strikes_by_project",
           "counted_violations", "dismissal_due", "dismissal_explanation", "assess",
           "duty_status", "duty_violation", "check_in_open", "CATEGORIES",
           "FAULT_CLASSES", "CLASSIFICATION", "CATEGORY_NAMES"]
