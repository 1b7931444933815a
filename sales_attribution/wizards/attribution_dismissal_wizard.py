from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError


class AttributionDismissalWizard(models.TransientModel):
    _name = "attribution.dismissal.wizard"
    _description = "Dismiss a Dismissal Proposal"

    user_id = fields.Many2one(
        "res.users", string="Consultant", required=True,
        help="Consultant whose dismissal proposal is dismissed.")
    team_id = fields.Many2one(
        "crm.team", string="Project",
        help="The project whose proposal is dismissed (strikes and proposals are per "
             "project). Empty: the consultant's open proposals in the projects you "
             "manage.")
    reason = fields.Text(
        required=True,
        help="Why the consultant stays; kept on the consultant and logged on the "
             "violation that made the proposal.")

    def _proposals(self):
        """The open proposals this manager closes: the consultant's violations with
        an open proposal in ``team_id`` (or in every project within the manager's
        reach). ``AccessError`` when the project, or every open proposal, lies
        outside the manager's projects; ``UserError`` when none is open."""
        Violation = self.env["attribution.violation"].sudo()
        user = self.user_id.sudo()
        domain = [("user_id", "=", user.id), ("dismissal_open", "=", True)]
        if self.team_id:
            self.env.user._attribution_check_projects(
                self.team_id, _("the dismissal proposal of %s") % user.name)
            domain.append(("team_id", "=", self.team_id.id))
        proposals = Violation.search(domain)
        reach = self.env.user._attribution_reach()
        mine = proposals.filtered(
            lambda v: reach is None or not v.team_id or v.team_id.id in reach)
        if proposals and not mine:
            self.env.user._attribution_check_projects(
                proposals.mapped("team_id"),
                _("the dismissal proposal of %s") % user.name)
        if not mine:
            raise UserError(_("%s has no open dismissal proposal.") % user.name)
        return mine

    @api.multi
    def action_dismiss(self):
        """Close the proposals (see ``_proposals``): keep the reason, log it, mark the
        managers' to-dos done; the consultant stays proposed in other projects."""
        self.ensure_one()
        if not self.env.user.has_group("sales_attribution.group_manager"):
            raise AccessError(
                _("Only a sales manager can dismiss a dismissal proposal."))
        if not (self.reason or "").strip():
            raise UserError(_("Give the reason for dismissing the proposal."))
        proposals = self._proposals()
        # sudo: res.users is written by administrators only; the manager decides here
        user = self.user_id.sudo()
        Violation = self.env["attribution.violation"].sudo()
        lasts = Violation.browse()
        for team in set(proposals.mapped(lambda v: v.team_id.id or False)):
            lasts |= Violation.search([("user_id", "=", user.id),
                                       ("team_id", "=", team)], limit=1)
        proposals.write({"dismissal_open": False})
        user.write({
            "attribution_dismissal_reason": self.reason,
            "attribution_dismissal_dismissed_date":
                self.env["attribution.violation"]._office_today(
                    user.company_id or self.env.user.company_id),
        })
        user._attribution_refresh_dismissal()
        body = _("Dismissal proposal for %s dismissed by %s: %s") % (
            user.name, self.env.user.name, self.reason)
        # sudo: the manager logs on violations they can read; posting needs no rights
        for violation in proposals | lasts:
            violation.message_post(body=body)
        activities = self.env["mail.activity"].sudo().search([
            ("res_model", "=", "attribution.violation"),
            ("res_id", "in", proposals.ids)])
        activities.action_feedback(feedback=self.reason)
        return True
