"""``event.registration`` of the addon: the E1-E5 fields, the facts of a registration
for the rule book (:mod:`..attribution.events`, :mod:`..attribution.event_contacts`),
the helpers the mail templates call, the E3 call and postponement activities, the E1
sent at once to a late registration and the scheduled action's entry point. Claiming
and sending a batch is ``attribution.message.log``'s job
(:mod:`.attribution_message_log`)."""
import datetime

from odoo import SUPERUSER_ID, _, api, fields, models, tools
from odoo.exceptions import UserError, ValidationError

from ..attribution import event_contacts, events, phone, terms
from ..tools import event_facts
from .input_guard import check_vals

#: absentee letters (E4/E5) go out up to this many days after the event
LETTERS_WITHIN_DAYS = 30


#: fields of the addon on event.registration whose careless values are refused clearly
GUARDED_FIELDS = ("seats_reserved", "survey_knows_planning", "survey_pension_holder",
                  "gift_courier_id")


class TextMemo(object):
    """The texts of one cron batch, keyed by (registration, code, version, now), and
    the facts its registrations share: a context value (``attribution_text_memo``),
    hashed by identity."""

    def __init__(self):
        self.texts = {}
        #: facts shared by the batch's registrations (event, consultant)
        self.shared = {}


class EventRegistration(models.Model):
    _inherit = "event.registration"

    attribution_user_id = fields.Many2one(
        "res.users", string="Consultant",
        help="Consultant who invited the guest; signs the messages (E1-E5).")
    seats_reserved = fields.Integer(
        default=1, help="E2/E3: seats reserved for the guest's party.")
    confirm_sent_date = fields.Datetime(readonly=True, copy=False,
                                        help="E1 confirmation sent.")
    logistics_sent_date = fields.Datetime(readonly=True, copy=False,
                                          help="E2 logistics message sent.")
    call_activity_id = fields.Many2one(
        "mail.activity", string="Confirmation Call", readonly=True, copy=False,
        ondelete="set null", help="E3 phone call activity of the consultant.")
    thanks_sent_date = fields.Datetime(readonly=True, copy=False,
                                       help="E4/E5 thank-you letter sent (absentees).")
    gift_description = fields.Char(help="E4: the gift delivered to the absentee.")
    gift_courier_id = fields.Many2one(
        "res.users", string="Gift Courier", help="E4: who delivers the gift.")
    gift_signed_date = fields.Date(help="E4: date the receipt (签收回执) was signed.")
    survey_knows_planning = fields.Selection(
        [("yes", "Yes"), ("no", "No")], string="Knows Financial Planning",
        help="E5 question 1: 您是否对家庭投资理财有足够的了解?")
    survey_pension_holder = fields.Selection(
        [("husband", "Husband"), ("wife", "Wife"), ("other", "Other")],
        string="Pension Plan Holder",
        help="E5 question 2: 您的家庭成员目前谁拥有养老规划?")
    survey_suggestion = fields.Text(
        help="E5 question 3: 您对我公司的服务是否有更好的建议?")

    @api.constrains("seats_reserved")
    def _check_seats_reserved(self):
        for reg in self:
            if reg.seats_reserved < 0:
                raise ValidationError(_("Reserved seats cannot be negative."))

    attribution_message_log_ids = fields.One2many(
        "attribution.message.log", "registration_id", string="Message Sends",
        readonly=True, help="E1-E5 sent (or skipped) for this registration.")
    attribution_sms_ids = fields.One2many(
        "attribution.sms.message", "registration_id", string="SMS Copies",
        readonly=True, help="SMS copies of the messages in the outbox.")
    attribution_message_log_count = fields.Integer(
        compute="_compute_attribution_message_log_count",
        help="Number of E1-E5 sends.")

    @api.depends("attribution_message_log_ids")
    def _compute_attribution_message_log_count(self):
        for reg in self:
            reg.attribution_message_log_count = len(reg.attribution_message_log_ids)

    # ------------------------------------------------------------------ actions

    @api.multi
    def action_view_attribution_messages(self):
        action = self.env.ref(
            "sales_attribution.attribution_message_log_action").read()[0]
        action["domain"] = [("registration_id", "in", self.ids)]
        return action

    @api.multi
    def action_open_gift_wizard(self):
        self.ensure_one()
        action = self.env.ref("sales_attribution.event_gift_wizard_action").read()[0]
        action["context"] = {"default_registration_id": self.id}
        return action

    @api.multi
    def action_print_gift_receipt(self):
        """The gift receipt (PDF) of the registrations. data={}: no options, and
        None cannot travel over XML-RPC."""
        return self.env.ref(
            "sales_attribution.event_registration_gift_receipt_report"
        ).report_action(self, data={})

    # ------------------------------------------------------------------ facts

    def _attribution_now(self):
        """``now`` of the running cron (context ``attribution_now``) or the clock."""
        now = self.env.context.get(terms.CTX_NOW) or fields.Datetime.now()
        if isinstance(now, str):
            now = fields.Datetime.from_string(now)
        return now

    def _attribution_tz(self):
        """The office's time zone (IANA name) of the registration's event."""
        return (self.event_id.company_id or self.env.user.company_id)._attribution_tz()

    def _attribution_consultant(self):
        return self.attribution_user_id or self.event_id.user_id

    def _attribution_memo(self):
        """The :class:`TextMemo` of the running send (context
        ``attribution_text_memo``), or None."""
        return self.env.context.get("attribution_text_memo")

    def _attribution_mobile_of(self, *raws):
        """The first of ``raws`` that is a mobile number, normalised, or '' (landlines
        get no SMS). Within a send run (:meth:`_attribution_memo`) each written
        number is parsed once."""
        memo = self._attribution_memo()
        numbers = memo.shared if memo is not None else {}
        for raw in raws:
            if not raw:
                continue
            key = ("mobile", raw)
            if key not in numbers:
                try:
                    number = phone.normalize_phone(raw)
                except phone.InvalidPhone:
                    number = ""
                # mobiles are 11 digits 1[3-9]...; landlines start with 0
                numbers[key] = number if number.startswith("1") else ""
            if numbers[key]:
                return numbers[key]
        return ""

    def _attribution_contact_facts(self, partner, with_mobile=True):
        """The :class:`event_contacts.Contact` of ``partner`` (a
        :class:`event_facts.PartnerRow`, or None: nobody); ``with_mobile=False``
        leaves its mobile out (not parsed) when the registration has its own, which
        comes first (:func:`event_contacts.addressee`)."""
        if partner is None:
            return event_contacts.Contact()
        return event_contacts.Contact(
            name=partner.name or "", email=partner.email or "",
            mobile=(self._attribution_mobile_of(partner.mobile, partner.phone)
                    if with_mobile else ""),
            salutation=partner.salutation or "", title=partner.title or "",
            is_company=partner.is_company, id=partner.id)

    def _attribution_attendee_row(self):
        """The :class:`event_facts.AttendeeRow` of the registration, through the
        ORM (what :func:`event_facts.load_attendees` reads for a batch)."""
        partner = self.partner_id
        organisation = partner.commercial_partner_id
        people = partner.child_ids.filtered(lambda child: not child.is_company) if (
            partner.is_company and (self.name or self.email)) else partner.browse()
        return event_facts.AttendeeRow(
            self.id, self.name, self.email, self.phone,
            event_facts.partner_row(partner), organisation.name,
            organisation.is_company,
            tuple(event_facts.partner_row(child) for child in people))

    def _attribution_load_addressees(self):
        """Work out the addressee of every registration of ``self`` into the run's
        memo (:meth:`_attribution_memo`) with a few queries for all
        (:func:`event_facts.load_attendees`). Only as the superuser (the cron, the
        late E1): plain SQL reads what record rules would hide; otherwise, and
        without a memo, :meth:`_attribution_addressee` reads through the ORM."""
        memo = self._attribution_memo()
        if memo is None or self.env.uid != SUPERUSER_ID:
            return
        todo = [reg_id for reg_id in self.ids
                if ("addressee", reg_id) not in memo.shared]
        for reg_id, row in event_facts.load_attendees(self.env, todo).items():
            memo.shared[("addressee", reg_id)] = self._attribution_addressee_of(row)

    def _attribution_addressee_of(self, row):
        """The :class:`event_contacts.Addressee` of the
        :class:`event_facts.AttendeeRow` ``row``."""
        contact = event_facts.attendee_contact(row)
        # the registration's own mobile comes first: the others are then not parsed
        mobile = self._attribution_mobile_of(row.phone)
        return event_contacts.addressee(event_contacts.AttendeeFacts(
            name=row.name or "", email=(row.email or "").strip(), mobile=mobile,
            partner=self._attribution_contact_facts(row.partner, not mobile),
            contact=(self._attribution_contact_facts(contact, not mobile)
                     if contact else None),
            organisation=row.organisation or "" if row.organisation_is_company
            else ""))

    def _attribution_addressee(self):
        """Whom the registration's messages go to and how they greet
        (:func:`attribution.event_contacts.addressee`): the registration's own name,
        e-mail and phone first, then the attendee's contact at the booking company,
        then the partner's. Kept in the run's memo once worked out."""
        self.ensure_one()
        memo = self._attribution_memo()
        if memo is not None and ("addressee", self.id) in memo.shared:
            return memo.shared[("addressee", self.id)]
        result = self._attribution_addressee_of(self._attribution_attendee_row())
        if memo is not None:
            memo.shared[("addressee", self.id)] = result
        return result

    def _attribution_mobile(self):
        """Normalised mobile number of the attendee (:meth:`_attribution_addressee`),
        or ''."""
        return self._attribution_addressee().mobile

    def _attribution_email(self):
        """E-mail address of the attendee (:meth:`_attribution_addressee`), or ''."""
        return self._attribution_addressee().email

    def _attribution_ctx(self):
        """Facts for :func:`attribution.events.render_sms`. The event's and the
        consultant's facts are the same for a whole batch: the cron's text memo
        (context ``attribution_text_memo``) keeps them."""
        self.ensure_one()
        event = self.event_id
        partner = self.partner_id
        # E5 introduces a consultant: fall back to whoever runs the job
        consultant = self._attribution_consultant() or self.env.user
        memo = self._attribution_memo()
        shared = memo.shared if memo is not None else {}
        key = ("event", event.id, consultant.id, self.env.context.get(terms.CTX_NOW))
        if key not in shared:
            company = event.company_id or self.env.user.company_id
            tz = company._attribution_tz()
            now = self._attribution_now()
            shared[key] = {
                "consultant": consultant.name or "",
                "consultant_phone": (consultant.partner_id.mobile
                                     or consultant.partner_id.phone or ""),
                "company": company.name or "",
                "event": event.name or "",
                "date_begin": fields.Datetime.from_string(event.date_begin),
                "date_end": fields.Datetime.from_string(event.date_end),
                "now": now,
                "tz": tz,
                "directions": event.venue_directions or "",
                "greeter": event.greeter_note or "",
                "signin": event.signin_location or "",
                "parking": event.parking_note or "",
                "venue": event.address_id.name or "",
                "letter_date": events.local_date(now, tz).strftime("%Y-%m-%d"),
            }
        ctx = dict(shared[key])
        who = self._attribution_addressee()
        ctx.update({
            "name": who.name,
            "salutation": who.salutation,
            "organisation": who.organisation,
            "letter": event.thanks_letter,
            "industry": partner.industry_id.name or "",
            "seats": self.seats_reserved,
            "gift": self.gift_description or "",
        })
        return ctx

    # -------------------------------------------- helpers for the mail templates
    # Public names: the templates' Jinja sandbox refuses attributes starting with "_".

    @api.multi
    def attribution_version(self):
        """E1 wording version from the guest's industry (service, agency, fmcg,
        industrial or generic)."""
        self.ensure_one()
        return events.industry_version(self.partner_id.industry_id.name)

    @api.multi
    def attribution_countdown(self):
        """Days from today (office time) to the event day (E1 "距…只有N天")."""
        self.ensure_one()
        return events.countdown_days(
            fields.Datetime.from_string(self.event_id.date_begin),
            self._attribution_now(), self._attribution_tz())

    @api.multi
    def attribution_date_range(self):
        """Local event dates as the seed writes them ("9-10号")."""
        self.ensure_one()
        event = self.event_id
        memo = self._attribution_memo()
        shared = memo.shared if memo is not None else {}
        # the same for every registration of the event in a send run
        key = ("date_range", event.id, event.date_begin, event.date_end)
        if key not in shared:
            shared[key] = events.date_range_text(
                fields.Datetime.from_string(event.date_begin),
                fields.Datetime.from_string(event.date_end), self._attribution_tz())
        return shared[key]

    @api.multi
    def attribution_email(self):
        """The address the registration's mails go to (the attendee's own first)."""
        self.ensure_one()
        return self._attribution_email()

    @api.multi
    def attribution_text(self, code, version=None):
        """Plain text of message ``code`` (E1-E5, E1R) for this registration: the
        mail's body and, but for the letters, the SMS copy
        (:func:`attribution.events.render_sms`). E4 carries the survey too when the
        event sends its letters as ``gift_survey``. Another code: ``UserError``."""
        self.ensure_one()
        if code not in events.MESSAGE_CODES:
            raise UserError(_("%s is not a guest message code (E1-E5, E1R).") % code)
        if code in ("E1", "E1R"):
            version = version or self.attribution_version()
        # the cron renders each text once: for the SMS copy and for the mail template
        memo = self._attribution_memo()
        key = (self.id, code, version, self.env.context.get(terms.CTX_NOW))
        if memo is not None and key in memo.texts:
            return memo.texts[key]
        ctx = self._attribution_ctx()
        if code in ("E1", "E1R"):
            ctx["version"] = version
        text = events.render_sms(code, ctx)
        if memo is not None:
            memo.texts[key] = text
        return text

    def _attribution_sms_text(self, code):
        """The SMS of ``code``: the text itself, but for a letter (E4, E5) a short
        notice that it follows (:func:`attribution.events.render_notice`)."""
        if code in events.NOTICE_CODES:
            return events.render_notice(code, self._attribution_ctx())
        return self.attribution_text(code)

    @api.multi
    def attribution_lines(self, code, version=None):
        """The text of :meth:`attribution_text` split in lines (one ``<p>`` each)."""
        return self.attribution_text(code, version).split("\n")

    @api.multi
    def attribution_receipt_lines(self):
        """The gift receipt (签收回执) text in lines."""
        self.ensure_one()
        return events.render_receipt(self._attribution_ctx()).split("\n")

    # ------------------------------------------------------------------ cron

    @api.model
    def _attribution_events(self, now):
        """Events whose messages may be due at ``now`` (E1 at most 60 days ahead,
        letters up to ``letters_within_days`` after the end)."""
        return self.env["event.event"].search([
            ("state", "!=", "cancel"),
            ("date_begin", "<=", fields.Datetime.to_string(
                now + datetime.timedelta(days=60))),
            ("date_end", ">=", fields.Datetime.to_string(
                now - datetime.timedelta(days=LETTERS_WITHIN_DAYS + 1))),
        ], order="date_begin, id")

    def _attribution_facts(self, event):
        return events.EventFacts(
            event_id=event.id,
            date_begin=fields.Datetime.from_string(event.date_begin),
            date_end=fields.Datetime.from_string(event.date_end),
            confirm_days_before=event.confirm_days_before,
            call_hour=event.call_hour,
            tz=(event.company_id or self.env.user.company_id)._attribution_tz(),
            letters_within_days=LETTERS_WITHIN_DAYS,
            thanks_letter=event.thanks_letter or events.DEFAULT_THANKS_LETTER)

    def _attribution_reg_facts(self):
        """:class:`events.RegFacts` of every registration of ``self``, with the codes
        already sent to it, the start date its E1 announced and the starts its E2 and
        E3 were sent for (one query for the send table)."""
        self.env.cr.execute(
            "SELECT registration_id, code, event_date FROM attribution_message_log "
            "WHERE registration_id IN %s AND state = 'sent'",
            (tuple(self.ids) or (0,),))
        sent, announced, sent_for = {}, {}, {}
        for reg_id, code, event_date in self.env.cr.fetchall():
            sent.setdefault(reg_id, set()).add(code)
            # Odoo's cursor reads timestamps as strings
            start = fields.Datetime.from_string(event_date) if event_date else None
            if code == "E1" and start:
                announced[reg_id] = start
            if code in events.DATED_CODES and start:
                sent_for.setdefault(reg_id, set()).add((code, start))
        self._attribution_load_addressees()
        facts = []
        for reg in self:
            who = reg._attribution_addressee()
            facts.append(events.RegFacts(
                registration_id=reg.id, state=reg.state,
                attended=reg.state == "done",
                has_email=bool(who.email), has_mobile=bool(who.mobile),
                sent_codes=frozenset(sent.get(reg.id, ())),
                announced=announced.get(reg.id),
                sent_for=frozenset(sent_for.get(reg.id, ()))))
        return facts

    def _attribution_template(self, code):
        """The ``mail.template`` of ``code`` (E1 by the guest's industry)."""
        xmlid = {"E1": "event_mail_template_e1_%s" % self.attribution_version(),
                 "E1R": "event_mail_template_e1r", "E2": "event_mail_template_e2",
                 "E4": "event_mail_template_e4",
                 "E5": "event_mail_template_e5"}[code]
        return self.env.ref("sales_attribution.%s" % xmlid)

    def _attribution_create_call(self, now):
        """E3: the consultant's phone call activity, due on the event day, with the
        call script (seed: 星期一上午11点钟确认电话) filled in; its time in the office's
        zone."""
        event = self.event_id
        facts = self._attribution_facts(event)
        local = terms.office_datetime(events.call_deadline(facts), facts.tz)
        script = self.with_context(**{
            terms.CTX_NOW: fields.Datetime.to_string(now)}).attribution_text("E3")
        consultant = self._attribution_consultant() or self.env.user
        return self.env["mail.activity"].create({
            "res_model_id": self.env["ir.model"]._get_id(self._name),
            "res_id": self.id,
            "activity_type_id": self.env.ref("mail.mail_activity_data_call").id,
            "user_id": consultant.id,
            "date_deadline": fields.Date.to_string(local.date()),
            "summary": _("E3 confirmation call at %s: %s") % (
                local.strftime("%H:%M"), self.partner_id.name or self.name or ""),
            "note": tools.plaintext2html(script),
        })

    def _attribution_create_reconfirm_call(self, old_begin):
        """Postponement: the consultant's activity to re-confirm the guest by phone,
        due today (office time), naming the start (day and hour) before the move and
        the new one."""
        self.ensure_one()
        tz = self._attribution_tz()
        now = self._attribution_now()
        consultant = self._attribution_consultant() or self.env.user
        who = self._attribution_addressee()
        # the day and the hour (office time): a start may move within its day
        dates = ["%s %s" % (events.full_date(start, tz),
                            terms.office_datetime(start, tz).strftime("%H:%M"))
                 for start in (fields.Datetime.from_string(old_begin),
                               fields.Datetime.from_string(self.event_id.date_begin))]
        return self.env["mail.activity"].create({
            "res_model_id": self.env["ir.model"]._get_id(self._name),
            "res_id": self.id,
            "activity_type_id": self.env.ref("mail.mail_activity_data_call").id,
            "user_id": consultant.id,
            "date_deadline": fields.Date.to_string(events.local_date(now, tz)),
            "summary": _("Event postponed: re-confirm %s by phone") % (
                who.salutation or who.name),
            "note": tools.plaintext2html(
                _("%s was moved from %s to %s. Call %s to confirm the new date.") % (
                    self.event_id.name, dates[0], dates[1],
                    who.salutation or who.name)),
        })

    def _attribution_move_call(self):
        """Postponement: the pending E3 call follows the event to its new day, and
        its claim (the ``attribution.message.log`` row of the call) becomes the new
        start's, so the cron makes no second call. Kept on the old start when the
        guest already has an E3 of the new one (the event moved back to a day whose
        call was made)."""
        self.ensure_one()
        event = self.event_id
        facts = self._attribution_facts(event)
        local = terms.office_datetime(events.call_deadline(facts), facts.tz)
        self.call_activity_id.write({
            "date_deadline": fields.Date.to_string(local.date())})
        self.env.cr.execute(
            "UPDATE attribution_message_log AS l SET claim_key = %(new)s, "
            "event_date = %(new)s, write_uid = %(uid)s, "
            "write_date = (now() at time zone 'UTC') "
            "WHERE l.registration_id = %(reg)s AND l.code = 'E3' "
            "AND l.activity_id = %(call)s "
            "AND NOT EXISTS (SELECT 1 FROM attribution_message_log o "
            "WHERE o.registration_id = l.registration_id AND o.code = 'E3' "
            "AND o.claim_key = %(new)s)",
            {"new": event.date_begin, "reg": self.id,
             "call": self.call_activity_id.id, "uid": self.env.uid})
        self.env["attribution.message.log"].invalidate_cache(
            ["claim_key", "event_date"])

    @api.model
    def _attribution_confirm_late(self, regs):
        """E1 late: the registrations of ``regs`` just confirmed while their event's
        E1 window is open get E1 now (:func:`attribution.events.late_confirmation`),
        the log row marked ``late``, whoever confirmed them (desk, website: sudo, as
        the cron's user sends). Not while a data file is loaded (install, demo): no
        one confirmed those at a desk, and the cron sends them on its next run."""
        if self.env.context.get("install_mode_data"):
            return
        now = self._attribution_now()
        Log = self.env["attribution.message.log"].sudo()
        regs = regs.sudo().filtered(lambda reg: reg.state == "open")
        for event in regs.mapped("event_id"):
            mine = regs.filtered(lambda reg: reg.event_id == event)
            due = events.late_confirmation(
                self._attribution_facts(event), mine._attribution_reg_facts(), now)
            if due:
                Log._send_late(mine.browse([reg_id for reg_id, _code in due]), now)

    @api.model
    def _cron_attribution_messages(self, now=None):
        """Scheduled action "Events: guest messages E1-E5": send what is due at
        ``now`` (naive UTC datetime or string; default the clock). Idempotent per
        (registration, code), also with concurrent workers. Returns ``{"sent":
        [(reg_id, code)], "skipped": [(reg_id, code, reason)]}``; new skips are
        listed on the event's chatter. See ``attribution.message.log._send_due``."""
        now = now or fields.Datetime.now()
        if isinstance(now, str):
            now = fields.Datetime.from_string(now)
        return self.env["attribution.message.log"]._send_due(now)

    @api.model
    def create(self, vals):
        reg = super().create(check_vals(self, vals, GUARDED_FIELDS))
        self._attribution_confirm_late(reg)
        return reg

    @api.multi
    def write(self, vals):
        result = super().write(check_vals(self, vals, GUARDED_FIELDS))
        if vals.get("state") == "open":
            self._attribution_confirm_late(self)
        return result
