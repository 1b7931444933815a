"""Two customers never share a number, also when two desks save the same new number at
the same moment in two transactions: the unique index on ``attribution.partner.phone``
makes the second wait for the first and refuse, in words naming the first customer.

The data is committed by worker threads with cursors of their own and removed at the
end (see test_rotation_parallel for why this runs post-install).
"""
import random
import uuid

from odoo import api
from odoo.exceptions import UserError, ValidationError
from odoo.tests.common import TransactionCase, at_install, post_install

from .parallel import run_in_parallel, worker_env


@at_install(False)
@post_install(True)
class TestPartnerPhonesParallel(TransactionCase):

    def test_parallel_customers_with_one_new_number_one_is_refused(self):
        tag = uuid.uuid4().hex[:8]
        number = "1370099%04d" % random.randint(0, 9999)

        def work(index):
            with worker_env(self.registry) as env:
                try:
                    partner = env["res.partner"].create({
                        "name": "Parallel %s %s" % (tag, index), "mobile": number})
                except (UserError, ValidationError) as err:
                    env.cr.rollback()
                    return err.name
                env.cr.commit()
                return partner.id

        try:
            results = run_in_parallel(work, workers=2)
            created = [r for r in results if isinstance(r, int)]
            refused = [r for r in results if isinstance(r, str)]
            self.assertEqual(len(created), 1, results)
            self.assertEqual(len(refused), 1, results)
            self.assertIn("Parallel %s" % tag, refused[0])
            with api.Environment.manage(), self.registry.cursor() as cr:
                cr.execute("SELECT partner_id FROM attribution_partner_phone "
                           "WHERE phone = %s", (number,))
                self.assertEqual([r[0] for r in cr.fetchall()], created)
        finally:
            with worker_env(self.registry) as env:
                env["res.partner"].search([("name", "like", "Parallel %s" % tag)]
                                          ).unlink()
