"""Fake SMS providers on 127.0.0.1 for the outbox tests: each answers as the
provider's API does (Alibaba Cloud dysmsapi RPC: the query string in, JSON
``{Code, Message, RequestId, BizId}`` out; Tencent Cloud API 3.0: a JSON body in,
``{"Response": {...}}`` out), from a script of answers the test sets."""
import datetime
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from socketserver import ThreadingMixIn
from urllib.parse import parse_qsl, urlsplit

from odoo import fields

from ..attribution import terms

#: event: 09:00 Beijing on 9 May 2036; E1 is due from 09:00 on 7 May
DATE_BEGIN = datetime.datetime(2036, 5, 9, 1, 0)
DATE_END = datetime.datetime(2036, 5, 9, 9, 0)

ALIYUN_OK = (200, {"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0",
                   "RequestId": "F655A8D5-B967-440B-8683-DAD6FF8DE990"})
#: SMS flow control (per number and minute): HTTP 200, a business code
ALIYUN_FLOW_CONTROL = (200, {"Code": "isv.BUSINESS_LIMIT_CONTROL",
                             "Message": "触发分钟级流控Permits:1",
                             "RequestId": "A1B2C3D4-0000-0000-0000-000000000001"})
#: API throttling: HTTP 400 with a Throttling code
ALIYUN_THROTTLED = (400, {"Code": "Throttling.User",
                          "Message": "Request was denied due to user flow control.",
                          "RequestId": "A1B2C3D4-0000-0000-0000-000000000002"})
ALIYUN_TEMPLATE_ILLEGAL = (200, {"Code": "isv.SMS_TEMPLATE_ILLEGAL",
                                 "Message": "该账号下找不到对应模板",
                                 "RequestId": "A1B2C3D4-0000-0000-0000-000000000003"})


def tencent_status(code="Ok", message="send success", number="+8613800138000"):
    return (200, {"Response": {
        "SendStatusSet": [{"SerialNo": "5000:1045710669157053657849499619",
                           "PhoneNumber": number, "Fee": 1, "SessionContext": "",
                           "Code": code, "Message": message, "IsoCode": "CN"}],
        "RequestId": "a0aabda6-cf91-4f3e-a81f-9198114a2279"}})


def tencent_error(code, message):
    return (200, {"Response": {"Error": {"Code": code, "Message": message},
                               "RequestId": "b1bbcdb7-0000-0000-0000-000000000001"}})


TENCENT_OK = tencent_status()
TENCENT_THROTTLED = tencent_error("RequestLimitExceeded", "请求的次数超过了频率限制。")
TENCENT_NUMBER_LIMIT = tencent_status(
    "LimitExceeded.PhoneNumberThirtySecondLimit",
    "the number of sms messages sent from a single mobile number within 30 seconds "
    "exceeds the upper limit")
TENCENT_TEMPLATE_UNAPPROVED = tencent_error(
    "FailedOperation.TemplateIncorrectOrUnapproved",
    "template is not approved or request content does not match the approved "
    "template content")


class _Provider(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        server = self.server
        query = dict(parse_qsl(urlsplit(self.path).query))
        server.requests.append({"query": query, "headers": dict(self.headers),
                                "json": json.loads(body.decode()) if body else None})
        status, answer = server.script.pop(0) if server.script else server.default
        data = json.dumps(answer, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", server.content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


class _Server(ThreadingMixIn, HTTPServer):
    daemon_threads = True


def start_provider(default, content_type="application/json;charset=utf-8"):
    """A fake provider answering ``default`` (``(status, json)``) unless
    ``server.script`` holds answers (popped in order), with the provider's
    ``Content-Type`` (Alibaba Cloud's by default; Tencent Cloud answers
    ``application/json``); ``server.requests`` records each request (``query``,
    ``headers``, ``json``)."""
    server = _Server(("127.0.0.1", 0), _Provider)
    server.requests, server.script, server.default = [], [], default
    server.content_type = content_type
    threading.Thread(target=server.serve_forever, daemon=True).start()
    server.endpoint = "http://127.0.0.1:%d" % server.server_address[1]
    return server


def stop_provider(server):
    server.shutdown()
    server.server_close()


def beijing(day, hour, minute=0):
    """Naive UTC of May ``day`` 2036 ``hour``:``minute`` Beijing time."""
    return terms.utc_from_office(datetime.datetime(2036, 5, day, hour, minute),
                                 "Asia/Shanghai")


class SmsOffice(object):
    """An event, a guest and helpers to queue E1 through the outbox's ``_queue``."""

    @classmethod
    def start_generic_gateway(cls, name, handler):
        """Serve ``handler`` (a local gateway, e.g. ``test_sms._Gateway``) on
        127.0.0.1 as ``cls.server`` (``posts`` recorded, ``status`` answered, no
        ``delay``) and make the generic ``http`` gateway ``name`` posting to it
        (``cls.gateway``); :meth:`stop_generic_gateway` stops it."""
        cls.server = HTTPServer(("127.0.0.1", 0), handler)
        cls.server.posts, cls.server.status, cls.server.delay = [], 200, 0
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()
        cls.gateway = cls.env["attribution.sms.gateway"].create({
            "name": name, "timeout": 2.0, "reply_token": "s3cret",
            "url": "http://127.0.0.1:%d/sms" % cls.server.server_address[1]})

    @classmethod
    def stop_generic_gateway(cls):
        cls.server.shutdown()
        cls.server.server_close()

    @classmethod
    def build_sms_office(cls):
        env = cls.env
        cls.company = env.user.company_id
        cls.company.write({"attribution_timezone": "Asia/Shanghai",
                           "attribution_quiet_start": 21.0,
                           "attribution_quiet_end": 8.0})
        env["attribution.sms.gateway"].search([]).write({"active": False})
        cls.Sms = env["attribution.sms.message"]
        cls.event = env["event.event"].create({
            "name": "春季论坛", "date_begin": fields.Datetime.to_string(DATE_BEGIN),
            "date_end": fields.Datetime.to_string(DATE_END), "date_tz": "Asia/Shanghai",
            "event_mail_ids": [(5, 0, 0)], "company_id": cls.company.id})
        cls.guest = env["res.partner"].create({
            "name": "张伟", "mobile": "13812345601", "attribution_salutation": "张总"})

    def registration(self, partner=None):
        """A confirmed registration of ``partner`` (an unconfirmed one receives
        nothing: its queued messages are dropped when their turn comes)."""
        partner = partner or self.guest
        reg = self.env["event.registration"].create({
            "event_id": self.event.id, "partner_id": partner.id, "name": partner.name})
        reg.state = "open"
        return reg

    def queue(self, now, partner=None, body="张总晚上好!距春季论坛只有2天", code="E1"):
        """Queue one message of a new registration at ``now`` (naive UTC)."""
        partner = partner or self.guest
        reg = self.registration(partner)
        ids = self.Sms._queue([{
            "registration_id": reg.id, "partner_id": partner.id,
            "number": partner.mobile, "body": body, "code": code,
            "next_try": fields.Datetime.to_string(now)}])
        return self.Sms.browse(ids[reg.id])
