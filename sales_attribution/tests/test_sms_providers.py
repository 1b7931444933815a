"""E1-E5 SMS through Alibaba Cloud and Tencent Cloud: each provider's official SDK
against a fake provider on 127.0.0.1 (the gateway's endpoint pointed there), the
outbox's retry policy on throttling, a refused template failing for good."""
import datetime
import json

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests.common import SavepointCase

from ..attribution import sms
from ..tools import sms_providers
from .sms_common import (
    ALIYUN_FLOW_CONTROL, ALIYUN_OK, ALIYUN_TEMPLATE_ILLEGAL, ALIYUN_THROTTLED,
    TENCENT_NUMBER_LIMIT, TENCENT_OK, TENCENT_TEMPLATE_UNAPPROVED, TENCENT_THROTTLED,
    SmsOffice, start_provider, stop_provider)

ALIYUN_CONTENT = "${name}您好,${event}将于${date} ${time}开始,期待您的光临。"
TENCENT_CONTENT = "{1}您好,{2}将于{3} {4}开始,期待您的光临。"
PARAMS = "name=salutation\nevent=event\ndate=date\ntime=time"


class TestSmsProviders(SavepointCase, SmsOffice):

    @classmethod
    def setUpClass(cls):
        super(TestSmsProviders, cls).setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.build_sms_office()
        cls.aliyun_server = start_provider(ALIYUN_OK)
        cls.tencent_server = start_provider(TENCENT_OK, "application/json")
        Gateway = cls.env["attribution.sms.gateway"]
        cls.aliyun = Gateway.create({
            "name": "阿里云", "type": "aliyun", "signature": "某某置业",
            "endpoint": cls.aliyun_server.endpoint, "timeout": 5.0,
            "access_key_id": "LTAI-test-id", "access_key_secret": "ali-secret",
            "template_ids": [(0, 0, {"code": "E1", "provider_template": "SMS_465380001",
                                     "param_map": PARAMS, "content": ALIYUN_CONTENT})]})
        cls.tencent = Gateway.create({
            "name": "腾讯云", "type": "tencent", "signature": "某某置业", "active": False,
            "endpoint": cls.tencent_server.endpoint, "app_id": "1400123456",
            "timeout": 5.0, "access_key_id": "AKID-test", "access_key_secret": "tc-key",
            "template_ids": [(0, 0, {"code": "E1", "provider_template": "1980123",
                                     "param_map": PARAMS,
                                     "content": TENCENT_CONTENT})]})
        # 10:00 in Beijing: outside the quiet hours
        cls.now = datetime.datetime(2036, 5, 7, 2, 0)

    @classmethod
    def tearDownClass(cls):
        stop_provider(cls.aliyun_server)
        stop_provider(cls.tencent_server)
        super(TestSmsProviders, cls).tearDownClass()

    def setUp(self):
        super(TestSmsProviders, self).setUp()
        for server in (self.aliyun_server, self.tencent_server):
            server.requests[:] = []
            server.script[:] = []

    def at(self, minutes):
        return fields.Datetime.to_string(self.now + datetime.timedelta(minutes=minutes))

    def use_tencent(self):
        self.aliyun.active = False
        self.tencent.active = True

    # ------------------------------------------------------------------ Alibaba Cloud

    def test_E1_aliyun_sends_the_template_with_named_parameters(self):
        message = self.queue(self.now)
        self.assertEqual(self.Sms._cron_send(now=self.at(0)), message.ids)
        [request] = self.aliyun_server.requests
        query = request["query"]
        self.assertEqual(
            (query["PhoneNumbers"], query["SignName"], query["TemplateCode"]),
            ("13812345601", "某某置业", "SMS_465380001"))
        expected = {"name": "张总", "event": "春季论坛", "date": "5月9日", "time": "09:00"}
        self.assertEqual(json.loads(query["TemplateParam"]), expected)
        self.assertEqual(request["headers"]["x-acs-action"], "SendSms")
        self.assertIn("Credential=LTAI-test-id", request["headers"]["Authorization"])
        # the outbox shows what was sent and what the provider answered
        self.assertEqual(message.state, "sent")
        self.assertEqual(json.loads(message.params), expected)
        self.assertEqual(message.template_code, "SMS_465380001")
        self.assertEqual(message.request_id, "F655A8D5-B967-440B-8683-DAD6FF8DE990")
        self.assertEqual(message.provider_status, "OK")
        shown = "【某某置业】张总您好,春季论坛将于5月9日 09:00开始,期待您的光临。"
        self.assertEqual(message.segments, sms.segment_count(shown))
        self.assertEqual(message.gateway_id, self.aliyun)

    def test_E1_aliyun_flow_control_retries_with_backoff(self):
        message = self.queue(self.now)
        self.aliyun_server.script[:] = [ALIYUN_FLOW_CONTROL]
        self.Sms._cron_send(now=self.at(0))
        self.assertEqual((message.state, message.attempts, message.next_try),
                         ("queued", 1, self.at(1)))
        self.assertEqual(message.provider_status, "isv.BUSINESS_LIMIT_CONTROL")
        self.assertIn("流控", message.error)
        self.Sms._cron_send(now=self.at(0.5))
        self.assertEqual(len(self.aliyun_server.requests), 1, "not before next_try")
        self.Sms._cron_send(now=self.at(1))
        self.assertEqual((message.state, message.attempts, message.provider_status),
                         ("sent", 2, "OK"))
        self.assertFalse(message.error)

    def test_E1_aliyun_api_throttling_http_400_retries(self):
        message = self.queue(self.now)
        self.aliyun_server.script[:] = [ALIYUN_THROTTLED, ALIYUN_THROTTLED]
        self.Sms._cron_send(now=self.at(0))
        self.Sms._cron_send(now=self.at(1))
        self.assertEqual((message.state, message.attempts, message.next_try),
                         ("queued", 2, self.at(3)))
        self.assertEqual(message.provider_status, "Throttling.User")
        self.Sms._cron_send(now=self.at(3))
        self.assertEqual(message.state, "sent")

    def test_E1_aliyun_template_rejected_fails_for_good(self):
        message = self.queue(self.now)
        self.aliyun_server.default = ALIYUN_TEMPLATE_ILLEGAL
        try:
            self.Sms._cron_send(now=self.at(0))
            self.Sms._cron_send(now=self.at(60))
        finally:
            self.aliyun_server.default = ALIYUN_OK
        self.assertEqual((message.state, message.attempts), ("failed", 1))
        self.assertEqual(message.provider_status, "isv.SMS_TEMPLATE_ILLEGAL")
        self.assertIn("isv.SMS_TEMPLATE_ILLEGAL", message.error)
        self.assertEqual(len(self.aliyun_server.requests), 1)

    def test_E1_aliyun_unreachable_retries(self):
        message = self.queue(self.now)
        stopped = start_provider(ALIYUN_OK)
        endpoint = stopped.endpoint
        stop_provider(stopped)
        self.aliyun.endpoint = endpoint
        self.Sms._cron_send(now=self.at(0))
        self.assertEqual((message.state, message.attempts), ("queued", 1))
        self.assertTrue(message.error)

    def test_E2_without_template_fails_with_a_reason(self):
        message = self.queue(self.now, code="E2")
        self.Sms.with_context(lang="en_US")._cron_send(now=self.at(0))
        self.assertEqual(message.state, "failed")
        self.assertIn("no template for E2", message.error)
        self.assertEqual(self.aliyun_server.requests, [])

    def test_E1_empty_fact_fails_with_a_reason(self):
        self.aliyun.template_ids.param_map = PARAMS + "\ngift=gift"
        message = self.queue(self.now)
        self.Sms.with_context(lang="en_US")._cron_send(now=self.at(0))
        self.assertEqual(message.state, "failed")
        self.assertIn("gift", message.error)
        self.assertEqual(self.aliyun_server.requests, [])

    # ------------------------------------------------------------------ Tencent Cloud

    def test_E1_tencent_sends_the_template_with_ordered_parameters(self):
        self.use_tencent()
        message = self.queue(self.now)
        self.assertEqual(self.Sms._cron_send(now=self.at(0)), message.ids)
        [request] = self.tencent_server.requests
        self.assertEqual(request["headers"]["X-TC-Action"], "SendSms")
        self.assertIn("Credential=AKID-test/", request["headers"]["Authorization"])
        self.assertEqual(request["json"], {
            "PhoneNumberSet": ["+8613812345601"], "SmsSdkAppId": "1400123456",
            "TemplateId": "1980123", "SignName": "某某置业",
            "TemplateParamSet": ["张总", "春季论坛", "5月9日", "09:00"]})
        self.assertEqual((message.state, message.provider_status, message.request_id),
                         ("sent", "Ok", "a0aabda6-cf91-4f3e-a81f-9198114a2279"))
        shown = "【某某置业】张总您好,春季论坛将于5月9日 09:00开始,期待您的光临。"
        self.assertEqual(message.segments, sms.segment_count(shown))
        self.assertEqual(message.gateway_id, self.tencent)

    def test_E1_tencent_throttling_retries_with_backoff(self):
        self.use_tencent()
        message = self.queue(self.now)
        self.tencent_server.script[:] = [TENCENT_THROTTLED, TENCENT_NUMBER_LIMIT]
        self.Sms._cron_send(now=self.at(0))
        self.assertEqual((message.state, message.attempts, message.provider_status),
                         ("queued", 1, "RequestLimitExceeded"))
        self.Sms._cron_send(now=self.at(1))
        self.assertEqual((message.state, message.attempts, message.provider_status),
                         ("queued", 2, "LimitExceeded.PhoneNumberThirtySecondLimit"))
        self.assertEqual(message.next_try, self.at(3))
        self.Sms._cron_send(now=self.at(3))
        self.assertEqual((message.state, message.attempts), ("sent", 3))

    def test_E1_tencent_template_unapproved_fails_for_good(self):
        self.use_tencent()
        message = self.queue(self.now)
        self.tencent_server.script[:] = [TENCENT_TEMPLATE_UNAPPROVED]
        self.Sms._cron_send(now=self.at(0))
        self.Sms._cron_send(now=self.at(60))
        self.assertEqual((message.state, message.attempts), ("failed", 1))
        self.assertEqual(message.provider_status,
                         "FailedOperation.TemplateIncorrectOrUnapproved")
        self.assertEqual(len(self.tencent_server.requests), 1)

    def test_retry_classification_of_the_providers(self):
        self.assertTrue(sms_providers.aliyun_retry("isv.DAY_LIMIT_CONTROL"))
        self.assertFalse(sms_providers.aliyun_retry("isv.MOBILE_NUMBER_ILLEGAL"))
        self.assertTrue(sms_providers.tencent_retry("InternalError.Timeout"))
        self.assertFalse(sms_providers.tencent_retry("AuthFailure.SecretIdNotFound"))

    # ------------------------------------------------------------------ secrets

    def test_access_keys_are_for_administrators_only(self):
        manager = self.env["res.users"].with_context(no_reset_password=True).create({
            "name": "SMS Manager", "login": "sms_providers_manager",
            "groups_id": [(6, 0, [self.env.ref("sales_attribution.group_manager").id,
                                  self.env.ref("base.group_user").id])]})
        gateway = self.aliyun.sudo(manager)
        self.assertEqual(gateway.read(["signature"])[0]["signature"], "某某置业")
        for field in ("access_key_id", "access_key_secret", "reply_token"):
            with self.assertRaises(AccessError, msg=field):
                gateway.read([field])
            self.assertNotIn(field, gateway.fields_get())
        with self.assertRaises(AccessError):
            gateway.write({"access_key_secret": "stolen"})
        self.assertEqual(self.aliyun.access_key_secret, "ali-secret")
