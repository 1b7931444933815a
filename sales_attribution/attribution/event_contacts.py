"""Who an event message goes to and how it greets them (SPEC section 4, issue 15
point 3: attendee contacts).

A registration (``event.registration``) names its attendee: its own name, e-mail and
phone. The partner it hangs on may be the attendee, or the organisation that booked
the seat (a company booking several seats has one registration per attendee). The
message goes to the attendee and greets the attendee; the organisation is named in
the text, never greeted as a person ("某某有限公司总" is wrong).

:func:`addressee` takes the raw facts (strings, already normalised mobile numbers) and
returns an :class:`Addressee`: the name, salutation (称呼), e-mail, mobile and the
organisation to name. The registration's own contacts come first, then the
attendee's own contact record at the organisation (found by the ORM by e-mail or
name), then the booking partner's.

>>> company = Contact(name="深圳市阳光置业有限公司", email="office@sun.example",
...                   mobile="13800000000", is_company=True)
>>> seat = addressee(AttendeeFacts(name="王德明", email="wang@sun.example",
...                                partner=company, organisation=company.name))
>>> seat.salutation, seat.email, seat.mobile, seat.organisation
('王总', 'wang@sun.example', '13800000000', '深圳市阳光置业有限公司')
>>> addressee(AttendeeFacts(partner=company, organisation=company.name)).salutation
'深圳市阳光置业有限公司'

The office's own salutation of the company wins for the company's own seat:

>>> from dataclasses import replace
>>> addressee(AttendeeFacts(partner=replace(company, salutation="阳光置业各位领导"),
...                         organisation=company.name)).salutation
'阳光置业各位领导'
>>> person = Contact(name="李娜", email="li@example.com", salutation="李女士")
>>> addressee(AttendeeFacts(name="李娜", partner=person)).salutation
'李女士'
"""
from dataclasses import dataclass, field
from typing import Any, Optional

from .salutation import clean_name, default_salutation


@dataclass(frozen=True)
class Contact:
    """A partner as the message sees it: ``mobile`` is a normalised mobile number
    (landlines are no use for SMS) or ""; ``salutation`` the stored 称呼 (may be
    typed by the office); ``title`` the name of its title; ``id`` the partner's
    id (None when unknown)."""

    name: str = ""
    email: str = ""
    mobile: str = ""
    salutation: str = ""
    title: str = ""
    is_company: bool = False
    id: Any = None


@dataclass(frozen=True)
class AttendeeFacts:
    """A registration: its own ``name``, ``email`` and ``mobile`` (normalised, or "");
    ``partner`` the partner it hangs on; ``contact`` the attendee's own contact at the
    booking organisation when the ORM found one (by e-mail, else by name), else None;
    ``organisation`` the name of the partner's organisation (the partner itself when
    it is a company, else its company), or ""."""

    name: str = ""
    email: str = ""
    mobile: str = ""
    partner: Contact = field(default_factory=Contact)
    contact: Optional[Contact] = None
    organisation: str = ""


@dataclass(frozen=True)
class Addressee:
    """Whom a message of a registration goes to: ``name`` and ``salutation`` of the
    attendee, ``email`` and ``mobile`` to send to ("" = none), ``organisation`` to
    name in the text ("" when it is the addressee itself or there is none);
    ``partner_id`` the :attr:`Contact.id` of the contact addressed (the attendee's
    contact, the person partner, or the company for its own seat), None when the
    attendee has no contact of their own: whose opt-out (退订) counts."""

    name: str
    salutation: str
    email: str
    mobile: str
    organisation: str
    partner_id: Any = None


def _key(name):
    return clean_name(name).replace(" ", "").lower()


def _same(a, b):
    return _key(a) == _key(b)


def same_person(registration_name, partner_name):
    """Whether a registration's name means its (person) partner: equal, or one part
    of the other once white space is dropped (the partner renamed 张 -> 张伟 after
    registering, "Lee" for "John Lee").

    >>> same_person("张", "张伟"), same_person("陈刚", "李娜"), same_person("", "李娜")
    (True, False, False)
    """
    a, b = _key(registration_name), _key(partner_name)
    return bool(a and b) and (a in b or b in a)


def addressee(facts):
    """The :class:`Addressee` of a registration's messages.

    - the attendee is the attendee contact when the ORM found one; else the partner
      when it is a person and the registration has no name or a name of the partner
      (:func:`same_person`); else the registration's name (someone else booked by
      the partner); a company seat without a name is the company, greeted by its
      name;
    - the greeting is the stored salutation (typed by the office, else its
      default) of the contact addressed: the attendee's contact, the person
      partner, or the company for a seat of its own; else the default salutation
      (:func:`attribution.salutation.default_salutation`) of the attendee's name;
    - e-mail and mobile: the registration's own first, then the attendee contact's,
      then the partner's (a seat booked by a company without contacts of its own is
      still written to, at the company's address);
    - the organisation is named unless it is the addressee.

    >>> addressee(AttendeeFacts(name="欧阳娜娜", mobile="13900000000",
    ...     partner=Contact(name="阳光集团", email="hr@sun.example", is_company=True),
    ...     contact=Contact(name="欧阳娜娜", salutation="欧阳董", email="oy@sun.example"),
    ...     organisation="阳光集团"))
    Addressee(name='欧阳娜娜', salutation='欧阳董', email='oy@sun.example', \
mobile='13900000000', organisation='阳光集团', partner_id=None)
    """
    partner = facts.partner
    reg_name = clean_name(facts.name)
    person = facts.contact
    if person is None and not partner.is_company and (
            not reg_name or same_person(reg_name, partner.name)):
        person = partner
    addressed = None
    if person is not None:
        addressed = person
        name = person.name or reg_name
        salutation = person.salutation or default_salutation(name, title=person.title)
    else:
        name = reg_name or partner.name
        is_org = partner.is_company and (not reg_name or _same(reg_name, partner.name))
        if is_org:
            addressed = partner
        salutation = (is_org and partner.salutation) or default_salutation(
            name, is_company=is_org)
    email = facts.email or (person.email if person else "") or partner.email
    mobile = facts.mobile or (person.mobile if person else "") or partner.mobile
    organisation = clean_name(facts.organisation)
    if _same(organisation, name):
        organisation = ""
    return Addressee(name=name, salutation=salutation, email=email, mobile=mobile,
                     organisation=organisation,
                     partner_id=addressed.id if addressed is not None else None)
