import datetime
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

from odoo import fields
from odoo.tests.common import SavepointCase

from ..models.attribution_sms_message import backoff


class _Gateway(BaseHTTPRequestHandler):
    """A local SMS gateway: records the posts; answers ``server.status`` after
    sleeping ``server.delay`` seconds."""

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        payload = json.loads(self.rfile.read(length).decode("utf-8"))
        self.server.posts.append(payload)
        if self.server.delay:
            time.sleep(self.server.delay)
        try:
            self.send_response(self.server.status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(
                b'{"ok": true}' if self.server.status == 200 else b'{"error": 1}')
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout test)

    def log_message(self, *args):
        pass


def _free_port():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


class TestSms(SavepointCase):
    """E1-E5 SMS copies: the outbox, the HTTP JSON gateway, retries with back-off."""

    @classmethod
    def setUpClass(cls):
        super(TestSms, cls).setUpClass()
        cls.server = HTTPServer(("127.0.0.1", 0), _Gateway)
        cls.server.posts, cls.server.status, cls.server.delay = [], 200, 0
        cls.thread = threading.Thread(target=cls.server.serve_forever, daemon=True)
        cls.thread.start()
        cls.url = "http://127.0.0.1:%d/sms" % cls.server.server_address[1]
        # only our gateway: the cron uses the first active one
        cls.env["attribution.sms.gateway"].search([]).write({"active": False})
        cls.gateway = cls.env["attribution.sms.gateway"].create({
            "name": "test gateway", "url": cls.url, "timeout": 1.0})
        cls.Sms = cls.env["attribution.sms.message"]
        cls.now = datetime.datetime(2036, 5, 7, 2, 0)

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()
        super(TestSms, cls).tearDownClass()

    def setUp(self):
        super(TestSms, self).setUp()
        self.server.posts[:] = []
        self.server.status, self.server.delay = 200, 0

    def message(self, code="E1"):
        return self.Sms.create({"number": "13800138000", "body": "张总晚上好!距论坛只有2天",
                                "code": code})

    def at(self, minutes):
        return fields.Datetime.to_string(self.now + datetime.timedelta(minutes=minutes))

    def test_E1_sms_posted_as_json(self):
        sms = self.message()
        sent = self.Sms._cron_send(now=self.at(0))
        self.assertEqual(sent, sms.ids)
        self.assertEqual(self.server.posts,
                         [{"to": "13800138000", "body": "张总晚上好!距论坛只有2天"}])
        self.assertEqual((sms.state, sms.attempts, sms.sent_date),
                         ("sent", 1, self.at(0)))
        self.Sms._cron_send(now=self.at(10))
        self.assertEqual(len(self.server.posts), 1,
                         "a sent message is not posted again")

    def test_E1_sms_http_500_stays_queued_with_backoff(self):
        sms = self.message()
        self.server.status = 500
        self.Sms._cron_send(now=self.at(0))
        self.assertEqual((sms.state, sms.attempts), ("queued", 1))
        self.assertIn("HTTP 500", sms.error)
        self.assertEqual(sms.next_try, self.at(1))
        # not before next_try
        self.Sms._cron_send(now=self.at(0.5))
        self.assertEqual(len(self.server.posts), 1)
        self.Sms._cron_send(now=self.at(1))
        self.assertEqual((sms.state, sms.attempts, sms.next_try),
                         ("queued", 2, self.at(3)))
        self.assertEqual(len(self.server.posts), 2)
        self.server.status = 200
        self.Sms._cron_send(now=self.at(3))
        self.assertEqual((sms.state, sms.attempts), ("sent", 3))
        self.assertFalse(sms.error)

    def test_E1_sms_timeout_stays_queued(self):
        sms = self.message()
        self.server.delay = 2.5  # the gateway timeout is 1 second
        self.Sms._cron_send(now=self.at(0))
        self.assertEqual(sms.state, "queued")
        self.assertIn("Timeout", sms.error)
        self.assertEqual(sms.next_try, self.at(1))

    def test_E1_sms_refused_connection_stays_queued(self):
        self.gateway.url = "http://127.0.0.1:%d/sms" % _free_port()
        sms = self.message()
        self.Sms._cron_send(now=self.at(0))
        self.assertEqual((sms.state, sms.attempts), ("queued", 1))
        self.assertIn("Connection failed", sms.error)

    def test_E1_sms_refused_by_gateway_fails(self):
        sms = self.message()
        self.server.status = 400
        self.Sms._cron_send(now=self.at(0))
        self.assertEqual(sms.state, "failed")
        self.assertIn("HTTP 400", sms.error)
        self.Sms._cron_send(now=self.at(60))
        self.assertEqual(len(self.server.posts), 1)
        sms.action_retry()
        self.Sms._cron_send(now=self.at(61))
        self.assertEqual(len(self.server.posts), 2)

    def test_E1_sms_gives_up_after_max_attempts(self):
        sms = self.message()
        self.server.status = 503
        minute = 0
        for _i in range(10):
            self.Sms._cron_send(now=self.at(minute))
            minute += 24 * 60
        self.assertEqual((sms.state, sms.attempts), ("failed", 10))

    def test_E1_sms_backoff_is_exponential_and_capped(self):
        self.assertEqual([backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4)],
                         [1, 2, 4, 8])
        self.assertEqual(backoff(30), datetime.timedelta(days=1))

    def test_E1_sms_without_gateway_waits(self):
        self.gateway.active = False
        sms = self.message()
        self.assertEqual(self.Sms._cron_send(now=self.at(0)), [])
        self.assertEqual(sms.state, "queued")
        self.assertEqual(self.server.posts, [])

    def test_E1_sms_unique_per_registration_and_code(self):
        event = self.env["event.event"].create({
            "name": "t", "date_begin": "2036-05-09 01:00:00",
            "date_end": "2036-05-09 09:00:00", "event_mail_ids": [(5, 0, 0)]})
        reg = self.env["event.registration"].create({"event_id": event.id, "name": "x"})
        self.Sms.create({"registration_id": reg.id, "number": "13800138000",
                         "body": "a", "code": "E1"})
        from psycopg2 import IntegrityError
        from odoo.tools import mute_logger
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), \
                self.env.cr.savepoint():
            self.Sms.create({"registration_id": reg.id, "number": "13800138000",
                             "body": "b", "code": "E1"})
