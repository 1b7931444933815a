"""The reception desk of ``attribution.visit`` (来访登记的前台部分): the customer found
or created by normalised phone (``_prepare_customer_vals``, called by ``create``), a
number given at the desk recorded on the customer or flagged as a collision for the
manager, and the A5 panel that shows the desk who visited before (``prior_visit_info``).
The model, its fields, its CRUD hooks and the attribution engine are in
``attribution_visit.py``.
"""
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import html_escape

from ..attribution import terms
from ..attribution.phone import InvalidPhone, normalize_phone


class AttributionVisit(models.Model):
    _inherit = "attribution.visit"

    # ------------------------------------------------------------------ customer

    @api.model
    def _find_customer_by_phone(self, phone):
        """The customer any of whose numbers (mobile, phone or a further number:
        ``attribution.partner.phone``) is the normalised ``phone``; an empty
        ``res.partner`` when none. Archived customers are found too: a number keeps
        belonging to its customer."""
        # sudo: the desk must find customers owned by other consultants (the record
        # rules hide them from a consultant), otherwise it would create duplicates.
        row = self.env["attribution.partner.phone"]._holder(phone)
        return row.partner_id.sudo() if row else self.env["res.partner"].sudo()

    @api.model
    def _prepare_customer_vals(self, vals):
        """Find or create the customer by normalised phone; fill ``partner_id``.

        - phone only: the customer holding that number (any of their numbers), else
          a new customer (``partner_name``) with it as mobile;
        - customer and a phone nobody holds: the number is recorded on the customer as
          a further number (next time it finds them);
        - customer and a phone of *another* customer: the visit is registered for the
          chosen customer, the number stays with its holder, and the team's manager
          gets an activity to settle the collision (same person: merge the
          customers; else correct the number): ``_flag_phone_collision``;
        - customer only: the visit's phone is the customer's main number.
        A phone that cannot be read is a ValidationError in the user's language.
        """
        raw = vals.get("phone")
        if raw:
            try:
                phone = normalize_phone(raw)
            except InvalidPhone as err:
                lang = self.env.context.get("lang") or self.env.user.lang
                raise ValidationError(_("The phone number %s cannot be read: %s") % (
                    raw, err.message(lang)))
            vals["phone"] = phone
            if not vals.get("partner_id"):
                partner = self._find_customer_by_phone(phone)
                if not partner:
                    # two desks typing the same new number: the second waits for the
                    # first's customer and finds it (attribution.phone.claim)
                    self.env["attribution.phone.claim"]._claim(phone)
                    partner = self._find_customer_by_phone(phone)
                if not partner:
                    # sudo: a consultant registers a new customer at the desk; the
                    # customer belongs to whoever the decision names.
                    # tracking_disable: no "created" note and the superuser does
                    # not follow every customer; the decision note follows at once.
                    partner = self.env["res.partner"].sudo().with_context(
                        tracking_disable=True, **{terms.CTX_NO_AVATAR: True}
                    ).create({
                        "name": vals.get("partner_name") or phone,
                        "mobile": phone,
                        "customer": True,
                    })
                vals["partner_id"] = partner.id
            else:
                self._record_desk_number(phone, vals["partner_id"], vals.get("team_id"))
        elif vals.get("partner_id"):
            partner = self.env["res.partner"].sudo().browse(vals["partner_id"])
            vals["phone"] = partner.attribution_phone or False
        return vals

    @api.model
    def _record_desk_number(self, phone, partner_id, team_id=None):
        """A number typed at the desk for the chosen customer ``partner_id``: recorded
        on them when nobody holds it, else a collision for the manager."""
        holder = self._find_customer_by_phone(phone)
        if not holder:
            self.env["attribution.phone.claim"]._claim(phone)
            holder = self._find_customer_by_phone(phone)
        if not holder:
            # sudo: the desk records the number the customer gave, on a customer
            # the consultant may not write
            self.env["attribution.partner.phone"].sudo().create({
                "partner_id": partner_id, "phone": phone,
                "note": _("Given at the visit desk")})
        elif holder.id != partner_id:
            self._flag_phone_collision(phone, partner_id, holder, team_id)

    @api.model
    def _flag_phone_collision(self, phone, partner_id, holder, team_id=None):
        """The number ``phone`` typed at the desk for customer ``partner_id`` belongs
        to ``holder``: an activity on the chosen customer for the manager of the
        visit's team (else the registering user), naming both customers and their
        owners in that project; a holder known only in other projects (scope
        ``project``) stays unnamed (``attribution.partner.phone._holder_view``).
        Nothing moves: the manager merges the customers (same person) or corrects
        the number."""
        # sudo: both customers may be other consultants' customers
        chosen = self.env["res.partner"].sudo().browse(partner_id)
        team = self.env["crm.team"].sudo().browse(team_id) if team_id else \
            self.env["crm.team"].sudo()._get_default_team_id()
        manager = team.user_id or self.env.user
        Phone = self.env["attribution.partner.phone"]
        chosen_owner = Phone._holder_view(chosen, team)[1]
        holder_name, holder_owner = Phone._holder_view(holder, team)
        if holder_name is None:
            note = _("Phone collision at the visit desk: the number %s given for %s "
                     "(owner: %s) belongs to another customer, known in another "
                     "project. Same person: ask the company to merge the two "
                     "customers; otherwise correct the number.") % (
                phone, chosen.name, chosen_owner or _("none"))
        else:
            note = _("Phone collision at the visit desk: the number %s given for %s "
                     "(owner: %s) belongs to customer %s (owner: %s). Same person: "
                     "merge the two customers (Contacts, Action, Merge); otherwise "
                     "correct the number.") % (
                phone, chosen.name, chosen_owner or _("none"),
                holder_name, holder_owner or _("none"))
        self.env["attribution.conflict"]._schedule_activity(
            chosen, manager, _("Phone collision: %s") % phone, note)
        return True

    # ------------------------------------------------------------ reception desk (A5)
    # The desk types the phone first; before saving, the form says whether this
    # customer visited before, when, with whom and who owns them, so a collision is
    # stopped at the door. Only dates and consultants' names are shown: never the
    # customer's name, phone or anything else of another consultant's customer.
    prior_visit_info = fields.Html(
        compute="_compute_prior_visit_info", string="Prior Visits", sanitize=True,
        help="A5: what the sheet knows about this phone number: earlier visits (date "
             "and consultant) and the customer's owner. Ask the customer anyway.")
    prior_visit_count = fields.Integer(
        compute="_compute_prior_visit_info", string="Earlier Visits",
        help="Visits of this customer registered before this one.")

    @api.depends("phone", "partner_id")
    def _compute_prior_visit_info(self):
        for visit in self:
            count, html = visit._prior_visit_summary()
            visit.prior_visit_count = count
            visit.prior_visit_info = html

    @api.onchange("phone")
    def _onchange_phone(self):
        """Phone typed at the desk: show the customer's history at once (A5)."""
        count, html = self._prior_visit_summary()
        self.prior_visit_count = count
        self.prior_visit_info = html

    def _prior_visit_customer(self):
        """The customer this form is about: the chosen one, else found by phone."""
        self.ensure_one()
        if self.partner_id:
            return self.partner_id.sudo(), None
        if not self.phone:
            return self.env["res.partner"], None
        try:
            phone = normalize_phone(self.phone)
        except InvalidPhone as err:
            return self.env["res.partner"], err
        return self._find_customer_by_phone(phone), None

    def _prior_visit_summary(self):
        """``(count, html)``: earlier visits of the customer and their owner."""
        self.ensure_one()
        partner, error = self._prior_visit_customer()
        esc = html_escape
        if error:
            return 0, '<p class="text-warning">%s</p>' % esc(
                _("This phone number cannot be read: %s")
                % error.message(self.env.context.get("lang") or self.env.user.lang))
        if not partner:
            if not self.phone:
                return 0, False
            return 0, '<p class="text-success">%s</p>' % esc(
                _("No visit registered with this number: a new customer. Ask whether "
                  "they have been here before (A5)."))
        # sudo: the desk must see that another consultant's customer visited before;
        # only dates and consultants' names leave this method. A customer known only
        # in other projects (scope project): nothing of theirs but that the number
        # belongs to a customer (attribution.partner.phone._holder_view).
        team = self.team_id or self.env.user.sale_team_id
        name, owner_name = self.env["attribution.partner.phone"]._holder_view(
            partner, team)
        if name is None:
            return 0, '<p class="text-warning">%s</p>' % esc(
                _("This number belongs to a customer known in another project. Ask "
                  "whether they have been here before (A5)."))
        domain = [("partner_id", "=", partner.id)]
        if team and partner._attribution_company().attribution_scope != \
                terms.SCOPE_COMPANY:
            domain.append(("team_id", "in", [team.id, False]))
        if isinstance(self.id, int):
            domain.append(("id", "!=", self.id))
        if self.visit_datetime:
            domain.append(("visit_datetime", "<=", self.visit_datetime))
        visits = self.sudo().search(domain, order="visit_datetime desc, id desc")
        parts = []
        if visits:
            def who(v):
                return (v.receiver_id or v.owner_id).name or _("unknown")
            rows = "".join("<li>%s - %s</li>" % (
                esc(self._desk_time(v.visit_datetime)), esc(who(v)))
                for v in visits[:5])
            last = visits[0]
            parts.append('<p class="text-danger"><strong>%s</strong></p><ul>%s</ul>' % (
                esc(_("Visited before: %s time(s), last on %s with %s.") % (
                    len(visits), self._desk_time(last.visit_datetime), who(last))),
                rows))
        else:
            parts.append("<p>%s</p>" % esc(
                _("Known customer, no visit registered yet.")))
        if owner_name:
            parts.append("<p><strong>%s</strong></p>" % esc(
                _("Owner: %s") % owner_name))
        else:
            parts.append("<p>%s</p>" % esc(_("No owner yet.")))
        return len(visits), "".join(parts)
