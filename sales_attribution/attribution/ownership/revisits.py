"""Revisits on the customer's own registrations: A1 (recognised: the first
reception owns), A10 (several owners: the earliest, conflict), B6 (not recognised:
within ``protection_days`` the original owner, later the rotation), and the chain of
registrations a lawful B6 lapse restarts.
"""
from .draft import (_OWNER, _Draft, _en, _first_owners, _fmt, _local_date, _reg_order,
                    _undecided, _zh)


def _chain(registrations, settings):
    """Registrations of the current chain (restarted by a lawful lapse), oldest first.
    """
    regs = sorted(registrations, key=_reg_order)
    start = 0
    for index in range(1, len(regs)):
        gap = (_local_date(regs[index].visit_datetime, settings)
               - _local_date(regs[index - 1].visit_datetime, settings)).days
        if gap > settings.protection_days and \
                regs[index].owner_id != regs[index - 1].owner_id:
            start = index
    return regs[start:]


def _rule_registrations(facts, settings, names, chain):
    """A1 / A10 / B6 on the customer's own registrations (of the current chain)."""
    first, tied, owners, first_reg = _first_owners(chain, settings)
    if first_reg is None:
        return None
    first_day = _local_date(first_reg.visit_datetime, settings)
    last_day = _local_date(chain[-1].visit_datetime, settings)
    days = (facts.local_visit - last_day).days
    recalled = facts.customer_recalls_consultant
    lapsed = not recalled and days > settings.protection_days
    if lapsed:
        draft = _Draft("B6")
        draft.transfer = True
        draft.previous_owner_id = first
        draft.fact("顾问与客户互未认出,首次接访%s由%s,上次来访%s,相隔%s天,超过%s天"
                   % (_fmt(first_day), _zh(first_reg.owner_id, names), _fmt(last_day),
                      days, settings.protection_days),
                   "neither recognised the other, first reception %s by %s, last visit "
                   "%s, %s days ago, more than %s" % (
                       _fmt(first_day), _en(first_reg.owner_id, names), _fmt(last_day),
                       days, settings.protection_days))
        draft.rotation("归当值顾问%s" % _OWNER, "the consultant on duty%s owns" % _OWNER)
        return draft
    if len(owners) > 1:
        draft = _Draft("A10")
        draft.forced = list(owners)
        draft.force_conflict = True
        if first is None:
            draft.fact("登记表上%s同时于%s首次登记" % (
                "、".join(_zh(o, names) for o in tied), _fmt(first_day)),
                "the registration sheet shows %s registering first at the same time "
                "on %s" % (", ".join(_en(o, names) for o in tied), _fmt(first_day)))
            _undecided(draft, facts, names, "无法确认最早登记者", "no earliest registration")
        else:
            draft.fact("登记表上该客户先后由%s接待,最早为%s由%s登记" % (
                "、".join(_zh(o, names) for o in owners), _fmt(first_day),
                _zh(first, names)),
                "the registration sheet shows %s, earliest on %s by %s" % (
                ", ".join(_en(o, names) for o in owners), _fmt(first_day),
                _en(first, names)))
            draft.owns(first, names,
                       "后接触者应转交,归属最早确认的%s" % _zh(first, names),
                       "later contacts hand over to the earliest, %s"
                       % _en(first, names))
    elif recalled:
        draft = _Draft("A1")
        draft.fact("客户于%s首次由%s接待登记,本次认出" % (_fmt(first_day), _zh(first, names)),
                   "first registered on %s by %s, recognised this time"
                   % (_fmt(first_day), _en(first, names)))
        draft.owns(first, names)
    else:
        draft = _Draft("B6")
        draft.fact("顾问与客户互未认出,首次接访%s由%s,上次来访%s,相隔%s天,未超过%s天"
                   % (_fmt(first_day), _zh(first, names), _fmt(last_day), days,
                      settings.protection_days),
                   "neither recognised the other, first reception %s by %s, last visit "
                   "%s, %s days ago, within %s" % (
                       _fmt(first_day), _en(first, names), _fmt(last_day), days,
                       settings.protection_days))
        draft.owns(first, names, "归原顾问%s" % _zh(first, names),
                   "the original consultant %s owns" % _en(first, names))
    draft.receiver_id = facts.receiver_id
    return draft
