from odoo import _, api, fields, models
from odoo.exceptions import UserError


class EventGiftWizard(models.TransientModel):
    """Courier wizard (E4/E5): record the gift delivery and the survey answers the
    courier brought back, on the registration."""

    _name = "event.gift.wizard"
    _description = "Gift Delivery and Survey Answers"

    registration_id = fields.Many2one(
        "event.registration", required=True, ondelete="cascade",
        help="Registration of the absent guest.")
    gift_description = fields.Char(help="E4: the gift delivered.")
    gift_courier_id = fields.Many2one("res.users", string="Gift Courier",
                                      help="E4: who delivered it.")
    gift_signed_date = fields.Date(help="E4: date the guest signed the receipt.")
    survey_knows_planning = fields.Selection(
        [("yes", "Yes"), ("no", "No")], string="Knows Financial Planning",
        help="E5 question 1: 您是否对家庭投资理财有足够的了解?")
    survey_pension_holder = fields.Selection(
        [("husband", "Husband"), ("wife", "Wife"), ("other", "Other")],
        string="Pension Plan Holder", help="E5 question 2: 您的家庭成员目前谁拥有养老规划?")
    survey_suggestion = fields.Text(help="E5 question 3: 您对我公司的服务是否有更好的建议?")

    _FIELDS = ("gift_description", "gift_courier_id", "gift_signed_date",
               "survey_knows_planning", "survey_pension_holder", "survey_suggestion")

    @api.model
    def default_get(self, field_names):
        res = super(EventGiftWizard, self).default_get(field_names)
        reg_id = res.get("registration_id") or (
            self.env.context.get("active_model") == "event.registration"
            and self.env.context.get("active_id"))
        if reg_id:
            reg = self.env["event.registration"].browse(reg_id)
            res["registration_id"] = reg.id
            for name in self._FIELDS:
                if name in field_names and reg[name]:
                    value = reg[name]
                    res[name] = value.id if name == "gift_courier_id" else value
        return res

    @api.multi
    def action_save(self):
        self.ensure_one()
        if self.gift_signed_date and not self.gift_description:
            raise UserError(_("Describe the gift before recording its receipt."))
        reg = self.registration_id
        vals = {name: (self[name].id if name == "gift_courier_id" else self[name])
                for name in self._FIELDS}
        reg.write(vals)
        reg.message_post(body=_("Gift delivery and survey answers recorded."),
                         subtype="mail.mt_note")
        return {"type": "ir.actions.act_window_close"}
