from odoo.exceptions import AccessError, ValidationError
from odoo.tests.common import SavepointCase


class TestAccess(SavepointCase):
    """Foundation security (SPEC section 6) and constraints, as the real users."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        Users = cls.env["res.users"].with_context(no_reset_password=True)
        consultant_group = cls.env.ref("sales_attribution.group_consultant")
        manager_group = cls.env.ref("sales_attribution.group_manager")
        cls.consultant = Users.create({
            "name": "Access Consultant", "login": "sa_access_consultant",
            "groups_id": [(6, 0, [consultant_group.id])]})
        cls.other = Users.create({
            "name": "Access Other", "login": "sa_access_other",
            "groups_id": [(6, 0, [consultant_group.id])]})
        cls.manager = Users.create({
            "name": "Access Manager", "login": "sa_access_manager",
            "groups_id": [(6, 0, [manager_group.id])]})
        Partner = cls.env["res.partner"]
        cls.own = Partner.create({"name": "Own Customer", "customer": True,
                                  "mobile": "13911110001",
                                  "attribution_owner_id": cls.consultant.id})
        cls.foreign = Partner.create({"name": "Foreign Customer", "customer": True,
                                      "mobile": "13911110002",
                                      "attribution_owner_id": cls.other.id})
        cls.decision = cls.env["attribution.decision"].create({
            "partner_id": cls.own.id, "owner_id": cls.consultant.id,
            "receiver_id": cls.consultant.id, "rule_code": "A1",
            "explanation": "A1: first reception."})
        cls.lead = cls.env["crm.lead"].create({
            "name": "Access Deal", "type": "opportunity", "partner_id": cls.own.id,
            "user_id": cls.consultant.id})

    # consultant ------------------------------------------------------------------
    def test_consultant_reads_own_customer(self):
        self.assertEqual(self.own.sudo(self.consultant).mobile, "13911110001")

    def test_consultant_cannot_read_other_consultants_customer(self):
        with self.assertRaises(AccessError):
            self.foreign.sudo(self.consultant).read(["phone"])
        found = self.env["res.partner"].sudo(self.consultant).search(
            [("id", "=", self.foreign.id)])
        self.assertFalse(found)

    def test_consultant_cannot_write_or_unlink_decision(self):
        decision = self.decision.sudo(self.consultant)
        self.assertEqual(decision.rule_code, "A1")
        with self.assertRaises(AccessError):
            decision.write({"explanation": "changed"})
        with self.assertRaises(AccessError):
            decision.unlink()

    def test_consultant_cannot_create_split_lines(self):
        with self.assertRaises(AccessError):
            self.env["attribution.split.line"].sudo(self.consultant).create({
                "lead_id": self.lead.id, "user_id": self.consultant.id,
                "performance_share": 100, "bonus_share": 100})

    # manager ---------------------------------------------------------------------
    def test_manager_reads_all_customers(self):
        partners = self.env["res.partner"].sudo(self.manager).search(
            [("id", "in", (self.own | self.foreign).ids)])
        self.assertEqual(partners, self.own | self.foreign)
        self.assertEqual(self.foreign.sudo(self.manager).mobile, "13911110002")

    def test_manager_cannot_write_or_unlink_decision(self):
        decision = self.decision.sudo(self.manager)
        with self.assertRaises(AccessError):
            decision.write({"explanation": "changed"})
        with self.assertRaises(AccessError):
            decision.unlink()
        self.assertEqual(self.decision.explanation, "A1: first reception.")

    # constraints -----------------------------------------------------------------
    def test_relation_cannot_point_to_itself(self):
        Relation = self.env["attribution.relation"]
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            Relation.create({"partner_id": self.own.id,
                             "related_partner_id": self.own.id,
                             "relation_type": "friend"})
        self.assertFalse(Relation.search([("partner_id", "=", self.own.id)]))

    def test_unit_count_at_least_one(self):
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.lead.write({"unit_count": 0})
        self.assertEqual(self.lead.unit_count, 1)
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.env["crm.lead"].create({"name": "No Units", "unit_count": 0})
        self.assertFalse(self.env["crm.lead"].search([("name", "=", "No Units")]))

    def test_shares_between_0_and_100(self):
        Line = self.env["attribution.split.line"]
        for share in (-1, 100.5):
            with self.assertRaises(ValidationError), self.env.cr.savepoint():
                Line.create({"lead_id": self.lead.id, "user_id": self.consultant.id,
                             "performance_share": share, "bonus_share": 50})
        self.assertFalse(Line.search([("lead_id", "=", self.lead.id)]))
        conflict = self.env["attribution.conflict"].create({"partner_id": self.own.id})
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.env["attribution.conflict.share"].create({
                "conflict_id": conflict.id, "performance_share": 50,
                "bonus_share": 101})
        self.assertFalse(conflict.share_line_ids)
