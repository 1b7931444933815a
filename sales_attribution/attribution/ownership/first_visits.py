"""First visits: A3 (rotation), A5 (the receiver owns), A11 (developer-related
customers allocated evenly) and B7 (staff referral, always the rotation).
"""
from .draft import _OWNER, _Draft, _en, _first_owners, _fmt, _local_date, _zh


def _rule_staff_referral(facts, names):
    draft = _Draft("B7")
    arrived = _fmt(facts.local_visit)
    draft.fact("发展商员工或非销售人员介绍的客户于%s到达售楼处" % arrived,
               "customer introduced by developer staff or non-sales staff, "
               "arrived on %s" % arrived)
    if facts.requested_user_id is not None:
        draft.ignored_request = True
        draft.fact("介绍人指定的%s不予考虑(不准指定顾问)" % _zh(facts.requested_user_id, names),
                   "the requested %s is ignored (naming a consultant is not allowed)"
                   % _en(facts.requested_user_id, names))
    draft.rotation("归当时值班顾问%s" % _OWNER,
                   "the consultant on duty at arrival%s owns" % _OWNER)
    return draft


def _rule_developer(facts, settings, names, regs):
    """A11, or None when the customer falls under the normal rules."""
    notice = facts.developer_notice_date
    if not facts.is_developer_related or notice is None:
        return None
    notice = _local_date(notice, settings)
    if notice > facts.local_visit:
        return None
    before = [r for r in regs if _local_date(r.visit_datetime, settings) < notice]
    followup = _local_date(facts.last_followup_date, settings)
    if before or (facts.current_owner_id is not None and followup is not None
                  and followup < notice):
        return None  # contact before the written notice: a new customer, normal rules
    draft = _Draft("A11")
    draft.notify_manager = True
    draft.covering = True
    draft.receiver_id = facts.receiver_id
    draft.fact("发展商关系客户,书面通知日期%s,通知前无联系" % _fmt(notice),
               "developer-related customer, written notice dated %s, no contact "
               "before it" % _fmt(notice))
    first, tied, owners, first_reg = _first_owners(regs, settings)
    if owners:
        allocated = _fmt(_local_date(first_reg.visit_datetime, settings))
        draft.fact("已于%s分配给%s" % (allocated, _zh(first_reg.owner_id, names)),
                   "allocated on %s to %s"
                   % (allocated, _en(first_reg.owner_id, names)))
        if first is None or len(owners) > 1:
            draft.forced = list(owners)
            draft.force_conflict = True
        draft.owns(first if first is not None else facts.current_owner_id, names)
        return draft
    if facts.current_owner_id is not None:
        draft.fact("已由销售负责人分配给%s" % _zh(facts.current_owner_id, names),
                   "already allocated by the sales head to %s"
                   % _en(facts.current_owner_id, names))
        draft.owns(facts.current_owner_id, names)
        return draft
    present = sorted(set(facts.present_user_ids) - set(facts.departed_user_ids))
    if not present:
        draft.fact("当前无在岗顾问", "no consultant is present")
        draft.owns(None, names, "由销售负责人分配", "the sales head allocates")
        return draft
    counts = facts.developer_counts or {}
    chosen = min(present, key=lambda u: (counts.get(u, 0), u))
    draft.fact("在岗顾问持有发展商客户数:%s" % "、".join(
        "%s %s" % (_zh(u, names), counts.get(u, 0)) for u in present),
        "developer-related customers held by present consultants: %s" % ", ".join(
        "%s %s" % (_en(u, names), counts.get(u, 0)) for u in present))
    draft.owns(chosen, names, "平均分配给最少者%s" % _zh(chosen, names),
               "allocated evenly to the one holding fewest, %s" % _en(chosen, names))
    return draft


def _rule_new(facts, names):
    """A5 (receiver given) or A3 (rotation)."""
    if facts.receiver_id is not None:
        draft = _Draft("A5")
        draft.receiver_id = facts.receiver_id
        asked_zh = "已询问以前是否来过" if facts.asked_prior_visit else "未询问以前是否来过"
        asked_en = "asked about prior visits" if facts.asked_prior_visit \
            else "prior visits not asked"
        if facts.later:
            draft.fact("%s,来访表上此前无登记记录" % asked_zh,
                       "%s, no earlier registration on record" % asked_en)
        else:
            draft.fact("%s,来访表无登记记录" % asked_zh, "%s, no registration on record"
                       % asked_en)
        draft.owns(facts.receiver_id, names, "归接待顾问%s" % _zh(facts.receiver_id, names),
                   "the receiver %s owns" % _en(facts.receiver_id, names))
    else:
        draft = _Draft("A3")
        if facts.later:
            draft.fact("自然来访,此前无登记记录,无人指定",
                       "walk-in with no earlier record and no claim")
        else:
            draft.fact("自然来访,无登记记录,无人指定", "walk-in with no record and no claim")
        draft.rotation()
    if facts.customer_recalls_consultant:
        draft.notify_manager = True
        draft.fact("但客户表示对某位顾问有印象,请经理核查",
                   "but the customer recalls a consultant: the manager checks")
        requested = facts.requested_user_id
        if requested is not None and requested != facts.receiver_id:
            draft.forced = [requested]
            draft.force_conflict = True
    else:
        draft.fact("客户对顾问无印象", "the customer recalls no consultant")
    return draft
