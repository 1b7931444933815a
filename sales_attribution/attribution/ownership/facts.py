"""The facts of one visit and the company's numbers (plain frozen dataclasses), the
error for facts that cannot be judged, and when a registration is a late entry (补登).
"""
import datetime
from dataclasses import dataclass, field
from typing import Dict, FrozenSet, Optional, Tuple

from ..terms import DEFAULT_TIMEZONE, BilingualError

RELATION_LABELS = {
    "spouse": ("配偶", "spouse"),
    "parent": ("父母", "parent"),
    "child": ("子女", "child"),
    "sibling": ("兄弟姐妹", "sibling"),
    "relative": ("亲属", "relative"),
    "friend": ("朋友", "friend"),
    "referral": ("介绍人", "referrer"),
}


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
