from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class EventRegistration(models.Model):
    _inherit = "event.registration"

    attribution_user_id = fields.Many2one(
        "res.users", string="Consultant",
        help="Consultant who invited the guest; signs the messages (E1-E5).")
    seats_reserved = fields.Integer(
        default=1, help="E2/E3: seats reserved for the guest's party.")
    confirm_sent_date = fields.Datetime(readonly=True, copy=False,
                                        help="E1 confirmation sent.")
    logistics_sent_date = fields.Datetime(readonly=True, copy=False,
                                          help="E2 logistics message sent.")
    call_activity_id = fields.Many2one(
        "mail.activity", string="Confirmation Call", readonly=True, copy=False,
        ondelete="set null", help="E3 phone call activity of the consultant.")
    thanks_sent_date = fields.Datetime(readonly=True, copy=False,
                                       help="E4/E5 thank-you letter sent (absentees).")
    gift_description = fields.Char(help="E4: the gift delivered to the absentee.")
    gift_courier_id = fields.Many2one(
        "res.users", string="Gift Courier", help="E4: who delivers the gift.")
    gift_signed_date = fields.Date(help="E4: date the receipt (签收回执) was signed.")
    survey_knows_planning = fields.Selection(
        [("yes", "Yes"), ("no", "No")], string="Knows Financial Planning",
        help="E5 question 1: 您是否对家庭投资理财有足够的了解?")
    survey_pension_holder = fields.Selection(
        [("husband", "Husband"), ("wife", "Wife"), ("other", "Other")],
        string="Pension Plan Holder",
        help="E5 question 2: 您的家庭成员目前谁拥有养老规划?")
    survey_suggestion = fields.Text(
        help="E5 question 3: 您对我公司的服务是否有更好的建议?")

    @api.constrains("seats_reserved")
    def _check_seats_reserved(self):
        for reg in self:
            if reg.seats_reserved < 0:
                raise ValidationError(_("Reserved seats cannot be negative."))
