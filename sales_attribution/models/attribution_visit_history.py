import dataclasses

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError

from ..attribution import ownership as policy

#: the fields only the register import writes (``attribution.visit.import``)
IMPORT_FIELDS = ("import_fingerprint", "import_ref", "import_had_owner")


class AttributionVisit(models.Model):
    """Visits replayed from an office's register (来访登记表, issue 16).

    A row of the register imported by ``attribution.visit.import`` is an
    ``attribution.visit`` created through the desk's engine, marked by its
    ``import_fingerprint`` (normalised phone, office-local visit time to the minute,
    receiver id: ``register_import.fingerprint``; unique, so a row is never imported
    twice). It is the office's history: the rules judge it as of its own time as if it
    had been registered then:

    - the sheet's receiver was the consultant on duty: only they are present, and a
      rule that gives the customer to the rotation (A3, B6, B7, A14) gives it to them,
      without serving a turn of today's rotation;
    - an imported row counts as entered in time (the paper register was kept at the
      desk) for every later judgement, the late-entry rule's "sheet as kept at the
      time" included;
    - the row holds an owner the customer had before the import run
      (``import_had_owner``, the run being ``import_ref``) only by the late-entry
      rule: history that would move such an owner keeps them and opens a conflict
      (A10). Customers first owned through the run are judged as history, and open
      no conflict of their own unless the rules leave them without an owner;
    - nobody is told by an activity (the decisions are posted on the customers), and
      no A5 violation is recorded for a visit of the past;
    - the consultants the history names were with the office at the row's time: a
      receiver who has left since (archived, or out of the consultant group) is
      accepted, and the row is judged with no departed consultant
      (``VisitFacts.departed_user_ids`` empty: the register has no dates of
      departure), so a customer the history gives to a consultant who has left
      stays theirs until the handover (离职交接, H1) moves them. At the desk a
      departed receiver is still refused and a departed owner still loses the
      customer (``attribution.visit``);
    - the rules are those of the project's company (``crm.team.company_id``): its
      office time zone dates the row (A14, windows), whoever imports.
    """

    _inherit = "attribution.visit"

    import_fingerprint = fields.Char(
        string="Register Row", readonly=True, copy=False, index=True,
        help="Set on a visit imported from the office's register: its phone, visit "
             "time (office clock) and receiver. The same row is never imported "
             "twice.")
    import_ref = fields.Char(
        string="Import Run", readonly=True, copy=False, index=True,
        help="The import that created this visit.")
    import_had_owner = fields.Boolean(
        string="Owner Before Import", readonly=True, copy=False,
        help="The customer had an owner before this visit's import: history that "
             "contradicts them opens a conflict instead of moving the customer.")

    _sql_constraints = [
        ("import_fingerprint_unique", "unique(import_fingerprint)",
         "This register row has been imported already."),
    ]

    @api.model
    def create(self, vals):
        if set(IMPORT_FIELDS) & set(vals) and \
                not self.env.user.has_group("sales_attribution.group_manager"):
            raise AccessError(_("Only a sales manager imports the visit register."))
        return super().create(vals)

    @api.multi
    def write(self, vals):
        if set(IMPORT_FIELDS) & set(vals) and self.env.uid != SUPERUSER_ID:
            raise AccessError(_("The import marks of a visit (%s) cannot be changed.")
                              % ", ".join(sorted(set(IMPORT_FIELDS) & set(vals))))
        return super().write(vals)

    # ------------------------------------------------------------ engine hooks

    def _registration_entered_at(self):
        if self.import_fingerprint:
            return None  # the paper register was kept at the desk, at the time
        return super()._registration_entered_at()

    @api.constrains("receiver_id")
    def _check_receiver_with_office(self):
        # an imported row's receiver was on duty at the row's time (class docstring)
        return super(AttributionVisit, self.filtered(
            lambda v: not v.import_fingerprint))._check_receiver_with_office()

    def _attribution_settings(self):
        settings = super()._attribution_settings()
        if not self[:1].import_fingerprint:
            return settings  # the desk's, unchanged
        # sudo: the project's company, whatever the user may read of the team
        company = self[:1].sudo().team_id.company_id
        if not company:
            return settings
        return dataclasses.replace(
            company._attribution_ownership_settings(self[:1].sudo().team_id),
            late_entry_minutes=settings.late_entry_minutes)

    def _prepare_visit_facts(self):
        facts = super()._prepare_visit_facts()
        if not self.import_fingerprint:
            return facts
        receiver = self.sudo().receiver_id
        return dataclasses.replace(
            facts,
            present_user_ids=frozenset(receiver.ids),
            is_late_entry=facts.is_late_entry and self.import_had_owner,
            kept_in_time=True,
            departed_user_ids=frozenset())

    def _decide(self):
        decision = super()._decide()
        if self.import_fingerprint and decision.not_asked_collision:
            decision = dataclasses.replace(decision, not_asked_collision=False)
        return decision

    def _resolve_rotation(self, decision):
        receiver = self.sudo().receiver_id
        if not (self.import_fingerprint and receiver):
            return super()._resolve_rotation(decision)
        return policy.resolve(decision, receiver.id, {receiver.id: receiver.name})

    def _attribution_opens_conflict(self, decision):
        opens = super()._attribution_opens_conflict(decision)
        if not self.import_fingerprint:
            return opens
        return opens and (self.import_had_owner or not decision.owner_id)

    def _schedule_attribution_activity(self, user, summary, note):
        if self.import_fingerprint:
            return self.env["mail.activity"]
        return super()._schedule_attribution_activity(user, summary, note)
