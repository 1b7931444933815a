"""``decide``: the rules walked in the order of precedence (see the package
docstring), then the B1 review, later registrations, departures, late entries and
the cover.
"""
import datetime  # noqa: F401 (type comment)
from typing import Optional  # noqa: F401 (type comment)

from ..codes import RULES
from ..terms import KINDS
from .conflicts import _hold_late_entry, _note_later, _rule_ruling
from .decision import Decision, _complete, _Pending  # noqa: F401 (type comment)
from .draft import _en, _first_owners, _fmt, _local_date, _reg_order, _relation, _zh
from .facts import InvalidFacts, Settings, VisitFacts  # noqa: F401 (type comment)
from .first_visits import _rule_developer, _rule_new, _rule_staff_referral
from .lapse import _leave_departed, _rule_phone_only
from .referrals import (_direct_kin, _record_cover, _rule_kin, _rule_named,
                        _rule_referral)
from .revisits import _chain, _rule_registrations


class _Facts(object):
    """``VisitFacts`` plus the office-local visit date and the registrations split at
    the visit time (``all_regs``, ``later``: oldest first; frozen facts stay
    untouched)."""

    def __init__(self, facts, local_visit, all_regs=(), later=()):
        self._facts = facts
        self.local_visit = local_visit
        self.all_regs = tuple(all_regs)
        self.later = tuple(later)

    def __getattr__(self, name):
        return getattr(self._facts, name)


def decide(facts, settings=None, now=None):
    # type: (VisitFacts, Optional[Settings], Optional[datetime.datetime]) -> Decision
    """The ownership decision for one visit (the package docstring holds the rules)."""
    settings = settings or Settings()
    if facts.kind not in KINDS:
        raise InvalidFacts("未知的来访类型:%s" % facts.kind,
                           "Unknown visit kind: %s" % facts.kind)
    visit_at = facts.visit_datetime or now
    if visit_at is None:
        raise InvalidFacts("缺少来访时间。", "The visit time is missing.")
    names = tuple(sorted((facts.names or {}).items()))
    all_regs = sorted(facts.registrations, key=_reg_order)
    # judged as of the arrival: the registrations before it; later ones are facts too
    regs = [r for r in all_regs if r.visit_datetime <= visit_at]
    later = [r for r in all_regs if r.visit_datetime > visit_at]
    f = _Facts(facts, _local_date(visit_at, settings), all_regs, later)
    chain = _chain(regs, settings)
    original, _tied, _owners, _reg = _first_owners(chain, settings)
    current = facts.current_owner_id
    standing = tuple(u for u in (current, original) if u is not None)
    has_claims = bool(_owners) or current is not None or bool(_direct_kin(facts))

    draft = None
    if facts.ruling is not None:
        draft = _rule_ruling(f, names, current)
    elif facts.kind == "staff_referral":
        draft = _rule_staff_referral(f, names)
    if draft is None:
        draft = _rule_developer(f, settings, names, regs)
    if draft is None and facts.kind == "referral":
        draft = _rule_referral(f, names, is_new=not has_claims and not all_regs)
    if draft is None:
        draft = _rule_named(f, names, regs)
    if draft is None and _owners:
        draft = _rule_registrations(f, settings, names, chain)
    if draft is None and not all_regs and current is not None:
        draft = _rule_phone_only(f, settings, names)
    if draft is None:
        draft = _rule_kin(f, settings, names)
    if draft is None:
        draft = _rule_new(f, names)

    # B1 review: a direct kin received earlier by another consultant than the owner.
    if draft.code not in ("B1", "A6", "A7"):
        kin_first, _t, _o, kin_reg = _first_owners(_direct_kin(facts), settings)
        own_first_at = _reg.visit_datetime if _reg is not None else None
        if kin_first is not None and kin_first != draft.owner_id and (
                own_first_at is None or kin_reg.visit_datetime < own_first_at):
            rel_zh, rel_en = _relation(kin_reg)
            day = _fmt(_local_date(kin_reg.visit_datetime, settings))
            draft.notify_manager = True
            if kin_first not in draft.notify_user_ids:
                draft.notify_user_ids.append(kin_first)
            draft.notes_zh.append("另:客户的%s于%s由%s初次接待,已通知经理及%s(B1)" % (
                rel_zh, day, _zh(kin_first, names), _zh(kin_first, names)))
            draft.notes_en.append("note: the customer's %s was first received on %s by "
                                  "%s; manager and %s told (B1)" % (
                                      rel_en, day, _en(kin_first, names),
                                      _en(kin_first, names)))

    if later:
        _note_later(draft, later, settings, names)
    draft = _leave_departed(draft, f, names)
    draft = _hold_late_entry(draft, f, settings, names, all_regs)
    _record_cover(draft, f, names)

    assert draft.code in RULES
    pending = _Pending(
        facts_zh=tuple(draft.facts_zh),
        facts_en=tuple(draft.facts_en),
        outcome_zh=draft.outcome_zh,
        outcome_en=draft.outcome_en,
        notes_zh=tuple(draft.notes_zh),
        notes_en=tuple(draft.notes_en),
        given_receiver_id=facts.receiver_id,
        covering=draft.covering,
        transfer=draft.transfer,
        no_conflict=draft.no_conflict,
        standing_ids=standing,
        forced_claimant_ids=tuple(draft.forced),
        force_conflict=draft.force_conflict,
        asked_prior_visit=bool(facts.asked_prior_visit),
        names=names,
        departed_ids=frozenset(facts.departed_user_ids),
        proposed_id=draft.proposed_id,
    )
    previous = current if current is not None else (
        draft.previous_owner_id if draft.previous_owner_id is not None else original)
    return _complete(
        draft.code, pending, draft.owner_id,
        None if draft.needs_rotation else draft.receiver_id,
        draft.needs_rotation, draft.notify_manager, draft.notify_user_ids,
        draft.show_no_phone_notice, draft.ignored_request, previous,
        cover_user_id=None if draft.needs_rotation else draft.cover_id,
        needs_cover=draft.needs_cover)
