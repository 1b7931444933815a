"""Protection that ends: A14 (a phone-only customer at the visit, and between visits
by ``lapse_phone_only``) and H1 (a departed consultant owns no new decision).
"""
import datetime  # noqa: F401 (the doctests use it)

from .decision import Decision
from .draft import _OWNER, _Draft, _en, _fmt, _local_date, _zh
from .facts import Settings
from .referrals import NAMED_CODES


def _rule_phone_only(facts, settings, names):
    """A14: an owner, no registration."""
    owner = facts.current_owner_id
    draft = _Draft("A14")
    draft.receiver_id = facts.receiver_id
    followup = _local_date(facts.last_followup_date, settings)
    named = facts.requested_user_id == owner or facts.customer_recalls_consultant
    if followup is None:
        draft.fact("%s的电话客户从未到访,无追访记录" % _zh(owner, names),
                   "phone-only customer of %s, never visited, no follow-up recorded"
                   % _en(owner, names))
        within = False
    else:
        days = (facts.local_visit - followup).days
        within = days <= settings.followup_days
        draft.fact("%s的电话客户从未到访,最后追访%s,距来访%s天(期限%s天)"
                   % (_zh(owner, names), _fmt(followup), days, settings.followup_days),
                   "phone-only customer of %s, never visited, last follow-up %s, "
                   "%s days before the visit (limit %s)" % (
                       _en(owner, names), _fmt(followup), days, settings.followup_days))
    if within:
        draft.owns(owner, names, "仍在保护期内,归属%s" % _zh(owner, names),
                   "still protected, owner %s" % _en(owner, names))
    elif named:
        draft.fact("客户来访时明确表示与%s联系过" % _zh(owner, names),
                   "the customer says %s has been in contact" % _en(owner, names))
        draft.owns(owner, names, "属例外,仍归属%s" % _zh(owner, names),
                   "the exception applies, owner %s kept" % _en(owner, names))
    else:
        draft.transfer = True
        draft.fact("来访时未表示哪位顾问联系过,计为自然客户",
                   "the customer named no consultant: a natural customer")
        draft.rotation()
    return draft


def _leave_departed(draft, facts, names):
    """A decided owner who has left the office: the current owner if still with the
    office (handed over), else the rotation; the naming rules keep their code, any
    other rule gives H1."""
    left = draft.owner_id
    departed = facts.departed_user_ids
    if draft.needs_rotation or left is None or left not in departed:
        return draft
    current = facts.current_owner_id
    if draft.code not in NAMED_CODES:
        draft.code = "H1"
    draft.covering = False
    draft.show_no_phone_notice = False
    draft.notify_manager = True
    draft.notify_user_ids = [u for u in draft.notify_user_ids if u not in departed]
    draft.forced = [u for u in draft.forced if u not in departed]
    draft.fact("%s已离职,不再归属新客户" % _zh(left, names),
               "%s has left the office and owns no customer any more"
               % _en(left, names))
    if current is not None and current != left and current not in departed:
        draft.owns(current, names, "客户已交接给%s,归属%s" % (
            _zh(current, names), _zh(current, names)),
            "the customer was handed over to %s, who owns" % _en(current, names))
        if draft.receiver_id in departed:
            draft.receiver_id = None
    else:
        draft.transfer = True
        draft.owner_id = None
        draft.rotation("归当值顾问%s" % _OWNER, "the consultant on duty%s owns" % _OWNER)
    return draft


def lapse_phone_only(owner_id, last_followup_date, today, visited=False,
                     settings=None, names=None):
    """A14 between visits: the protection of a phone-only customer lapses.

    A customer with an owner who has never visited (``visited`` False) and whose last
    follow-up (``last_followup_date``, an office-local date) is more than
    ``settings.followup_days`` days before ``today`` becomes a natural customer: the
    returned decision (code A14) clears the owner (``owner_id`` None) and records the
    previous one. No owner, a visit on record, or no follow-up date at all (nothing to
    count from: the visit itself judges it, see ``decide``) -> ``None``, nothing lapses.

    >>> d = lapse_phone_only(7, datetime.date(2026, 1, 1), datetime.date(2026, 2, 1))
    >>> d.rule_code, d.owner_id, d.previous_owner_id
    ('A14', None, 7)
    >>> print(lapse_phone_only(7, datetime.date(2026, 1, 2), datetime.date(2026, 2, 1)))
    None
    """
    settings = settings or Settings()
    if owner_id is None or visited or last_followup_date is None:
        return None
    followup = _local_date(last_followup_date, settings)
    today = _local_date(today, settings)
    days = (today - followup).days
    if days <= settings.followup_days:
        return None
    names = names or {}
    return Decision(
        owner_id=None,
        receiver_id=None,
        rule_code="A14",
        explanation_zh="A14:%s的电话客户从未到访,最后追访%s,距今%s天,超过%s天,保护期失效,"
                       "计为自然客户,取消归属。" % (
                           _zh(owner_id, names), _fmt(followup), days,
                           settings.followup_days),
        explanation_en="A14: phone-only customer of %s, never visited, last "
                       "follow-up %s, %s days ago, more than %s: protection lapsed, "
                       "a natural customer, owner cleared." % (
                           _en(owner_id, names), _fmt(followup), days,
                           settings.followup_days),
        previous_owner_id=owner_id,
    )
