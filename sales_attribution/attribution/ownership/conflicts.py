"""Conflicts (撞单) and the sheet as kept: A6 / A7 (a ruling decides, forfeited goes
to the company), late entries (补登) that would move the customer (owner held, A10 or
A6 conflict), and the registrations after the visit time named in the decision.
"""
from ..terms import CONFLICT_STATES, SETTLED, office_datetime
from .draft import _Draft, _en, _fmt, _local_date, _reg_order, _zh
from .facts import InvalidFacts, Registration, entered_late


def _rule_ruling(facts, names, current):
    ruling = facts.ruling
    if ruling.state not in CONFLICT_STATES:
        raise InvalidFacts("未知的撞单状态:%s" % ruling.state,
                           "Unknown conflict state: %s" % ruling.state)
    if ruling.state == "forfeited":
        draft = _Draft("A7")
        draft.fact("该客户撞单不能协商且不接受裁定,已上报公司",
                   "the customer's conflict was neither settled nor accepted and went "
                   "to the company")
        draft.owns(None, names, "业绩充公,归属公司", "forfeited, the company owns")
    elif ruling.state in SETTLED and ruling.winner_id is not None:
        draft = _Draft("A6")
        state_zh = {"agreed": "协商一致", "ruled": "经理裁决",
                    "accepted": "经理审核通过"}[ruling.state]
        draft.fact("该客户撞单已%s,由%s胜出" % (state_zh, _zh(ruling.winner_id, names)),
                   "the customer's conflict is settled (%s) in favour of %s"
                   % (ruling.state, _en(ruling.winner_id, names)))
        draft.owns(ruling.winner_id, names)
    else:
        draft = _Draft("A6")
        draft.fact("该客户撞单尚在处理中(%s),不另开撞单" % ruling.state,
                   "the customer's conflict is still open (%s), no second conflict"
                   % ruling.state)
        draft.owns(current, names, "暂维持原归属%s" % _zh(current, names),
                   "current owner %s kept meanwhile" % _en(current, names))
    draft.no_conflict = True
    draft.receiver_id = facts.receiver_id
    return draft


def _note_later(draft, later, settings, names):
    """Name the registrations after the visit time: the sheet holds them too."""
    shown = [r for r in later if r.owner_id is not None or r.receiver_id is not None]
    if not shown:
        return
    draft.notes_zh.append("登记表上另有来访时间晚于本次的登记:%s" % "、".join(
        "%s由%s" % (_fmt(_local_date(r.visit_datetime, settings)),
                   _zh(r.owner_id if r.owner_id is not None else r.receiver_id, names))
        for r in shown))
    draft.notes_en.append("the sheet also holds registrations after this visit time: %s"
                          % ", ".join(
                              "%s by %s" % (_fmt(_local_date(r.visit_datetime,
                                                             settings)),
                                            _en(r.owner_id if r.owner_id is not None
                                                else r.receiver_id, names))
                              for r in shown))


def _entered_before_it(facts):
    """The registrations (with an owner) dated after this visit that were already on
    the sheet when it was entered: an entry dated before them, inside the late-entry
    window, is out of the sheet's order. Empty for a late entry (held as such), the
    register kept at the time (its own order) and when an entry time is unknown.

    >>> import datetime as dt, types
    >>> mine = Registration(7, 2, dt.datetime(2026, 3, 1, 2, 5),
    ...                     entered_at=dt.datetime(2026, 3, 1, 2, 5))
    >>> def entry(minute):
    ...     return types.SimpleNamespace(
    ...         is_late_entry=False, kept_in_time=False, later=(mine,),
    ...         entered_at=dt.datetime(2026, 3, 1, 2, minute))
    >>> len(_entered_before_it(entry(25)))
    1
    >>> _entered_before_it(entry(1))
    ()
    """
    if facts.is_late_entry or facts.kept_in_time or facts.entered_at is None:
        return ()
    return tuple(r for r in facts.later if r.owner_id is not None
                 and r.entered_at is not None and r.entered_at <= facts.entered_at)


def _at(value, settings):
    """An office-local ``YYYY-MM-DD HH:MM`` of a naive UTC datetime."""
    return office_datetime(value, settings.timezone).strftime("%Y-%m-%d %H:%M")


def _hold_late_entry(draft, facts, settings, names, all_regs):
    """A late entry, or an entry dated before registrations already on the sheet
    (``_entered_before_it``), that would change the current owner: owner kept,
    conflict opened with the earliest registration entered in time as proposal (A10,
    else A6)."""
    current = facts.current_owner_id
    ahead = _entered_before_it(facts)
    if not (facts.is_late_entry or ahead) or current is None:
        return draft
    if facts.ruling is not None and draft.code in ("A6", "A7") and \
            facts.ruling.state in SETTLED + ("forfeited",):
        return draft  # the manager's ruling decides, not the entry
    if not draft.needs_rotation and draft.owner_id == current:
        return draft
    departed = facts.departed_user_ids
    in_time = sorted((r for r in all_regs if r.owner_id is not None
                      and r.owner_id not in departed
                      and not entered_late(r.visit_datetime, r.entered_at,
                                           settings.late_entry_minutes)),
                     key=_reg_order)
    if facts.kept_in_time:
        # the register kept at the time: this visit is one of its registrations
        own = facts.receiver_id if draft.needs_rotation else draft.owner_id
        if own is not None and own not in departed:
            in_time = sorted(in_time + [Registration(
                partner_id=None, owner_id=own, visit_datetime=facts.visit_datetime,
                receiver_id=facts.receiver_id)], key=_reg_order)
    first = in_time[0] if in_time else None
    proposal = first.owner_id if first is not None else current
    held = _Draft("A10" if first is not None else "A6")
    held.receiver_id = facts.receiver_id
    held.covering = True  # the late entrant's receiver claims through ``forced`` only
    held.notify_manager = True
    held.notify_user_ids = list(draft.notify_user_ids)
    held.notes_zh, held.notes_en = list(draft.notes_zh), list(draft.notes_en)
    visit_day = _fmt(facts.local_visit)
    entered = _local_date(facts.entered_at, settings) if facts.entered_at else None
    if ahead:
        dated, entered_at = (_at(facts.visit_datetime, settings),
                             _at(facts.entered_at, settings))
        held.fact("本次登记时间%s,录入%s时登记表上已有时间更晚的登记:%s" % (
            dated, entered_at, "、".join(
                "%s由%s" % (_at(r.visit_datetime, settings), _zh(r.owner_id, names))
                for r in ahead)),
            "this visit, dated %s, was entered at %s, after the sheet already held "
            "later registrations: %s" % (dated, entered_at, ", ".join(
                "%s by %s" % (_at(r.visit_datetime, settings), _en(r.owner_id, names))
                for r in ahead)))
    else:
        held.fact("补登:来访时间%s,录入%s,晚于%s分钟" % (
            visit_day, _fmt(entered) if entered else "事后",
            settings.late_entry_minutes),
            "late entry: visit on %s, entered %s, more than %s minutes after" % (
            visit_day, _fmt(entered) if entered else "afterwards",
            settings.late_entry_minutes))
    for zh, en in zip(draft.facts_zh, draft.facts_en):
        held.fact(zh, en)
    if draft.needs_rotation:
        would_zh, would_en = "本应按%s重新轮接" % draft.code, \
            "%s would give the customer to the rotation" % draft.code
    else:
        would_zh = "按%s本应归属%s" % (draft.code, _zh(draft.owner_id, names))
        would_en = "%s would give the customer to %s" % (
            draft.code, _en(draft.owner_id, names))
    held.fact(would_zh, would_en)
    if first is not None:
        held.fact("按时登记的登记表上最早为%s由%s登记" % (
            _fmt(_local_date(first.visit_datetime, settings)), _zh(proposal, names)),
            "the sheet as entered in time shows %s first, on %s" % (
            _en(proposal, names), _fmt(_local_date(first.visit_datetime, settings))))
    if ahead:
        held.owns(current, names,
                  "日期早于已登记来访的登记不能自行改变归属,暂维持%s" % _zh(current, names),
                  "an entry dated before registrations already on the sheet cannot "
                  "move the customer by itself: %s kept meanwhile"
                  % _en(current, names))
    else:
        held.owns(current, names, "补登不能自行改变归属,暂维持%s" % _zh(current, names),
                  "a late entry cannot move the customer by itself: %s kept meanwhile"
                  % _en(current, names))
    held.proposed_id = proposal
    held.forced = [u for u in (proposal, current, draft.owner_id, facts.receiver_id)
                   if u is not None]
    held.force_conflict = True
    return held
