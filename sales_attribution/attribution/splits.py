"""Commission split lines of a won deal: performance (业绩) and bonus (奖金) shares.

SPEC section 3 and the split sides of A6, A7, A9, A15, B1, B2, B3a and B5.
``compute_shares(deal, settings)`` takes the raw facts of one won deal
(:class:`DealFacts`: the customer and the buyer with their registrations, their
relations with the relatives' own registrations, the conflict and its shares, the won
datetime; plain frozen dataclasses, no Odoo) and returns a :class:`SplitDecision`:
the lines, the rule code that decided and an explanation in Chinese and English.
Every condition of the rules is decided here; the caller only loads the facts.
Performance credit and bonus money are separate shares and each sums to exactly
100 %; amounts are shared out by :func:`~.shares.allocate_amounts`.

Time: datetimes are naive UTC; days are the office's calendar dates
(``Settings.timezone``, :func:`~.terms.office_date`): a deal won at 00:30 Beijing time
is won on that Beijing day.

Precedence (first that applies wins):

1. A7  conflict ``forfeited`` or ``escalated`` (the seed: 上报公司,业绩充公 — escalation
   itself forfeits), or ``DealFacts.forfeited``: the company takes 100/100 (one line,
   ``user_id`` None, role ``company``).
2. A6  a settled conflict (``terms.SETTLED``) carrying the manager's shares: those
   shares, validated; a line keeps its own code when it is one of the catalogue, else
   A6. A conflict in ``negotiation`` has no ruling yet: the rules below apply and the
   explanation says they are provisional.
3. A9  group buyer: the buyer is a company (``buyer_is_company``) and
   ``unit_count >= Settings.group_units``. The owner and every consultant with a
   confirmed claim on the company or one of its contacts (``company_contacts``): the
   claimants of their settled conflicts, and for a contact who visited, the owners of
   those registrations and the contact's owner. They share equally as ``co_owner``
   (:func:`~.shares.equal_shares`, leftover cents to the lowest user ids); one person
   alone is the ``owner``.
4. A9  family: several units (``unit_count > 1``) and the customer or buyer came
   together with direct kin (``terms.DIRECT_KIN``): the kin is a companion on one of
   their registrations, or the kin has a registration on the same office day. One
   owner 100/100.
5. B5  complaint reassignment (``reassigned_from_id``, another consultant than the
   closer): performance the closer 100, bonus ``Settings.complaint_split`` (20/80).
6. B1  direct kin of the customer or buyer, owned by another consultant than the
   closer, whose first registration is earlier than every registration of the customer
   and the buyer (the first reception among the kin; the earliest such kin, then the
   lowest relation id). The kin's consultant is the original. Performance the original
   100; bonus ``Settings.relative_split`` (50/50) unless the original reported the kin
   as class a/b (``intent_class``, ``intent_reported_date`` before the won day) *and*
   the relation was confirmed on the won day (``confirmed_date`` = the office date of
   ``won_datetime``): then 100/100 and the closer is owed one make-up reception
   (``makeup_credit_user_id``). The mixed cases the seed leaves open take 50/50.
7. A15 a relative or friend (``RELATIVES_AND_FRIENDS``) of the customer or buyer with
   evidence of contact recorded on the relation (``evidence`` not blank), who never
   visited and is owned by another consultant than the closer (the first such relation
   in the order given): performance that consultant 100, bonus ``relative_split``.
   Without evidence the seed's condition (原置业顾问要有具体通讯证据) fails.
8. B3a one unit; the buyer has a consultant and registrations; a relative or friend of
   the buyer (a relation recorded on the buyer) has registrations, none on a day the
   buyer visited, is owned by another consultant, and has no opportunity of their own
   (``deal_ids`` other than this deal: that is B2, two deals each with its owner): the
   buyer's consultant 100/100.
9. A1  default: the owner 100/100 (no owner: the closer; nobody: the company).

"Closer" is ``closer_id`` or, when empty, the owner. Lines with 0/0 are dropped (e.g. a
0/100 setting); there are never two lines for one user and role.

>>> import datetime
>>> wife = Person(11, owner_id=1, visits=(Visit(datetime.datetime(2026, 3, 1, 2)),),
...               intent_class="a", intent_reported_date=datetime.date(2026, 3, 2))
>>> husband = Person(12, owner_id=2, visits=(Visit(datetime.datetime(2026, 3, 5, 2)),))
>>> deal = DealFacts(owner_id=2, customer=husband,
...                  won_datetime=datetime.datetime(2026, 3, 9, 16, 30),
...                  relations=(Relation(12, wife, "spouse",
...                                      confirmed_date=datetime.date(2026, 3, 10)),))
>>> decision = compute_shares(deal)
>>> [(s.user_id, s.role, str(s.bonus_share)) for s in decision.shares]
[(1, 'original', '100.00')]
>>> decision.rule_code, decision.makeup_credit_user_id
('B1', 2)
"""
import datetime
import functools
from dataclasses import dataclass, field
from typing import Any, Dict, FrozenSet, Optional, Tuple

from .codes import RULES
from .ownership import RELATION_LABELS as RELATION_NAMES
from .shares import (CENT, HUNDRED, ZERO, Share, ShareError, allocate_amounts,  # noqa
                     equal_shares, fmt_pct, lines, to_decimal, validate_shares)
from .terms import (DEFAULT_TIMEZONE, DIRECT_KIN, FORFEIT, RELATION_TYPES, SETTLED,
                    office_date)

ROLE_NAMES = {
    "owner": ("归属顾问", "owner"),
    "co_owner": ("共有顾问", "co-owner"),
    "original": ("原顾问", "original consultant"),
    "closer": ("成交顾问", "closing consultant"),
    "company": ("公司", "company"),
}
#: relatives and friends who are not direct kin (A15, B3a); referrals are B4/B8
RELATIVES_AND_FRIENDS = tuple(t for t in RELATION_TYPES
                              if t not in DIRECT_KIN and t != "referral")


# --------------------------------------------------------------------------- facts

@dataclass(frozen=True)
class Visit:
    """A registration (来访登记) of a person: when (naive UTC), its owner, who came
    along (partner ids)."""

    visit_datetime: datetime.datetime
    owner_id: Optional[int] = None
    companion_ids: FrozenSet[int] = frozenset()


@dataclass(frozen=True)
class Conflict:
    """A collision (撞单) on a person: its state and its claimants (user ids)."""

    state: str
    claimant_ids: Tuple[int, ...] = ()


@dataclass(frozen=True)
class Person:
    """A customer the rules look at: the deal's customer or buyer, a relative, a
    contact of a company buyer.

    ``owner_id``: the customer's consultant; ``visits``: their registrations (the
    companions are read on the customer's and the buyer's); ``intent_class`` (a/b/c)
    and ``intent_reported_date`` (office date): the evening review; ``deal_ids``:
    opportunities naming them as customer or buyer (read on relatives: B2);
    ``conflicts``: collisions on them (read on a company's contacts: A9 claims).
    """

    partner_id: int
    owner_id: Optional[int] = None
    visits: Tuple[Visit, ...] = ()
    intent_class: Optional[str] = None
    intent_reported_date: Optional[datetime.date] = None
    deal_ids: FrozenSet[int] = frozenset()
    conflicts: Tuple[Conflict, ...] = ()


@dataclass(frozen=True)
class Relation:
    """A relation recorded on ``partner_id`` (the deal's customer or buyer): the
    ``related`` person stands to them as ``relation_type`` (``terms.RELATION_TYPES``).

    ``evidence``: the proof of contact as recorded (A15); ``confirmed_date``: the
    office date the relation was confirmed (B1); ``relation_id`` breaks ties.
    """

    partner_id: int
    related: Person
    relation_type: str
    evidence: Optional[str] = None
    confirmed_date: Optional[datetime.date] = None
    relation_id: int = 0


@dataclass(frozen=True)
class DealFacts:
    """The raw facts of a won deal (see the module docstring for what decides).

    ``owner_id``/``closer_id``: user ids; ``revenue`` (money) and ``bonus_rate``
    (percent of revenue that is the bonus pool): Decimal; ``won_datetime``: naive UTC;
    ``customer`` and ``buyer`` (None: the customer): :class:`Person`;
    ``company_contacts``: the company buyer and its contacts; ``relations``: those
    recorded on the customer and the buyer, in the office's order; ``conflict_state``
    and ``conflict_shares``: the deal's latest conflict; ``reassigned_from_id``: the
    previous owner of the latest B5 reassignment; ``names``: ``{user id: name}``.
    """

    owner_id: Optional[int]
    closer_id: Optional[int] = None
    revenue: Any = ZERO
    bonus_rate: Any = ZERO
    lead_id: Optional[int] = None
    won_datetime: Optional[datetime.datetime] = None
    customer: Optional[Person] = None
    buyer: Optional[Person] = None
    buyer_is_company: bool = False
    unit_count: int = 1
    company_contacts: Tuple[Person, ...] = ()
    relations: Tuple[Relation, ...] = ()
    conflict_state: Optional[str] = None
    conflict_shares: Tuple[Share, ...] = ()
    forfeited: bool = False
    reassigned_from_id: Optional[int] = None
    names: Dict[Any, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Settings:
    """Office settings used by the splits (SPEC section 1, settings row)."""

    group_units: int = 5
    complaint_split: Tuple[Any, Any] = (20, 80)  # bonus: (original, closer)
    relative_split: Tuple[Any, Any] = (50, 50)  # bonus: (original, closer)
    timezone: str = DEFAULT_TIMEZONE


@dataclass(frozen=True)
class SplitDecision:
    shares: Tuple[Share, ...]
    rule_code: str
    explanation_zh: str
    explanation_en: str
    makeup_credit_user_id: Optional[int] = None


# --------------------------------------------------------------------------- conditions

def _people(deal):
    """The customer and the buyer (one person when they are the same)."""
    people = [p for p in (deal.customer, deal.buyer) if p is not None]
    if len(people) == 2 and people[0].partner_id == people[1].partner_id:
        people = people[:1]
    return people


# the same registrations are dated again for every deal they are a fact of
_office_day = functools.lru_cache(maxsize=8192)(office_date)


def _days(people, tz):
    """The office dates of the registrations of ``people``."""
    return {_office_day(v.visit_datetime, tz) for p in people for v in p.visits}


def _deal_relations(deal):
    """Relations of the customer and the buyer to other people than the two."""
    ids = {p.partner_id for p in _people(deal)}
    return [rel for rel in deal.relations if rel.related.partner_id not in ids]


def _group_co_owners(deal):
    """A9 group: user ids of the consultants with a confirmed claim on the company."""
    users = set()
    for contact in deal.company_contacts:
        for conflict in contact.conflicts:
            if conflict.state in SETTLED:
                users.update(conflict.claimant_ids)
        if contact.visits:
            users.update(v.owner_id for v in contact.visits)
            users.add(contact.owner_id)
    users.discard(None)
    return users


def _family_joint_visit(deal, tz):
    """A9 family: the customer or buyer came together with direct kin."""
    kin = [rel.related for rel in _deal_relations(deal)
           if rel.relation_type in DIRECT_KIN]
    if not kin:
        return False
    kin_ids = {k.partner_id for k in kin}
    own = [v for p in _people(deal) for v in p.visits]
    if any(v.companion_ids & kin_ids for v in own):
        return True
    return bool(_days(_people(deal), tz) & _days(kin, tz))


def _kin_relation(deal, relations, closer):
    """B1: the relation to the direct kin received first, by another consultant
    (``relations``: :func:`_deal_relations`)."""
    kin_relations = [
        rel for rel in relations
        if rel.relation_type in DIRECT_KIN and rel.related.owner_id
        and rel.related.owner_id != closer and rel.related.visits]
    if not kin_relations:
        return None
    own = [v.visit_datetime for p in _people(deal) for v in p.visits]
    first_own = min(own) if own else None
    candidates = []
    for rel in kin_relations:
        first = min(v.visit_datetime for v in rel.related.visits)
        if first_own is None or first < first_own:
            candidates.append((first, rel.relation_id, rel))
    return min(candidates, key=lambda c: c[:2])[2] if candidates else None


def _contact_relation(relations, closer):
    """A15: the relation to a contact who never visited, with evidence recorded
    (``relations``: :func:`_deal_relations`)."""
    for rel in relations:
        contact = rel.related
        if (rel.relation_type in RELATIVES_AND_FRIENDS
                and (rel.evidence or "").strip() and contact.owner_id
                and contact.owner_id != closer and not contact.visits):
            return rel
    return None


def _buyer_relation(deal, tz):
    """B3a: the buyer's relative or friend received on other days by another
    consultant, without an opportunity of their own."""
    buyer = deal.buyer or deal.customer
    if (deal.unit_count != 1 or buyer is None or not buyer.owner_id
            or not buyer.visits):
        return None
    for rel in deal.relations:
        other = rel.related
        if (rel.partner_id == buyer.partner_id
                and rel.relation_type in RELATIVES_AND_FRIENDS
                and other.visits and other.owner_id
                and other.owner_id != buyer.owner_id
                and not other.deal_ids - {deal.lead_id}
                and not _days([buyer], tz) & _days([other], tz)):
            return rel
    return None


def _reported_class(person, won_day):
    """The class (a/b/c, lower case) reported at a review before ``won_day``."""
    if (person.intent_class and person.intent_reported_date and won_day
            and person.intent_reported_date < won_day):
        return person.intent_class.lower()
    return None


# --------------------------------------------------------------------------- texts

def _name(names, user_id, lang):
    if user_id is None:
        return "公司" if lang == "zh" else "the company"
    if user_id in names:
        return names[user_id]
    return ("顾问#%s" if lang == "zh" else "consultant #%s") % user_id


def _sort_key(user_id):
    # user ids are normally ints; fall back to their text for anything else
    return (0, user_id, "") if isinstance(user_id, int) else (1, 0, str(user_id))


def _describe(shares, names, lang):
    parts = []
    for s in shares:
        who = _name(names, s.user_id, lang)
        role = ROLE_NAMES.get(s.role, (s.role, s.role))[0 if lang == "zh" else 1]
        if lang == "zh":
            parts.append("%s(%s)业绩%s%%、奖金%s%%" % (
                who, role, fmt_pct(s.performance_share), fmt_pct(s.bonus_share)))
        else:
            parts.append("%s (%s) performance %s%%, bonus %s%%" % (
                who, role, fmt_pct(s.performance_share), fmt_pct(s.bonus_share)))
    return ("; " if lang == "en" else ";").join(parts)


def _decision(rule_code, shares, names, why_zh, why_en, makeup=None):
    validate_shares(shares)
    title_zh, title_en = RULES[rule_code]
    zh = "%s %s:%s,%s。" % (rule_code, title_zh, why_zh, _describe(shares, names, "zh"))
    en = "%s %s: %s, so %s." % (
        rule_code, title_en, why_en, _describe(shares, names, "en"))
    return SplitDecision(shares, rule_code, zh, en, makeup)


def _original_split(code, original, closer, settings):
    orig_b, closer_b = (to_decimal(v) for v in settings.relative_split)
    return lines(code, (original, "original", HUNDRED, orig_b),
                 (closer, "closer", ZERO, closer_b))


# --------------------------------------------------------------------------- rules

def compute_shares(deal, settings=None):
    """Split lines of the won ``deal`` (:class:`DealFacts`): a :class:`SplitDecision`.

    Deterministic and idempotent: the same facts always give the same lines. Raises
    :class:`~.shares.ShareError` when the manager's ruling shares or the settings do
    not add up.
    """
    settings = settings or Settings()
    tz = settings.timezone
    names = deal.names or {}
    closer = deal.closer_id if deal.closer_id is not None else deal.owner_id
    state = deal.conflict_state
    note_zh = note_en = ""
    if state == "negotiation":
        note_zh = "撞单仍在协商中,暂按常规规则计算;"
        note_en = ("the collision is still being negotiated, normal rules apply "
                   "for now; ")

    # A7 forfeiture ------------------------------------------------------------
    if deal.forfeited or state in FORFEIT:
        shares = lines("A7", (None, "company", HUNDRED, HUNDRED))
        why_zh = "撞单上报公司,业绩充公" if state == "escalated" else "撞单业绩已充公"
        why_en = ("the collision was escalated to the company and is forfeited"
                  if state == "escalated" else "the collision was forfeited")
        return _decision("A7", shares, names, why_zh, why_en)

    # A6 settled ruling with the manager's shares ------------------------------
    if state in SETTLED and deal.conflict_shares:
        shares = tuple(
            Share(s.user_id, s.role, s.performance_share, s.bonus_share,
                  s.rule_code if s.rule_code in RULES else "A6")
            for s in deal.conflict_shares)
        return _decision("A6", shares, names, "按经理审核/裁决的撞单分配",
                         "the manager's collision ruling sets the shares")

    # A9 group buyer -----------------------------------------------------------
    if deal.buyer_is_company and deal.unit_count >= settings.group_units:
        people = sorted(({deal.owner_id} | _group_co_owners(deal)) - {None},
                        key=_sort_key)
        if people:
            why_zh = "%s企业客户购买%s套(团体标准%s套以上),%s位顾问共有" % (
                note_zh, deal.unit_count, settings.group_units, len(people))
            why_en = ("%sa company bought %s units (group from %s), "
                      "%s consultant(s) share") % (
                note_en, deal.unit_count, settings.group_units, len(people))
            if len(people) == 1:
                shares = lines("A9", (people[0], "owner", HUNDRED, HUNDRED))
            else:
                pcts = equal_shares(len(people))
                shares = lines(
                    "A9", *[(u, "co_owner", p, p) for u, p in zip(people, pcts)])
            return _decision("A9", shares, names, why_zh, why_en)

    # A9 family purchase after one joint visit ----------------------------------
    if (deal.unit_count > 1 and deal.owner_id is not None
            and _family_joint_visit(deal, tz)):
        shares = lines("A9", (deal.owner_id, "owner", HUNDRED, HUNDRED))
        return _decision(
            "A9", shares, names,
            "%s家庭同一天集体来访购买%s套,算个人业绩" % (note_zh, deal.unit_count),
            "%sa family bought %s units after one joint visit, one owner" % (
                note_en, deal.unit_count))

    # B5 complaint reassignment -------------------------------------------------
    original = deal.reassigned_from_id
    if original is not None and closer is not None and original != closer:
        orig_b, closer_b = (to_decimal(v) for v in settings.complaint_split)
        shares = lines("B5", (closer, "closer", HUNDRED, closer_b),
                       (original, "original", ZERO, orig_b))
        return _decision(
            "B5", shares, names,
            "%s客户投诉后经理改派%s接待" % (note_zh, _name(names, closer, "zh")),
            "%sthe manager reassigned the customer to %s after a complaint" % (
                note_en, _name(names, closer, "en")))

    # B1 direct kin --------------------------------------------------------------
    relations = _deal_relations(deal)
    rel = _kin_relation(deal, relations, closer)
    if rel is not None:
        original = rel.related.owner_id
        kin_zh, kin_en = RELATION_NAMES[rel.relation_type]
        won_day = office_date(deal.won_datetime, tz)
        reported = _reported_class(rel.related, won_day)
        confirmed = rel.confirmed_date is not None and rel.confirmed_date == won_day
        if reported in ("a", "b") and confirmed:
            shares = lines("B1", (original, "original", HUNDRED, HUNDRED))
            return _decision(
                "B1", shares, names,
                "%s%s由%s首次接待,原顾问已在晚会上报为%s类客户且成交当天(%s)确认直系亲属"
                "关系,%s补接一组客户" % (
                    note_zh, kin_zh, _name(names, original, "zh"), reported.upper(),
                    won_day, _name(names, closer, "zh")),
                "%sthe %s was received first by %s, reported as class %s at the "
                "evening review, and the relation was confirmed on the day of the "
                "deal (%s); %s gets one make-up reception" % (
                    note_en, kin_en, _name(names, original, "en"), reported.upper(),
                    won_day, _name(names, closer, "en")),
                makeup=closer)
        shares = _original_split("B1", original, closer, settings)
        return _decision(
            "B1", shares, names,
            "%s%s由%s首次接待,由其他顾问成交,成交当日(%s)未确认关系或未上报A/B类" % (
                note_zh, kin_zh, _name(names, original, "zh"), won_day),
            "%sthe %s was received first by %s and closed by another consultant; the "
            "relation was not confirmed on the day of the deal (%s) or not reported "
            "as class A/B" % (note_en, kin_en, _name(names, original, "en"), won_day))

    # A15 relative or friend of a contact, with evidence --------------------------
    rel = _contact_relation(relations, closer) if closer is not None else None
    if rel is not None:
        original = rel.related.owner_id
        shares = _original_split("A15", original, closer, settings)
        kin_zh, kin_en = RELATION_NAMES[rel.relation_type]
        return _decision(
            "A15", shares, names,
            "%s原顾问%s联系的客户从未到访,其%s由%s成交,有通讯证据" % (
                note_zh, _name(names, original, "zh"), kin_zh,
                _name(names, closer, "zh")),
            "%sa %s of %s's contact, who never visited, was closed by %s, with "
            "evidence of the contact" % (note_en, kin_en,
                                         _name(names, original, "en"),
                                         _name(names, closer, "en")))

    # B3a non-kin relatives, one unit: the buyer's consultant ----------------------
    if _buyer_relation(deal, tz) is not None:
        buyer_owner = (deal.buyer or deal.customer).owner_id
        shares = lines("B3a", (buyer_owner, "owner", HUNDRED, HUNDRED))
        return _decision(
            "B3a", shares, names,
            "%s非直系亲属不同天到访、不同顾问接待、购买一套,归买受人所接待的顾问" % note_zh,
            "%snon-kin relatives visited on different days with different "
            "consultants and bought one unit, the buyer's consultant takes all"
            % note_en)

    # A1 default -------------------------------------------------------------------
    owner = deal.owner_id if deal.owner_id is not None else deal.closer_id
    if owner is None:
        shares = lines("A1", (None, "company", HUNDRED, HUNDRED))
        return _decision("A1", shares, names, "%s未记录归属顾问" % note_zh,
                         "%sno owner is recorded" % note_en)
    shares = lines("A1", (owner, "owner", HUNDRED, HUNDRED))
    return _decision("A1", shares, names, "%s归属顾问全额" % note_zh,
                     "%sthe owner takes all" % note_en)
