from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..attribution import handover as policy
from ..attribution.terms import LIVE, WON_PROBABILITY


class AttributionHandoverWizard(models.TransientModel):
    """离职交接 (H1): the sales manager hands a leaving consultant's work over.

    ``action_apply`` moves, for ``user_id``:

    - every customer they own in any project (the ``attribution.ownership`` rows
      whose owner they are), each customer to one successor, evenly
      (``attribution.handover.distribute``), each row's move logged as an
      ``attribution.decision`` with rule code H1 in the row's project (the
      customer's open leads of that project follow, as with every decision);
    - their other open (not won) leads, evenly;
    - their claims on live conflicts (claimant, and proposal when they were proposed),
      to the successor of the conflict's customer;
    - their follower subscriptions, to the successor of the record's customer (else
      evenly).

    Successors: ``successor_ids``, or when empty the present members of the team's
    rotation still with the office (as A11). Won deals and their split lines are left
    as they are. Only a sales manager may apply it (checked here: the method is
    callable over XML-RPC).
    """

    _name = "attribution.handover.wizard"
    _description = "Departed Consultant Handover"

    user_id = fields.Many2one(
        "res.users", string="Leaving Consultant", required=True,
        help="The consultant who leaves (archived or still active): their customers, "
             "open leads, conflict claims and subscriptions are handed over.")
    team_id = fields.Many2one(
        "crm.team", string="Sales Team", required=True,
        default=lambda self: self.env["crm.team"]._get_default_team_id(),
        help="Its rotation's present members share the work when no successor is "
             "named.")
    successor_ids = fields.Many2many(
        "res.users", "attribution_handover_wizard_successor_rel", "wizard_id",
        "user_id", string="Successors",
        help="Consultants taking over, evenly. Empty: the present members of the "
             "team's rotation (A11's even sharing).")
    customer_count = fields.Integer(
        compute="_compute_customer_count", string="Customers to Hand Over")

    @api.depends("user_id")
    def _compute_customer_count(self):
        for wizard in self:
            # sudo: the manager counts every customer of the leaving consultant
            wizard.customer_count = len(self.env["attribution.ownership"].sudo().search(
                [("owner_id", "=", wizard.user_id.id)]).mapped("partner_id")) \
                if wizard.user_id else 0

    @api.multi
    def action_apply(self):
        """Hand everything over (see the class docstring); returns ``True``."""
        if not self.env.user.has_group("sales_attribution.group_manager"):
            raise AccessError(_("Only a sales manager can hand a departed consultant's "
                                "customers over."))
        for wizard in self:
            wizard._apply_handover()
        return True

    # ------------------------------------------------------------------ internals

    def _successors(self):
        """The users taking over: named, else the present rotation members."""
        self.ensure_one()
        Rotation = self.env["attribution.rotation"].sudo()
        named = self.with_context(active_test=False).successor_ids  # archived too
        successors = named
        if not successors:
            rotation = Rotation.search([("team_id", "=", self.team_id.id)], limit=1)
            successors = rotation.member_ids.filtered("present").mapped("user_id")
        successors -= self.user_id
        departed = Rotation._departed_user_ids(successors.ids)
        if named & successors.browse(list(departed)):
            raise UserError(_("A successor has left the office too: %s.") % ", ".join(
                named.browse(list(departed)).mapped("name")))
        successors = successors.filtered(lambda u: u.id not in departed)
        if not successors:
            raise UserError(_("Nobody to hand over to: name successors, or mark "
                              "consultants present on the rotation of %s.")
                            % self.team_id.name)
        return successors

    def _apply_handover(self):
        self.ensure_one()
        leaving = self.user_id
        successors = self._successors()
        Users = self.env["res.users"]
        # sudo: the manager moves records of the leaving consultant that record
        # rules may hide (their customers' phones, other teams' leads)
        rows = self.env["attribution.ownership"].sudo().search(
            [("owner_id", "=", leaving.id)], order="partner_id, id")
        plan = policy.distribute(sorted(set(rows.mapped("partner_id").ids)),
                                 successors.ids)
        names = dict(leaving=leaving.name, manager=self.env.user.name)
        Decision = self.env["attribution.decision"]
        for row in rows:
            customer = row.partner_id
            successor = Users.browse(plan[customer.id])
            Decision._log(
                customer, successor, "H1",
                "H1:%s已离职,经理%s办理离职交接,客户交由%s负责。" % (
                    names["leaving"], names["manager"], successor.name),
                "H1: %s has left the office; the manager %s handed the customer "
                "over to %s." % (names["leaving"], names["manager"], successor.name),
                previous_owner=leaving, team=row.team_id)
        self._hand_over_leads(leaving, successors)
        self._hand_over_claims(leaving, successors, plan)
        self._hand_over_subscriptions(leaving, successors, plan)

    def _hand_over_leads(self, leaving, successors):
        leads = self.env["crm.lead"].sudo().search([
            ("user_id", "=", leaving.id),
            "|", ("stage_id", "=", False),
            ("stage_id.probability", "<", WON_PROBABILITY)], order="id")
        plan = policy.distribute(leads.ids, successors.ids)
        for user_id in set(plan.values()):
            leads.filtered(lambda ld: plan[ld.id] == user_id).write(
                {"user_id": user_id})

    def _successor_for(self, partner_id, record_id, plan, successors):
        if partner_id in plan:
            return self.env["res.users"].browse(plan[partner_id])
        return successors[record_id % len(successors)]

    def _hand_over_claims(self, leaving, successors, plan):
        conflicts = self.env["attribution.conflict"].sudo().search([
            ("claimant_ids", "in", leaving.ids), ("state", "in", LIVE)])
        for conflict in conflicts:
            successor = self._successor_for(conflict.partner_id.id, conflict.id, plan,
                                            successors)
            vals = {"claimant_ids": [(3, leaving.id), (4, successor.id)]}
            if conflict.proposed_owner_id == leaving:
                vals["proposed_owner_id"] = successor.id
            conflict.write(vals)
            conflict.message_post(body=_(
                "H1: %s has left the office; their claim passes to %s.") % (
                    leaving.name, successor.name))

    def _hand_over_subscriptions(self, leaving, successors, plan):
        Followers = self.env["mail.followers"].sudo()
        follows = Followers.search([("partner_id", "=", leaving.partner_id.id)])
        for follow in follows:
            model = self.env.get(follow.res_model)
            if model is None or not hasattr(model, "message_subscribe"):
                continue
            if follow.res_model == "res.partner" and \
                    follow.res_id == leaving.partner_id.id:
                continue  # their own contact
            record = model.sudo().browse(follow.res_id).exists()
            if not record:
                continue
            partner = record if follow.res_model == "res.partner" else \
                record["partner_id"] if "partner_id" in record._fields and \
                record._fields["partner_id"].comodel_name == "res.partner" else None
            successor = self._successor_for(partner.id if partner else None,
                                            record.id, plan, successors)
            record.message_subscribe(partner_ids=successor.partner_id.ids)
            record.message_unsubscribe(partner_ids=leaving.partner_id.ids)
