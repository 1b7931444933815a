"""Several projects (案场, a ``crm.team``) in one company: the rule numbers a project
uses and the ownership a customer's fields show.

A project may override the company's ownership numbers; ``None`` (empty on the
project) keeps the company's value, and the result says which project it used:

>>> company = Rules(protection_days=30, followup_days=30, group_units=5)
>>> rules = effective_rules(company, {"protection_days": 15, "followup_days": None},
...                         project_id=7)
>>> rules.protection_days, rules.followup_days, rules.group_units, rules.project_id
(15, 30, 5, 7)
>>> effective_rules(company, {}) == company
True

A customer known in several projects has one ownership row per project (one row
without project when the company keeps one owner for all, scope ``company``). The
customer's fields read the row of the current project, else the only row, else the
most recently visited one (a row never visited counts as oldest; then the newest row):

>>> import datetime as dt
>>> rows = [OwnershipRow(1, 10, dt.date(2026, 5, 1)),
...         OwnershipRow(2, 20, dt.date(2026, 6, 1)),
...         OwnershipRow(3, 30, None)]
>>> current_row(rows, 10).row_id
1
>>> current_row(rows, 40).row_id  # not known in project 40: the latest visited
2
>>> current_row(rows[2:], 40).row_id  # the only row
3
>>> current_row([], 10) is None
True
"""
import datetime
from dataclasses import dataclass, fields, replace
from typing import Iterable, Mapping, Optional

#: the numbers a project may override (names of ``Rules``; on ``res.company`` and
#: ``crm.team`` they are the fields ``attribution_<name>``)
OVERRIDABLE = ("protection_days", "followup_days", "group_units", "strikes",
               "complaint_split", "relative_split", "strike_period_days")


@dataclass(frozen=True)
class Rules:
    """The ownership and split numbers in force in a project: windows in days (B6,
    A14), group buyer units (A9), strikes to dismissal (A12/A13), the original
    consultant's bonus percent after a complaint (B5) and for a relative (A15/B1),
    the days a violation counts as a strike (A12/A13);
    ``project_id``: the project whose overrides were applied (``None``: the company's
    numbers alone)."""

    protection_days: int = 30
    followup_days: int = 30
    group_units: int = 5
    strikes: int = 3
    complaint_split: int = 20
    relative_split: int = 50
    strike_period_days: int = 365
    project_id: Optional[int] = None


def effective_rules(company: Rules, overrides: Mapping[str, Optional[int]],
                    project_id: Optional[int] = None) -> Rules:
    """The company's ``Rules`` with the project's ``overrides`` (``{name of
    OVERRIDABLE: value or None}``; ``None`` or a missing name keeps the company's
    value). An unknown name raises ``KeyError``.

    >>> effective_rules(Rules(), {"strikes": 5}, project_id=3).strikes
    5
    >>> effective_rules(Rules(), {"colour": 1})
    Traceback (most recent call last):
    ...
    KeyError: 'colour'
    """
    changes = {}
    for name, value in overrides.items():
        if name not in OVERRIDABLE:
            raise KeyError(name)
        if value is not None:
            changes[name] = value
    if project_id is not None:
        changes["project_id"] = project_id
    return replace(company, **changes)


def rules_names():
    """The field names of ``Rules`` but ``project_id`` (the overridable numbers).

    >>> rules_names() == OVERRIDABLE
    True
    """
    return tuple(f.name for f in fields(Rules) if f.name != "project_id")


@dataclass(frozen=True)
class OwnershipRow:
    """One ownership row of a customer: its id, project (``None``: company-wide) and
    last visit (office date or ``None``)."""

    row_id: int
    team_id: Optional[int]
    last_visit_date: Optional[datetime.date] = None


def current_row(rows: Iterable[OwnershipRow],
                project_id: Optional[int]) -> Optional[OwnershipRow]:
    """The row the customer's fields show in ``project_id`` (``None``: no project, or
    the company-wide row): the row of that project; else the most recently visited
    row (the only one when there is one; never visited is oldest, ties go to the
    newest row, the highest id); ``None`` without rows.

    The SQL of ``attribution.ownership._current_rows_query`` orders the same way.
    """
    rows = list(rows)
    for row in rows:
        if row.team_id == project_id:
            return row
    if not rows:
        return None
    return max(rows, key=lambda r: (r.last_visit_date is not None,
                                    r.last_visit_date or datetime.date.min, r.row_id))
