from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class AttributionRotationMember(models.Model):
    _name = "attribution.rotation.member"
    _description = "Rotation Member"
    _order = "rotation_id, sequence, id"
    _rec_name = "user_id"

    rotation_id = fields.Many2one(
        "attribution.rotation", required=True, ondelete="cascade", index=True)
    user_id = fields.Many2one(
        "res.users", string="Consultant", required=True, ondelete="cascade",
        help="A consultant taking walk-ins in this rotation.")
    sequence = fields.Integer(
        default=10, help="Position in the turn order (smaller first).")
    present = fields.Boolean(
        default=True, help="In the showroom now. An absent member is passed over and "
                           "loses that turn (A3).")
    makeup_credits = fields.Integer(
        string="Make-up Credits", default=0,
        help="Extra turns owed to this consultant (B1: after giving up a kin customer's "
             "deal to its original consultant); served before the normal order.")
    last_assigned = fields.Datetime(
        readonly=True, help="When this member last received a customer from the rotation.")

    _sql_constraints = [
        ("user_unique", "unique(rotation_id, user_id)",
         "A consultant appears once in a rotation."),
        ("credits_positive", "CHECK(makeup_credits >= 0)",
         "Make-up credits cannot be negative."),
    ]

    @api.model
    def create(self, vals):
        """A new member goes to the end of the turn order (max + 10) unless given a
        free position, so sequences stay unique and the pointer keeps its meaning."""
        if vals.get("rotation_id"):
            taken = self.search([("rotation_id", "=", vals["rotation_id"])]).mapped(
                "sequence")
            if "sequence" not in vals or vals["sequence"] in taken:
                vals = dict(vals, sequence=max(taken or [0]) + 10)
        return super().create(vals)

    @api.constrains("rotation_id", "sequence")
    def _check_sequence_unique(self):
        for member in self:
            clash = member.rotation_id.member_ids.filtered(
                lambda m: m.sequence == member.sequence and m != member)
            if clash:
                raise ValidationError(_("Two members of a rotation cannot share turn "
                                        "position %s.") % member.sequence)
