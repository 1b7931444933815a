import logging

import psycopg2
import psycopg2.errorcodes

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.api import Environment
from odoo.exceptions import UserError, ValidationError
from odoo.tools import mute_logger

from ..attribution import project_access
from ..attribution.phone import InvalidPhone, normalize_phone
from ..attribution.terms import CTX_PHONE_SYNC, CTX_TEAM

_logger = logging.getLogger(__name__)

#: where a number of the customer comes from: the partner's own fields (kept in step
#: with them automatically) or a further number recorded on the customer form
SOURCES = [
    ("mobile", "Mobile"),
    ("phone", "Phone"),
    ("extra", "Further Number"),
]
#: the partner fields mirrored by rows of the same source
PARTNER_FIELDS = ("mobile", "phone")


class AttributionPartnerPhone(models.Model):
    """Every number of every customer, normalised, one row per number (SPEC 1).

    ``phone`` is ``attribution.phone.normalize_phone`` of what was typed (mainland
    canonical digits, else E.164) and is unique over the whole table: two customers
    never share a number, also under parallel writes (the unique index makes the
    second writer wait for the first and fail). Rows of source ``mobile`` and
    ``phone`` mirror the partner's fields of the same name and are kept by
    ``res.partner`` itself (``_attribution_sync_phones``); rows of source ``extra`` are
    the further numbers recorded on the customer form (a landline, a second mobile).

    Every entry point matches customers on this table: the visit desk
    (``attribution.visit._find_customer_by_phone``), the prior-visit panel and
    imports. A number that already belongs to another customer is refused with a
    ``UserError`` naming that customer and their owner in the project of the one who
    types it, nothing else of theirs; when the customer is known only in other
    projects (scope ``project``), it says only that the number belongs to another
    customer (``_holder_view``).
    """

    _name = "attribution.partner.phone"
    _description = "Customer Phone Number"
    _order = "partner_id, sequence, id"
    _rec_name = "phone"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True,
        ondelete="cascade", help="The customer this number belongs to.")
    phone = fields.Char(
        string="Number", required=True,
        help="Normalised: mainland numbers as domestic digits (mobile 11 digits, "
             "landline with area code and 0), others in E.164 (+85291234567). Any "
             "written form is accepted and normalised when saved.")
    source = fields.Selection(
        SOURCES, required=True, default="extra", readonly=True,
        help="Mobile and Phone follow the customer's fields of that name; further "
             "numbers are recorded here.")
    note = fields.Char(help="What this number is, e.g. office landline, second "
                            "mobile, spouse's phone.")
    sequence = fields.Integer(default=10)

    _sql_constraints = [
        ("phone_unique", "unique(phone)",
         "This number already belongs to another customer: two customers cannot "
         "share a number."),
    ]

    # ------------------------------------------------------------------ checks

    @api.model
    def _normalise(self, raw):
        """``normalize_phone(raw)``, or a ValidationError in the user's language."""
        try:
            return normalize_phone(raw)
        except InvalidPhone as err:
            raise ValidationError(_("The phone number %s cannot be read: %s") % (
                raw or "",
                err.message(self.env.context.get("lang") or self.env.user.lang)))

    @api.model
    def _holder(self, number):
        """The row of ``number`` (sudo: whoever's customer it is), maybe empty."""
        # sudo: the uniqueness holds over every customer, visible or not
        return self.sudo().with_context(active_test=False).search(
            [("phone", "=", number)], limit=1)

    @api.model
    def _desk_team(self, team=None):
        """The project (``crm.team``, maybe empty) of the one typing a number:
        ``team``, else the ``team_id`` of the context, else the user's sales team."""
        if team:
            return team
        team_id = self.env.context.get(CTX_TEAM)
        if team_id:
            return self.env["crm.team"].browse(team_id)
        return self.env.user.sale_team_id

    @api.model
    def _holder_view(self, partner, team=None):
        """``(customer name, owner name)`` of the customer ``partner`` holding a
        number, as the desk of project ``team`` (``_desk_team``) may learn them
        (``project_access.desk_disclosure``): named, with the owner of the desk's
        project (the company-wide owner in scope ``company``), when the company
        keeps one owner for all projects, the customer is known in the desk's
        project or in none, or the user manages a project that knows them;
        ``(None, None)`` otherwise: the number belongs to a customer, nothing
        more. Strings only leave this method (read as superuser)."""
        partner = partner.sudo()
        company = partner._attribution_company()
        row_team = company._attribution_ownership_team(self._desk_team(team))
        rows = partner.attribution_ownership_ids
        here = rows.filtered(lambda r: r.team_id == row_team)[:1]
        elsewhere = (rows - here).mapped("team_id")
        known_here = bool(here) or not elsewhere or self._manages_any(elsewhere)
        if project_access.desk_disclosure(company.attribution_scope, known_here) \
                == project_access.DISCLOSE_ANONYMOUS:
            return None, None
        reached = rows.filtered(lambda r: r.team_id and self._manages_any(r.team_id))
        owner = here.owner_id if here else \
            reached[:1].owner_id if reached else partner.attribution_owner_id
        return partner.name or "#%d" % partner.id, owner.name or None

    @api.model
    def _manages_any(self, teams):
        """Whether the user is a sales manager reaching one of ``teams``."""
        user = self.env.user
        if not user.has_group("sales_attribution.group_manager"):
            return False
        reach = user._attribution_reach()
        return reach is None or bool(set(teams.ids) & reach)

    @api.model
    def _collision_error(self, number, holder_partner):
        """The refusal naming the other customer and their owner as the user's
        project may learn them (``_holder_view``), nothing private."""
        return self._collision_message(number, *self._holder_view(holder_partner))

    @api.model
    def _collision_message(self, number, customer_name, owner_name):
        """The refusal of ``number``; ``customer_name`` ``None``: the holder stays
        unnamed (known only in other projects)."""
        # UserError: Odoo 11 answers it over XML-RPC as a warning; a ValidationError
        # would reach the client as a traceback
        if customer_name is None:
            return UserError(_(
                "The number %s already belongs to another customer; two customers "
                "cannot share a number. If they are the same person, ask the manager "
                "to merge the two customers.") % number)
        return UserError(_(
            "The number %s already belongs to customer %s (owner: %s); two customers "
            "cannot share a number. If they are the same person, ask the manager to "
            "merge the two customers.") % (
            number, customer_name, owner_name or _("none")))

    @api.model
    def _check_free(self, number, partner_id):
        holder = self._holder(number)
        if holder and holder.partner_id.id != partner_id:
            raise self._collision_error(number, holder.partner_id)
        return holder

    def _race_error(self, err, number):
        """The answer to a unique-index refusal: a parallel writer of ``number``
        committed first (the index made this one wait, then refused it)."""
        if err.pgcode != psycopg2.errorcodes.UNIQUE_VIOLATION:
            return err
        holder = self._committed_holder(number) if number else None
        if holder:
            return self._collision_message(number, *holder)
        return ValidationError(_(
            "The number %s was just registered to another customer at the same "
            "moment; two customers cannot share a number.") % number)

    def _check_rows_free(self, vals):
        """Before ``write``: the rows' numbers after ``vals`` belong to no one else
        and are not twice on one customer."""
        for row in self:
            number = vals.get("phone", row.phone)
            partner_id = vals.get("partner_id", row.partner_id.id)
            holder = self._holder(number)
            if not holder or holder == row:
                continue
            if holder.partner_id.id != partner_id:
                raise self._collision_error(number, holder.partner_id)
            raise ValidationError(_("The number %s is already recorded on this "
                                    "customer.") % number)

    def _check_user_may_change(self, vals):
        """Rows of mobile/phone change through the customer's fields only."""
        if not {"phone", "partner_id"} & set(vals):
            return
        fixed = self.filtered(lambda r: r.source != "extra")
        if fixed:
            labels = dict(self._fields["source"]._description_selection(self.env))
            raise UserError(_(
                "The number %s is the customer's %s: change it in that field of the "
                "customer.") % (fixed[0].phone, labels[fixed[0].source]))

    def _committed_holder(self, number):
        """``_holder_view`` of the customer holding ``number`` as committed by a
        parallel transaction (invisible to this one's snapshot), read in a cursor of
        its own; None when there is none."""
        team_id = self._desk_team().id
        with self.pool.cursor() as cr:
            env = Environment(cr, self.env.uid, self.env.context)
            Phone = env[self._name]
            holder = Phone._holder(number)
            if not holder:
                return None
            return Phone._holder_view(holder.partner_id,
                                      env["crm.team"].browse(team_id))

    # ------------------------------------------------------------------ CRUD

    @api.model
    def create(self, vals):
        vals = dict(vals)
        if not self.env.context.get(CTX_PHONE_SYNC):
            vals["source"] = "extra"  # mobile/phone rows follow the partner's fields
        if not vals.get("partner_id"):
            raise ValidationError(_("A phone number needs its customer."))
        if not self.env.context.get(CTX_PHONE_SYNC):
            self._check_may_renumber(self.env["res.partner"].browse(vals["partner_id"]))
        vals["phone"] = self._normalise(vals.get("phone"))
        if self._check_free(vals["phone"], vals["partner_id"]):
            raise ValidationError(_("The number %s is already recorded on this "
                                    "customer.") % vals["phone"])
        try:
            # mute: a refused insert is answered in words, it is no server error
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                return super().create(vals)
        except psycopg2.IntegrityError as err:
            raise self._race_error(err, vals["phone"])

    @api.multi
    def write(self, vals):
        vals = dict(vals)
        if not self.env.context.get(CTX_PHONE_SYNC):
            vals.pop("source", None)
            self._check_user_may_change(vals)
            if {"phone", "partner_id"} & set(vals):
                self._check_may_renumber(self.mapped("partner_id") | self.env[
                    "res.partner"].browse(vals.get("partner_id") or []))
        if "phone" in vals:
            vals["phone"] = self._normalise(vals["phone"])
        if "phone" in vals or vals.get("partner_id"):
            self._check_rows_free(vals)
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                return super().write(vals)
        except psycopg2.IntegrityError as err:
            raise self._race_error(err, vals.get("phone"))

    @api.multi
    def unlink(self):
        if not self.env.context.get(CTX_PHONE_SYNC):
            fixed = self.filtered(lambda r: r.source != "extra")
            if fixed:
                raise UserError(_(
                    "The number %s is the customer's mobile or phone: clear that field "
                    "of the customer instead.") % fixed[0].phone)
            self._check_may_renumber(self.mapped("partner_id"))
        return super().unlink()

    # ------------------------------------------------------------------ sync

    @api.model
    def _readable(self, raw):
        """Normalised ``raw`` or None: the partner's own fields are not refused for
        an unreadable number (contacts of every kind live in res.partner); such a
        number is only not matched, as before."""
        if not raw:
            return None
        try:
            return normalize_phone(raw)
        except InvalidPhone:
            return None

    @api.model
    def _same_entity(self, holder_partner, partners, vals):
        """Whether ``partners`` (after ``vals``; empty: a new partner) belong to the
        commercial entity of ``holder_partner``: a company and its contact persons
        share the company's numbers (the switchboard; Odoo's lead conversion gives a
        new contact its company's phone). The number stays the holder's row: a lookup
        finds the company."""
        # sudo: the holder may be another consultant's customer
        entity = holder_partner.sudo().commercial_partner_id
        parent_id = vals.get("parent_id")
        if parent_id:
            parent = self.env["res.partner"].sudo().browse(parent_id)
            return parent.commercial_partner_id == entity
        return bool(partners) and all(
            p.commercial_partner_id == entity for p in partners.sudo())

    @api.model
    def _check_may_renumber(self, partners):
        """Refuse (UserError) a consultant's change of the numbers of a customer the
        rule book knows (an ownership row or a visit) and that they do not own: a
        number decides whose customer a visitor is, so moving one off a customer
        nobody owns (A14) onto one's own would take that customer at their next
        visit. Managers, the superuser and users outside the consultants' group are
        not restricted; the desk records numbers as superuser."""
        user = self.env.user
        if self.env.uid == SUPERUSER_ID:
            return
        if not user.has_group("sales_attribution.group_consultant") or \
                user.has_group("sales_attribution.group_manager"):
            return
        ids = tuple(partners.ids)
        if not ids:
            return
        cr = self.env.cr
        cr.execute("""
            SELECT p.id FROM res_partner p
             WHERE p.id IN %s
               AND NOT EXISTS (SELECT 1 FROM attribution_ownership o
                                WHERE o.partner_id = p.id AND o.owner_id = %s)
               AND (EXISTS (SELECT 1 FROM attribution_ownership o
                             WHERE o.partner_id = p.id)
                    OR EXISTS (SELECT 1 FROM attribution_visit v
                                WHERE v.partner_id = p.id))
             LIMIT 1""", (ids, self.env.uid))
        row = cr.fetchone()
        if row:
            raise UserError(_(
                "The numbers of %s, who is not your customer, are changed by the sales "
                "manager: a number decides whose customer a visitor is.")
                % self.env["res.partner"].sudo().browse(row[0]).name)

    @api.model
    def _check_partner_vals(self, partners, vals):
        """Before ``res.partner`` saves ``vals`` on ``partners`` (empty: a new
        partner): refuse a mobile or phone that belongs to another customer, so that
        nothing is written. ValidationError naming that customer and their owner.
        Returns ``{number: holder row (maybe empty)}`` of the numbers looked up, for
        ``_sync_partners`` of a new partner."""
        holders = {}
        changed = partners.filtered(lambda p: any(
            name in vals and self._readable(vals[name]) != self._readable(p[name])
            for name in PARTNER_FIELDS))
        self._check_may_renumber(changed)
        for name in PARTNER_FIELDS:
            number = self._readable(vals.get(name))
            if not number:
                continue
            holder = holders[number] = self._holder(number)
            if holder and holder.partner_id not in partners and \
                    not self._same_entity(holder.partner_id, partners, vals):
                raise self._collision_error(number, holder.partner_id)
            if len(partners) > 1:
                raise ValidationError(_(
                    "The number %s cannot be given to several customers at once: two "
                    "customers cannot share a number.") % number)
        return holders

    @api.model
    def _sync_partners(self, partners, new_holders=None):
        """Make the rows of source mobile/phone follow ``partners``' fields.

        A new number is checked (another customer's number: ValidationError naming
        them) and inserted; a number the partner no longer has in that field loses its
        row; a further number that becomes the mobile or phone keeps its row.
        ``new_holders``: for a partner just created, the holders
        ``_check_partner_vals`` found for its numbers in this transaction (it has no
        row yet; a number missing there is looked up).
        """
        Phone = self.sudo().with_context(**{CTX_PHONE_SYNC: True,
                                            "active_test": False})
        for partner in partners.sudo().with_context(active_test=False):
            rows = Phone.browse() if new_holders is not None else \
                Phone.search([("partner_id", "=", partner.id)])
            wanted = {}
            for name in PARTNER_FIELDS:
                number = self._readable(partner[name])
                if number and number not in wanted.values():
                    wanted[name] = number
            stale = rows.filtered(lambda r: r.source in PARTNER_FIELDS
                                  and wanted.get(r.source) != r.phone
                                  and r.phone not in wanted.values())
            stale.unlink()
            rows -= stale
            for name, number in wanted.items():
                row = rows.filtered(lambda r, n=number: r.phone == n)
                if row:
                    if row.source != name:
                        row.write({"source": name})
                    continue
                if new_holders is not None and number in new_holders:
                    holder = new_holders[number]
                else:
                    holder = self._holder(number)
                if holder and holder.partner_id != partner:
                    continue  # the company's number on its contact: the company's row
                Phone.create({"partner_id": partner.id, "phone": number,
                              "source": name})
            # a number moved from one field to the other keeps one row, its source
            # the field it is in now
            for row in rows.exists():
                if row.source in PARTNER_FIELDS and row.phone in wanted.values() and \
                        wanted.get(row.source) != row.phone:
                    row.write({"source": next(
                        n for n, v in wanted.items() if v == row.phone)})
        return True

    @api.model_cr
    def init(self):
        """First install: one row per readable mobile/phone of existing partners.

        A number shared by several partners already goes to the oldest one; the others
        are logged (merge them, or correct the number, and save them again).
        """
        cr = self.env.cr
        cr.execute("SELECT 1 FROM attribution_partner_phone LIMIT 1")
        if cr.fetchone():
            return
        cr.execute("SELECT id, mobile, phone FROM res_partner "
                   "WHERE mobile IS NOT NULL OR phone IS NOT NULL ORDER BY id")
        taken = {}
        rows = []
        for partner_id, mobile, phone in cr.fetchall():
            for source, raw in (("mobile", mobile), ("phone", phone)):
                number = self._readable(raw)
                if not number:
                    continue
                if number in taken:
                    if taken[number] != partner_id:
                        _logger.warning(
                            "phone %s of partner %s is already partner %s's: not "
                            "matched until one of them is corrected or merged",
                            number, partner_id, taken[number])
                    continue
                taken[number] = partner_id
                rows.append((partner_id, number, source))
        for partner_id, number, source in rows:
            cr.execute(
                "INSERT INTO attribution_partner_phone "
                "(partner_id, phone, source, sequence, create_date, write_date) "
                "VALUES (%s, %s, %s, 10, now() at time zone 'UTC', "
                "now() at time zone 'UTC')", (partner_id, number, source))
