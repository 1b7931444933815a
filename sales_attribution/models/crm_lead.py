from collections import OrderedDict, defaultdict, namedtuple
from decimal import Decimal

from psycopg2.extras import execute_values

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import html_escape

from ..attribution import splits as policy
from .input_guard import check_vals

#: context key: split lines are being written by the rules (not a manager's edit)
SPLIT_COMPUTE_CTX = "attribution_split_compute"
#: context key: the lead checks the totals itself once all split lines are written
SPLIT_DEFER_CTX = "attribution_split_defer_check"
#: fields of a won deal whose change splits it again
SPLIT_FACT_FIELDS = {"planned_revenue", "team_id", "user_id", "closer_id", "partner_id",
                     "buyer_partner_id", "unit_count"}
#: relation types of non-direct relatives and friends (A15, B3a); referrals are B4/B8
NON_KIN_TYPES = ("sibling", "relative", "friend")
#: fields of the addon on crm.lead whose careless values are refused clearly
GUARDED_FIELDS = ("unit_count", "buyer_partner_id", "closer_id")
#: deals split together: one query per kind of fact and one bulk write per chunk
SPLIT_CHUNK = 500

# rows of the batch fact gathering (crm.lead._prepare_deals_facts)
_Partner = namedtuple("_Partner", (
    "owner_id is_company commercial_id company_is_company intent_class "
    "intent_reported_date"))
_Relation = namedtuple("_Relation", (
    "seq id partner related relation_type is_direct_kin evidence confirmed_date"))
_Visit = namedtuple("_Visit", "id stamp owner_id")


def _value(value):
    """A field value comparable with the one written: ids for records, False for
    empty."""
    if isinstance(value, models.BaseModel):
        return value.id or False
    return value


def _line_vals(row):
    """A split line read in SQL as the vals the rules write (values as the ORM's)."""
    return {
        "id": row["id"],
        "user_id": row["user_id"] or False,
        "role": row["role"],
        "performance_share": row["performance_share"] or 0.0,
        "bonus_share": row["bonus_share"] or 0.0,
        "performance_amount": row["performance_amount"] or 0.0,
        "bonus_amount": row["bonus_amount"] or 0.0,
        "rule_code": row["rule_code"] or False,
        "explanation": row["explanation"] or False,
        "date": row["date"] or False,
        "manual": bool(row["manual"]),
    }


def _pct(value):
    """A float percent of the ORM (2 digits) as the exact Decimal the policy expects."""
    return Decimal("%.2f" % (value or 0.0))


class CrmLead(models.Model):
    _inherit = "crm.lead"

    buyer_partner_id = fields.Many2one(
        "res.partner", string="Buyer", index=True,
        help="买受人: the buyer named in the purchase contract; defaults to the customer. "
             "B3a: when relatives buy one unit, the buyer's consultant takes the deal.")
    unit_count = fields.Integer(
        string="Units", default=1,
        help="套数: units bought in this deal (A9: a company buying at least the group "
             "threshold is a group buyer).")
    closer_id = fields.Many2one(
        "res.users", string="Closed By",
        help="Consultant who closed the deal, when not the owner (A15, B1, B5).")
    split_line_ids = fields.One2many(
        "attribution.split.line", "lead_id", string="Split Lines")
    attribution_decision_ids = fields.One2many(
        "attribution.decision", "lead_id", string="Attribution Decisions")
    attribution_conflict_ids = fields.One2many(
        "attribution.conflict", "lead_id", string="Conflicts")
    attribution_makeup_credited = fields.Boolean(
        string="Make-up Reception Given", readonly=True, copy=False,
        help="B1: the closing consultant already received the one make-up reception "
             "this deal is worth; computing the split again does not give a second "
             "one.")
    attribution_split_rule_code = fields.Char(
        string="Split Rule", readonly=True, copy=False,
        help="Rule code of the last computed split of this deal.")

    @api.constrains("unit_count")
    def _check_unit_count(self):
        for lead in self:
            if lead.unit_count < 1:
                raise ValidationError(_("A deal has at least one unit."))

    # ------------------------------------------------------------------ CRUD

    @api.model
    def create(self, vals):
        check_vals(self, vals, GUARDED_FIELDS)
        if vals.get("partner_id") and not vals.get("buyer_partner_id"):
            vals["buyer_partner_id"] = vals["partner_id"]
        lead = super().create(vals)
        if lead._attribution_is_won():
            lead._attribution_on_won()
        return lead

    @api.multi
    def write(self, vals):
        check_vals(self, vals, GUARDED_FIELDS)
        won_before = {lead.id for lead in self if lead._attribution_is_won()}
        if "split_line_ids" in vals and not self.env.context.get(SPLIT_COMPUTE_CTX):
            # Shares edited through the lead form: the lines are checked together once
            # every command of the one2many is written, not line by line.
            try:
                with self.env.cr.savepoint():
                    res = super(CrmLead, self.with_context(
                        **{SPLIT_DEFER_CTX: True})).write(vals)
                    self._attribution_after_split_edit()
            except Exception:
                # the savepoint undid the edit; the cache must forget it too
                self.invalidate_cache()
                raise
        else:
            res = super().write(vals)
        if {"probability", "stage_id", "active"} & set(vals):
            newly_won = self.filtered(
                lambda rec: rec.id not in won_before and rec._attribution_is_won())
            newly_won._attribution_on_won()
            self.filtered(
                lambda rec: rec.id in won_before and not rec._attribution_is_won()
            )._attribution_on_unwon()
        if SPLIT_FACT_FIELDS & set(vals):
            # a won deal edited afterwards (revenue, owner, buyer...) is split again
            self.filtered(
                lambda rec: rec.id in won_before and rec._attribution_is_won()
            )._attribution_on_won()
        return res

    # ------------------------------------------------------------------ won path

    def _attribution_is_won(self):
        """Won in Odoo 11 crm: probability 100 (``action_set_won`` or a won stage)."""
        self.ensure_one()
        return self.active and self.type == "opportunity" and self.probability >= 100

    def _attribution_on_won(self):
        """Split the deals when they are won, whoever marks them won.

        sudo(): the consultant who marks the deal won may not write split lines or read
        the other consultants' customers the rules look at; the split follows the rules
        whatever the user may do.
        """
        self.sudo()._attribution_compute_splits()

    def _attribution_on_unwon(self):
        """A won deal reopened, lost or archived earns nothing: its split lines go (a
        period's export would pay them), listed in a note on the deal; winning it
        again splits it afresh. A make-up credit already given (B1) stays given.

        sudo(): as for the win, whoever moves the deal; the lines are the rule book's.
        """
        leads = self.sudo().filtered("split_line_ids")
        if not leads:
            return
        for lead in leads:
            rows = "".join("<li>%s</li>" % html_escape(_(
                "%s (%s): performance %s%%, bonus %s%%") % (
                    line.user_id.name or _("Company"), line.rule_code,
                    line.performance_share, line.bonus_share))
                for line in lead.split_line_ids)
            body = "<p>%s</p><ul>%s</ul>" % (html_escape(
                _("The deal is no longer won: its split lines are removed.")), rows)
            lead.message_post(body=body, subtype="mail.mt_note")
        # the rules' own removal: no totals check on a deal left without lines
        leads.mapped("split_line_ids").with_context(
            **{SPLIT_COMPUTE_CTX: True}).unlink()
        leads._attribution_write_rule_codes({None: leads.ids})

    def _attribution_won_date(self):
        self.ensure_one()
        if self.date_closed:
            return self.date_closed[:10]
        return fields.Date.context_today(self)

    # ------------------------------------------------------------------ actions

    @api.multi
    def action_compute_splits(self):
        """Compute the split lines of the deals (section 3 of the rule book).

        Lines edited by a manager (``manual``) are kept; only their amounts follow the
        revenue. Computing again with the same facts gives the same lines. Only users
        who may write split lines (managers) may ask for it; winning a deal computes it
        for everyone.
        """
        self.env["attribution.split.line"].check_access_rights("write")
        self._attribution_compute_splits()
        return True

    # ------------------------------------------------------------------ facts

    def _attribution_settings(self):
        return self._attribution_settings_of(self.company_id)

    def _attribution_settings_of(self, company):
        company = company or self.env.user.company_id
        return policy.Settings(
            group_units=company.attribution_group_units,
            complaint_split=(company.attribution_complaint_split,
                             100 - company.attribution_complaint_split),
            relative_split=(company.attribution_relative_split,
                            100 - company.attribution_relative_split),
        )

    def _prepare_deal_facts(self):
        """The :class:`~..attribution.splits.DealFacts` of one deal.

        Gathered by :meth:`_prepare_deals_facts`, the one place facts are gathered.
        """
        self.ensure_one()
        return self._prepare_deals_facts()[self.id]

    def _attribution_deal_rows(self):
        """``{lead id: values}`` of the deals of ``self`` that the split reads, in SQL.

        The values the rules read on the deal, its team and company (one query for
        the recordset; the ORM's prefetch would read every column of crm.lead and
        compute its related fields). ``won_date`` as :meth:`_attribution_won_date`.
        """
        if not self.ids:
            return {}
        # before the query: the user's time zone may have to be read
        today = fields.Date.context_today(self)
        self.env.cr.execute("""
            SELECT l.id, l.user_id, l.closer_id, l.partner_id, l.buyer_partner_id,
                   l.planned_revenue, l.unit_count, l.date_closed, l.company_id,
                   c.currency_id, l.team_id, t.attribution_bonus_rate,
                   l.attribution_split_rule_code, l.attribution_makeup_credited
              FROM crm_lead l
              LEFT JOIN crm_team t ON t.id = l.team_id
              LEFT JOIN res_company c ON c.id = l.company_id
             WHERE l.id = ANY(%s)""", (self.ids,))
        rows = {}
        for row in self.env.cr.dictfetchall():
            row["won_date"] = row["date_closed"][:10] if row["date_closed"] else today
            row["revenue"] = Decimal("%.2f" % (row["planned_revenue"] or 0.0))
            row["bonus_rate"] = Decimal("%.3f" % (row["attribution_bonus_rate"] or 0.0))
            row["unit_count"] = row["unit_count"] or 0
            rows[row["id"]] = row
        return rows

    def _prepare_deals_facts(self, rows=None):
        """``{lead id: DealFacts}`` of the deals of ``self``, gathered together.

        Where each fact comes from (SPEC section 3):

        * owner: ``user_id``; closer: ``closer_id``, else the owner; revenue:
          ``planned_revenue``; bonus rate: the team's ``attribution_bonus_rate``.
        * conflict (A6/A7): the latest conflict of the lead or of its customer or buyer,
          with its share lines.
        * A9 group buyer: ``buyer_partner_id`` (or its commercial partner) is a company;
          co-owners are the consultants with a confirmed claim: the claimants of settled
          conflicts (agreed/ruled/accepted) on the company or its contacts, and the
          owners of the company's contacts that visited the showroom (the contact's
          ``attribution_owner_id`` and the ``owner_id`` of their visits).
        * A9 family: the customer visited together with direct kin on one day (the kin
          is a companion on the visit, or the kin has a visit of their own that day).
        * B1: the buyer's direct kin owned by another consultant than the closer whose
          first visit is earlier than the buyer's; confirmed on the win day = the
          relation's ``confirmed_date``; class reported = the kin's ``intent_class``
          when reported before the win date.
        * A15: a sibling/relative/friend relation with ``evidence`` whose partner never
          visited and is owned by another consultant than the closer.
        * B5: the latest B5 decision on the customer (previous owner = original).
        * B3a: one unit, and a sibling/relative/friend of the buyer visited on other
          days than the buyer with another consultant (the relative's owner differs
          from the buyer's): the buyer's consultant. A relative with an opportunity of
          their own buys their own unit: that is B2, each deal keeps its owner.

        One query per kind of fact for the whole recordset, whatever its size (split
        computation on 10k deals, issue #7). The addon's own tables (relations, visits,
        conflicts, decisions) are read in SQL: the callers are managers, whose record
        rules on them are ``[(1, '=', 1)]``, or the won path in sudo, and none of them
        has an ``active`` flag. What the ORM filtered elsewhere is filtered here too:
        archived contacts of a company (``child_of``), archived claimants and
        companions (many2many reads); the B2 look-up of the relatives' own deals stays
        an ORM search (crm's record rules, archived leads).
        """
        cr = self.env.cr
        if rows is None:
            rows = self._attribution_deal_rows()
        deals = []
        for lead_id in OrderedDict.fromkeys(self.ids):
            row = rows[lead_id]
            owner = row["user_id"]
            customer = row["partner_id"]
            buyer = row["buyer_partner_id"] or customer
            deals.append({
                "row": row, "id": lead_id, "owner": owner,
                "closer": row["closer_id"] or owner, "buyer": buyer,
                "people": tuple(sorted({p for p in (customer, buyer) if p})),
                "won_date": row["won_date"],
            })

        partners = {}

        def load_partners(ids):
            ids = sorted({i for i in ids if i and i not in partners})
            if not ids:
                return
            cr.execute("""
                SELECT p.id, p.attribution_owner_id, p.is_company,
                       p.commercial_partner_id, c.is_company, p.intent_class,
                       p.intent_reported_date
                  FROM res_partner p
                  LEFT JOIN res_partner c ON c.id = p.commercial_partner_id
                 WHERE p.id = ANY(%s)""", (ids,))
            for row in cr.fetchall():
                partners[row[0]] = _Partner(*row[1:])

        people_ids = {p for deal in deals for p in deal["people"]}
        load_partners(people_ids)

        # A9 group buyer: the company's active contacts (child_of), whole trees at once
        companies = set()
        for deal in deals:
            buyer = partners.get(deal["buyer"])
            deal["buyer_is_company"] = bool(
                buyer and (buyer.is_company or buyer.company_is_company))
            deal["company"] = buyer.commercial_id if buyer else None
            if deal["buyer_is_company"] and deal["company"]:
                companies.add(deal["company"])
        members = defaultdict(set)
        if companies:
            cr.execute("""
                WITH RECURSIVE tree(root, id) AS (
                        SELECT id, id FROM res_partner WHERE id = ANY(%s)
                    UNION
                        SELECT tree.root, p.id FROM res_partner p
                          JOIN tree ON p.parent_id = tree.id)
                SELECT tree.root, tree.id FROM tree
                  JOIN res_partner p ON p.id = tree.id
                 WHERE p.active OR tree.id = tree.root""", (sorted(companies),))
            for root, member in cr.fetchall():
                members[root].add(member)
        member_ids = set().union(*members.values()) if members else set()
        claimants = defaultdict(set)
        if member_ids:
            cr.execute("""
                SELECT c.partner_id, r.user_id
                  FROM attribution_conflict c
                  JOIN attribution_conflict_claimant_rel r ON r.conflict_id = c.id
                  JOIN res_users u ON u.id = r.user_id
                 WHERE c.partner_id = ANY(%s) AND c.state = ANY(%s) AND u.active""",
                       (sorted(member_ids), list(policy.SETTLED_CONFLICT_STATES)))
            for partner_id, user_id in cr.fetchall():
                claimants[partner_id].add(user_id)

        # relations of the customers and buyers, in the order of attribution.relation
        # (partner_id orders by the partner's display_name)
        relations = defaultdict(list)
        if people_ids:
            cr.execute("""
                SELECT r.id, r.partner_id, r.related_partner_id, r.relation_type,
                       r.is_direct_kin, r.evidence, r.confirmed_date
                  FROM attribution_relation r
                  JOIN res_partner p ON p.id = r.partner_id
                 WHERE r.partner_id = ANY(%s)
                 ORDER BY p.display_name, r.relation_type, r.id""",
                       (sorted(people_ids),))
            for seq, row in enumerate(cr.fetchall()):
                relations[row[1]].append(_Relation(seq, *row))
        related_ids = {rel.related for rels in relations.values() for rel in rels}
        load_partners(related_ids | member_ids)

        # visits of everyone the rules look at
        visits = defaultdict(list)
        visit_partners = people_ids | related_ids | member_ids
        if visit_partners:
            cr.execute("""
                SELECT id, partner_id, visit_datetime, owner_id FROM attribution_visit
                 WHERE partner_id = ANY(%s)""", (sorted(visit_partners),))
            for row in cr.fetchall():
                visits[row[1]].append(_Visit(row[0], row[2][:19], row[3]))
        own_visit_ids = sorted(v.id for p in people_ids for v in visits[p])
        companions = defaultdict(set)
        if own_visit_ids:
            cr.execute("""
                SELECT r.visit_id, r.partner_id
                  FROM attribution_visit_companion_rel r
                  JOIN res_partner p ON p.id = r.partner_id
                 WHERE r.visit_id = ANY(%s) AND p.active""", (own_visit_ids,))
            for visit_id, partner_id in cr.fetchall():
                companions[visit_id].add(partner_id)

        # the latest conflict (A6/A7) and the latest B5 decision of each deal
        lead_ids = [deal["id"] for deal in deals]
        firsts = [(deal["people"] + (None, None))[0] for deal in deals]
        seconds = [(deal["people"] + (None, None))[1] for deal in deals]
        cr.execute("""
            SELECT l.lead_id, c.id, c.state
              FROM unnest(%s::int[], %s::int[], %s::int[]) AS l(lead_id, p1, p2)
             CROSS JOIN LATERAL (
                    SELECT id, state FROM attribution_conflict
                     WHERE lead_id = l.lead_id OR partner_id = l.p1 OR partner_id = l.p2
                     ORDER BY create_date DESC, id DESC LIMIT 1) c""",
                   (lead_ids, firsts, seconds))
        conflicts = {lead_id: (conflict_id, state)
                     for lead_id, conflict_id, state in cr.fetchall()}
        conflict_shares = defaultdict(list)
        if conflicts:
            cr.execute("""
                SELECT conflict_id, user_id, role, performance_share, bonus_share
                  FROM attribution_conflict_share WHERE conflict_id = ANY(%s)
                 ORDER BY conflict_id, id""",
                       (sorted({c for c, _state in conflicts.values()}),))
            for row in cr.fetchall():
                conflict_shares[row[0]].append(row[1:])
        cr.execute("""
            SELECT l.lead_id, d.previous_owner_id
              FROM unnest(%s::int[], %s::int[], %s::int[]) AS l(lead_id, p1, p2)
             CROSS JOIN LATERAL (
                    SELECT previous_owner_id FROM attribution_decision
                     WHERE (partner_id = l.p1 OR partner_id = l.p2) AND rule_code = 'B5'
                     ORDER BY create_date DESC, id DESC LIMIT 1) d""",
                   (lead_ids, firsts, seconds))
        reassigned = dict(cr.fetchall())

        # B2: the opportunities of the buyers' relatives (ORM: record rules, active)
        b3a_others = set()
        for deal in deals:
            buyer = partners.get(deal["buyer"])
            if deal["row"]["unit_count"] == 1 and buyer and buyer.owner_id:
                b3a_others.update(rel.related for rel in relations[deal["buyer"]]
                                  if rel.relation_type in NON_KIN_TYPES)
        deals_of = defaultdict(set)
        if b3a_others:
            others = sorted(b3a_others)
            found = self.env["crm.lead"].search([
                ("type", "=", "opportunity"), "|", ("partner_id", "in", others),
                ("buyer_partner_id", "in", others)])
            if found:
                cr.execute("SELECT id, partner_id, buyer_partner_id FROM crm_lead "
                           "WHERE id = ANY(%s)", (found.ids,))
                for lead_id, partner_id, buyer_id in cr.fetchall():
                    for partner in {partner_id, buyer_id} & b3a_others:
                        deals_of[partner].add(lead_id)

        def days(partner_ids):
            return {v.stamp[:10] for p in partner_ids for v in visits[p]}

        def owner_of(partner_id):
            partner = partners.get(partner_id)
            return partner.owner_id if partner else None

        result, used = {}, {}
        for deal in deals:
            row, people, closer = deal["row"], deal["people"], deal["closer"]
            won_date = deal["won_date"]
            user_ids = used[deal["id"]] = set()

            def uid(user_id):
                if user_id:
                    user_ids.add(user_id)
                return user_id or None

            uid(deal["owner"])
            uid(closer)
            # conflict (A6, A7)
            conflict_id, conflict_state = conflicts.get(deal["id"], (None, None))
            shares = tuple(
                policy.Share(uid(user_id), role, _pct(perf), _pct(bonus), "A6")
                for user_id, role, perf, bonus in conflict_shares.get(conflict_id, ()))

            # A9 group buyer
            co_owners = set()
            if deal["buyer_is_company"]:
                for member in members.get(deal["company"], ()):
                    co_owners |= claimants.get(member, set())
                    if visits[member]:
                        co_owners |= {v.owner_id for v in visits[member]}
                        co_owners.add(owner_of(member))
            co_owner_ids = tuple(sorted(uid(u) for u in co_owners if u))

            rels = sorted((rel for p in people for rel in relations[p]),
                          key=lambda rel: rel.seq)
            deal_relations = [rel for rel in rels if rel.related not in people]
            kin_relations = [rel for rel in deal_relations if rel.is_direct_kin]

            # A9 family joint visit
            own_visits = [v for p in people for v in visits[p]]
            kin = {rel.related for rel in kin_relations}
            seen_with = set().union(*(companions[v.id] for v in own_visits)) \
                if own_visits else set()
            family_joint_visit = bool(
                kin and (seen_with & kin or days(people) & days(kin)))

            # B1 direct kin with an earlier first visit, owned by another consultant
            original = None
            kin_direct = confirmed = False
            reported = None
            buyer_first = min([v.stamp for v in own_visits] or ["9999"])
            candidates = []
            for rel in kin_relations:
                kin_owner = owner_of(rel.related)
                if not kin_owner or kin_owner == closer:
                    continue
                stamps = [v.stamp for v in visits[rel.related]]
                if stamps and min(stamps) < buyer_first:
                    candidates.append((min(stamps), rel.id, rel))
            if candidates:
                rel = sorted(candidates)[0][2]
                kin_partner = partners[rel.related]
                original = uid(kin_partner.owner_id)
                kin_direct = True
                confirmed = bool(rel.confirmed_date) and rel.confirmed_date == won_date
                if (kin_partner.intent_class and kin_partner.intent_reported_date
                        and kin_partner.intent_reported_date < won_date):
                    reported = kin_partner.intent_class

            # A15 relative or friend of a contact who never visited, with evidence
            contact_evidence = False
            if original is None:
                for rel in deal_relations:
                    if rel.relation_type not in NON_KIN_TYPES or not rel.evidence:
                        continue
                    contact_owner = owner_of(rel.related)
                    if (contact_owner and contact_owner != closer
                            and not visits[rel.related]):
                        original = uid(contact_owner)
                        contact_evidence = True
                        break

            # B5 complaint reassignment
            reassigned_from = uid(reassigned.get(deal["id"]))

            # B3a non-kin relatives on different days with different consultants
            buyer_owner = None
            buyer_consultant = owner_of(deal["buyer"])
            if row["unit_count"] == 1 and buyer_consultant:
                buyer_days = days([deal["buyer"]])
                for rel in relations[deal["buyer"]]:
                    if rel.relation_type not in NON_KIN_TYPES:
                        continue
                    other_days = days([rel.related])
                    # B2: a relative with an opportunity of their own buys their own
                    own_deal = deals_of[rel.related] - {deal["id"]}
                    other_owner = owner_of(rel.related)
                    if (not own_deal and buyer_days and other_days
                            and not buyer_days & other_days
                            and other_owner and other_owner != buyer_consultant):
                        buyer_owner = uid(buyer_consultant)
                        break

            result[deal["id"]] = policy.DealFacts(
                owner_id=deal["owner"],
                closer_id=closer,
                revenue=row["revenue"],
                bonus_rate=row["bonus_rate"],
                conflict_state=conflict_state or None,
                conflict_shares=shares,
                buyer_is_company=deal["buyer_is_company"],
                unit_count=row["unit_count"],
                co_owner_ids=co_owner_ids,
                family_joint_visit=family_joint_visit,
                original_id=original,
                kin_direct=kin_direct,
                kin_confirmed_on_win_day=confirmed,
                original_reported_class=reported,
                contact_evidence=contact_evidence,
                reassigned_from_id=reassigned_from,
                buyer_owner_id=buyer_owner,
                names={},
            )

        # the names of the consultants in the facts, for the explanations
        all_users = sorted(set().union(*used.values())) if used else []
        names = {}
        if all_users:
            cr.execute("SELECT u.id, p.name FROM res_users u "
                       "JOIN res_partner p ON p.id = u.partner_id WHERE u.id = ANY(%s)",
                       (all_users,))
            names = dict(cr.fetchall())
        for lead_id, facts in result.items():
            facts.names.update({u: names.get(u) for u in used[lead_id]})
        return result

    # ------------------------------------------------------------------ splitting

    def _attribution_split_error(self, error):
        """A policy ``ShareError`` as the user's ``UserError``."""
        return UserError(_("The split lines of %s cannot be saved: %s") % (
            self.display_name, error.message_en))

    def _attribution_shares_of(self, lines):
        return tuple(
            policy.Share(line.user_id.id or None, line.role,
                         _pct(line.performance_share), _pct(line.bonus_share),
                         line.rule_code or "A1")
            for line in lines)

    def _attribution_check_totals(self, lines):
        """Performance and bonus each sum to exactly 100 (UserError otherwise)."""
        self.ensure_one()
        return self._attribution_check_share_totals(self._attribution_shares_of(lines))

    def _attribution_check_share_totals(self, shares):
        """:meth:`_attribution_check_totals` on the shares of the lines."""
        self.ensure_one()
        for column, label in (("performance_share", _("Performance")),
                              ("bonus_share", _("Bonus"))):
            total = sum((getattr(share, column) for share in shares), Decimal(0))
            if total != 100:
                raise UserError(_(
                    "%s shares of %s sum to %s%%; they must sum to exactly 100%%. "
                    "Nothing was saved.") % (label, self.display_name,
                                             policy.fmt_pct(total)))
        try:
            policy.validate_shares(shares)
        except policy.ShareError as error:
            raise self._attribution_split_error(error)
        return shares

    def _attribution_amount_vals(self, shares, revenue=None, bonus_rate=None):
        """``[(share, performance amount, bonus amount)]`` of the deal; ``revenue`` and
        ``bonus_rate`` (Decimal) default to the deal's and its team's."""
        if revenue is None:
            revenue = Decimal("%.2f" % (self.planned_revenue or 0.0))
        if bonus_rate is None:
            bonus_rate = Decimal("%.3f" % (self.team_id.attribution_bonus_rate or 0.0))
        try:
            allocated = policy.allocate_amounts(shares, revenue, bonus_rate)
        except policy.ShareError as error:
            raise self._attribution_split_error(error)
        return [(share, float(perf), float(bonus)) for share, perf, bonus in allocated]

    def _attribution_after_split_edit(self):
        """After a manager edited split lines: check each lead; amounts follow."""
        for lead in self:
            lines = lead.split_line_ids.sorted("id")
            if not lines:
                continue
            shares = lead._attribution_check_totals(lines)
            computing = lines.with_context(**{SPLIT_COMPUTE_CTX: True})
            for line, (_share, perf, bonus) in zip(
                    computing, lead._attribution_amount_vals(shares)):
                if (line.performance_amount, line.bonus_amount) != (perf, bonus):
                    line.write({"performance_amount": perf, "bonus_amount": bonus})

    def _attribution_compute_splits(self):
        """Write the split lines of the deals (runs with the caller's rights).

        The deals are split in chunks of :data:`SPLIT_CHUNK`: the facts of a chunk are
        gathered together (:meth:`_prepare_deals_facts`), every decision is taken before
        anything is written (a rule that cannot be applied raises ``UserError`` with
        nothing saved), then the lines are written in bulk
        (:meth:`_attribution_write_split_plan`). Same lines as deal by deal: lines
        edited by a manager are kept, only their amounts and date follow; computing
        again changes nothing; the B1 make-up reception is given once per deal.
        """
        ids = list(OrderedDict.fromkeys(self.ids))
        for start in range(0, len(ids), SPLIT_CHUNK):
            # a prefetch set per chunk: see _prepare_deals_facts
            chunk = self.browse(ids[start:start + SPLIT_CHUNK]).with_prefetch()
            chunk._attribution_compute_splits_chunk()
        return True

    def _attribution_compute_splits_chunk(self):
        cr = self.env.cr
        lang = (self.env.context.get("lang") or self.env.user.lang or "en_US")
        deals = self._attribution_deal_rows()
        missing = self - self.browse(list(deals))
        if missing:
            # deleted deals: the ORM's MissingError, as reading them always gave
            missing.mapped("name")
        existing = defaultdict(list)
        cr.execute("""
            SELECT id, lead_id, user_id, role, performance_share, bonus_share,
                   performance_amount, bonus_amount, rule_code, explanation, date,
                   manual
              FROM attribution_split_line WHERE lead_id = ANY(%s) ORDER BY id""",
                   (self.ids,))
        for row in cr.dictfetchall():
            existing[row.pop("lead_id")].append(_line_vals(row))
        automatic = self.filtered(
            lambda lead: not any(row["manual"] for row in existing[lead.id]))
        facts = automatic._prepare_deals_facts(deals) if automatic else {}
        settings = {}
        inserts, updates, deletes = [], [], []
        rule_codes = defaultdict(list)
        makeup_credits = []
        for lead in self:
            deal, lines = deals[lead.id], existing[lead.id]
            won_date = deal["won_date"]
            if lead.id not in facts:
                # A manager took over this split: keep every line, only amounts follow.
                shares = lead._attribution_check_share_totals(tuple(
                    policy.Share(row["user_id"] or None, row["role"],
                                 _pct(row["performance_share"]),
                                 _pct(row["bonus_share"]), row["rule_code"] or "A1")
                    for row in lines))
                amounts = lead._attribution_amount_vals(
                    shares, deal["revenue"], deal["bonus_rate"])
                for row, (_share, perf, bonus) in zip(lines, amounts):
                    vals = dict(row, performance_amount=perf, bonus_amount=bonus,
                                date=won_date)
                    if vals != row:
                        updates.append(vals)
                continue
            company = deal["company_id"]
            if company not in settings:
                settings[company] = self._attribution_settings_of(
                    self.env["res.company"].browse(company))
            try:
                decision = policy.compute_shares(facts[lead.id], settings[company])
            except policy.ShareError as error:
                raise lead._attribution_split_error(error)
            # both languages, the reader's first: the office reads Chinese, the
            # developer's auditors may not
            texts = (decision.explanation_zh, decision.explanation_en)
            explanation = "\n".join(texts if lang.startswith("zh") else texts[::-1])
            by_key = {(row["user_id"] or None, row["role"]): row for row in lines}
            keep = set()
            for share, perf, bonus in lead._attribution_amount_vals(
                    decision.shares, deal["revenue"], deal["bonus_rate"]):
                vals = {
                    "user_id": share.user_id or False,
                    "role": share.role,
                    "performance_share": float(share.performance_share),
                    "bonus_share": float(share.bonus_share),
                    "performance_amount": perf,
                    "bonus_amount": bonus,
                    "rule_code": share.rule_code,
                    "explanation": explanation,
                    "date": won_date,
                    "manual": False,
                }
                row = by_key.get((share.user_id, share.role))
                if row:
                    keep.add(row["id"])
                    vals["id"] = row["id"]
                    if vals != row:
                        updates.append(vals)
                else:
                    inserts.append(dict(vals, lead_id=lead.id,
                                        currency_id=deal["currency_id"] or False,
                                        team_id=deal["team_id"] or False,
                                        partner_id=deal["partner_id"] or False))
            deletes.extend(row["id"] for row in lines if row["id"] not in keep)
            if deal["attribution_split_rule_code"] != decision.rule_code:
                rule_codes[decision.rule_code].append(lead.id)
            credit = decision.makeup_credit_user_id
            if credit and not deal["attribution_makeup_credited"]:
                makeup_credits.append((lead, credit))
        # every decision is taken: write them all or nothing
        try:
            with cr.savepoint():
                self._attribution_write_split_plan(inserts, updates, deletes)
                self._attribution_write_rule_codes(rule_codes)
                # B1 confirmed: rare and once per deal, the chatter says who is owed
                for lead, user_id in makeup_credits:
                    lead._attribution_give_makeup_credit(user_id)
        except Exception:
            # the savepoint undid the writes; the cache must forget them too
            self.invalidate_cache()
            raise
        return True

    def _attribution_write_rule_codes(self, rule_codes):
        """``attribution_split_rule_code`` of the leads ``{code: [lead ids]}``.

        A readonly code nothing depends on, written in one statement: an ORM write
        per code would go through mail.thread tracking, which reads every lead of
        the chunk again. Access rights and record rules checked as the ORM would.
        """
        if not rule_codes:
            return
        lead_ids = [lead_id for ids in rule_codes.values() for lead_id in ids]
        self.check_access_rights("write")
        self.browse(lead_ids).check_access_rule("write")
        execute_values(self.env.cr, """
            UPDATE crm_lead AS l
               SET attribution_split_rule_code = v.code, write_uid = v.uid,
                   write_date = (now() AT TIME ZONE 'UTC')
              FROM (VALUES %s) AS v(id, code, uid) WHERE l.id = v.id""",
                       [(lead_id, code, self.env.uid)
                        for code, ids in sorted(rule_codes.items())
                        for lead_id in ids],
                       template="(%s::int, %s::varchar, %s::int)")
        self.invalidate_cache(
            ["attribution_split_rule_code", "write_uid", "write_date"], lead_ids)

    def _attribution_write_split_plan(self, inserts, updates, deletes):
        """Write the split lines decided for a chunk of deals, in bulk.

        ``inserts``: vals of new lines, with their stored related fields (the lead's
        ``currency_id``, ``team_id`` and ``partner_id``); ``updates``: all the vals of
        lines whose values changed (with ``id``); ``deletes``: ids of automatic lines
        no rule gives any more. One statement each: the ORM creates one record per
        call and its unlink recomputes the related fields of the deleted lines. Access
        rights and record rules are checked as the ORM would; the cache forgets the
        lines afterwards. Nothing refers to split lines (no xmlids, attachments or
        properties on lines the rules wrote), so a plain DELETE loses nothing.
        """
        Line = self.env["attribution.split.line"]
        cr = self.env.cr
        columns = ("user_id", "role", "performance_share", "bonus_share",
                   "performance_amount", "bonus_amount", "rule_code", "explanation",
                   "date", "manual")
        casts = ("int", "varchar", "numeric", "numeric", "numeric", "numeric",
                 "varchar", "text", "date", "boolean")

        def values(vals, names):
            return tuple(None if vals[name] is False and name != "manual"
                         else vals[name] for name in names)

        if deletes:
            Line.check_access_rights("unlink")
            Line.browse(deletes).check_access_rule("unlink")
            cr.execute("DELETE FROM attribution_split_line WHERE id = ANY(%s)",
                       (deletes,))
            Line.invalidate_cache(ids=deletes)
        if updates:
            Line.check_access_rights("write")
            for vals in updates:
                check_vals(Line, vals)
            ids = [vals["id"] for vals in updates]
            Line.browse(ids).check_access_rule("write")
            # column names from the constant tuple above, values as parameters
            execute_values(cr, """
                UPDATE attribution_split_line AS l
                   SET {sets}, write_uid = v.write_uid,
                       write_date = (now() AT TIME ZONE 'UTC')
                  FROM (VALUES %s) AS v(id, {names}, write_uid)
                 WHERE l.id = v.id""".format(
                sets=", ".join("{0} = v.{0}".format(name) for name in columns),
                names=", ".join(columns)),
                [(vals["id"],) + values(vals, columns) + (self.env.uid,)
                 for vals in updates],
                template="(%s::int, {}, %s::int)".format(
                    ", ".join("%s::" + cast for cast in casts)),
                page_size=1000)
            Line.invalidate_cache(ids=ids)
        if inserts:
            Line.check_access_rights("create")
            for vals in inserts:
                check_vals(Line, vals)
            names = ("lead_id", "currency_id", "team_id", "partner_id") + columns
            # column names from the constant tuples above, values as parameters
            insert_sql = """
                INSERT INTO attribution_split_line
                       ({names}, create_uid, create_date, write_uid, write_date)
                VALUES %s RETURNING id""".format(names=", ".join(names))
            rows = execute_values(
                cr, insert_sql,
                [values(vals, names) + (self.env.uid, self.env.uid)
                 for vals in inserts],
                template="({}, %s, (now() AT TIME ZONE 'UTC'), %s, "
                         "(now() AT TIME ZONE 'UTC'))".format(
                             ", ".join(["%s"] * len(names))),
                page_size=1000, fetch=True)
            Line.browse([row[0] for row in rows]).check_access_rule("create")
        if updates or inserts or deletes:
            self.invalidate_cache(["split_line_ids"], self.ids)

    def _attribution_give_makeup_credit(self, user_id):
        """B1 confirmed: the closer's rotation member is owed one reception, once."""
        self.ensure_one()
        Member = self.env["attribution.rotation.member"]
        member = Member.search([("user_id", "=", user_id),
                                ("rotation_id.team_id", "=", self.team_id.id)], limit=1)
        if not member:
            member = Member.search([("user_id", "=", user_id)], limit=1)
        if member:
            member.makeup_credits += 1
        self.with_context(**{SPLIT_COMPUTE_CTX: True}).write(
            {"attribution_makeup_credited": True})
        user = self.env["res.users"].browse(user_id)
        self.message_post(body=_(
            "B1: %s gave up this kin customer's deal to the original consultant and is "
            "owed one make-up reception.") % user.name)
