"""The visit register judged and saved in bulk (issue 16 point 6).

:class:`RegisterBulk` replays the parsed rows of a register (``RegisterRow``, in
visit-time order) for the import wizard ``attribution.visit.import`` without going
through the desk's engine row by row:

1. *load*, per chunk of ``CHUNK_ROWS`` rows, in a few set-based queries: the holders of
   the chunk's phones and referrer phones (``attribution_partner_phone``), and for each
   customer found (and their relatives, for B1) the ownership row of the wizard's
   project (the company-wide row in scope ``company``), every visit of the project,
   the relations, the latest conflict, whether the run already met them (their first
   visit of ``import_ref``), their name and whether they are developer-related; the
   referrers' first won deal; the row fingerprints and the visits at the same phone,
   minute and receiver already in the database; the consultants' names and who left
   (the rows are judged with nobody departed, as history; a row leaving its customer
   with a consultant who has left since says so on its line);
2. *judge* each row with the pure ``register_replay.judge`` (the rule book's
   ``ownership.decide`` with the import's hooks), carrying its effect in memory to the
   later rows; a row the bulk path cannot represent (``register_replay.FALLBACK_*``:
   it opens a conflict, needs today's consultant on duty, or a developer-related
   customer) goes through the desk's engine (``_replay_row``) after the judged rows
   before it are written, and its customer is loaded again from the database;
3. *write* (``RegisterWriter.flush``, ``tools/register_bulk_write.py``; the import
   after each chunk, the preview only before a fallback, inside its rolled-back
   savepoint): one INSERT per table for the
   new customers (``res.partner``, stored computed fields then computed by the ORM)
   and their phone rows, the visits (with their referrers), the decisions, the
   ownership rows (INSERT or UPDATE of the owner, visit dates computed by the ORM),
   and the ORM's ``write`` of the open leads at each owner change, row after row,
   like ``attribution.decision._log``.

What the bulk path leaves out, on purpose: no chatter note per historical decision and
so no queued owner notice (``attribution.decision._post_to_chatter``): the import's
lines, or the batch record and its rows, are the audit trail and the decisions are
in the log; no generated avatar for the new customers (as the deal ledger import);
no phone claim (``attribution.phone.claim``): a desk typing a new number of the
chunk at the same moment makes the chunk's INSERT fail on the unique phone, and the
caller replays that chunk row by row through the desk's engine.

Results are the wizard's line dicts (``row``, ``state``, ``message``, ...), the same
the per-row path gives.
"""
import dataclasses

from odoo import _, fields

from ..attribution import ownership as policy
from ..attribution import register_import as register
from ..attribution import register_replay as replay
from ..attribution import terms
from .register_bulk_write import RegisterWriter
from .visit_facts import user_names

#: rows whose facts are loaded together (and, importing, written together)
CHUNK_ROWS = 500


def _dt(value):
    """A timestamp as psycopg2 gives it in Odoo (text) as a naive ``datetime``."""
    return fields.Datetime.from_string(value) if value else None


def _date(value):
    return fields.Date.from_string(value) if value else None


@dataclasses.dataclass
class _Judged:
    """A row judged in memory, waiting to be written."""

    row: object
    customer: replay.Customer
    new: bool
    visit: replay.ReplayVisit
    decision: policy.Decision
    receiver_id: int
    requested_id: int
    referrer_key: int
    fingerprint: str
    had_owner: bool
    line: dict
    explanation: str = ""


class RegisterBulk(RegisterWriter):
    """The bulk replay of one import run (module docstring) for ``wizard`` (an
    ``attribution.visit.import`` record with its project, file name and
    ``import_ref``, in the user's language)."""

    def __init__(self, wizard, tz_name):
        self.wizard = wizard
        self.env = wizard.env
        self.cr = wizard.env.cr
        self.lang = wizard._lang()
        self.tz = tz_name
        self.team = wizard.team_id
        company = self.env.user.company_id
        self.project = company._attribution_ownership_team(self.team)
        self.project_id = self.project.id or None
        # the project's company's rules and office zone (as the history's hook
        # ``attribution.visit._attribution_settings``), the user's late minutes
        self.settings = dataclasses.replace(
            wizard._company()._attribution_ownership_settings(self.team.sudo()),
            late_entry_minutes=company.attribution_late_entry_minutes)
        self.cover_uses_turn = company.attribution_cover_uses_turn
        self.staff = wizard._staff()
        self.rotation = self.env["attribution.rotation"].sudo().search(
            [("team_id", "=", self.team.id)], limit=1)
        self.member_ids = frozenset(self.rotation.member_ids.mapped("user_id").ids)
        self.now = fields.Datetime.from_string(fields.Datetime.now())
        self.user_tz = self.env.context.get("tz") or self.env.user.tz
        self.customers = {}     # key -> replay.Customer
        self.partner_names = {}  # key -> name
        self.display_names = {}  # key -> display name
        self.holders = {}       # phone -> key (None: nobody holds it)
        self.names = {}         # user id -> name
        self.departed = frozenset()
        self.checked_users = set()
        self.matched = {}       # sheet text -> user id or BilingualError
        self.seen = set()       # fingerprints of this run
        self.pending = []       # _Judged not yet written
        self.next_key = -1
        self.new_phones = {}    # key of a new customer -> their phone
        self.key_map = {}       # key of a saved new customer -> their partner id
        self.fallbacks = 0
        self._users(self.staff_ids() | self.member_ids)

    # ------------------------------------------------------------------ helpers

    def staff_ids(self):
        return {uid for uid, _name, _login in self.staff}

    def _users(self, ids):
        """Names and departure of the consultants ``ids`` not seen yet."""
        ids = {i for i in ids if i and i not in self.checked_users}
        if not ids:
            return
        self.checked_users |= ids
        self.names.update(user_names(self.env, ids))
        self.departed |= self.env["attribution.rotation"]._departed_user_ids(ids)

    def _match(self, text, what):
        if not text:
            return None
        if text not in self.matched:
            try:
                self.matched[text] = register.match_user(text, self.staff)
            except terms.BilingualError as err:
                self.matched[text] = err
        found = self.matched[text]
        if isinstance(found, terms.BilingualError):
            raise terms.BilingualError("%s:%s" % (what[0], found.message_zh),
                                       "%s: %s" % (what[1], found.message_en))
        return found

    def _project_clause(self, alias="v"):
        """SQL condition (and parameters) of a row of the import's project."""
        if self.project_id is None:
            return "TRUE", ()
        return "%s.team_id = %%s" % alias, (self.project_id,)

    # ------------------------------------------------------------------ loading

    def load(self, rows):
        """Load the facts of ``rows`` (``RegisterRow``) not loaded yet."""
        phones = {r.phone for r in rows} | {r.referrer_phone for r in rows
                                            if r.referrer_phone}
        phones = [p for p in phones if p not in self.holders]
        if phones:
            self.cr.execute("SELECT phone, partner_id FROM attribution_partner_phone "
                            "WHERE phone = ANY(%s)", (phones,))
            found = dict(self.cr.fetchall())
            for phone in phones:
                self.holders[phone] = found.get(phone)
        self._load_customers({self.holders[p] for p in phones} - {None})
        self._load_duplicates(rows)

    def _load_customers(self, keys):
        """Load the customers ``keys`` (partner ids) and, for B1, their relatives."""
        keys = {k for k in keys if k and k > 0 and k not in self.customers}
        while keys:
            ids = list(keys)
            customers = {k: replay.Customer(key=k) for k in ids}
            cr = self.cr
            cr.execute("SELECT id, name, display_name, is_developer_related "
                       "FROM res_partner WHERE id = ANY(%s)", (ids,))
            for pid, name, display_name, developer in cr.fetchall():
                self.partner_names[pid] = name
                self.display_names[pid] = display_name
                customers[pid].is_developer_related = bool(developer)
            users = set()
            # the project's row, else (scope project) the row without project
            cr.execute("""
                SELECT DISTINCT ON (partner_id) partner_id, owner_id, last_followup_date
                  FROM attribution_ownership
                 WHERE partner_id = ANY(%s)
                   AND (team_id IS NOT DISTINCT FROM %s OR team_id IS NULL)
                 ORDER BY partner_id, (team_id IS NULL)""", (ids, self.project_id))
            for pid, owner_id, followup in cr.fetchall():
                customers[pid].owner_id = owner_id
                customers[pid].last_followup_date = _date(followup)
                users.add(owner_id)
            clause, params = self._project_clause()
            cr.execute("""
                SELECT v.partner_id, v.owner_id, v.receiver_id, v.visit_datetime,
                       v.create_date, v.import_fingerprint IS NOT NULL
                  FROM attribution_visit v
                 WHERE v.partner_id = ANY(%s) AND """ + clause + """
                 ORDER BY v.visit_datetime DESC, v.id DESC""", (ids,) + params)
            for pid, owner_id, receiver_id, at, created, imported in cr.fetchall():
                customers[pid].registrations.append(policy.Registration(
                    partner_id=pid, owner_id=owner_id, visit_datetime=_dt(at),
                    receiver_id=receiver_id,
                    entered_at=None if imported else _dt(created)))
                users.update((owner_id, receiver_id))
            clause, params = self._project_clause("c")
            cr.execute("""
                SELECT DISTINCT ON (c.partner_id) c.partner_id, c.state, c.winner_id
                  FROM attribution_conflict c
                 WHERE c.partner_id = ANY(%s) AND """ + clause + """
                 ORDER BY c.partner_id, c.create_date DESC, c.id DESC""",
                       (ids,) + params)
            for pid, state, winner_id in cr.fetchall():
                customers[pid].ruling = policy.Ruling(state=state,
                                                      winner_id=winner_id)
                users.add(winner_id)
            cr.execute("""
                SELECT DISTINCT ON (partner_id) partner_id, import_had_owner
                  FROM attribution_visit
                 WHERE import_ref = %s AND partner_id = ANY(%s)
                 ORDER BY partner_id, id""", (self.wizard.import_ref or "preview", ids))
            for pid, had_owner in cr.fetchall():
                customers[pid].had_owner = bool(had_owner)
            cr.execute("""
                SELECT partner_id, related_partner_id, relation_type
                  FROM attribution_relation WHERE partner_id = ANY(%s)
                 ORDER BY partner_id, relation_type, id""", (ids,))
            kin = {}
            for pid, related, relation_type in cr.fetchall():
                kin.setdefault(pid, []).append((related, relation_type))
            for pid, relatives in kin.items():
                customers[pid].kin = tuple(relatives)
            self._first_won(customers)
            self.customers.update(customers)
            self._users(users)
            keys = {r for rels in kin.values() for r, _t in rels
                    if r not in self.customers}

    def _first_won(self, customers):
        """``first_won_date`` of the customers (a referrer's B8 date), one search."""
        # sudo: the referrers' deals belong to other consultants
        leads = self.env["crm.lead"].sudo().with_context(active_test=False)
        ids = list(customers)
        for lead in leads.search(leads._attribution_won_domain() + [
                "|", ("partner_id", "in", ids), ("buyer_partner_id", "in", ids)]):
            if not lead.date_closed:
                continue
            day = fields.Datetime.from_string(lead.date_closed).date()
            for partner in (lead.partner_id, lead.buyer_partner_id):
                customer = customers.get(partner.id)
                if customer and (customer.first_won_date is None
                                 or day < customer.first_won_date):
                    customer.first_won_date = day

    def _load_duplicates(self, rows):
        """The fingerprints and the (phone, minute, receiver) of the database's visits
        that the chunk's rows could repeat (``_duplicate_of``)."""
        phones = list({r.phone for r in rows})
        self.dup_prints, self.dup_minutes = {}, {}
        self.cr.execute("""
            SELECT phone, receiver_id, date_trunc('minute', visit_datetime),
                   import_fingerprint, name
              FROM attribution_visit WHERE phone = ANY(%s)
             ORDER BY visit_datetime DESC, id DESC""", (phones,))
        for phone, receiver_id, minute, print_, name in self.cr.fetchall():
            self.dup_minutes.setdefault((phone, receiver_id, _dt(minute)), name)
            if print_:
                self.dup_prints[print_] = name
        # a fingerprint can only be on a visit of its own phone, but an imported
        # visit's phone may have been corrected since: look the prints up too
        prints = []
        for r in rows:
            try:
                receiver = self._match(r.receiver, ("", ""))
            except terms.BilingualError:
                continue
            prints.append(register.fingerprint(r.phone, r.visit_at, receiver))
        self.cr.execute("SELECT import_fingerprint, name FROM attribution_visit "
                        "WHERE import_fingerprint = ANY(%s)", (prints,))
        self.dup_prints.update(self.cr.fetchall())

    # ------------------------------------------------------------------ judging

    def judge_row(self, row):
        """The line of ``row``: judged in memory (written by :meth:`flush`), or its
        error or duplicate, or replayed through the desk's engine (a fallback)."""
        visit_utc = terms.utc_from_office(row.visit_at, self.tz)
        line = {"row": row.row, "partner_name": row.partner_name or "",
                "phone": row.phone,
                "visit_datetime": fields.Datetime.to_string(visit_utc)}
        try:
            receiver = self._match(row.receiver, ("接待顾问", "receiver"))
            requested = self._match(row.requested, ("指定顾问", "requested consultant"))
            referrer_key = None
            if row.referrer_phone:
                referrer_key = self.holders.get(row.referrer_phone)
                if not referrer_key:
                    raise terms.BilingualError(
                        "介绍人电话 %s 不是已登记的客户" % row.referrer_phone,
                        "the referrer's phone %s is not a registered customer"
                        % row.referrer_phone)
        except terms.BilingualError as err:
            return dict(line, state="error", message=_("Row %s: %s") % (
                row.row, err.message(self.lang)))
        line["receiver_id"] = receiver
        fingerprint = register.fingerprint(row.phone, row.visit_at, receiver)
        if fingerprint in self.seen:
            return dict(line, state="duplicate", message=_(
                "Row %s: the same visit (phone, time, receiver) is on an earlier row "
                "of this file.") % row.row)
        name = self.dup_prints.get(fingerprint) or self.dup_minutes.get(
            (row.phone, receiver, visit_utc.replace(second=0, microsecond=0)))
        if name:
            return dict(line, state="duplicate", message=_(
                "Row %s: already registered (visit %s): not imported again.") % (
                row.row, name))
        self.seen.add(fingerprint)
        key = self.holders.get(row.phone)
        customer = self.customers.get(key) if key else None
        new = customer is None
        if new:
            customer = replay.Customer(key=self.next_key, had_owner=False)
        visit = replay.ReplayVisit(
            kind=row.kind, visit_datetime=visit_utc, receiver_id=receiver,
            requested_user_id=requested,
            appointment_user_id=requested if row.kind == "appointment" else None,
            brought_in_person=row.brought_in_person,
            customer_recalls_consultant=row.customer_recalls_consultant,
            asked_prior_visit=row.asked_prior_visit, entered_at=self.now,
            late=policy.entered_late(visit_utc, self.now,
                                     self.settings.late_entry_minutes))
        referrers = ()
        if referrer_key:
            ref = self.customers.get(referrer_key) or replay.Customer(referrer_key)
            referrers = (policy.Referrer(partner_id=referrer_key, owner_id=ref.owner_id,
                                         first_won_date=ref.first_won_date),)
        kin = replay.kin_visits(customer, self.customers, visit_utc)
        try:
            judgement = replay.judge(
                visit, customer, kin, referrers, self.settings, self.now,
                self.names, self.cover_uses_turn)
        except policy.InvalidFacts as err:
            return dict(line, state="error",
                        message=_("Row %s: %s") % (row.row, err.message(self.lang)))
        if judgement.fallback:
            self.seen.discard(fingerprint)
            return self._fallback(row, key, fingerprint)
        decision = judgement.decision
        had_owner = customer.had_owner if customer.had_owner is not None \
            else customer.owner_id is not None
        replay.record(customer, visit, decision)
        if new:
            self.next_key -= 1
            self.customers[customer.key] = customer
            self.holders[row.phone] = customer.key
            self.partner_names[customer.key] = row.partner_name or row.phone
            self.display_names[customer.key] = row.partner_name or row.phone
            self.new_phones[customer.key] = row.phone
        explanation = message = self.env["attribution.decision"]._explanation_for_user(
            decision.explanation_zh, decision.explanation_en)
        if decision.owner_id:
            self._users({decision.owner_id})
            if decision.owner_id in self.departed:
                # the history leaves the customer with a consultant who has left
                message = self.wizard._with_departed_note(
                    explanation, self.wizard._departed_note(
                        [self.names.get(decision.owner_id, "")]))
        line.update(state="ok", partner_name=self.partner_names[customer.key],
                    owner_id=decision.owner_id or False,
                    rule_code=decision.rule_code or False, message=message or "")
        # kept until written: without what re-renders it (the facts' texts and
        # every consultant's name, a few kB a row over a whole file's preview)
        decision = dataclasses.replace(decision, pending=None)
        self.pending.append(_Judged(
            row=row, customer=customer, new=new, visit=visit, decision=decision,
            receiver_id=receiver, requested_id=requested, referrer_key=referrer_key,
            fingerprint=fingerprint, had_owner=had_owner, line=line,
            explanation=explanation or ""))
        return line

    def _fallback(self, row, key, fingerprint):
        """Replay ``row`` through the desk's engine, the rows judged before it
        written first; its customer is then loaded again."""
        self.fallbacks += 1
        self.flush()
        context = {"staff": self.staff, "tz": self.tz, "seen": set()}
        line = self.wizard._replay_row(row, context)
        key = self.holders.get(row.phone)
        self.seen.add(fingerprint)  # as the desk's replay keeps it, whatever it became
        if line.get("state") == "ok":
            key = self.env["attribution.visit"].sudo().browse(
                line["visit_id"]).partner_id.id
            self.holders[row.phone] = key
        if key:
            self.customers.pop(key, None)
            self._load_customers({key})
        return line

    # ------------------------------------------------------------------ run

    def run(self, rows, write):
        """The lines of ``rows`` (in replay order), chunk after chunk; written after
        each chunk when ``write``."""
        lines = []
        for start in range(0, len(rows), CHUNK_ROWS):
            chunk = rows[start:start + CHUNK_ROWS]
            self.load(chunk)
            for row in chunk:
                lines.append(self.judge_row(row))
            if write:
                self.flush()
        return lines
