from odoo.exceptions import UserError

from .common import AttributionCase


class TestRelationAccess(AttributionCase):
    """A relation (family, friend, referral) moves shares (B1, B2, B3a, A9): a
    consultant records relations between customers they may see, and one with a
    colleague's customer is the manager's, refused in words (not an access error
    inside a constraint check)."""

    def setUp(self):
        super().setUp()
        self.mine = self.customer("甲先生", self.zhang)
        self.mine_too = self.customer("乙女士", self.zhang)
        self.theirs = self.customer("丙先生", self.li)
        self.Rel = self.env["attribution.relation"].sudo(self.zhang)

    def assert_refused_in_words(self, func):
        with self.assertRaises(UserError) as caught:
            with self.env.cr.savepoint():
                func()
        message = caught.exception.name
        self.assertIn("sales manager", message)
        self.assertNotIn("丙先生", message)
        self.assertNotIn("constraint", message)

    def test_relation_between_own_customers_is_recorded(self):
        rel = self.Rel.create({"partner_id": self.mine.id,
                               "related_partner_id": self.mine_too.id,
                               "relation_type": "spouse"})
        self.assertEqual(rel.inverse_id.partner_id, self.mine_too)

    def test_relation_with_colleagues_customer_refused_in_words(self):
        mine, theirs = self.mine.id, self.theirs.id
        for vals in ({"partner_id": mine, "related_partner_id": theirs},
                     {"partner_id": theirs, "related_partner_id": mine}):
            self.assert_refused_in_words(
                lambda: self.Rel.create(dict(vals, relation_type="friend")))
        self.assertFalse(self.env["attribution.relation"].search(
            [("partner_id", "=", self.theirs.id)]))

    def test_relation_repointed_to_colleagues_customer_refused_in_words(self):
        rel = self.Rel.create({"partner_id": self.mine.id,
                               "related_partner_id": self.mine_too.id,
                               "relation_type": "spouse"})
        for field in ("partner_id", "related_partner_id"):
            self.assert_refused_in_words(lambda: rel.write({field: self.theirs.id}))
        self.assertEqual(rel.sudo().related_partner_id, self.mine_too)

    def test_manager_records_relation_with_any_customer(self):
        rel = self.env["attribution.relation"].sudo(self.manager).create({
            "partner_id": self.mine.id, "related_partner_id": self.theirs.id,
            "relation_type": "friend"})
        self.assertEqual(rel.sudo().inverse_id.partner_id, self.theirs)
