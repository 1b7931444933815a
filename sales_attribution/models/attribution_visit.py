from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..attribution import codes
from .input_guard import check_vals

VISIT_KINDS = [
    ("walk_in", "Walk-in"),
    ("appointment", "Appointment"),
    ("referral", "Referral by a Customer"),
    ("staff_referral", "Staff or Developer Referral"),
]


def rule_code_selection():
    return [(code, codes.label(code, "en_US")) for code in codes.CODES]


class AttributionVisit(models.Model):
    _name = "attribution.visit"
    _description = "Visit Registration"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "visit_datetime desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", index=True, ondelete="restrict",
        track_visibility="onchange",
        help="The visiting customer. Leave empty and give the phone: the customer is "
             "found by normalised phone or created.")
    phone = fields.Char(
        help="The customer's phone as told at the desk; customers are matched on it "
             "(full-width digits, +86/0086, spaces and dashes are accepted).")
    visit_datetime = fields.Datetime(
        string="Visit Time", required=True, default=fields.Datetime.now, index=True,
        help="Arrival at the showroom (B7: staff referrals go to whoever is on duty then).")
    team_id = fields.Many2one(
        "crm.team", string="Sales Team", index=True,
        default=lambda self: self.env["crm.team"]._get_default_team_id(),
        help="The sales office the customer visited; its rotation serves walk-ins.")
    kind = fields.Selection(
        VISIT_KINDS, required=True, default="walk_in", track_visibility="onchange",
        help="Walk-in: no claim, goes by rotation (A3). Appointment: made by a consultant "
             "(B3b). Referral: brought or sent by an existing customer (B4, B8). Staff "
             "referral: sent by the developer's staff or non-sales staff (B7).")
    receiver_id = fields.Many2one(
        "res.users", string="Received By", track_visibility="onchange",
        help="Consultant who received the customer at the desk. Empty for a walk-in: "
             "the rotation decides (A3).")
    requested_user_id = fields.Many2one(
        "res.users", string="Consultant Asked For",
        help="Consultant the customer asked for by name (A2, A4, B3b, B4).")
    appointment_user_id = fields.Many2one(
        "res.users", string="Appointment Made By",
        help="B3b: consultant who made the appointment; honoured only when the customer "
             "asks for them.")
    referrer_partner_ids = fields.Many2many(
        "res.partner", "attribution_visit_referrer_rel", "visit_id", "partner_id",
        string="Referred By", help="Existing customers who brought or sent this customer "
                                   "(B4; two or more with different consultants: B8).")
    brought_in_person = fields.Boolean(
        help="B4: the existing customer came along in person.")
    customer_recalls_consultant = fields.Boolean(
        string="Customer Recalls a Consultant",
        help="The customer remembers the consultant who received or called them "
             "(A5, A14, B6).")
    asked_prior_visit = fields.Boolean(
        string="Asked About Prior Visits",
        help="A5: the receiver asked whether the customer had visited before. A "
             "collision later found on a visit where this was not asked is recorded "
             "against the receiver.")
    companion_partner_ids = fields.Many2many(
        "res.partner", "attribution_visit_companion_rel", "visit_id", "partner_id",
        string="Companions", help="People who came together with the customer (A9: a "
                                  "family visiting together buys as one).")
    owner_id = fields.Many2one(
        "res.users", string="Owner", readonly=True, index=True, track_visibility="onchange",
        help="Result: the consultant who owns the customer after this visit.")
    decision_id = fields.Many2one(
        "attribution.decision", string="Decision", readonly=True, copy=False,
        help="The attribution decision this visit produced.")
    rule_code = fields.Selection(
        rule_code_selection(), related="decision_id.rule_code", store=True, readonly=True,
        help="Rule of the rule book that decided the owner.")
    explanation = fields.Text(related="decision_id.explanation", readonly=True)
    note = fields.Text()

    @api.depends("partner_id", "visit_datetime")
    def _compute_name(self):
        for visit in self:
            visit.name = "%s %s" % (visit.partner_id.display_name or visit.phone or "",
                                    (visit.visit_datetime or "")[:16])

    @api.constrains("partner_id", "phone")
    def _check_customer_given(self):
        for visit in self:
            if not visit.partner_id and not visit.phone:
                raise ValidationError(_("A visit needs the customer or their phone number."))

    @api.constrains("visit_datetime")
    def _check_not_future(self):
        # a few minutes of slack for clocks of tablets at the desk
        limit = fields.Datetime.to_string(
            fields.Datetime.from_string(fields.Datetime.now()) + timedelta(minutes=10))
        for visit in self:
            if visit.visit_datetime and visit.visit_datetime > limit:
                raise ValidationError(_("A visit cannot be registered in the future (%s).")
                                      % visit.visit_datetime)

    @api.model
    def create(self, vals):
        return super().create(check_vals(self, vals))

    @api.multi
    def write(self, vals):
        return super().write(check_vals(self, vals))
