from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError


class AttributionAbandonWizard(models.TransientModel):
    """A13: a consultant left the customer they were receiving to chase another one."""

    _name = "attribution.abandon.wizard"
    _description = "Report Abandoned Customer"

    visit_id = fields.Many2one(
        "attribution.visit", string="Visit", required=True,
        help="Visit whose customer was left alone.")
    user_id = fields.Many2one(
        "res.users", string="Consultant", required=True,
        help="Who left the customer; the visit's receiver unless another is chosen.")
    description = fields.Text(
        string="What Happened", required=True,
        help="E.g. left the customer to hand out business cards to new arrivals.")

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        ctx = self.env.context
        if ctx.get("active_model") == "attribution.visit" and ctx.get("active_id"):
            visit = self.env["attribution.visit"].browse(ctx["active_id"])
            res["visit_id"] = visit.id
            if visit.receiver_id:
                res["user_id"] = visit.receiver_id.id
        return res

    @api.multi
    def action_report(self):
        """Record the A13 class A violation once per visit and consultant."""
        self.ensure_one()
        if not self.env.user.has_group("sales_attribution.group_manager"):
            raise AccessError(
                _("Only a sales manager can report an abandoned customer."))
        if not (self.description or "").strip():
            raise UserError(_("Describe what happened."))
        # sudo: the visit's project is read to check it is the manager's
        team = self.visit_id.sudo().team_id
        self.env.user._attribution_check_projects(
            team, _("visit %s") % self.visit_id.sudo().display_name)
        self.env["attribution.violation"]._record(
            self.user_id, "abandon_customer", "attribution.visit,%s" % self.visit_id.id,
            description=self.description,
            # the office day of the visit (the consultant's company), not the
            # reporting manager's time zone
            date=fields.Date.to_string(
                (self.user_id.sudo().company_id or self.env.user.company_id)
                ._attribution_office_date(self.visit_id.sudo().visit_datetime)),
            team=team)
        return True
