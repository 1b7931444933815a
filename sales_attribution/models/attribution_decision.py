from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError
from odoo.osv import expression
from odoo.tools import html_escape

from ..tools import bulk_mail
from .attribution_visit import rule_code_selection


class AttributionDecision(models.Model):
    """Append-only log of ownership decisions: who owns the customer, by which rule."""

    _name = "attribution.decision"
    _description = "Attribution Decision"
    _order = "create_date desc, id desc"
    _rec_name = "rule_code"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, readonly=True,
        ondelete="restrict")
    lead_id = fields.Many2one(
        "crm.lead", string="Opportunity", index=True, readonly=True,
        ondelete="set null")
    visit_id = fields.Many2one(
        "attribution.visit", string="Visit", index=True, readonly=True,
        ondelete="set null")
    conflict_id = fields.Many2one(
        "attribution.conflict", string="Conflict", index=True, readonly=True,
        ondelete="set null")
    owner_id = fields.Many2one(
        "res.users", string="Owner", index=True, readonly=True,
        help="Owner after this decision; empty means the company (A7).")
    previous_owner_id = fields.Many2one(
        "res.users", string="Previous Owner", readonly=True)
    receiver_id = fields.Many2one(
        "res.users", string="Received By", readonly=True)
    rule_code = fields.Selection(
        rule_code_selection(), required=True, readonly=True, index=True,
        help="Rule of the rule book that made this decision.")
    explanation = fields.Text(
        required=True, readonly=True,
        help="The rule, the facts it used and the outcome, in the language of the user "
             "who caused the decision.")
    explanation_en = fields.Text(string="Explanation (English)", readonly=True)
    explanation_zh = fields.Text(string="Explanation (Chinese)", readonly=True)
    team_id = fields.Many2one("crm.team", string="Project",
                              readonly=True, index=True)
    decided_by_id = fields.Many2one(
        "res.users", string="Decided By", readonly=True,
        default=lambda self: self.env.uid,
        help="User whose action caused the decision.")

    def _check_append_only(self):
        if self.env.uid != SUPERUSER_ID:
            raise AccessError(_("Attribution decisions are an append-only log: they "
                                "cannot be changed or deleted."))

    @api.multi
    def write(self, vals):
        self._check_append_only()
        return super().write(vals)

    @api.multi
    def unlink(self):
        self._check_append_only()
        return super().unlink()

    # ------------------------------------------------------------------ engine API

    @api.model
    def _explanation_for_user(self, explanation_zh, explanation_en):
        """The explanation in the language of the user who causes the decision."""
        lang = self.env.context.get("lang") or self.env.user.lang or ""
        if lang.startswith("zh"):
            return explanation_zh or explanation_en
        return explanation_en or explanation_zh

    @api.model
    def _open_leads(self, partner, team=None):
        """Open (active, not won) leads and opportunities of the customer; of the
        project ``team`` (``crm.team``) when given, every project's otherwise."""
        # sudo: ownership moves the customer's leads whoever may see them.
        leads = self.env["crm.lead"].sudo()
        not_won = ["!"] + expression.normalize_domain(leads._attribution_won_domain())
        # "active" named in the domain: the ORM no longer adds it by itself
        project = [("team_id", "=", team.id)] if team else []
        return leads.search([("partner_id", "=", partner.id), ("active", "=", True)]
                            + project + not_won)

    @api.model
    def _log(self, partner, owner, rule_code, explanation_zh, explanation_en,
             previous_owner=None, receiver=None, visit=None, lead=None, conflict=None,
             team=None):
        """Record an ownership decision and apply it; the one entry point for everyone.

        ``partner``: the customer (``res.partner``); ``owner``: the new owner
        (``res.users``, empty or ``None`` = the company, A7); ``rule_code``: a code of
        ``attribution.codes``; both explanations name the rule, the facts and the
        outcome.
        ``team``: the project (``crm.team``) the decision holds in; default: the
        project of ``visit``, ``conflict`` or ``lead``, else the new owner's team.
        ``previous_owner`` defaults to the customer's owner in that project before
        the decision.

        Effects: an immutable ``attribution.decision`` (explanation in the user's
        language), the owner of the customer's ownership row of the project
        (``attribution.ownership``; the company-wide row in scope ``company``), the
        ``user_id`` of the
        customer's open leads (and of ``lead``), a chatter message on the customer and
        on ``visit`` / ``lead`` / ``conflict`` telling the new owner. Returns the
        decision.
        """
        partner.ensure_one()
        owner = owner or self.env["res.users"]
        # sudo: the decision log, the customer's owner and the customer's leads are
        # written whatever the rights of the user whose action caused the decision
        # (a consultant registering a visit cannot edit other consultants' customers,
        # and nobody but the superuser may write decisions by hand).
        partner_su = partner.sudo()
        team = team or (visit and visit.team_id) or (conflict and conflict.team_id) \
            or (lead and lead.sudo().team_id) or owner.sale_team_id \
            or self.env["crm.team"].sudo()._get_default_team_id(
                user_id=owner.id or self.env.uid)
        row = partner_su._attribution_row(team, create=True)
        if previous_owner is None:
            previous_owner = row.owner_id
        explanation = self._explanation_for_user(explanation_zh, explanation_en)
        decision = self.sudo().create({
            "partner_id": partner.id,
            "owner_id": owner.id or False,
            "previous_owner_id": previous_owner.id or False,
            "receiver_id": receiver.id if receiver else False,
            "rule_code": rule_code,
            "explanation": explanation,
            "explanation_zh": explanation_zh,
            "explanation_en": explanation_en,
            "visit_id": visit.id if visit else False,
            "lead_id": lead.id if lead else False,
            "conflict_id": conflict.id if conflict else False,
            "team_id": team.id if team else False,
            "decided_by_id": self.env.uid,
        })
        if row.owner_id != owner:
            row.write({"owner_id": owner.id or False})
        leads = self._open_leads(partner, row.team_id)
        if lead:
            leads |= lead.sudo()
        leads = leads.filtered(lambda ld: ld.user_id != owner)
        if leads:
            leads.write({"user_id": owner.id or False})
        decision._post_to_chatter(partner_su, lead, conflict)
        return decision

    def _post_to_chatter(self, partner, lead=None, conflict=None):
        """Post the decision on the customer (and the lead, conflict) and queue the
        notice to the new owner (see :meth:`_cron_tell_owners`). Not on the visit: its
        form shows the decision (rule, explanation), and one note per walk-in keeps the
        desk fast (bench/README.md)."""
        self.ensure_one()
        body = "<p><b>%s</b></p><p>%s</p>" % (
            html_escape(_("Attribution decision %s") % self.rule_code),
            html_escape(self.explanation).replace("\n", "<br/>"))
        # sudo: posting on a customer the user may no longer see after the decision.
        # The notes go in as message_post writes them (tools.bulk_mail.post_notes,
        # which posts through message_post where a follower would be notified):
        # message_post formats every note for the bus, a fifth of a walk-in's time.
        partner = partner.sudo()
        message = self.env["mail.message"].browse(
            bulk_mail.post_notes(partner, {partner.id: body})[partner.id])
        # an owner who has left (an imported history's) is not told
        if self.owner_id and self.owner_id.id != self.env.uid and \
                self.owner_id.active:
            self.env["attribution.owner.notice"]._queue(
                message, self.owner_id.partner_id)
        for record in (lead, conflict):
            if record:
                record = record.sudo()
                bulk_mail.post_notes(record, {record.id: body})
        return True

    # ------------------------------------------------------------ telling the owner

    @api.model
    def _cron_tell_owners(self, limit=1000):
        """Scheduled action "Attribution: tell new owners": tell the owners queued in
        ``attribution.owner.notice`` (up to ``limit``, each once, also with several
        workers); returns how many were told."""
        return self.env["attribution.owner.notice"]._tell_owners(limit)
