"""Who may see and act on which project (案场, a ``crm.team``): the managers' reach and
what the reception desk of one project learns about a customer of another.

A manager manages the projects they lead (the team leader) or are named on as
co-manager. A manager who manages none keeps the reach of a one-office company: every
project (``None`` below). Records without a project belong to no project and stay
within every manager's reach.

>>> reach(set()) is None            # leads nothing: the whole company
True
>>> sorted(reach({3, 1}))
[1, 3]
>>> may_manage(None, {7, None})
True
>>> may_manage(frozenset({1}), {1, None})
True
>>> may_manage(frozenset({1}), {1, 2})
False
>>> foreign(frozenset({1}), [1, 2, None, 2])
[2]

The desk of project B types a phone number that belongs to a customer known in
project A. Scope ``project``: the desk learns that the number belongs to a customer,
never who owns them elsewhere nor their name; scope ``company`` (one owner over every
project) tells the owner and the customer as before:

>>> desk_disclosure("project", known_here=False)
'anonymous'
>>> desk_disclosure("project", known_here=True)
'named'
>>> desk_disclosure("company", known_here=False)
'named'
"""
from typing import FrozenSet, Iterable, List, Optional

from .terms import SCOPE_COMPANY

#: what the desk may say about the holder of a number (``desk_disclosure``)
DISCLOSE_NAMED = "named"
DISCLOSE_ANONYMOUS = "anonymous"


def reach(managed_team_ids: Iterable[int]) -> Optional[FrozenSet[int]]:
    """The projects a manager acts on: the ids of the teams they manage, or ``None``
    (every project of the company) when they manage none."""
    managed = frozenset(t for t in managed_team_ids if t)
    return managed or None


def may_manage(managed: Optional[FrozenSet[int]],
               team_ids: Iterable[Optional[int]]) -> bool:
    """Whether a manager of reach ``managed`` (``reach``) may act on records of the
    projects ``team_ids`` (``None`` or 0: a record without project, always within
    reach)."""
    return not foreign(managed, team_ids)


def foreign(managed: Optional[FrozenSet[int]],
            team_ids: Iterable[Optional[int]]) -> List[int]:
    """The projects among ``team_ids`` outside the reach ``managed``, each once, in
    the order met (empty when ``managed`` is ``None``)."""
    if managed is None:
        return []
    out = []
    for team_id in team_ids:
        if team_id and team_id not in managed and team_id not in out:
            out.append(team_id)
    return out


def desk_disclosure(scope: str, known_here: bool) -> str:
    """What the desk of a project may say about the customer holding a number:
    ``'named'`` (the customer's name and owner) when the customer is known in the
    desk's own project (an ownership row there) or the company keeps one owner for
    all projects (``scope == 'company'``); ``'anonymous'`` otherwise: only that the
    number belongs to a customer."""
    if scope == SCOPE_COMPANY or known_here:
        return DISCLOSE_NAMED
    return DISCLOSE_ANONYMOUS
