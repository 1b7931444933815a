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

Where each rule code lives (one module per rule group, all in this package)::

    first_visits.py  A3 rotation, A5 receiver owns, A11 developer-related, B7 staff
    referrals.py     B4 / A4 / B8 referrals, A2 named absent, B3b appointment,
                     B1 direct kin at the visit, the cover (NAMED_CODES)
    revisits.py      A1 / A10 / B6 own registrations, the chain B6 restarts
    conflicts.py     A6 / A7 rulings, late entries (补登) held as A10 / A6
    lapse.py         A14 phone-only (at the visit and ``lapse_phone_only``), H1
    precedence.py    ``decide``: the order above, B1 review, notes, departures
    decision.py      ``Decision``, ``resolve``, claimants and explanations
    facts.py         ``VisitFacts`` and the other fact dataclasses, ``Settings``,
                     ``InvalidFacts``, ``entered_late``
    draft.py         ``_Draft`` (a decision being built) and the wording helpers

Import from the package (``from attribution.ownership import decide``); the modules
are its inside.

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
from .decision import Decision, resolve
from .facts import (RELATION_LABELS, InvalidFacts, KinVisit, Referrer, Registration,
                    Ruling, Settings, VisitFacts, entered_late)
from .lapse import lapse_phone_only
from .precedence import decide
from .referrals import NAMED_CODES

__all__ = [
    "Decision", "InvalidFacts", "KinVisit", "Referrer", "Registration", "Ruling",
    "Settings", "VisitFacts", "decide", "lapse_phone_only", "resolve",
]
