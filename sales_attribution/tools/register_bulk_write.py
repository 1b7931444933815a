"""Writing the rows the bulk register import judged (``tools/register_bulk.py``).

:class:`RegisterWriter` is the writing half of ``register_bulk.RegisterBulk``:
:meth:`RegisterWriter.flush` saves the judged rows waiting in ``self.pending`` with
one INSERT per table (``bulk_mail.insert_rows``): the run's new customers
(``res.partner``: name, mobile, customer, the defaults of the other columns; no
generated avatar) and their phone rows (``attribution.partner.phone``, source
mobile), the visits with their referrers, the decisions (explanation in the
importing user's language, decided by them), then the visits' decision, the
ownership rows of the project (the run's last owner: UPDATE of the row, or INSERT),
the stored computed fields of those records computed by the ORM (visit names on the
importing user's clock, the ownership's visit dates in the zone of the project's
company, the customers' display names and normalised phone), and the open leads of
customers known before the run moved to each new owner in turn through the ORM (as
``attribution.decision._log`` moves them row by row: the same tracking in their
chatter). No chatter
note, no owner notice, no activity (the module docstring of ``register_bulk``). No
commit: the caller's savepoint holds the chunk.
"""
import pytz
from psycopg2.extras import execute_values

from odoo import _

from ..attribution import terms
from ..attribution.salutation import default_salutation
from . import bulk_mail


#: the stored computed fields of a new customer the INSERT sets (and the UPDATE of
#: ``commercial_partner_id``; the related ones are empty for a contact without
#: company, country or activity)
_PARTNER_SET = ("display_name", "partner_share", "commercial_company_name",
                "attribution_phone", "attribution_salutation", "commercial_partner_id",
                "commercial_partner_country_id", "activity_date_deadline",
                "attribution_owned")


class RegisterWriter(object):
    """The writing half of ``register_bulk.RegisterBulk`` (its attributes)."""

    def flush(self):
        """Write the judged rows waiting (module docstring, step 3); fills the
        ``visit_id`` of their lines. No commit."""
        judged, self.pending = self.pending, []
        if not judged:
            return
        env = self.env
        # sudo: the rule book's records, written whoever imports (as the desk does)
        su = env["res.partner"].sudo().env
        new_ids = self._insert_customers(su, judged)
        ref = self.wizard.import_ref or "preview"
        reason = self.wizard.filename or _("the register")
        visits = []
        for item in judged:
            decision = item.decision
            visits.append({
                "phone": item.row.phone,
                "partner_name": item.row.partner_name or False,
                "partner_id": item.customer.key,
                "visit_datetime": item.visit.visit_datetime,
                "team_id": self.team.id,
                "kind": item.row.kind,
                "receiver_id": decision.receiver_id or item.receiver_id,
                "requested_user_id": item.requested_id or False,
                "appointment_user_id": item.visit.appointment_user_id or False,
                "brought_in_person": item.row.brought_in_person,
                "asked_prior_visit": item.row.asked_prior_visit,
                "customer_recalls_consultant": item.row.customer_recalls_consultant,
                "note": item.row.note or False,
                "late_entry_reason": _("Imported from %s, row %s") % (
                    reason, item.row.row),
                "is_late_entry": item.visit.late,
                # the stored computed fields, as the ORM computes them
                "name": "%s %s" % (
                    self.display_names.get(item.customer.key) or item.row.phone,
                    self._desk_time(item.visit.visit_datetime)),
                "rule_code": decision.rule_code,
                "import_fingerprint": item.fingerprint,
                "import_ref": ref,
                "import_had_owner": item.had_owner,
                "owner_id": decision.owner_id or False,
                "no_phone_notice": decision.show_no_phone_notice,
                "cover_user_id": decision.cover_user_id or False,
            })
        visit_ids = bulk_mail.insert_rows(su, "attribution.visit", visits,
                                          "import_fingerprint")
        bulk_mail._insert_relation(su, "attribution.visit", "referrer_partner_ids", [
            (visit_ids[item.fingerprint], self.key_map.get(item.referrer_key,
                                                           item.referrer_key))
            for item in judged if item.referrer_key])
        decisions = []
        for item in judged:
            decision = item.decision
            decisions.append({
                "partner_id": item.customer.key,
                "owner_id": decision.owner_id or False,
                "previous_owner_id": decision.previous_owner_id or False,
                "receiver_id": decision.receiver_id or item.receiver_id,
                "rule_code": decision.rule_code,
                "explanation": item.explanation,
                "explanation_zh": decision.explanation_zh,
                "explanation_en": decision.explanation_en,
                "visit_id": visit_ids[item.fingerprint],
                "lead_id": False,
                "conflict_id": False,
                "team_id": self.team.id,
                "decided_by_id": env.uid,
            })
        decision_ids = bulk_mail.insert_rows(su, "attribution.decision", decisions,
                                             "visit_id")
        execute_values(self.cr, """
            UPDATE attribution_visit v SET decision_id = d.id FROM (VALUES %s) AS
                   d(visit_id, id) WHERE v.id = d.visit_id""",
                       list(decision_ids.items()), page_size=len(decision_ids))
        rows = self._write_ownership(judged)
        self._ownership_dates(rows)
        self._owned({item.customer.key for item in judged})
        env.cache.invalidate()
        # any other stored computed field (another addon's), by the ORM
        if new_ids:
            self._recompute(su, "res.partner", new_ids, _PARTNER_SET)
        self._recompute(su, "attribution.visit", list(visit_ids.values()),
                        ("name", "rule_code", "activity_date_deadline"))
        self._recompute(su, "attribution.decision", list(decision_ids.values()))
        self._recompute(su, "attribution.ownership", rows,
                        ("first_visit_date", "last_visit_date"))
        self._move_leads(su, judged)
        for item in judged:
            item.line["visit_id"] = visit_ids[item.fingerprint]

    def _insert_customers(self, su, judged):
        """Insert the run's new customers of ``judged`` (name, mobile, customer) and
        their phone rows; their keys become partner ids. Returns the new ids."""
        # by key (unique and negative for a customer of this run): comparing the
        # customers themselves compared every field, quadratic in the chunk
        first = {}
        for item in judged:
            if item.customer.key < 0:
                first.setdefault(item.customer.key, item.customer)
        new = list(first.values())
        if not new:
            return []
        Partner = su["res.partner"].with_context(
            tracking_disable=True, **{terms.CTX_NO_AVATAR: True})
        rows = []
        for customer in new:
            name = self.partner_names[customer.key]
            rows.append({
                "name": name, "mobile": self.new_phones[customer.key],
                "customer": True,
                # the stored computed fields of a new contact without company
                "display_name": name, "partner_share": True,
                "commercial_company_name": False,
                "attribution_phone": self.new_phones[customer.key],
                "attribution_salutation": default_salutation(
                    name, title=False, is_company=False) or False})
        ids = bulk_mail.insert_rows(Partner.env, "res.partner", rows, "mobile")
        self.cr.execute("UPDATE res_partner SET commercial_partner_id = id "
                        "WHERE id = ANY(%s)", (list(ids.values()),))
        bulk_mail.insert_rows(su, "attribution.partner.phone", [
            {"partner_id": ids[self.new_phones[c.key]], "phone": self.new_phones[c.key],
             "source": "mobile"} for c in new], "partner_id")
        for customer in new:
            old = customer.key
            phone = self.new_phones.pop(old)
            customer.key = self.key_map[old] = ids[phone]
            self.customers[customer.key] = self.customers.pop(old)
            self.partner_names[customer.key] = self.partner_names.pop(old)
            self.display_names[customer.key] = self.display_names.pop(old)
            self.holders[phone] = customer.key
        return list(ids.values())

    def _write_ownership(self, judged):
        """The ownership rows of the customers of ``judged`` in the project: the
        last owner the run gave (INSERT, or UPDATE of the row, which takes the
        project in scope ``project`` when it had none). Returns the row ids."""
        last = {}
        for item in judged:
            last[item.customer.key] = item.decision.owner_id
        cr = self.cr
        cr.execute("""
            SELECT DISTINCT ON (partner_id) partner_id, id FROM attribution_ownership
             WHERE partner_id = ANY(%s)
               AND (team_id IS NOT DISTINCT FROM %s OR team_id IS NULL)
             ORDER BY partner_id, (team_id IS NULL)""", (list(last), self.project_id))
        existing = dict(cr.fetchall())
        if existing:
            values = [(row_id, last[pid], self.project_id, self.env.uid)
                      for pid, row_id in existing.items()]
            execute_values(
                cr, """
                UPDATE attribution_ownership o
                   SET owner_id = v.owner_id, team_id = v.team_id,
                       write_uid = v.uid, write_date = (now() AT TIME ZONE 'UTC')
                  FROM (VALUES %s) AS v(id, owner_id, team_id, uid)
                 WHERE o.id = v.id""", values,
                template="(%s, %s::int, %s::int, %s::int)", page_size=len(values))
        inserted = bulk_mail.insert_rows(
            self.env["attribution.ownership"].sudo().env, "attribution.ownership", [
                {"partner_id": pid, "team_id": self.project_id or False,
                 "owner_id": owner or False}
                for pid, owner in last.items() if pid not in existing],
            "partner_id")
        return list(existing.values()) + list(inserted.values())

    def _recompute(self, su, model_name, ids, given=()):
        """Compute the stored computed fields of the records ``ids`` written in SQL
        but those ``given`` (set by the INSERT), as the ORM's ``create`` would
        have: each compute method once on all the records (in cache, as the ORM
        computes), then one UPDATE of the columns (the ORM's ``recompute`` writes
        each distinct value with its own ``_write``)."""
        records = su[model_name].browse(ids)
        fields = [f for f in records._fields.values()
                  if f.store and f.compute and f.column_type and f.name not in given]
        done = set()
        for field in fields:
            if field not in done:
                field.compute_value(records)
                done.update(records._field_computed.get(field, [field]))
        if not fields:
            return
        values = []
        for record in records:
            values.append([record.id] + [
                f.convert_to_column(f.convert_to_write(record[f.name], record),
                                    record) for f in fields])
        # table and column names come from the model's fields, never from input
        execute_values(
            self.cr, 'UPDATE "%s" t SET %s FROM (VALUES %%s) AS v(id, %s) '
            'WHERE t.id = v.id' % (
                records._table,
                ", ".join('"%s" = v."%s"' % (f.name, f.name) for f in fields),
                ", ".join('"%s"' % f.name for f in fields)),
            values, template="(%%s, %s)" % ", ".join(
                "%%s::%s" % f.column_type[1] for f in fields),
            page_size=len(values))
        records.invalidate_cache()

    def _ownership_dates(self, row_ids):
        """``first_visit_date`` and ``last_visit_date`` of the ownership rows
        ``row_ids`` (``attribution.ownership._compute_visit_dates``: the office
        dates of the customer's first and last visit in the row's project, every
        visit for a row without project) in the importing company's zone."""
        if not row_ids:
            return
        self.cr.execute("""
            UPDATE attribution_ownership o
               SET first_visit_date = d.first_date, last_visit_date = d.last_date
              FROM (SELECT r.id,
                           ((min(v.visit_datetime) AT TIME ZONE 'UTC')
                            AT TIME ZONE %(tz)s)::date AS first_date,
                           ((max(v.visit_datetime) AT TIME ZONE 'UTC')
                            AT TIME ZONE %(tz)s)::date AS last_date
                      FROM attribution_ownership r
                      LEFT JOIN attribution_visit v ON v.partner_id = r.partner_id
                           AND (r.team_id IS NULL OR v.team_id = r.team_id)
                     WHERE r.id = ANY(%(ids)s)
                     GROUP BY r.id) d
             WHERE o.id = d.id""", {"tz": self.tz, "ids": list(row_ids)})

    def _owned(self, partner_ids):
        """``res.partner.attribution_owned`` of the customers ``partner_ids``, whose
        ownership rows were written in SQL (``_compute_attribution_owned``)."""
        self.cr.execute("""
            UPDATE res_partner p SET attribution_owned = EXISTS (
                   SELECT 1 FROM attribution_ownership o
                    WHERE o.partner_id = p.id AND o.owner_id IS NOT NULL)
             WHERE p.id = ANY(%s)""", (list(partner_ids),))

    def _desk_time(self, value):
        """``attribution.visit._desk_time`` of a naive UTC ``datetime``: on the
        importing user's clock (``Datetime.context_timestamp``), to the minute."""
        stamp = pytz.utc.localize(value)
        if self.user_tz:
            try:
                stamp = stamp.astimezone(pytz.timezone(self.user_tz))
            except pytz.UnknownTimeZoneError:
                pass
        return stamp.strftime("%Y-%m-%d %H:%M")

    def _move_leads(self, su, judged):
        """The open leads of the customers who existed before the run follow each
        owner their rows give them, row after row, as the desk's engine moves them
        (``attribution.decision._log``: one ORM write a move, so the lead's chatter
        tracks every salesperson the history gave it, not only the chunk's last)."""
        owners = {}
        for item in judged:
            if not item.new:
                owners.setdefault(item.customer.key, []).append(
                    item.decision.owner_id)
        if not owners:
            return
        self.cr.execute("SELECT DISTINCT partner_id FROM crm_lead "
                        "WHERE partner_id = ANY(%s) AND active", (list(owners),))
        Decision = su["attribution.decision"]
        for (pid,) in self.cr.fetchall():
            partner = su["res.partner"].browse(pid)
            leads = Decision._open_leads(partner, partner._attribution_row(
                self.team).team_id)
            for owner_id in owners[pid]:
                owner = su["res.users"].browse(owner_id or [])
                moving = leads.filtered(lambda ld, owner=owner: ld.user_id != owner)
                if moving:
                    moving.write({"user_id": owner.id or False})

    def forget(self, seen):
        """Forget what was loaded and judged since the last :meth:`flush` (the
        chunk was rolled back); ``seen``: the run's fingerprints before it."""
        self.customers.clear()
        self.holders.clear()
        self.partner_names.clear()
        self.new_phones.clear()
        self.pending = []
        self.seen = set(seen)
