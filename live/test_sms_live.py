"""SMS outbox with two cron workers and the quiet hours (S1) in play; the providers'
reply callback (S2) over real HTTP.

- Quiet hours are set to end 75 seconds from now (office time zone of the company);
  two workers run the outbox's scheduled action at the same time: nothing reaches
  the gateway, every message waits until the end with a note. After the end, two
  workers again: every message is sent exactly once.
- A provider posts a reply "TD" to ``/sales_attribution/sms/reply/<id>/<token>``:
  the customer holding the number is opted out; a wrong token gets 404.
"""
import datetime
import json
import threading
import time
import urllib.error
import urllib.request

import pytz

from conftest import URL
from test_faults import _messages, _queue, outbox  # noqa: F401 (fixture)

FMT = "%Y-%m-%d %H:%M:%S"


def _two_workers(admin, cron):
    """Run the scheduled action in two workers at once (two HTTP requests)."""
    errors = []

    def run():
        try:
            admin.call("ir.cron", "method_direct_trigger", [cron])
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_S1_two_workers_hold_in_quiet_hours_then_send_once(admin, outbox):  # noqa: F811
    fake, cron, company = outbox["fake"], outbox["cron"], outbox["company"]
    tz = admin.call("res.company", "read", [company], ["attribution_timezone"])[0][
        "attribution_timezone"]
    local = datetime.datetime.now(pytz.timezone(tz))
    end_local = local + datetime.timedelta(seconds=75)
    start_local = local - datetime.timedelta(hours=1)

    def hours(moment):
        return moment.hour + moment.minute / 60.0

    # whole minutes: the end is the first minute boundary at least 75 s away
    end_minute = end_local.replace(second=0, microsecond=0) + datetime.timedelta(
        minutes=1)
    admin.call("res.company", "write", [company], {
        "attribution_quiet_start": hours(start_local),
        "attribution_quiet_end": hours(end_minute)})
    ids = _queue(admin, 30, int(time.time()) % 9000 + 3)
    _two_workers(admin, cron)
    rows = _messages(admin, ids)
    assert fake.delivered == []
    end_utc = end_minute.astimezone(pytz.utc).strftime(FMT)
    assert {m["state"] for m in rows.values()} == {"queued"}
    assert {m["next_try"] for m in rows.values()} == {end_utc}
    assert {m["attempts"] for m in rows.values()} == {0}
    notes = admin.call("attribution.sms.message", "read", ids, ["note"])
    assert all("Quiet hours" in (n["note"] or "") or "免打扰" in (n["note"] or "")
               for n in notes), notes
    # the morning comes
    while datetime.datetime.now(pytz.utc).strftime(FMT) < end_utc:
        time.sleep(2)
    time.sleep(1)
    _two_workers(admin, cron)
    _two_workers(admin, cron)
    rows = _messages(admin, ids)
    assert {m["state"] for m in rows.values()} == {"sent"}, rows
    numbers = sorted(m["number"] for m in rows.values())
    assert sorted(to for to, _body in fake.delivered) == numbers  # each exactly once


def _post(url, payload):
    request = urllib.request.Request(
        url, data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, ""


def test_S2_reply_callback_opts_out(admin, office):
    stamp = int(time.time()) % 100000
    number = "1377%07d" % stamp
    partner = admin.call("res.partner", "create", {
        "name": "Live opt-out %s" % stamp, "mobile": number})
    gateway = admin.call("attribution.sms.gateway", "create", {
        "name": "Live reply gateway", "type": "aliyun", "signature": "某某置业",
        "active": False, "reply_token": "tok-%s" % stamp})
    base = "%s/sales_attribution/sms/reply/%s/" % (URL, gateway)
    payload = [{"phone_number": number, "content": "TD", "sign_name": "某某置业"}]
    assert _post(base + "wrong", payload)[0] == 404
    assert not admin.call("res.partner", "read", [partner],
                          ["attribution_sms_opt_out"])[0]["attribution_sms_opt_out"]
    status, body = _post(base + "tok-%s" % stamp, payload)
    assert (status, json.loads(body)) == (200, {"code": 0, "msg": "成功"})
    assert admin.call("res.partner", "read", [partner],
                      ["attribution_sms_opt_out"])[0]["attribution_sms_opt_out"]
