"""The addressee facts of a whole batch of registrations in three queries, for the
E1-E5 sends (``event.registration._attribution_load_addressees``).

:func:`load_attendees` reads what ``event.registration._attribution_addressee``
reads through the ORM, field by field and record by record, for many registrations
at once: the registration's own name, e-mail and phone, its partner's contact
fields, the organisation (the partner's commercial partner) and, for a seat booked
by a company, the company's active person contacts in the order of
``child_ids`` (``display_name``). It returns plain rows; the caller turns them into
:class:`attribution.event_contacts.AttendeeFacts` the way it turns records into
them, so both paths go through the same code.

Plain SQL sees every row: the caller uses it only as the superuser (the cron and the
late E1, which send whatever the user may read); the titles are read through the ORM
for their translated names.
"""
from collections import namedtuple

#: a partner's contact fields, as the ORM gives them (False when empty)
PartnerRow = namedtuple("PartnerRow", "id name email mobile phone salutation title "
                                      "is_company")
#: a registration: its own fields, its partner (None without one), the partner's
#: organisation's name and whether it is a company, and the person contacts of a
#: company partner (in ``child_ids`` order)
AttendeeRow = namedtuple("AttendeeRow", "id name email phone partner organisation "
                                        "organisation_is_company people")

_PARTNER_COLUMNS = ("p.id, p.name, p.email, p.mobile, p.phone, "
                    "p.attribution_salutation, p.title, p.is_company")


def _partner(row, titles):
    """A :class:`PartnerRow` of the SQL values ``row`` (``title`` its name)."""
    if row[0] is None:
        return None
    values = [value if value is not None else False for value in row]
    values[6] = titles.get(row[6], False) if row[6] else False
    values[7] = bool(row[7])
    return PartnerRow(*values)


def partner_row(partner):
    """The :class:`PartnerRow` of a ``res.partner`` record (None when empty)."""
    if not partner:
        return None
    return PartnerRow(partner.id, partner.name, partner.email, partner.mobile,
                      partner.phone, partner.attribution_salutation,
                      partner.title.name, partner.is_company)


def attendee_contact(row):
    """The attendee's own contact at the company that booked the seat (of the
    :class:`AttendeeRow` ``row``): a person among the company's contacts with the
    registration's e-mail, else its name; None when the partner is no company or
    none matches."""
    if not row.partner or not row.partner.is_company or not (row.name or row.email):
        return None
    email = (row.email or "").strip().lower()
    if email:
        for child in row.people:
            if (child.email or "").strip().lower() == email:
                return child
    name = "".join((row.name or "").split())
    for child in row.people if name else ():
        if "".join((child.name or "").split()) == name:
            return child
    return None


def load_attendees(env, reg_ids):
    """``{registration id: AttendeeRow}`` of the registrations ``reg_ids``."""
    if not reg_ids:
        return {}
    cr = env.cr
    cr.execute(
        "SELECT r.id, r.name, r.email, r.phone, " + _PARTNER_COLUMNS + ", "
        "c.name, c.is_company "
        "FROM event_registration r "
        "LEFT JOIN res_partner p ON p.id = r.partner_id "
        "LEFT JOIN res_partner c ON c.id = p.commercial_partner_id "
        "WHERE r.id IN %s", (tuple(reg_ids),))
    regs = cr.fetchall()
    # the seats booked by a company name their attendee: the company's people
    companies = tuple({row[4] for row in regs
                       if row[4] is not None and row[11] and (row[1] or row[2])})
    people = {}
    if companies:
        # child_ids: active contacts, in res.partner's order
        cr.execute(
            "SELECT p.parent_id, " + _PARTNER_COLUMNS + " FROM res_partner p "
            "WHERE p.parent_id IN %s AND p.active AND NOT p.is_company "
            "ORDER BY p.display_name, p.id", (companies,))
        children = cr.fetchall()
    else:
        children = []
    title_ids = {row[10] for row in regs if row[10]} | {
        row[7] for row in children if row[7]}
    titles = {title.id: title.name for title in
              env["res.partner.title"].browse(sorted(title_ids))}
    for row in children:
        people.setdefault(row[0], []).append(_partner(row[1:], titles))
    result = {}
    for row in regs:
        partner = _partner(row[4:12], titles)
        result[row[0]] = AttendeeRow(
            id=row[0], name=row[1] or False, email=row[2] or False,
            phone=row[3] or False, partner=partner,
            organisation=row[12] or False, organisation_is_company=bool(row[13]),
            people=tuple(people.get(row[4], ())) if partner else ())
    return result
