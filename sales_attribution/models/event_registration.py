import datetime
import logging
from collections import OrderedDict

import psycopg2.extensions
from psycopg2.extensions import AsIs

from odoo import _, api, fields, models, tools
from odoo.addons.mail.models.mail_message import _image_dataurl
from odoo.exceptions import ValidationError

from ..attribution import events, phone
from . import bulk_rows
from .input_guard import check_vals

_logger = logging.getLogger(__name__)

#: the office's offset from UTC (SPEC: Asia/Shanghai, no daylight saving)
TZ_OFFSET_HOURS = 8
#: absentee letters (E4/E5) go out up to this many days after the event
LETTERS_WITHIN_DAYS = 30
#: registrations claimed and sent together by the cron (one INSERT per table a batch)
SEND_BATCH = 500


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
        return self.env.ref(
            "sales_attribution.event_registration_gift_receipt_report"
        ).report_action(self)

    # ------------------------------------------------------------------ facts

    def _attribution_now(self):
        """``now`` of the running cron (context ``attribution_now``) or the clock."""
        now = self.env.context.get("attribution_now") or fields.Datetime.now()
        if isinstance(now, str):
            now = fields.Datetime.from_string(now)
        return now

    def _attribution_consultant(self):
        return self.attribution_user_id or self.event_id.user_id

    def _attribution_mobile(self):
        """Normalised mobile number of the guest, or '' (landlines get no SMS)."""
        for raw in (self.partner_id.mobile, self.phone, self.partner_id.phone):
            if not raw:
                continue
            try:
                number = phone.normalize_phone(raw)
            except phone.InvalidPhone:
                continue
            # mobiles are 11 digits 1[3-9]...; landlines start with 0
            if number.startswith("1"):
                return number
        return ""

    def _attribution_email(self):
        return self.partner_id.email or self.email or ""

    def _attribution_ctx(self):
        """Facts for :func:`attribution.events.render_sms`. The event's and the
        consultant's facts are the same for a whole batch: the cron's text memo
        (context ``attribution_text_memo``) keeps them."""
        self.ensure_one()
        event = self.event_id
        partner = self.partner_id
        # E5 introduces a consultant: fall back to whoever runs the job
        consultant = self._attribution_consultant() or self.env.user
        memo = self.env.context.get("attribution_text_memo")
        shared = memo.shared if memo is not None else {}
        key = ("event", event.id, consultant.id,
               self.env.context.get("attribution_now"))
        if key not in shared:
            company = event.company_id or self.env.user.company_id
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
                "tz_offset_hours": TZ_OFFSET_HOURS,
                "directions": event.venue_directions or "",
                "greeter": event.greeter_note or "",
                "signin": event.signin_location or "",
                "parking": event.parking_note or "",
                "venue": event.address_id.name or "",
                "letter_date": "%s" % events.local_date(
                    now, TZ_OFFSET_HOURS).strftime("%Y-%m-%d"),
            }
        ctx = dict(shared[key])
        ctx.update({
            "name": partner.name or self.name or "",
            "salutation": partner.attribution_salutation or "",
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
            self._attribution_now(), TZ_OFFSET_HOURS)

    @api.multi
    def attribution_date_range(self):
        """Local event dates as the seed writes them ("9-10号")."""
        self.ensure_one()
        return events.date_range_text(
            fields.Datetime.from_string(self.event_id.date_begin),
            fields.Datetime.from_string(self.event_id.date_end), TZ_OFFSET_HOURS)

    @api.multi
    def attribution_text(self, code, version=None):
        """Plain text of message ``code`` for this registration, the same for the
        mail body and the SMS copy (:func:`attribution.events.render_sms`)."""
        self.ensure_one()
        if code == "E1":
            version = version or self.attribution_version()
        # the cron renders each text once: for the SMS copy and for the mail template
        memo = self.env.context.get("attribution_text_memo")
        key = (self.id, code, version, self.env.context.get("attribution_now"))
        if memo is not None and key in memo.texts:
            return memo.texts[key]
        ctx = self._attribution_ctx()
        if code == "E1":
            ctx["version"] = version
        text = events.render_sms(code, ctx)
        if memo is not None:
            memo.texts[key] = text
        return text

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
            tz_offset_hours=TZ_OFFSET_HOURS,
            letters_within_days=LETTERS_WITHIN_DAYS)

    def _attribution_reg_facts(self):
        self.env.cr.execute(
            "SELECT registration_id, code FROM attribution_message_log "
            "WHERE registration_id IN %s AND state = 'sent'",
            (tuple(self.ids) or (0,),))
        sent = {}
        for reg_id, code in self.env.cr.fetchall():
            sent.setdefault(reg_id, set()).add(code)
        return [events.RegFacts(
            registration_id=reg.id, state=reg.state,
            attended=reg.state == "done",
            has_email=bool(reg._attribution_email()),
            has_mobile=bool(reg._attribution_mobile()),
            sent_codes=frozenset(sent.get(reg.id, ()))) for reg in self]

    def _attribution_claim_sql(self, state, rows):
        """INSERT of the claims ``rows`` [(registration, event, code, state, reason,
        date)] into the send table, returning (registration_id, id) of the rows this
        transaction got. ``state='skipped'`` rows never block a later send (DO UPDATE
        ... WHERE); a skip never overwrites anything (DO NOTHING)."""
        if state == "sent":
            conflict = ("DO UPDATE SET state = 'sent', reason = NULL, "
                        "date = EXCLUDED.date, write_uid = EXCLUDED.write_uid, "
                        "write_date = EXCLUDED.write_date "
                        "WHERE attribution_message_log.state = 'skipped'")
        else:
            conflict = "DO NOTHING"
        uid = self.env.uid
        # ``conflict`` is one of the two constants above, never user input; the values
        # are quoted by psycopg2 (mogrify)
        return (
            "INSERT INTO attribution_message_log "
            "(registration_id, event_id, code, state, reason, date, "
            " create_uid, create_date, write_uid, write_date) VALUES "
            + bulk_rows.values_sql(
                self.env.cr,
                "(%s, %s, %s, %s, %s, %s, %s, (now() at time zone 'UTC'), %s, "
                "(now() at time zone 'UTC'))",
                [row + (uid, uid) for row in rows])
            + " ON CONFLICT (registration_id, code) " + conflict
            + " RETURNING registration_id, id")

    def _attribution_claim_batch(self, code, now, state="sent", reasons=None):
        """Claim (registration, code) in the send table for every registration of
        ``self`` with one INSERT ... ON CONFLICT; returns ``{registration id: log id}``
        of those this transaction got (the others are sent, or being sent, by someone
        else). Rows go in registration order, so two workers lock them in the same
        order and never deadlock. A concurrent worker's uncommitted claim makes the
        INSERT wait; once it commits, PostgreSQL raises a serialization failure under
        Odoo's REPEATABLE READ: the batch is then claimed row by row
        (:meth:`_attribution_claim`), each in a savepoint, and only the rows of the
        other worker are lost to us."""
        if not self:
            return {}
        now_str = fields.Datetime.to_string(now)
        regs = self.sorted("id").with_prefetch(self._prefetch)
        rows = [(reg.id, reg.event_id.id, code, state,
                 (reasons or {}).get(reg.id), now_str) for reg in regs]
        try:
            with self.env.cr.savepoint():
                self.env.cr.execute(self._attribution_claim_sql(state, rows),
                                    log_exceptions=False)
                claimed = dict(self.env.cr.fetchall())
        except psycopg2.extensions.TransactionRollbackError:
            _logger.debug("%s: some of %d registrations claimed by another worker; "
                          "claiming one by one", code, len(regs))
            claimed = {}
            for reg in regs:
                log = reg._attribution_claim(code, now, state,
                                             (reasons or {}).get(reg.id))
                if log:
                    claimed[reg.id] = log.id
        # only these rows (no argument would clear the whole cache in Odoo 11)
        self.env["attribution.message.log"].invalidate_cache(ids=list(claimed.values()))
        return claimed

    def _attribution_claim(self, code, now, state="sent", reason=None):
        """Claim (registration, code) in the send table: the
        ``attribution.message.log`` row if this transaction got it, else a falsy
        value. A concurrent worker's uncommitted claim makes the INSERT wait; once
        it commits, PostgreSQL raises a serialization failure under Odoo's
        REPEATABLE READ (caught in a savepoint): "claimed by someone else".
        ``state='skipped'`` rows never block a later send (DO UPDATE ... WHERE)."""
        self.ensure_one()
        query = self._attribution_claim_sql(state, [(
            self.id, self.event_id.id, code, state, reason,
            fields.Datetime.to_string(now))])
        try:
            with self.env.cr.savepoint():
                self.env.cr.execute(query, log_exceptions=False)
                row = self.env.cr.fetchone()
        except psycopg2.extensions.TransactionRollbackError:
            _logger.debug("%s of registration %s claimed by another worker",
                          code, self.id)
            return None
        if row:
            self.env["attribution.message.log"].invalidate_cache(ids=[row[1]])
        return row and self.env["attribution.message.log"].browse(row[1])

    def _attribution_template(self, code):
        xmlid = {"E1": "event_mail_template_e1_%s" % self.attribution_version(),
                 "E2": "event_mail_template_e2", "E4": "event_mail_template_e4",
                 "E5": "event_mail_template_e5"}[code]
        return self.env.ref("sales_attribution.%s" % xmlid)

    def _attribution_send(self, code, log, now):
        """Send ``code`` to this registration (claimed in ``log``): see
        :meth:`_attribution_send_batch`."""
        self.ensure_one()
        self._attribution_send_batch(code, {self.id: log.id}, now)

    def _attribution_send_batch(self, code, log_ids, now):
        """Send ``code`` to the registrations of ``self`` (all of one event), claimed
        in the send table (``log_ids``: registration id -> ``attribution.message.log``
        id): the mail from the template into Odoo's mail queue (``mail.mail``,
        outgoing, sent by ``mail.mail.process_email_queue``; it shows in the
        registration's chatter), the SMS copy into the outbox with a note in the
        chatter, or the E3 call activity. The text of each registration is computed
        once (the SMS copy and the template's ``attribution_lines`` share it); the
        template is rendered for the whole batch (each field compiled once); the
        rows are inserted in bulk (:mod:`.bulk_rows`)."""
        now_str = fields.Datetime.to_string(now)
        if code == "E3":
            for reg in self:
                activity = reg._attribution_create_call(now)
                reg.call_activity_id = activity
                self.env["attribution.message.log"].browse(
                    log_ids[reg.id]).activity_id = activity
            return
        memo = TextMemo()
        # a query per field used and batch (see _cron_attribution_messages)
        regs = self.with_context(attribution_now=now_str, attribution_text_memo=memo,
                                 prefetch_fields=False)
        # the templates' language (${object.partner_id.lang}) of the whole batch at
        # once: generate_email browses the registrations afresh, and a guest field
        # first read there is read for that guest alone
        regs.mapped("partner_id.lang")
        by_template, sms_rows, templates = OrderedDict(), [], {}
        for reg in regs:
            text = reg.attribution_text(code)
            if reg._attribution_email():
                # one look-up of each template a batch (env.ref checks it exists)
                version = reg.attribution_version() if code == "E1" else None
                if version not in templates:
                    templates[version] = reg._attribution_template(code)
                by_template.setdefault(templates[version], []).append(reg.id)
            mobile = reg._attribution_mobile()
            if mobile:
                sms_rows.append({
                    "registration_id": reg.id, "partner_id": reg.partner_id.id,
                    "number": mobile, "body": text, "code": code, "next_try": now_str})
        mail_ids = {}
        for template, reg_ids in by_template.items():
            mail_ids.update(regs.browse(reg_ids)._attribution_queue_mails(
                template.with_context(regs.env.context)))
        sms_ids = bulk_rows.insert_rows(
            self.env, "attribution.sms.message", sms_rows, "registration_id")
        self._attribution_sms_notes(code, sms_rows)
        updates = [(log_ids[reg_id], mail_ids.get(reg_id), sms_ids.get(reg_id))
                   for reg_id in self.ids if reg_id in log_ids]
        if updates:
            self.env.cr.execute(
                "UPDATE attribution_message_log AS l SET mail_id = v.mail_id, "
                "sms_id = v.sms_id, write_uid = %s, "
                "write_date = (now() at time zone 'UTC') FROM (VALUES "
                + bulk_rows.values_sql(self.env.cr, "(%s, %s::int, %s::int)", updates)
                + ") AS v(id, mail_id, sms_id) WHERE l.id = v.id", (self.env.uid,))
        field = {"E1": "confirm_sent_date", "E2": "logistics_sent_date",
                 "E4": "thanks_sent_date", "E5": "thanks_sent_date"}[code]
        # ``field`` is one of the constants above (AsIs); no stored field depends on it
        self.env.cr.execute(
            "UPDATE event_registration SET %s = %s, write_uid = %s, "
            "write_date = (now() at time zone 'UTC') WHERE id IN %s",
            (AsIs(field), now_str, self.env.uid, tuple(self.ids)))
        # what the rows written above behind the ORM's back made stale: the logs and
        # the registrations (sent date, their messages, SMS and logs); the new rows
        # themselves are in no cache
        self.env["attribution.message.log"].invalidate_cache(ids=list(log_ids.values()))
        self.invalidate_cache(ids=self.ids)

    def _attribution_queue_mails(self, template):
        """Queue ``template``'s mail to every registration of ``self`` as
        ``mail.template.send_mail`` would (same values: Odoo's ``generate_email``
        renders the batch, language by language, each field compiled once), with
        the ``mail.message`` and ``mail.mail`` rows inserted in bulk. Returns
        ``{registration id: mail.mail id}``. A template with a report attached goes
        through ``send_mail`` itself, one registration at a time."""
        if template.report_template:
            return {reg.id: template.send_mail(reg.id) for reg in self}
        values = template.generate_email(self.ids)
        if any(_image_dataurl.search(vals.get("body") or "")
               for vals in values.values()):
            # images inline in the body: mail.message.create makes attachments of them
            return {reg.id: template.send_mail(reg.id) for reg in self}
        Message = self.env["mail.message"]
        author_id = Message._get_default_author().id
        record_names = dict(self.sudo().name_get())
        default_from = None
        messages, mails = [], []
        for reg_id in self.ids:
            vals = values[reg_id]
            email_from = vals.get("email_from")
            if not email_from:
                # send_mail drops an empty sender; mail.message then takes the user's
                if default_from is None:
                    default_from = Message._get_default_from()
                email_from = default_from
            # the values send_mail gives mail.mail.create, and what mail.message.create
            # adds to them (sender, Message-Id, reply-to, record name)
            msg = {
                "subject": vals.get("subject", False),
                "date": fields.Datetime.now(),
                "body": vals.get("body", ""),
                "model": self._name, "res_id": reg_id,
                "record_name": record_names.get(reg_id, False),
                "message_type": "email",
                "email_from": email_from, "author_id": author_id,
                "message_id": tools.generate_tracking_message_id(
                    "%s-%s" % (reg_id, self._name)),
                "reply_to": vals.get("reply_to", False),
                "mail_server_id": vals.get("mail_server_id", False),
            }
            if "reply_to" not in vals:
                msg["reply_to"] = Message._get_reply_to(msg)
            messages.append(msg)
        message_ids = bulk_rows.insert_rows(
            self.env, "mail.message", messages, "message_id")
        for reg_id, msg in zip(self.ids, messages):
            vals = values[reg_id]
            mails.append({
                "mail_message_id": message_ids[msg["message_id"]],
                "body_html": vals.get("body_html", False),
                "email_to": vals.get("email_to", False),
                "email_cc": vals.get("email_cc", False),
                "scheduled_date": vals.get("scheduled_date", False),
                "auto_delete": vals.get("auto_delete", False),
            })
        mail_ids = bulk_rows.insert_rows(
            self.env, "mail.mail", mails, "mail_message_id")
        bulk_rows.insert_relation(self.env, "mail.mail", "recipient_ids", [
            (mail_ids[mail["mail_message_id"]], partner_id)
            for reg_id, mail in zip(self.ids, mails)
            for partner_id in values[reg_id].get("partner_ids") or ()])
        # send_mail's partner_ids reach mail.message.create too
        bulk_rows.insert_relation(self.env, "mail.message", "partner_ids", [
            (mail["mail_message_id"], partner_id)
            for reg_id, mail in zip(self.ids, mails)
            for partner_id in values[reg_id].get("partner_ids") or ()])
        bulk_rows.insert_relation(self.env, "mail.message", "attachment_ids", [
            (mail["mail_message_id"], attachment_id)
            for reg_id, mail in zip(self.ids, mails)
            for attachment_id in values[reg_id].get("attachment_ids") or ()])
        return {reg_id: mail_ids[mail["mail_message_id"]]
                for reg_id, mail in zip(self.ids, mails)}

    def _attribution_sms_notes(self, code, sms_rows):
        """The note "SMS queued" in the chatter of each registration of ``sms_rows``,
        as ``message_post`` writes it (author, subtype note, reply-to, thread parent),
        inserted in bulk. Unlike ``message_post`` it notifies nobody (no inbox, no
        bus) and subscribes nobody: an audit entry, not news."""
        if not sms_rows:
            return
        Message = self.env["mail.message"]
        reg_ids = [row["registration_id"] for row in sms_rows]
        email_from = Message._get_default_from()
        reply_to = self.message_get_reply_to(reg_ids, default=email_from)
        record_names = dict(self.browse(reg_ids).sudo().name_get())
        # _mail_flat_thread: message_post hangs a note under the first e-mail of the
        # thread, else under its first message
        self.env.cr.execute(
            "SELECT DISTINCT ON (res_id) res_id, id FROM mail_message "
            "WHERE model = %s AND res_id IN %s "
            "ORDER BY res_id, message_type = 'email' DESC, id",
            (self._name, tuple(reg_ids)))
        parents = dict(self.env.cr.fetchall())
        subtype_id = self.env["ir.model.data"].xmlid_to_res_id("mail.mt_note")
        author_id = Message._get_default_author().id
        label = _("%s: SMS queued to %s:<br/>%s")
        notes = [{
            "subject": False, "date": fields.Datetime.now(),
            "body": label % (code, row["number"], tools.plaintext2html(row["body"])),
            "model": self._name, "res_id": row["registration_id"],
            "record_name": record_names.get(row["registration_id"]) or False,
            "message_type": "notification", "subtype_id": subtype_id,
            "parent_id": parents.get(row["registration_id"]) or False,
            "email_from": email_from, "author_id": author_id,
            "message_id": tools.generate_tracking_message_id(
                "%s-%s" % (row["registration_id"], self._name)),
            "reply_to": reply_to.get(row["registration_id"]) or False,
        } for row in sms_rows]
        bulk_rows.insert_rows(self.env, "mail.message", notes, "message_id")
        Message.invalidate_cache(["child_ids"], list(set(parents.values())))

    def _attribution_create_call(self, now):
        """E3: the consultant's phone call activity, due on the event day, with the
        call script (seed: 星期一上午11点钟确认电话) filled in."""
        event = self.event_id
        facts = self._attribution_facts(event)
        deadline_utc = events.call_deadline(facts)
        local = deadline_utc + datetime.timedelta(hours=TZ_OFFSET_HOURS)
        script = self.with_context(
            attribution_now=fields.Datetime.to_string(now)).attribution_text("E3")
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

    @api.model
    def _cron_attribution_messages(self, now=None):
        """Scheduled action: send E1-E5 that are due at ``now`` (naive UTC datetime or
        string; default the clock). Idempotent per (registration, code), also with
        concurrent workers. Returns ``{"sent": [(reg_id, code)], "skipped":
        [(reg_id, code, reason)]}``; new skips are listed on the event's chatter.

        Code by code, the registrations are claimed and sent in batches of
        ``SEND_BATCH`` (:meth:`_attribution_claim_batch`,
        :meth:`_attribution_send_batch`): a constant number of queries a batch."""
        now = now or fields.Datetime.now()
        if isinstance(now, str):
            now = fields.Datetime.from_string(now)
        # read the fields used, a query per field and batch, not every column of
        # thousands of registrations and guests at the first access of one
        self = self.with_context(prefetch_fields=False)
        result = {"sent": [], "skipped": []}
        for event in self._attribution_events(now):
            regs = self.search([("event_id", "=", event.id)], order="id")
            due, skipped = events.due_messages(
                self._attribution_facts(event), regs._attribution_reg_facts(), now)
            new_skips = []
            for code in events.MESSAGE_CODES:
                reasons = OrderedDict((reg_id, reason_en)
                                      for reg_id, c, _zh, reason_en in skipped
                                      if c == code)
                result["skipped"].extend((reg_id, code, reason)
                                         for reg_id, reason in reasons.items())
                skipping = self.browse(list(reasons)).with_prefetch(regs._prefetch)
                claimed = skipping._attribution_claim_batch(
                    code, now, "skipped", reasons)
                for reg in self.browse([r for r in reasons if r in claimed]):
                    new_skips.append("%s %s: %s" % (
                        code, reg.partner_id.name or reg.name or reg.id,
                        reasons[reg.id]))
                due_ids = [reg_id for reg_id, c in due if c == code]
                for start in range(0, len(due_ids), SEND_BATCH):
                    # the batch shares the prefetch of ``regs`` (which knows their
                    # partners): the fields of a batch's guests are read in one go
                    batch = self.browse(
                        due_ids[start:start + SEND_BATCH]).with_prefetch(regs._prefetch)
                    log_ids = batch._attribution_claim_batch(code, now)
                    if not log_ids:
                        continue  # another worker has them
                    sending = batch.filtered(
                        lambda reg: reg.id in log_ids).with_prefetch(regs._prefetch)
                    sending._attribution_send_batch(code, log_ids, now)
                    result["sent"].extend((reg_id, code) for reg_id in sending.ids)
            if new_skips:
                event.message_post(
                    body=_("Guest messages skipped:<br/>%s") % "<br/>".join(
                        tools.html_escape(s) for s in new_skips),
                    subtype="mail.mt_note")
        return result

    @api.model
    def create(self, vals):
        return super().create(check_vals(self, vals, GUARDED_FIELDS))

    @api.multi
    def write(self, vals):
        return super().write(check_vals(self, vals, GUARDED_FIELDS))
