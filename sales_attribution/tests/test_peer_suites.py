"""What Odoo's own suites do beside the addon (bin/test's peer phase found these)."""
from odoo.tests.common import SavepointCase

from .common import make_user


class TestPeerSuites(SavepointCase):

    def test_crm_salesman_outside_the_office_creates_a_customer(self):
        # crm's test_lead2opportunity: a salesman of crm's groups only converts a lead
        # and creates its customer; the customer's stored visit dates are computed
        # without the salesman reading visits (no AccessError)
        salesman = make_user(self.env, "sa_peer_crm_only", "CRM only",
                             self.env.ref("sales_team.group_sale_salesman"))
        partner = self.env["res.partner"].sudo(salesman).create({"name": "Peer 客户"})
        self.assertFalse(partner.sudo().first_visit_date)
