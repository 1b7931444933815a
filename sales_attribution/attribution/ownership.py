"""Who owns a visiting customer: the rules of 第二篇 客户确认规范 (A1-A15, B1-B8).

``decide(facts, settings, now)`` takes the facts of one visit (plain frozen
dataclasses, no Odoo) and returns one ``Decision``: the owner, the receiver, the rule
code that decided, a one-sentence explanation in Chinese and English, and the flags
the caller acts on (open a conflict, notify the manager or a consultant, show the
"do not leave your number" notice). When the outcome is "whoever the rotation serves"
the decision says ``needs_rotation``; the caller draws the turn under a row lock
(``rotation.serve``) and completes the decision with ``decision.resolve_rotation(turn)``
or ``resolve(decision, user_id, names)``.

Precedence (SPEC section 2), first match wins::

    conflict ruling (A6/A7) > B7 > A11 > B4/B8 (A4) > A2/B3b (named consultant)
      > A14/B6 (time windows) > A1/A10 (first registration, B1 via direct kin)
      > A5 > A3 (rotation)

Time: datetimes are naive UTC; dates shown and days counted are the office's calendar
dates in ``Settings.timezone`` (an IANA zone name, default ``Asia/Shanghai``, converted
with ``pytz`` by ``terms.office_date``), so a visit at 07:00 Beijing time counts on
that Beijing date. Windows are measured at the visit
(``facts.visit_datetime``), not at ``now``: a visit entered the next morning is judged
as of its arrival; ``now`` stands in only when the visit time is missing. Days are
whole calendar days between the two dates; "within 30 days" (30日内) includes day 30.

Interpretations of the seed, where SPEC and the brief leave room:

- Ruling. A settled ruling (agreed / ruled / accepted with a winner) gives the winner
  the customer, code A6; forfeited gives the company (owner ``None``), code A7; an open
  conflict (negotiation / escalated, or settled without a winner) keeps the current
  owner, code A6, and opens no second conflict. A manager's reassignment after a
  complaint (B5) should reach this module as a settled ruling; otherwise the
  registration sheet and the current owner disagree and a conflict is opened.
- B7 ``staff_referral`` always goes to the rotation; a requested consultant is ignored
  (``ignored_request``) and the explanation says so. The seed's 不准指定 is absolute.
- A11 applies when the customer is developer-related, the written notice is dated on or
  before the visit, and there was no contact before the notice (no registration before
  it, and no follow-up before it by a current owner). The seed's "建立联系并促成成交"
  is judged at the visit by the contact alone: a deal is not yet known. The first visit
  after the notice is allocated to the present member owning the fewest
  developer-related customers (ties: lowest user id); later visits keep that
  allocation (first registration after the notice, or the current owner), code A11.
  The manager (销售部负责人) is always told; with nobody present nobody is picked and
  the manager allocates. The greeting receiver is recorded without a claim.
- B4 / A4 / B8 (``referral``): the referrers are old customers with owners. Brought in
  person, or the new customer names a referrer's consultant -> that consultant owns:
  present -> B4, absent -> A4 (the receiver only covers and the form shows the
  no-phone notice). Several referrers with different owners brought the customer
  (B8) -> the owner of the referrer whose first deal was won first; a referrer with no
  won deal comes after one with a deal; no deal at all or a tie -> conflict, never a
  pick. Came alone naming nobody -> rotation, code B4, but only when the customer is
  really new (no registration, no owner, no direct-kin registration); a returning
  customer is judged by the registration rules below. The seed's A4 asks for the
  consultant to be named (明确找); the brief also counts being brought in person, as
  B4 does - followed here.
- A2: a named (``requested_user_id``) consultant who is not present (not in
  ``present_user_ids`` and not the receiver) owns; the receiver covers without a claim
  and the manager is told. The seed itself only says others must receive and tell the
  manager; ownership by the named consultant is SPEC's reading.
- B3b (``appointment`` with an ``appointment_user_id`` and no prior registration of
  the customer): the customer asks for the appointment user -> that user (absent: the
  receiver covers, manager told); otherwise a natural visit -> rotation, code B3b. An
  appointment by a returning customer is judged by the registration rules.
- A14 (an owner but no registration: a phone-only customer): follow-up within
  ``followup_days`` -> owner kept (A14); older, or no follow-up recorded at all: the
  customer names the owner (``requested_user_id`` is the owner or
  ``customer_recalls_consultant``) -> owner kept (A14 exception), else protection
  lapsed, a natural customer -> rotation, code A14, previous owner recorded.
- B6 / A1 / A10 (own registrations): a "chain" of registrations restarts where the
  gap to the previous registration exceeded ``protection_days`` and the owner changed
  (a lawful B6 lapse); the first registration of the current chain is the original.
  Not recognised (``customer_recalls_consultant`` False): days since the last visit
  <= ``protection_days`` -> original owner (B6), more -> rotation (B6). Recognised ->
  original owner (A1). Registrations with different owners -> the earliest one's
  owner proposed, code A10, conflict with all of them as claimants; two owners on the
  same earliest instant -> no proposal, current owner kept, conflict.
- B1 at the visit: no own registration but a direct kin's (spouse / parent / child)
  -> the first reception among the kin owns, code B1; the manager and the kin's
  consultant are told (审客过程中得知后,立即通知销售主管及原置业顾问). When the customer has
  own registrations and a kin was received earlier by another consultant, the own
  rules decide and the same two are told (the split is settled at the win, B1).
- A5 / A3: no registration (own or kin), no owner: a given receiver owns (A5); no
  receiver -> rotation (A3). A customer who recalls a consultant though no record
  exists: the manager is told, and naming someone else than the receiver opens a
  conflict.
- Collision: a given receiver who is not the decided owner opens a conflict with
  (owner, receiver) as claimants, proposal = the decided owner (A10), unless the
  receiver merely covers (A2, A4, and by the same reasoning B3b and B8 with the owner
  absent, and A11's allocation). So does a current owner or an original registration
  owner who is not the decided owner, except where a rule lawfully ends that claim
  (B6 and A14 lapses, the B3b natural visit, rulings). A rotation decision checks
  collisions again when it is resolved with the drawn user: the desk should ask the
  rotation before it writes a receiver on the form, or leave ``receiver_id`` empty.
- ``not_asked_collision`` flags a conflict on a visit where the receiver did not ask
  whether the customer had come before (A5: the caller logs it against the receiver).
- ``claimant_ids`` lists the decided owner first: that is the conflict's proposal.

- Late entries (补登, company rules of SPEC): a registration is entered late when it
  was entered (``entered_at``, the record's creation) more than
  ``Settings.late_entry_minutes`` after its visit time (``entered_late``). The rules
  judge a visit as of its arrival with the registrations before it, but every
  registration of the customer is a fact: one after the visit time is named in the
  decision and a customer with any registration is never called "never visited"
  (A14 applies only without any). A late entry (``VisitFacts.is_late_entry``) that
  would give the customer to someone else than the current owner does not move it:
  the owner is kept and a conflict opens for the manager, code A10 (A6 when the sheet
  holds no registration entered in time), proposing the owner of the earliest
  registration entered in time (the sheet as kept at the time), else the current
  owner; the decision says what the rules would have given and why it is held. A
  settled or forfeited ruling still applies (the manager decided, not the entry). A
  visit from the register kept at the time (``VisitFacts.kept_in_time``: an import of
  the office's sheet) counts among the registrations entered in time: as the
  earliest, its owner (the sheet's receiver where the rules call the rotation) is
  the proposal.
- Departed consultants (``VisitFacts.departed_user_ids``: archived, or no longer in
  the sales groups) never own in a new decision and carry no claim. A visit naming
  one (A2, A4, B3b, B4, B8) goes to the current owner if there is one who is still
  with the office, else to the rotation, under the naming rule's code; any other rule
  whose owner has left (a revisit, A11, B1, a ruling's winner) gives code H1: the
  current owner if handed over (and still with the office), else the rotation. The
  decision names who left. Where a late entry holds the current owner, a departed
  current owner is kept until the manager rules or hands over.
- Cover (A2, A4, B3b, B4, B8 with the owner absent): when the desk left the receiver
  empty, the consultant on duty (``VisitFacts.duty_user_id``, the rotation's next
  present member, ``rotation.peek``) is the covering receiver
  (``Decision.cover_user_id``) and is told; they get no claim. B4 decides whenever
  the old customer brought the new one in person, present or not; A4 is the new
  customer naming the absent original consultant. The "do not leave your number"
  notice shows whenever the owner is absent.

Where the seed and SPEC read differently, the seed is followed:

- B6 / A1: the seed counts 30 days between the two visits (二次来访相隔在30日内) and gives
  the customer to the first reception (以第一接访人为确认原则); SPEC's "since the last
  visit" is the same interval for the second visit and is kept for later ones.
- A11: the seed exempts customers who were in contact before the notice (已与业务人员建立
  联系); SPEC speaks of a deal won before the notice. A visit cannot know the deal, so
  contact decides here; the commission side may still check the deal date.
- B3b: the seed requires no prior visit (之前没有来访纪录); SPEC omits it. Applied.
- B4: the seed wants the new customer to name the consultant *and* say it is a
  referral (说明是老带新); the visit kind ``referral`` is that statement.
- B5 (客户无权因外貌选择...以第一接访人为最终原则): naming a present consultant gives no
  claim; only the sheet, a ruling or the other rules do.
- Codes whose substance lives elsewhere: A7 split (``splits``), A8/A12/A13 conduct
  (``conduct``), A9/A15/B1 win/B2/B3a/B5 split lines (``splits``): a visit decision
  only supplies their facts (the owner at first reception, the previous owner).
"""
import datetime
from dataclasses import dataclass, field, replace
from typing import Dict, FrozenSet, List, Optional, Tuple

from .codes import RULES
from .terms import (CONFLICT_STATES, DEFAULT_TIMEZONE, DIRECT_KIN, KINDS, SETTLED,
                    BilingualError, office_date)

RELATION_LABELS = {
    "spouse": ("配偶", "spouse"),
    "parent": ("父母", "parent"),
    "child": ("子女", "child"),
    "sibling": ("兄弟姐妹", "sibling"),
    "relative": ("亲属", "relative"),
    "friend": ("朋友", "friend"),
    "referral": ("介绍人", "referrer"),
}

_OWNER = "\x00owner\x00"  # placeholder for the rotation's user in pending explanations
_PENDING_ZH = "(待轮接)"
_PENDING_EN = " (turn not drawn yet)"


class InvalidFacts(BilingualError):
    """Facts that cannot be judged (unknown visit kind or ruling state)."""


# --------------------------------------------------------------------------- facts

@dataclass(frozen=True)
class Registration:
    """Another visit of this customer on the registration sheet (来访登记表), earlier
    or later than the one judged; ``entered_at``: when it was entered (naive UTC,
    ``None``: at the visit time)."""

    partner_id: Optional[int]
    owner_id: Optional[int]
    visit_datetime: datetime.datetime
    receiver_id: Optional[int] = None
    entered_at: Optional[datetime.datetime] = None


@dataclass(frozen=True)
class Referrer:
    """An old customer who referred or brought the visitor (老带新)."""

    partner_id: Optional[int]
    owner_id: Optional[int]
    first_won_date: Optional[datetime.date] = None


@dataclass(frozen=True)
class KinVisit:
    """A registration of a relative of the visitor, with the relation's type."""

    partner_id: Optional[int]
    owner_id: Optional[int]
    visit_datetime: datetime.datetime
    relation_type: str = "spouse"


@dataclass(frozen=True)
class Settings:
    """The company's numbers: windows in days (B6, A14) and the office's time zone
    (an IANA name; an unknown one raises ``pytz.UnknownTimeZoneError``)."""

    protection_days: int = 30
    late_entry_minutes: int = 30
    followup_days: int = 30
    timezone: str = DEFAULT_TIMEZONE


@dataclass(frozen=True)
class Ruling:
    """The customer's conflict (撞单), if there is one."""

    state: str
    winner_id: Optional[int] = None


@dataclass(frozen=True)
class VisitFacts:
    kind: str
    visit_datetime: Optional[datetime.datetime]
    receiver_id: Optional[int] = None
    requested_user_id: Optional[int] = None
    appointment_user_id: Optional[int] = None
    referrers: Tuple[Referrer, ...] = ()
    brought_in_person: bool = False
    customer_recalls_consultant: bool = False
    asked_prior_visit: bool = False
    present_user_ids: FrozenSet[int] = frozenset()
    current_owner_id: Optional[int] = None
    registrations: Tuple[Registration, ...] = ()
    kin_registrations: Tuple[KinVisit, ...] = ()
    last_followup_date: Optional[datetime.date] = None
    is_developer_related: bool = False
    developer_notice_date: Optional[datetime.date] = None
    developer_counts: Dict[int, int] = field(default_factory=dict)
    ruling: Optional[Ruling] = None
    names: Dict[int, str] = field(default_factory=dict)
    #: this visit was entered late (see ``entered_late``); ``entered_at`` when
    is_late_entry: bool = False
    entered_at: Optional[datetime.datetime] = None
    #: consultants who left the office (archived or out of the sales groups)
    departed_user_ids: FrozenSet[int] = frozenset()
    #: the rotation's next present member, without serving a turn (the cover)
    duty_user_id: Optional[int] = None
    #: the visit comes from the register as it was kept at the desk (an import of
    #: the office's sheet): for a late entry it counts among the registrations
    #: entered in time, so the hold proposes it when it is the earliest
    kept_in_time: bool = False


# ------------------------------------------------------------------------ decision

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


def entered_late(visit_datetime, entered_at, minutes):
    """Whether a visit at ``visit_datetime`` entered at ``entered_at`` (both naive UTC;
    ``None``: entered at the time) is a late entry (补登): entered more than
    ``minutes`` after the visit time.

    >>> at = datetime.datetime(2026, 3, 1, 2, 0)
    >>> entered_late(at, at + datetime.timedelta(minutes=30), 30)
    False
    >>> entered_late(at, at + datetime.timedelta(minutes=31), 30)
    True
    >>> entered_late(at, None, 30)
    False
    """
    if entered_at is None or visit_datetime is None:
        return False
    return entered_at - visit_datetime > datetime.timedelta(minutes=minutes)


# ------------------------------------------------------------------------- helpers

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


# ----------------------------------------------------------------------- the rules

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


# ------------------------------------------------------------------------ assembly

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
    """The ownership decision for one visit (see the module docstring for the rules)."""
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


# ------------------------------------------------- late entries, departures, cover

#: rules that give the customer to a consultant the customer named or came for
NAMED_CODES = ("A2", "A4", "B3b", "B4", "B8")


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


def _hold_late_entry(draft, facts, settings, names, all_regs):
    """A late entry that would change the current owner: owner kept, conflict opened
    with the earliest registration entered in time as proposal (A10, else A6)."""
    current = facts.current_owner_id
    if not facts.is_late_entry or current is None:
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
    held.fact("补登:来访时间%s,录入%s,晚于%s分钟" % (
        visit_day, _fmt(entered) if entered else "事后", settings.late_entry_minutes),
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
    held.owns(current, names, "补登不能自行改变归属,暂维持%s" % _zh(current, names),
              "a late entry cannot move the customer by itself: %s kept meanwhile"
              % _en(current, names))
    held.proposed_id = proposal
    held.forced = [u for u in (proposal, current, draft.owner_id, facts.receiver_id)
                   if u is not None]
    held.force_conflict = True
    return held


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


__all__ = [
    "Decision", "InvalidFacts", "KinVisit", "Referrer", "Registration", "Ruling",
    "Settings", "VisitFacts", "decide", "lapse_phone_only", "resolve",
]
