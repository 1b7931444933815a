"""``attribution.owner.notice``: the queue of new owners still to be told of a
decision, and the scheduled action that tells them."""
from collections import defaultdict

from odoo import api, fields, models

from ..tools import row_claims


class AttributionOwnerNotice(models.Model):
    """One row per (decision note, new owner) still to be told.

    ``attribution.decision._post_to_chatter`` queues the row (:meth:`_queue`) in the
    transaction of the decision; :meth:`_tell_owners` (scheduled action "Attribution:
    tell new owners", every minute) adds the owner to the note and notifies them the
    way they chose (Odoo inbox or e-mail). Rendering that e-mail in the registration
    itself cost a walk-in more than a whole lead create (bench/README.md); the desk
    sees the owner at once on the visit form anyway.

    Exactly once with several cron workers: a row is claimed by deleting it
    (``DELETE ... FOR UPDATE SKIP LOCKED``) in the transaction that notifies, so a
    rolled-back run leaves its rows queued and a concurrent run skips them. Nobody but
    the system administrator reads the queue (access row); the code writes it as
    superuser.
    """

    _name = "attribution.owner.notice"
    _description = "Owner Notice Queue"
    _order = "id"
    _log_access = False

    message_id = fields.Many2one(
        "mail.message", string="Decision Note", required=True, readonly=True,
        ondelete="cascade", help="The decision's note on the customer.")
    partner_id = fields.Many2one(
        "res.partner", string="New Owner", required=True, readonly=True,
        ondelete="cascade", help="Partner of the new owner to tell.")

    @api.model
    def _queue(self, message, partner):
        """Queue ``partner`` (``res.partner``) to be told of ``message``."""
        # sudo: the queue is written for whoever's action made the decision
        return self.sudo().create({"message_id": message.id, "partner_id": partner.id})

    @api.model
    def _tell_owners(self, limit=1000):
        """Tell the owners of up to ``limit`` queued notices; returns how many
        partners were told. Claims the rows with ``DELETE ... FOR UPDATE SKIP
        LOCKED`` (see the class docstring); rows another worker deleted since this
        transaction began are theirs (:func:`..tools.row_claims.claim`)."""
        # the table is this model's own; ``limit`` a parameter
        claimed = row_claims.claim(self.env.cr, """
            DELETE FROM attribution_owner_notice WHERE id IN (
                SELECT id FROM attribution_owner_notice ORDER BY id LIMIT %s
                FOR UPDATE SKIP LOCKED)
            RETURNING message_id, partner_id""", (limit,))
        to_tell = defaultdict(set)
        for message_id, partner_id in claimed:
            to_tell[message_id].add(partner_id)
        # sudo: the cron tells owners of customers whatever its user may read
        Message = self.env["mail.message"].sudo()
        Partner = self.env["res.partner"].sudo()
        told = 0
        for message_id in sorted(to_tell):
            message = Message.browse(message_id).exists()
            if not message:
                continue
            partners = Partner.browse(sorted(to_tell[message_id]))
            message.write({"partner_ids": [(4, p.id) for p in partners],
                           "needaction_partner_ids": [(4, p.id) for p in partners]})
            # what mail.message._notify does for the message's own recipients, without
            # notifying the customer's followers a second time
            inbox = partners.filtered(
                lambda p: "inbox" in p.mapped("user_ids.notification_type"))
            (partners - inbox)._notify(message, force_send=False)
            inbox._notify_by_chat(message)
            told += len(partners)
        return told
