from odoo import _, api, fields, models
from odoo.exceptions import UserError

CONFLICT_STATES = [
    ("negotiation", "Negotiation"),
    ("agreed", "Agreed"),
    ("ruled", "Ruled"),
    ("accepted", "Accepted"),
    ("escalated", "Escalated"),
    ("forfeited", "Forfeited"),
]
#: states whose winner decides ownership from now on (A6); forfeited gives the company.
SETTLED_STATES = ("agreed", "ruled", "accepted")
OPEN_STATES = ("negotiation", "escalated")

#: button -> states it may be pressed in (A6 negotiation and ruling, A7 escalation).
TRANSITIONS = {
    "action_agree": ("negotiation",),
    "action_rule": ("negotiation", "agreed", "escalated"),
    "action_accept": ("agreed", "ruled"),
    "action_escalate": ("negotiation", "agreed", "ruled"),
    "action_forfeit": ("escalated",),
}


class AttributionConflict(models.Model):
    _name = "attribution.conflict"
    _description = "Ownership Conflict"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "state_order, create_date desc, id desc"

    name = fields.Char(
        required=True, readonly=True, copy=False, default="/",
        help="Reference of the collision (撞单).")
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="restrict",
        track_visibility="onchange")
    lead_id = fields.Many2one(
        "crm.lead", string="Opportunity", index=True, ondelete="set null",
        track_visibility="onchange")
    team_id = fields.Many2one("crm.team", string="Sales Team", index=True)
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
    ruling_note = fields.Text(track_visibility="onchange")
    ruled_by_id = fields.Many2one("res.users", string="Ruled By", readonly=True)
    ruling_date = fields.Datetime(readonly=True)
    deliberate = fields.Boolean(
        string="Deliberate Poaching", track_visibility="onchange",
        help="A8: the manager finds the customer was taken deliberately; the poacher gets "
             "a class A violation and a dismissal proposal.")
    share_line_ids = fields.One2many(
        "attribution.conflict.share", "conflict_id", string="Shares",
        help="Performance and bonus shares of the ruling; each column sums to 100.")
    decision_ids = fields.One2many(
        "attribution.decision", "conflict_id", string="Decisions", readonly=True)

    @api.depends("state")
    def _compute_state_order(self):
        order = {"negotiation": 0, "escalated": 1, "agreed": 2, "ruled": 3,
                 "accepted": 4, "forfeited": 5}
        for conflict in self:
            conflict.state_order = order.get(conflict.state, 9)

    @api.model
    def create(self, vals):
        if vals.get("name", "/") == "/":
            vals["name"] = self.env["ir.sequence"].next_by_code(
                "attribution.conflict") or "/"
        return super().create(vals)

    def _check_transition(self, action):
        allowed = TRANSITIONS[action]
        for conflict in self:
            if conflict.state not in allowed:
                states = dict(self._fields["state"]._description_selection(self.env))
                raise UserError(_("Conflict %s is %s: this step is only possible when it "
                                  "is %s.") % (
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
                    raise UserError(_("%s shares of conflict %s sum to %s, not 100.") % (
                        label, conflict.name, total))

    def _set_state(self, action, state, extra=None):
        self._check_transition(action)
        vals = dict(extra or {}, state=state)
        self.write(vals)
        return True

    @api.multi
    def action_agree(self):
        """A6: the consultants agreed among themselves; the manager approves next."""
        for conflict in self:
            if not conflict.winner_id:
                raise UserError(_("Name the consultant you agreed on before recording "
                                  "the agreement."))
        return self._set_state("action_agree", "agreed")

    @api.multi
    def action_rule(self):
        """A6: the manager rules who owns the customer, with shares if any."""
        for conflict in self:
            if not conflict.winner_id:
                raise UserError(_("A ruling needs a winner."))
        self._check_shares()
        return self._set_state("action_rule", "ruled", {
            "ruled_by_id": self.env.uid, "ruling_date": fields.Datetime.now()})

    @api.multi
    def action_accept(self):
        """The claimants accept the agreement or ruling: it is final."""
        self._check_shares()
        return self._set_state("action_accept", "accepted")

    @api.multi
    def action_escalate(self):
        """A7: no agreement and the ruling is not accepted: up to the company."""
        return self._set_state("action_escalate", "escalated")

    @api.multi
    def action_forfeit(self):
        """A7: the company takes the deal's performance and bonus."""
        return self._set_state("action_forfeit", "forfeited", {"winner_id": False})
