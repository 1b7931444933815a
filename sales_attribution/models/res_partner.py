from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import sql

from ..attribution import ownership as policy
from ..attribution import terms
from ..attribution.phone import InvalidPhone, normalize_phone
from ..attribution.salutation import default_salutation
from ..tools.owner_fields import check_partner_vals


#: the customer's fields written into the current project's ``attribution.ownership``
#: row: partner field -> row field
OWNERSHIP_FIELDS = {
    "attribution_owner_id": "owner_id",
    "last_followup_date": "last_followup_date",
    "intent_class": "intent_class",
    "intent_reported_date": "intent_reported_date",
}
#: every customer's field read from that row (the visit dates are computed on the
#: row from the project's visits)
OWNERSHIP_READ_FIELDS = dict(OWNERSHIP_FIELDS, first_visit_date="first_visit_date",
                             last_visit_date="last_visit_date")


def _empty_meets(operator, value):
    """Whether an empty value (a customer without an ownership row) meets the
    condition ``(operator, value)`` of a domain leaf.

    >>> _empty_meets("=", False), _empty_meets("!=", False), _empty_meets("=", 3)
    (True, False, False)
    >>> _empty_meets("in", [False, 4]), _empty_meets("not in", [4])
    (True, True)
    """
    if operator in ("=", "=="):
        return not value
    if operator in ("!=", "<>"):
        return bool(value)
    if operator == "in":
        return any(not v for v in value)
    if operator == "not in":
        return all(v for v in value)
    return False


class ResPartner(models.Model):
    _inherit = "res.partner"

    # The ownership fields read and write the current project's row of
    # attribution.ownership (_compute_attribution_ownership): context-dependent, not
    # stored, searchable (the project of the context, else the user's team).
    attribution_owner_id = fields.Many2one(
        "res.users", string="Owning Consultant",
        compute="_compute_attribution_ownership", inverse="_inverse_ownership",
        search="_search_owner",
        help="The consultant who owns this customer in the current project under the "
             "rule book (归属顾问): the project of the context, else your sales team's, "
             "else the customer's only or most recently visited project. Set by "
             "attribution decisions; every change is logged as a decision.")
    attribution_owner_ids = fields.Many2many(
        "res.users", string="Owning Consultants (all projects)",
        compute="_compute_attribution_owner_ids",
        search="_search_attribution_owner_ids",
        help="Every consultant who owns this customer in some project (the rows you "
             "may read). Searching it with a user finds the customers that user owns "
             "anywhere; with False, the customers nobody owns in any project.")
    attribution_owned = fields.Boolean(
        string="Owned", compute="_compute_attribution_owned", store=True, index=True,
        help="Some consultant owns this customer in some project: a stored summary of "
             "the ownership rows, read by the consultants' record rule (customers "
             "nobody owns).")
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
        compute="_compute_attribution_ownership",
        search="_search_first_visit",
        help="Date of the customer's first registered visit to the current project's "
             "showroom, on the office's calendar (the company's office time zone).")
    last_visit_date = fields.Date(
        compute="_compute_attribution_ownership",
        search="_search_last_visit",
        help="Date of the customer's latest registered visit to the current project, "
             "on the office's calendar (B6 counts days from it).")
    last_followup_date = fields.Date(
        compute="_compute_attribution_ownership", inverse="_inverse_ownership",
        search="_search_followup",
        help="Date the owning consultant last followed the customer up by phone in the "
             "current project (A14: protection of a phone-only customer lapses after "
             "the follow-up window).")
    intent_class = fields.Selection(
        [("a", "A"), ("b", "B"), ("c", "C")], string="Intent Class",
        compute="_compute_attribution_ownership", inverse="_inverse_ownership",
        search="_search_intent_class",
        help="Class reported by the owning consultant at the current project's "
             "evening review (每日晚会). B1: a kin customer reported as A or B before "
             "the deal keeps all for them.")
    intent_reported_date = fields.Date(
        compute="_compute_attribution_ownership", inverse="_inverse_ownership",
        search="_search_intent_date",
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
        """No generated avatar for the customers the addon creates at the desk and
        from a sheet (``terms.CTX_NO_AVATAR``): three images each, thousands of
        customers; a contact created by hand keeps Odoo's avatar."""
        if self.env.context.get(terms.CTX_NO_AVATAR):
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

    @api.model
    def _attribution_refresh_salutations(self, batch=5000):
        """Store again the default salutation of every contact (archived ones too)
        whose salutation follows the name (none typed by the office), in batches of
        ``batch``; returns how many changed. For an update whose default rule
        changed (``migrations/11.0.1.2.0``)."""
        Partner = self.with_context(active_test=False)
        changed = 0
        ids = Partner.search([("attribution_salutation_manual", "=", False)]).ids
        for start in range(0, len(ids), batch):
            partners = Partner.browse(ids[start:start + batch])
            for partner in partners:
                value = partner._attribution_default_salutation() or False
                if value != partner.attribution_salutation:
                    # SQL: the stored value of a compute, no write hooks to run
                    self.env.cr.execute(
                        "UPDATE res_partner SET attribution_salutation = %s "
                        "WHERE id = %s", (value, partner.id))
                    changed += 1
            partners.invalidate_cache(["attribution_salutation"])
        return changed

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

    # ------------------------------------------------------------ ownership rows
    # The ownership fields show the current project's attribution.ownership row:
    # the project (crm.team) of the context's team_id, else the user's sales team,
    # else the customer's only row, else the most recently visited one
    # (projects.current_row). The rule book itself never reads them: it asks for the
    # row of the visit's or the lead's project (_attribution_row).

    def _attribution_context_project(self):
        """The id of the project the ownership fields are read in (``None``: none,
        and always ``None`` in scope ``company``, whose rows have no project)."""
        company = self._attribution_company()
        if company.attribution_scope == terms.SCOPE_COMPANY:
            return None
        return self.env.context.get(terms.CTX_TEAM) or \
            self.env.user.sale_team_id.id or None

    @api.depends("attribution_ownership_ids.owner_id",
                 "attribution_ownership_ids.team_id",
                 "attribution_ownership_ids.first_visit_date",
                 "attribution_ownership_ids.last_visit_date",
                 "attribution_ownership_ids.last_followup_date",
                 "attribution_ownership_ids.intent_class",
                 "attribution_ownership_ids.intent_reported_date")
    def _compute_attribution_ownership(self):
        """The current project's row of each customer (picked among all its rows),
        shown when the user may read it: the record rules of
        ``attribution.ownership`` apply, so a consultant reads another consultant's
        ownership as none (empty fields), never a row of another project instead;
        users without access to the rows (outside the office's groups) read empty
        fields."""
        ids = [pid for pid in self.ids if isinstance(pid, int)]
        current = {}
        Ownership = self.env["attribution.ownership"]
        if ids and Ownership.check_access_rights("read", raise_exception=False):
            rows = Ownership.sudo().search([("partner_id", "in", ids)])
            picked = rows._current_of(self[:1]._attribution_context_project())
            readable = set(Ownership.search(
                [("id", "in", [row.id for row in picked.values()])]).ids)
            current = {pid: row.with_env(self.env) for pid, row in picked.items()
                       if row.id in readable}
        for partner in self:
            row = current.get(partner.id)
            for name, row_field in OWNERSHIP_READ_FIELDS.items():
                partner[name] = row[row_field] if row else False

    def _compute_attribution_owner_ids(self):
        ids = [pid for pid in self.ids if isinstance(pid, int)]
        Ownership = self.env["attribution.ownership"]
        rows = []
        if ids and Ownership.check_access_rights("read", raise_exception=False):
            rows = Ownership.search(
                [("partner_id", "in", ids), ("owner_id", "!=", False)])
        owners = {}
        for row in rows:
            owners.setdefault(row.partner_id.id, set()).add(row.owner_id.id)
        for partner in self:
            partner.attribution_owner_ids = [(6, 0, sorted(owners.get(partner.id, ())))]

    def _inverse_ownership(self):
        """Nothing here: ``create`` and ``write`` write every ownership field of
        their values into the project's row at once
        (:meth:`_attribution_write_ownership`); an inverse per field would lose the
        other fields' new values when the row's write refreshes them."""

    def _search_owner(self, operator, value):
        return self._attribution_ownership_domain(
            "attribution_owner_id", operator, value)

    def _search_first_visit(self, operator, value):
        return self._attribution_ownership_domain("first_visit_date", operator, value)

    def _search_last_visit(self, operator, value):
        return self._attribution_ownership_domain("last_visit_date", operator, value)

    def _search_followup(self, operator, value):
        return self._attribution_ownership_domain(
            "last_followup_date", operator, value)

    def _search_intent_class(self, operator, value):
        return self._attribution_ownership_domain("intent_class", operator, value)

    def _search_intent_date(self, operator, value):
        return self._attribution_ownership_domain(
            "intent_reported_date", operator, value)

    @api.model
    def _attribution_ownership_domain(self, name, operator, value):
        """The domain on ``res.partner`` of ``(name, operator, value)``, ``name`` an
        ownership field, evaluated on each customer's current row."""
        Ownership = self.env["attribution.ownership"]
        rows_sql, rows_params = Ownership._current_rows_query(
            self._attribution_context_project())
        # the condition on the rows, as the ORM writes it (operators, dates, False)
        query = Ownership.sudo()._where_calc(
            [(OWNERSHIP_READ_FIELDS[name], operator, value)], active_test=False)
        from_clause, where_clause, where_params = query.get_sql()
        sql = ("SELECT cur.partner_id FROM (%s) cur WHERE cur.id IN "
               "(SELECT attribution_ownership.id FROM %s WHERE %s)" % (
                   rows_sql, from_clause, where_clause or "TRUE"))
        domain = [("id", "inselect", (sql, rows_params + where_params))]
        if _empty_meets(operator, value):
            domain = ["|"] + domain + [
                ("id", "not inselect",
                 ("SELECT partner_id FROM attribution_ownership", []))]
        return domain

    @api.model
    def _search_attribution_owner_ids(self, operator, value):
        """Customers owned by a user (``=``/``in`` user ids) in any project; with
        ``= False`` (``!= False``) those nobody (somebody) owns in any project. The
        rows are read whatever the searching user may see: this is the condition of
        the consultants' record rule on customers. "Nobody" reads the stored
        ``attribution_owned``: a ``NOT IN`` over every ownership row would hash
        all of them for each query a consultant makes on customers or users."""
        if operator in ("=", "!=") and not value:
            return [("attribution_owned", "=", operator != "=")]
        if operator in ("=", "in"):
            ids = value if isinstance(value, (list, tuple)) else [value]
            ids = tuple(int(i) for i in ids if i) or (0,)
            return [("id", "inselect", (
                "SELECT partner_id FROM attribution_ownership WHERE owner_id IN %s",
                [ids]))]
        raise UserError(_("Customers cannot be searched on their owning consultants "
                          "with %r.") % operator)

    @api.depends("attribution_ownership_ids.owner_id")
    def _compute_attribution_owned(self):
        """Whether a row of the customer has an owner (SQL: whatever rows the user
        may read)."""
        ids = tuple(pid for pid in self.ids if isinstance(pid, int))
        owned = set()
        if ids:
            self.env.cr.execute(
                "SELECT DISTINCT partner_id FROM attribution_ownership "
                "WHERE partner_id IN %s AND owner_id IS NOT NULL", (ids,))
            owned = {row[0] for row in self.env.cr.fetchall()}
        for partner in self:
            partner.attribution_owned = partner.id in owned

    @api.model_cr_context
    def _auto_init(self):
        # a new column is filled here in SQL, before Odoo would compute it customer
        # by customer (minutes at 100 000 customers)
        cr = self.env.cr
        if not sql.column_exists(cr, "res_partner", "attribution_owned"):
            sql.create_column(cr, "res_partner", "attribution_owned", "boolean")
            cr.execute("SELECT to_regclass('attribution_ownership')")
            if cr.fetchone()[0]:
                cr.execute(
                    "UPDATE res_partner SET attribution_owned = TRUE WHERE id IN "
                    "(SELECT partner_id FROM attribution_ownership "
                    "WHERE owner_id IS NOT NULL)")
        return super()._auto_init()

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
        # sudo: the scheduled action looks at every consultant's customers; each
        # project's ownership lapses on its own (the row of the project, its window)
        rows = self.env["attribution.ownership"].sudo().search([
            ("owner_id", "!=", False), ("last_visit_date", "=", False),
            ("last_followup_date", "!=", False)])
        now = now or fields.Datetime.now()
        Decision = self.env["attribution.decision"]
        for row in rows:
            partner = row.partner_id
            company = partner._attribution_company()
            settings = company._attribution_ownership_settings(row.team_id)
            owner = row.owner_id
            decision = policy.lapse_phone_only(
                owner.id, fields.Date.from_string(row.last_followup_date),
                company._attribution_office_date(now),
                visited=bool(row.last_visit_date), settings=settings,
                names={owner.id: owner.name})
            if decision:
                Decision._log(partner, self.env["res.users"], decision.rule_code,
                              decision.explanation_zh, decision.explanation_en,
                              previous_owner=owner, team=row.team_id)
        return True

    # ------------------------------------------------------------ phone numbers
    # Every number of a customer is a row of attribution.partner.phone (unique): the
    # rows of mobile and phone follow these fields on every create and write.

    #: stored summaries of other records, never written by hand (XML-RPC, import)
    DERIVED_FIELDS = ("attribution_owned", "attribution_phone")

    def _attribution_check_derived(self, vals):
        """Refuse a hand-written value of a :data:`DERIVED_FIELDS` field (UserError):
        a consultant hiding a customer nobody owns from colleagues by marking it
        owned, or showing one by marking it not owned."""
        given = [name for name in self.DERIVED_FIELDS if name in vals]
        if given:
            raise UserError(_("%s is worked out by the rule book and cannot be "
                              "written.") % self._fields[given[0]].get_description(
                                  self.env)["string"])

    @api.model
    def create(self, vals):
        self._attribution_check_derived(vals)
        vals = check_partner_vals(self.browse(), vals)
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
        self._attribution_check_derived(vals)
        vals = check_partner_vals(self, vals)
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
        visited); else the team of the new owner ``owner_id``; else the user's; else
        the owner's (or user's) default team as Odoo picks it (a team they lead or
        belong to, else the company's sales department)."""
        self.ensure_one()
        Team = self.env["crm.team"]
        company = self._attribution_company()
        if company.attribution_scope == terms.SCOPE_COMPANY:
            return Team
        if self.env.context.get(terms.CTX_TEAM):
            return Team.browse(self.env.context[terms.CTX_TEAM])
        row = self._attribution_current_row(self.env.user.sale_team_id.id or None)
        if row:
            return row.team_id
        owner = self.env["res.users"].sudo().browse(owner_id or [])
        return owner.sale_team_id or self.env.user.sale_team_id or \
            Team.sudo()._get_default_team_id(user_id=owner.id or self.env.uid)

    def _attribution_row(self, team, create=False):
        """The ownership row (``attribution.ownership``, superuser, maybe empty) that
        the rule book reads and writes for this customer in the project ``team``
        (``crm.team``; the company-wide row in scope ``company``), created empty when
        missing with ``create=True``.

        In scope ``project`` a row without project (ownership recorded before the
        customer had one, e.g. by the 11.0.1.1.0 migration) holds in every project
        until a decision is made in one: that decision's row is this row, given
        the project (``create=True``)."""
        self.ensure_one()
        Ownership = self.env["attribution.ownership"]
        project = self._attribution_company()._attribution_ownership_team(team)
        row = Ownership._rows_of(self, project, create=False)
        if not row and project:
            row = Ownership._rows_of(self, project.browse(), create=False)
            if row and create:
                row.write({"team_id": project.id})
        if not row and create:
            row = Ownership._rows_of(self, project)
        return row

    def _attribution_current_row(self, project_id=None):
        """The customer's row its fields show in ``project_id`` (a team id;
        ``None``: the most recently visited row, the ownership of a record that
        names no project), superuser, read whoever asks; empty without rows."""
        self.ensure_one()
        # sudo: the rows of the customer are read whoever writes its fields
        rows = self.env["attribution.ownership"].sudo().search(
            [("partner_id", "=", self.id)])
        return rows._current_of(project_id).get(self.id, rows)

    def _attribution_write_ownership(self, vals):
        """Keep the ownership row of the project (:meth:`_attribution_write_team`) in
        step with the ownership fields written in ``vals`` (partner field names)."""
        values = {row_field: vals[name] for name, row_field in OWNERSHIP_FIELDS.items()
                  if name in vals}
        if not values:
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
