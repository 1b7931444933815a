import datetime
import logging

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

#: minutes before the n-th retry: 1, 2, 4, ... capped at one day
BACKOFF_BASE_MINUTES = 1
BACKOFF_MAX_MINUTES = 24 * 60
MAX_ATTEMPTS = 10


def backoff(attempts):
    """Delay before the next try after ``attempts`` failed tries (exponential)."""
    minutes = BACKOFF_BASE_MINUTES * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(minutes=min(minutes, BACKOFF_MAX_MINUTES))


class AttributionSmsMessage(models.Model):
    """Outbox of the SMS copies of E1-E5, sent by :meth:`_cron_send` with back-off."""

    _name = "attribution.sms.message"
    _description = "SMS Outbox Message"
    _order = "id desc"

    registration_id = fields.Many2one(
        "event.registration", ondelete="cascade", index=True, readonly=True,
        help="Registration the message belongs to.")
    partner_id = fields.Many2one("res.partner", readonly=True, help="Addressee.")
    number = fields.Char(required=True, readonly=True,
                         help="Mobile number, normalised (11 digits).")
    body = fields.Text(required=True, readonly=True, help="Plain text of the message.")
    code = fields.Char(readonly=True, help="Rule code (E1-E5).")
    state = fields.Selection(
        [("queued", "Queued"), ("sent", "Sent"), ("failed", "Failed")],
        default="queued", required=True, readonly=True, index=True,
        help="Queued: waits for the gateway (again after a temporary failure). Failed: "
             "refused by the gateway or too many attempts.")
    error = fields.Char(string="Error Reason", readonly=True,
                        help="Last failure of the gateway.")
    attempts = fields.Integer(readonly=True, help="Tries so far.")
    next_try = fields.Datetime(readonly=True, index=True,
                               help="Not sent before this time (back-off).")
    sent_date = fields.Datetime(readonly=True, help="When the gateway accepted it.")

    _sql_constraints = [
        ("registration_code_uniq", "UNIQUE(registration_id, code)",
         "One SMS per registration and code."),
    ]

    @api.multi
    def action_retry(self):
        self.write({"state": "queued", "next_try": False})
        return True

    @api.model
    def _cron_send(self, now=None, limit=200):
        """Send the queued messages whose ``next_try`` has come. Rows are locked with
        SKIP LOCKED so two workers never post the same message. Returns the ids
        sent."""
        now = now or fields.Datetime.now()
        if not isinstance(now, str):
            now = fields.Datetime.to_string(now)
        gateway = self.env["attribution.sms.gateway"]._get_gateway()
        if not gateway:
            return []
        self.env.cr.execute(
            "SELECT id FROM attribution_sms_message WHERE state = 'queued' "
            "AND (next_try IS NULL OR next_try <= %s) ORDER BY id LIMIT %s "
            "FOR UPDATE SKIP LOCKED", (now, limit))
        ids = [row[0] for row in self.env.cr.fetchall()]
        sent = []
        now_dt = fields.Datetime.from_string(now)
        for message in self.browse(ids):
            ok, retry, reason = gateway._send_sms(message.number, message.body)
            attempts = message.attempts + 1
            if ok:
                message.write({"state": "sent", "attempts": attempts, "error": False,
                               "sent_date": now, "next_try": False})
                sent.append(message.id)
                continue
            _logger.info("SMS %s to %s failed: %s", message.id, message.number, reason)
            if retry and attempts < MAX_ATTEMPTS:
                message.write({
                    "attempts": attempts, "error": reason,
                    "next_try": fields.Datetime.to_string(now_dt + backoff(attempts))})
            else:
                message.write({"state": "failed", "attempts": attempts,
                               "error": reason, "next_try": False})
        return sent
