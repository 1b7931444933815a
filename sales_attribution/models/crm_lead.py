from decimal import Decimal

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

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


def _value(value):
    """A field value comparable with the one written: ids for records, False for empty."""
    if isinstance(value, models.BaseModel):
        return value.id or False
    return value


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
        help="B1: the closing consultant already received the one make-up reception this "
             "deal is worth; computing the split again does not give a second one.")
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
        """Split the deal when it is won, whoever marks it won.

        sudo(): the consultant who marks the deal won may not write split lines or read
        the other consultants' customers the rules look at; the split follows the rules
        whatever the user may do.
        """
        for lead in self.sudo():
            # a prefetch set of its own per deal: see action_compute_splits
            lead.with_prefetch()._attribution_compute_splits()

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
        for lead in self:
            # A prefetch set of its own per deal: shared, it grows with every visit,
            # relation and line read for the previous deals, and each write's cache
            # invalidation re-reads up to 1000 of them per field (2 leads/s on 10k).
            lead.with_prefetch()._attribution_compute_splits()
        return True

    # ------------------------------------------------------------------ facts

    def _attribution_settings(self):
        company = self.company_id or self.env.user.company_id
        return policy.Settings(
            group_units=company.attribution_group_units,
            complaint_split=(company.attribution_complaint_split,
                             100 - company.attribution_complaint_split),
            relative_split=(company.attribution_relative_split,
                            100 - company.attribution_relative_split),
        )

    def _prepare_deal_facts(self):
        """Gather the :class:`~..attribution.splits.DealFacts` of the deal.

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
        """
        self.ensure_one()
        owner = self.user_id
        closer = self.closer_id or owner
        customer = self.partner_id
        buyer = self.buyer_partner_id or customer
        people = customer | buyer
        won_date = self._attribution_won_date()
        names = {}

        def uid(user):
            if not user:
                return None
            names[user.id] = user.name
            return user.id

        # conflict (A6, A7)
        conflict = self.env["attribution.conflict"].search(
            ["|", ("lead_id", "=", self.id), ("partner_id", "in", people.ids)],
            order="create_date desc, id desc", limit=1)
        conflict_shares = tuple(
            policy.Share(uid(s.user_id), s.role, _pct(s.performance_share),
                         _pct(s.bonus_share), "A6")
            for s in conflict.share_line_ids)

        # A9 group buyer
        company = buyer.commercial_partner_id
        buyer_is_company = bool(buyer.is_company or company.is_company)
        co_owners = self.env["res.users"]
        if buyer_is_company:
            members = company | self.env["res.partner"].search(
                [("id", "child_of", company.id)])
            settled = self.env["attribution.conflict"].search(
                [("partner_id", "in", members.ids),
                 ("state", "in", policy.SETTLED_CONFLICT_STATES)])
            co_owners |= settled.mapped("claimant_ids")
            visits = self.env["attribution.visit"].search(
                [("partner_id", "in", members.ids)])
            co_owners |= visits.mapped("owner_id")
            co_owners |= visits.mapped("partner_id.attribution_owner_id")
        co_owner_ids = tuple(sorted(uid(u) for u in co_owners))

        relations = self.env["attribution.relation"].search(
            [("partner_id", "in", people.ids),
             ("related_partner_id", "not in", people.ids)])
        kin_relations = relations.filtered("is_direct_kin")
        Visit = self.env["attribution.visit"]

        def visit_days(partners):
            return {v.visit_datetime[:10] for v in Visit.search(
                [("partner_id", "in", partners.ids)])}

        # A9 family joint visit
        own_visits = Visit.search([("partner_id", "in", people.ids)])
        kin = kin_relations.mapped("related_partner_id")
        family_joint_visit = bool(
            kin and (own_visits.mapped("companion_partner_ids") & kin
                     or visit_days(people) & visit_days(kin)))

        # B1 direct kin with an earlier first visit, owned by another consultant
        original = None
        kin_direct = confirmed = False
        reported = None
        buyer_first = min(own_visits.mapped("visit_datetime") or ["9999"])
        candidates = []
        for rel in kin_relations:
            kin_partner = rel.related_partner_id
            kin_owner = kin_partner.attribution_owner_id
            if not kin_owner or kin_owner == closer:
                continue
            stamps = Visit.search([("partner_id", "=", kin_partner.id)]).mapped(
                "visit_datetime")
            if stamps and min(stamps) < buyer_first:
                candidates.append((min(stamps), rel.id, rel))
        if candidates:
            rel = sorted(candidates)[0][2]
            kin_partner = rel.related_partner_id
            original = uid(kin_partner.attribution_owner_id)
            kin_direct = True
            confirmed = bool(rel.confirmed_date) and rel.confirmed_date == won_date
            if (kin_partner.intent_class and kin_partner.intent_reported_date
                    and kin_partner.intent_reported_date < won_date):
                reported = kin_partner.intent_class

        # A15 relative or friend of a contact who never visited, with evidence
        contact_evidence = False
        if original is None:
            for rel in relations.filtered(
                    lambda r: r.relation_type in NON_KIN_TYPES and r.evidence):
                contact = rel.related_partner_id
                contact_owner = contact.attribution_owner_id
                if (contact_owner and contact_owner != closer
                        and not Visit.search_count([("partner_id", "=", contact.id)])):
                    original = uid(contact_owner)
                    contact_evidence = True
                    break

        # B5 complaint reassignment
        b5 = self.env["attribution.decision"].search(
            [("partner_id", "in", people.ids), ("rule_code", "=", "B5")],
            order="create_date desc, id desc", limit=1)
        reassigned_from = uid(b5.previous_owner_id)

        # B3a non-kin relatives on different days with different consultants, one unit
        buyer_owner = None
        buyer_consultant = buyer.attribution_owner_id
        if self.unit_count == 1 and buyer_consultant:
            buyer_days = visit_days(buyer)
            for rel in self.env["attribution.relation"].search(
                    [("partner_id", "=", buyer.id),
                     ("relation_type", "in", NON_KIN_TYPES)]):
                other = rel.related_partner_id
                other_days = visit_days(other)
                # B2: a relative with an opportunity of their own buys their own unit
                own_deal = self.search_count([
                    ("id", "!=", self.id), ("type", "=", "opportunity"),
                    "|", ("partner_id", "=", other.id),
                    ("buyer_partner_id", "=", other.id)])
                if (not own_deal and buyer_days and other_days
                        and not buyer_days & other_days
                        and other.attribution_owner_id
                        and other.attribution_owner_id != buyer_consultant):
                    buyer_owner = uid(buyer_consultant)
                    break

        return policy.DealFacts(
            owner_id=uid(owner),
            closer_id=uid(closer),
            revenue=Decimal("%.2f" % (self.planned_revenue or 0.0)),
            bonus_rate=Decimal("%.3f" % (self.team_id.attribution_bonus_rate or 0.0)),
            conflict_state=conflict.state or None,
            conflict_shares=conflict_shares,
            buyer_is_company=buyer_is_company,
            unit_count=self.unit_count,
            co_owner_ids=co_owner_ids,
            family_joint_visit=family_joint_visit,
            original_id=original,
            kin_direct=kin_direct,
            kin_confirmed_on_win_day=confirmed,
            original_reported_class=reported,
            contact_evidence=contact_evidence,
            reassigned_from_id=reassigned_from,
            buyer_owner_id=buyer_owner,
            names=names,
        )

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
        for column, label in (("performance_share", _("Performance")),
                              ("bonus_share", _("Bonus"))):
            total = sum((_pct(v) for v in lines.mapped(column)), Decimal(0))
            if total != 100:
                raise UserError(_(
                    "%s shares of %s sum to %s%%; they must sum to exactly 100%%. "
                    "Nothing was saved.") % (label, self.display_name,
                                             policy.fmt_pct(total)))
        shares = self._attribution_shares_of(lines)
        try:
            policy.validate_shares(shares)
        except policy.ShareError as error:
            raise self._attribution_split_error(error)
        return shares

    def _attribution_amount_vals(self, shares):
        try:
            allocated = policy.allocate_amounts(
                shares, Decimal("%.2f" % (self.planned_revenue or 0.0)),
                Decimal("%.3f" % (self.team_id.attribution_bonus_rate or 0.0)))
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
        """Write the split lines of this deal (runs with the caller's rights)."""
        self.ensure_one()
        Line = self.env["attribution.split.line"].with_context(
            **{SPLIT_COMPUTE_CTX: True})
        lines = self.split_line_ids.sorted("id")
        won_date = self._attribution_won_date()
        if lines.filtered("manual"):
            # A manager took over this split: keep every line, only amounts follow.
            shares = self._attribution_check_totals(lines)
            for line, (_share, perf, bonus) in zip(lines, self._attribution_amount_vals(
                    shares)):
                line.with_context(**{SPLIT_COMPUTE_CTX: True}).write(
                    {"performance_amount": perf, "bonus_amount": bonus,
                     "date": won_date})
            return True
        try:
            decision = policy.compute_shares(
                self._prepare_deal_facts(), self._attribution_settings())
        except policy.ShareError as error:
            raise self._attribution_split_error(error)
        # both languages, the reader's first: the office reads Chinese, the
        # developer's auditors may not
        lang = (self.env.context.get("lang") or self.env.user.lang or "en_US")
        texts = (decision.explanation_zh, decision.explanation_en)
        explanation = "\n".join(texts if lang.startswith("zh") else texts[::-1])
        by_key = {(line.user_id.id or None, line.role): line for line in lines}
        keep = Line
        for share, perf, bonus in self._attribution_amount_vals(decision.shares):
            vals = {
                "lead_id": self.id,
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
            line = by_key.get((share.user_id, share.role))
            if line:
                line = line.with_context(**{SPLIT_COMPUTE_CTX: True})
                changed = {k: v for k, v in vals.items() if _value(line[k]) != v}
                if changed:
                    line.write(changed)
            else:
                line = Line.create(vals)
            keep |= line
        (lines - keep).with_context(**{SPLIT_COMPUTE_CTX: True}).unlink()
        self.with_context(**{SPLIT_COMPUTE_CTX: True}).write(
            {"attribution_split_rule_code": decision.rule_code})
        if decision.makeup_credit_user_id and not self.attribution_makeup_credited:
            self._attribution_give_makeup_credit(decision.makeup_credit_user_id)
        return True

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
