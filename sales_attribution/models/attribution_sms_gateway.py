"""``attribution.sms.gateway``: where the SMS copies of E1-E5 go.

Kinds: ``http`` (POST JSON ``{to, body}`` to a URL), ``aliyun`` (Alibaba Cloud SMS)
and ``tencent`` (Tencent Cloud SMS), the last two through the providers' SDKs
(:mod:`..tools.sms_providers`) with a pre-approved template per message code
(``attribution.sms.template``) and the gateway's registered signature. The access
keys are readable by administrators only (``groups``); sending reads them as the
superuser (the cron).
"""
import json
import logging

import requests

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..attribution import sms
from ..attribution.terms import BilingualError
from ..tools import sms_providers

_logger = logging.getLogger(__name__)

#: kinds that send a provider template rather than the text
TEMPLATED = ("aliyun", "tencent")


class AttributionSmsGateway(models.Model):
    """Pluggable: another module adds a ``type`` and a ``_send_sms_<type>(message,
    template, params)`` returning :class:`..tools.sms_providers.Result`."""

    _name = "attribution.sms.gateway"
    _description = "SMS Gateway"
    _order = "sequence, id"

    name = fields.Char(required=True, help="Name of the gateway.")
    sequence = fields.Integer(default=10, help="The first active gateway is used.")
    type = fields.Selection(
        [("http", "HTTP JSON"), ("aliyun", "Alibaba Cloud SMS (阿里云短信)"),
         ("tencent", "Tencent Cloud SMS (腾讯云短信)")],
        required=True, default="http",
        help="HTTP JSON: POST {\"to\": number, \"body\": text} to the URL. Alibaba "
             "Cloud and Tencent Cloud: the provider's approved template of each "
             "message code, with the signature below.")
    url = fields.Char(string="URL", help="HTTP JSON: endpoint the messages are posted "
                                         "to.")
    timeout = fields.Float(default=10.0, help="Seconds to wait for the gateway.")
    active = fields.Boolean(default=True, help="Only active gateways send.")
    signature = fields.Char(
        string="Signature (签名)",
        help="The SMS signature registered with the provider, without brackets (e.g. "
             "某某置业); the phone shows it as 【某某置业】.")
    endpoint = fields.Char(
        help="Provider API host; empty: the public one (dysmsapi.aliyuncs.com, "
             "sms.tencentcloudapi.com). http://host:port for a test double.")
    region = fields.Char(help="Provider region (Tencent Cloud e.g. ap-guangzhou; "
                              "Alibaba Cloud e.g. cn-hangzhou); empty: the default.")
    app_id = fields.Char(string="SDK App ID",
                         help="Tencent Cloud: the SmsSdkAppId of the SMS application.")
    access_key_id = fields.Char(
        string="Access Key ID", groups="base.group_system", copy=False,
        help="Alibaba Cloud AccessKey ID or Tencent Cloud SecretId (administrators "
             "only).")
    access_key_secret = fields.Char(
        string="Access Key Secret", groups="base.group_system", copy=False,
        help="Alibaba Cloud AccessKey secret or Tencent Cloud SecretKey "
             "(administrators only).")
    reply_token = fields.Char(
        groups="base.group_system", copy=False,
        help="S2: secret part of the reply callback URL "
             "/sales_attribution/sms/reply/<gateway id>/<token> given to the provider "
             "(administrators only); empty: replies are not accepted.")
    template_ids = fields.One2many(
        "attribution.sms.template", "gateway_id", string="Templates",
        help="Alibaba Cloud / Tencent Cloud: the approved template of each message "
             "code.")

    @api.constrains("type", "signature")
    def _check_signature(self):
        for gateway in self:
            if gateway.type in TEMPLATED and not gateway.signature:
                raise ValidationError(_("Alibaba Cloud and Tencent Cloud gateways need "
                                        "the registered SMS signature."))

    @api.model
    def _get_gateway(self):
        return self.search([], limit=1)

    # ------------------------------------------------------------------ sending

    def _template_for(self, code):
        """The ``attribution.sms.template`` of message ``code`` (maybe empty)."""
        self.ensure_one()
        return self.template_ids.filtered(lambda t: t.code == code)[:1]

    def _prepare_send(self, message, now):
        """What ``message`` (an outbox row) sends through this gateway at ``now``
        (naive UTC): ``(template, params, text)`` with ``params`` an ``OrderedDict``
        (empty for ``http``) and ``text`` what the phone shows (signature included);
        a templated gateway writes the message's facts on it. Raises
        ``attribution.terms.BilingualError`` when a templated gateway has no template
        for the code or a parameter's fact is empty."""
        self.ensure_one()
        if self.type not in TEMPLATED:
            return self.env["attribution.sms.template"], {}, message.body
        template = self._template_for(message.code)
        if not template:
            raise BilingualError(
                "短信网关 %s 没有 %s 的模板。" % (self.name, message.code),
                "The SMS gateway %s has no template for %s."
                % (self.name, message.code))
        facts = message._template_facts(now)
        message.facts = sms.dumps(facts)
        params = sms.fill_params(sms.parse_param_map(template.param_map), facts)
        text = sms.render_template(template.content, params) if template.content \
            else message.body
        return template, params, sms.signed(text, self.signature)

    @api.multi
    def _send_message(self, message, template, params):
        """Send the outbox row ``message`` (with the ``template`` and ``params`` of
        :meth:`_prepare_send`): a :class:`..tools.sms_providers.Result`."""
        self.ensure_one()
        method = getattr(self, "_send_sms_%s" % self.type, None)
        if method is None:
            return sms_providers.Result(
                False, False, _("Gateway type %s cannot send.") % self.type, "", "")
        return method(message, template, params)

    def _account(self):
        # sudo: the keys are administrators' fields; the cron sends as the superuser
        # and only the SDK sees them
        gateway = self.sudo()
        return sms_providers.Account(
            gateway.access_key_id, gateway.access_key_secret, gateway.signature,
            gateway.endpoint, gateway.region, gateway.app_id)

    @api.multi
    def _send_sms_aliyun(self, message, template, params):
        return sms_providers.send_aliyun(self._account(), message.number,
                                         template.provider_template, params,
                                         self.timeout)

    @api.multi
    def _send_sms_tencent(self, message, template, params):
        return sms_providers.send_tencent(self._account(), message.number,
                                          template.provider_template, params,
                                          self.timeout)

    @api.multi
    def _send_sms_http(self, message, template, params):
        ok, retry, reason = self._send_sms(message.number, message.body)
        return sms_providers.Result(ok, retry, reason, "", "OK" if ok else "")

    @api.multi
    def _send_sms(self, number, body):
        """HTTP JSON: send one text. Returns ``(ok, retry, reason)``: ``retry`` says
        whether a failure is temporary (server error, timeout, refused
        connection)."""
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

    # ------------------------------------------------------------------ replies

    def _receive_replies(self, payload):
        """S2: the provider's reply callback ``payload`` (parsed JSON) for this
        gateway: every reply asking to stop (:func:`attribution.sms.is_opt_out_reply`)
        marks the customers holding its number ``attribution_sms_opt_out`` with a note
        in their chatter (a number only a registration named: its attendee, recorded
        as a contact, :meth:`attribution.sms.message._reply_contact`). Returns the
        partners marked. Called by the controller after checking the gateway's
        token."""
        self.ensure_one()
        Partner = self.env["res.partner"]
        marked = Partner
        for number, text in sms.parse_replies(self.type, payload):
            if not sms.is_opt_out_reply(text):
                continue
            Outbox = self.env["attribution.sms.message"]
            # the attendee at a number only a registration named becomes a contact
            partners = Outbox._partners_of(number) or Outbox._reply_contact(number)
            for partner in partners.filtered(lambda p: not p.attribution_sms_opt_out):
                partner.attribution_sms_opt_out = True
                partner.message_post(body=_("SMS opt-out (退订) from the reply "
                                            "\"%s\" of %s.") % (text, number),
                                     subtype="mail.mt_note")
                marked |= partner
        if marked:
            _logger.info("SMS replies: %d customer(s) opted out", len(marked))
        return marked
