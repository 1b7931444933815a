"""Loading the raw facts of one visit for the ownership rules
(``attribution.ownership``).

:func:`load_visit_facts` turns an ``attribution.visit`` record into one
``ownership.VisitFacts``: the customer's other registrations (earlier and later),
direct and other kin's registrations up to the visit, the referrers with the date of
their first won deal, the rotation's present and departed members, the developer
allocation counts, the customer's last conflict and the names of every consultant
cited. Every fact is of the visit's project (``crm.team``): its registrations, its
ownership rows, its conflicts; of every project in scope ``company``. Nothing here
decides a rule; ``attribution.visit._prepare_visit_facts`` is the
hook that calls it and ``_decide`` passes the facts to ``ownership.decide``.

Everything is read with sudo: the rules need other consultants' visits, customers and
deals that the registering consultant may not see.
"""
from odoo import fields

from ..attribution import ownership as policy


def _dt(value):
    """An Odoo datetime string as a naive UTC ``datetime`` (``None`` when empty)."""
    return fields.Datetime.from_string(value) if value else None


def _date(value):
    """An Odoo date string as a ``date`` (``None`` when empty)."""
    return fields.Date.from_string(value) if value else None


def first_won_date(env, partner):
    """Date of the customer's first won deal (B8), or None."""
    # sudo: the referrer's deals belong to other consultants.
    leads = env["crm.lead"].sudo().with_context(active_test=False)
    leads = leads.search(leads._attribution_won_domain() + [
        "|", ("partner_id", "=", partner.id),
        ("buyer_partner_id", "=", partner.id)])
    dates = [d for d in leads.mapped("date_closed") if d]
    return _dt(min(dates)).date() if dates else None


def user_names(env, user_ids):
    """``{user id: name}`` in one query: reading ``name`` through the ORM reads
    every column of ``res.users`` and its partner (a quarter of a walk-in)."""
    if not user_ids:
        return {}
    env.cr.execute(
        "SELECT u.id, p.name FROM res_users u "
        "JOIN res_partner p ON p.id = u.partner_id WHERE u.id IN %s",
        (tuple(user_ids),))
    return dict(env.cr.fetchall())


def load_visit_facts(record):
    """All the facts of the visit ``record`` (one ``attribution.visit``) for
    ``ownership.decide``, as an ``ownership.VisitFacts``."""
    record.ensure_one()
    env = record.env
    visit = record.sudo()
    partner = visit.partner_id
    users = set()
    company = partner._attribution_company()
    # the project whose history counts: the visit's (nothing narrower, scope company)
    project = company._attribution_ownership_team(visit.team_id)
    in_project = [("team_id", "=", project.id)] if project else []
    row = partner._attribution_row(visit.team_id)

    def uid(user):
        if user:
            users.add(user)
            return user.id
        return None

    # every registration of the customer, earlier and later: a back-dated entry
    # must see the visits entered before it (the policy judges as of arrival)
    others = visit.search([
        ("partner_id", "=", partner.id), ("id", "!=", visit.id)] + in_project)
    registrations = tuple(
        policy.Registration(partner_id=partner.id, owner_id=uid(v.owner_id),
                            visit_datetime=_dt(v.visit_datetime),
                            receiver_id=uid(v.receiver_id),
                            entered_at=v._registration_entered_at())
        for v in others)
    kin = []
    for rel in partner.attribution_relation_ids:
        for v in visit.search([
                ("partner_id", "=", rel.related_partner_id.id),
                ("visit_datetime", "<=", visit.visit_datetime)] + in_project):
            kin.append(policy.KinVisit(
                partner_id=v.partner_id.id, owner_id=uid(v.owner_id),
                visit_datetime=_dt(v.visit_datetime),
                relation_type=rel.relation_type))
    referrer_owners = {ref.id: ref._attribution_row(visit.team_id).owner_id
                       for ref in visit.referrer_partner_ids}
    referrers = tuple(
        policy.Referrer(partner_id=ref.id, owner_id=uid(referrer_owners[ref.id]),
                        first_won_date=first_won_date(env, ref))
        for ref in visit.referrer_partner_ids)
    rotation = visit._rotation()
    Rotation = env["attribution.rotation"]
    members = rotation.member_ids.mapped("user_id")
    named = (visit.receiver_id | visit.requested_user_id | visit.appointment_user_id
             | row.owner_id | others.mapped("owner_id"))
    for owner in referrer_owners.values():
        named |= owner
    departed = Rotation._departed_user_ids((members | named).ids)
    present = rotation.member_ids.filtered(
        lambda m: m.present and m.user_id.id not in departed).mapped("user_id")
    for user in present:
        uid(user)
    developer_counts = {}
    if partner.is_developer_related and present:
        groups = env["attribution.ownership"].sudo().read_group(
            [("partner_id.is_developer_related", "=", True),
             ("team_id", "=", project.id or False),
             ("owner_id", "in", present.ids)], ["owner_id"], ["owner_id"])
        developer_counts = {g["owner_id"][0]: g["owner_id_count"] for g in groups}
    conflict = env["attribution.conflict"].sudo().search(
        [("partner_id", "=", partner.id)] + in_project,
        order="create_date desc, id desc", limit=1)
    ruling = None
    if conflict:
        ruling = policy.Ruling(state=conflict.state,
                               winner_id=uid(conflict.winner_id))
    facts = policy.VisitFacts(
        kind=visit.kind,
        visit_datetime=_dt(visit.visit_datetime),
        receiver_id=uid(visit.receiver_id),
        requested_user_id=uid(visit.requested_user_id),
        appointment_user_id=uid(visit.appointment_user_id),
        referrers=referrers,
        brought_in_person=visit.brought_in_person,
        customer_recalls_consultant=visit.customer_recalls_consultant,
        asked_prior_visit=visit.asked_prior_visit,
        present_user_ids=frozenset(present.ids),
        current_owner_id=uid(row.owner_id),
        registrations=registrations,
        kin_registrations=tuple(kin),
        last_followup_date=_date(row.last_followup_date),
        is_developer_related=partner.is_developer_related,
        developer_notice_date=_date(partner.developer_notice_date),
        developer_counts=developer_counts,
        ruling=ruling,
        names=user_names(env, {u.id for u in users}),
        is_late_entry=visit.is_late_entry,
        entered_at=_dt(visit.create_date),
        departed_user_ids=departed,
    )
    return facts
