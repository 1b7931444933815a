from odoo import api, fields, models

from ..attribution import ownership as policy
from ..attribution import terms
from ..attribution.phone import InvalidPhone, normalize_phone
from ..attribution.salutation import default_salutation


#: the customer's fields held per project by ``attribution.ownership`` (the visit
#: dates are computed there from the visits): partner field -> row field
OWNERSHIP_FIELDS = {
    "attribution_owner_id": "owner_id",
    "last_followup_date": "last_followup_date",
    "intent_class": "intent_class",
    "intent_reported_date": "intent_reported_date",
}


class ResPartner(models.Model):
    _inherit = "res.partner"

    attribution_owner_id = fields.Many2one(
        "res.users", string="Owning Consultant", index=True,
        track_visibility="onchange",
        help="The consultant who owns this customer under the rule book (归属顾问). Set by "
             "attribution decisions; every change is logged as a decision.")
    attribution_phone = fields.Char(
        string="Normalised Phone", compute="_compute_attribution_phone", store=True,
        index=True,
        help="Mobile (else phone) as digits without country prefix or separators; "
             "customers are matched on it from the form, XML-RPC and imports alike.")
    attribution_phone_ids = fields.One2many(
        "attribution.partner.phone", "partner_id", string="Phone Numbers",
        help="Every number of this customer, normalised: mobile, phone and further "
             "numbers. Visits, the desk and imports find the customer by any of them; "
             "a number of another customer is refused.")
    attribution_extra_phone_ids = fields.One2many(
        "attribution.partner.phone", "partner_id", string="Further Numbers",
        domain=[("source", "=", "extra")],
        help="Numbers of this customer besides mobile and phone (landline, second "
             "mobile, Hong Kong number...).")
    first_visit_date = fields.Date(
        compute="_compute_visit_dates", store=True, compute_sudo=True,
        help="Date of the customer's first registered visit to the showroom, on the "
             "office's calendar (the company's office time zone).")
    last_visit_date = fields.Date(
        compute="_compute_visit_dates", store=True, compute_sudo=True,
        help="Date of the customer's latest registered visit on the office's calendar "
             "(B6 counts days from it).")
    last_followup_date = fields.Date(
        track_visibility="onchange",
        help="Date the owning consultant last followed the customer up by phone (A14: "
             "protection of a phone-only customer lapses after the follow-up window).")
    intent_class = fields.Selection(
        [("a", "A"), ("b", "B"), ("c", "C")], string="Intent Class",
        track_visibility="onchange",
        help="Class reported by the owning consultant at the evening review (每日晚会). "
             "B1: a kin customer reported as A or B before the deal keeps all for "
             "them.")
    intent_reported_date = fields.Date(
        help="Date the intent class was reported at the evening review.")
    is_developer_related = fields.Boolean(
        string="Developer Related", track_visibility="onchange",
        help="A11: the customer has a direct or indirect relation with the property "
             "developer; after the developer's written notice such customers are "
             "shared out evenly by the sales manager.")
    developer_notice_date = fields.Date(
        track_visibility="onchange",
        help="A11: date of the developer's written notice. Contact established before "
             "it is treated as a new customer under the normal rules.")
    attribution_relation_ids = fields.One2many(
        "attribution.relation", "partner_id", string="Relations",
        help="Family, friends and referrals of this customer (the inverse row is kept "
             "on the other customer automatically).")
    attribution_ownership_ids = fields.One2many(
        "attribution.ownership", "partner_id", string="Ownership per Project",
        readonly=True,
        help="Who owns this customer in each project (案场) that knows them; written by "
             "the attribution decisions.")
    attribution_visit_ids = fields.One2many(
        "attribution.visit", "partner_id", string="Visits")
    attribution_decision_ids = fields.One2many(
        "attribution.decision", "partner_id", string="Attribution Decisions")
    attribution_visit_count = fields.Integer(
        compute="_compute_attribution_visit_count", string="Visit Count")
    attribution_salutation = fields.Char(
        string="Salutation", compute="_compute_attribution_salutation",
        inverse="_inverse_attribution_salutation", store=True,
        help="How the messages and letters greet this contact (称呼): 王总, 李女士, "
             "Mr Lee. Left empty it follows the name and title: surname + 总 (or "
             "先生/女士 from the title), the company name for a company, Mr/Ms + family "
             "name for a Latin-script name with a title. A value typed here sticks.")
    attribution_salutation_manual = fields.Char(
        string="Salutation Typed", copy=False,
        help="The salutation typed by the office; empty when it follows the name.")
    attribution_sms_opt_out = fields.Boolean(
        string="SMS Opt-out (退订)", copy=False, index=True,
        help="S2: the customer receives no SMS from the sales office (event messages "
             "are skipped and logged). Set by hand or by a reply containing "
             "退订/TD/T/N to one of the office's messages.")

    @api.model
    def _get_default_image(self, partner_type, is_company, parent_id):
        """No generated avatar for the customers of an imported sheet
        (``terms.CTX_SHEET_IMPORT``): three images each, for thousands of them."""
        if self.env.context.get(terms.CTX_SHEET_IMPORT):
            return False
        return super()._get_default_image(partner_type, is_company, parent_id)

    @api.depends("mobile", "phone")
    def _compute_attribution_phone(self):
        for partner in self:
            value = False
            for raw in (partner.mobile, partner.phone):
                if not raw:
                    continue
                try:
                    value = normalize_phone(raw)
                    break
                except InvalidPhone:
                    continue
            partner.attribution_phone = value

    def _attribution_company(self):
        """The company whose rules and office time zone apply to this customer."""
        return self[:1].company_id or self.env.user.company_id

    def _attribution_default_salutation(self):
        """Default salutation from the name, title and company flag
        (:func:`attribution.salutation.default_salutation`)."""
        self.ensure_one()
        title = self.title.with_context(lang=None)  # the untranslated title name
        return default_salutation(
            self.name, title=title.name or title.shortcut, is_company=self.is_company)

    @api.depends("name", "is_company", "title", "attribution_salutation_manual")
    def _compute_attribution_salutation(self):
        for partner in self:
            partner.attribution_salutation = (
                partner.attribution_salutation_manual
                or partner._attribution_default_salutation() or False)

    def _inverse_attribution_salutation(self):
        # a value equal to the default (the form sends back what it showed) or empty
        # keeps following the name; anything else sticks
        for partner in self:
            value = " ".join((partner.attribution_salutation or "").split())
            default = partner._attribution_default_salutation()
            manual = value if value != default else ""
            partner.attribution_salutation_manual = manual or False
            # Odoo does not recompute the field being written: store the default (or
            # the trimmed value) here; the nested write finds nothing more to do
            target = value or default
            if target != (partner.attribution_salutation or ""):
                partner.attribution_salutation = target or False

    @api.depends("attribution_visit_ids.visit_datetime",
                 "company_id.attribution_timezone")
    def _compute_visit_dates(self):
        """First and last visit as office dates (a visit at 07:30 Beijing time is on
        that Beijing day, not on the UTC day before). Read as superuser: the dates are
        stored on the customer whoever creates or writes it (a CRM salesman outside the
        office's groups converts leads to customers too)."""
        for partner in self:
            stamps = partner.sudo().attribution_visit_ids.mapped("visit_datetime")
            company = partner._attribution_company()
            partner.first_visit_date = fields.Date.to_string(
                company._attribution_office_date(min(stamps))) if stamps else False
            partner.last_visit_date = fields.Date.to_string(
                company._attribution_office_date(max(stamps))) if stamps else False

    def _compute_attribution_visit_count(self):
        groups = self.env["attribution.visit"].read_group(
            [("partner_id", "in", self.ids)], ["partner_id"], ["partner_id"])
        counts = {g["partner_id"][0]: g["partner_id_count"] for g in groups}
        for partner in self:
            partner.attribution_visit_count = counts.get(partner.id, 0)

    @api.model
    def _cron_attribution_phone_lapse(self, now=None):
        """A14 (scheduled): phone-only customers whose follow-up window has passed
        become natural customers: owner cleared, decision A14 logged.

        ``now``: UTC datetime string (default: now); days are counted up to its date
        on the office's calendar (the customer's company's time zone).
        """
        # sudo: the scheduled action looks at every consultant's customers.
        partners = self.sudo().search([
            ("attribution_owner_id", "!=", False), ("last_visit_date", "=", False),
            ("last_followup_date", "!=", False)])
        now = now or fields.Datetime.now()
        Decision = self.env["attribution.decision"]
        for partner in partners:
            company = partner._attribution_company()
            settings = company._attribution_ownership_settings()
            owner = partner.attribution_owner_id
            decision = policy.lapse_phone_only(
                owner.id, fields.Date.from_string(partner.last_followup_date),
                company._attribution_office_date(now),
                visited=bool(partner.attribution_visit_ids), settings=settings,
                names={owner.id: owner.name})
            if decision:
                Decision._log(partner, self.env["res.users"], decision.rule_code,
                              decision.explanation_zh, decision.explanation_en,
                              previous_owner=owner)
        return True

    # ------------------------------------------------------------ phone numbers
    # Every number of a customer is a row of attribution.partner.phone (unique): the
    # rows of mobile and phone follow these fields on every create and write.

    @api.model
    def create(self, vals):
        numbers = vals.get("mobile") or vals.get("phone")
        if numbers:
            holders = self.env["attribution.partner.phone"]._check_partner_vals(
                self, vals)
        partner = super().create(vals)
        if numbers:
            self.env["attribution.partner.phone"]._sync_partners(
                partner, new_holders=holders)
        partner._attribution_write_ownership(vals)
        return partner

    @api.multi
    def write(self, vals):
        numbers = "mobile" in vals or "phone" in vals
        if numbers:
            self.env["attribution.partner.phone"]._check_partner_vals(self, vals)
        res = super().write(vals)
        if numbers:
            self.env["attribution.partner.phone"]._sync_partners(self)
        self._attribution_write_ownership(vals)
        return res

    # ------------------------------------------------------------ ownership rows

    def _attribution_write_team(self, owner_id=None):
        """The project (``crm.team``, maybe empty) whose ownership row a write of
        this customer's ownership fields goes to: none (the company-wide row) in
        scope ``company``; else the ``team_id`` of the context; else the project of
        the row the customer's fields show (the user's team's row, else the latest
        visited); else the team of the new owner ``owner_id``; else the user's."""
        self.ensure_one()
        Team = self.env["crm.team"]
        company = self._attribution_company()
        if company.attribution_scope == terms.SCOPE_COMPANY:
            return Team
        if self.env.context.get(terms.CTX_TEAM):
            return Team.browse(self.env.context[terms.CTX_TEAM])
        # sudo: the rows of the customer are read whoever writes its fields
        rows = self.sudo().attribution_ownership_ids
        if rows:
            project = self.env.user.sale_team_id.id or None
            return rows._current_of(project)[self.id].team_id
        owner = self.env["res.users"].sudo().browse(owner_id or [])
        return owner.sale_team_id or self.env.user.sale_team_id

    def _attribution_write_ownership(self, vals):
        """Keep the ownership row of the project (:meth:`_attribution_write_team`) in
        step with the ownership fields written in ``vals`` (partner field names)."""
        values = {row_field: vals[name] for name, row_field in OWNERSHIP_FIELDS.items()
                  if name in vals}
        if not values or self.env.context.get(terms.CTX_OWNERSHIP_WRITTEN):
            return
        Ownership = self.env["attribution.ownership"]
        for partner in self:
            team = partner._attribution_write_team(vals.get("attribution_owner_id"))
            row = Ownership._rows_of(partner, team, create=False)
            if not row:
                if not any(values.values()):
                    continue  # nothing known of the customer in the project yet
                row = Ownership._rows_of(partner, team)
            changed = {k: v for k, v in values.items()
                       if row._fields[k].convert_to_write(row[k], row) != (v or False)}
            if changed:
                row.write(changed)
