"""An office's visit register judged in memory, row after row (issue 16 point 6).

Pure Python. The register import replays its rows in visit-time order through the
same rule book as the desk (``ownership.decide``), each row as of its own time
(``models/attribution_visit_history.py``). Going through the desk's engine costs a
customer lookup, a savepoint, a dozen queries and several ORM writes a row; the
bulk path (``tools/register_bulk.py``) instead loads the facts of many rows at once
into :class:`Customer` objects, judges each row here, and carries the row's effect
(the registration, the new owner) in memory to the later rows.

:func:`judge` builds the ``VisitFacts`` the desk's engine would build for the row
(``tools/visit_facts.load_visit_facts`` plus the import's hooks of
``attribution_visit_history``: only the sheet's receiver is present, the row counts
as kept in time, a late entry holds only an owner the customer had before the
import run, a rotation outcome goes to the sheet's receiver, no A5 violation, and no
consultant counts as departed: the register has no dates of departure, every
consultant it names was with the office at the row's time) and
returns a :class:`Judgement`: the completed ``Decision``, or the reason the row must
be judged by the desk's engine instead (``fallback``), because its effect is more than
a registration and an owner:

- ``FALLBACK_CONFLICT``: the decision opens (or joins) a conflict: history that
  contradicts an owner the customer had before the run, or a decision left without
  an owner;
- ``FALLBACK_COVER``: the decision asks for the consultant on duty (no receiver), who
  is today's rotation's, not the sheet's;
- ``FALLBACK_DEVELOPER``: a developer-related customer (A11 allocates by the
  developer counts of the whole project).

:func:`record` applies a judged row's effect to its customer. Times are naive UTC
``datetime``; ids are ints (a customer the run creates has a negative key until it is
saved).

>>> import datetime
>>> at = datetime.datetime(2026, 3, 1, 2, 0)
>>> new = Customer(key=-1)
>>> visit = ReplayVisit(kind="walk_in", visit_datetime=at, receiver_id=7,
...                     entered_at=at + datetime.timedelta(days=200), late=True)
>>> first = judge(visit, new, names={7: "Zhang"})
>>> first.fallback, first.decision.rule_code, first.decision.owner_id
(None, 'A5', 7)
>>> record(new, visit, first.decision)
>>> again = ReplayVisit(kind="walk_in", visit_datetime=at + datetime.timedelta(days=3),
...                     receiver_id=8, entered_at=visit.entered_at, late=True)
>>> second = judge(again, new, names={7: "Zhang", 8: "Li"})
>>> second.fallback, second.decision.rule_code, second.decision.owner_id
(None, 'B6', 7)
>>> held = Customer(key=5, owner_id=9, had_owner=True)
>>> third = judge(again, held, names={8: "Li", 9: "Wang"})
>>> third.fallback
'conflict'
"""
import dataclasses
import datetime  # noqa: F401 (doctest, type comments)
from typing import Dict, FrozenSet, List, Optional, Tuple  # noqa: F401

from . import ownership as policy

FALLBACK_CONFLICT = "conflict"
FALLBACK_COVER = "cover"
FALLBACK_DEVELOPER = "developer"


@dataclasses.dataclass
class Customer:
    """What the replay knows of one customer in the import's project (mutable: the
    judged rows add to it).

    ``key``: the partner id (negative for a customer the run creates);
    ``owner_id``: the owner of the customer's ownership row now (``None``: none);
    ``had_owner``: whether they had an owner before the import run (``None``: not
    settled yet, the first row of the run settles it from ``owner_id``);
    ``registrations``: every visit of the customer in the project (the database's and
    the run's), ``ownership.Registration``; ``kin``: ``(key, relation_type)`` of the
    customer's relations, in the order of their records; ``ruling``: the customer's
    latest conflict (``ownership.Ruling``) or ``None``."""

    key: int
    owner_id: Optional[int] = None
    had_owner: Optional[bool] = None
    registrations: List[policy.Registration] = dataclasses.field(
        default_factory=list)
    kin: Tuple[Tuple[int, str], ...] = ()
    last_followup_date: Optional[datetime.date] = None
    ruling: Optional[policy.Ruling] = None
    is_developer_related: bool = False
    first_won_date: Optional[datetime.date] = None


@dataclasses.dataclass(frozen=True)
class ReplayVisit:
    """One register row as the rules see it: the kind, the visit time, the sheet's
    consultants (user ids), the yes/no columns, and when it is entered
    (``entered_at``, now) and whether that is a late entry (``late``: computed by
    the caller with ``ownership.entered_late`` and the company's minutes)."""

    kind: str
    visit_datetime: datetime.datetime
    receiver_id: int
    requested_user_id: Optional[int] = None
    appointment_user_id: Optional[int] = None
    brought_in_person: bool = False
    customer_recalls_consultant: bool = False
    asked_prior_visit: bool = False
    entered_at: Optional[datetime.datetime] = None
    late: bool = False


@dataclasses.dataclass(frozen=True)
class Judgement:
    """The completed ``decision`` of a row, or ``fallback`` (one of the
    ``FALLBACK_*`` reasons, ``decision`` then ``None``)."""

    decision: Optional[policy.Decision] = None
    fallback: Optional[str] = None


def kin_visits(customer, customers, visit_at):
    """``ownership.KinVisit`` of the relatives of ``customer`` (``customers``: key ->
    ``Customer``, a relative missing there has no visit) up to ``visit_at``."""
    visits = []
    for key, relation_type in customer.kin:
        relative = customers.get(key)
        if relative is None:
            continue
        for reg in relative.registrations:
            if reg.visit_datetime <= visit_at:
                visits.append(policy.KinVisit(
                    partner_id=key, owner_id=reg.owner_id,
                    visit_datetime=reg.visit_datetime, relation_type=relation_type))
    return tuple(visits)


def named(visit, customer, kin=(), referrers=(), names=None):
    """The names (``{user id: name}``, from ``names``) of the consultants the row's
    facts cite, as the desk's engine gathers them: the receiver, requested and
    appointment consultants, the current owner, the registrations' owners and
    receivers, the relatives' and referrers' owners, the ruling's winner.

    >>> at = datetime.datetime(2026, 3, 1, 2, 0)
    >>> sorted(named(ReplayVisit("walk_in", at, receiver_id=7), Customer(1, owner_id=9),
    ...              names={7: "Zhang", 8: "Li", 9: "Wang"}).items())
    [(7, 'Zhang'), (9, 'Wang')]
    """
    ids = {visit.receiver_id, visit.requested_user_id, visit.appointment_user_id,
           customer.owner_id}
    for reg in customer.registrations:
        ids.add(reg.owner_id)
        ids.add(reg.receiver_id)
    ids.update(k.owner_id for k in kin)
    ids.update(r.owner_id for r in referrers)
    if customer.ruling is not None:
        ids.add(customer.ruling.winner_id)
    names = names or {}
    return {i: names[i] for i in ids if i in names}


def visit_facts(visit, customer, kin=(), referrers=(), names=None):
    """The ``ownership.VisitFacts`` of the row ``visit`` (``ReplayVisit``) of
    ``customer``, as the desk's engine gives them for an imported row: no departed
    consultant (module docstring)."""
    had_owner = customer.had_owner if customer.had_owner is not None \
        else customer.owner_id is not None
    return policy.VisitFacts(
        kind=visit.kind,
        visit_datetime=visit.visit_datetime,
        receiver_id=visit.receiver_id,
        requested_user_id=visit.requested_user_id,
        appointment_user_id=visit.appointment_user_id,
        referrers=tuple(referrers),
        brought_in_person=visit.brought_in_person,
        customer_recalls_consultant=visit.customer_recalls_consultant,
        asked_prior_visit=visit.asked_prior_visit,
        present_user_ids=frozenset([visit.receiver_id]),
        current_owner_id=customer.owner_id,
        registrations=tuple(customer.registrations),
        kin_registrations=tuple(kin),
        last_followup_date=customer.last_followup_date,
        is_developer_related=customer.is_developer_related,
        ruling=customer.ruling,
        names=named(visit, customer, kin, referrers, names or {}),
        is_late_entry=visit.late and had_owner,
        entered_at=visit.entered_at,
        departed_user_ids=frozenset(),
        kept_in_time=True,
    )


def judge(visit, customer, kin=(), referrers=(), settings=None, now=None,
          names=None, cover_uses_turn=False):
    """The ``Judgement`` of one register row (module docstring). ``settings``: the
    project's ``ownership.Settings``; ``now``: naive UTC; ``cover_uses_turn``: the
    company's setting (a cover would serve a turn of today's rotation).
    ``ownership.InvalidFacts`` propagates (the row is an error)."""
    if customer.is_developer_related:
        return Judgement(fallback=FALLBACK_DEVELOPER)
    facts = visit_facts(visit, customer, kin, referrers, names)
    decision = policy.decide(facts, settings, now=now)
    if decision.needs_cover:
        return Judgement(fallback=FALLBACK_COVER)
    if decision.needs_rotation:
        # the sheet's receiver was the consultant on duty (not today's rotation)
        decision = policy.resolve(decision, visit.receiver_id, {
            visit.receiver_id: (names or {}).get(visit.receiver_id)})
    elif decision.cover_user_id and cover_uses_turn:
        return Judgement(fallback=FALLBACK_COVER)
    if decision.not_asked_collision:
        decision = dataclasses.replace(decision, not_asked_collision=False)
    had_owner = customer.had_owner if customer.had_owner is not None \
        else customer.owner_id is not None
    if decision.open_conflict and (had_owner or not decision.owner_id):
        return Judgement(fallback=FALLBACK_CONFLICT)
    return Judgement(decision=decision)


def record(customer, visit, decision):
    """Apply a judged row to ``customer``: its registration (owner, receiver, kept in
    time), its owner, and the owner it had before the run settled."""
    if customer.had_owner is None:
        customer.had_owner = customer.owner_id is not None
    customer.registrations.append(policy.Registration(
        partner_id=customer.key, owner_id=decision.owner_id,
        visit_datetime=visit.visit_datetime,
        receiver_id=decision.receiver_id or visit.receiver_id, entered_at=None))
    customer.owner_id = decision.owner_id
