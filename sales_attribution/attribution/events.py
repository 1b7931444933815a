"""Event communications E1-E5: which message is due when, and to whom.

SPEC section 4. The wording is :mod:`.event_wording`, the dates :mod:`.event_dates`,
the addressee :mod:`.event_contacts`; their names are importable from here too.

Scheduling (:func:`due_messages`), all times naive UTC; "local" is the office's time
zone ``EventFacts.tz`` (an IANA name, default ``terms.DEFAULT_TIMEZONE``), daylight
saving included:

- E1 confirmation: from 09:00 local on the day ``confirm_days_before`` days before the
  local start date, until the start. Confirmed (``open``) registrations only. A
  registration confirmed once that window is open gets its E1 at once (E1 late: the
  ORM sends it when the registration is confirmed, :func:`late_confirmation`).
- E1R re-confirmation: the event was postponed (or brought forward) after the
  registration's E1 went out: its start is no longer the date the E1 announced
  (``RegFacts.announced``). Due at once until the new start, sent once per
  registration (E1 wording with 改期 and the new date).
- E2 logistics: from 18:00 local on the evening before the start day, until the start.
- E3 confirmation call (an activity, not a message): from 00:00 local on the event day
  until the start; the activity is due at ``call_hour`` local (:func:`call_deadline`).
  E2 and E3 are counted from the current start only, and belong to its day
  (:data:`DATED_CODES`): one sent for a start the event has since left for another
  day is sent again for the new start, in the new window (``RegFacts.sent_for``);
  a start moved within its (office) day changes nothing the guest was told.
- One thank-you letter after ``date_end`` to each registration that did not attend,
  for ``letters_within_days`` days (default 30; None = no limit). Which letter is the
  event's ``thanks_letter`` (:data:`LETTER_CODE`): ``gift`` = E4 (gift and signed
  receipt), ``survey`` = E5 (the three questions), ``gift_survey`` = E4 carrying the
  survey too. Never a second letter: a registration that has one (E4 or E5) gets no
  other, also when the event's choice changes. The limit is ours, not the seed's: it
  keeps a newly installed cron from writing to the absentees of every past event. A
  registration counts as attended when its state is ``done`` *or* ``attended`` is
  true: writing "sorry you could not come" to a guest who came is the worse mistake.
- Never a code already sent (:func:`already_sent`: in ``sent_codes``; E2 and E3
  only when sent for the current start). Cancelled and unconfirmed (``draft``)
  registrations, and those with neither e-mail nor mobile, are listed as skipped with
  the reason.

>>> import datetime as dt
>>> event = EventFacts(1, dt.datetime(2024, 6, 9, 1), dt.datetime(2024, 6, 10, 9),
...                    thanks_letter="survey")
>>> absent = RegFacts(5, "open", False, True, True)
>>> due_messages(event, [absent], dt.datetime(2024, 6, 11, 1))
([(5, 'E5')], [])
>>> moved = RegFacts(6, "open", False, True, True, frozenset({"E1"}),
...                  announced=dt.datetime(2024, 6, 2, 1))
>>> due_messages(event, [moved], dt.datetime(2024, 6, 5, 1))
([(6, 'E1R')], [])

E2 went out for 2 June; the event now starts on 9 June: E2 again on the new eve.

>>> told = RegFacts(6, "open", False, True, True, frozenset({"E1", "E1R", "E2"}),
...                 announced=dt.datetime(2024, 6, 2, 1),
...                 sent_for=frozenset({("E2", dt.datetime(2024, 6, 2, 1))}))
>>> due_messages(event, [told], dt.datetime(2024, 6, 8, 11))
([(6, 'E2')], [])
"""
import datetime as _dt
from dataclasses import dataclass
from typing import Any, FrozenSet, Optional, Tuple

from .event_dates import (MONTHS_EN, countdown_days, date_range_text, full_date,
                          local_date, utc_at)
from .event_wording import (INDUSTRY_KEYWORDS, NOTICE_CODES, SURVEY_QUESTIONS,
                            VERSIONS, WORDING, WORDING_EN, industry_version,
                            render_notice, render_receipt, render_sms, signature)
from .terms import DEFAULT_TIMEZONE

#: every code, in the order the cron sends them
MESSAGE_CODES = ("E1", "E1R", "E2", "E3", "E4", "E5")
#: codes that belong to the start they were sent for: sent again for a new start
DATED_CODES = ("E2", "E3")
#: :func:`claim_key` of the codes a registration receives once
ONCE = "once"
#: the thank-you letters: a registration receives one of them at most
LETTER_CODES = ("E4", "E5")
#: the event's ``thanks_letter`` -> the code of the one letter sent
LETTER_CODE = {"gift": "E4", "survey": "E5", "gift_survey": "E4"}
THANKS_LETTERS = tuple(LETTER_CODE)
DEFAULT_THANKS_LETTER = "gift_survey"

__all__ = [
    "MESSAGE_CODES", "DATED_CODES", "LETTER_CODES", "LETTER_CODE", "THANKS_LETTERS",
    "DEFAULT_THANKS_LETTER", "EventFacts", "RegFacts", "ONCE", "already_sent",
    "BEFORE_CODES", "call_deadline", "claim_key", "code_window", "due_messages",
    "late_confirmation", "undeliverable",
    "letter_code", "needs_reconfirmation",
    # re-exported from event_dates and event_wording
    "MONTHS_EN", "countdown_days", "date_range_text", "full_date", "local_date",
    "INDUSTRY_KEYWORDS", "NOTICE_CODES", "SURVEY_QUESTIONS", "VERSIONS", "WORDING",
    "WORDING_EN", "industry_version", "render_notice", "render_receipt", "render_sms",
    "signature",
]


# --------------------------------------------------------------------------- facts

@dataclass(frozen=True)
class EventFacts:
    """An event's schedule: ``date_begin``/``date_end`` naive UTC; ``tz`` the office's
    time zone (IANA name) in which its days and hours are counted; ``thanks_letter``
    one of :data:`THANKS_LETTERS`."""

    event_id: Any
    date_begin: _dt.datetime
    date_end: _dt.datetime
    confirm_days_before: int = 2
    call_hour: int = 11
    tz: str = DEFAULT_TIMEZONE
    letters_within_days: Optional[int] = 30
    thanks_letter: str = DEFAULT_THANKS_LETTER


@dataclass(frozen=True)
class RegFacts:
    """A registration: ``state`` is Odoo's ('draft', 'open', 'done', 'cancel');
    ``sent_codes`` the codes it has received; ``announced`` the start date (naive
    UTC) its E1 announced, None when unknown or not sent; ``sent_for`` the pairs
    ``(code, start)`` of the :data:`DATED_CODES` it received and the event start
    (naive UTC) each was sent for (a dated code of ``sent_codes`` with no pair here
    counts as sent for any start: its date is unknown)."""

    registration_id: Any
    state: str
    attended: bool
    has_email: bool
    has_mobile: bool
    sent_codes: FrozenSet[str] = frozenset()
    announced: Optional[_dt.datetime] = None
    sent_for: FrozenSet[Tuple[str, _dt.datetime]] = frozenset()


# --------------------------------------------------------------------------- windows

def call_deadline(event):
    """UTC datetime of ``call_hour`` local on the (local) event day: when E3 is due."""
    day = local_date(event.date_begin, event.tz)
    return utc_at(day, event.call_hour, event.tz)


def code_window(event, code):
    """``(start, end)`` in UTC during which ``code`` is due (end None = open-ended)."""
    tz = event.tz
    start_day = local_date(event.date_begin, tz)
    one_day = _dt.timedelta(days=1)
    if code == "E1":
        return (utc_at(start_day - one_day * event.confirm_days_before, 9, tz),
                event.date_begin)
    if code == "E1R":
        return _dt.datetime.min, event.date_begin
    if code == "E2":
        return utc_at(start_day - one_day, 18, tz), event.date_begin
    if code == "E3":
        return utc_at(start_day, 0, tz), event.date_begin
    if code in LETTER_CODES:
        end = None
        if event.letters_within_days is not None:
            end = event.date_end + one_day * event.letters_within_days
        return event.date_end, end
    raise ValueError("unknown event code: %r" % (code,))


def _time_due(event, code, now):
    start, end = code_window(event, code)
    return start <= now and (end is None or now < end)


# --------------------------------------------------------------------------- rules

def letter_code(thanks_letter):
    """The code of the one thank-you letter an event sends (:data:`LETTER_CODE`).

    >>> letter_code("gift_survey"), letter_code("survey")
    ('E4', 'E5')
    """
    if thanks_letter not in LETTER_CODE:
        raise ValueError("unknown thank-you letter: %r" % (thanks_letter,))
    return LETTER_CODE[thanks_letter]


def already_sent(event, reg, code):
    """Whether ``reg`` has received ``code`` for ``event`` as it stands: E2 and E3
    (:data:`DATED_CODES`) only count when sent for a start on the office's calendar
    day of the event's current start.

    >>> import datetime as dt
    >>> old, new = dt.datetime(2024, 6, 2, 1), dt.datetime(2024, 6, 9, 1)
    >>> event = EventFacts(1, new, new + dt.timedelta(hours=8))
    >>> reg = RegFacts(1, "open", False, True, True, frozenset({"E1", "E2"}),
    ...                sent_for=frozenset({("E2", old)}))
    >>> already_sent(event, reg, "E1"), already_sent(event, reg, "E2")
    (True, False)
    """
    if code not in reg.sent_codes:
        return False
    if code not in DATED_CODES:
        return True
    starts = {start for dated, start in reg.sent_for if dated == code}
    return not starts or _start_day(event, event.date_begin) in {
        _start_day(event, start) for start in starts}


def claim_key(code, date_begin):
    """What a send of ``code`` is unique for beside the registration (the outbox's
    claim): the event's start ``date_begin`` (any type) for :data:`DATED_CODES`,
    :data:`ONCE` for the others.

    >>> claim_key("E2", "2024-06-09 01:00:00"), claim_key("E1", "2024-06-09 01:00:00")
    ('2024-06-09 01:00:00', 'once')
    """
    return date_begin if code in DATED_CODES else ONCE


def _start_day(event, start):
    """The office's calendar day of the start ``start`` (naive UTC) of ``event``."""
    return local_date(start, event.tz)


def needs_reconfirmation(event, reg):
    """True when ``reg``'s E1 announced another start day (office calendar) than the
    event's current one (the event was moved to another day after the confirmation
    went out) and no re-confirmation was sent yet. A start moved within its day is
    no postponement: the messages name days, not hours."""
    return ("E1" in reg.sent_codes and "E1R" not in reg.sent_codes
            and reg.announced is not None
            and _start_day(event, reg.announced) != _start_day(event, event.date_begin))


def _applies(event, reg, code):
    """Whether ``code`` is one this registration may receive at all."""
    if code == "E1R":
        return needs_reconfirmation(event, reg)
    if code in LETTER_CODES:
        return (code == letter_code(event.thanks_letter)
                and not reg.sent_codes & set(LETTER_CODES))
    return True


def due_messages(event, regs, now):
    """What to send now: ``(due, skipped)``.

    ``due`` is a list of ``(registration_id, code)`` (E3 means "create the call
    activity"); ``skipped`` a list of ``(registration_id, code, reason_zh, reason_en)``
    for codes whose time has come but which must not go to that registration. Codes
    already sent (:func:`already_sent`) appear in neither list.
    """
    due, skipped = [], []
    codes = [c for c in MESSAGE_CODES if _time_due(event, c, now)]
    for reg in regs:
        present = reg.state == "done" or reg.attended
        for code in codes:
            if already_sent(event, reg, code) or not _applies(event, reg, code):
                continue
            after = code in LETTER_CODES
            if reg.state == "cancel":
                skipped.append((reg.registration_id, code, "报名已取消",
                                "the registration is cancelled"))
                continue
            if after and present:
                continue  # the letters are for those who did not come
            if reg.state == "draft":
                skipped.append((reg.registration_id, code, "报名未确认",
                                "the registration is not confirmed"))
                continue
            if not after and reg.state != "open":
                continue
            if not reg.has_email and not reg.has_mobile:
                skipped.append((reg.registration_id, code, "客户没有邮箱也没有手机号",
                                "the customer has neither e-mail nor mobile"))
                continue
            due.append((reg.registration_id, code))
    return due, skipped


#: messages announcing the event (due until it starts)
BEFORE_CODES = ("E1", "E1R", "E2")


def undeliverable(code, reg_state, event_state, date_begin, now, announced=None,
                  tz=DEFAULT_TIMEZONE):
    """Why a message ``code`` that waited (quiet hours, a retry's back-off) must not
    leave at ``now`` after all, as ``(reason_zh, reason_en)``; None when it may go.
    ``reg_state`` and ``event_state`` are Odoo's states of the registration and the
    event as they are at ``now``; ``date_begin`` the event's start (naive UTC);
    ``announced`` the start the message was written for (None: unknown), ``tz`` the
    office's zone.

    A cancelled or unconfirmed registration, or a cancelled event, receives nothing;
    a letter is for a guest who did not attend; a message announcing the event
    (:data:`BEFORE_CODES`) is pointless once it has begun, and wrong once the event
    has moved to another day (office calendar) than the one it names.

    >>> import datetime as dt
    >>> start = dt.datetime(2024, 6, 9, 1)
    >>> undeliverable("E1", "open", "confirm", start, dt.datetime(2024, 6, 8))
    >>> undeliverable("E1", "cancel", "confirm", start, dt.datetime(2024, 6, 8))[1]
    'the registration is cancelled'
    >>> undeliverable("E2", "open", "confirm", start, start)[1]
    'the event has begun'
    >>> undeliverable("E4", "done", "done", start, dt.datetime(2024, 6, 11))[1]
    'the guest attended'
    >>> undeliverable("E1R", "open", "confirm", start, dt.datetime(2024, 6, 8),
    ...               announced=start + dt.timedelta(days=7))[1]
    'the event moved to another day'
    """
    if event_state == "cancel":
        return "活动已取消", "the event is cancelled"
    if reg_state == "cancel":
        return "报名已取消", "the registration is cancelled"
    if reg_state == "draft":
        return "报名未确认", "the registration is not confirmed"
    if code in LETTER_CODES and reg_state == "done":
        return "客户已到场", "the guest attended"
    if code in BEFORE_CODES and date_begin is not None and now >= date_begin:
        return "活动已开始", "the event has begun"
    if (code in BEFORE_CODES and announced is not None and date_begin is not None
            and local_date(announced, tz) != local_date(date_begin, tz)):
        return "活动已改到另一天", "the event moved to another day"
    return None


def late_confirmation(event, regs, now):
    """E1 late: the ``(registration_id, "E1")`` to send at once to registrations just
    confirmed while the E1 window is open (they came after the confirmation day
    began; the cron would send them on its next run, the office sends them now).

    >>> import datetime as dt
    >>> event = EventFacts(1, dt.datetime(2024, 6, 9, 1), dt.datetime(2024, 6, 9, 9))
    >>> late_confirmation(event, [RegFacts(3, "open", False, True, False)],
    ...                   dt.datetime(2024, 6, 8, 12))
    [(3, 'E1')]
    >>> late_confirmation(event, [RegFacts(3, "open", False, True, False)],
    ...                   dt.datetime(2024, 6, 5, 12))
    []
    """
    due, _skipped = due_messages(event, regs, now)
    return [(reg_id, code) for reg_id, code in due if code == "E1"]
