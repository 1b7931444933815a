from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..attribution import ownership as policy
from ..attribution import project_access, terms

#: ``state`` values of ``terms.CONFLICT_STATES`` with their labels
CONFLICT_STATES = terms.selection(terms.CONFLICT_STATES, {
    "negotiation": "Negotiation",
    "agreed": "Agreed",
    "ruled": "Ruled",
    "accepted": "Accepted",
    "escalated": "Escalated",
    "forfeited": "Forfeited",
})
#: list order: what waits for someone first, escalations on top, final ones last
STATE_ORDER = ("negotiation", "escalated", "agreed", "ruled", "accepted", "forfeited")
#: buttons only a manager may press (A6 ruling, A7 forfeit).
MANAGER_ACTIONS = ("action_rule", "action_forfeit")
#: a claimant who is not a manager writes only the winner of their agreement while
#: negotiating (``action_agree`` needs it) and the fields of the mail mixins
#: (followers, messages, activities) starting with these: their chatter
CHATTER_PREFIXES = ("message_", "activity_")


class AttributionConflict(models.Model):
    _name = "attribution.conflict"
    _description = "Ownership Conflict"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "state_order, create_date desc, id desc"

    name = fields.Char(
        required=True, readonly=True, copy=False, default="/",
        help="Reference of the collision (撞单).")
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True,
        ondelete="restrict", track_visibility="onchange")
    lead_id = fields.Many2one(
        "crm.lead", string="Opportunity", index=True, ondelete="set null",
        track_visibility="onchange")
    team_id = fields.Many2one("crm.team", string="Project", index=True)
    visit_id = fields.Many2one(
        "attribution.visit", string="Visit", ondelete="set null",
        help="The visit on which the collision was found.")
    claimant_ids = fields.Many2many(
        "res.users", "attribution_conflict_claimant_rel", "conflict_id", "user_id",
        string="Claimants", help="Consultants claiming the customer.")
    proposed_owner_id = fields.Many2one(
        "res.users", string="Proposed Owner", track_visibility="onchange",
        help="A10: the consultant of the earliest registration, proposed by the rules.")
    proposal_reason = fields.Text(
        help="Why the rules propose this owner (rule code and facts).")
    state = fields.Selection(
        CONFLICT_STATES, required=True, default="negotiation", readonly=True,
        track_visibility="onchange", index=True,
        help="A6: consultants negotiate; an agreement goes to the manager to approve, "
             "otherwise the manager rules. A7: refused rulings are escalated to the "
             "company and the deal's performance is forfeited.")
    state_order = fields.Integer(compute="_compute_state_order", store=True)
    winner_id = fields.Many2one(
        "res.users", string="Winner", track_visibility="onchange",
        help="Consultant who owns the customer by agreement or ruling.")
    agreed_user_ids = fields.Many2many(
        "res.users", "attribution_conflict_agreed_rel", "conflict_id", "user_id",
        string="Agreed By", readonly=True, copy=False,
        help="A6: claimants who gave way to the named winner. The agreement is "
             "recorded once every claimant but the winner (and those who left the "
             "office) has agreed; naming another winner asks everyone again.")
    ruling_note = fields.Text(track_visibility="onchange")
    ruled_by_id = fields.Many2one("res.users", string="Ruled By", readonly=True)
    ruling_date = fields.Datetime(readonly=True)
    deliberate = fields.Boolean(
        string="Deliberate Poaching", track_visibility="onchange",
        help="A8: the manager finds the customer was taken deliberately; the poacher "
             "gets a class A violation and a dismissal proposal.")
    poacher_id = fields.Many2one(
        "res.users", string="Poacher", track_visibility="onchange",
        help="A8: the consultant who took the customer deliberately; default: the "
             "claimant who did not win.")
    share_line_ids = fields.One2many(
        "attribution.conflict.share", "conflict_id", string="Shares",
        help="Performance and bonus shares of the ruling; each column sums to 100.")
    decision_ids = fields.One2many(
        "attribution.decision", "conflict_id", string="Decisions", readonly=True)

    @api.depends("state")
    def _compute_state_order(self):
        for conflict in self:
            conflict.state_order = STATE_ORDER.index(conflict.state) \
                if conflict.state in STATE_ORDER else len(STATE_ORDER)

    @api.model
    def create(self, vals):
        if vals.get("name", "/") == "/":
            vals["name"] = self.env["ir.sequence"].next_by_code(
                "attribution.conflict") or "/"
        return super().create(vals)

    @api.multi
    def write(self, vals):
        self._check_project()
        self._check_manager_fields(vals)
        # consents were given to a winner: naming another one asks everyone again
        renamed = self.filtered(
            lambda c: "winner_id" in vals and "agreed_user_ids" not in vals
            and c.sudo().agreed_user_ids
            and c.winner_id.id != (vals["winner_id"] or False))
        res = super().write(vals)
        if renamed:
            # sudo: the consents are the rule book's record, not the claimant's field
            renamed.sudo().write({"agreed_user_ids": [(5,)]})
        if (vals.get("deliberate") or vals.get("poacher_id")) and \
                not self.env.context.get(terms.CTX_POACHING_RECORDED):
            self.filtered(lambda c: c.deliberate and c.state in terms.SETTLED)\
                ._record_poaching()
        return res

    def _is_manager(self):
        """Whether the user rules these conflicts: the superuser, or a sales manager
        of every project of them (a manager of no project: of every project). A
        manager claiming in a conflict of another project is a claimant there."""
        if self.env.uid == SUPERUSER_ID:
            return True
        user = self.env.user
        return user.has_group("sales_attribution.group_manager") and \
            project_access.may_manage(user._attribution_reach(),
                                      self.sudo().mapped("team_id").ids)

    def _check_project(self):
        """A manager acts only on the conflicts of the projects they manage, or on
        those they claim in (as a claimant): ``AccessError`` in the user's language
        naming the project otherwise."""
        user = self.env.user
        for conflict in self.sudo():
            if user not in conflict.claimant_ids:
                user._attribution_check_projects(
                    conflict.team_id, _("conflict %s") % conflict.name)

    def _check_manager_fields(self, vals):
        if "state" in vals and self.env.uid != SUPERUSER_ID:
            raise AccessError(_("The state of a conflict changes only through its "
                                "buttons (agree, rule, accept, escalate, forfeit)."))
        if self._is_manager():
            return
        # everything but the chatter is the rule book's or the manager's: the
        # claimants only name whom they agreed on (A6)
        restricted = {name for name in vals
                      if not name.startswith(CHATTER_PREFIXES)}
        if restricted == {"winner_id"} and all(
                c.state == "negotiation" for c in self):
            return  # the claimants name whom they agreed on
        if restricted:
            raise AccessError(_("Only a sales manager may change the ruling of a "
                                "conflict (%s).") % ", ".join(sorted(restricted)))

    def _check_manager_action(self, action):
        if action in MANAGER_ACTIONS and not self._is_manager():
            raise AccessError(_("Only a sales manager may rule a conflict or forfeit "
                                "it to the company."))

    def _check_transition(self, action):
        self._check_project()
        self._check_manager_action(action)
        allowed = terms.CONFLICT_STEPS[action][0]
        for conflict in self:
            if conflict.state not in allowed:
                states = dict(self._fields["state"]._description_selection(self.env))
                raise UserError(_("Conflict %s is %s: this step is only possible when "
                                  "it is %s.") % (
                    conflict.name, states[conflict.state],
                    " / ".join(states[s] for s in allowed)))

    def _check_shares(self):
        for conflict in self:
            lines = conflict.share_line_ids
            if not lines:
                continue
            for column, label in (("performance_share", _("Performance")),
                                  ("bonus_share", _("Bonus"))):
                total = round(sum(lines.mapped(column)), 2)
                if total != 100:
                    raise UserError(_("%s shares of conflict %s sum to %s, not "
                                      "100.") % (
                        label, conflict.name, total))

    def _set_state(self, action, extra=None):
        """Take the step of button ``action`` (``terms.CONFLICT_STEPS``), writing
        ``extra`` with the new state, and apply its effects."""
        self._check_transition(action)
        vals = dict(extra or {}, state=terms.CONFLICT_STEPS[action][1])
        # sudo: the transition was checked above (state and rights); claimants may not
        # write the ruling fields directly.
        self.sudo().write(vals)
        self._apply_state()
        return True

    # ------------------------------------------------------------------ effects

    @api.model
    def _schedule_activity(self, record, user, summary, note):
        """A to-do ``mail.activity`` for ``user`` on ``record``."""
        # sudo: the user causing it may not write on the record or on the assignee's
        # activities.
        return self.env["mail.activity"].sudo().create({
            "res_model_id": self.env["ir.model"]._get(record._name).id,
            "res_id": record.id,
            "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
            "user_id": user.id,
            "summary": summary,
            "note": note,
        })

    def _ruling_decision(self):
        """The policy's wording of this conflict's outcome (A6 winner, A7 company)."""
        self.ensure_one()
        conflict = self.sudo()
        owner = conflict.partner_id._attribution_row(conflict.team_id).owner_id
        users = conflict.claimant_ids | conflict.winner_id | owner
        facts = policy.VisitFacts(
            kind="walk_in",
            visit_datetime=fields.Datetime.from_string(fields.Datetime.now()),
            current_owner_id=owner.id or None,
            ruling=policy.Ruling(state=conflict.state,
                                 winner_id=conflict.winner_id.id or None),
            names={u.id: u.name for u in users})
        company = conflict.team_id.company_id or self.env.user.company_id
        return policy.decide(
            facts, company._attribution_ownership_settings(conflict.team_id))

    def _apply_state(self):
        """Effects of the state just reached: decisions (A6/A7), notices (A7), A8."""
        for conflict in self:
            state = conflict.state
            if state in terms.SETTLED + ("forfeited",):
                decision = conflict._ruling_decision()
                if decision.rule_code in ("A6", "A7") and (
                        state == "forfeited" or decision.owner_id):
                    zh, en = decision.explanation_zh, decision.explanation_en
                    if conflict.ruling_note:
                        zh = "%s 裁决说明:%s" % (zh, conflict.ruling_note)
                        en = "%s Ruling note: %s" % (en, conflict.ruling_note)
                    owner = self.env["res.users"].browse(decision.owner_id or [])
                    self.env["attribution.decision"]._log(
                        conflict.partner_id, owner, decision.rule_code, zh, en,
                        lead=conflict.lead_id or None, conflict=conflict)
                if state in terms.SETTLED and conflict.deliberate:
                    conflict._record_poaching()
            manager = conflict.sudo().team_id.user_id
            if state in terms.TO_RULE and manager:  # now waiting for the manager
                summary = _("Conflict %s escalated to the company") if \
                    state == "escalated" else _("Conflict %s: agreement to approve")
                self._schedule_activity(conflict, manager, summary % conflict.name,
                                        conflict.sudo().proposal_reason or "")
        return True

    def _default_poacher(self):
        self.ensure_one()
        losers = self.claimant_ids - self.winner_id
        return losers if len(losers) == 1 else self.env["res.users"]

    def _record_poaching(self):
        """A8: deliberate poaching: class A violation and a dismissal proposal."""
        for conflict in self.sudo():
            poacher = conflict.poacher_id or conflict._default_poacher()
            if not poacher:
                raise UserError(_("Name the consultant who poached the customer of "
                                  "conflict %s.") % conflict.name)
            if not conflict.poacher_id:
                conflict.with_context(**{terms.CTX_POACHING_RECORDED: True}).write(
                    {"poacher_id": poacher.id})
            # record() is idempotent and itself proposes the dismissal to the manager
            self.env["attribution.violation"]._record(
                poacher, "poaching", "attribution.conflict,%d" % conflict.id,
                description=_("A8: deliberate poaching in conflict %s.")
                % conflict.name,
                rule_code="A8", fault_class="a", team=conflict.team_id)
        return True

    @api.multi
    def action_agree(self):
        """A6: the consultants agreed among themselves; the manager approves next.

        A claimant gives way to a winner other than themselves and among the
        claimants (their consent is kept in ``agreed_user_ids``); the conflict is
        ``agreed`` once every claimant but the winner has given way (claimants who
        left the office are not waited for), so with three claimants two must agree.
        The manager records the agreement for anyone at once. ``UserError``
        otherwise: no consultant wins a conflict on their own word, nor on one
        colleague's."""
        self._check_project()
        manager = self._is_manager()
        self._check_transition("action_agree")
        for conflict in self:
            if not conflict.winner_id:
                raise UserError(_("Name the consultant you agreed on before recording "
                                  "the agreement."))
            if not manager and (conflict.winner_id == self.env.user or
                                conflict.winner_id not in conflict.claimant_ids or
                                self.env.user not in conflict.claimant_ids):
                raise UserError(_("The agreement on conflict %s is recorded by the "
                                  "consultant who gives the customer up, for another "
                                  "claimant, or by the manager.") % conflict.name)
        if manager:
            return self._set_state("action_agree")
        ready = self.browse()
        for conflict in self.sudo():
            # sudo: a claimant records their own consent, nothing else
            conflict.write({"agreed_user_ids": [(4, self.env.uid)]})
            waiting = conflict._agreement_waiting_for()
            if waiting:
                conflict.message_post(
                    body=_("%s gives way to %s; the agreement waits for %s.") % (
                        self.env.user.name, conflict.winner_id.name,
                        ", ".join(waiting.mapped("name"))),
                    author_id=self.env.user.partner_id.id, subtype="mail.mt_note")
            else:
                ready |= conflict
        if ready:
            self.browse(ready.ids)._set_state("action_agree")
        return True

    def _agreement_waiting_for(self):
        """The claimants (``res.users``) whose consent the agreement still needs:
        every claimant but the winner and those who agreed or left the office."""
        self.ensure_one()
        others = self.claimant_ids - self.winner_id - self.agreed_user_ids
        departed = self.env["attribution.rotation"]._departed_user_ids(others.ids)
        return others.filtered(lambda u: u.id not in departed)

    @api.multi
    def action_rule(self):
        """A6: the manager rules who owns the customer, with shares if any."""
        self._check_project()
        for conflict in self:
            if not conflict.winner_id:
                raise UserError(_("A ruling needs a winner."))
        self._check_shares()
        return self._set_state("action_rule", {
            "ruled_by_id": self.env.uid, "ruling_date": fields.Datetime.now()})

    @api.multi
    def action_accept(self):
        """The claimants accept the manager's ruling, or the manager approves the
        claimants' agreement (A6): it is final. A claimant never approves an
        agreement (``AccessError``)."""
        self._check_project()
        if not self._is_manager() and "agreed" in self.mapped("state"):
            raise AccessError(_("Only a sales manager approves the consultants' "
                                "agreement on a conflict (A6)."))
        self._check_shares()
        return self._set_state("action_accept")

    @api.multi
    def action_escalate(self):
        """A7: no agreement and the ruling is not accepted: up to the company."""
        return self._set_state("action_escalate")

    @api.multi
    def action_forfeit(self):
        """A7: the company takes the deal's performance and bonus."""
        return self._set_state("action_forfeit", {"winner_id": False})
