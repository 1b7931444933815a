"""Who may write a customer's ownership facts (``res.partner`` create and write).

The registration sheet and the manager decide who owns a customer (A1, A10: every
move is a decision of the log); the manager records the developer's notice (A11);
the evening review's class counts for B1 only when reported before the deal, so it is
recorded on the day it is reported. ``res.partner`` writes these fields into the
project's ``attribution.ownership`` row as superuser, so the check is here, before
anything is written. For a user who is neither manager nor superuser:

- ``attribution_owner_id`` of an existing customer cannot change (UserError, A10);
  a customer they create is theirs or nobody's (a phone contact of their own, A14);
- ``is_developer_related`` and ``developer_notice_date`` cannot change (A11);
- an intent class is reported today: ``intent_reported_date`` defaults to today's
  office date when the class changes, and another date is refused (B1).

For everyone, a ``last_followup_date`` after today's office date is refused
(ValidationError): A14's window would never lapse. :func:`check_partner_vals` returns
the values to write (maybe with the report date added); nothing is written on refusal.
"""
from odoo import SUPERUSER_ID, _, fields
from odoo.exceptions import UserError, ValidationError

#: the facts of the developer's notice (A11), the manager's to record
DEVELOPER_FIELDS = ("is_developer_related", "developer_notice_date")
#: every field checked here
GUARDED_FIELDS = frozenset(DEVELOPER_FIELDS) | {
    "attribution_owner_id", "last_followup_date", "intent_class",
    "intent_reported_date"}


def _is_manager(env):
    return env.uid == SUPERUSER_ID or \
        env.user.has_group("sales_attribution.group_manager")


def _as_date(value):
    """A date string (Odoo's form) of a date field's value, ``False`` when empty."""
    if not value:
        return False
    return value if isinstance(value, str) else fields.Date.to_string(value)


def check_partner_vals(partners, vals):
    """Refuse what the current user may not write of ``vals`` on ``partners``
    (``res.partner``; empty for ``create``) and return the values to write.

    :raises UserError: a consultant moves an owner, the A11 facts or backdates a
        class report (message in the user's language, naming the customer)
    :raises ValidationError: a follow-up date after today (office calendar)
    """
    if not GUARDED_FIELDS & set(vals):
        return vals  # the desk's and most writes: nothing to look up
    env = partners.env
    today = fields.Date.to_string(env.user.company_id._attribution_office_date())
    followup = _as_date(vals.get("last_followup_date"))
    if followup and followup > today:
        raise ValidationError(_(
            "The follow-up date cannot be in the future (%s): record a follow-up on "
            "the day it was made.") % followup)
    if _is_manager(env):
        return vals
    name = partners[:1].name or vals.get("name") or ""
    if "attribution_owner_id" in vals:
        _check_owner(partners, vals["attribution_owner_id"] or False, name)
    _check_developer_facts(partners, vals, name)
    return _intent_vals(vals, today, name)


def _check_owner(partners, owner, name):
    """A10: a consultant's new customer is theirs or nobody's; an existing
    customer's owner does not change (the row the write would go to)."""
    env = partners.env
    if not partners:
        if owner and owner != env.uid:
            raise UserError(_(
                "A customer you record is yours or nobody's (A10): %s cannot be "
                "named as the owner of %s. Ask the sales manager.") % (
                    env["res.users"].sudo().browse(owner).name, name))
    for partner in partners:
        team = partner._attribution_write_team(owner)
        row = env["attribution.ownership"]._rows_of(partner, team, create=False)
        if row.owner_id.id != owner:
            raise UserError(_(
                "The owner of %s is decided by the registration sheet (A10): "
                "register the visit at the desk, or ask the sales manager to "
                "change it.") % partner.name)


def _check_developer_facts(partners, vals, name):
    """A11: the developer's notice and the flag stay as they are."""
    for field in DEVELOPER_FIELDS:
        if field not in vals:
            continue
        new = _as_date(vals[field]) if field == "developer_notice_date" else \
            bool(vals[field])
        olds = [partner[field] or False for partner in partners] or [False]
        if any(old != new for old in olds):
            raise UserError(_(
                "Whether %s is related to the developer, and the date of the "
                "developer's notice, are recorded by the sales manager (A11).")
                % name)


def _intent_vals(vals, today, name):
    """B1: a class is reported today (the date added when missing)."""
    if "intent_class" not in vals and "intent_reported_date" not in vals:
        return vals
    reported = _as_date(vals.get("intent_reported_date"))
    if reported and reported != today:
        raise UserError(_(
            "The evening review of %s is recorded on the day it is reported (B1): "
            "%s cannot be its date. Ask the sales manager to correct an earlier "
            "report.") % (name, reported))
    if vals.get("intent_class") and not reported:
        vals = dict(vals, intent_reported_date=today)
    return vals
