from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..attribution import terms
from .input_guard import check_vals

#: ``relation_type`` values of ``terms.RELATION_TYPES`` with their labels
RELATION_TYPES = terms.selection(terms.RELATION_TYPES, {
    "spouse": "Spouse",
    "parent": "Parent",
    "child": "Child",
    "sibling": "Sibling",
    "relative": "Relative",
    "friend": "Friend",
    "referral": "Referral",
})
#: relation type seen from the other side: A is B's parent -> B is A's child.
INVERSE_TYPE = {"parent": "child", "child": "parent"}
#: context of the inverse row's writes (no inverse of the inverse)
INVERSE_CTX = {terms.CTX_RELATION_INVERSE: True}


class AttributionRelation(models.Model):
    _name = "attribution.relation"
    _description = "Customer Relation"
    _order = "partner_id, relation_type, id"
    _rec_name = "related_partner_id"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade", index=True,
        help="The customer this relation is recorded on.")
    related_partner_id = fields.Many2one(
        "res.partner", string="Related Customer", required=True, ondelete="cascade",
        index=True, help="The relative, friend or referred person.")
    relation_type = fields.Selection(
        RELATION_TYPES, required=True, default="relative",
        help="How the related customer stands to this one: 'parent' means the related "
             "customer is this customer's parent. Spouse, parent and child are direct "
             "kin (直系亲属, rule B1); the others are not (B2, B3a).")
    is_direct_kin = fields.Boolean(
        compute="_compute_is_direct_kin", store=True,
        help="Spouse, parent or child: direct kin under rule B1.")
    evidence = fields.Text(
        help="Proof of contact (通讯证据), e.g. call records or messages: A15 gives the "
             "original consultant the performance only when evidence is recorded.")
    evidence_attachment_ids = fields.Many2many(
        "ir.attachment", string="Evidence Files",
        help="Screenshots or exported call logs supporting the evidence.")
    confirmed_date = fields.Date(
        help="Date the relation was confirmed (B1: confirmed on the day of the deal).")
    inverse_id = fields.Many2one(
        "attribution.relation", string="Inverse Relation", readonly=True, copy=False,
        ondelete="set null", help="The same relation recorded on the related customer.")

    _sql_constraints = [
        ("relation_unique", "unique(partner_id, related_partner_id, relation_type)",
         "This relation is already recorded."),
    ]

    @api.depends("relation_type")
    def _compute_is_direct_kin(self):
        for rel in self:
            rel.is_direct_kin = rel.relation_type in terms.DIRECT_KIN

    @api.constrains("partner_id", "related_partner_id")
    def _check_not_self(self):
        for rel in self:
            if rel.partner_id == rel.related_partner_id:
                raise ValidationError(_("A customer cannot be related to themselves."))

    @api.constrains("partner_id", "related_partner_id", "relation_type")
    def _check_parent_cycle(self):
        """A customer cannot be both the parent and the child of the same person."""
        for rel in self:
            if rel.relation_type not in ("parent", "child"):
                continue
            other = "child" if rel.relation_type == "parent" else "parent"
            clash = self.search_count([
                ("partner_id", "=", rel.partner_id.id),
                ("related_partner_id", "=", rel.related_partner_id.id),
                ("relation_type", "=", other)])
            if clash:
                raise ValidationError(_("%s cannot be both parent and child of %s.") % (
                    rel.related_partner_id.display_name, rel.partner_id.display_name))

    @api.constrains("partner_id", "related_partner_id", "relation_type")
    def _check_ancestry_cycle(self):
        """Nobody is their own ancestor: A parent of B, B parent of C, C parent of A."""
        # sudo: the family tree is checked whole, whatever rows the user may see
        Rel = self.sudo()
        for rel in self:
            if rel.relation_type == "parent":
                child, parent = rel.partner_id, rel.related_partner_id
            elif rel.relation_type == "child":
                child, parent = rel.related_partner_id, rel.partner_id
            else:
                continue
            if child == parent:
                continue  # _check_not_self says it in words
            seen, frontier = set(), {parent.id}
            while frontier:
                if child.id in frontier:
                    raise ValidationError(_(
                        "%s would be their own ancestor: the parent relations form a "
                        "cycle.") % child.display_name)
                seen |= frontier
                ups = set(Rel.search([("partner_id", "in", list(frontier)),
                                      ("relation_type", "=", "parent")]
                                     ).mapped("related_partner_id").ids)
                ups |= set(Rel.search([("related_partner_id", "in", list(frontier)),
                                       ("relation_type", "=", "child")]
                                      ).mapped("partner_id").ids)
                frontier = ups - seen

    def _inverse_vals(self):
        self.ensure_one()
        return {
            "partner_id": self.related_partner_id.id,
            "related_partner_id": self.partner_id.id,
            "relation_type": INVERSE_TYPE.get(self.relation_type, self.relation_type),
            "evidence": self.evidence,
            "confirmed_date": self.confirmed_date,
            "inverse_id": self.id,
        }

    @api.model
    def _check_not_recorded(self, vals):
        """A second row of the same relation would only hit the SQL constraint with a
        database error: refuse it in words first."""
        if vals.get("partner_id") and vals.get("related_partner_id"):
            # sudo: a duplicate is a duplicate even when its row is hidden to the user
            found = self.sudo().search_count([
                ("partner_id", "=", vals["partner_id"]),
                ("related_partner_id", "=", vals["related_partner_id"]),
                ("relation_type", "=", vals.get("relation_type") or "relative")])
            if found:
                raise ValidationError(_("This relation is already recorded."))

    @api.model
    def _check_partners_visible(self, vals, operation):
        """The customers a relation is recorded between must be ones the user may
        read: a consultant's own or nobody's. A relation moves shares (B1, B2, B3a,
        A9), so one with a colleague's customer is the manager's: UserError in words
        that name nobody (the record rules would otherwise refuse the inverse row
        inside a constraint check, in Odoo's words)."""
        if self.env.context.get(terms.CTX_RELATION_INVERSE):
            return
        # a user without the right (``operation``) is refused as Odoo refuses them
        self.check_access_rights(operation)
        ids = [vals[name] for name in ("partner_id", "related_partner_id")
               if vals.get(name)]
        try:
            self.env["res.partner"].browse(ids).check_access_rule("read")
        except AccessError:
            raise UserError(_(
                "This customer is another consultant's: a relation with them is "
                "recorded by the sales manager."))

    @api.model
    def create(self, vals):
        check_vals(self, vals)
        self._check_partners_visible(vals, "create")
        self._check_not_recorded(vals)
        rel = super().create(vals)
        if not self.env.context.get(terms.CTX_RELATION_INVERSE):
            inverse = rel.with_context(**INVERSE_CTX).create(
                rel._inverse_vals())
            rel.with_context(**INVERSE_CTX).inverse_id = inverse
        return rel

    @api.multi
    def write(self, vals):
        check_vals(self, vals)
        self._check_partners_visible(vals, "write")
        res = super().write(vals)
        if self.env.context.get(terms.CTX_RELATION_INVERSE):
            return res
        synced = {"partner_id", "related_partner_id", "relation_type", "evidence",
                  "confirmed_date"}
        if synced & set(vals):
            for rel in self.filtered("inverse_id"):
                inv_vals = rel._inverse_vals()
                del inv_vals["inverse_id"]
                rel.inverse_id.with_context(**INVERSE_CTX).write(
                    inv_vals)
        return res

    @api.multi
    def unlink(self):
        inverses = self.mapped("inverse_id") - self
        res = super().unlink()
        if not self.env.context.get(terms.CTX_RELATION_INVERSE):
            inverses.exists().with_context(**INVERSE_CTX).unlink()
        return res
