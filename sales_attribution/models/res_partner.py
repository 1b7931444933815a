from odoo import api, fields, models

from ..attribution import ownership as policy
from ..attribution.phone import InvalidPhone, normalize_phone


class ResPartner(models.Model):
    _inherit = "res.partner"

    attribution_owner_id = fields.Many2one(
        "res.users", string="Owning Consultant", index=True,
        track_visibility="onchange",
        help="The consultant who owns this customer under the rule book (归属顾问). Set by "
             "attribution decisions; every change is logged as a decision.")
    attribution_phone = fields.Char(
        string="Normalised Phone", compute="_compute_attribution_phone", store=True,
        index=True,
        help="Mobile (else phone) as digits without country prefix or separators; "
             "customers are matched on it from the form, XML-RPC and imports alike.")
    first_visit_date = fields.Date(
        compute="_compute_visit_dates", store=True,
        help="Date of the customer's first registered visit to the showroom.")
    last_visit_date = fields.Date(
        compute="_compute_visit_dates", store=True,
        help="Date of the customer's latest registered visit (B6 counts days from it).")
    last_followup_date = fields.Date(
        track_visibility="onchange",
        help="Date the owning consultant last followed the customer up by phone (A14: "
             "protection of a phone-only customer lapses after the follow-up window).")
    intent_class = fields.Selection(
        [("a", "A"), ("b", "B"), ("c", "C")], string="Intent Class",
        track_visibility="onchange",
        help="Class reported by the owning consultant at the evening review (每日晚会). "
             "B1: a kin customer reported as A or B before the deal keeps all for "
             "them.")
    intent_reported_date = fields.Date(
        help="Date the intent class was reported at the evening review.")
    is_developer_related = fields.Boolean(
        string="Developer Related", track_visibility="onchange",
        help="A11: the customer has a direct or indirect relation with the property "
             "developer; after the developer's written notice such customers are "
             "shared out evenly by the sales manager.")
    developer_notice_date = fields.Date(
        track_visibility="onchange",
        help="A11: date of the developer's written notice. Contact established before "
             "it is treated as a new customer under the normal rules.")
    attribution_relation_ids = fields.One2many(
        "attribution.relation", "partner_id", string="Relations",
        help="Family, friends and referrals of this customer (the inverse row is kept "
             "on the other customer automatically).")
    attribution_visit_ids = fields.One2many(
        "attribution.visit", "partner_id", string="Visits")
    attribution_decision_ids = fields.One2many(
        "attribution.decision", "partner_id", string="Attribution Decisions")
    attribution_visit_count = fields.Integer(
        compute="_compute_attribution_visit_count", string="Visit Count")

    @api.depends("mobile", "phone")
    def _compute_attribution_phone(self):
        for partner in self:
            value = False
            for raw in (partner.mobile, partner.phone):
                if not raw:
                    continue
                try:
                    value = normalize_phone(raw)
                    break
                except InvalidPhone:
                    continue
            partner.attribution_phone = value

    @api.depends("attribution_visit_ids.visit_datetime")
    def _compute_visit_dates(self):
        # sudo: the dates are stored on the customer whoever creates or writes it (a
        # CRM salesman outside the office's groups converts leads to customers too);
        # reading them must not need the right to read visits
        for partner in self:
            stamps = partner.sudo().attribution_visit_ids.mapped("visit_datetime")
            partner.first_visit_date = min(stamps)[:10] if stamps else False
            partner.last_visit_date = max(stamps)[:10] if stamps else False

    def _compute_attribution_visit_count(self):
        groups = self.env["attribution.visit"].read_group(
            [("partner_id", "in", self.ids)], ["partner_id"], ["partner_id"])
        counts = {g["partner_id"][0]: g["partner_id_count"] for g in groups}
        for partner in self:
            partner.attribution_visit_count = counts.get(partner.id, 0)

    @api.model
    def _cron_attribution_phone_lapse(self, today=None):
        """A14 (scheduled): phone-only customers whose follow-up window has passed
        become natural customers: owner cleared, decision A14 logged. ``today``
        (``YYYY-MM-DD``; default: today) is the day the windows are judged on."""
        # sudo: the scheduled action looks at every consultant's customers.
        partners = self.sudo().search([
            ("attribution_owner_id", "!=", False), ("last_visit_date", "=", False),
            ("last_followup_date", "!=", False)])
        today = fields.Date.from_string(today or fields.Date.context_today(self))
        Decision = self.env["attribution.decision"]
        for partner in partners:
            company = partner.company_id or self.env.user.company_id
            settings = company._attribution_ownership_settings()
            owner = partner.attribution_owner_id
            decision = policy.lapse_phone_only(
                owner.id, fields.Date.from_string(partner.last_followup_date), today,
                visited=bool(partner.attribution_visit_ids), settings=settings,
                names={owner.id: owner.name})
            if decision:
                Decision.log(partner, self.env["res.users"], decision.rule_code,
                             decision.explanation_zh, decision.explanation_en,
                             previous_owner=owner)
        return True
