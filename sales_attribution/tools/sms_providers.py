"""Send one templated SMS through a China provider's official SDK.

Entry points, one per provider, the same shape: ``send_<kind>(account, number,
template_code, params, timeout) -> Result``.

- ``account``: a :class:`Account` (the gateway's settings: keys, signature,
  endpoint, region, Tencent's SDK app id). ``endpoint`` empty takes the provider's
  public one; ``http://host:port`` talks plain HTTP to ``host:port`` (the tests' fake
  providers), any other value is an HTTPS host.
- ``number``: a normalised number (mainland 11 digits, others E.164 ``+...``).
- ``params``: ``OrderedDict`` parameter -> value (Alibaba Cloud sends it as the JSON
  ``TemplateParam`` by name; Tencent Cloud as ``TemplateParamSet``, in order).
- ``timeout``: seconds.

``Result(ok, retry, reason, request_id, status)``: ``retry`` says the failure is
temporary (throttling, provider trouble, network) and the outbox tries again with its
back-off; a refusal of the message itself (template or signature not approved, bad
number, bad parameters, bad keys) is final. ``status`` is the provider's code
(``OK``/``Ok`` on success), ``request_id`` its request id. No Odoo import; the SDKs
are imported when first used (module names in the manifest's
``external_dependencies``).
"""
import json
from collections import namedtuple

Result = namedtuple("Result", "ok retry reason request_id status")

Account = namedtuple("Account", "access_key_id access_key_secret signature endpoint "
                                "region app_id")

ALIYUN_ENDPOINT = "dysmsapi.aliyuncs.com"
TENCENT_ENDPOINT = "sms.tencentcloudapi.com"
TENCENT_REGION = "ap-guangzhou"

#: Alibaba Cloud codes that mean "later" (flow control, the provider's own trouble)
ALIYUN_RETRY = ("isv.BUSINESS_LIMIT_CONTROL", "isv.DAY_LIMIT_CONTROL",
                "isv.MONTH_LIMIT_CONTROL", "SignatureNonceUsed", "ServiceUnavailable",
                "InternalError")
ALIYUN_RETRY_PREFIXES = ("isp.", "Throttling")
#: Tencent Cloud code prefixes that mean "later"
TENCENT_RETRY_PREFIXES = ("RequestLimitExceeded", "LimitExceeded", "InternalError",
                          "ClientNetworkError", "ServerNetworkError",
                          "ResourceUnavailable", "FailedOperation.FailResolvePacket")


def _split_endpoint(endpoint, default):
    """``(host, scheme)`` of the account's endpoint."""
    endpoint = (endpoint or "").strip() or default
    if endpoint.startswith("http://"):
        return endpoint[len("http://"):].rstrip("/"), "http"
    if endpoint.startswith("https://"):
        return endpoint[len("https://"):].rstrip("/"), "https"
    return endpoint.rstrip("/"), "https"


def aliyun_retry(code):
    """Whether Alibaba Cloud's ``code`` is temporary.

    >>> aliyun_retry("isv.BUSINESS_LIMIT_CONTROL"), aliyun_retry("isp.SYSTEM_ERROR")
    (True, True)
    >>> aliyun_retry("isv.SMS_TEMPLATE_ILLEGAL"), aliyun_retry(
    ...     "isv.MOBILE_NUMBER_ILLEGAL")
    (False, False)
    """
    code = code or ""
    return code in ALIYUN_RETRY or code.startswith(ALIYUN_RETRY_PREFIXES)


def tencent_retry(code):
    """Whether Tencent Cloud's ``code`` is temporary.

    >>> tencent_retry("RequestLimitExceeded"), tencent_retry(
    ...     "LimitExceeded.PhoneNumberThirtySecondLimit")
    (True, True)
    >>> tencent_retry("FailedOperation.TemplateIncorrectOrUnapproved")
    False
    """
    return (code or "").startswith(TENCENT_RETRY_PREFIXES)


def _aliyun_number(number):
    # international numbers without "+" (Alibaba Cloud: country code + number)
    return number[1:] if number.startswith("+") else number


def _tencent_number(number):
    # E.164: mainland mobiles get +86
    return number if number.startswith("+") else "+86" + number


def send_aliyun(account, number, template_code, params, timeout):
    """One ``SendSms`` of Alibaba Cloud SMS (dysmsapi 2017-05-25); see the module
    docstring."""
    from alibabacloud_dysmsapi20170525 import models as ali_models
    from alibabacloud_dysmsapi20170525.client import Client
    from alibabacloud_tea_openapi import exceptions as ali_errors
    from alibabacloud_tea_openapi import models as api_models
    from darabonba.runtime import RuntimeOptions

    host, scheme = _split_endpoint(account.endpoint, ALIYUN_ENDPOINT)
    millis = int((timeout or 10.0) * 1000)
    try:
        client = Client(api_models.Config(
            access_key_id=account.access_key_id or "",
            access_key_secret=account.access_key_secret or "",
            endpoint=host, protocol=scheme, region_id=account.region or None))
        response = client.send_sms_with_options(
            ali_models.SendSmsRequest(
                phone_numbers=_aliyun_number(number), sign_name=account.signature,
                template_code=template_code,
                template_param=json.dumps(params, ensure_ascii=False)),
            RuntimeOptions(read_timeout=millis, connect_timeout=millis,
                           autoretry=False))
    except ali_errors.ThrottlingException as exc:
        return Result(False, True, "%s: %s" % (exc.code, exc.message),
                      exc.request_id or "", exc.code or "Throttling")
    except ali_errors.AlibabaCloudException as exc:
        code = exc.code or ""
        server = isinstance(exc, ali_errors.ServerException)
        return Result(False, server or aliyun_retry(code),
                      "%s: %s" % (code, exc.message), exc.request_id or "", code)
    except Exception as exc:  # network and timeouts of the SDK's HTTP layer
        return Result(False, True, "%s: %s" % (type(exc).__name__, exc), "", "")
    body = response.body
    code = body.code or ""
    request_id = body.request_id or ""
    if code == "OK":
        return Result(True, False, "", request_id, code)
    return Result(False, aliyun_retry(code), "%s: %s" % (code, body.message or ""),
                  request_id, code)


def send_tencent(account, number, template_code, params, timeout):
    """One ``SendSms`` of Tencent Cloud SMS (API 2021-01-11); see the module
    docstring."""
    from tencentcloud.common import credential
    from tencentcloud.common.exception.tencent_cloud_sdk_exception import (
        TencentCloudSDKException)
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    from tencentcloud.sms.v20210111 import models as tc_models, sms_client

    host, scheme = _split_endpoint(account.endpoint, TENCENT_ENDPOINT)
    http_profile = HttpProfile(endpoint=host, reqTimeout=int(timeout or 10))
    http_profile.scheme = scheme
    request = tc_models.SendSmsRequest()
    request.SmsSdkAppId = account.app_id or ""
    request.SignName = account.signature or ""
    request.TemplateId = template_code
    request.TemplateParamSet = list(params.values())
    request.PhoneNumberSet = [_tencent_number(number)]
    try:
        client = sms_client.SmsClient(
            credential.Credential(account.access_key_id or "",
                                  account.access_key_secret or ""),
            account.region or TENCENT_REGION, ClientProfile(httpProfile=http_profile))
        response = client.SendSms(request)
    except TencentCloudSDKException as exc:
        code = exc.get_code() or ""
        return Result(False, tencent_retry(code),
                      "%s: %s" % (code, exc.get_message()),
                      exc.get_request_id() or "", code)
    except Exception as exc:  # the SDK's HTTP layer
        return Result(False, True, "%s: %s" % (type(exc).__name__, exc), "", "")
    statuses = response.SendStatusSet or []
    if not statuses:
        return Result(False, True, "no send status", response.RequestId or "", "")
    status = statuses[0]
    code = status.Code or ""
    if code.lower() == "ok":
        return Result(True, False, "", response.RequestId or "", code)
    return Result(False, tencent_retry(code), "%s: %s" % (code, status.Message or ""),
                  response.RequestId or "", code)
