from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError

from ..attribution import conduct as policy
from ..attribution import project_access


class ResUsers(models.Model):
    _inherit = "res.users"

    attribution_strike_count = fields.Integer(
        string="Strikes", compute="_compute_attribution_strike_count",
        help="Violations of this consultant within the strike period up to today "
             "(A12/A13: at the configured number, dismissal is proposed).")
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
    attribution_violation_ids = fields.One2many(
        "attribution.violation", "user_id", string="Violations")

    def _compute_attribution_strike_count(self):
        """Strikes within the period up to now (``terms.CTX_NOW`` or the clock), by
        the office days of the consultant's company."""
        Violation = self.env["attribution.violation"]
        violations = Violation._policy_violations(self)
        now = Violation._office_now()
        for user in self:
            company = user.company_id or self.env.user.company_id
            user.attribution_strike_count = policy.strike_count(
                violations, user.id, now, company.attribution_strike_period_days,
                tz_name=company._attribution_tz())

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
