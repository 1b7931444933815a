import datetime as _dt

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..attribution import rotation as policy
from ..attribution import terms


class AttributionRotationMember(models.Model):
    _name = "attribution.rotation.member"
    _description = "Rotation Member"
    _order = "rotation_id, sequence, id"
    _rec_name = "user_id"

    rotation_id = fields.Many2one(
        "attribution.rotation", required=True, ondelete="cascade", index=True)
    user_id = fields.Many2one(
        "res.users", string="Consultant", required=True, ondelete="cascade",
        help="A consultant taking walk-ins in this rotation.")
    sequence = fields.Integer(
        default=10, help="Position in the turn order (smaller first).")
    present = fields.Boolean(
        default=True, help="In the showroom now. An absent member is passed over and "
                           "loses that turn (A3).")
    makeup_credits = fields.Integer(
        string="Make-up Credits", default=0,
        help="Extra turns owed to this consultant (B1: after giving up a kin "
             "customer's deal to its original consultant); served before the normal "
             "order.")
    last_assigned = fields.Datetime(
        readonly=True, help="When this member last received a customer from the "
                            "rotation.")
    is_departed = fields.Boolean(
        compute="_compute_is_departed", string="Left the Office",
        help="The consultant was archived or removed from the sales attribution "
             "groups: never served by the rotation, never given a customer. Hand "
             "their customers over (Departed Consultant Handover) and remove them.")

    _sql_constraints = [
        ("user_unique", "unique(rotation_id, user_id)",
         "A consultant appears once in a rotation."),
        ("credits_positive", "CHECK(makeup_credits >= 0)",
         "Make-up credits cannot be negative."),
    ]

    @api.model
    def create(self, vals):
        """A new member goes to the end of the turn order (max + 10) unless given a
        free position, so sequences stay unique and the pointer keeps its meaning."""
        if vals.get("rotation_id"):
            taken = self.search([("rotation_id", "=", vals["rotation_id"])]).mapped(
                "sequence")
            if "sequence" not in vals or vals["sequence"] in taken:
                vals = dict(vals, sequence=max(taken or [0]) + 10)
        return super().create(vals)

    def _compute_is_departed(self):
        departed = self.env["attribution.rotation"]._departed_user_ids(
            self.mapped("user_id").ids)
        for member in self:
            member.is_departed = member.user_id.id in departed

    @api.constrains("rotation_id", "sequence")
    def _check_sequence_unique(self):
        for member in self:
            clash = member.rotation_id.member_ids.filtered(
                lambda m: m.sequence == member.sequence and m != member)
            if clash:
                raise ValidationError(_("Two members of a rotation cannot share turn "
                                        "position %s.") % member.sequence)

    # ------------------------------------------------------------ manager dashboard
    # Non-stored: what the reception queue looks like now (A3, B1) and how each member
    # is doing. Kept at the end of the class so the engine's changes above merge.
    # computed, not related: a related field shows the rotation's label
    team_id = fields.Many2one(
        "crm.team", string="Project", compute="_compute_team_id", store=True,
        readonly=True, index=True,
        help="The project (案场) whose reception this member takes; the member's "
             "counters count this project's visits and performance only.")
    queue_position = fields.Integer(
        compute="_compute_queue_position", string="Queue Position",
        help="Place in the reception queue: 1 is served next (make-up turns first, "
             "then the turn order from the last served). 0: absent, not in the queue.")
    is_next = fields.Boolean(
        compute="_compute_queue_position", string="Next",
        help="This member receives the next walk-in.")
    visits_today = fields.Integer(
        compute="_compute_dashboard_counts", string="Visits Today",
        help="Customers this consultant received today in this project.")
    strike_count = fields.Integer(
        compute="_compute_strike_count", string="Strikes",
        groups="sales_attribution.group_manager",
        help="The consultant's violations in this project within the project's strike "
             "period (A12/A13: at the project's number of strikes, three unless set, "
             "dismissal is proposed). Faults in another project do not count here.")
    month_performance = fields.Float(
        compute="_compute_dashboard_counts", string="Performance This Month",
        groups="sales_attribution.group_manager",
        help="Sum of this month's performance amounts (业绩) of the consultant's split "
             "lines on this project's deals.")

    @api.depends("rotation_id.team_id")
    def _compute_team_id(self):
        for member in self:
            member.team_id = member.rotation_id.team_id

    @api.depends("rotation_id.last_sequence", "rotation_id.member_ids.present",
                 "rotation_id.member_ids.makeup_credits",
                 "rotation_id.member_ids.sequence")
    def _compute_queue_position(self):
        for rotation in self.mapped("rotation_id"):
            try:
                order = policy.queue(rotation._policy_members(), rotation.last_sequence)
            except policy.DuplicateSequence:
                order = []
            for member in self.filtered(lambda m: m.rotation_id == rotation):
                position = order.index(member.user_id.id) + 1 \
                    if member.user_id.id in order else 0
                member.queue_position = position
                member.is_next = position == 1

    def _compute_dashboard_counts(self):
        """Per member, in the member's project (a consultant of several rotations has
        one card per project): customers received today and this month's
        performance amounts (业绩) of the project's deals."""
        # "today" and "this month" are the office's (company time zone), at the
        # context's fixed now (terms.CTX_NOW, UTC) or the clock
        company = self.env.user.company_id
        day = company._attribution_office_date(self.env.context.get(terms.CTX_NOW))
        today = fields.Date.to_string(day)
        month_start = today[:8] + "01"
        users = self.mapped("user_id")
        teams = self.mapped("team_id")
        # sudo: counts for the manager's dashboard; a consultant's record rules would
        # hide the others' visits and lines (amounts are manager-only, see groups).
        visits = self.env["attribution.visit"].sudo().read_group(
            [("receiver_id", "in", users.ids), ("team_id", "in", teams.ids),
             ("visit_datetime", ">=", company._attribution_office_day_start(day))],
            ["receiver_id", "team_id"], ["receiver_id", "team_id"], lazy=False)
        visit_count = {(v["receiver_id"][0], v["team_id"][0]): v["__count"]
                       for v in visits}
        amounts = {}
        if self.env.user.has_group("sales_attribution.group_manager"):
            lines = self.env["attribution.split.line"].sudo().read_group(
                [("user_id", "in", users.ids), ("team_id", "in", teams.ids),
                 ("date", ">=", month_start), ("date", "<=", today)],
                ["user_id", "team_id", "performance_amount"], ["user_id", "team_id"],
                lazy=False)
            amounts = {(ln["user_id"][0], ln["team_id"][0]): ln["performance_amount"]
                       for ln in lines}
        for member in self:
            key = (member.user_id.id, member.team_id.id)
            member.visits_today = visit_count.get(key, 0)
            member.month_performance = amounts.get(key, 0.0)

    def _compute_strike_count(self):
        """Strikes of each member in the member's project now (``terms.CTX_NOW`` or
        the clock), over that project's strike period: one look at the members'
        violations for the whole dashboard."""
        # sudo: the dashboard counts every violation of the project's consultants
        by_user = self.env["attribution.violation"].sudo()._strikes_by_project(
            self.mapped("user_id"))
        for member in self:
            member.strike_count = by_user.get(member.user_id.id, {}).get(
                member.team_id.id or None, 0)

    @api.multi
    def action_toggle_present(self):
        """The manager marks a consultant in or out of the showroom (A3). Returns the
        web client's reload: the whole queue moves, not only this card. Managers
        only (``AccessError``)."""
        self.mapped("rotation_id")._check_desk_manager()
        for member in self:
            member.present = not member.present
        return {"type": "ir.actions.client", "tag": "reload"}

    def _dashboard_action(self, xmlid, domain, context=None):
        self.ensure_one()
        action = self.env.ref(xmlid).read()[0]
        action.update(domain=domain, context=dict(context or {}),
                      name="%s - %s" % (action["name"], self.user_id.name))
        return action

    @api.multi
    def action_open_visits_today(self):
        return self._dashboard_action(
            "sales_attribution.attribution_visit_action",
            [("receiver_id", "=", self.user_id.id), ("team_id", "=", self.team_id.id)],
            {"search_default_today": 1})

    @api.multi
    def action_open_strikes(self):
        """The consultant's violations in this member's project (the strikes the
        card counts: the project's strike period, not the last 30 days)."""
        since = self._strike_window_start()
        return self._dashboard_action(
            "sales_attribution.attribution_violation_action",
            [("user_id", "=", self.user_id.id),
             ("team_id", "=", self.team_id.id or False), ("date", ">", since)],
            {"default_user_id": self.user_id.id, "default_team_id": self.team_id.id})

    def _strike_window_start(self):
        """The office date (Odoo string) before the first day counted by this
        member's strike count: today - the project's strike period."""
        self.ensure_one()
        company = self.user_id.sudo().company_id or self.env.user.company_id
        period = company._attribution_rules(self.team_id).strike_period_days
        today = company._attribution_office_date(self.env.context.get(terms.CTX_NOW))
        return fields.Date.to_string(today - _dt.timedelta(days=period))

    @api.multi
    def action_open_performance(self):
        return self._dashboard_action(
            "sales_attribution.attribution_split_line_action_dashboard",
            [("user_id", "=", self.user_id.id), ("team_id", "=", self.team_id.id)])
