from odoo import api, models

from ..attribution import sms


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
