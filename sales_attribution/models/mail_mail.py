from odoo import api, fields, models

from ..attribution import events, sms, terms


class MailMail(models.Model):
    _inherit = "mail.mail"

    @api.model
    def _attribution_hold_quiet(self, mail_ids, now, company, logs=None):
        """S1 for the guest mails ``mail_ids`` queued at ``now`` (naive UTC) by the
        E1-E5 sends of ``company``: in the office's quiet hours they wait in Odoo's
        mail queue (``scheduled_date``, which ``process_email_queue`` honours) until
        the quiet hours end, and the send log rows ``logs`` say so (``reason``).
        Returns the :class:`attribution.sms.Decision`."""
        decision = sms.send_decision(None, now, company._attribution_quiet_hours(),
                                     sms=False)
        ids = tuple(mail_id for mail_id in mail_ids if mail_id)
        if decision.action != "hold" or not ids:
            return decision
        self.env.cr.execute(
            "UPDATE mail_mail SET scheduled_date = %s WHERE id IN %s",
            (decision.at.strftime("%Y-%m-%d %H:%M:%S"), ids))
        self.invalidate_cache(["scheduled_date"], list(ids))
        if logs:
            lang = self.env.context.get("lang") or self.env.user.lang
            logs.write({"reason": decision.message(lang)})
        return decision

    def _attribution_hold_at_delivery(self):
        """S1 when a mail leaves: the guest mails of ``self`` (those an
        ``attribution.message.log`` row sent) that are no longer due now (context
        ``attribution_now``, else the clock; :func:`attribution.events.undeliverable`:
        registration or event cancelled, guest attended, event begun or moved to
        another day than the one the mail names) are cancelled with their SMS copy,
        and those that would go in their office's quiet hours are held until the
        quiet hours end (:meth:`_attribution_hold_quiet`); the log rows say why.
        Returns the mails kept back. A mail queued in the day may be delivered at
        night by the hourly mail queue, a retry or "Send Now", a mail held overnight
        after its guest cancelled: the decision is taken again here."""
        if not self.ids:
            return self.browse()
        now = self.env.context.get(terms.CTX_NOW) or fields.Datetime.now()
        if isinstance(now, str):
            now = fields.Datetime.from_string(now)
        self.env.cr.execute(
            "SELECT l.mail_id, l.id, e.company_id, l.code, r.state, e.state, "
            "e.date_begin, l.event_date FROM attribution_message_log l "
            "JOIN event_registration r ON r.id = l.registration_id "
            "JOIN event_event e ON e.id = l.event_id "
            "WHERE l.mail_id IN %s AND l.mail_id IN "
            "(SELECT id FROM mail_mail WHERE id IN %s AND state = 'outgoing')",
            (tuple(self.ids), tuple(self.ids)))
        by_company = {}
        kept = self.browse()
        # sudo: whoever delivers the mail, the send log (read-only to users) records
        # why it waits
        Log = self.env["attribution.message.log"].sudo()
        lang = self.env.context.get("lang") or self.env.user.lang or "en_US"
        Company = self.env["res.company"]
        for (mail_id, log_id, company_id, code, reg_state, event_state, begin,
             announced) in self.env.cr.fetchall():
            reason = events.undeliverable(
                code, reg_state, event_state, fields.Datetime.from_string(begin), now,
                announced=fields.Datetime.from_string(announced),
                tz=Company.browse(company_id)._attribution_tz())
            if reason:
                text = ("不再发送:%s" % reason[0] if lang.startswith("zh")
                        else "Not sent: %s" % reason[1])
                # the mail and the SMS copy of the send are dropped together
                Log.browse(log_id)._drop_waiting(text)
                kept |= self.browse(mail_id)
                continue
            mails, logs = by_company.setdefault(company_id, (set(), set()))
            mails.add(mail_id)
            logs.add(log_id)
        held = kept
        for company_id, (mails, logs) in by_company.items():
            decision = self._attribution_hold_quiet(
                mails, now, Company.browse(company_id), Log.browse(sorted(logs)))
            if decision.action == "hold":
                held |= self.browse(sorted(mails))
        return held

    @api.multi
    def send(self, auto_commit=False, raise_exception=False):
        """Odoo's delivery, but for the guest mails no longer due (cancelled) or due
        in their office's quiet hours (S1, held), see
        :meth:`_attribution_hold_at_delivery`."""
        held = self._attribution_hold_at_delivery()
        super(MailMail, self - held).send(
            auto_commit=auto_commit, raise_exception=raise_exception)
        # Odoo 11's send documents True and returns None, which XML-RPC cannot
        # marshal: a call over RPC answered a traceback
        return True
