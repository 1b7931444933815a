"""The working copy of a decision while the rules are walked (``_Draft``) and the
wording helpers every rule module shares: names, office dates, the earliest owner of
a set of registrations, tie-breaking order, the undecided outcome.
"""
import datetime
from typing import List

from ..terms import office_date
from .facts import RELATION_LABELS, InvalidFacts

_OWNER = "\x00owner\x00"  # placeholder for the rotation's user in pending explanations
_PENDING_ZH = "(待轮接)"
_PENDING_EN = " (turn not drawn yet)"


def _name(user_id, names):
    if user_id is None:
        return None
    name = dict(names).get(user_id)
    return name if name else "#%s" % user_id


def _zh(user_id, names):
    return "公司" if user_id is None else _name(user_id, names)


def _en(user_id, names):
    return "the company" if user_id is None else _name(user_id, names)


def _local_date(value, settings):
    """The office date of a naive UTC datetime (a date is returned as it is)."""
    if value is None or isinstance(value, datetime.date):
        return office_date(value, settings.timezone)
    raise InvalidFacts("无法识别的日期:%r" % (value,), "Not a date: %r" % (value,))


def _fmt(day):
    return day.strftime("%Y-%m-%d")


def _first_owners(items, settings):
    """(earliest owner or None on a tie, owners tied at the earliest, all owners in
    order, the earliest item).

    ``items`` have ``owner_id`` and ``visit_datetime``; ownerless ones carry no claim.
    """
    claims = sorted((i for i in items if i.owner_id is not None), key=_reg_order)
    if not claims:
        return None, (), (), None
    first_at = claims[0].visit_datetime
    tied: List[int] = []
    owners: List[int] = []
    for item in claims:
        if item.visit_datetime == first_at and item.owner_id not in tied:
            tied.append(item.owner_id)
        if item.owner_id not in owners:
            owners.append(item.owner_id)
    first = tied[0] if len(tied) == 1 else None
    return first, tuple(tied), tuple(owners), claims[0]


def _reg_order(item):
    """Oldest first; registrations at the same minute in a fixed order (ownerless ones
    last, then by owner and receiver id), so the outcome never depends on the order
    the sheet was read in."""
    return (item.visit_datetime, item.owner_id is None, item.owner_id or 0,
            getattr(item, "receiver_id", None) or 0)


def _relation(kin):
    relation = kin.relation_type
    return RELATION_LABELS.get(relation, (relation, relation))


class _Draft(object):
    """Mutable working copy of a decision while the rules are walked."""

    def __init__(self, code):
        self.code = code
        self.owner_id = None
        self.receiver_id = None
        self.needs_rotation = False
        self.covering = False
        self.transfer = False
        self.no_conflict = False
        self.forced: List[int] = []
        self.force_conflict = False
        self.notify_manager = False
        self.notify_user_ids: List[int] = []
        self.show_no_phone_notice = False
        self.ignored_request = False
        self.previous_owner_id = None
        self.facts_zh: List[str] = []
        self.facts_en: List[str] = []
        self.outcome_zh = ""
        self.outcome_en = ""
        self.notes_zh: List[str] = []
        self.notes_en: List[str] = []
        self.proposed_id = None
        self.cover_id = None
        self.needs_cover = False

    def fact(self, zh, en):
        self.facts_zh.append(zh)
        self.facts_en.append(en)

    def owns(self, owner_id, names, zh=None, en=None):
        self.owner_id = owner_id
        self.outcome_zh = zh or "归属%s" % _zh(owner_id, names)
        self.outcome_en = en or "owner %s" % _en(owner_id, names)

    def rotation(self, zh=None, en=None):
        self.needs_rotation = True
        self.outcome_zh = zh or "按轮接由当值顾问%s接待并归属" % _OWNER
        self.outcome_en = en or "the rotation's next consultant%s receives and owns" \
            % _OWNER


def _undecided(draft, facts, names, why_zh, why_en):
    """A tie the rules cannot break: the current owner (if any) stays until the ruling.
    """
    current = facts.current_owner_id
    if current is None:
        draft.owns(None, names, "%s,暂无归属" % why_zh, "%s, no owner yet" % why_en)
    else:
        draft.owns(current, names,
                   "%s,暂维持原归属%s" % (why_zh, _zh(current, names)),
                   "%s, current owner %s kept meanwhile"
                   % (why_en, _en(current, names)))
