from odoo import api, fields, models


class AttributionMessageLog(models.Model):
    """One row per (registration, code): the claim that makes E1-E5 sends idempotent.

    The cron inserts the row with ``INSERT ... ON CONFLICT DO NOTHING RETURNING`` in
    the transaction that sends (see ``event.registration._attribution_claim``); a second
    worker running the same job at the same time finds the row and sends nothing.
    Skipped codes are kept with ``state='skipped'`` and their reason so the event's
    chatter lists each skip once; a later send turns the row into ``sent``.
    """

    _name = "attribution.message.log"
    _description = "Event Message Send (E1-E5)"
    _order = "id desc"

    registration_id = fields.Many2one(
        "event.registration", required=True, ondelete="cascade", index=True,
        readonly=True, help="Registration the message went to.")
    event_id = fields.Many2one(
        "event.event", related="registration_id.event_id", store=True, readonly=True,
        help="Event of the registration.")
    partner_id = fields.Many2one(
        "res.partner", related="registration_id.partner_id", readonly=True,
        help="Guest of the registration.")
    code = fields.Selection(
        [("E1", "E1 Confirmation"), ("E2", "E2 Logistics"),
         ("E3", "E3 Confirmation Call"), ("E4", "E4 Thank-you Letter with Gift"),
         ("E5", "E5 Thank-you Letter with Survey")],
        required=True, readonly=True,
        help="Rule code of the message (SPEC section 4).")
    state = fields.Selection(
        [("sent", "Sent"), ("skipped", "Skipped")], required=True, default="sent",
        readonly=True,
        help="Sent: the message (or call activity) was created. Skipped: its time "
             "came but it could not go to this registration.")
    date = fields.Datetime(readonly=True, help="When it was sent or skipped.")
    reason = fields.Char(readonly=True, help="Why it was skipped.")
    mail_id = fields.Many2one("mail.mail", readonly=True, ondelete="set null",
                              help="The e-mail created from the template.")
    sms_id = fields.Many2one("attribution.sms.message", readonly=True,
                             ondelete="set null", help="The SMS copy in the outbox.")
    activity_id = fields.Many2one("mail.activity", readonly=True, ondelete="set null",
                                  help="E3: the confirmation call activity.")

    _sql_constraints = [
        ("registration_code_uniq", "UNIQUE(registration_id, code)",
         "A message is sent only once per registration and code."),
    ]

    @api.multi
    def name_get(self):
        return [(log.id, "%s %s" % (log.code, log.registration_id.display_name))
                for log in self]
