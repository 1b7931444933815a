from odoo import _, models
from odoo.exceptions import UserError

from ..attribution import merge as merge_policy
from ..attribution.terms import CTX_PHONE_SYNC, LIVE


class MergePartnerAutomatic(models.TransientModel):
    """Odoo's partner merge (Contacts → Action → Merge, crm's
    ``base.partner.merge.automatic.wizard``) keeping everything of the rule book.

    Odoo moves every many2one to the destination in SQL, and where a unique
    constraint refuses the move it *deletes* the source's rows; then it copies the
    source's field values the destination lacks and deletes the sources. Before that
    runs, ``_merge`` here moves what Odoo would lose or garble:

    - relations (``attribution.relation``): a source's relation the destination has
      already (same person, same type) is merged into it, evidence texts and files
      kept (the earliest confirmation date wins); a relation between the merged
      records would become a self-relation and is removed, with a note on the
      customer's chatter saying which and its evidence; the others are re-pointed
      with their inverse rows;
    - phone numbers (``attribution.partner.phone``): every number of the sources
      becomes a further number of the destination (so every number still matches);
    - visits, decisions (append-only: re-pointed, text unchanged), conflicts and deals
      are re-pointed by Odoo's own SQL; the visit dates are recomputed afterwards.

    Ownership (``attribution.merge.merge_ownership``), project by project (each
    ``attribution.ownership`` row; one company-wide row in scope ``company``):
    records with different owners in a project are merged, but not silently: the
    merged customer keeps the destination's owner there (else the A10 proposal), a
    conflict (撞单, A6) of that project opens for the manager with every owner as
    claimant and the A10 proposal (the earliest registration's owner in the
    project), and the manager of the team gets an activity. The merged customer has
    one row per project (the sources' rows are folded into it before Odoo's SQL,
    which would delete them on the unique constraint). The merge of customers that carry
    attribution records (owner, visits or decisions) is a manager's act: others get a
    UserError.
    """

    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None):
        Partner = self.env["res.partner"]
        partners = Partner.browse(partner_ids).exists()
        if len(partners) < 2:
            return super()._merge(partner_ids, dst_partner=dst_partner)
        if dst_partner and dst_partner in partners:
            src_partners = partners - dst_partner
        else:
            ordered = self._get_ordered_partner(partners.ids)
            dst_partner, src_partners = ordered[-1], ordered[:-1]
        self._attribution_check_merge_right(partners)
        outcomes = self._attribution_merge_ownership(dst_partner, partners)
        notes = self._attribution_merge_relations(src_partners, dst_partner)
        self._attribution_merge_phones(src_partners, dst_partner)
        self._attribution_fold_rows(src_partners, dst_partner, outcomes)
        res = super()._merge(partners.ids, dst_partner=dst_partner)
        self._attribution_after_merge(dst_partner, outcomes, notes)
        return res

    # ------------------------------------------------------------------ steps

    def _attribution_check_merge_right(self, partners):
        """Customers with an owner, visits or decisions are merged by a manager."""
        if self.env.user.has_group("sales_attribution.group_manager"):
            return
        # sudo: counting the records of customers the user may not all see
        sudo = partners.sudo()
        if sudo.mapped("attribution_ownership_ids.owner_id") or sudo.mapped(
                "attribution_visit_ids") or sudo.mapped("attribution_decision_ids"):
            raise UserError(_(
                "Only a sales manager may merge customers that have an owning "
                "consultant, visits or attribution decisions."))

    def _attribution_merge_ownership(self, dst_partner, partners):
        """``{project (crm.team, maybe empty): merge.MergeOutcome}``: the policy's
        outcome for the merged records in each project where one of them has an
        ownership row."""
        Visit = self.env["attribution.visit"].sudo()
        rows = self.env["attribution.ownership"].sudo().search(
            [("partner_id", "in", partners.ids)])
        outcomes = {}
        for team in rows.mapped("team_id") | self.env["crm.team"]:
            project_rows = rows.filtered(lambda r, t=team: r.team_id == t)
            if not project_rows:
                continue
            in_project = [("team_id", "=", team.id)] if team else []
            customers = []
            for partner in partners.sudo():
                row = project_rows.filtered(lambda r, p=partner: r.partner_id == p)
                first = Visit.search([("partner_id", "=", partner.id)] + in_project,
                                     order="visit_datetime asc, id asc", limit=1)
                customers.append(merge_policy.MergedCustomer(
                    partner.id, row.owner_id.id or None,
                    Visit._dt(first.visit_datetime) if first else None))
            names = {u.id: u.name for u in project_rows.mapped("owner_id")}
            outcomes[team] = merge_policy.merge_ownership(
                dst_partner.id, customers, names)
        return outcomes

    def _attribution_fold_rows(self, src_partners, dst_partner, outcomes):
        """One ownership row per project for the merged customer: the destination's,
        else a source's re-pointed to it; the other sources' rows of the project
        are removed (their owners are the conflict's claimants)."""
        rows = self.env["attribution.ownership"].sudo().search(
            [("partner_id", "in", (src_partners | dst_partner).ids)])
        for team in outcomes:
            project_rows = rows.filtered(lambda r, t=team: r.team_id == t)
            keep = project_rows.filtered(lambda r: r.partner_id == dst_partner)[:1]
            if not keep:
                keep = project_rows.sorted(lambda r: (not r.owner_id, r.id))[:1]
                keep.write({"partner_id": dst_partner.id})
            (project_rows - keep).unlink()

    def _attribution_merge_relations(self, src_partners, dst_partner):
        """Move the sources' relations to the destination (see the class docstring);
        returns the chatter lines saying what was merged or removed."""
        # sudo: relations of the merged customers, whoever may read them
        Rel = self.env["attribution.relation"].sudo()
        merged_ids = set((src_partners | dst_partner).ids)
        notes = []
        for rel in Rel.search([("partner_id", "in", src_partners.ids)]):
            if rel.exists():  # else removed with its inverse
                self._attribution_merge_relation(rel, dst_partner, merged_ids, notes)
        # rows pointing at a source whose inverse is gone (or never written)
        for rel in Rel.search([("related_partner_id", "in", src_partners.ids)]):
            if rel.partner_id.id in merged_ids:
                rel.unlink()
                continue
            same = self._attribution_same_relation(rel.partner_id, dst_partner,
                                                   rel.relation_type)
            if same:
                self._attribution_keep_evidence(rel, same)
                rel.unlink()
            else:
                rel.with_context(attribution_relation_inverse=True).write(
                    {"related_partner_id": dst_partner.id})
        return notes

    def _attribution_same_relation(self, partner, related, relation_type):
        return self.env["attribution.relation"].sudo().search([
            ("partner_id", "=", partner.id), ("related_partner_id", "=", related.id),
            ("relation_type", "=", relation_type)], limit=1)

    def _attribution_merge_relation(self, rel, dst_partner, merged_ids, notes):
        """One relation of a source: removed (self-relation), merged (the destination
        has it) or re-pointed with its inverse."""
        label = "%s → %s (%s)" % (
            rel.partner_id.name, rel.related_partner_id.name, rel.relation_type)
        if rel.related_partner_id.id in merged_ids:
            notes.append(_("Relation %s removed: after the merge it would relate "
                           "the customer to themselves. Evidence: %s") % (
                label, rel.evidence or _("none")))
            rel.unlink()
            return
        same = self._attribution_same_relation(dst_partner, rel.related_partner_id,
                                               rel.relation_type)
        if same:
            self._attribution_keep_evidence(rel, same)
            notes.append(_("Relation %s merged into the same relation of the "
                           "customer, its evidence kept.") % label)
            rel.unlink()
            return
        rel.write({"partner_id": dst_partner.id})  # the inverse row follows

    @staticmethod
    def _attribution_keep_evidence(rel, same):
        """Copy ``rel``'s evidence (text, files, earlier confirmation) onto ``same``."""
        vals = {}
        if rel.evidence and rel.evidence not in (same.evidence or ""):
            vals["evidence"] = "\n".join(t for t in (same.evidence, rel.evidence) if t)
        earlier = rel.confirmed_date and (
            not same.confirmed_date or rel.confirmed_date < same.confirmed_date)
        if earlier:
            vals["confirmed_date"] = rel.confirmed_date
        files = rel.evidence_attachment_ids - same.evidence_attachment_ids
        if files:
            vals["evidence_attachment_ids"] = [(4, f.id) for f in files]
        if vals:
            same.write(vals)

    def _attribution_merge_phones(self, src_partners, dst_partner):
        """Every number of the sources becomes a further number of the destination."""
        Phone = self.env["attribution.partner.phone"].sudo().with_context(
            **{CTX_PHONE_SYNC: True})
        Phone.search([("partner_id", "in", src_partners.ids)]).write(
            {"partner_id": dst_partner.id, "source": "extra"})

    def _attribution_after_merge(self, dst_partner, outcomes, notes):
        """Visit dates, the owner while the conflict waits, the conflicts, the
        notes."""
        partner = dst_partner.sudo()
        partner.invalidate_cache()
        rows = self.env["attribution.ownership"].sudo().search(
            [("partner_id", "=", partner.id)])
        for name in ("first_visit_date", "last_visit_date"):
            self.env.add_todo(rows._fields[name], rows)
        rows.recompute()
        # the numbers moved in as further numbers: those now in mobile/phone take
        # that source again
        self.env["attribution.partner.phone"]._sync_partners(partner)
        for team, outcome in outcomes.items():
            if not outcome.open_conflict:
                continue
            row = rows.filtered(lambda r, t=team: r.team_id == t)
            if row.owner_id.id != (outcome.owner_id or False):
                # the policy keeps the destination's owner (else the proposal)
                # until the manager rules (the conflict says so)
                row.write({"owner_id": outcome.owner_id or False})
            self._attribution_merge_conflict(partner, outcome, team)
        for note in notes:
            partner.message_post(body=note)
        return True

    def _attribution_merge_conflict(self, partner, outcome, team):
        """Open the customer's conflict in the project ``team`` (``crm.team``; empty:
        the customer's latest visit's), or add the owners to its live one."""
        # sudo: the conflict is the manager's to rule; claimants may be any consultant
        Conflict = self.env["attribution.conflict"].sudo()
        Users = self.env["res.users"].sudo()
        claimants = Users.browse(outcome.claimant_ids)
        lang = self.env.context.get("lang") or self.env.user.lang or ""
        reason = outcome.explanation_zh if lang.startswith("zh") else \
            outcome.explanation_en
        in_project = [("team_id", "=", team.id)] if team else []
        conflict = Conflict.search([("partner_id", "=", partner.id),
                                    ("state", "in", LIVE)] + in_project,
                                   order="id", limit=1)
        if conflict:
            new = claimants - conflict.claimant_ids
            if new:
                conflict.write({"claimant_ids": [(4, u.id) for u in new]})
            conflict.message_post(body=reason)
        else:
            last = self.env["attribution.visit"].sudo().search(
                [("partner_id", "=", partner.id)], order="visit_datetime desc",
                limit=1)
            team = team or last.team_id or Users.browse(
                outcome.proposed_owner_id or outcome.owner_id).sale_team_id
            conflict = Conflict.create({
                "partner_id": partner.id,
                "team_id": team.id or False,
                "claimant_ids": [(6, 0, claimants.ids)],
                "proposed_owner_id": outcome.proposed_owner_id or False,
                "proposal_reason": reason,
            })
        manager = conflict.team_id.user_id or self.env.user
        Conflict._schedule_activity(conflict, manager,
                                    _("Conflict %s to settle") % conflict.name, reason)
        partner.message_post(body=reason)
        return conflict
