"""Deals (``crm.lead``) of the sales office: the split fields, the won hooks and the
split orchestration.

A deal is won when it is an active opportunity at ``terms.WON_PROBABILITY`` (Odoo 11
``action_set_won`` writes that probability and the won stage; a won stage written
directly does the same through crm's onchange of the probability). Whoever wins it,
its split lines are computed (``_attribution_compute_splits``): the facts are loaded
by ``tools.deal_facts``, decided by ``attribution.splits`` and written by
``attribution.split.line._write_split_plan``.
"""
from collections import OrderedDict, defaultdict
from decimal import Decimal

from psycopg2.extras import execute_values

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import html_escape

from ..attribution import project_access
from ..attribution import splits as policy
from ..attribution import terms
from ..tools import deal_facts
from .attribution_split_line import SPLIT_DEFER_CTX
from .input_guard import check_vals

#: fields of a won deal whose change splits it again
SPLIT_FACT_FIELDS = {"planned_revenue", "team_id", "user_id", "closer_id", "partner_id",
                     "buyer_partner_id", "unit_count"}
#: fields whose change may win or unwin a deal (see ``_attribution_is_won``)
WON_FIELDS = {"probability", "stage_id", "active", "type"}
#: fields of the addon on crm.lead whose careless values are refused clearly
GUARDED_FIELDS = ("unit_count", "buyer_partner_id", "closer_id")
#: deals split together: one query per kind of fact and one bulk write per chunk
SPLIT_CHUNK = 500


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
    attribution_import_fingerprint = fields.Char(
        string="Import Fingerprint", readonly=True, copy=False, index=True,
        help="Identity of the ledger row this deal was imported from (phone, deal "
             "date, consultant, revenue); empty for deals entered in Odoo.")

    _sql_constraints = [
        # a ledger row (attribution.deal.import) is imported once, also by two
        # imports of overlapping files at the same time
        ("attribution_import_fingerprint_uniq",
         "UNIQUE(attribution_import_fingerprint)",
         "This ledger row is already imported."),
    ]

    @api.constrains("unit_count")
    def _check_unit_count(self):
        for lead in self:
            if lead.unit_count < 1:
                raise ValidationError(_("A deal has at least one unit."))

    # ------------------------------------------------------------------ CRUD

    @api.model
    def create(self, vals):
        check_vals(self, vals, GUARDED_FIELDS)
        self._attribution_check_customer_move(vals)
        if vals.get("partner_id") and not vals.get("buyer_partner_id"):
            vals["buyer_partner_id"] = vals["partner_id"]
        lead = super().create(vals)
        if lead._attribution_is_won():
            lead._attribution_on_won()
        return lead

    @api.multi
    def write(self, vals):
        check_vals(self, vals, GUARDED_FIELDS)
        self._attribution_check_customer_move(vals)
        won_before = {lead.id for lead in self if lead._attribution_is_won()}
        rules_write = self.env.context.get(terms.CTX_SPLIT_COMPUTE)
        if "split_line_ids" in vals and not rules_write:
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
        if WON_FIELDS & set(vals):
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

    def _attribution_check_customer_move(self, vals):
        """Refuse a consultant's deal that would give a customer owned by a colleague
        to someone else than the owner (UserError in the user's language, before
        anything is written).

        The registration sheet decides who owns a customer (A1, A10: 客户确认以客户
        登记表为准) and the deal's ``user_id`` is the owner its split pays (SPEC 1). A
        consultant (not a manager) who creates a deal, or writes ``partner_id`` or
        ``user_id`` of one, so that the deal's customer has an owner
        (``attribution_owner_id``) and the deal another salesperson or none (an
        unassigned deal is split to its closer), is refused; a
        customer received by two consultants is settled by registering the visit (the
        rule book opens a conflict) or by the manager. ``vals``: the values of
        ``create`` (``self`` empty: the salesperson defaults as the ORM would) or of
        ``write`` on ``self``.
        """
        if not {"partner_id", "user_id", "team_id"} & set(vals) and self:
            return
        user = self.env.user
        if self.env.uid == SUPERUSER_ID or \
                not user.has_group("sales_attribution.group_consultant") or \
                user.has_group("sales_attribution.group_manager"):
            return
        if self:
            targets = [(vals.get("partner_id", lead.partner_id.id),
                        vals.get("user_id", lead.user_id.id),
                        vals.get("team_id", lead.team_id.id)) for lead in self]
        else:
            defaults = self.default_get(
                [name for name in ("user_id", "team_id") if name not in vals])
            targets = [(vals.get("partner_id")
                        or self.env.context.get("default_partner_id"),
                        vals.get("user_id", defaults.get("user_id")),
                        vals.get("team_id", defaults.get("team_id")))]
        # sudo: the customer's owner in the deal's project is read whatever the
        # consultant may see (a colleague's customer is hidden from them); only its
        # name and the owner's name are shown
        # (a deal without project: the owner of the customer's latest project)
        Partner, Team = self.env["res.partner"].sudo(), self.env["crm.team"].sudo()
        works_in = user._attribution_work_teams()
        for partner_id, user_id, team_id in targets:
            if team_id and team_id not in works_in.ids:
                # a deal is owned and split in its project (issue 14): a consultant
                # holds deals only in the projects they work in
                raise UserError(_(
                    "You do not work in project %s: a deal of that project is for "
                    "its consultants. Ask its sales manager.")
                    % Team.browse(team_id).name)
            partner = Partner.browse(partner_id) if partner_id else None
            if not partner:
                continue
            row = partner._attribution_row(Team.browse(team_id)) if team_id else \
                partner._attribution_current_row()
            owner = row.owner_id
            if owner and owner.id != (user_id or False):
                raise UserError(_(
                    "%s is the customer of %s by the registration sheet (A10): a deal "
                    "for them is %s's and cannot be given to another consultant. If "
                    "you received this customer too, register the visit at the desk "
                    "(the rule book opens a conflict for the manager) or ask the "
                    "sales manager.") % (partner.name, owner.name, owner.name))

    # ------------------------------------------------------------------ won path

    @api.model
    def _attribution_won_domain(self):
        """The domain of won deals (成交): active opportunities at
        ``terms.WON_PROBABILITY``; the one definition every search of won deals uses
        (add ``active_test=False`` to the context to keep the ``active`` term)."""
        return [("active", "=", True), ("type", "=", "opportunity"),
                ("probability", ">=", terms.WON_PROBABILITY)]

    def _attribution_is_won(self):
        """The deal is won (``_attribution_won_domain``, on the record)."""
        self.ensure_one()
        return (self.active and self.type == "opportunity"
                and self.probability >= terms.WON_PROBABILITY)

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
            **{terms.CTX_SPLIT_COMPUTE: True}).unlink()
        leads._attribution_write_rule_codes({None: leads.ids})

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
        reach = self.env.user._attribution_reach()
        if reach is not None:
            # one look at the manager's projects for the whole batch: the deals'
            # projects in one query (an ORM read of team_id cost an eighth of the
            # computation itself), whatever the manager may read of the deals
            self.env.cr.execute("SELECT id, team_id FROM crm_lead WHERE id = ANY(%s)",
                                (self.ids,))
            teams = dict(self.env.cr.fetchall())
            outside = project_access.foreign(
                reach, [teams.get(lead_id) for lead_id in self.ids])
            if outside:
                lead = self.sudo().browse(next(
                    lead_id for lead_id in self.ids
                    if teams.get(lead_id) == outside[0]))
                self.env.user._attribution_check_projects(
                    lead.team_id, _("deal %s") % lead.name)
        self._attribution_compute_splits()
        return True

    # ------------------------------------------------------------------ facts

    @api.model
    def _attribution_split_settings(self, company, team=None):
        """The split rules' settings (``splits.Settings``) of the project ``team``
        (``crm.team``; empty: the company's numbers, see
        ``res.company._attribution_rules``) in ``company`` (``res.company``; the
        user's company when empty)."""
        company = company or self.env.user.company_id
        rules = company._attribution_rules(team)
        return policy.Settings(
            group_units=rules.group_units,
            complaint_split=(rules.complaint_split, 100 - rules.complaint_split),
            relative_split=(rules.relative_split, 100 - rules.relative_split),
            timezone=company._attribution_tz(),
        )

    def _attribution_deal_facts(self):
        """``{lead id: splits.DealFacts}`` of the deals (``tools.deal_facts``)."""
        rows = deal_facts.deal_rows(self.env, list(OrderedDict.fromkeys(self.ids)))
        return deal_facts.load_deal_facts(self.env, rows)

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
            computing = lines.with_context(**{terms.CTX_SPLIT_COMPUTE: True})
            for line, (_share, perf, bonus) in zip(
                    computing, lead._attribution_amount_vals(shares)):
                if (line.performance_amount, line.bonus_amount) != (perf, bonus):
                    line.write({"performance_amount": perf, "bonus_amount": bonus})

    def _attribution_compute_splits(self):
        """Write the split lines of the deals (runs with the caller's rights).

        The deals are split in chunks of :data:`SPLIT_CHUNK`: the facts of a chunk are
        loaded together (``tools.deal_facts``), every decision is taken before
        anything is written (a rule that cannot be applied raises ``UserError`` with
        nothing saved), then the lines are written in bulk
        (``attribution.split.line._write_split_plan``). Same lines as deal by deal:
        lines edited by a manager are kept, only their amounts and date (the office
        date of the win) follow; computing again changes nothing; the B1 make-up
        reception is given once per deal. A deal that no longer exists raises the
        ORM's ``MissingError``.
        """
        ids = list(OrderedDict.fromkeys(self.ids))
        for start in range(0, len(ids), SPLIT_CHUNK):
            # a prefetch set per chunk: the ORM reads of one chunk stay in it
            chunk = self.browse(ids[start:start + SPLIT_CHUNK]).with_prefetch()
            chunk._attribution_compute_splits_chunk()
        return True

    def _attribution_compute_splits_chunk(self):
        """:meth:`_attribution_compute_splits` of one chunk."""
        Line = self.env["attribution.split.line"]
        lang = (self.env.context.get("lang") or self.env.user.lang or "en_US")
        deals = deal_facts.deal_rows(self.env, self.ids)
        missing = self - self.browse(list(deals))
        if missing:
            # deleted deals: the ORM's MissingError, as reading them always gave
            missing.mapped("name")
        existing = Line._rows_by_lead(self.ids)
        automatic = [lead.id for lead in self
                     if not any(row["manual"] for row in existing[lead.id])]
        facts = deal_facts.load_deal_facts(
            self.env, {lead_id: deals[lead_id] for lead_id in automatic})
        settings, won_dates = {}, {}
        inserts, updates, deletes = [], [], []
        rule_codes = defaultdict(list)
        makeup_credits = []
        for lead in self:
            deal, lines = deals[lead.id], existing[lead.id]
            # the deal's project's numbers (its team's overrides, else the company's)
            company = (deal["company_id"], deal["team_id"])
            if company not in settings:
                settings[company] = self._attribution_split_settings(
                    self.env["res.company"].browse(deal["company_id"]),
                    self.env["crm.team"].browse(deal["team_id"]))
            # deals won together share their won instant (date_closed): dated once
            won_key = (deal["won_datetime"], settings[company].timezone)
            if won_key not in won_dates:
                won_dates[won_key] = terms.office_date(*won_key).isoformat()
            won_date = won_dates[won_key]
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
            with self.env.cr.savepoint():
                Line._write_split_plan(inserts, updates, deletes)
                if inserts or updates or deletes:
                    self.invalidate_cache(["split_line_ids"], self.ids)
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
        self.with_context(**{terms.CTX_SPLIT_COMPUTE: True}).write(
            {"attribution_makeup_credited": True})
        user = self.env["res.users"].browse(user_id)
        self.message_post(body=_(
            "B1: %s gave up this kin customer's deal to the original consultant and is "
            "owed one make-up reception.") % user.name)
