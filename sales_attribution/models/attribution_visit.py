import dataclasses
from datetime import datetime, timedelta

import psycopg2.extensions

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import html_escape

from ..attribution import codes
from ..attribution import ownership as policy
from ..attribution import terms
from ..tools import visit_facts
from .input_guard import check_vals

#: ``kind`` values of ``terms.KINDS`` with their labels
VISIT_KINDS = terms.selection(terms.KINDS, {
    "walk_in": "Walk-in",
    "appointment": "Appointment",
    "referral": "Referral by a Customer",
    "staff_referral": "Staff or Developer Referral",
})


def rule_code_selection():
    return [(code, codes.label(code, "en_US")) for code in codes.CODES]


class AttributionVisit(models.Model):
    """来访登记: every registration (form, phone alone, XML-RPC ``create``, import) runs
    the attribution engine in ``create``:

    1. ``_prepare_customer_vals``: the customer is found by normalised phone (sudo) or
       created (``partner_name``); a phone that cannot be read is a ValidationError
       (``attribution_visit_desk.py``, with the A5 prior-visit panel).
    2. ``_lock_customer``: the customer's row is locked FOR UPDATE, so two parallel
       visits of one customer are judged one after the other.
    3. ``_prepare_visit_facts`` gathers every fact (the one place to extend; read by
       ``tools.visit_facts``),
       ``_decide`` calls ``ownership.decide`` and draws the rotation turn when needed.
    4. ``_apply_attribution`` writes the result through ``attribution.decision._log``,
       opens or extends the conflict, records A5 and schedules the activities.
    The result fields (owner, decision) are written by the engine only.
    """

    _name = "attribution.visit"
    _description = "Visit Registration"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "visit_datetime desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", index=True, ondelete="restrict",
        track_visibility="onchange",
        help="The visiting customer. Leave empty and give the phone: the customer is "
             "found by normalised phone or created.")
    phone = fields.Char(
        help="The customer's phone as told at the desk; customers are matched on it "
             "(full-width digits, +86/0086, spaces and dashes are accepted).")
    visit_datetime = fields.Datetime(
        string="Visit Time", required=True, default=fields.Datetime.now, index=True,
        help="Arrival at the showroom (B7: staff referrals go to whoever is on duty "
             "then).")
    team_id = fields.Many2one(
        "crm.team", string="Project", index=True,
        default=lambda self: self.env["crm.team"]._get_default_team_id(),
        help="The sales office the customer visited; its rotation serves walk-ins.")
    kind = fields.Selection(
        VISIT_KINDS, required=True, default="walk_in", track_visibility="onchange",
        help="Walk-in: no claim, goes by rotation (A3). Appointment: made by a "
             "consultant (B3b). Referral: brought or sent by an existing customer (B4, "
             "B8). Staff referral: sent by the developer's staff or non-sales staff "
             "(B7).")
    receiver_id = fields.Many2one(
        "res.users", string="Received By", track_visibility="onchange",
        help="Consultant who received the customer at the desk. Empty for a walk-in: "
             "the rotation decides (A3).")
    requested_user_id = fields.Many2one(
        "res.users", string="Consultant Asked For",
        help="Consultant the customer asked for by name (A2, A4, B3b, B4).")
    appointment_user_id = fields.Many2one(
        "res.users", string="Appointment Made By",
        help="B3b: consultant who made the appointment; honoured only when the "
             "customer asks for them.")
    referrer_partner_ids = fields.Many2many(
        "res.partner", "attribution_visit_referrer_rel", "visit_id", "partner_id",
        string="Referred By", help="Existing customers who brought or sent this "
                                   "customer (B4; two or more with different "
                                   "consultants: B8).")
    brought_in_person = fields.Boolean(
        help="B4: the existing customer came along in person.")
    customer_recalls_consultant = fields.Boolean(
        string="Customer Recalls a Consultant",
        help="The customer remembers the consultant who received or called them "
             "(A5, A14, B6).")
    asked_prior_visit = fields.Boolean(
        string="Asked About Prior Visits",
        help="A5: the receiver asked whether the customer had visited before. A "
             "collision later found on a visit where this was not asked is recorded "
             "against the receiver.")
    companion_partner_ids = fields.Many2many(
        "res.partner", "attribution_visit_companion_rel", "visit_id", "partner_id",
        string="Companions", help="People who came together with the customer (A9: a "
                                  "family visiting together buys as one).")
    owner_id = fields.Many2one(
        "res.users", string="Owner", readonly=True, index=True,
        track_visibility="onchange",
        help="Result: the consultant who owns the customer after this visit.")
    decision_id = fields.Many2one(
        "attribution.decision", string="Decision", readonly=True, copy=False,
        index=True,  # rule_code is stored from it: each decision looks its visit up
        help="The attribution decision this visit produced.")
    rule_code = fields.Selection(
        rule_code_selection(), related="decision_id.rule_code", store=True,
        readonly=True,
        help="Rule of the rule book that decided the owner.")
    explanation = fields.Text(related="decision_id.explanation", readonly=True)
    note = fields.Text()
    partner_name = fields.Char(
        string="Customer Name",
        help="Name of a new customer registered by phone; ignored when the phone "
             "matches an existing customer.")
    no_phone_notice = fields.Boolean(
        string="Do Not Leave Your Number", readonly=True, copy=False,
        help="A4: the customer came for another consultant who is absent; the receiver "
             "only covers and must not leave their own phone number.")
    is_late_entry = fields.Boolean(
        string="Late Entry", readonly=True, copy=False, index=True,
        help="补登: entered more than the office's late-entry minutes after the visit "
             "time, by a manager with a reason. A late entry never moves the "
             "customer by itself: where it would, a conflict is opened.")
    late_entry_reason = fields.Text(
        string="Late Entry Reason", copy=False,
        help="Required for a late entry (补登): why the visit was not registered at "
             "the desk at the time. Only a manager can make a late entry.")
    cover_user_id = fields.Many2one(
        "res.users", string="Covering Consultant", readonly=True, copy=False,
        help="The consultant on duty who received the customer for an absent named "
             "or original consultant (A2, A4, B3b, B4, B8) when the desk named "
             "nobody. Covering gives no claim on the customer.")

    @api.depends("partner_id", "visit_datetime")
    def _compute_name(self):
        for visit in self:
            # sudo: the desk may register a customer owned by another consultant.
            # The time as the desk's clock shows it (the user's time zone), not UTC.
            visit.name = "%s %s" % (visit.partner_id.sudo().display_name or visit.phone
                                    or "", visit._desk_time(visit.visit_datetime))

    @api.constrains("partner_id", "phone")
    def _check_customer_given(self):
        for visit in self:
            if not visit.partner_id and not visit.phone:
                raise ValidationError(
                    _("A visit needs the customer or their phone number."))

    @api.constrains("receiver_id")
    def _check_receiver_with_office(self):
        departed = self.env["attribution.rotation"]._departed_user_ids(
            self.mapped("receiver_id").ids)
        for visit in self:
            if visit.receiver_id.id in departed:
                raise ValidationError(_(
                    "%s has left the office and cannot receive customers: leave the "
                    "receiver empty (the rotation serves) or name a consultant on "
                    "duty.") % visit.receiver_id.name)

    @api.constrains("visit_datetime")
    def _check_not_future(self):
        # a few minutes of slack for clocks of tablets at the desk
        limit = fields.Datetime.to_string(
            fields.Datetime.from_string(fields.Datetime.now()) + timedelta(minutes=10))
        for visit in self:
            if visit.visit_datetime and visit.visit_datetime > limit:
                raise ValidationError(_("A visit cannot be registered in the future "
                                        "(%s).")
                                      % visit.visit_datetime)

    # ------------------------------------------------------------------ CRUD

    @api.model
    def create(self, vals):
        check_vals(self, vals)
        # before any query of this transaction: the switch applies only then
        self._read_committed_if_first()
        if vals.get("receiver_id") == self.env.uid and \
                not self._attribution_desk_lead():
            # a consultant naming themselves: the turn check (``_check_in_turn``)
            # may refuse after the customer was found or created, undo it all then
            with self.env.cr.savepoint():
                return self._create_registration(vals)
        return self._create_registration(vals)

    @api.model
    def _create_registration(self, vals):
        """The body of ``create`` (see the class docstring)."""
        vals = self._prepare_late_entry_vals(dict(vals))
        vals = self._prepare_customer_vals(dict(vals))
        if vals.get("partner_id"):
            self._lock_customer(vals["partner_id"])
        # tracking_disable: no "created" note, no tracking message and no follower for
        # the desk; the decision note on the customer follows at once and the visit
        # shows its decision (bench: 4-5 chatter posts a walk-in were most of its
        # cost). The customer's visit dates are recomputed as superuser
        # (``compute_sudo`` on res.partner): a consultant may not write a customer
        # owned by another, the dates follow the sheet anyway.
        visit = super(AttributionVisit, self.with_context(
            tracking_disable=True)).create(vals).with_env(self.env)
        visit._apply_attribution()
        return visit

    #: what the decision was made from: fixed once the visit is decided
    DECISIVE_FIELDS = frozenset({
        "phone", "partner_id", "partner_name", "visit_datetime", "team_id", "kind",
        "asked_prior_visit", "customer_recalls_consultant", "receiver_id",
        "requested_user_id", "appointment_user_id", "referrer_partner_ids",
        "brought_in_person", "companion_partner_ids", "late_entry_reason"})

    @api.multi
    def write(self, vals):
        check_vals(self, vals)
        if self.env.uid != SUPERUSER_ID:
            result_fields = {"owner_id", "decision_id", "no_phone_notice",
                             "is_late_entry", "cover_user_id"} & set(vals)
            if result_fields:
                raise AccessError(_(
                    "The owner of a visit is decided by the rule book and cannot be "
                    "set by hand (%s); a manager changes it by ruling a conflict.")
                    % ", ".join(sorted(result_fields)))
            decisive = self.DECISIVE_FIELDS & set(vals)
            decided = self.filtered("decision_id")
            if decisive and decided:
                # the decision log cites these facts: changing them afterwards would
                # make it lie, and would not move the customer
                raise UserError(_(
                    "Visit %s was decided by rule %s: who came, when and how cannot "
                    "be changed afterwards (%s). Register a new visit, which the rule "
                    "book judges again, or ask the manager to rule the customer's "
                    "conflict.")
                    % (decided[0].name, decided[0].rule_code,
                       ", ".join(sorted(decisive))))
        return super().write(vals)

    # ------------------------------------------------------------ late entry (补登)

    def _attribution_entry_time(self):
        """The moment of entry (naive UTC ``datetime``): now, by the server's clock."""
        return fields.Datetime.from_string(fields.Datetime.now())

    @api.model
    def _prepare_late_entry_vals(self, vals):
        """Set ``is_late_entry`` from the visit time and the moment of entry.

        A visit dated more than the company's ``attribution_late_entry_minutes`` before
        now is a late entry: a consultant is refused (UserError: the manager enters
        it), a manager must give ``late_entry_reason``. Checked before anything is
        written. Data files loaded by the superuser at install (demo history) are the
        sheet as it was kept, not late entries.
        """
        visit_at = vals.get("visit_datetime") or fields.Datetime.now()
        if not isinstance(visit_at, datetime):
            try:
                visit_at = fields.Datetime.from_string(visit_at)
            except (TypeError, ValueError):
                raise ValidationError(_("The visit time %s cannot be read.")
                                      % (vals.get("visit_datetime"),))
        minutes = self.env.user.company_id.attribution_late_entry_minutes
        late = policy.entered_late(visit_at, self._attribution_entry_time(), minutes)
        if late and self.env.uid == SUPERUSER_ID and \
                self.env.context.get("install_mode_data"):
            late = False
        vals["is_late_entry"] = late
        if not late:
            return vals
        if not self.env.user.has_group("sales_attribution.group_manager"):
            raise UserError(_(
                "This visit is dated %s, more than %s minutes before now: a late entry "
                "(补登) needs the manager. Register visits at the desk when the "
                "customer arrives, or ask the sales manager to enter it with a "
                "reason.") % (self._desk_time(fields.Datetime.to_string(visit_at)),
                              minutes))
        if not (vals.get("late_entry_reason") or "").strip():
            raise UserError(_(
                "This visit is dated %s, more than %s minutes before now: give the "
                "reason for the late entry (补登).") % (
                    self._desk_time(fields.Datetime.to_string(visit_at)), minutes))
        return vals

    # ------------------------------------------------------------ transaction

    @api.model
    def _read_committed_if_first(self):
        """Run this registration in READ COMMITTED when it opens its transaction.

        Odoo has no public way to choose a transaction's isolation level; this is the
        one place the addon does, kept because the figures need it. Every walk-in
        serves a turn of the team's one rotation row (``SELECT ... FOR UPDATE``) and
        may claim a new phone (``attribution.phone.claim``). Under Odoo's REPEATABLE
        READ, a registration that waited for one of those row locks fails with a
        serialization error once the other commits, and the RPC layer retries it
        from scratch (at most 5 times): with 16 desks on 4 workers desks saw errors
        (bench/README.md, "parallel walk-ins": 3 errors in 128 walk-ins). In READ
        COMMITTED the waiting registration goes on with the committed row instead:
        the lock still gives the turns one after the other, and every statement
        after it reads what the others committed (``live/test_concurrency.py``: 400
        registrations by 16 XML-RPC clients, no error, no turn given twice, no phone
        made two customers). Only when nothing ran yet in the transaction (an
        XML-RPC ``create`` of a visit, read on the psycopg2 connection of the
        cursor): a transaction already under way keeps its isolation level.
        """
        cnx = getattr(self.env.cr, "_cnx", None)
        if cnx is not None and cnx.get_transaction_status() == \
                psycopg2.extensions.TRANSACTION_STATUS_IDLE:
            self.env.cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")

    @api.model
    def _lock_customer(self, partner_id):
        """Serialise the work on one customer: two visits of the same customer in
        parallel would otherwise both open conflicts. The second waits here (and, under
        REPEATABLE READ, is retried by the RPC layer once the first commits)."""
        self.env.cr.execute(
            "SELECT id FROM res_partner WHERE id = %s FOR UPDATE", (partner_id,),
            log_exceptions=False)

    # ------------------------------------------------------------------ facts

    def _attribution_settings(self):
        """The rule numbers of this visit's project (``res.company._attribution_rules``:
        the team's overrides, else the company's) for ``ownership.decide``; the
        decision's explanation cites the window it used."""
        company = self.env.user.company_id
        # sudo: the desk reads its project's numbers whatever it may read of the team
        team = self[:1].sudo().team_id
        return dataclasses.replace(
            company._attribution_ownership_settings(team),
            late_entry_minutes=company.attribution_late_entry_minutes)

    def _rotation(self):
        self.ensure_one()
        return self.env["attribution.rotation"].sudo().search(
            [("team_id", "=", self.team_id.id)], limit=1) if self.team_id else \
            self.env["attribution.rotation"]

    @staticmethod
    def _dt(value):
        return fields.Datetime.from_string(value) if value else None

    def _prepare_visit_facts(self):
        """All the facts of this visit for ``ownership.decide``, in one place (the
        hook to extend): ``tools.visit_facts.load_visit_facts`` reads them, with sudo.
        """
        return visit_facts.load_visit_facts(self)

    # ------------------------------------------------------------------ decision

    def _decide(self):
        """The policy's decision for this visit, the rotation drawn when needed."""
        self.ensure_one()
        facts = self._prepare_visit_facts()
        try:
            decision = policy.decide(facts, self._attribution_settings(),
                                     now=self._dt(fields.Datetime.now()))
            if decision.needs_cover:
                # an absent owner and no receiver: the consultant on duty covers
                # (asked only then: a plain walk-in does not read the desk twice)
                rotation = self._rotation()
                duty = rotation._duty_user() if rotation else rotation.env["res.users"]
                if duty:
                    facts = dataclasses.replace(
                        facts, duty_user_id=duty.id,
                        names={**(facts.names or {}), duty.id: duty.name})
                    decision = policy.decide(facts, self._attribution_settings(),
                                             now=self._dt(fields.Datetime.now()))
        except policy.InvalidFacts as err:
            raise ValidationError(
                err.message(self.env.context.get("lang") or self.env.user.lang))
        if decision.needs_rotation:
            decision = self._resolve_rotation(decision)
        elif decision.cover_user_id and \
                self.env.user.company_id.attribution_cover_uses_turn:
            # the office counts covering as a turn: serve it (row lock) and, when
            # another desk served the duty consultant meanwhile, decide again with
            # the one served now
            user, _turn = self._rotation()._serve_turn()
            if user.id != decision.cover_user_id:
                facts = dataclasses.replace(
                    facts, duty_user_id=user.id,
                    names={**(facts.names or {}), user.id: user.name})
                decision = policy.decide(facts, self._attribution_settings(),
                                         now=self._dt(fields.Datetime.now()))
        return decision

    def _resolve_rotation(self, decision):
        """Complete a ``needs_rotation`` decision: the team's rotation serves a turn
        (row lock) and its consultant owns and receives."""
        rotation = self._rotation()
        if not rotation:
            raise UserError(_("The sales team %s has no reception rotation: the "
                              "walk-in cannot be served.") % (
                self.team_id.name or _("(none)")))
        user, turn = rotation._serve_turn()
        return decision.resolve_rotation(turn, {user.id: user.name})

    def _registration_entered_at(self):
        """When this visit was entered on the sheet (naive UTC), for the late-entry
        rule: its creation."""
        return self._dt(self.create_date)

    def _attribution_opens_conflict(self, decision):
        """Whether this visit opens (or joins) the conflict ``decision`` asks for."""
        return decision.open_conflict

    def _apply_attribution(self):
        """Decide and apply: decision log, owner, conflict, notifications."""
        Users = self.env["res.users"].sudo()
        for visit in self:
            decision = visit._decide()
            visit._check_in_turn(decision)
            owner = Users.browse(decision.owner_id) if decision.owner_id else Users
            receiver = Users.browse(decision.receiver_id) if decision.receiver_id \
                else visit.receiver_id
            logged = self.env["attribution.decision"]._log(
                visit.partner_id, owner, decision.rule_code, decision.explanation_zh,
                decision.explanation_en,
                previous_owner=Users.browse(decision.previous_owner_id)
                if decision.previous_owner_id else Users,
                receiver=receiver, visit=visit)
            # sudo: the result fields are read-only for the desk and the visit may no
            # longer be visible to a consultant who is neither receiver nor owner.
            # tracking_disable: the decision note on the customer states the result.
            visit.sudo().with_context(tracking_disable=True).write({
                "owner_id": owner.id or False,
                "receiver_id": receiver.id or False,
                "decision_id": logged.id,
                "no_phone_notice": decision.show_no_phone_notice,
                "cover_user_id": decision.cover_user_id or False,
            })
            if visit._attribution_opens_conflict(decision):
                conflict = visit._open_conflict(decision, logged)
                if decision.not_asked_collision and visit.receiver_id:
                    self.env["attribution.violation"]._record(
                        visit.receiver_id, "other", "attribution.visit,%d" % visit.id,
                        description=_("A5: a collision was found on a visit where the "
                                      "receiver did not ask about prior visits (%s).")
                        % conflict.name,
                        rule_code="A5", fault_class="c", team=visit.sudo().team_id)
            summary = _("Attribution %s: %s") % (decision.rule_code,
                                                 visit.partner_id.sudo().display_name)
            if decision.notify_manager and visit.team_id.user_id:
                visit._schedule_attribution_activity(visit.team_id.user_id, summary,
                                                     logged.explanation)
            for user in Users.browse(decision.notify_user_ids):
                if user.id == decision.cover_user_id:
                    continue  # told below, with what covering means
                if user != visit.team_id.user_id or not decision.notify_manager:
                    visit._schedule_attribution_activity(user, summary,
                                                         logged.explanation)
            if decision.cover_user_id:
                visit._schedule_attribution_activity(
                    Users.browse(decision.cover_user_id),
                    _("Cover at the desk: %s") % visit.partner_id.sudo().display_name,
                    "<p>%s</p><p>%s</p>" % (html_escape(
                        (_("You receive this customer for %s, who is absent; the "
                           "customer stays theirs. Do not leave your own phone "
                           "number.") if decision.show_no_phone_notice else
                         _("You receive this customer for %s, who is absent; the "
                           "customer stays theirs.")) % owner.name),
                        html_escape(logged.explanation)))
        return True

    def _schedule_attribution_activity(self, user, summary, note):
        self.ensure_one()
        return self.env["attribution.conflict"]._schedule_activity(
            self, user, summary, note)

    def _open_conflict(self, decision, logged):
        """Open the customer's conflict (A6/A10) or add claimants to the open one."""
        self.ensure_one()
        # sudo: a consultant registering a visit cannot create conflicts or see the
        # other claimants' records; the conflict is the manager's to rule.
        Conflict = self.env["attribution.conflict"].sudo()
        claimants = self.env["res.users"].browse(decision.claimant_ids)
        conflict = Conflict.search([
            ("partner_id", "=", self.partner_id.id),
            ("state", "in", terms.OPEN)],
            order="id", limit=1)
        if conflict:
            new = claimants - conflict.claimant_ids
            if new:
                conflict.write({"claimant_ids": [(4, u.id) for u in new]})
                conflict.message_post(body=_("Claimants added by visit %s: %s") % (
                    self.name, ", ".join(new.mapped("name"))))
            return conflict
        conflict = Conflict.create({
            "partner_id": self.partner_id.id,
            "visit_id": self.id,
            "team_id": self.team_id.id or False,
            "claimant_ids": [(6, 0, claimants.ids)],
            "proposed_owner_id": decision.proposed_owner_id or decision.owner_id
            or False,
            "proposal_reason": logged.explanation,
        })
        if self.team_id.user_id:
            Conflict._schedule_activity(
                conflict, self.team_id.user_id,
                _("Conflict %s to settle") % conflict.name, logged.explanation)
        return conflict

    def _desk_time(self, value):
        """A visit time in the desk user's time zone, to the minute."""
        if not value:
            return ""
        local = fields.Datetime.context_timestamp(
            self, fields.Datetime.from_string(value))
        return local.strftime("%Y-%m-%d %H:%M")
