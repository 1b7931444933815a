"""Postponed event with the scheduled action running twice at once (issue 15 point
6, live): a real multi-worker Odoo, its two cron threads, and two clients
triggering the guest-message job (``ir_cron_event_attribution_messages``) at the
same moment in two HTTP workers.

The event starts two days ahead: only its confirmation window (E1) is open, not E2's
or E3's, whatever the hour of the run, so registering sends E1 at once (E1 late).
Then the event moves a week later: each guest's consultant gets a re-confirmation
call, and however many workers run the job, each guest receives exactly one
re-confirmation (E1R, 改期 and the new date) and never a second message of any code.
"""
import datetime
import threading
import time
import xmlrpc.client

import pytz

from conftest import ADMIN_PASSWORD, DB, URL

FMT = "%Y-%m-%d %H:%M:%S"


def _trigger_in_parallel(admin, cron, clients=2):
    """``method_direct_trigger`` of ``cron`` from ``clients`` threads at once (each
    call runs in its own HTTP worker process)."""
    errors, start = [], threading.Barrier(clients)

    def work():
        proxy = xmlrpc.client.ServerProxy(URL + "/xmlrpc/2/object", allow_none=True)
        start.wait(30)
        try:
            proxy.execute_kw(DB, admin.uid, ADMIN_PASSWORD, "ir.cron",
                             "method_direct_trigger", [[cron]], {})
        except xmlrpc.client.Fault as fault:
            errors.append(fault.faultString[-500:])

    threads = [threading.Thread(target=work) for _i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(600)
    assert errors == []


def _office_day(utc, zone="Asia/Shanghai"):
    """The office date (default Asia/Shanghai, the events' zone here) of a naive UTC
    time."""
    return pytz.utc.localize(utc).astimezone(pytz.timezone(zone)).date()


def _zone_where(utc_now, first, last):
    """A time zone (of the office's choice list) whose clock shows ``utc_now``
    between the hours ``first`` and ``last`` (datetime.time)."""
    for name in pytz.common_timezones:
        local = pytz.utc.localize(utc_now).astimezone(pytz.timezone(name))
        if first <= local.time() < last:
            return name
    raise AssertionError("no zone between %s and %s at %s" % (first, last, utc_now))


def _evening_zone(utc_now):
    """A zone where ``utc_now`` is between 18:30 and 21:30: there, a start 2 hours
    ahead is today and one 6 hours ahead is tomorrow, and the eve's E2 window (from
    18:00) is open for both."""
    return _zone_where(utc_now, datetime.time(18, 30), datetime.time(21, 30))


def _in_office_zone(admin, zone):
    """Context manager: the admin's company counts office time in ``zone``."""
    class _Zone(object):
        def __enter__(self):
            self.company = admin.call("res.users", "read", [admin.uid], [
                "company_id"])[0]["company_id"][0]
            self.before = admin.call("res.company", "read", [self.company], [
                "attribution_timezone"])[0]["attribution_timezone"]
            admin.call("res.company", "write", [self.company],
                       {"attribution_timezone": zone})

        def __exit__(self, *exc):
            admin.call("res.company", "write", [self.company],
                       {"attribution_timezone": self.before})
    return _Zone()


def _start_with_only_e1_open(utc_now):
    """A start (naive UTC) whose E1 window is open at ``utc_now`` but not yet E2's
    (18:00 on the eve) nor E3's (the event day): 10:00 office time two days ahead,
    or tomorrow while it is before 09:00 in the office (E1 opens at 09:00 two days
    before the start day). Whatever the hour of the run, the cron sends nothing but
    E1 before the event moves."""
    zone = pytz.timezone("Asia/Shanghai")
    local = pytz.utc.localize(utc_now).astimezone(zone)
    days = 2 if local.hour >= 9 else 1
    day = local.date() + datetime.timedelta(days=days)
    start = zone.localize(datetime.datetime.combine(day, datetime.time(10)))
    return start.astimezone(pytz.utc).replace(tzinfo=None)


def _logs(admin, reg_ids):
    return admin.call("attribution.message.log", "search_read",
                      [("registration_id", "in", reg_ids), ("state", "=", "sent")],
                      ["registration_id", "code", "event_date", "late"])


def _event_with_guests(admin, office, tag, begin, guests, mobile_prefix):
    """A confirmed event starting at ``begin`` (naive UTC), lasting 4 hours, with
    ``guests`` registrations of new customers (e-mail and mobile) invited by
    consultant A; returns ``(event id, registration ids)``. Registering inside an
    open E1 window sends E1 at once (E1 late)."""
    stamp = office["stamp"] + tag
    event = admin.call("event.event", "create", {
        "name": "Live forum %s" % stamp,
        "date_begin": begin.strftime(FMT),
        "date_end": (begin + datetime.timedelta(hours=4)).strftime(FMT),
        "date_tz": "Asia/Shanghai", "event_mail_ids": [(5, 0, 0)],
        "user_id": office["uid"]["consultant_a"], "auto_confirm": True})
    admin.call("event.event", "write", [event], {"state": "confirm"})
    reg_ids = []
    for i in range(guests):
        name = "Live Guest %s %d" % (stamp, i)
        email = "guest%d_%s@example.invalid" % (i, stamp)
        partner = admin.call("res.partner", "create", {
            "name": name, "email": email,
            "mobile": "%s%04d%04d" % (mobile_prefix, int(office["stamp"][-4:]), i)})
        reg_ids.append(admin.call("event.registration", "create", {
            "event_id": event, "partner_id": partner, "name": name, "email": email,
            "attribution_user_id": office["uid"]["consultant_a"]}))
    return event, reg_ids


def test_E1R_postponed_event_two_cron_workers_send_once(admin, office):
    now = datetime.datetime.utcnow().replace(microsecond=0)
    begin = _start_with_only_e1_open(now)
    event, reg_ids = _event_with_guests(admin, office, "", begin, 4, "137")
    # registered inside the open window: E1 at once, marked late
    logs = _logs(admin, reg_ids)
    e1 = {log["registration_id"][0]: log for log in logs if log["code"] == "E1"}
    assert sorted(e1) == sorted(reg_ids)
    assert all(log["late"] for log in e1.values())
    assert {log["event_date"] for log in e1.values()} == {begin.strftime(FMT)}

    moved = begin + datetime.timedelta(days=7)
    admin.call("event.event", "write", [event], {
        "date_begin": moved.strftime(FMT),
        "date_end": (moved + datetime.timedelta(hours=4)).strftime(FMT)})
    calls = admin.call("mail.activity", "search_read", [
        ("res_model", "=", "event.registration"), ("res_id", "in", reg_ids)],
        ["res_id", "user_id", "summary"])
    assert sorted(c["res_id"] for c in calls) == sorted(reg_ids)
    assert {c["user_id"][0] for c in calls} == {office["uid"]["consultant_a"]}

    # both cron threads may pick the job up (due now) while two clients run it
    cron = admin.ref("sales_attribution.ir_cron_event_attribution_messages")
    admin.call("ir.cron", "write", [cron], {"active": True,
                                            "nextcall": now.strftime(FMT)})
    for _round in range(3):
        _trigger_in_parallel(admin, cron)
    deadline = time.time() + 90  # a cron thread wakes at least once a minute
    while time.time() < deadline:
        nextcall = admin.call("ir.cron", "read", [cron], ["nextcall"])[0]["nextcall"]
        if nextcall > now.strftime(FMT):
            break
        time.sleep(2)
    _trigger_in_parallel(admin, cron)

    logs = _logs(admin, reg_ids)
    pairs = [(log["registration_id"][0], log["code"]) for log in logs]
    assert len(pairs) == len(set(pairs)), "a message sent twice"
    e1r = {log["registration_id"][0]: log for log in logs if log["code"] == "E1R"}
    assert sorted(e1r) == sorted(reg_ids)
    assert {log["event_date"] for log in e1r.values()} == {moved.strftime(FMT)}
    # the E1 rows keep the date they announced
    assert {log["event_date"] for log in logs if log["code"] == "E1"} == {
        begin.strftime(FMT)}
    for reg_id in reg_ids:
        mails = admin.call("mail.message", "search_count", [
            ("model", "=", "event.registration"), ("res_id", "=", reg_id),
            ("message_type", "=", "email"), ("subject", "like", "改期")])
        assert mails == 1, reg_id
    sms = admin.call("attribution.sms.message", "search_read", [
        ("registration_id", "in", reg_ids), ("code", "=", "E1R")], ["registration_id"])
    assert sorted(s["registration_id"][0] for s in sms) == sorted(reg_ids)


def test_E2_moved_event_two_cron_workers_send_it_once_per_start(admin, office):
    """E2 went out for a start after midnight (office time); the event is brought
    forward to this evening, another office day (a start moved within its day is no
    postponement: the messages name days). Two clients running the job at once,
    three rounds: each guest gets one E1R and one more E2 (for the new start), never
    a third; one E3 call, for the new start. The office's zone is one where it is
    evening now, so both eves' E2 windows are open whatever the hour of the run."""
    now = datetime.datetime.utcnow().replace(microsecond=0)
    zone = _evening_zone(now)
    with _in_office_zone(admin, zone):
        _moved_event_two_workers(admin, office, now, zone)


def _moved_event_two_workers(admin, office, now, zone):
    begin = now + datetime.timedelta(hours=6)  # after midnight: tomorrow
    event, reg_ids = _event_with_guests(admin, office, "m", begin, 3, "158")
    cron = admin.ref("sales_attribution.ir_cron_event_attribution_messages")
    _trigger_in_parallel(admin, cron)
    e2 = [log for log in _logs(admin, reg_ids) if log["code"] == "E2"]
    assert sorted(log["registration_id"][0] for log in e2) == sorted(reg_ids)

    moved = now + datetime.timedelta(hours=2)  # this evening: today
    assert _office_day(moved, zone) < _office_day(begin, zone)
    admin.call("event.event", "write", [event], {
        "date_begin": moved.strftime(FMT),
        "date_end": (moved + datetime.timedelta(hours=4)).strftime(FMT)})
    for _round in range(3):
        _trigger_in_parallel(admin, cron)

    logs = _logs(admin, reg_ids)
    keys = [(log["registration_id"][0], log["code"], log["event_date"])
            for log in logs]
    assert len(keys) == len(set(keys)), "a message sent twice for one start"
    for reg_id in reg_ids:
        mine = [log for log in logs if log["registration_id"][0] == reg_id]
        assert sorted(log["event_date"] for log in mine if log["code"] == "E2") == \
            sorted([begin.strftime(FMT), moved.strftime(FMT)]), reg_id
        assert [log["code"] for log in mine].count("E1R") == 1, reg_id
        # one call, for the new start (today); none was due for tomorrow's
        assert [log["code"] for log in mine].count("E3") == 1, reg_id
    sms = admin.call("attribution.sms.message", "search_read", [
        ("registration_id", "in", reg_ids), ("code", "=", "E2")], ["registration_id"])
    assert sorted(s["registration_id"][0] for s in sms) == sorted(reg_ids * 2)


def test_E1R_start_moved_within_its_day_two_cron_workers_send_nothing(admin, office):
    """E1, E2 and the E3 call went out for a start 3 hours ahead; the event is
    brought forward to 1 hour ahead, the same office day (a zone where it is late
    morning now). Two clients running the job at once, three rounds: no 改期
    message, no second E2 nor E3 call; the consultant gets the re-confirmation
    call about the hour."""
    now = datetime.datetime.utcnow().replace(microsecond=0)
    zone = _zone_where(now, datetime.time(10), datetime.time(14))
    with _in_office_zone(admin, zone):
        begin = now + datetime.timedelta(hours=3)
        event, reg_ids = _event_with_guests(admin, office, "d", begin, 3, "159")
        cron = admin.ref("sales_attribution.ir_cron_event_attribution_messages")
        _trigger_in_parallel(admin, cron)
        before = sorted((log["registration_id"][0], log["code"])
                        for log in _logs(admin, reg_ids))
        assert sorted(set(c for _r, c in before)) == ["E1", "E2", "E3"]
        moved = now + datetime.timedelta(hours=1)
        assert _office_day(moved, zone) == _office_day(begin, zone)
        admin.call("event.event", "write", [event], {
            "date_begin": moved.strftime(FMT),
            "date_end": (moved + datetime.timedelta(hours=4)).strftime(FMT)})
        for _round in range(3):
            _trigger_in_parallel(admin, cron)
        after = sorted((log["registration_id"][0], log["code"])
                       for log in _logs(admin, reg_ids))
        assert after == before, "a message sent again for the same day"
        calls = admin.call("mail.activity", "search_read", [
            ("res_model", "=", "event.registration"), ("res_id", "in", reg_ids),
            ("summary", "like", "re-confirm")], ["res_id"])
        assert sorted(c["res_id"] for c in calls) == sorted(reg_ids)
