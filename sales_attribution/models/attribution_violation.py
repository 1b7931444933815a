from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

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
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _rec_name = "category"

    user_id = fields.Many2one(
        "res.users", string="Consultant", required=True, index=True,
        track_visibility="onchange")
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    category = fields.Selection(
        VIOLATION_CATEGORIES, required=True, default="other", track_visibility="onchange",
        help="A12: impolite, complaint; A13: abandoning a customer; A8: poaching; duty "
             "rules: late, absence; A5: a collision where prior visits were not asked.")
    fault_class = fields.Selection(
        FAULT_CLASSES, string="Fault Class", required=True, default="c",
        track_visibility="onchange", help="A is the gravest (A13, A8).")
    strike_count = fields.Integer(
        readonly=True,
        help="The consultant's violations within the strike period up to and including "
             "this one; at the configured number (3) dismissal is proposed.")
    description = fields.Text()
    team_id = fields.Many2one("crm.team", string="Sales Team", index=True)
    rule_code = fields.Char(readonly=True, help="Rule of the rule book that was broken.")
    source_ref = fields.Char(
        readonly=True, index=True,
        help="The record that caused this violation (e.g. attribution.conflict,12); one "
             "event never records two violations.")

    _sql_constraints = [
        ("source_unique", "unique(user_id, category, source_ref)",
         "This event has already been recorded as a violation."),
    ]

    @api.constrains("date")
    def _check_date(self):
        today = fields.Date.context_today(self)
        for violation in self:
            if violation.date > today:
                raise ValidationError(_("A violation cannot be dated in the future."))

    @api.model
    def record(self, user, category, source_ref, description=None, rule_code=None,
               fault_class=None, date=None):
        """Record a violation caused by ``source_ref`` (e.g. ``"attribution.conflict,12"``).

        Called from where the violation happens (a collision not asked about, a deliberate
        poaching ruling, a complaint, an abandoned customer). Idempotent: the same event
        never records two violations; the existing one is returned.
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
        # sudo: the consultant whose action revealed the fault cannot create violations
        return self.sudo().create(vals)
