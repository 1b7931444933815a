"""A3 under parallel workers: walk-ins registered at the same moment in several
transactions are served one after the other, in turn order, no turn given twice or
skipped.

Each registration runs in its own thread with its own cursor and commits, the way
Odoo's RPC layer runs it (``odoo.service.model.check``): under REPEATABLE READ the
worker that waited on the rotation row (``SELECT ... FOR UPDATE``) gets a serialization
failure once the first commits and is retried from scratch. The data therefore has to
be committed: the test sets it up from a separate cursor and removes it at the end.
The test's own transaction writes nothing, so it holds no lock the workers could wait
for.

It runs post-install: at install time the loading thread holds the registry lock
(``Registry._lock``) while it runs the tests, and a worker building an ``Environment``
would wait for it forever.
"""
import logging
import random
import threading
import time
import uuid

from psycopg2 import OperationalError

from odoo import SUPERUSER_ID, api
from odoo.service import model as rpc_model
from odoo.service.model import PG_CONCURRENCY_ERRORS_TO_RETRY
from odoo.tests.common import TransactionCase, at_install, post_install

WORKERS = 8
MAX_TRIES = 12

_logger = logging.getLogger(__name__)


@at_install(False)
@post_install(True)
class TestRotationParallel(TransactionCase):

    def _env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True,
                                                  "no_reset_password": True})

    def _setup_office(self):
        tag = uuid.uuid4().hex[:8]
        with api.Environment.manage(), self.registry.cursor() as cr:
            env = self._env(cr)
            group = env.ref("sales_attribution.group_consultant")
            team = env["crm.team"].create({"name": "Parallel %s" % tag})
            users = env["res.users"]
            for index in range(4):
                users |= env["res.users"].create({
                    "name": "Parallel %s %s" % (tag, index),
                    "login": "sa_parallel_%s_%s" % (tag, index),
                    "notification_type": "inbox",
                    "groups_id": [(6, 0, group.ids)]})
            rotation = env["attribution.rotation"].create({
                "team_id": team.id,
                "member_ids": [(0, 0, {"user_id": u.id}) for u in users]})
            cr.commit()
            return tag, team.id, rotation.id, users.ids, \
                rotation.member_ids.sorted("sequence").mapped("user_id").ids

    def _cleanup(self, tag, team_id, rotation_id, user_ids):
        with api.Environment.manage(), self.registry.cursor() as cr:
            env = self._env(cr)
            visits = env["attribution.visit"].search([("team_id", "=", team_id)])
            partners = visits.mapped("partner_id")
            env["attribution.decision"].search(
                [("partner_id", "in", partners.ids)]).unlink()
            visits.unlink()
            env["mail.message"].search([
                ("model", "=", "res.partner"), ("res_id", "in", partners.ids)]).unlink()
            env["mail.message"].search([
                ("model", "=", "attribution.visit"),
                ("res_id", "in", visits.ids)]).unlink()
            partners.unlink()
            env["attribution.rotation"].browse(rotation_id).unlink()
            env["crm.team"].browse(team_id).unlink()
            cr.commit()
            users = env["res.users"].browse(user_ids)
            user_partners = users.mapped("partner_id")
            try:
                with cr.savepoint():
                    users.unlink()
                    user_partners.unlink()
            except Exception:  # referenced elsewhere: keep them out of the way
                users.write({"active": False})
            cr.commit()

    def _register(self, team_id, phone, barrier, results, errors, extra=None):
        thread = threading.current_thread()
        thread.dbname = self.registry.db_name
        thread.testing = True
        barrier.wait(60)
        for tries in range(MAX_TRIES):
            try:
                with api.Environment.manage(), self.registry.cursor() as cr:
                    env = self._env(cr)
                    vals = {"phone": phone, "team_id": team_id, "kind": "walk_in"}
                    vals.update(extra or {})
                    visit = env["attribution.visit"].create(vals)
                    cr.commit()
                    results.append(visit.id)
                    return
            except OperationalError as err:
                if err.pgcode not in PG_CONCURRENCY_ERRORS_TO_RETRY:
                    errors.append(err)
                    return
                _logger.info("walk-in %s: concurrency failure (%s), retry %s", phone,
                             err.pgcode, tries + 1)
                time.sleep(random.uniform(0.0, 0.05 * 2 ** min(tries, 4)))
            except Exception as err:  # reported to the main thread
                errors.append(err)
                return
        errors.append(RuntimeError("gave up after %s tries" % MAX_TRIES))

    def test_A03_parallel_walk_ins_are_served_in_turn(self):
        tag, team_id, rotation_id, user_ids, order = self._setup_office()
        try:
            barrier = threading.Barrier(WORKERS)
            results, errors = [], []
            phones = ["1370013%04d" % random.randint(0, 9999) for _i in range(WORKERS)]
            while len(set(phones)) < WORKERS:
                phones = ["1370013%04d" % random.randint(0, 9999)
                          for _i in range(WORKERS)]
            threads = [threading.Thread(target=self._register,
                                        args=(team_id, phone, barrier, results, errors))
                       for phone in phones]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(120)
            self.assertFalse(errors, errors)
            self.assertEqual(len(results), WORKERS)
            with api.Environment.manage(), self.registry.cursor() as cr:
                env = self._env(cr)
                visits = env["attribution.visit"].browse(results)
                # the decision is written while the rotation row is locked, so the
                # decision ids give the order in which the turns were served
                served = visits.sorted(lambda v: v.decision_id.id)
                self.assertEqual([v.owner_id.id for v in served],
                                 (order * 2)[:WORKERS])
                self.assertEqual(set(served.mapped("rule_code")), {"A3"})
                rotation = env["attribution.rotation"].browse(rotation_id)
                members = rotation.member_ids.sorted("sequence")
                self.assertEqual(rotation.last_sequence,
                                 members[(WORKERS - 1) % len(members)].sequence)
        finally:
            self._cleanup(tag, team_id, rotation_id, user_ids)

    def test_A10_parallel_visits_of_one_customer_open_one_conflict(self):
        """The customer's row is locked: two desks registering the same customer at
        the same moment with different receivers cannot both open a conflict."""
        tag, team_id, rotation_id, user_ids, order = self._setup_office()
        phone = "1360013%04d" % random.randint(0, 9999)
        try:
            with api.Environment.manage(), self.registry.cursor() as cr:
                env = self._env(cr)
                first = env["attribution.visit"].create({
                    "phone": phone, "team_id": team_id, "receiver_id": order[0],
                    "asked_prior_visit": True})
                self.assertEqual(first.owner_id.id, order[0])
                cr.commit()
            workers = 4
            barrier = threading.Barrier(workers)
            results, errors = [], []
            threads = [threading.Thread(target=self._register, args=(
                team_id, phone, barrier, results, errors, {
                    "receiver_id": order[1 + index % 3], "asked_prior_visit": True,
                    "customer_recalls_consultant": True}))
                for index in range(workers)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(120)
            self.assertFalse(errors, errors)
            self.assertEqual(len(results), workers)
            with api.Environment.manage(), self.registry.cursor() as cr:
                env = self._env(cr)
                visits = env["attribution.visit"].browse(results)
                partner = visits.mapped("partner_id")
                self.assertEqual(len(partner), 1)
                conflicts = env["attribution.conflict"].search(
                    [("partner_id", "=", partner.id)])
                self.assertEqual(len(conflicts), 1)
                self.assertEqual(partner.attribution_owner_id.id, order[0])
                self.assertEqual(set(visits.mapped("owner_id").ids), {order[0]})
        finally:
            with api.Environment.manage(), self.registry.cursor() as cr:
                env = self._env(cr)
                conflicts = env["attribution.conflict"].search(
                    [("team_id", "=", team_id)])
                env["mail.activity"].search([
                    ("res_model", "=", "attribution.conflict"),
                    ("res_id", "in", conflicts.ids)]).unlink()
                env["attribution.decision"].search(
                    [("conflict_id", "in", conflicts.ids)]).unlink()
                conflicts.unlink()
                cr.commit()
            self._cleanup(tag, team_id, rotation_id, user_ids)

    def test_A03_xmlrpc_create_with_a_phone_alone(self):
        """The RPC entry point (what XML-RPC ``execute_kw`` runs, with its own cursor
        and commit) finds the customer by normalised phone like the form does."""
        tag, team_id, rotation_id, user_ids, order = self._setup_office()
        try:
            with api.Environment.manage(), self.registry.cursor() as cr:
                env = self._env(cr)
                partner = env["res.partner"].create({
                    "name": "RPC %s" % tag, "mobile": "+86 135 0013 %04d"
                    % random.randint(0, 9999)})
                phone = partner.attribution_phone
                cr.commit()
            visit_id = rpc_model.execute_kw(
                self.registry.db_name, SUPERUSER_ID, "attribution.visit", "create",
                [{"phone": "%s-%s-%s" % (phone[:3], phone[3:7], phone[7:]),
                  "team_id": team_id}])
            with api.Environment.manage(), self.registry.cursor() as cr:
                env = self._env(cr)
                visit = env["attribution.visit"].browse(visit_id)
                self.assertEqual(visit.partner_id.id, partner.id)
                self.assertEqual((visit.rule_code, visit.owner_id.id), ("A3", order[0]))
        finally:
            self._cleanup(tag, team_id, rotation_id, user_ids)
