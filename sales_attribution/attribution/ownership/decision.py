"""The ``Decision`` a visit gets, its completion once the rotation is drawn
(``resolve``), and the assembly every rule goes through: who claims (the conflict's
claimants, proposal first) and the bilingual explanation
"<code>:<facts>,<outcome>[,<notes>][,<conflict>]。".
"""
from dataclasses import dataclass, field, replace
from typing import Dict, FrozenSet, List, Optional, Tuple  # noqa: F401 (type comment)

from .draft import _OWNER, _PENDING_EN, _PENDING_ZH, _en, _zh


@dataclass(frozen=True)
class _Pending:
    """What a decision needs to be (re)rendered, e.g. once the rotation is drawn."""

    facts_zh: Tuple[str, ...] = ()
    facts_en: Tuple[str, ...] = ()
    outcome_zh: str = ""
    outcome_en: str = ""
    notes_zh: Tuple[str, ...] = ()
    notes_en: Tuple[str, ...] = ()
    given_receiver_id: Optional[int] = None
    covering: bool = False
    transfer: bool = False
    no_conflict: bool = False
    standing_ids: Tuple[int, ...] = ()
    forced_claimant_ids: Tuple[int, ...] = ()
    force_conflict: bool = False
    asked_prior_visit: bool = True
    names: Tuple[Tuple[int, str], ...] = ()
    departed_ids: FrozenSet[int] = frozenset()
    proposed_id: Optional[int] = None


@dataclass(frozen=True)
class Decision:
    owner_id: Optional[int]
    receiver_id: Optional[int]
    rule_code: str
    explanation_zh: str
    explanation_en: str
    needs_rotation: bool = False
    open_conflict: bool = False
    claimant_ids: Tuple[int, ...] = ()
    notify_manager: bool = False
    notify_user_ids: Tuple[int, ...] = ()
    show_no_phone_notice: bool = False
    ignored_request: bool = False
    previous_owner_id: Optional[int] = None
    not_asked_collision: bool = False
    pending: _Pending = field(default_factory=_Pending, repr=False, compare=False)
    #: the conflict's proposal (first claimant); ``None`` without a conflict
    proposed_owner_id: Optional[int] = None
    #: the consultant on duty recorded as covering receiver (A2/A4/B3b/B4/B8)
    cover_user_id: Optional[int] = None
    #: a cover is due but ``VisitFacts.duty_user_id`` was not given: the caller asks
    #: the rotation (``rotation.peek``) and decides again with it
    needs_cover: bool = False

    def resolve_rotation(self, turn, names=None):
        """Complete a ``needs_rotation`` decision with a ``rotation.Turn``."""
        return resolve(self, turn.user_id, names)


def resolve(decision, user_id, names=None):
    # type: (Decision, int, Optional[Dict[int, str]]) -> Decision
    """The completed decision once the rotation served ``user_id`` (owner, receiver)."""
    if not decision.needs_rotation:
        raise ValueError(
            "decision %s does not wait for the rotation" % decision.rule_code)
    pending = decision.pending
    if names:
        merged = dict(pending.names)
        merged.update(names)
        pending = replace(pending, names=tuple(sorted(merged.items())))
    return _complete(decision.rule_code, pending, user_id, user_id, False,
                     decision.notify_manager, decision.notify_user_ids,
                     decision.show_no_phone_notice, decision.ignored_request,
                     decision.previous_owner_id)


def _claims(owner_id, pending):
    """(open_conflict, claimant ids) for an owner under the pending conflict facts."""
    if pending.no_conflict:
        return False, ()
    claimants: List[int] = []

    def add(user_id):
        if user_id is not None and user_id not in claimants \
                and user_id not in pending.departed_ids:
            claimants.append(user_id)

    add(pending.proposed_id)
    add(owner_id)
    for user_id in pending.forced_claimant_ids:
        add(user_id)
    receiver = pending.given_receiver_id
    if receiver is not None and receiver != owner_id and not pending.covering:
        add(receiver)
    if not pending.transfer:
        for user_id in pending.standing_ids:
            if user_id != owner_id:
                add(user_id)
    open_conflict = pending.force_conflict or len(claimants) > 1
    return open_conflict, tuple(claimants) if open_conflict else ()


def _render(code, pending, owner_id, open_conflict, claimants):
    names = pending.names
    if owner_id is None:
        who_zh, who_en = _PENDING_ZH, _PENDING_EN
    else:
        who_zh, who_en = _zh(owner_id, names), " " + _en(owner_id, names)
    zh = list(pending.facts_zh) + [pending.outcome_zh.replace(_OWNER, who_zh)]
    en = list(pending.facts_en) + [pending.outcome_en.replace(_OWNER, who_en)]
    zh += list(pending.notes_zh)
    en += list(pending.notes_en)
    if open_conflict:
        proposal = claimants[0] if claimants else owner_id
        others = [c for c in claimants if c != proposal]
        if others and proposal is not None:
            zh.append("与%s撞单,已开撞单协商或由经理裁决(建议归属%s)" % (
                "、".join(_zh(c, names) for c in others), _zh(proposal, names)))
            en.append("collides with %s: conflict opened for negotiation or the "
                      "manager's ruling (proposal: %s)"
                      % (", ".join(_en(c, names) for c in others),
                         _en(proposal, names)))
        else:
            zh.append("已开撞单由经理裁决")
            en.append("conflict opened for the manager's ruling")
    return "%s:%s。" % (code, ",".join(zh)), "%s: %s." % (code, "; ".join(en))


def _complete(code, pending, owner_id, receiver_id, needs_rotation, notify_manager,
              notify_user_ids, show_no_phone_notice, ignored_request,
              previous_owner_id, cover_user_id=None, needs_cover=False):
    if needs_rotation:
        open_conflict, claimants = False, ()
        zh, en = _render(code, pending, None, False, ())
    else:
        open_conflict, claimants = _claims(owner_id, pending)
        zh, en = _render(code, pending, owner_id, open_conflict, claimants)
    return Decision(
        owner_id=owner_id,
        receiver_id=receiver_id,
        rule_code=code,
        explanation_zh=zh,
        explanation_en=en,
        needs_rotation=needs_rotation,
        open_conflict=open_conflict,
        claimant_ids=claimants,
        notify_manager=bool(notify_manager or open_conflict),
        notify_user_ids=tuple(notify_user_ids),
        show_no_phone_notice=show_no_phone_notice,
        ignored_request=ignored_request,
        previous_owner_id=previous_owner_id,
        not_asked_collision=bool(open_conflict and not pending.asked_prior_visit
                                 and pending.given_receiver_id is not None),
        pending=pending,
        proposed_owner_id=claimants[0] if open_conflict and claimants else None,
        cover_user_id=cover_user_id,
        needs_cover=needs_cover,
    )
