import datetime
import logging

from odoo import api, fields, models

from ..tools import bulk_mail

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
    def _queue(self, rows):
        """Put the messages ``rows`` (dicts of ``create`` values: ``registration_id``,
        ``partner_id``, ``number``, ``body``, ``code``, ``next_try``) in the outbox, one
        INSERT for all; returns ``{registration id: message id}``."""
        return bulk_mail.insert_rows(self.env, self._name, rows, "registration_id")

    @api.model
    def _cron_send(self, now=None, limit=200, auto_commit=False):
        """Send the queued messages whose ``next_try`` has come. Rows are locked with
        SKIP LOCKED so two workers never post the same message. Returns the ids
        sent.

        ``auto_commit`` (the scheduled action passes True): every message is locked,
        posted and its new state committed on its own, as core's mail queue does
        (``mail.mail.send(auto_commit=True)``). A worker killed in the middle of a batch
        has then recorded every message the gateway accepted, and the next run sends
        the rest once; only the message in flight at the kill may go twice. Without it
        (tests, callers inside a larger transaction) the batch is one transaction.
        """
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
        for message_id in ids:
            if auto_commit and message_id != ids[0]:
                # the previous commit released the locks taken above: lock again, and
                # leave the message to the worker that took it meanwhile
                self.env.cr.execute(
                    "SELECT id FROM attribution_sms_message WHERE id = %s "
                    "AND state = 'queued' FOR UPDATE SKIP LOCKED", (message_id,))
                if not self.env.cr.fetchone():
                    continue
                self.invalidate_cache(ids=[message_id])
            message = self.browse(message_id)
            ok, retry, reason = gateway._send_sms(message.number, message.body)
            attempts = message.attempts + 1
            if ok:
                message.write({"state": "sent", "attempts": attempts, "error": False,
                               "sent_date": now, "next_try": False})
                sent.append(message.id)
            else:
                _logger.info("SMS %s to %s failed: %s", message.id, message.number,
                             reason)
                if retry and attempts < MAX_ATTEMPTS:
                    message.write({
                        "attempts": attempts, "error": reason,
                        "next_try": fields.Datetime.to_string(
                            now_dt + backoff(attempts))})
                else:
                    message.write({"state": "failed", "attempts": attempts,
                                   "error": reason, "next_try": False})
            if auto_commit:
                # the gateway has the message: record it before posting the next one
                # (scheduled action only, see the docstring)
                self.env.cr.commit()
        return sent
