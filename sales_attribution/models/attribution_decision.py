from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError

from .attribution_visit import rule_code_selection


class AttributionDecision(models.Model):
    """Append-only log of ownership decisions: who owns the customer, by which rule."""

    _name = "attribution.decision"
    _description = "Attribution Decision"
    _order = "create_date desc, id desc"
    _rec_name = "rule_code"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, readonly=True,
        ondelete="restrict")
    lead_id = fields.Many2one(
        "crm.lead", string="Opportunity", index=True, readonly=True, ondelete="set null")
    visit_id = fields.Many2one(
        "attribution.visit", string="Visit", index=True, readonly=True, ondelete="set null")
    conflict_id = fields.Many2one(
        "attribution.conflict", string="Conflict", index=True, readonly=True,
        ondelete="set null")
    owner_id = fields.Many2one(
        "res.users", string="Owner", index=True, readonly=True,
        help="Owner after this decision; empty means the company (A7).")
    previous_owner_id = fields.Many2one(
        "res.users", string="Previous Owner", readonly=True)
    receiver_id = fields.Many2one(
        "res.users", string="Received By", readonly=True)
    rule_code = fields.Selection(
        rule_code_selection(), required=True, readonly=True, index=True,
        help="Rule of the rule book that made this decision.")
    explanation = fields.Text(
        required=True, readonly=True,
        help="The rule, the facts it used and the outcome, in the language of the user "
             "who caused the decision.")
    explanation_en = fields.Text(string="Explanation (English)", readonly=True)
    explanation_zh = fields.Text(string="Explanation (Chinese)", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True, index=True)
    decided_by_id = fields.Many2one(
        "res.users", string="Decided By", readonly=True,
        default=lambda self: self.env.uid,
        help="User whose action caused the decision.")

    def _check_append_only(self):
        if self.env.uid != SUPERUSER_ID:
            raise AccessError(_("Attribution decisions are an append-only log: they "
                                "cannot be changed or deleted."))

    @api.multi
    def write(self, vals):
        self._check_append_only()
        return super().write(vals)

    @api.multi
    def unlink(self):
        self._check_append_only()
        return super().unlink()

    @api.model
    def log(self, partner, owner, rule_code, explanation_zh, explanation_en,
            previous_owner=None, receiver=None, visit=None, lead=None, conflict=None):
        """Append a decision and apply it: the customer's owner, the owner of their open
        opportunities, and a note in the customer's chatter. Returns the decision.

        Minimal version written on the conduct branch for the B5 reassignment wizard;
        the engine branch ships the same signature (keep one at merge).
        """
        lang = self.env.user.lang or "en_US"
        explanation = explanation_zh if lang.startswith("zh") else explanation_en
        if previous_owner is None:
            previous_owner = partner.attribution_owner_id
        team = (lead and lead.team_id) or (visit and visit.team_id) or (
            owner and owner.sudo().sale_team_id)
        # sudo: the decision log is append-only and created by the rule book, whatever
        # the user who triggered it may do
        decision = self.sudo().create({
            "partner_id": partner.id,
            "lead_id": lead.id if lead else False,
            "visit_id": visit.id if visit else False,
            "conflict_id": conflict.id if conflict else False,
            "owner_id": owner.id if owner else False,
            "previous_owner_id": previous_owner.id if previous_owner else False,
            "receiver_id": receiver.id if receiver else False,
            "rule_code": rule_code,
            "explanation": explanation,
            "explanation_zh": explanation_zh,
            "explanation_en": explanation_en,
            "team_id": team.id if team else False,
            "decided_by_id": self.env.uid,
        })
        # sudo: the decision applies whatever the user may write on customers and leads
        partner = partner.sudo()
        if partner.attribution_owner_id != owner:
            partner.write({"attribution_owner_id": owner.id if owner else False})
        leads = self.env["crm.lead"].sudo().search([
            ("partner_id", "=", partner.id), ("probability", "<", 100)])
        if lead:
            leads |= lead.sudo()
        leads = leads.filtered(lambda l: l.user_id != owner)
        if leads:
            leads.write({"user_id": owner.id if owner else False})
        partner.message_post(body=explanation)
        return decision
