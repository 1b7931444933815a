import json
import logging

import requests

from odoo import _, api, fields, models

_logger = logging.getLogger(__name__)


class AttributionSmsGateway(models.Model):
    """Where the SMS copies of E1-E5 go. Pluggable: another module adds a ``type`` and
    overrides :meth:`_send_sms`; the default ``http`` type POSTs JSON ``{to, body}``."""

    _name = "attribution.sms.gateway"
    _description = "SMS Gateway"
    _order = "sequence, id"

    name = fields.Char(required=True, help="Name of the gateway.")
    sequence = fields.Integer(default=10, help="The first active gateway is used.")
    type = fields.Selection(
        [("http", "HTTP JSON")], required=True, default="http",
        help="HTTP JSON: POST {\"to\": number, \"body\": text} to the URL.")
    url = fields.Char(string="URL", help="Endpoint the messages are posted to.")
    timeout = fields.Float(default=10.0, help="Seconds to wait for the gateway.")
    active = fields.Boolean(default=True, help="Only active gateways send.")

    @api.model
    def _get_gateway(self):
        return self.search([], limit=1)

    @api.multi
    def _send_sms(self, number, body):
        """Send one message. Returns ``(ok, retry, reason)``: ``retry`` says whether
        a failure is temporary (server error, timeout, refused connection)."""
        self.ensure_one()
        method = getattr(self, "_send_sms_%s" % self.type, None)
        if method is None:
            return False, False, _("Gateway type %s cannot send.") % self.type
        return method(number, body)

    @api.multi
    def _send_sms_http(self, number, body):
        self.ensure_one()
        if not self.url:
            return False, False, _("The gateway has no URL.")
        try:
            response = requests.post(
                self.url, data=json.dumps({"to": number, "body": body}),
                headers={"Content-Type": "application/json; charset=utf-8"},
                timeout=self.timeout or 10.0)
        except requests.Timeout:
            return False, True, _("Timeout after %s seconds.") % (self.timeout or 10.0)
        except requests.ConnectionError as exc:
            return False, True, _("Connection failed: %s") % exc
        except requests.RequestException as exc:
            return False, True, _("Request failed: %s") % exc
        if 200 <= response.status_code < 300:
            return True, False, ""
        reason = _("HTTP %s: %s") % (response.status_code, (response.text or "")[:200])
        # 5xx and 429 are the gateway's trouble and pass; other codes mean the
        # message itself is refused
        return False, response.status_code >= 500 or response.status_code == 429, reason
