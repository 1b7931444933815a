from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..attribution import project_access, terms


class ResUsers(models.Model):
    _inherit = "res.users"

    attribution_strike_count = fields.Integer(
        string="Strikes", compute="_compute_attribution_strike_count",
        help="Strikes count per project: the violations of this consultant in a "
             "project within its strike period up to today (A12/A13: at the project's "
             "number, dismissal is proposed there). Shown: the project in the context, "
             "else the highest count among the projects you manage (all projects "
             "when you manage none).")
    attribution_dismissal_proposed = fields.Boolean(
        string="Dismissal Proposed", readonly=True, copy=False,
        help="The rule book proposes to dismiss this consultant (A8: deliberate "
             "poaching; A12/A13: three strikes in the period). The manager confirms "
             "outside the system or dismisses the proposal with a reason.")
    attribution_dismissal_date = fields.Date(
        string="Dismissal Proposed On", readonly=True, copy=False)
    attribution_dismissal_rule_code = fields.Char(
        string="Dismissal Rule", readonly=True, copy=False,
        help="Rule that proposed the dismissal: A8, A12 or A13.")
    attribution_dismissal_violation_id = fields.Many2one(
        "attribution.violation", string="Proposing Violation", readonly=True,
        copy=False,
        help="The violation that brought the consultant to the dismissal proposal.")
    attribution_dismissal_reason = fields.Text(
        string="Proposal Dismissed Because", readonly=True, copy=False,
        help="The manager's reason for dismissing the last dismissal proposal.")
    attribution_dismissal_dismissed_date = fields.Date(
        string="Proposal Dismissed On", readonly=True, copy=False)
    attribution_dismissal_in_reach = fields.Boolean(
        string="Proposed in My Projects",
        compute="_compute_attribution_dismissal_in_reach",
        search="_search_attribution_dismissal_in_reach",
        help="The consultant has an open dismissal proposal in a project whose "
             "violations you see (the projects you manage).")
    attribution_violation_ids = fields.One2many(
        "attribution.violation", "user_id", string="Violations")

    def _compute_attribution_strike_count(self):
        """Strikes up to now (``terms.CTX_NOW`` or the clock) in the project of the
        context's ``team_id``, else the highest among the projects within the reading
        user's reach (``_attribution_reach``; violations without project count as
        their own project, within every reach); each project over its own strike
        period by the office days of the consultant's company."""
        by_user = self.env["attribution.violation"]._strikes_by_project(self)
        team_id = self.env.context.get(terms.CTX_TEAM)
        reach = self.env.user._attribution_reach()
        for user in self:
            counts = by_user.get(user.id, {})
            if team_id:
                user.attribution_strike_count = counts.get(team_id, 0)
                continue
            user.attribution_strike_count = max(
                [n for team, n in counts.items()
                 if reach is None or not team or team in reach] or [0])

    def _attribution_proposed_in_reach(self):
        """Ids of the consultants with an open dismissal proposal on a violation the
        current user may read (the violations' record rules: a manager's projects)."""
        return set(self.env["attribution.violation"].search(
            [("dismissal_open", "=", True)]).mapped("user_id").ids)

    def _compute_attribution_dismissal_in_reach(self):
        proposed = self._attribution_proposed_in_reach()
        for user in self:
            user.attribution_dismissal_in_reach = user.id in proposed

    def _search_attribution_dismissal_in_reach(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on an open dismissal proposal."))
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in",
                 sorted(self._attribution_proposed_in_reach()))]

    def _attribution_refresh_dismissal(self):
        """Point the consultant's dismissal fields at their latest open proposal (a
        violation with ``dismissal_open``, in any project); clear the flag when none
        is open. Written as superuser (``res.users`` is written by administrators)."""
        Violation = self.env["attribution.violation"].sudo()
        for user in self.sudo():
            latest = Violation.search([("user_id", "=", user.id),
                                       ("dismissal_open", "=", True)],
                                      order="date desc, id desc", limit=1)
            vals = {"attribution_dismissal_proposed": bool(latest)}
            if latest:
                vals.update(attribution_dismissal_violation_id=latest.id,
                            attribution_dismissal_rule_code=latest.dismissal_rule_code)
            user.write(vals)

    @api.multi
    def action_attribution_dismiss_proposal(self):
        """Open the wizard to dismiss this consultant's dismissal proposal."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Dismiss Dismissal Proposal"),
            "res_model": "attribution.dismissal.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_user_id": self.id},
        }

    @api.multi
    def action_attribution_violations(self):
        """The violations of this consultant."""
        self.ensure_one()
        action = self.env.ref(
            "sales_attribution.attribution_violation_action").read()[0]
        action["domain"] = [("user_id", "=", self.id)]
        action["context"] = {"default_user_id": self.id}
        return action

    # ------------------------------------------------------------ projects

    def _attribution_work_teams(self):
        """The projects (``crm.team``) this consultant works in: their sales team
        and the teams of the rotations they are a member of (one user; read as
        superuser)."""
        self.ensure_one()
        members = self.env["attribution.rotation.member"].sudo().search(
            [("user_id", "=", self.id)])
        return self.sudo().sale_team_id | members.mapped("rotation_id.team_id")

    # ------------------------------------------------------------ managed projects

    def _attribution_managed_teams(self):
        """The projects (``crm.team``, archived ones included) this user manages: the
        teams they lead (``crm.team.user_id``) and those naming them as co-manager
        (``attribution_manager_ids``). Empty when they lead none and are named on
        none: such a manager keeps seeing and ruling the whole company (a one-office
        company whose manager is not set as team leader works as before).
        Read as superuser, one user (``ensure_one``); not stored: the record rules
        ask it once per user and model (``ir.rule`` caches their domains, cleared
        when a team's leader or co-managers change)."""
        self.ensure_one()
        # sudo: which teams a user manages is read whatever the user may see
        return self.env["crm.team"].sudo().with_context(active_test=False).search(
            ["|", ("user_id", "=", self.id),
             ("attribution_manager_ids", "in", self.ids)])

    def _attribution_reach(self):
        """``project_access.reach`` of this user: the ids of the projects they act
        on as a manager, or ``None`` for every project (superuser, a manager of no
        project, and users outside the manager group, whom the group's record
        rules do not concern)."""
        self.ensure_one()
        if self.id == SUPERUSER_ID or not self.sudo(self.id).has_group(
                "sales_attribution.group_manager"):
            return None
        return project_access.reach(self._attribution_managed_teams().ids)

    def _attribution_project_domain(self, team_field="team_id", open_without=True):
        """The record-rule domain of this manager's projects on a model whose
        project is ``team_field`` (a path to a ``crm.team``, e.g.
        ``"conflict_id.team_id"``): records of the projects they manage, and with
        ``open_without`` those without project; ``[(1, '=', 1)]`` when they manage
        no project (the whole company). Used by
        ``security/attribution_project_security.xml`` and the manager rules."""
        managed = self._attribution_reach()
        if managed is None:
            return [(1, "=", 1)]
        domain = [(team_field, "in", sorted(managed))]
        if open_without:
            domain = ["|", (team_field, "=", False)] + domain
        return domain

    def _attribution_check_projects(self, teams, what):
        """Raise ``AccessError`` in the user's language when ``teams``
        (``crm.team``, the projects of the records acted on; empty ones ignored)
        include a project outside this manager's reach. ``what`` names the records
        acted on, already translated (e.g. "conflict CF0003")."""
        self.ensure_one()
        outside = project_access.foreign(self._attribution_reach(),
                                         teams.ids if teams else [])
        if outside:
            names = ", ".join(teams.sudo().browse(outside).mapped("name"))
            raise AccessError(_("You do not manage project %s: %s belongs to it. A "
                                "manager sees, rules and exports only the projects "
                                "they lead or co-manage.") % (names, what))
        return True
