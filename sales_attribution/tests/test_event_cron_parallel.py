import threading
import time

from odoo import SUPERUSER_ID, api
from odoo.tools import config
from odoo.tests.common import TransactionCase, at_install, post_install

from .event_common import build_office, utc
from .parallel import run_in_parallel, worker_env


@at_install(False)
@post_install(True)
class TestEventCronParallel(TransactionCase):
    """Two cron workers run the E1-E5 job at the same moment, each in its own
    transaction: every registration gets every code exactly once.

    The data is committed (the workers must see it) and removed by the test. Runs
    after the install (post_install): during the install the loading thread holds
    the registry lock and the workers hang. Odoo 11 runs post_install tests also
    without demo data, where this addon runs no test (bin/test's nodemo phase): the
    class is left out there (see the end of the file)."""

    def setUp(self):
        super(TestEventCronParallel, self).setUp()
        self.registry_ = self.env.registry
        with api.Environment.manage(), self.registry_.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            office = build_office(env, prefix="parallel_")
            self.event_id = office["event"].id
            self.reg_ids = {k: r.id for k, r in office["regs"].items()}
            self.partner_ids = [p.id for p in office["partners"].values()]
            self.industry_ids = [i.id for i in office["industries"].values()]
            self.user_id = office["consultant"].id
            self.user_partner_id = office["consultant"].partner_id.id
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with api.Environment.manage(), self.registry_.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            reg_ids = list(self.reg_ids.values())
            env["mail.activity"].search([
                ("res_model", "=", "event.registration"),
                ("res_id", "in", reg_ids)]).unlink()
            env["mail.mail"].search([
                ("model", "=", "event.registration"),
                ("res_id", "in", reg_ids)]).unlink()
            env["mail.message"].search([
                "|",
                "&", ("model", "=", "event.registration"), ("res_id", "in", reg_ids),
                "&", ("model", "=", "event.event"), ("res_id", "=", self.event_id),
            ]).unlink()
            env["event.registration"].browse(reg_ids).unlink()
            env["event.event"].browse(self.event_id).unlink()
            env["res.partner"].browse(self.partner_ids).unlink()
            env["res.partner.industry"].browse(self.industry_ids).unlink()
            try:
                with cr.savepoint():
                    env["res.users"].browse(self.user_id).unlink()
                    env["res.partner"].browse(self.user_partner_id).unlink()
            except Exception:  # a user referenced elsewhere: leave it inactive
                env["res.users"].browse(self.user_id).write({"active": False})

    def _run_parallel(self, now, workers=2):
        def work(_index):
            with worker_env(self.registry_) as env:
                return env["event.registration"]._cron_attribution_messages(now=now)
        return run_in_parallel(work, workers)

    def _counts(self):
        with api.Environment.manage(), self.registry_.cursor() as cr:
            cr.execute(
                "SELECT registration_id, code, count(*) FROM attribution_message_log "
                "WHERE registration_id IN %s AND state = 'sent' "
                "GROUP BY registration_id, code", (tuple(self.reg_ids.values()),))
            logs = {(r, c): n for r, c, n in cr.fetchall()}
            cr.execute(
                "SELECT res_id, count(*) FROM mail_mail m JOIN mail_message mm "
                "ON mm.id = m.mail_message_id WHERE mm.model = 'event.registration' "
                "AND mm.res_id IN %s GROUP BY res_id", (tuple(self.reg_ids.values()),))
            mails = dict(cr.fetchall())
            cr.execute(
                "SELECT registration_id, code, count(*) FROM attribution_sms_message "
                "WHERE registration_id IN %s GROUP BY registration_id, code",
                (tuple(self.reg_ids.values()),))
            sms = {(r, c): n for r, c, n in cr.fetchall()}
            cr.execute(
                "SELECT res_id, count(*) FROM mail_activity WHERE res_model = "
                "'event.registration' AND res_id IN %s GROUP BY res_id",
                (tuple(self.reg_ids.values()),))
            calls = dict(cr.fetchall())
            cr.execute(
                "SELECT count(*) FROM mail_message WHERE model = 'event.event' "
                "AND res_id = %s AND body LIKE %s",
                (self.event_id, "%Guest messages skipped%"))
            skip_notes = cr.fetchone()[0]
        return logs, mails, sms, calls, skip_notes

    def test_E1_double_cron_sends_each_code_once(self):
        sendable = ("service", "agency", "fmcg", "industrial", "generic", "sms_only")
        # 00:30 local on the event day: E1, E2 and E3 are all due
        results = self._run_parallel(utc(9, 0, 30))
        sent = sorted(pair for result in results for pair in result["sent"])
        expected = sorted((self.reg_ids[k], code) for k in sendable
                          for code in ("E1", "E2", "E3"))
        self.assertEqual(sent, expected, "each (registration, code) sent by one worker")
        # after the event, two workers again: the letters to the absentees
        with api.Environment.manage(), self.registry_.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["event.registration"].browse(
                [self.reg_ids[k] for k in ("service", "agency")]).write(
                    {"state": "done"})
        results = self._run_parallel(utc(10, 18))
        sent = sorted(pair for result in results for pair in result["sent"])
        absent = ("fmcg", "industrial", "generic", "sms_only")
        # one letter each (the default: gift and survey in one, E4)
        self.assertEqual(sent, sorted((self.reg_ids[k], "E4") for k in absent))
        logs, mails, sms, calls, skip_notes = self._counts()
        expected_logs = {(self.reg_ids[k], c): 1 for k in sendable
                         for c in ("E1", "E2", "E3")}
        expected_logs.update({(self.reg_ids[k], "E4"): 1 for k in absent})
        self.assertEqual(logs, expected_logs)
        with_mail = ("service", "agency", "fmcg", "industrial", "generic")
        self.assertEqual(mails, {self.reg_ids[k]: 2 + (1 if k in absent else 0)
                                 for k in with_mail})
        with_mobile = ("service", "agency", "fmcg", "industrial", "sms_only")
        self.assertEqual(sms, dict(
            [((self.reg_ids[k], c), 1) for k in with_mobile for c in ("E1", "E2")]
            + [((self.reg_ids[k], "E4"), 1) for k in with_mobile if k in absent]))
        self.assertEqual(calls, {self.reg_ids[k]: 1 for k in sendable})
        self.assertEqual(skip_notes, 2, "one note per run listing the new skips")

    def test_E1R_double_cron_with_the_event_postponed_sends_once(self):
        """E1 went out, then the event moved a week: two workers send one
        re-confirmation (E1R) each, nothing on the old dates, E2 once on the new
        evening before."""
        sendable = ("service", "agency", "fmcg", "industrial", "generic", "sms_only")
        self._run_parallel(utc(7, 10))
        with api.Environment.manage(), self.registry_.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            event = env["event.event"].browse(self.event_id)
            event.write({"date_begin": "2036-05-16 01:00:00",
                         "date_end": "2036-05-17 09:00:00"})
        results = self._run_parallel(utc(8, 12))
        sent = sorted(pair for result in results for pair in result["sent"])
        self.assertEqual(sent, sorted((self.reg_ids[k], "E1R") for k in sendable))
        for now in (utc(8, 18, 30), utc(9, 0, 30), utc(8, 13)):
            results = self._run_parallel(now)
            self.assertEqual([p for r in results for p in r["sent"]], [], now)
        results = self._run_parallel(utc(15, 18, 30))
        sent = sorted(pair for result in results for pair in result["sent"])
        self.assertEqual(sent, sorted((self.reg_ids[k], "E2") for k in sendable))
        logs, _mails, sms, calls, _notes = self._counts()
        self.assertEqual(set(logs.values()), {1})
        self.assertEqual(sorted(c for (r, c) in logs if c == "E1R"),
                         ["E1R"] * len(sendable))
        with_mobile = ("service", "agency", "fmcg", "industrial", "sms_only")
        self.assertEqual(sorted(r for (r, c) in sms if c == "E1R"),
                         sorted(self.reg_ids[k] for k in with_mobile))
        # one re-confirmation call per guest told (no E3 yet: the new day is ahead)
        self.assertEqual(calls, {self.reg_ids[k]: 1 for k in sendable})

    def test_E2_E3_double_cron_after_a_postponement_send_once_per_date(self):
        """E1, E2 and E3 went out for the old day (the call made), then the event
        moved a week: two workers send the new eve's E2 and the new day's E3 once
        per guest, nothing twice."""
        sendable = ("service", "agency", "fmcg", "industrial", "generic", "sms_only")
        self._run_parallel(utc(9, 0, 30))
        with api.Environment.manage(), self.registry_.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            regs = env["event.registration"].browse(list(self.reg_ids.values()))
            regs.mapped("call_activity_id").action_done()  # the calls were made
            env["event.event"].browse(self.event_id).write({
                "date_begin": "2036-05-16 01:00:00",
                "date_end": "2036-05-17 09:00:00"})
        results = self._run_parallel(utc(15, 18, 30))
        sent = sorted(pair for result in results for pair in result["sent"])
        self.assertEqual(sent, sorted((self.reg_ids[k], c) for k in sendable
                                      for c in ("E1R", "E2")))
        results = self._run_parallel(utc(16, 0, 30))
        sent = sorted(pair for result in results for pair in result["sent"])
        self.assertEqual(sent, sorted((self.reg_ids[k], "E3") for k in sendable))
        for now in (utc(16, 0, 45), utc(16, 8)):
            results = self._run_parallel(now)
            self.assertEqual([p for r in results for p in r["sent"]], [], now)
        logs, _mails, sms, calls, _notes = self._counts()
        self.assertEqual(logs, dict(
            [((self.reg_ids[k], c), 1) for k in sendable for c in ("E1", "E1R")]
            + [((self.reg_ids[k], c), 2) for k in sendable for c in ("E2", "E3")]))
        with_mobile = ("service", "agency", "fmcg", "industrial", "sms_only")
        self.assertEqual({key: n for key, n in sms.items() if key[1] == "E2"},
                         {(self.reg_ids[k], "E2"): 2 for k in with_mobile})
        # pending now: the new day's call and the re-confirmation call per guest
        self.assertEqual(calls, {self.reg_ids[k]: 2 for k in sendable})

    def test_E1_worker_behind_an_uncommitted_claim_sends_nothing(self):
        """Worker A has sent but not yet committed when worker B starts: B waits on
        A's claims, then finds them taken (serialization failure in a savepoint)
        and sends nothing, without failing."""
        a_done = threading.Event()
        now = utc(9, 0, 30)

        def worker(index):
            name = "ab"[index]
            with worker_env(self.registry_) as env:
                if name == "b":
                    a_done.wait(30)
                result = env["event.registration"]._cron_attribution_messages(now=now)
                if name == "a":
                    a_done.set()
                    time.sleep(2)  # B starts and blocks on our claims
            return result

        results = dict(zip("ab", run_in_parallel(worker, workers=2)))
        sendable = ("service", "agency", "fmcg", "industrial", "generic", "sms_only")
        self.assertEqual(sorted(results["a"]["sent"]),
                         sorted((self.reg_ids[k], c) for k in sendable
                                for c in ("E1", "E2", "E3")))
        self.assertEqual(results["b"]["sent"], [])
        logs, mails, sms, calls, skip_notes = self._counts()
        self.assertEqual(set(logs.values()), {1})
        self.assertEqual(len(logs), 18)
        self.assertEqual(calls, {self.reg_ids[k]: 1 for k in sendable})
        self.assertEqual(skip_notes, 1)


if config.get("without_demo"):
    # not even "skipped": bin/test's nodemo phase checks that no Python test ran
    del TestEventCronParallel
