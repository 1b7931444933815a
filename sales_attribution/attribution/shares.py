"""Shares and amounts of split lines: percents summing to 100, money to the cent.

The arithmetic under the split rules (``splits.py``) and the managers' edits: a
:class:`Share` is one line's performance and bonus percents (``Decimal``, two
decimals); :func:`validate_shares` says whether lines can be written;
:func:`allocate_amounts` turns shares into amounts that reconcile to the cent;
:func:`equal_shares` shares 100 % out equally. Errors are :class:`ShareError` (a
:class:`~.terms.BilingualError`).

>>> rows = allocate_amounts((Share(1, "original", 100, 50, "A15"),
...                          Share(2, "closer", 0, 50, "A15")), "1000000.01", "1.5")
>>> [(s.user_id, str(perf), str(bonus)) for s, perf, bonus in rows]
[(1, '1000000.01', '7500.00'), (2, '0.00', '7500.00')]
"""
from collections import OrderedDict
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Optional

from .terms import ROLES, BilingualError

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
ZERO = Decimal(0)


class ShareError(BilingualError):
    """Split lines that cannot be written (``message_zh``, ``message_en``)."""


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


def fmt_pct(value):
    """``Decimal('33.30') -> '33.3'``, ``Decimal('100.00') -> '100'``."""
    text = "{:f}".format(to_decimal(value).quantize(CENT, rounding=ROUND_HALF_UP))
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def lines(rule_code, *specs):
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
