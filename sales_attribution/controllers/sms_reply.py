"""The providers' reply callback (S2 opt-out): ``POST
/sales_attribution/sms/reply/<gateway id>/<token>`` with the provider's JSON."""
import hmac
import json
import logging

from odoo import http
from odoo.http import request

_logger = logging.getLogger(__name__)

#: the callback's path; the providers post a JSON list there
REPLY_PATH = "/sales_attribution/sms/reply/"


def _get_request(root, httprequest, _original=http.Root.get_request):
    """Odoo 11 reads every ``application/json`` body as JSON-RPC (a dict with
    ``params``); Alibaba Cloud and Tencent Cloud post their replies as a plain JSON
    list with that content type, which Odoo answers with a 500 before any route runs.
    The reply callback is read as a plain HTTP request; every other path as before."""
    if httprequest.path.startswith(REPLY_PATH):
        return http.HttpRequest(httprequest)
    return _original(root, httprequest)


http.Root.get_request = _get_request

#: what each provider expects back when the callback is accepted
ANSWERS = {"aliyun": {"code": 0, "msg": "成功"}, "tencent": {"result": 0, "errmsg": "OK"},
           "http": {"ok": True}}


class SmsReplyController(http.Controller):

    @http.route(REPLY_PATH + "<int:gateway_id>/<string:token>",
                type="http", auth="public", methods=["POST"], csrf=False)
    def sms_reply(self, gateway_id, token, **kwargs):
        """Replies of customers to the office's SMS: a reply containing 退订/TD/T/N
        marks its sender ``attribution_sms_opt_out``. 404 unless ``token`` is the
        gateway's ``reply_token``; 400 for a body that is not JSON."""
        # sudo: the provider is not a user; the gateway's secret token stands for it
        gateway = request.env["attribution.sms.gateway"].sudo().browse(gateway_id)
        expected = gateway.exists() and gateway.reply_token or ""
        if not expected or not hmac.compare_digest(expected.encode(), token.encode()):
            return http.Response("not found", status=404)
        try:
            payload = json.loads(request.httprequest.get_data().decode("utf-8"))
        except ValueError:
            return http.Response("bad request", status=400)
        gateway._receive_replies(payload)
        return request.make_response(
            json.dumps(ANSWERS.get(gateway.type, ANSWERS["http"]), ensure_ascii=False),
            headers=[("Content-Type", "application/json; charset=utf-8")])
