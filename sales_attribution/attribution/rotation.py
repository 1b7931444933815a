"""Turn order at the reception desk (轮接): rule A3, with the B1 make-up turn.

The desk keeps one pointer, ``last_sequence``: the sequence number of the member who
was served last by the normal order. Serving walks the members in ascending sequence
from just after the pointer, wrapping round:

- A present member holding ``makeup_credits`` (a make-up turn owed under B1: 当日给第二
  置业顾问补接一组客户) is served first, the first such member counted from just after
  the pointer. A make-up turn does NOT move the pointer, so nobody else loses a turn
  because of it. The caller takes one credit off that member.
- Otherwise the next present member is served and the pointer moves to their sequence.
  Absent members passed over lose that turn (A3: 轮到某个置业顾问接待客户时,其因个人原因
  不在,下一个置业顾问接待成交后,则算后一个置业顾问的业绩). They collect no backlog: when
  they are back they are served when the pointer reaches them again, not before.
- A departed member (``departed``: the user was archived or left the sales groups) is
  never served, whatever ``present`` says, and is named apart in the explanation; the
  manager hands their customers over (H1) and removes them from the desk.
- The pointer is a sequence number, not a position in a list, so adding or removing a
  member mid-round keeps the order (a removed member's sequence still works as a
  pointer; a member added after the pointer is served this round, one added before it
  next round).

Sequences must be unique within a desk (the model should enforce it with a constraint):
with two members on one sequence the pointer could not tell them apart, so ``serve``
refuses such a desk rather than guess.

Nothing here takes a lock; the caller reads the members and the pointer with
``SELECT ... FOR UPDATE`` on the rotation row, calls ``serve`` and writes
``Turn.new_last_sequence`` (and the make-up credit) back in the same transaction.
``peek`` names the consultant on duty (the member ``serve`` would give the next turn
to) without serving: the desk records them as covering receiver (A2, A4, B3b, B4, B8)
and, unless the office says covering uses the turn, the pointer stays.
"""
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Tuple

from .terms import BilingualError


class NoReceiver(BilingualError):
    """Nobody present at the desk (or nobody on it): no turn can be served."""


class DuplicateSequence(BilingualError):
    """Two members of the desk share one sequence number."""


@dataclass
class Member:
    """One consultant on the desk. ``present`` is today's attendance."""

    user_id: int
    sequence: int
    present: bool = True
    makeup_credits: int = 0
    departed: bool = False

    @property
    def on_duty(self):
        """Present today and still with the office."""
        return self.present and not self.departed


@dataclass(frozen=True)
class Turn:
    """The outcome of one ``serve``: who receives and where the pointer goes."""

    user_id: int
    rule_code: str
    used_makeup: bool
    new_last_sequence: Optional[int]
    skipped_user_ids: Tuple[int, ...] = ()
    explanation_zh: str = ""
    explanation_en: str = ""


def _name(user_id, names):
    name = (names or {}).get(user_id)
    return name if name else "#%s" % user_id


def _ordered_from(members: List[Member],
                  last_sequence: Optional[int]) -> List[Member]:
    """Members in serving order: ascending sequence starting just after the pointer."""
    ordered = sorted(members, key=lambda m: m.sequence)
    if last_sequence is None:
        return ordered
    after = [m for m in ordered if m.sequence > last_sequence]
    before = [m for m in ordered if m.sequence <= last_sequence]
    return after + before


def _check_unique(members):
    seen: Dict[int, int] = {}
    for member in members:
        if member.sequence in seen:
            raise DuplicateSequence(
                "轮接顺序号%s重复(用户%s与%s),请为每位顾问设置不同的顺序号。"
                % (member.sequence, seen[member.sequence], member.user_id),
                "Rotation sequence %s is used twice (users %s and %s); give every "
                "member its own sequence." % (
                    member.sequence, seen[member.sequence], member.user_id),
            )
        seen[member.sequence] = member.user_id


def serve(members: Iterable[Member], last_sequence: Optional[int],
          names: Optional[Dict[int, str]] = None) -> Turn:
    """Serve the next turn at the desk.

    ``members``: the desk's members (any order); ``last_sequence``: the pointer (the
    sequence served last by the normal order, ``None`` at the very start);
    ``names``: optional ``user_id -> display name`` for the explanations.

    >>> desk = [Member(1, 10), Member(2, 20, present=False), Member(3, 30)]
    >>> turn = serve(desk, 10)
    >>> turn.user_id, turn.new_last_sequence, turn.skipped_user_ids, turn.rule_code
    (3, 30, (2,), 'A3')
    >>> serve(desk, 30).user_id
    1
    """
    members = list(members)
    _check_unique(members)
    ordered = _ordered_from(members, last_sequence)
    if not any(m.on_duty for m in ordered):
        raise NoReceiver(
            "轮接无人可接待:当值名单中没有在岗的置业顾问。",
            "No one can receive: no consultant on the rotation is present.",
        )
    pointer_zh = ("序号%s之后" % last_sequence) if last_sequence is not None else "起点"
    pointer_en = ("after sequence %s" % last_sequence) if last_sequence is not None \
        else "from the start"

    for member in ordered:
        if member.on_duty and member.makeup_credits > 0:
            who = _name(member.user_id, names)
            return Turn(
                user_id=member.user_id,
                rule_code="B1",
                used_makeup=True,
                new_last_sequence=last_sequence,
                skipped_user_ids=(),
                explanation_zh="B1:%s有%s次补接待,优先接待本组客户,轮接指针仍停在%s。"
                % (who, member.makeup_credits, pointer_zh),
                explanation_en="B1: %s holds %s make-up turn(s) and receives this "
                "customer first; the rotation pointer stays %s."
                % (who, member.makeup_credits, pointer_en),
            )

    skipped: List[int] = []
    departed: List[int] = []
    for member in ordered:
        if member.departed:
            departed.append(member.user_id)
            continue
        if not member.present:
            skipped.append(member.user_id)
            continue
        who = _name(member.user_id, names)
        if skipped:
            absent = "、".join(_name(u, names) for u in skipped)
            absent_en = ", ".join(_name(u, names) for u in skipped)
            zh = "A3:轮接从%s开始,%s不在岗失去本轮,由%s(序号%s)接待" % (
                pointer_zh, absent, who, member.sequence)
            en = "A3: rotation %s; %s absent and lose this turn, %s (sequence %s) " \
                 "receives" % (pointer_en, absent_en, who, member.sequence)
        else:
            zh = "A3:轮接从%s开始,轮到%s(序号%s)接待" % (pointer_zh, who, member.sequence)
            en = "A3: rotation %s; it is the turn of %s (sequence %s) to receive" % (
                pointer_en, who, member.sequence)
        if departed:
            zh += ",已离职的%s不再轮接" % "、".join(_name(u, names) for u in departed)
            en += "; %s left the office and no longer take turns" % ", ".join(
                _name(u, names) for u in departed)
        zh += "。"
        en += "."
        return Turn(
            user_id=member.user_id,
            rule_code="A3",
            used_makeup=False,
            new_last_sequence=member.sequence,
            skipped_user_ids=tuple(skipped),
            explanation_zh=zh,
            explanation_en=en,
        )
    raise AssertionError("unreachable: a present member exists")  # pragma: no cover


def peek(members: Iterable[Member], last_sequence: Optional[int],
         names: Optional[Dict[int, str]] = None) -> "Turn":
    """The turn ``serve`` would give now, without serving it: the consultant on duty.

    Same arguments, result and errors as ``serve``; nothing moves (the caller writes
    nothing back). The desk records this member as the covering receiver when a named
    or original consultant is absent (A2, A4, B3b, B4, B8).

    >>> desk = [Member(1, 10), Member(2, 20, departed=True), Member(3, 30)]
    >>> peek(desk, 10).user_id, peek(desk, 10).user_id
    (3, 3)
    >>> serve(desk, 10).skipped_user_ids
    ()
    """
    return serve(members, last_sequence, names)


def queue(members: Iterable[Member], last_sequence: Optional[int]) -> List[int]:
    """Who the desk will serve next, in order, without serving anyone: the user ids of
    the present members, each at the first turn they would get (make-up turns first,
    then the normal order from the pointer). Absent and departed members are not in
    the queue. Used
    by the manager's dashboard; ``serve`` stays the only function that moves the turn.

    >>> queue([Member(1, 10), Member(2, 20, present=False), Member(3, 30)], 10)
    [3, 1]
    >>> queue([Member(1, 10), Member(2, 20), Member(3, 30, makeup_credits=1)], 10)
    [3, 2, 1]
    """
    desk = [Member(m.user_id, m.sequence, m.present, m.makeup_credits,
                   getattr(m, "departed", False)) for m in members]
    if not any(m.on_duty for m in desk):
        return []
    order: List[int] = []
    pointer = last_sequence
    # every present member is served within one round plus the make-up turns owed
    for _ in range(sum(1 + max(m.makeup_credits, 0) for m in desk if m.on_duty)):
        turn = serve(desk, pointer)
        if turn.used_makeup:
            for member in desk:
                if member.user_id == turn.user_id:
                    member.makeup_credits -= 1
        pointer = turn.new_last_sequence
        if turn.user_id not in order:
            order.append(turn.user_id)
    return order
