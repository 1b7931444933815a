import datetime as _dt

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..attribution import conduct as policy
from ..attribution import terms

VIOLATION_CATEGORIES = [
    ("late", "Late for Duty"),
    ("absence", "Absent from Duty"),
    ("impolite", "Impolite or Careless"),
    ("complaint", "Customer Complaint"),
    ("abandon_customer", "Abandoned a Customer"),
    ("poaching", "Poaching"),
    ("other", "Other"),
]
FAULT_CLASSES = [("a", "Class A"), ("b", "Class B"), ("c", "Class C")]


class AttributionViolation(models.Model):
    _name = "attribution.violation"
    _description = "Conduct Violation"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _rec_name = "category"

    user_id = fields.Many2one(
        "res.users", string="Consultant", required=True, index=True,
        track_visibility="onchange")
    date = fields.Date(
        required=True, index=True,
        default=lambda self: self._office_today(self.env.user.company_id),
        help="The office day of the fault (the company's time zone): the strike "
             "window counts office days.")
    category = fields.Selection(
        VIOLATION_CATEGORIES, required=True, default="other",
        track_visibility="onchange",
        help="A12: impolite, complaint; A13: abandoning a customer; A8: poaching; duty "
             "rules: late, absence; A5: a collision where prior visits were not asked.")
    fault_class = fields.Selection(
        FAULT_CLASSES, string="Fault Class", required=True,
        track_visibility="onchange",
        help="A is the gravest (A13, A8). Filled from the category when not given.")
    strike_count = fields.Integer(
        readonly=True,
        help="The consultant's violations in this project within the project's strike "
             "period up to and including this one; at the project's number of strikes "
             "(3 unless the project or company says otherwise) dismissal is proposed.")
    description = fields.Text()
    team_id = fields.Many2one(
        "crm.team", string="Project", index=True,
        help="The project (案场) whose rule book was broken: strikes count per project "
             "(A12/A13), its manager sees the violation and decides on a dismissal "
             "proposal.")
    rule_code = fields.Char(
        readonly=True, help="Rule of the rule book that was broken.")
    source_ref = fields.Char(
        readonly=True, index=True,
        help="The record that caused this violation (e.g. attribution.conflict,12); "
             "one event never records two violations.")
    dismissal_proposed = fields.Boolean(
        readonly=True, copy=False,
        help="This violation brought the consultant to a dismissal proposal (A8: at "
             "once; A12/A13: at the configured strike). The team manager got an "
             "activity.")
    dismissal_rule_code = fields.Char(
        readonly=True, copy=False,
        help="Rule that proposed dismissal: A8, A12 or A13.")
    dismissal_explanation = fields.Text(
        readonly=True, copy=False,
        help="Why dismissal was proposed: the rule and the strike count.")
    dismissal_open = fields.Boolean(
        string="Proposal Open", readonly=True, copy=False, index=True,
        help="The dismissal proposal this violation made is still open: the project's "
             "manager has not dismissed it.")
    user_dismissal_open = fields.Boolean(
        compute="_compute_user_dismissal_open", search="_search_user_dismissal_open",
        string="Dismissal Proposed",
        help="The consultant has an open dismissal proposal in this violation's "
             "project (not yet dismissed).")

    _sql_constraints = [
        ("source_unique", "unique(user_id, category, source_ref)",
         "This event has already been recorded as a violation."),
    ]

    @api.constrains("date")
    def _check_date(self):
        for violation in self:
            if violation.date > self._office_today(violation._company()):
                raise ValidationError(_("A violation cannot be dated in the future."))

    @api.onchange("category")
    def _onchange_category(self):
        if self.category:
            self.fault_class, self.rule_code = policy.classify(self.category)

    @api.onchange("user_id")
    def _onchange_user_id(self):
        if self.user_id:
            self.team_id = self._project_of(self.user_id)

    def _compute_user_dismissal_open(self):
        pairs = self._open_proposal_pairs(self.mapped("user_id"))
        for violation in self:
            violation.user_dismissal_open = (
                violation.user_id.id, violation.team_id.id or False) in pairs

    def _search_user_dismissal_open(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise ValidationError(_("Unsupported search on an open dismissal "
                                    "proposal."))
        pairs = self._open_proposal_pairs()
        domain = [(0, "=", 1)]
        for user_id, team_id in sorted(pairs, key=str):
            domain = ["|", "&", ("user_id", "=", user_id),
                      ("team_id", "=", team_id)] + domain
        if (operator == "=") != value:
            domain = ["!"] + domain
        return domain

    @api.model
    def _open_proposal_pairs(self, users=None):
        """``{(user id, team id or False)}`` of the open dismissal proposals (of
        ``users`` when given): who is proposed for dismissal in which project."""
        domain = [("dismissal_open", "=", True)]
        if users is not None:
            domain.append(("user_id", "in", users.ids))
        # sudo: whether a proposal is open is read whoever looks at the violation
        found = self.sudo().search_read(domain, ["user_id", "team_id"])
        return {(row["user_id"][0], row["team_id"] and row["team_id"][0])
                for row in found}

    @api.model
    def _project_of(self, user):
        """The project (``crm.team``) a violation of ``user`` is recorded in when none
        is given: among the projects the consultant works in (sales team and
        rotations), those the recording manager manages; the consultant's sales team
        first; else the consultant's sales team (possibly empty)."""
        # sudo: the consultant's projects are read whatever the recording user may see
        user = user.sudo()
        teams = user._attribution_work_teams()
        reach = self.env.user._attribution_reach()
        if reach is not None:
            teams = teams.filtered(lambda t: t.id in reach)
        if not teams or user.sale_team_id in teams:
            return user.sale_team_id
        return teams[:1]

    @api.model
    def create(self, vals):
        """Fill the class, rule code, project (``_project_of``) and office date; a
        manager records only in the projects they manage (``AccessError``); then the
        strike rules run (``_apply_strike_rules``)."""
        vals = dict(vals)
        if vals.get("category"):
            fault_class, rule_code = policy.classify(vals["category"])
            if not vals.get("fault_class"):
                vals["fault_class"] = fault_class
            if not vals.get("rule_code"):
                vals["rule_code"] = rule_code
        if vals.get("user_id") and "team_id" not in vals:
            vals["team_id"] = self._project_of(
                self.env["res.users"].browse(vals["user_id"])).id or False
        if vals.get("team_id"):
            # a manager records in the projects they manage (the record rule would
            # refuse it too, but only as a failed date check of the new record)
            self.env.user._attribution_check_projects(
                self.env["crm.team"].browse(vals["team_id"]), _("a violation"))
        if vals.get("user_id") and not vals.get("date"):
            # the consultant's office day, whoever records it from wherever
            user = self.env["res.users"].sudo().browse(vals["user_id"])
            vals["date"] = self._office_today(
                user.company_id or self.env.user.company_id)
        violation = super().create(vals)
        violation._apply_strike_rules()
        return violation

    @api.multi
    def write(self, vals):
        """A violation moves only into a project the writing manager manages
        (``AccessError``); the record rules check the project it leaves."""
        if vals.get("team_id"):
            self.env.user._attribution_check_projects(
                self.env["crm.team"].browse(vals["team_id"]), _("a violation"))
        return super().write(vals)

    # ---------------------------------------------------------------- office days

    def _company(self):
        """The company whose office calendar dates this violation: the consultant's
        (else the current user's)."""
        self.ensure_one()
        return self.user_id.sudo().company_id or self.env.user.company_id

    @api.model
    def _office_now(self):
        """Now as a naive UTC ``datetime``: the context's ``terms.CTX_NOW`` (a fixed
        now: tests, a cron run) or the clock."""
        return fields.Datetime.from_string(
            self.env.context.get(terms.CTX_NOW) or fields.Datetime.now())

    @api.model
    def _office_today(self, company):
        """Today's office date (Odoo date string) in ``company``'s time zone."""
        return fields.Date.to_string(
            company._attribution_office_date(self._office_now()))

    @api.model
    def _office_day_end(self, day, company):
        """The naive UTC ``datetime`` of the last second of the office ``day`` (a
        ``datetime.date``) of ``company``: the ``now`` of a count "up to that day"."""
        return terms.utc_from_office(_dt.datetime.combine(day, _dt.time(23, 59, 59)),
                                     company._attribution_tz())

    # ---------------------------------------------------------------- strikes

    @api.model
    def _policy_violations(self, users):
        """The violations of ``users`` as policy facts (``date`` as
        ``datetime.date``)."""
        # sudo: strikes count every violation of the consultant, whoever looks
        found = self.sudo().search([("user_id", "in", users.ids)])
        return [policy.Violation(v.user_id.id, fields.Date.from_string(v.date),
                                 v.category, v.fault_class, v.team_id.id or None)
                for v in found]

    @api.model
    def _strikes_by_project(self, users):
        """``{user id: {team id or None: strikes}}``: each consultant's strikes now
        (``terms.CTX_NOW`` or the clock) in every project they have a violation in,
        each over that project's strike period (``res.company._attribution_rules``,
        the consultant's company), by the company's office days."""
        facts = self._policy_violations(users)
        now = self._office_now()
        Team = self.env["crm.team"].sudo()
        out = {}
        for user in users:
            company = user.sudo().company_id or self.env.user.company_id

            def period(team_id, company=company):
                return company._attribution_rules(
                    Team.browse(team_id or [])).strike_period_days

            out[user.id] = policy.strikes_by_project(
                facts, user.id, now, period, tz_name=company._attribution_tz())
        return out

    def _rules(self):
        """``projects.Rules`` of this violation's project (the company's numbers where
        the project keeps them)."""
        self.ensure_one()
        return self._company()._attribution_rules(self.sudo().team_id)

    def _assess(self, at_date=None):
        """The policy's :class:`ConductDecision` for the consultant of this violation.

        Counts the consultant's violations of this violation's project dated up to
        the office day ``at_date`` (default: this violation's date) within the
        project's strike period, against the project's strikes (each the project's
        override, else the company's), by office days.
        """
        self.ensure_one()
        company = self._company()
        day = fields.Date.from_string(at_date or self.date)
        rules = self._rules()
        team = self.sudo().team_id
        return policy.assess(
            self._policy_violations(self.user_id), self.user_id.id,
            self._office_day_end(day, company), rules.strike_period_days,
            rules.strikes, names={self.user_id.id: self.user_id.name},
            tz_name=company._attribution_tz(), team_id=team.id or None,
            project_name=team.name or None)

    def _apply_strike_rules(self):
        """Store the strike count; propose dismissal when the policy says it is due.

        Per project: never two proposals for one strike level in a project, no new
        proposal while one is open in the project, nor when a violation of the same
        project and strike level within the period already proposed. A proposal open
        in another project neither blocks nor counts.
        """
        for violation in self:
            # one consultant's strikes are assessed one transaction at a time, so two
            # faults recorded at once cannot both propose dismissal
            self.env.cr.execute("SELECT id FROM res_users WHERE id = %s FOR UPDATE",
                                (violation.user_id.id,))
            violation.user_id.invalidate_cache(["attribution_dismissal_proposed"])
            decision = violation._assess()
            # sudo: strike counts and proposals are written whoever recorded the fault
            violation.sudo().write({"strike_count": decision.strike_count})
            if not decision.propose_dismissal:
                continue
            user = violation.user_id
            team = violation.sudo().team_id
            if (user.id, team.id or False) in self._open_proposal_pairs(user):
                continue
            since = fields.Date.to_string(
                fields.Date.from_string(violation.date)
                - _dt.timedelta(days=violation._rules().strike_period_days - 1))
            same_level = self.sudo().search_count([
                ("user_id", "=", user.id), ("team_id", "=", team.id or False),
                ("dismissal_proposed", "=", True),
                ("strike_count", "=", decision.strike_count), ("date", ">=", since),
                ("id", "!=", violation.id)])
            if same_level:
                continue
            violation._propose_dismissal(decision)

    def _dismissal_managers(self):
        """Who decides on a dismissal: the project's leader, else its co-manager,
        else the office managers."""
        self.ensure_one()
        # sudo: the recording user may not read teams and groups
        team = self.sudo().team_id or self.user_id.sudo().sale_team_id
        leaders = (team.user_id | team.attribution_manager_ids).filtered(
            lambda u: u.active and u != self.user_id)
        if leaders:
            return leaders[0]
        group = self.env.ref("sales_attribution.group_manager").sudo()
        managers = group.users.filtered(
            lambda u: u.active and u != self.user_id and u.id != 1)
        return managers[:1] or self.env.ref("base.user_root")

    def _propose_dismissal(self, decision):
        """Mark the consultant and give the manager an activity on this violation."""
        self.ensure_one()
        lang = self.env.user.lang or "en_US"
        text = (decision.explanation_zh if lang.startswith("zh")
                else decision.explanation_en)
        # sudo: a dismissal proposal is made whoever recorded the fault (the rule book
        # proposes it, not the user); res.users is written by administrators only
        me = self.sudo()
        me.write({"dismissal_proposed": True, "dismissal_open": True,
                  "dismissal_rule_code": decision.rule_code,
                  "dismissal_explanation": "%s\n%s" % (decision.explanation_zh,
                                                       decision.explanation_en)})
        self.user_id.sudo().write({
            "attribution_dismissal_proposed": True,
            "attribution_dismissal_date": self._office_today(self._company()),
            "attribution_dismissal_violation_id": self.id,
            "attribution_dismissal_rule_code": decision.rule_code,
        })
        manager = self._dismissal_managers()
        me._schedule_dismissal_activity(manager, text)
        me.message_post(body=text)

    def _schedule_dismissal_activity(self, manager, text):
        """Create the manager's to-do about the dismissal proposal on this violation."""
        self.ensure_one()
        activity_type = self.env.ref("mail.mail_activity_data_todo",
                                     raise_if_not_found=False)
        return self.env["mail.activity"].create({
            "res_model_id": self.env["ir.model"]._get(self._name).id,
            "res_id": self.id,
            "activity_type_id": activity_type.id if activity_type else False,
            "user_id": manager.id,
            "summary": (_("Dismissal proposed in %s: %s") % (
                self.sudo().team_id.name, self.user_id.name)
                if self.sudo().team_id
                else _("Dismissal proposed: %s") % self.user_id.name),
            "note": text,
            "date_deadline": fields.Date.context_today(self),
        })

    @api.multi
    def action_dismiss_proposal(self):
        """Open the wizard where the manager dismisses the proposal of this
        violation's project with a reason."""
        self.ensure_one()
        action = self.user_id.action_attribution_dismiss_proposal()
        action["context"] = dict(action["context"], default_team_id=self.team_id.id)
        return action

    # ---------------------------------------------------------------- entry point

    @api.model
    def _record(self, user, category, source_ref, description=None, rule_code=None,
                fault_class=None, date=None, team=None):
        """Record a violation caused by ``source_ref``
        (e.g. ``"attribution.conflict,12"``) in the project ``team`` (``crm.team``,
        the source's project; empty or ``None``: ``_project_of(user)`` as the calling
        user would record it).

        Called from where the violation happens (a collision not asked about, a
        deliberate poaching ruling, a complaint, an abandoned customer). Idempotent:
        the same event never records two violations; the existing one is returned.
        ``fault_class`` and ``rule_code`` default to the policy's classification of
        ``category``; the strike count and a dismissal proposal (A8, A12, A13) follow
        on creation.
        """
        existing = self.sudo().search([
            ("user_id", "=", user.id), ("category", "=", category),
            ("source_ref", "=", source_ref)], limit=1)
        if existing:
            return existing
        vals = {
            "user_id": user.id,
            "category": category,
            "source_ref": source_ref,
            "description": description,
            "rule_code": rule_code,
        }
        if fault_class:
            vals["fault_class"] = fault_class
        if date:
            vals["date"] = date
        vals["team_id"] = (team or self._project_of(user)).id or False
        # sudo: the consultant whose action revealed the fault cannot create violations
        return self.sudo().create(vals)
