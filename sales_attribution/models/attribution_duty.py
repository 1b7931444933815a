import datetime as _dt

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..attribution import conduct as policy
from ..attribution import terms

DUTY_STATES = [
    ("planned", "Planned"),
    ("on_time", "On Time"),
    ("late", "Late"),
    ("absence", "Absent"),
]


class AttributionDuty(models.Model):
    """A duty shift (值班) of a consultant: on duty 5-10 minutes before the shift."""

    _name = "attribution.duty"
    _description = "Duty Shift"
    _inherit = ["mail.thread"]
    _order = "shift_start desc, id desc"
    _rec_name = "user_id"

    user_id = fields.Many2one(
        "res.users", string="Consultant", required=True, index=True,
        track_visibility="onchange", help="Consultant on duty.")
    team_id = fields.Many2one(
        "crm.team", string="Sales Team", required=True, index=True,
        default=lambda self: self.env["crm.team"]._get_default_team_id(),
        help="The sales office; an absent consultant misses the turns of its rotation.")
    shift_start = fields.Datetime(
        string="Shift Start", required=True, index=True, track_visibility="onchange",
        help="Start of the shift; the consultant arrives the configured minutes "
             "before.")
    date = fields.Date(
        compute="_compute_date", store=True, index=True,
        help="Day of the shift on the office's calendar (the company's office time "
             "zone).")
    arrival = fields.Datetime(
        track_visibility="onchange",
        help="When the consultant reported at the desk. Later than the configured "
             "minutes before the shift records a late violation.")
    absent_marked = fields.Boolean(
        string="Marked Absent", readonly=True, copy=False,
        help="Nobody arrived: marked absent by the manager or at shift start plus the "
             "grace minutes by the scheduled check.")
    status = fields.Selection(
        DUTY_STATES, compute="_compute_status", store=True, index=True,
        help="On time: arrived at least the configured minutes before the shift (seed: "
             "提前5-10分钟到岗). Late: after that. Absent: did not arrive.")
    violation_id = fields.Many2one(
        "attribution.violation", string="Violation", readonly=True, copy=False,
        help="The late or absence violation this shift recorded.")
    note = fields.Text()

    _sql_constraints = [
        ("user_shift_unique", "unique(user_id, shift_start)",
         "This consultant already has a shift starting then."),
    ]

    def _company(self):
        """The company whose settings and office time zone apply to the shift."""
        return self[:1].team_id.company_id or self[:1].user_id.company_id or \
            self.env.user.company_id

    @api.depends("shift_start", "team_id.company_id.attribution_timezone",
                 "user_id.company_id.attribution_timezone")
    def _compute_date(self):
        for duty in self:
            duty.date = fields.Date.to_string(
                duty._company()._attribution_office_date(duty.shift_start)) \
                if duty.shift_start else False

    @api.depends("shift_start", "arrival", "absent_marked", "user_id")
    def _compute_status(self):
        for duty in self:
            if duty.arrival and duty.shift_start:
                company = duty.user_id.company_id or self.env.user.company_id
                duty.status = policy.duty_status(
                    fields.Datetime.from_string(duty.shift_start),
                    fields.Datetime.from_string(duty.arrival),
                    company.attribution_duty_early_minutes)
            elif duty.absent_marked:
                duty.status = "absence"
            else:
                duty.status = "planned"

    @api.onchange("user_id")
    def _onchange_user_id(self):
        if self.user_id.sale_team_id:
            self.team_id = self.user_id.sale_team_id

    @api.model
    def create(self, vals):
        duty = super().create(vals)
        duty._record_duty_violation()
        return duty

    @api.multi
    def write(self, vals):
        res = super().write(vals)
        if "arrival" in vals or "shift_start" in vals:
            self._record_duty_violation()
        return res

    def _record_duty_violation(self):
        """A late arrival records a ``late`` violation (once per shift); an arrival
        recorded by the desk (a manager, the roster) puts the consultant back in the
        rotation, a consultant's own check-in does not (context
        ``terms.CTX_ARRIVAL_ONLY``): presence is the desk's."""
        for duty in self.filtered("arrival"):
            if not self.env.context.get(terms.CTX_ARRIVAL_ONLY):
                duty._set_present(True)
            if duty.status == "late" and not duty.violation_id:
                duty._record("late")

    def _record(self, category):
        self.ensure_one()
        violation = self.env["attribution.violation"]._record(
            self.user_id, category, "attribution.duty,%s" % self.id,
            description=_("Duty shift of %s starting %s (office time).") % (
                self.user_id.name,
                self._company()._attribution_office_time(self.shift_start)),
            # a violation is not dated in the future: a shift of tomorrow marked
            # absent today is dated today
            date=min(self.date, fields.Date.to_string(
                self._company()._attribution_office_date())),
            # the shift's project: strikes count per project
            team=self.sudo().team_id)
        # sudo: the link is written by the system whoever records the arrival
        self.sudo().write({"violation_id": violation.id})
        return violation

    def _rotation_members(self):
        self.ensure_one()
        # sudo: presence in the rotation follows the roster, whoever records it
        rotation = self.env["attribution.rotation"].sudo().search(
            [("team_id", "=", self.team_id.id)], limit=1)
        return rotation.member_ids.filtered(lambda m: m.user_id == self.user_id)

    def _set_present(self, present):
        members = self._rotation_members().filtered(lambda m: m.present != present)
        if members:
            members.write({"present": present})

    def _check_project(self):
        """A manager records arrivals and absences of the shifts of their projects
        (and their own shift): ``AccessError`` naming the project otherwise."""
        user = self.env.user
        for duty in self.sudo():
            if duty.user_id != user:
                user._attribution_check_projects(
                    duty.team_id, _("the duty shift of %s") % duty.user_id.name)

    # ------------------------------------------------------------------ actions

    @api.multi
    def action_check_in(self):
        """Record the arrival now. A manager does it for anyone, and the arrival puts
        the consultant in the rotation; a consultant only for their own shift, on its
        day (:func:`conduct.check_in_open`), and their presence in the rotation stays
        the desk's (the manager's queue, the morning roster): no call of a consultant
        changes who receives the next walk-in. Raises ``UserError`` otherwise."""
        manager = self.env.user.has_group("sales_attribution.group_manager")
        now = fields.Datetime.now()
        self._check_project()
        for duty in self:
            if duty.user_id != self.env.user and not manager:
                raise UserError(_("You can only check in for your own shift."))
            if duty.arrival:
                raise UserError(_("The arrival is already recorded."))
            if duty.absent_marked:
                raise UserError(_("This shift is already marked absent."))
            if not manager and not policy.check_in_open(
                    fields.Datetime.from_string(duty.shift_start),
                    fields.Datetime.from_string(now)):
                raise UserError(_("Check in on the day of the shift, from two hours "
                                  "before it starts (shift %s, UTC).")
                                % duty.shift_start)
            # sudo: a consultant records their own arrival without editing the roster
            duty.sudo().with_context(**{terms.CTX_ARRIVAL_ONLY: not manager}).write(
                {"arrival": now})
        return True

    @api.multi
    def action_mark_absent(self):
        """Nobody came: record the absence and take the consultant out of the rotation
        for the day."""
        # managers only: consultants have no write access on the roster
        self._check_project()
        for duty in self:
            if duty.arrival:
                raise UserError(_("%s arrived at %s: the shift cannot be marked "
                                  "absent.")
                                % (duty.user_id.name,
                                   duty._company()._attribution_office_time(
                                       duty.arrival)))
            if duty.absent_marked:
                continue
            duty.write({"absent_marked": True})
            duty._record("absence")
            duty._set_present(False)
        return True

    # ------------------------------------------------------------------ crons

    @api.model
    def _cron_mark_absences(self, now=None):
        """Shifts started more than the grace minutes ago with nobody arrived."""
        now = fields.Datetime.from_string(now or fields.Datetime.now())
        duties = self.search([("arrival", "=", False), ("absent_marked", "=", False),
                              ("shift_start", "<=", fields.Datetime.to_string(now))])
        late = duties.filtered(lambda d: fields.Datetime.from_string(d.shift_start)
                               + _dt.timedelta(minutes=(d.user_id.company_id or
                                                        self.env.user.company_id)
                                               .attribution_duty_grace_minutes) <= now)
        late.action_mark_absent()
        return True

    @api.model
    def _cron_reset_presence(self, today=None, now=None):
        """Start of the day: in each team that has a roster today, the rotation's
        present members are those on duty today who have arrived.

        ``today``: office date string; default the office date of ``now`` (UTC
        datetime string, default now) in the current company's office time zone.
        """
        today = today or fields.Date.to_string(
            self.env.user.company_id._attribution_office_date(now))
        duties = self.search([("date", "=", today)])
        for team in duties.mapped("team_id"):
            rotation = self.env["attribution.rotation"].search(
                [("team_id", "=", team.id)], limit=1)
            arrived = duties.filtered(
                lambda d: d.team_id == team and d.arrival and not d.absent_marked
            ).mapped("user_id")
            for member in rotation.member_ids:
                present = member.user_id in arrived
                if member.present != present:
                    member.write({"present": present})
        return True
