"""Commission split lines of a won deal: performance (业绩) and bonus (奖金) shares.

SPEC section 3 and the split sides of A6, A7, A9, A15, B1, B2, B3a and B5. Performance
credit and bonus money are separate shares; for each deal each column sums to exactly
100 %. Amounts are ``revenue x performance share`` and ``revenue x bonus rate x bonus
share`` and each column reconciles to its total to the cent.

Precedence (first that applies wins), as :func:`compute_shares` applies it:

1. A7  conflict ``forfeited``, or ``escalated``, or ``DealFacts.forfeited``: the company
   takes 100/100 (one line, ``user_id`` None, role ``company``). The seed says of an
   escalated collision "上报公司,业绩充公为原则": escalation itself forfeits, so an
   ``escalated`` conflict already splits to the company (SPEC only names ``forfeited``).
2. A6  a settled conflict (``agreed``/``ruled``/``accepted``) carrying the manager's
   shares: those shares, validated. A line keeps its own rule code when it is a code of
   the catalogue, otherwise it is stamped A6. A conflict still in ``negotiation`` has no
   ruling yet; the normal rules apply provisionally (the explanation says so).
3. A9  group buyer (company buyer, ``unit_count >= Settings.group_units``): the owner
   and every consultant with a confirmed claim share equally as ``co_owner``. Equal
   shares are rounded down to 0.01 and the cents left over go one each to the first
   consultants in user id order (3 people: 33.34/33.33/33.33).
4. A9  a family's several units after one joint visit (同一天集体来访): one owner 100/100.
5. B5  complaint reassignment: performance to the closer 100, bonus original 20 and
   closer 80 (``Settings.complaint_split``).
6. B1  direct kin (spouse, parent, child) of the original's customer closed by another
   consultant. Original reported the kin as class a/b at the evening review *and* the
   relation was confirmed on the day of the deal: original 100/100 and the closer gets
   one make-up reception (``makeup_credit_user_id``). Otherwise performance original
   100, bonus ``Settings.relative_split`` (50/50). The seed leaves open the mixed cases
   (confirmed that day but not reported a/b, or reported but not confirmed); they take
   the 50/50 split, the rule's default.
7. A15 relative or friend (not direct kin) of a consultant's contact, with evidence of
   the contact recorded: performance original 100, bonus 50/50. Without evidence the
   seed's condition (原置业顾问要有具体通讯证据) fails and the normal rules apply.
8. B3a non-kin relatives bought one unit: the buyer's consultant 100/100.
9. A1  default: the owner 100/100 (B2 needs nothing more: two deals are two DealFacts,
   each with its own owner).

"Closer" is ``DealFacts.closer_id`` or, when empty, the owner. Where the original and
the closer are the same person the rule collapses to one 100/100 line. Lines with 0/0
are dropped (e.g. a 0/100 setting); there are never two lines for one user and role.
"""
from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any, Dict, Optional, Tuple

from .codes import RULES
from .terms import FORFEIT as FORFEIT_CONFLICT_STATES
from .terms import ROLES, BilingualError
from .terms import SETTLED as SETTLED_CONFLICT_STATES

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
ZERO = Decimal(0)

ROLE_NAMES = {
    "owner": ("归属顾问", "owner"),
    "co_owner": ("共有顾问", "co-owner"),
    "original": ("原顾问", "original consultant"),
    "closer": ("成交顾问", "closing consultant"),
    "company": ("公司", "company"),
}


def to_decimal(value):
    """``value`` (Decimal, int, str or float) as a Decimal; floats via ``repr``."""
    if isinstance(value, Decimal):
        return value
    if value is None:
        return ZERO
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


@dataclass(frozen=True)
class Share:
    """One split line: who (``user_id`` None = company), in which role, which shares.

    Shares are percents (Decimal); ints, strings and floats are converted.
    """

    user_id: Optional[int]
    role: str
    performance_share: Decimal
    bonus_share: Decimal
    rule_code: str

    def __post_init__(self):
        perf = to_decimal(self.performance_share)
        object.__setattr__(self, "performance_share", perf)
        object.__setattr__(self, "bonus_share", to_decimal(self.bonus_share))


@dataclass(frozen=True)
class DealFacts:
    """What the split rules need to know about a won deal (see the module docstring)."""

    owner_id: Optional[int]
    closer_id: Optional[int] = None
    revenue: Decimal = Decimal(0)
    bonus_rate: Decimal = Decimal(0)  # percent of revenue that is the bonus pool
    conflict_state: Optional[str] = None
    conflict_shares: Tuple[Share, ...] = ()
    forfeited: bool = False
    buyer_is_company: bool = False
    unit_count: int = 1
    co_owner_ids: Tuple[int, ...] = ()
    family_joint_visit: bool = False
    original_id: Optional[int] = None
    kin_direct: bool = False
    kin_confirmed_on_win_day: bool = False
    original_reported_class: Optional[str] = None
    contact_evidence: bool = False
    reassigned_from_id: Optional[int] = None
    buyer_owner_id: Optional[int] = None
    names: Dict[Any, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Settings:
    """Office settings used by the splits (SPEC section 1, settings row)."""

    group_units: int = 5
    complaint_split: Tuple[Any, Any] = (20, 80)  # bonus: (original, closer)
    relative_split: Tuple[Any, Any] = (50, 50)  # bonus: (original, closer)


@dataclass(frozen=True)
class SplitDecision:
    shares: Tuple[Share, ...]
    rule_code: str
    explanation_zh: str
    explanation_en: str
    makeup_credit_user_id: Optional[int] = None


class ShareError(BilingualError):
    """Split lines that cannot be written; carries a Chinese and an English message."""


# --------------------------------------------------------------------------- helpers

def fmt_pct(value):
    """``Decimal('33.30') -> '33.3'``, ``Decimal('100.00') -> '100'``."""
    text = "{:f}".format(to_decimal(value).quantize(CENT, rounding=ROUND_HALF_UP))
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _name(names, user_id, lang):
    if user_id is None:
        return "公司" if lang == "zh" else "the company"
    if user_id in names:
        return names[user_id]
    return ("顾问#%s" if lang == "zh" else "consultant #%s") % user_id


def _sort_key(user_id):
    # user ids are normally ints; fall back to their text for anything else
    return (0, user_id, "") if isinstance(user_id, int) else (1, 0, str(user_id))


def _lines(rule_code, *specs):
    """Build shares from ``(user_id, role, performance, bonus)``.

    Merges the same user and role, drops 0/0 lines (keeping at least one line).
    """
    merged = OrderedDict()
    for user_id, role, perf, bonus in specs:
        key = (user_id, role)
        old = merged.get(key, (ZERO, ZERO))
        merged[key] = (old[0] + to_decimal(perf), old[1] + to_decimal(bonus))
    shares = [Share(u, r, p.quantize(CENT), b.quantize(CENT), rule_code)
              for (u, r), (p, b) in merged.items()]
    kept = [s for s in shares if s.performance_share or s.bonus_share]
    return tuple(kept or shares[:1])


def equal_shares(count):
    """``count`` equal percents summing to exactly 100; leftover cents go to the first.

    >>> [str(s) for s in equal_shares(3)]
    ['33.34', '33.33', '33.33']
    """
    if count <= 0:
        return ()
    base = (HUNDRED / count).quantize(CENT, rounding=ROUND_FLOOR)
    left = int(((HUNDRED - base * count) / CENT).to_integral_value())
    return tuple(base + (CENT if i < left else ZERO) for i in range(count))


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


# --------------------------------------------------------------------------- rules

def compute_shares(deal, settings=None):
    """Split lines of the won ``deal`` (:class:`DealFacts`): a :class:`SplitDecision`.

    Deterministic and idempotent: the same facts always give the same lines. Raises
    :class:`ShareError` when the manager's ruling shares or the settings do not add up.
    """
    settings = settings or Settings()
    names = deal.names or {}
    closer = deal.closer_id if deal.closer_id is not None else deal.owner_id
    state = deal.conflict_state
    note_zh = note_en = ""
    if state == "negotiation":
        note_zh = "撞单仍在协商中,暂按常规规则计算;"
        note_en = ("the collision is still being negotiated, normal rules apply "
                   "for now; ")

    # A7 forfeiture ------------------------------------------------------------
    if deal.forfeited or state in FORFEIT_CONFLICT_STATES:
        shares = _lines("A7", (None, "company", HUNDRED, HUNDRED))
        why_zh = "撞单上报公司,业绩充公" if state == "escalated" else "撞单业绩已充公"
        why_en = ("the collision was escalated to the company and is forfeited"
                  if state == "escalated" else "the collision was forfeited")
        return _decision("A7", shares, names, why_zh, why_en)

    # A6 settled ruling with the manager's shares ------------------------------
    if state in SETTLED_CONFLICT_STATES and deal.conflict_shares:
        shares = tuple(
            Share(s.user_id, s.role, s.performance_share, s.bonus_share,
                  s.rule_code if s.rule_code in RULES else "A6")
            for s in deal.conflict_shares)
        return _decision("A6", shares, names, "按经理审核/裁决的撞单分配",
                         "the manager's collision ruling sets the shares")

    # A9 group buyer -----------------------------------------------------------
    if deal.buyer_is_company and deal.unit_count >= settings.group_units:
        people = sorted({u for u in (deal.owner_id,) + tuple(deal.co_owner_ids)
                         if u is not None}, key=_sort_key)
        if people:
            why_zh = "%s企业客户购买%s套(团体标准%s套以上),%s位顾问共有" % (
                note_zh, deal.unit_count, settings.group_units, len(people))
            why_en = ("%sa company bought %s units (group from %s), "
                      "%s consultant(s) share") % (
                note_en, deal.unit_count, settings.group_units, len(people))
            if len(people) == 1:
                shares = _lines("A9", (people[0], "owner", HUNDRED, HUNDRED))
            else:
                pcts = equal_shares(len(people))
                shares = _lines(
                    "A9", *[(u, "co_owner", p, p) for u, p in zip(people, pcts)])
            return _decision("A9", shares, names, why_zh, why_en)

    # A9 family purchase after one joint visit ----------------------------------
    if deal.family_joint_visit and deal.unit_count > 1 and deal.owner_id is not None:
        shares = _lines("A9", (deal.owner_id, "owner", HUNDRED, HUNDRED))
        return _decision(
            "A9", shares, names,
            "%s家庭同一天集体来访购买%s套,算个人业绩" % (note_zh, deal.unit_count),
            "%sa family bought %s units after one joint visit, one owner" % (
                note_en, deal.unit_count))

    # B5 complaint reassignment -------------------------------------------------
    original = deal.reassigned_from_id
    if original is not None and closer is not None and original != closer:
        orig_b, closer_b = (to_decimal(v) for v in settings.complaint_split)
        shares = _lines("B5", (closer, "closer", HUNDRED, closer_b),
                        (original, "original", ZERO, orig_b))
        return _decision(
            "B5", shares, names,
            "%s客户投诉后经理改派%s接待" % (note_zh, _name(names, closer, "zh")),
            "%sthe manager reassigned the customer to %s after a complaint" % (
                note_en, _name(names, closer, "en")))

    # B1 direct kin --------------------------------------------------------------
    original = deal.original_id
    if deal.kin_direct and original is not None:
        if original == closer:
            shares = _lines("B1", (original, "original", HUNDRED, HUNDRED))
            return _decision("B1", shares, names,
                             "%s直系亲属以初次接访为准" % note_zh,
                             "%sdirect kin: the first reception owns" % note_en)
        reported = (deal.original_reported_class or "").lower() in ("a", "b")
        if reported and deal.kin_confirmed_on_win_day:
            shares = _lines("B1", (original, "original", HUNDRED, HUNDRED))
            return _decision(
                "B1", shares, names,
                "%s原顾问已在晚会上报为%s类客户且成交当天确认直系亲属关系,%s补接一组客户" % (
                    note_zh, deal.original_reported_class.upper(),
                    _name(names, closer, "zh")),
                "%sthe original reported the customer as class %s at the evening "
                "review and the kin relation was confirmed on the day of the deal; "
                "%s gets one make-up reception" % (
                    note_en, deal.original_reported_class.upper(),
                    _name(names, closer, "en")),
                makeup=closer)
        orig_b, closer_b = (to_decimal(v) for v in settings.relative_split)
        shares = _lines("B1", (original, "original", HUNDRED, orig_b),
                        (closer, "closer", ZERO, closer_b))
        return _decision(
            "B1", shares, names,
            "%s直系亲属由其他顾问成交,成交当日未确认关系或未上报A/B类" % note_zh,
            "%sdirect kin closed by another consultant, relation not confirmed on the "
            "day of the deal or not reported as class A/B" % note_en)

    # A15 relative or friend of a contact, with evidence --------------------------
    if (not deal.kin_direct and deal.contact_evidence and original is not None
            and closer is not None and original != closer):
        orig_b, closer_b = (to_decimal(v) for v in settings.relative_split)
        shares = _lines("A15", (original, "original", HUNDRED, orig_b),
                        (closer, "closer", ZERO, closer_b))
        return _decision(
            "A15", shares, names,
            "%s原顾问联系的客户的家人朋友由%s成交,有通讯证据" % (
                note_zh, _name(names, closer, "zh")),
            "%sa relative or friend of the original's contact was closed by %s, with "
            "evidence of the contact" % (note_en, _name(names, closer, "en")))

    # B3a non-kin relatives, one unit: the buyer's consultant ----------------------
    if deal.buyer_owner_id is not None:
        shares = _lines("B3a", (deal.buyer_owner_id, "owner", HUNDRED, HUNDRED))
        return _decision(
            "B3a", shares, names,
            "%s非直系亲属购买一套,归买受人所接待的顾问" % note_zh,
            "%snon-kin relatives bought one unit, the buyer's consultant takes all"
            % note_en)

    # A1 default -------------------------------------------------------------------
    owner = deal.owner_id if deal.owner_id is not None else deal.closer_id
    if owner is None:
        shares = _lines("A1", (None, "company", HUNDRED, HUNDRED))
        return _decision("A1", shares, names, "%s未记录归属顾问" % note_zh,
                         "%sno owner is recorded" % note_en)
    shares = _lines("A1", (owner, "owner", HUNDRED, HUNDRED))
    return _decision("A1", shares, names, "%s归属顾问全额" % note_zh,
                     "%sthe owner takes all" % note_en)


def validate_shares(shares):
    """Raise :class:`ShareError` unless ``shares`` can be written as split lines.

    Each of performance and bonus sums to exactly 100; no share is negative or above
    100 or has more than two decimals; roles are known; no user appears twice with the
    same role.
    """
    if not shares:
        raise ShareError("没有分配行", "there are no split lines")
    seen = set()
    for s in shares:
        if s.role not in ROLES:
            raise ShareError("未知角色:%s" % s.role, "unknown role: %s" % s.role)
        for value in (s.performance_share, s.bonus_share):
            if not value.is_finite() or value < 0 or value > HUNDRED:
                raise ShareError(
                    "分配比例必须在0到100之间:%s" % value,
                    "a share must be between 0 and 100: %s" % value)
            if value != value.quantize(CENT, rounding=ROUND_FLOOR):
                raise ShareError(
                    "分配比例最多两位小数:%s" % value,
                    "a share has at most two decimals: %s" % value)
        key = (s.user_id, s.role)
        if key in seen:
            raise ShareError("同一人同一角色出现两次:%s/%s" % key,
                             "the same user and role appear twice: %s/%s" % key)
        seen.add(key)
    for column, zh, en in (("performance_share", "业绩", "performance"),
                           ("bonus_share", "奖金", "bonus")):
        total = sum((getattr(s, column) for s in shares), ZERO)
        if total != HUNDRED:
            raise ShareError(
                "%s比例合计必须为100%%,现为%s%%" % (zh, fmt_pct(total)),
                "%s shares must sum to 100%%, they sum to %s%%" % (en, fmt_pct(total)))
    return True


def _largest_remainder(exacts, total):
    """Round ``exacts`` to cents summing to ``total``; ties go to the earlier line."""
    floors = [e.quantize(CENT, rounding=ROUND_FLOOR) for e in exacts]
    left = int(((total - sum(floors, ZERO)) / CENT).to_integral_value())
    order = sorted(range(len(exacts)), key=lambda i: (-(exacts[i] - floors[i]), i))
    if left >= 0:
        for i in order[:left]:
            floors[i] += CENT
    else:  # not reachable with shares summing to 100; kept for safety
        for i in list(reversed(order))[:-left]:
            floors[i] -= CENT
    return floors


def allocate_amounts(shares, revenue, bonus_rate):
    """Amounts of each line: ``((share, performance_amount, bonus_amount), ...)``.

    Performance total is ``revenue`` and bonus total ``revenue x bonus_rate %``, each
    rounded half-up to the cent; each column is shared out by largest remainder so it
    sums to its total exactly (leftover cents to the largest remainders, ties to the
    earlier line). Shares are validated first.
    """
    shares = tuple(shares)
    validate_shares(shares)
    revenue = to_decimal(revenue)
    pool = revenue * to_decimal(bonus_rate) / HUNDRED
    perf_total = revenue.quantize(CENT, rounding=ROUND_HALF_UP)
    bonus_total = pool.quantize(CENT, rounding=ROUND_HALF_UP)
    perf = _largest_remainder([revenue * s.performance_share / HUNDRED for s in shares],
                              perf_total)
    bonus = _largest_remainder([pool * s.bonus_share / HUNDRED for s in shares],
                               bonus_total)
    return tuple(zip(shares, perf, bonus))
