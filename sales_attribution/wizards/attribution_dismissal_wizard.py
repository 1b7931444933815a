from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError


class AttributionDismissalWizard(models.TransientModel):
    _name = "attribution.dismissal.wizard"
    _description = "Dismiss a Dismissal Proposal"

    user_id = fields.Many2one(
        "res.users", string="Consultant", required=True,
        help="Consultant whose dismissal proposal is dismissed.")
    reason = fields.Text(
        required=True,
        help="Why the consultant stays; kept on the consultant and logged on the "
             "violation that made the proposal.")

    @api.multi
    def action_dismiss(self):
        """Close the proposal: keep the reason, log it, mark the manager's to-do
        done."""
        self.ensure_one()
        if not self.env.user.has_group("sales_attribution.group_manager"):
            raise AccessError(
                _("Only a sales manager can dismiss a dismissal proposal."))
        # sudo: res.users is written by administrators only; the manager decides here
        user = self.user_id.sudo()
        if not user.attribution_dismissal_proposed:
            raise UserError(_("%s has no open dismissal proposal.") % user.name)
        if not (self.reason or "").strip():
            raise UserError(_("Give the reason for dismissing the proposal."))
        proposing = user.attribution_dismissal_violation_id
        last = self.env["attribution.violation"].sudo().search(
            [("user_id", "=", user.id)], limit=1)
        user.write({
            "attribution_dismissal_proposed": False,
            "attribution_dismissal_reason": self.reason,
            "attribution_dismissal_dismissed_date":
                self.env["attribution.violation"]._office_today(
                    user.company_id or self.env.user.company_id),
        })
        body = _("Dismissal proposal for %s dismissed by %s: %s") % (
            user.name, self.env.user.name, self.reason)
        # sudo: the manager logs on violations they can read; posting needs no rights
        for violation in (proposing | last).sudo():
            violation.message_post(body=body)
        if proposing:
            activities = self.env["mail.activity"].sudo().search([
                ("res_model", "=", "attribution.violation"),
                ("res_id", "=", proposing.id)])
            activities.action_feedback(feedback=self.reason)
        return True
