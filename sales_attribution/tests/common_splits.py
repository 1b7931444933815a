from datetime import timedelta

from odoo import fields
from odoo.tests.common import SavepointCase

from ..attribution import terms
from .common import keep_history, make_user


class SplitsCase(SavepointCase):
    """A sales office of its own: team, rotation, three consultants, a manager."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True,
                                       lang="en_US"))
        keep_history(cls.env)
        consultant = cls.env.ref("sales_attribution.group_consultant")
        manager = cls.env.ref("sales_attribution.group_manager")

        def user(login, name, group):
            return make_user(cls.env, login, name, group,
                             email="%s@example.com" % login)

        cls.alice = user("sa_split_alice", "Alice 王", consultant)
        cls.bob = user("sa_split_bob", "Bob 李", consultant)
        cls.carol = user("sa_split_carol", "Carol 张", consultant)
        cls.manager = user("sa_split_manager", "Manager 陈", manager)
        cls.team = cls.env["crm.team"].create({
            "name": "Split Office", "attribution_bonus_rate": 2.0,
            "member_ids": [(6, 0, (cls.alice | cls.bob | cls.carol).ids)]})
        cls.rotation = cls.env["attribution.rotation"].create({
            "team_id": cls.team.id,
            "member_ids": [(0, 0, {"user_id": u.id, "sequence": seq})
                           for seq, u in ((10, cls.alice), (20, cls.bob),
                                          (30, cls.carol))]})
        cls.won_stage = cls.env["crm.stage"].create({
            "name": "Won (split tests)", "probability": 100, "on_change": True,
            "sequence": 999})
        # the won date of the split lines is the office date of date_closed
        cls.tz = cls.env.user.company_id._attribution_tz()
        cls.today = cls.office_day(fields.Datetime.now())

    # ------------------------------------------------------------------ helpers

    @classmethod
    def office_day(cls, utc):
        """The office date (string) of the UTC datetime string ``utc``."""
        return fields.Date.to_string(
            terms.office_date(fields.Datetime.from_string(utc), cls.tz))

    @classmethod
    def partner(cls, name, owner=None, **vals):
        vals.update(name=name, attribution_owner_id=owner.id if owner else False)
        if owner and "last_followup_date" not in vals:
            # a customer the owner followed up by phone before the visits of the tests
            # (<= 9 days ago): A14 keeps the owner, the visit engine does not hand the
            # customer to the rotation
            vals["last_followup_date"] = fields.Date.to_string(
                fields.Date.from_string(cls.today) - timedelta(days=12))
        return cls.env["res.partner"].create(vals)

    @classmethod
    def visit(cls, partner, receiver, days_ago, companions=None, hour=2):
        """A registered visit ``days_ago`` (>= 1) days ago; owners are not asserted on:
        the visit engine of another branch decides them after the merge."""
        assert days_ago >= 1
        stamp = fields.Datetime.from_string(fields.Datetime.now()).replace(
            hour=hour, minute=0, second=0, microsecond=0) - timedelta(days=days_ago)
        return cls.env["attribution.visit"].create({
            "partner_id": partner.id, "receiver_id": receiver.id,
            "asked_prior_visit": True, "team_id": cls.team.id,
            "visit_datetime": fields.Datetime.to_string(stamp),
            "companion_partner_ids": [(6, 0, companions.ids if companions else [])]})

    @classmethod
    def relation(cls, partner, related, relation_type, **vals):
        vals.update(partner_id=partner.id, related_partner_id=related.id,
                    relation_type=relation_type)
        return cls.env["attribution.relation"].create(vals)

    @classmethod
    def lead(cls, partner, owner, revenue=1000000.0, **vals):
        vals.update({
            "name": "Deal %s" % partner.name, "type": "opportunity",
            "partner_id": partner.id, "user_id": owner.id if owner else False,
            "team_id": cls.team.id, "planned_revenue": revenue})
        return cls.env["crm.lead"].create(vals)

    def rule_shared_conflict(self, customer):
        """A6: the manager rules the customer's conflict between Alice and Bob as a
        shared deal, 60/70 to Alice, 40/30 to Bob (performance/bonus)."""
        conflict = self.env["attribution.conflict"].create({
            "partner_id": customer.id, "team_id": self.team.id,
            "claimant_ids": [(6, 0, (self.alice | self.bob).ids)],
            "winner_id": self.alice.id,
            "share_line_ids": [
                (0, 0, {"user_id": self.alice.id, "role": "co_owner",
                        "performance_share": 60, "bonus_share": 70}),
                (0, 0, {"user_id": self.bob.id, "role": "co_owner",
                        "performance_share": 40, "bonus_share": 30})]})
        conflict.action_rule()
        return conflict

    def win(self, lead):
        lead.action_set_won()
        return lead.split_line_ids

    def shares(self, lead):
        """{(user, role): (performance %, bonus %, rule code)} of the lead's lines."""
        return {(line.user_id, line.role): (line.performance_share, line.bonus_share,
                                            line.rule_code)
                for line in lead.split_line_ids}

    def assertReconciles(self, lead):
        lines = lead.split_line_ids
        self.assertAlmostEqual(sum(lines.mapped("performance_share")), 100.0, places=2)
        self.assertAlmostEqual(sum(lines.mapped("bonus_share")), 100.0, places=2)
        self.assertEqual(round(sum(lines.mapped("performance_amount")), 2),
                         round(lead.planned_revenue, 2))
        rate = lead.team_id.attribution_bonus_rate
        pool = round(lead.planned_revenue * rate / 100, 2)
        self.assertEqual(round(sum(lines.mapped("bonus_amount")), 2), pool)
