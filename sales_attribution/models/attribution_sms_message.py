"""``attribution.sms.message``: the outbox of the SMS copies of E1-E5.

A message is queued with its text, held
until the morning when it falls in the office's quiet hours (S1) and skipped for a
customer who opted out (S2), each with a note; :meth:`_cron_send` sends what is due
with back-off, filling a provider template's parameters from the registration's facts
at that moment, and records what went and what the provider answered (facts,
parameters, request id, status, SMS parts)."""
import datetime
import logging

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..attribution import events, sms, terms
from ..attribution.phone import InvalidPhone, normalize_phone
from ..tools import bulk_mail, row_claims

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
    claim_key = fields.Char(
        required=True, default=events.ONCE, readonly=True,
        help="What the message is unique for beside the registration and code: 'once', "
             "or for E2 the event start it was sent for (a postponed event sends it "
             "again for the new start).")
    state = fields.Selection(
        [("queued", "Queued"), ("sent", "Sent"), ("failed", "Failed"),
         ("skipped", "Skipped")],
        default="queued", required=True, readonly=True, index=True,
        help="Queued: waits for the gateway (again after a temporary failure, or until "
             "the quiet hours end). Failed: refused by the gateway or too many "
             "attempts. Skipped: the customer opted out (S2), or the message was no "
             "longer due when its turn came (registration or event cancelled, guest "
             "attended, event begun).")
    error = fields.Char(string="Error Reason", readonly=True,
                        help="Last failure of the gateway.")
    attempts = fields.Integer(readonly=True, help="Tries so far.")
    next_try = fields.Datetime(readonly=True, index=True,
                               help="Not sent before this time (back-off).")
    sent_date = fields.Datetime(readonly=True, help="When the gateway accepted it.")
    note = fields.Char(readonly=True,
                       help="Why the message waits (S1 quiet hours) or was skipped (S2 "
                            "opt-out).")
    facts = fields.Text(readonly=True,
                        help="JSON: the message's facts the template parameters are "
                             "filled from.")
    gateway_id = fields.Many2one("attribution.sms.gateway", readonly=True,
                                 ondelete="set null",
                                 help="Gateway of the last attempt.")
    template_code = fields.Char(string="Provider Template", readonly=True,
                                help="The provider's template code sent.")
    params = fields.Text(string="Parameters Sent", readonly=True,
                         help="JSON: the template parameters sent to the provider.")
    request_id = fields.Char(readonly=True,
                             help="The provider's request id of the last attempt.")
    provider_status = fields.Char(readonly=True,
                                  help="The provider's status code of the last attempt "
                                       "(OK, or the refusal's code).")
    segments = fields.Integer(
        string="SMS Parts", readonly=True,
        help="SMS billed for the text the phone shows, signature included: up to 70 "
             "characters one, 67 per part beyond.")

    _sql_constraints = [
        ("registration_code_uniq", "UNIQUE(registration_id, code, claim_key)",
         "One SMS per registration and code (E2: one per event start)."),
    ]

    @api.multi
    def action_retry(self):
        """Queue the failed messages of ``self`` again: the next run of the outbox
        sends them (quiet hours and opt-out checked then). Only failed ones: a sent
        message would reach the customer twice, a skipped one was skipped because
        the customer opted out. ``UserError`` otherwise; managers only (write
        access)."""
        if self.filtered(lambda message: message.state != "failed"):
            raise UserError(_("Only failed SMS can be retried: a sent or queued one "
                              "would reach the customer twice, a skipped one was "
                              "refused by the customer."))
        self.write({"state": "queued", "next_try": False})
        return True

    @api.model
    def _queue(self, rows):
        """Put the messages ``rows`` (dicts of ``create`` values: ``registration_id``,
        ``partner_id``, ``number``, ``body``, ``code``, ``next_try`` (the time of the
        send run, UTC string)) in the outbox, one INSERT for all; returns
        ``{registration id: message id}``.

        Each row gets its SMS parts and the decision of
        :func:`attribution.sms.send_decision` at ``next_try``: a customer who opted
        out gets a ``skipped`` row (S2), a message due in the quiet hours waits until
        they end (S1); both say so in ``note``."""
        if not rows:
            return {}
        # only the fields used (event, its company), a query each for all rows: not
        # every column of every registration, read and converted at the first access
        regs = self.env["event.registration"].with_context(
            prefetch_fields=False).browse([row["registration_id"] for row in rows])
        opted_out = self._opted_out([row.get("partner_id") for row in rows])
        numbers_out = self._opted_out_numbers([row["number"] for row in rows])
        lang = self._note_lang()
        decisions = {}
        result = []
        for row, reg in zip(rows, regs):
            now = row.get("next_try") or fields.Datetime.now()
            company = reg.event_id.company_id or self.env.user.company_id
            out = (row.get("partner_id") in opted_out
                   or row["number"] in numbers_out)
            key = (company.id, now, out)
            if key not in decisions:
                moment = fields.Datetime.from_string(now)
                decisions[key] = sms.send_decision(
                    None, moment, company._attribution_quiet_hours(), opted_out=out)
            decision = decisions[key]
            values = dict(row)
            values.update({
                "segments": sms.segment_count(row["body"]),
                "note": decision.message(lang) or False,
                "state": "skipped" if decision.action == "skip" else "queued",
                "next_try": (fields.Datetime.to_string(decision.at)
                             if decision.action != "skip" else False),
            })
            result.append(values)
        return bulk_mail.insert_rows(self.env, self._name, result, "registration_id")

    def _note_lang(self):
        return self.env.context.get("lang") or self.env.user.lang or "en_US"

    @api.model
    def _opted_out(self, partner_ids):
        """The ids among ``partner_ids`` of customers who opted out (S2), one query."""
        ids = tuple({pid for pid in partner_ids if pid})
        if not ids:
            return set()
        self.env.cr.execute(
            "SELECT id FROM res_partner WHERE id IN %s AND attribution_sms_opt_out",
            (ids,))
        return {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def _opted_out_numbers(self, numbers):
        """The numbers among ``numbers`` (normalised) held by a customer who opted
        out (S2), one query: the person at the number opted out, whichever
        registration names it."""
        numbers = tuple({number for number in numbers if number})
        if not numbers:
            return set()
        self.env.cr.execute(
            "SELECT pp.phone FROM attribution_partner_phone pp "
            "JOIN res_partner p ON p.id = pp.partner_id "
            "WHERE pp.phone IN %s AND p.attribution_sms_opt_out", (numbers,))
        return {row[0] for row in self.env.cr.fetchall()}

    def _is_opted_out(self):
        """S2 for this outbox message: its addressee opted out, or a customer
        holding its number did."""
        self.ensure_one()
        return bool(self.partner_id.attribution_sms_opt_out
                    or self._opted_out_numbers([self.number]))

    @api.model
    def _partners_of(self, number):
        """Customers holding the mobile ``number`` (any written form): their phone
        rows and the people the outbox's messages to it addressed (never the
        company that booked a seat: the attendee at the number replied, not the
        company)."""
        try:
            number = normalize_phone(number)
        except InvalidPhone:
            return self.env["res.partner"]
        # sudo: whoever's customers they are, a reply from the number opts them out
        rows = self.env["attribution.partner.phone"].sudo().search(
            [("phone", "=", number)])
        messages = self.sudo().search([("number", "=", number),
                                       ("partner_id", "!=", False),
                                       ("partner_id.is_company", "=", False)])
        return (rows.mapped("partner_id") | messages.mapped("partner_id")).sudo()

    @api.model
    def _reply_contact(self, number):
        """S2 for a reply from ``number`` (normalised) that no customer holds: the
        attendee the latest message to it addressed, recorded as a contact with
        that number (under the company that booked the seat, if one did) so that
        the opt-out sticks to the number; an empty recordset when the outbox never
        wrote to it."""
        # sudo: the provider's callback stands for no user
        message = self.sudo().search([("number", "=", number),
                                      ("registration_id", "!=", False)], limit=1)
        reg = message.registration_id
        if not reg:
            return self.env["res.partner"]
        company = reg.partner_id.commercial_partner_id
        return self.env["res.partner"].sudo().create({
            "name": reg.name or number, "mobile": number,
            "parent_id": company.id if company.is_company else False})

    def _template_facts(self, now):
        """The facts of the message at ``now`` (naive UTC) for template parameters
        (:func:`attribution.sms.message_facts` of its registration's wording
        context); ``{}`` without a registration. Taken at send time: a message held
        overnight counts the days to the event from the morning it goes, and a
        postponed event's new date is the one sent."""
        reg = self.registration_id
        if not reg:
            return {}
        ctx = reg.with_context(**{
            terms.CTX_NOW: fields.Datetime.to_string(now)})._attribution_ctx()
        return sms.message_facts(ctx)

    def _undeliverable(self, now):
        """Why this message, waiting until ``now`` (naive UTC), must not go after
        all (:func:`attribution.events.undeliverable`: registration or event
        cancelled, guest attended, event begun or moved to another day than the
        one its send announced) as ``(zh, en)``; None when it may, or when it
        belongs to no registration."""
        reg = self.registration_id
        if not reg or self.code not in events.MESSAGE_CODES:
            return None
        # sudo: the send log is read-only to users
        log = self.env["attribution.message.log"].sudo().search(
            [("sms_id", "=", self.id)], limit=1)
        reason = events.undeliverable(
            self.code, reg.state, reg.event_id.state,
            fields.Datetime.from_string(reg.event_id.date_begin), now,
            announced=fields.Datetime.from_string(log.event_date or None),
            tz=self._company()._attribution_tz())
        if reason is None:
            return None
        return ("不再发送:%s" % reason[0], "Not sent: %s" % reason[1])

    def _company(self):
        return self.registration_id.event_id.company_id or self.env.user.company_id

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
        # rows another worker sent since this transaction began are theirs
        ids = [row[0] for row in row_claims.claim(
            self.env.cr,
            "SELECT id FROM attribution_sms_message WHERE state = 'queued' "
            "AND (next_try IS NULL OR next_try <= %s) ORDER BY id LIMIT %s "
            "FOR UPDATE SKIP LOCKED", (now, limit))]
        sent = []
        now_dt = fields.Datetime.from_string(now)
        for message_id in ids:
            if auto_commit and message_id != ids[0]:
                # the previous commit released the locks taken above: lock again, and
                # leave the message to the worker that took it meanwhile
                if not row_claims.claim(
                        self.env.cr,
                        "SELECT id FROM attribution_sms_message WHERE id = %s "
                        "AND state = 'queued' FOR UPDATE SKIP LOCKED", (message_id,)):
                    continue
                self.invalidate_cache(ids=[message_id])
            message = self.browse(message_id)
            self._send_one(message, gateway, now_dt)
            if message.state == "sent":
                sent.append(message.id)
            if auto_commit:
                # the gateway has the message: record it before posting the next one
                # (scheduled action only, see the docstring)
                self.env.cr.commit()
        return sent

    def _send_one(self, message, gateway, now):
        """Send the locked, due ``message`` through ``gateway`` at ``now`` (naive
        UTC), unless it is no longer due (:meth:`_undeliverable`: skipped), its
        customer opted out since (S2: skipped) or ``now`` is in the office's quiet
        hours (S1: ``next_try`` moves to their end, no attempt counted); record the
        answer."""
        lang = self._note_lang()
        now_str = fields.Datetime.to_string(now)
        reason = message._undeliverable(now)
        if reason:
            text = reason[0] if lang.startswith("zh") else reason[1]
            # sudo: the send log is read-only to users; it and the guest's mail of
            # the same send are dropped with the SMS
            log = self.env["attribution.message.log"].sudo().search(
                [("sms_id", "=", message.id)], limit=1)
            if log:
                log._drop_waiting(text)
            else:
                message.write({"state": "skipped", "next_try": False, "note": text})
            _logger.info("SMS %s dropped: %s", message.id, reason[1])
            return
        decision = sms.send_decision(
            None, now, message._company()._attribution_quiet_hours(),
            opted_out=message._is_opted_out())
        if decision.action == "skip":
            message.write({"state": "skipped", "note": decision.message(lang),
                           "next_try": False})
            _logger.info("SMS %s skipped: %s", message.id, decision.message_en)
            return
        if decision.action == "hold":
            message.write({"next_try": fields.Datetime.to_string(decision.at),
                           "note": decision.message(lang)})
            _logger.info("SMS %s held: %s", message.id, decision.message_en)
            return
        attempts = message.attempts + 1
        try:
            template, params, text = gateway._prepare_send(message, now)
        except terms.BilingualError as err:
            message.write({"state": "failed", "attempts": attempts,
                           "error": err.message(lang), "next_try": False,
                           "gateway_id": gateway.id})
            return
        result = gateway._send_message(message, template, params)
        values = {
            "attempts": attempts, "gateway_id": gateway.id,
            "template_code": template.provider_template or False,
            "params": sms.dumps(params) if params else False,
            "request_id": result.request_id or False,
            "provider_status": result.status or False,
            "segments": sms.segment_count(text), "note": False,
        }
        if result.ok:
            values.update({"state": "sent", "error": False, "sent_date": now_str,
                           "next_try": False})
        else:
            _logger.info("SMS %s to %s failed: %s", message.id, message.number,
                         result.reason)
            values["error"] = result.reason
            if result.retry and attempts < MAX_ATTEMPTS:
                values["next_try"] = fields.Datetime.to_string(
                    now + backoff(attempts))
            else:
                values.update({"state": "failed", "next_try": False})
        message.write(values)
