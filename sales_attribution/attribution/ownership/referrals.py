"""Customers who name or are brought to a consultant, and kin: B4 / A4 / B8
(referrals, several referrers), A2 (named consultant absent), B3b (appointment),
B1 (direct kin at the visit), and the cover for an absent owner (``NAMED_CODES``,
the consultant on duty receives without a claim).
"""
import datetime
from typing import Dict, List

from ..terms import DIRECT_KIN
from .draft import (_OWNER, _Draft, _en, _first_owners, _fmt, _local_date, _relation,
                    _undecided, _zh)

#: rules that give the customer to a consultant the customer named or came for
NAMED_CODES = ("A2", "A4", "B3b", "B4", "B8")


def _present(user_id, facts):
    if user_id in facts.departed_user_ids:
        return False
    return user_id in facts.present_user_ids or user_id == facts.receiver_id


def _cover_id(facts):
    """Who receives for an absent owner: the desk's receiver, else the duty consultant
    (``None`` when nobody is on duty)."""
    if facts.receiver_id is not None:
        return facts.receiver_id
    duty = facts.duty_user_id
    return duty if duty is not None and duty not in facts.departed_user_ids else None


def _rule_referral(facts, names, is_new):
    """B4 / A4 / B8, or None when the referral gives no claim."""
    owners: List[int] = []
    for referrer in facts.referrers:
        if referrer.owner_id is not None and referrer.owner_id not in owners:
            owners.append(referrer.owner_id)
    brought = facts.brought_in_person
    named = facts.requested_user_id in owners
    if owners and brought and len(owners) > 1:
        return _rule_two_referrers(facts, names, owners)
    if owners and (brought or named):
        owner = facts.requested_user_id if named else owners[0]
        how_zh = "由老客户亲自带来" if brought else "新客户指明找老客户的顾问"
        how_en = "brought in person by the old customer" if brought else \
            "the new customer names the old customer's consultant"
        present = _present(owner, facts)
        if present:
            draft = _Draft("B4")
            draft.fact("老带新,%s,原顾问%s在场" % (how_zh, _zh(owner, names)),
                       "referral %s, original consultant %s present"
                       % (how_en, _en(owner, names)))
        elif brought:
            # B4: 不管原顾问是否在场,归原顾问; the A4 notice still applies to the cover
            draft = _Draft("B4")
            draft.fact("老带新,%s,不管原顾问是否在场均归原顾问;%s不在场,代接待者不得留"
                       "自己电话(A4)" % (how_zh, _zh(owner, names)),
                       "referral %s: the original consultant owns, present or not; %s "
                       "is absent, the covering receiver must not leave their number "
                       "(A4)" % (how_en, _en(owner, names)))
        else:
            draft = _Draft("A4")
            draft.fact("老带新,%s,原顾问%s不在场,代接待者不得留自己电话"
                       % (how_zh, _zh(owner, names)),
                       "referral %s, original consultant %s absent, the covering "
                       "receiver must not leave their number"
                       % (how_en, _en(owner, names)))
        if not present:
            draft.covering = True
            draft.show_no_phone_notice = True
        draft.receiver_id = facts.receiver_id
        if draft.receiver_id is None and draft.code == "B4" and \
                owner in facts.present_user_ids:
            draft.receiver_id = owner
        draft.owns(owner, names)
        return draft
    if is_new and not brought and facts.requested_user_id is None:
        draft = _Draft("B4")
        draft.fact("老带新的新客户自行前往且始终未提及找哪位顾问",
                   "referred customer came alone and never named a consultant")
        draft.rotation("归当值顾问%s" % _OWNER, "the consultant on duty%s owns" % _OWNER)
        return draft
    return None


def _rule_two_referrers(facts, names, owners):
    draft = _Draft("B8")
    draft.receiver_id = facts.receiver_id
    won: Dict[int, datetime.date] = {}
    for referrer in facts.referrers:
        if referrer.owner_id is None or referrer.first_won_date is None:
            continue
        day = referrer.first_won_date
        if isinstance(day, datetime.datetime):
            day = day.date()
        if referrer.owner_id not in won or day < won[referrer.owner_id]:
            won[referrer.owner_id] = day
    draft.fact("多组老客户带新客户,分属%s" % "、".join(_zh(o, names) for o in owners),
               "several old customers of %s brought the new customer"
               % ", ".join(_en(o, names) for o in owners))
    dates_zh = "、".join(
        "%s %s" % (_zh(o, names), _fmt(won[o]) if o in won else "未成交") for o in owners)
    dates_en = ", ".join(
        "%s %s" % (_en(o, names), _fmt(won[o]) if o in won else "no deal")
        for o in owners)
    draft.fact("老客户成交日期:%s" % dates_zh, "old customers' deal dates: %s" % dates_en)
    earliest = min(won.values()) if won else None
    first = [o for o in owners if o in won and won[o] == earliest]
    if len(first) != 1:
        draft.forced = list(owners)
        draft.force_conflict = True
        _undecided(draft, facts, names, "无法以成交先后确认", "deal dates do not decide")
        return draft
    owner = first[0]
    if not _present(owner, facts):
        draft.covering = True
        draft.show_no_phone_notice = True
        draft.fact("%s不在场" % _zh(owner, names), "%s is absent" % _en(owner, names))
    draft.owns(owner, names)
    return draft


def _rule_named(facts, names, own_regs):
    """B3b (appointment) or A2 (named consultant absent), or None."""
    if facts.kind == "appointment" and facts.appointment_user_id is not None \
            and not own_regs:
        draft = _Draft("B3b")
        appointed = facts.appointment_user_id
        draft.receiver_id = facts.receiver_id
        if facts.requested_user_id == appointed:
            draft.fact("预约来访,之前无来访记录,客户主动找联系过的%s" % _zh(appointed, names),
                       "appointment, no prior visit, the customer asks for %s who "
                       "contacted them" % _en(appointed, names))
            if not _present(appointed, facts):
                draft.covering = True
                draft.notify_manager = True
                draft.fact("%s不在场,由他人代接待并告知经理" % _zh(appointed, names),
                           "%s is absent, another covers and the manager is told"
                           % _en(appointed, names))
            elif draft.receiver_id is None:
                draft.receiver_id = appointed
            draft.owns(appointed, names)
        else:
            draft.transfer = True
            draft.fact("预约人为%s,但客户未主动找其,视为自然来访" % _zh(appointed, names),
                       "appointment by %s, but the customer did not ask for them: a "
                       "natural visit" % _en(appointed, names))
            draft.rotation()
        return draft
    requested = facts.requested_user_id
    if facts.kind in ("walk_in", "referral", "appointment") and requested is not None \
            and not _present(requested, facts):
        draft = _Draft("A2")
        draft.covering = True
        draft.notify_manager = True
        draft.receiver_id = facts.receiver_id
        receiver = _cover_id(facts)
        cover_zh = _zh(receiver, names) if receiver is not None else "其他顾问"
        cover_en = _en(receiver, names) if receiver is not None \
            else "another consultant"
        draft.fact("客户明确找%s,其不在场,由%s代为接待并告知经理"
                   % (_zh(requested, names), cover_zh),
                   "the customer asks for %s who is absent, %s covers and the manager "
                   "is told" % (_en(requested, names), cover_en))
        draft.owns(requested, names)
        return draft
    return None


def _direct_kin(facts):
    return [k for k in facts.kin_registrations
            if k.relation_type in DIRECT_KIN and k.owner_id is not None]


def _rule_kin(facts, settings, names):
    """B1 at the visit: no own registration, a direct kin's registration."""
    kin = _direct_kin(facts)
    first, tied, owners, first_kin = _first_owners(kin, settings)
    if first_kin is None:
        return None
    draft = _Draft("B1")
    draft.receiver_id = facts.receiver_id
    draft.notify_manager = True
    rel_zh, rel_en = _relation(first_kin)
    day = _fmt(_local_date(first_kin.visit_datetime, settings))
    if first is None:
        draft.forced = list(tied)
        draft.force_conflict = True
        draft.fact("客户本人此前无归属登记,其直系亲属于%s同时由%s接待" % (
            day, "、".join(_zh(o, names) for o in tied)),
            "no earlier own registration with an owner; direct kin were received on "
            "%s by %s at the same time" % (
                day, ", ".join(_en(o, names) for o in tied)))
        draft.notify_user_ids = list(tied)
        _undecided(draft, facts, names, "无法确认初次接访", "no first reception")
        return draft
    own_zh, own_en = ("客户本人此前无归属登记", "no earlier own registration with an "
                      "owner") if facts.all_regs else ("客户本人无来访记录", "no own visit")
    draft.fact("%s,其%s于%s初次由%s接待" % (own_zh, rel_zh, day, _zh(first, names)),
               "%s; the customer's %s was first received on %s by %s"
               % (own_en, rel_en, day, _en(first, names)))
    draft.notify_user_ids = [first]
    draft.owns(first, names, "以初次接访为准归属%s,已通知经理及%s" % (
        _zh(first, names), _zh(first, names)),
        "the first reception decides: owner %s, manager and %s told"
        % (_en(first, names), _en(first, names)))
    return draft


def _record_cover(draft, facts, names):
    """The duty consultant covers for an absent owner when the desk named nobody."""
    if draft.needs_rotation or not draft.covering or facts.receiver_id is not None \
            or draft.code not in NAMED_CODES:
        return
    cover = _cover_id(facts)
    if cover is None:
        draft.needs_cover = facts.duty_user_id is None
        return
    if cover == draft.owner_id:
        return
    draft.receiver_id = cover
    draft.cover_id = cover
    if cover not in draft.notify_user_ids:
        draft.notify_user_ids.append(cover)
    draft.fact("当值顾问%s代为接待,不取得归属" % _zh(cover, names),
               "the consultant on duty %s covers without a claim" % _en(cover, names))
