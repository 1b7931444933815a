from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..attribution import codes

REASON_TYPES = [
    ("complaint", "Customer complaint"),
    ("refuses_consultant", "Customer refuses the consultant"),
    ("preference", "Preference about looks only"),
]


class AttributionComplaintWizard(models.TransientModel):
    """B5: the manager reassigns a customer after a complaint (客户投诉或不愿该顾问接待)."""

    _name = "attribution.complaint.wizard"
    _description = "Complaint Reassignment"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True,
        help="Customer who complained or refuses their consultant.")
    lead_id = fields.Many2one(
        "crm.lead", string="Opportunity",
        help="Opportunity concerned; the customer's open opportunities all move.")
    original_user_id = fields.Many2one(
        "res.users", string="Original Consultant", required=True,
        help="Consultant the customer complained about; keeps the B5 share of the "
             "bonus at the deal (20% by default).")
    new_user_id = fields.Many2one(
        "res.users", string="New Consultant", required=True,
        help="Consultant the manager assigns; closes and takes the performance.")
    reason_type = fields.Selection(
        REASON_TYPES, string="Reason", required=True, default="complaint",
        help="B5: a complaint, or the customer in person refusing the consultant. A "
             "preference about looks alone is no reason (客户无权因外貌选择置业顾问).")
    complaint = fields.Text(
        string="Complaint", required=True,
        help="What the customer said, in their words.")
    violation_category = fields.Selection(
        [("complaint", "Customer Complaint"), ("impolite", "Impolite or Careless")],
        string="Record As", default="complaint",
        help="A12: the complaint is recorded as a violation of the original "
             "consultant.")

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        ctx = self.env.context
        lead = partner = None
        if ctx.get("active_model") == "crm.lead" and ctx.get("active_id"):
            lead = self.env["crm.lead"].browse(ctx["active_id"])
            partner = lead.partner_id
            res["lead_id"] = lead.id
        elif ctx.get("active_model") == "res.partner" and ctx.get("active_id"):
            partner = self.env["res.partner"].browse(ctx["active_id"])
        if partner:
            res["partner_id"] = partner.id
        # the owner in the deal's project (the current project's for a customer)
        owner = partner and (partner.sudo()._attribution_row(lead.team_id).owner_id
                             if lead else partner.attribution_owner_id)
        original = owner or (lead and lead.user_id)
        if original:
            res["original_user_id"] = original.id
        return res

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.partner_id and self.partner_id.attribution_owner_id:
            self.original_user_id = self.partner_id.attribution_owner_id

    def _check_reassignment(self):
        if not self.env.user.has_group("sales_attribution.group_manager"):
            raise AccessError(_("Only a sales manager can reassign a customer after a "
                                "complaint (B5)."))
        if self.lead_id:
            self.env.user._attribution_check_projects(
                self.lead_id.sudo().team_id, _("deal %s") % self.lead_id.sudo().name)
        if self.reason_type == "preference":
            raise UserError(_("A customer's preference about a consultant's looks is "
                              "no reason to reassign (B5): the customer has no right "
                              "to choose a consultant by appearance. Reassign only on "
                              "a complaint or when the customer refuses the "
                              "consultant."))
        if not (self.complaint or "").strip():
            raise UserError(
                _("Write down the customer's complaint before reassigning."))
        if self.new_user_id == self.original_user_id:
            raise UserError(_("Choose a consultant other than %s.")
                            % self.original_user_id.name)
        if self.lead_id and self.lead_id.partner_id != self.partner_id:
            raise UserError(_("The opportunity belongs to another customer."))

    def _explanations(self):
        # the B5 percentage of the deal's project, else the original consultant's
        team = self.lead_id.sudo().team_id or self.original_user_id.sudo().sale_team_id
        share = self.env.user.company_id._attribution_rules(team).complaint_split
        reason_zh = {"complaint": "客户投诉", "refuses_consultant": "客户亲自提出不愿该顾问接待"}
        reason_en = {"complaint": "the customer complained",
                     "refuses_consultant": "the customer refused the consultant"}
        zh = "%s:%s(%s),经理%s将客户%s由%s改派%s;成交时业绩归后续顾问,奖金原顾问%s%%、后续顾问%s%%。" % (
            codes.label("B5"), reason_zh[self.reason_type], self.complaint.strip(),
            self.env.user.name, self.partner_id.display_name,
            self.original_user_id.name, self.new_user_id.name, share, 100 - share)
        en = ("%s: %s (%s); manager %s reassigned %s from %s to %s; at the deal the "
              "bonus goes %s%% to the original and %s%% to the new consultant, the "
              "performance to the new consultant." % (
                  codes.label("B5", "en_US"), reason_en[self.reason_type],
                  self.complaint.strip(), self.env.user.name,
                  self.partner_id.display_name, self.original_user_id.name,
                  self.new_user_id.name, share, 100 - share))
        return zh, en

    @api.multi
    def action_reassign(self):
        """Log the B5 decision, move the customer and record the complaint (A12)."""
        self.ensure_one()
        self._check_reassignment()
        zh, en = self._explanations()
        decision = self.env["attribution.decision"]._log(
            self.partner_id, self.new_user_id, "B5", zh, en,
            previous_owner=self.original_user_id, lead=self.lead_id or None)
        if self.reason_type == "complaint":
            self.env["attribution.violation"]._record(
                self.original_user_id, self.violation_category or "complaint",
                "attribution.decision,%s" % decision.id, description=self.complaint,
                # the deal's project, else the original consultant's project
                # within the manager's (attribution.violation._project_of)
                team=self.lead_id.sudo().team_id)
        return True
