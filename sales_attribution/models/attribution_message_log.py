"""``attribution.message.log``: the send table of E1-E5, its "exactly once" claims and
the sending of a claimed batch.

The claim is the row itself: ``UNIQUE(registration_id, code, claim_key)`` and ``INSERT
... ON CONFLICT`` in the transaction that sends (:meth:`AttributionMessageLog._claim`),
so two cron workers never send one message twice. ``claim_key`` is 'once' for the
codes a registration receives once, the event's start for E2 and E3, which a postponed
event sends again for its new start (:func:`attribution.events.claim_key`). What a
batch sends goes through :mod:`..tools.bulk_mail` (Odoo's ``send_mail`` /
``message_post`` rows, in bulk).
"""
import logging
from collections import OrderedDict

from psycopg2.extensions import AsIs

from odoo import _, api, fields, models, tools

from ..attribution import events, terms
from ..tools import bulk_mail, row_claims
from .event_registration import TextMemo

_logger = logging.getLogger(__name__)

#: registrations claimed and sent together (one INSERT per table a batch)
SEND_BATCH = 500
#: the registration's field that records when ``code`` was sent
SENT_DATE_FIELD = {"E1": "confirm_sent_date", "E1R": "confirm_sent_date",
                   "E2": "logistics_sent_date",
                   "E4": "thanks_sent_date", "E5": "thanks_sent_date"}


class AttributionMessageLog(models.Model):
    """One row per (registration, code), and per event start for E2 and E3: the claim
    that makes E1-E5 sends idempotent.

    A second worker running the same job at the same time finds the row and sends
    nothing. Skipped codes are kept with ``state='skipped'`` and their reason so the
    event's chatter lists each skip once; a later send turns the row into ``sent``.
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
        [("E1", "E1 Confirmation"), ("E1R", "E1 Re-confirmation (postponed)"),
         ("E2", "E2 Logistics"),
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
    event_date = fields.Datetime(
        string="Announced Event Date", readonly=True,
        help="The event's start when the message was sent: the date it announced "
             "(kept when the event is postponed; E1R then announces the new one).")
    claim_key = fields.Char(
        required=True, default=events.ONCE, readonly=True,
        help="What the send is unique for beside the registration and code: 'once', "
             "or for E2 and E3 the event start they were sent for (a postponed event "
             "sends them again for the new start).")
    late = fields.Boolean(
        string="Sent Late", readonly=True,
        help="E1 sent at once because the registration was confirmed after the "
             "confirmation day had begun.")
    reason = fields.Char(readonly=True, help="Why it was skipped.")
    # indexed: a mail leaving and an SMS sent look up their send row
    mail_id = fields.Many2one("mail.mail", readonly=True, ondelete="set null",
                              index=True, help="The e-mail created from the template.")
    sms_id = fields.Many2one("attribution.sms.message", readonly=True, index=True,
                             ondelete="set null", help="The SMS copy in the outbox.")
    activity_id = fields.Many2one("mail.activity", readonly=True, ondelete="set null",
                                  help="E3: the confirmation call activity.")

    _sql_constraints = [
        ("registration_code_uniq", "UNIQUE(registration_id, code, claim_key)",
         "A message is sent only once per registration and code (E2 and E3: once "
         "per event start)."),
    ]

    @api.multi
    def name_get(self):
        return [(log.id, "%s %s" % (log.code, log.registration_id.display_name))
                for log in self]

    # ------------------------------------------------------------------ the cron

    @api.model
    def _send_due(self, now):
        """Send E1-E5 that are due at ``now`` (naive UTC datetime) to every event's
        registrations (``event.registration._cron_attribution_messages``, the
        scheduled action's entry point). Returns ``{"sent": [(reg_id, code)],
        "skipped": [(reg_id, code, reason_en)]}``; new skips are posted on the event.

        Code by code, the registrations are claimed (:meth:`_claim`) and sent
        (:meth:`_send_batch`) in batches of ``SEND_BATCH``: a constant number of
        queries a batch."""
        # read the fields used, a query per field and batch, not every column of
        # thousands of registrations and guests at the first access of one
        # one memo for the run: each registration's addressee is worked out once,
        # for the due messages' facts and again for every batch that sends to it
        Reg = self.env["event.registration"].with_context(
            prefetch_fields=False, attribution_text_memo=TextMemo())
        result = {"sent": [], "skipped": []}
        for event in Reg._attribution_events(now):
            regs = Reg.search([("event_id", "=", event.id)], order="id")
            due, skipped = events.due_messages(
                Reg._attribution_facts(event), regs._attribution_reg_facts(), now)
            new_skips = []
            for code in events.MESSAGE_CODES:
                reasons = OrderedDict((reg_id, reason_en)
                                      for reg_id, c, _zh, reason_en in skipped
                                      if c == code)
                result["skipped"].extend((reg_id, code, reason)
                                         for reg_id, reason in reasons.items())
                skipping = Reg.browse(list(reasons)).with_prefetch(regs._prefetch)
                claimed = self._claim(skipping, code, now, "skipped", reasons)
                for reg in Reg.browse([r for r in reasons if r in claimed]):
                    new_skips.append("%s %s: %s" % (
                        code, reg.partner_id.name or reg.name or reg.id,
                        reasons[reg.id]))
                due_ids = [reg_id for reg_id, c in due if c == code]
                for start in range(0, len(due_ids), SEND_BATCH):
                    # the batch shares the prefetch of ``regs`` (which knows their
                    # partners): the fields of a batch's guests are read in one go
                    batch = Reg.browse(
                        due_ids[start:start + SEND_BATCH]).with_prefetch(regs._prefetch)
                    log_ids = self._claim(batch, code, now)
                    if not log_ids:
                        continue  # another worker has them
                    sending = batch.filtered(
                        lambda reg: reg.id in log_ids).with_prefetch(regs._prefetch)
                    self._send_batch(sending, code, log_ids, now)
                    result["sent"].extend((reg_id, code) for reg_id in sending.ids)
            if new_skips:
                event.message_post(
                    body=_("Guest messages skipped:<br/>%s") % "<br/>".join(
                        tools.html_escape(s) for s in new_skips),
                    subtype="mail.mt_note")
        return result

    # ------------------------------------------------------------------ claims

    def _claim_sql(self, state, rows):
        """INSERT of the claims ``rows`` [(registration, event, code, state, reason,
        date, event date, claim key)], returning (registration_id, id) of the rows this
        transaction got.
        ``state='skipped'`` rows never block a later send (DO UPDATE ... WHERE); a skip
        never overwrites anything (DO NOTHING)."""
        if state == "sent":
            conflict = ("DO UPDATE SET state = 'sent', reason = NULL, "
                        "date = EXCLUDED.date, event_date = EXCLUDED.event_date, "
                        "write_uid = EXCLUDED.write_uid, "
                        "write_date = EXCLUDED.write_date "
                        "WHERE attribution_message_log.state = 'skipped'")
        else:
            conflict = "DO NOTHING"
        uid = self.env.uid
        # ``conflict`` is one of the two constants above, never user input; the values
        # are quoted by psycopg2 (mogrify)
        return (
            "INSERT INTO attribution_message_log "
            "(registration_id, event_id, code, state, reason, date, event_date, "
            " claim_key, create_uid, create_date, write_uid, write_date) VALUES "
            + bulk_mail.values_sql(
                self.env.cr,
                "(%s, %s, %s, %s, %s, %s, %s, %s, %s, (now() at time zone 'UTC'), %s, "
                "(now() at time zone 'UTC'))",
                [row + (uid, uid) for row in rows])
            + " ON CONFLICT (registration_id, code, claim_key) " + conflict
            + " RETURNING registration_id, id")

    @api.model
    def _claim(self, regs, code, now, state="sent", reasons=None):
        """Claim (registration, code, :func:`events.claim_key`) for every registration
        of ``regs`` with one ``INSERT ... ON CONFLICT``; returns ``{registration id:
        log id}`` of those this transaction got (the others are sent, or being sent,
        by someone else).

        Rows go in registration order, so two workers lock them in the same order and
        never deadlock. A concurrent worker's uncommitted claim makes the INSERT wait;
        once it commits, PostgreSQL raises a serialization failure under Odoo's
        REPEATABLE READ: the batch is then claimed row by row, each in a savepoint,
        and only the rows of the other worker are lost to us."""
        if not regs:
            return {}
        now_str = fields.Datetime.to_string(now)
        regs = regs.sorted("id").with_prefetch(regs._prefetch)
        reasons = reasons or {}
        rows = [(reg.id, reg.event_id.id, code, state, reasons.get(reg.id), now_str,
                 reg.event_id.date_begin,
                 events.claim_key(code, reg.event_id.date_begin)) for reg in regs]
        claimed = self._claim_rows(rows, state)
        if claimed is None:
            _logger.debug("%s: some of %d registrations claimed by another worker; "
                          "claiming one by one", code, len(rows))
            claimed = {}
            for row in rows:
                claimed.update(self._claim_rows([row], state) or {})
        # only these rows (no argument would clear the whole cache in Odoo 11)
        self.invalidate_cache(ids=list(claimed.values()))
        return claimed

    def _claim_rows(self, rows, state):
        """``{registration id: log id}`` got by inserting ``rows``, or None when a
        concurrent claim committed first (serialization failure, rolled back to a
        savepoint)."""
        claimed = row_claims.claim(self.env.cr, self._claim_sql(state, rows),
                                   taken=None)
        return None if claimed is None else dict(claimed)

    # ------------------------------------------------------------------ sending

    @api.model
    def _send_batch(self, regs, code, log_ids, now):
        """Send ``code`` to the registrations ``regs`` (all of one event), claimed in
        ``log_ids`` (registration id -> log id): the mail from the template into Odoo's
        mail queue (``mail.mail``, outgoing; it shows in the registration's chatter),
        the SMS copy into the outbox with a note in the chatter, or the E3 call
        activity; then the log rows and the registration's sent date. The text of
        each registration is computed once (the SMS copy and the template's
        ``attribution_lines`` share it)."""
        now_str = fields.Datetime.to_string(now)
        if code == "E3":
            for reg in regs:
                activity = reg._attribution_create_call(now)
                reg.call_activity_id = activity
                self.browse(log_ids[reg.id]).activity_id = activity
            return
        # the run's memo (:meth:`_send_due`), else one for this batch
        memo = regs.env.context.get("attribution_text_memo") or TextMemo()
        # a query per field used and batch (see _send_due)
        regs = regs.with_context(prefetch_fields=False, attribution_text_memo=memo,
                                 **{terms.CTX_NOW: now_str})
        # the templates' language (${object.partner_id.lang}) of the whole batch at
        # once: generate_email browses the registrations afresh, and a guest field
        # first read there is read for that guest alone
        regs.mapped("partner_id.lang")
        by_template, sms_rows, templates = OrderedDict(), [], {}
        for reg in regs:
            if reg._attribution_email():
                # one look-up of each template a batch (env.ref checks it exists)
                version = reg.attribution_version() if code == "E1" else None
                if version not in templates:
                    templates[version] = reg._attribution_template(code)
                by_template.setdefault(templates[version], []).append(reg.id)
            who = reg._attribution_addressee()
            if who.mobile:
                # a letter's SMS is a short notice, never the letter itself; the
                # partner is the one addressed (whose opt-out counts), not the
                # company that booked the seat
                sms_rows.append({
                    "registration_id": reg.id, "partner_id": who.partner_id or False,
                    "number": who.mobile, "body": reg._attribution_sms_text(code),
                    "code": code, "next_try": now_str,
                    "claim_key": events.claim_key(code, reg.event_id.date_begin)})
        mail_ids = {}
        for template, reg_ids in by_template.items():
            mail_ids.update(bulk_mail.send_mail(
                template.with_context(regs.env.context), regs.browse(reg_ids)))
        # S1: in the office's quiet hours the mails wait in the queue until morning
        self.env["mail.mail"]._attribution_hold_quiet(
            mail_ids.values(), now, regs[:1].event_id.company_id,
            self.browse([log_ids[reg_id] for reg_id in mail_ids]))
        sms_ids = self.env["attribution.sms.message"]._queue(sms_rows)
        label = _("%s: SMS queued to %s:<br/>%s")
        noted = regs.browse([row["registration_id"] for row in sms_rows])
        bulk_mail.post_notes(noted, {
            row["registration_id"]: label % (
                code, row["number"], tools.plaintext2html(row["body"]))
            for row in sms_rows})
        self._record_sends(regs, code, log_ids, mail_ids, sms_ids, now_str)

    @api.model
    def _send_late(self, regs, now):
        """E1 late (``event.registration._attribution_confirm_late``): claim and send
        E1 to ``regs`` now, the log rows marked ``late``. Returns the registration
        ids sent (those another worker had are left to it)."""
        log_ids = self._claim(regs, "E1", now)
        if not log_ids:
            return []
        sending = regs.filtered(lambda reg: reg.id in log_ids)
        self._send_batch(sending, "E1", log_ids, now)
        self.browse(list(log_ids.values())).write({"late": True})
        return sending.ids

    def _drop_waiting(self, text):
        """The messages of the send rows ``self`` that still wait (a mail not yet
        delivered, an SMS queued or failed) are no longer due (``text``: why, see
        :func:`attribution.events.undeliverable`): the mail is cancelled, the SMS
        skipped (its claim freed, so a new one may be queued). A row none of whose
        messages was delivered becomes ``skipped``: the cron sends the code again
        if it falls due again (the registration confirmed anew, the E1R of the
        event's newest day); a delivered one keeps ``sent``."""
        for log in self:
            mail, message = log.mail_id, log.sms_id
            if mail.state in ("outgoing", "exception"):
                mail.write({"state": "cancel", "failure_reason": text})
            if message.state in ("queued", "failed"):
                message.write({"state": "skipped", "note": text, "next_try": False,
                               "claim_key": "dropped-%d" % message.id})
            if mail.state == "sent" or message.state == "sent":
                log.write({"reason": text})
            else:
                log.write({"state": "skipped", "reason": text})

    def _record_sends(self, regs, code, log_ids, mail_ids, sms_ids, now_str):
        """Write what went out on the log rows (mail, SMS) and the registrations'
        sent date of ``code``, one UPDATE each."""
        updates = [(log_ids[reg_id], mail_ids.get(reg_id), sms_ids.get(reg_id))
                   for reg_id in regs.ids if reg_id in log_ids]
        if updates:
            self.env.cr.execute(
                "UPDATE attribution_message_log AS l SET mail_id = v.mail_id, "
                "sms_id = v.sms_id, write_uid = %s, "
                "write_date = (now() at time zone 'UTC') FROM (VALUES "
                + bulk_mail.values_sql(self.env.cr, "(%s, %s::int, %s::int)", updates)
                + ") AS v(id, mail_id, sms_id) WHERE l.id = v.id", (self.env.uid,))
        # ``field`` is one of the constants of SENT_DATE_FIELD (AsIs); no stored field
        # depends on it
        self.env.cr.execute(
            "UPDATE event_registration SET %s = %s, write_uid = %s, "
            "write_date = (now() at time zone 'UTC') WHERE id IN %s",
            (AsIs(SENT_DATE_FIELD[code]), now_str, self.env.uid, tuple(regs.ids)))
        # what the rows written above behind the ORM's back made stale
        self.invalidate_cache(ids=list(log_ids.values()))
        regs.invalidate_cache(ids=regs.ids)
