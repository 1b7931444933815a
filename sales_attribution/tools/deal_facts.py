"""Loading the raw facts of won deals for the split rules (``attribution.splits``).

:func:`deal_rows` reads what the split reads on the deals themselves;
:func:`load_deal_facts` turns them into ``{lead id: splits.DealFacts}``. Nothing here
decides a rule. A person is loaded as what the rules read of them in their role: the
customer and the buyer with the companions of their registrations, a relative with
their own opportunities (B2), a company buyer's contact with their conflicts (A9);
owner, registrations and intent class in every role. A role is always loaded the same
way, so the facts of a deal do not depend on the other deals loaded with it.

One query per kind of fact for the whole recordset, whatever its size. The addon's
own tables (relations, visits, conflicts, decisions) are read in SQL: the callers are
managers, whose record rules on them are ``[(1, '=', 1)]``, or the won path in sudo,
and none of them has an ``active`` flag. What the ORM filters elsewhere is filtered
here too: archived contacts of a company (``child_of``), archived claimants and
companions (many2many reads). The people's own opportunities stay an ORM search
(crm's record rules, archived leads).
"""
import datetime
from collections import defaultdict
from decimal import Decimal

from odoo import fields

from ..attribution import splits, terms


def _datetime(value):
    """An Odoo datetime string (``2026-03-10 02:00:00[.ffffff]``) as a naive
    ``datetime`` to the second, as ``fields.Datetime.from_string`` (a C parser: the
    loader parses every registration of a chunk)."""
    return datetime.datetime.fromisoformat(value[:19])


def _pct(value):
    """A float percent of the ORM (2 digits) as the exact Decimal of the policy."""
    return Decimal("%.2f" % (value or 0.0))


def deal_rows(env, lead_ids):
    """``{lead id: row}`` of the deals ``lead_ids`` (one query; missing ids absent).

    A row holds the columns of ``crm_lead`` the split reads (``user_id``,
    ``closer_id``, ``partner_id``, ``buyer_partner_id``, ``unit_count``,
    ``company_id``, ``team_id``, ``attribution_split_rule_code``,
    ``attribution_makeup_credited``), the company's ``currency_id`` and, converted:
    ``revenue`` (Decimal, 2 places, from ``planned_revenue``), ``bonus_rate`` (Decimal
    percent, the team's ``attribution_bonus_rate``), ``won_datetime`` (naive UTC
    ``datetime``: ``date_closed``, else now).
    """
    if not lead_ids:
        return {}
    now = _datetime(fields.Datetime.now())
    env.cr.execute("""
        SELECT l.id, l.user_id, l.closer_id, l.partner_id, l.buyer_partner_id,
               l.planned_revenue, l.unit_count, l.date_closed, l.company_id,
               c.currency_id, l.team_id, t.attribution_bonus_rate,
               l.attribution_split_rule_code, l.attribution_makeup_credited
          FROM crm_lead l
          LEFT JOIN crm_team t ON t.id = l.team_id
          LEFT JOIN res_company c ON c.id = l.company_id
         WHERE l.id = ANY(%s)""", (list(lead_ids),))
    rows = {}
    for row in env.cr.dictfetchall():
        closed = row.pop("date_closed")
        row["won_datetime"] = _datetime(closed) if closed else now
        row["revenue"] = Decimal("%.2f" % (row.pop("planned_revenue") or 0.0))
        row["bonus_rate"] = Decimal("%.3f" % (row.pop("attribution_bonus_rate") or 0.0))
        row["unit_count"] = row["unit_count"] or 0
        rows[row["id"]] = row
    return rows


class _Loader(object):
    """The queries of :func:`load_deal_facts`, one per kind of fact."""

    def __init__(self, env):
        self.env = env
        self.cr = env.cr
        self.partners = {}  # id -> (is_company, commercial id, company is co.)
        # (id, project id or None) -> (owner, intent class, intent reported date)
        self.ownership = {}

    def partners_of(self, ids):
        ids = sorted({i for i in ids if i and i not in self.partners})
        if not ids:
            return
        self.cr.execute("""
            SELECT p.id, p.is_company, p.commercial_partner_id, c.is_company
              FROM res_partner p
              LEFT JOIN res_partner c ON c.id = p.commercial_partner_id
             WHERE p.id = ANY(%s)""", (ids,))
        for row in self.cr.fetchall():
            self.partners[row[0]] = row[1:]
        self.cr.execute("""
            SELECT partner_id, team_id, owner_id, intent_class, intent_reported_date
              FROM attribution_ownership WHERE partner_id = ANY(%s)""", (ids,))
        for row in self.cr.fetchall():
            self.ownership[row[0], row[1]] = row[2:]

    def scopes(self):
        """``{company id: attribution_scope}``."""
        self.cr.execute("SELECT id, attribution_scope FROM res_company")
        return dict(self.cr.fetchall())

    def company_members(self, companies):
        """``{company: {partner ids}}``: the company and its active contacts."""
        members = defaultdict(set)
        if companies:
            self.cr.execute("""
                WITH RECURSIVE tree(root, id) AS (
                        SELECT id, id FROM res_partner WHERE id = ANY(%s)
                    UNION
                        SELECT tree.root, p.id FROM res_partner p
                          JOIN tree ON p.parent_id = tree.id)
                SELECT tree.root, tree.id FROM tree
                  JOIN res_partner p ON p.id = tree.id
                 WHERE p.active OR tree.id = tree.root""", (sorted(companies),))
            for root, member in self.cr.fetchall():
                members[root].add(member)
        return members

    def relations_of(self, people):
        """``{partner id: [(order, Relation args...)]}`` in the order of
        ``attribution.relation`` (the partner's display name, the type, the id)."""
        relations = defaultdict(list)
        if people:
            self.cr.execute("""
                SELECT r.id, r.partner_id, r.related_partner_id, r.relation_type,
                       r.evidence, r.confirmed_date
                  FROM attribution_relation r
                  JOIN res_partner p ON p.id = r.partner_id
                 WHERE r.partner_id = ANY(%s)
                 ORDER BY p.display_name, r.relation_type, r.id""", (sorted(people),))
            for seq, row in enumerate(self.cr.fetchall()):
                relations[row[1]].append((seq,) + row)
        return relations

    def visits_of(self, partner_ids, with_companions):
        """``({partner id: ((project id, Visit), ...)}, {partner id: ((project id,
        Visit), ...)})``: the visits of ``partner_ids`` without companions, and those of
        ``with_companions`` with the active companions of each visit."""
        rows = []
        if partner_ids:
            self.cr.execute("""
                SELECT id, partner_id, visit_datetime, owner_id, team_id
                  FROM attribution_visit
                 WHERE partner_id = ANY(%s) ORDER BY visit_datetime, id""",
                            (sorted(partner_ids),))
            rows = self.cr.fetchall()
        companions = defaultdict(set)
        own = [row[0] for row in rows if row[1] in with_companions]
        if own:
            self.cr.execute("""
                SELECT r.visit_id, r.partner_id
                  FROM attribution_visit_companion_rel r
                  JOIN res_partner p ON p.id = r.partner_id
                 WHERE r.visit_id = ANY(%s) AND p.active""", (own,))
            for visit_id, partner_id in self.cr.fetchall():
                companions[visit_id].add(partner_id)
        plain, full = defaultdict(list), defaultdict(list)
        for visit_id, partner_id, stamp, owner_id, team_id in rows:
            visit = splits.Visit(_datetime(stamp), owner_id)
            plain[partner_id].append((team_id, visit))
            if partner_id in with_companions:
                if visit_id in companions:
                    visit = splits.Visit(visit.visit_datetime, owner_id,
                                         frozenset(companions[visit_id]))
                full[partner_id].append((team_id, visit))
        return ({pid: tuple(items) for pid, items in plain.items()},
                {pid: tuple(items) for pid, items in full.items()})

    def conflicts_of(self, partner_ids):
        """``{partner id: (Conflict, ...)}``: every conflict with its active
        claimants."""
        conflicts = defaultdict(list)
        if partner_ids:
            self.cr.execute("""
                SELECT c.partner_id, c.state,
                       array_agg(r.user_id ORDER BY r.user_id)
                           FILTER (WHERE u.active)
                  FROM attribution_conflict c
                  LEFT JOIN attribution_conflict_claimant_rel r ON r.conflict_id = c.id
                  LEFT JOIN res_users u ON u.id = r.user_id
                 WHERE c.partner_id = ANY(%s)
                 GROUP BY c.id ORDER BY c.id""", (sorted(partner_ids),))
            for partner_id, state, users in self.cr.fetchall():
                conflicts[partner_id].append(splits.Conflict(state, tuple(users or ())))
        return {partner_id: tuple(items) for partner_id, items in conflicts.items()}

    def deals_of(self, partner_ids):
        """``{partner id: {opportunity ids}}`` naming them as customer or buyer."""
        deals = defaultdict(set)
        if partner_ids:
            ids = sorted(partner_ids)
            found = self.env["crm.lead"].search([
                ("type", "=", "opportunity"), "|", ("partner_id", "in", ids),
                ("buyer_partner_id", "in", ids)])
            if found:
                self.cr.execute("SELECT id, partner_id, buyer_partner_id FROM crm_lead "
                                "WHERE id = ANY(%s)", (found.ids,))
                for lead_id, partner_id, buyer_id in self.cr.fetchall():
                    for partner in {partner_id, buyer_id} - {None}:
                        deals[partner].add(lead_id)
        return deals

    def latest_per_deal(self, deals, sql):
        """``{lead id: row}`` of a ``LATERAL`` query on the deal's two partners."""
        lead_ids = [deal_id for deal_id, _people in deals]
        firsts = [(people + (None, None))[0] for _deal, people in deals]
        seconds = [(people + (None, None))[1] for _deal, people in deals]
        self.cr.execute("""
            SELECT l.lead_id, x.*
              FROM unnest(%s::int[], %s::int[], %s::int[]) AS l(lead_id, p1, p2)
             CROSS JOIN LATERAL ({}) x""".format(sql), (lead_ids, firsts, seconds))
        return {row[0]: row[1:] for row in self.cr.fetchall()}

    def user_names(self, user_ids):
        if not user_ids:
            return {}
        self.cr.execute("""
            SELECT u.id, p.name FROM res_users u
              JOIN res_partner p ON p.id = u.partner_id WHERE u.id = ANY(%s)""",
                        (sorted(user_ids),))
        return dict(self.cr.fetchall())


# the deal's latest conflict (A6/A7) and latest B5 reassignment; SQL of constants
_LATEST_CONFLICT = """
    SELECT id, state FROM attribution_conflict
     WHERE lead_id = l.lead_id OR partner_id = l.p1 OR partner_id = l.p2
     ORDER BY create_date DESC, id DESC LIMIT 1"""
_LATEST_B5 = """
    SELECT previous_owner_id FROM attribution_decision
     WHERE (partner_id = l.p1 OR partner_id = l.p2) AND rule_code = 'B5'
     ORDER BY create_date DESC, id DESC LIMIT 1"""


def _person_users(person):
    users = {person.owner_id}
    users.update(v.owner_id for v in person.visits)
    for conflict in person.conflicts:
        users.update(conflict.claimant_ids)
    return users


def load_deal_facts(env, rows):
    """``{lead id: splits.DealFacts}`` of the deals ``rows`` (:func:`deal_rows`).

    Where each fact comes from: owner ``user_id``; closer ``closer_id``; customer
    ``partner_id`` and buyer ``buyer_partner_id`` (None when the same), each
    person's owner, intent class and visits those of the deal's project (its
    ``team_id``; every project in scope ``company``, from the company-wide row);
    revenue, bonus rate and won datetime as in :func:`deal_rows`;
    ``buyer_is_company``: the buyer or its commercial partner is a company, whose
    active contacts (and itself) are ``company_contacts``; ``relations``: the
    ``attribution.relation`` rows recorded on the customer and the buyer; the deal's
    conflict: the latest one on the lead, the customer or the buyer, with its share
    lines; ``reassigned_from_id``: the previous owner of the latest B5 decision on
    the customer or the buyer; ``names``: the names of every consultant in the
    deal's facts. A person's ``visits`` are their ``attribution.visit`` rows in time
    order (``companion_ids`` for the customer and the buyer),
    ``intent_reported_date`` a ``date``; a relative's ``deal_ids`` are their
    opportunities (customer or buyer); a contact's ``conflicts`` the conflicts on
    them.
    """
    loader = _Loader(env)
    deals = []
    for lead_id, row in rows.items():
        customer = row["partner_id"]
        buyer = row["buyer_partner_id"] or customer
        deals.append((lead_id, tuple(sorted({p for p in (customer, buyer) if p}))))
    people = {p for _lead, pair in deals for p in pair}
    loader.partners_of(people)
    companies = {}
    for lead_id, row in rows.items():
        partner = loader.partners.get(row["buyer_partner_id"] or row["partner_id"])
        if partner and (partner[0] or partner[2]) and partner[1]:
            companies[lead_id] = partner[1]
    members = loader.company_members(set(companies.values()))
    relations = loader.relations_of(people)
    related = {rel[3] for rels in relations.values() for rel in rels}
    contacts = set().union(*members.values())
    everyone = people | related | contacts
    loader.partners_of(everyone)
    visits, party_visits = loader.visits_of(everyone, people)
    conflicts = loader.conflicts_of(contacts)
    own_deals = loader.deals_of(related)
    date = datetime.date.fromisoformat

    persons = {}

    def person_of(pid, role, project):
        """The ``splits.Person`` ``pid`` in the role ``role`` seen from ``project``
        (a team id; ``None``: every project, the company-wide row), built once."""
        key = (pid, role, project)
        if key not in persons:
            owner, intent, reported = loader.ownership.get((pid, project), (None,) * 3)
            found = (party_visits if role == "party" else visits).get(pid, ())
            persons[key] = splits.Person(
                pid, owner_id=owner or None,
                visits=tuple(v for team, v in found
                             if project is None or team == project),
                intent_class=intent or None,
                intent_reported_date=date(reported) if reported else None,
                deal_ids=frozenset(own_deals.get(pid, ())) if role == "relative"
                else frozenset(),
                conflicts=conflicts.get(pid, ()) if role == "contact" else ())
        return persons[key]

    scopes = loader.scopes()
    latest = loader.latest_per_deal(deals, _LATEST_CONFLICT)
    conflict_shares = defaultdict(list)
    if latest:
        env.cr.execute("""
            SELECT conflict_id, user_id, role, performance_share, bonus_share
              FROM attribution_conflict_share WHERE conflict_id = ANY(%s)
             ORDER BY conflict_id, id""", (sorted({c for c, _s in latest.values()}),))
        for conflict_id, user_id, role, perf, bonus in env.cr.fetchall():
            conflict_shares[conflict_id].append(
                splits.Share(user_id or None, role, _pct(perf), _pct(bonus), "A6"))
    reassigned = loader.latest_per_deal(deals, _LATEST_B5)

    result, used, person_users = {}, {}, {}
    for lead_id, pair in deals:
        row = rows[lead_id]
        project = None if scopes.get(row["company_id"]) == terms.SCOPE_COMPANY \
            else row["team_id"]
        customer = person_of(row["partner_id"], "party", project) \
            if row["partner_id"] else None
        buyer_id = row["buyer_partner_id"]
        conflict_id, state = latest.get(lead_id, (None, None))
        deal_relations = tuple(
            splits.Relation(partner, person_of(other, "relative", project), rel_type,
                            evidence or None,
                            date(confirmed) if confirmed else None, rel_id)
            for _seq, rel_id, partner, other, rel_type, evidence, confirmed in sorted(
                rel for p in pair for rel in relations[p]))
        facts = splits.DealFacts(
            owner_id=row["user_id"] or None,
            closer_id=row["closer_id"] or None,
            revenue=row["revenue"],
            bonus_rate=row["bonus_rate"],
            lead_id=lead_id,
            won_datetime=row["won_datetime"],
            customer=customer,
            buyer=person_of(buyer_id, "party", project)
            if buyer_id and buyer_id != row["partner_id"]
            else None,
            buyer_is_company=lead_id in companies,
            unit_count=row["unit_count"],
            company_contacts=tuple(person_of(m, "contact", project) for m in sorted(
                members.get(companies.get(lead_id), ()))),
            relations=deal_relations,
            conflict_state=state or None,
            conflict_shares=tuple(conflict_shares.get(conflict_id, ())),
            reassigned_from_id=(reassigned.get(lead_id) or (None,))[0] or None,
        )
        users = {facts.owner_id, facts.closer_id, facts.reassigned_from_id}
        users.update(share.user_id for share in facts.conflict_shares)
        for person in ((customer, facts.buyer) + facts.company_contacts
                       + tuple(rel.related for rel in deal_relations)):
            if person is not None:
                key = id(person)
                if key not in person_users:
                    person_users[key] = _person_users(person)
                users |= person_users[key]
        used[lead_id] = users - {None}
        result[lead_id] = facts
    names = loader.user_names(set().union(*used.values()) if used else ())
    for lead_id, facts in result.items():
        facts.names.update({u: names.get(u) for u in sorted(used[lead_id])})
    return result
