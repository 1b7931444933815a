"""``event.event`` of the addon: the schedule and logistics of E1-E5, the thank-you
letter it sends (``thanks_letter``) and what a postponement sets off."""
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..attribution import events
from .input_guard import check_vals

#: fields of the addon on event.event whose careless values are refused clearly
GUARDED_FIELDS = ("confirm_days_before", "call_hour")


class EventEvent(models.Model):
    _inherit = "event.event"

    confirm_days_before = fields.Integer(
        default=2, help="E1: the attendance confirmation message goes out this many "
                        "days before the event (seed: 距论坛只有2天).")
    venue_directions = fields.Text(
        help="E2: how to get there from the guest's direction, for the evening-before "
             "message.")
    greeter_note = fields.Char(
        help="E2: who greets guests at the door (e.g. staff in purple at the hotel "
             "gate).")
    signin_location = fields.Char(
        string="Sign-in Location", help="E2/E3: where guests sign in (e.g. 1st floor).")
    parking_note = fields.Char(help="E2/E3: where guests park (e.g. the basement).")
    call_hour = fields.Integer(
        default=11, help="E3: hour of the event day (office time) at which the "
                         "consultant calls each guest to confirm.")
    thanks_letter = fields.Selection(
        [("gift", "Gift letter (E4, with the signed receipt)"),
         ("survey", "Survey letter (E5, three questions)"),
         ("gift_survey", "One letter with gift and survey")],
        string="Thank-you Letter", required=True,
        default=events.DEFAULT_THANKS_LETTER,
        help="The one letter each guest who did not attend receives after the event "
             "(by e-mail where there is an address; the SMS only announces it).")

    @api.constrains("confirm_days_before", "call_hour")
    def _check_attribution_schedule(self):
        for event in self:
            if event.confirm_days_before < 0:
                raise ValidationError(_("Confirmation days before cannot be negative."))
            if not 0 <= event.call_hour <= 23:
                raise ValidationError(_("The call hour must be between 0 and 23."))

    attribution_message_log_ids = fields.One2many(
        "attribution.message.log", "event_id", string="Message Sends", readonly=True,
        help="E1-E5 sent (or skipped) for this event's registrations.")
    attribution_message_log_count = fields.Integer(
        compute="_compute_attribution_message_log_count",
        help="Number of E1-E5 sends for this event.")

    @api.depends("attribution_message_log_ids")
    def _compute_attribution_message_log_count(self):
        for event in self:
            event.attribution_message_log_count = len(event.attribution_message_log_ids)

    @api.multi
    def action_view_attribution_messages(self):
        action = self.env.ref(
            "sales_attribution.attribution_message_log_action").read()[0]
        action["domain"] = [("event_id", "in", self.ids)]
        return action

    @api.model
    def create(self, vals):
        return super().create(check_vals(self, vals, GUARDED_FIELDS))

    @api.multi
    def write(self, vals):
        vals = check_vals(self, vals, GUARDED_FIELDS)
        before = {event.id: event.date_begin for event in self} if (
            "date_begin" in vals) else {}
        result = super().write(vals)
        moved = self.filtered(lambda event: event.id in before
                              and event.date_begin != before[event.id])
        if moved:
            moved._attribution_postponed(before)
        return result

    def _attribution_postponed(self, before):
        """The events of ``self`` were moved (``before``: event id -> old
        ``date_begin``): each guest whose confirmation (E1) announced another date
        gets a phone re-confirmation activity for the consultant, and a pending
        confirmation call (E3) moves to the new event day and counts as the call of
        the new start. The re-confirmation message (E1R), and E2 and E3 for the new
        start, are the cron's (``attribution.message.log._send_due``)."""
        Reg = self.env["event.registration"]
        for event in self:
            regs = Reg.search([("event_id", "=", event.id), ("state", "=", "open")])
            for reg, reg_facts in zip(regs, regs._attribution_reg_facts()):
                if "E1" in reg_facts.sent_codes:
                    reg._attribution_create_reconfirm_call(before[event.id])
                if reg.call_activity_id:
                    reg._attribution_move_call()
