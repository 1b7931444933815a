"""16 parallel XML-RPC clients at the desks of one office (A3 rotation under load).

Wave 1 registers walk-ins of new customers (phone only: the engine finds or creates
the customer by normalised phone and the rotation serves a turn); wave 2 registers
revisits of those customers, half of them received by another consultant (a collision:
a conflict opens). Afterwards:

- no visit is lost: the office has exactly as many visits as registrations succeeded,
  and every registration succeeded;
- no rotation turn is given twice or skipped: with everyone present, the walk-ins
  served by the rotation (rule A3) are spread round-robin, each consultant's count
  within 1 of the others';
- no customer has two open conflicts, and no phone became two customers;
- no client saw an error: serialization failures between the 4 workers are retried by
  Odoo's RPC layer (``odoo.service.model.check``), never surfaced.

Size: SA_LIVE_VISITS registrations (default 400; measured figures in live/README.md).
"""
import os
import random
import threading
import time
import xmlrpc.client
from collections import Counter

import pytest

from conftest import DB, PASSWORD, URL, Client

CLIENTS = 16
VISITS = int(os.environ.get("SA_LIVE_VISITS", "400"))
CONSULTANTS = 4
OPEN_STATES = ("negotiation", "escalated", "agreed", "ruled")


@pytest.fixture(scope="module")
def desk_office(admin, office):
    """A team of four consultants, all present in its rotation."""
    stamp = office["stamp"]
    consultant = admin.ref("sales_attribution.group_consultant")
    internal = admin.ref("base.group_user")
    users = []
    for index in range(CONSULTANTS):
        login = "live_desk_%s_%s" % (stamp, index)
        users.append((admin.call("res.users", "create", {
            "name": "Desk %s %s" % (index, stamp), "login": login, "password": PASSWORD,
            "email": "%s@example.invalid" % login, "lang": "en_US",
            "notification_type": "inbox",
            "groups_id": [(6, 0, [internal, consultant])]}), login))
    team = admin.call("crm.team", "create", {
        "name": "Live Desk Office %s" % stamp, "user_id": office["uid"]["manager"],
        "member_ids": [(6, 0, [uid for uid, _login in users])]})
    rotation = admin.call("attribution.rotation", "create", {
        "team_id": team,
        "member_ids": [(0, 0, {"user_id": uid, "sequence": 10 * (i + 1),
                               "present": True})
                       for i, (uid, _login) in enumerate(users)]})
    return {"team": team, "rotation": rotation, "users": users, "stamp": stamp}


def _engine_installed(admin, team):
    """The visit engine finds/creates the customer from a phone alone."""
    phone = "1350000%04d" % random.randint(0, 9999)
    visit = admin.call("attribution.visit", "create", {
        "phone": phone, "team_id": team, "kind": "walk_in", "asked_prior_visit": True})
    row = admin.call("attribution.visit", "read", [visit],
                     ["partner_id", "owner_id"])[0]
    return bool(row["partner_id"] and row["owner_id"])


def _run_wave(jobs, logins):
    """Run ``jobs`` (vals of visits) over CLIENTS threads; returns (ids, errors, s)."""
    queue = list(jobs)
    lock = threading.Lock()
    ids, errors = [], []

    def worker(index):
        client = Client(logins[index % len(logins)], PASSWORD)
        # one connection per thread: ServerProxy is not thread-safe
        proxy = xmlrpc.client.ServerProxy(URL + "/xmlrpc/2/object", allow_none=True)
        while True:
            with lock:
                if not queue:
                    return
                vals = queue.pop()
            try:
                new_id = proxy.execute_kw(DB, client.uid, PASSWORD, "attribution.visit",
                                          "create", [vals], {})
                with lock:
                    ids.append(new_id)
            except Exception as err:  # every error is a finding
                with lock:
                    errors.append("%s: %s" % (vals.get("phone"), str(err)[:300]))

    started = time.time()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(1800)
    return ids, errors, time.time() - started


def test_A03_parallel_desks_lose_nothing_and_serve_in_turn(admin, desk_office):
    team = desk_office["team"]
    assert _engine_installed(admin, team), "the visit engine decides no owner"
    logins = [login for _uid, login in desk_office["users"]]
    uids = [uid for uid, _login in desk_office["users"]]
    rng = random.Random(int(desk_office["stamp"]) % 100000)
    new_count = max(CLIENTS, VISITS * 3 // 5)
    base = int(desk_office["stamp"][-4:]) * 10000
    phones = ["136%08d" % ((base + i) % 10 ** 8) for i in range(new_count)]
    # careless desks: the same number typed in every way the office types it
    styles = [lambda p: p, lambda p: "+86 %s %s %s" % (p[:3], p[3:7], p[7:]),
              lambda p: "0086-%s" % p, lambda p: "%s-%s-%s" % (p[:3], p[3:7], p[7:]),
              lambda p: p.translate(str.maketrans("0123456789", "０１２３４５６７８９"))]
    wave1 = [{"phone": rng.choice(styles)(p), "team_id": team, "kind": "walk_in",
              "asked_prior_visit": True} for p in phones]
    ids1, errors1, seconds1 = _run_wave(wave1, logins)
    wave2 = []
    for _i in range(VISITS - new_count):
        vals = {"phone": rng.choice(styles)(rng.choice(phones)), "team_id": team,
                "kind": "walk_in", "asked_prior_visit": True,
                "customer_recalls_consultant": False}
        if rng.random() < 0.5:
            vals["receiver_id"] = rng.choice(uids)
        wave2.append(vals)
    ids2, errors2, seconds2 = _run_wave(wave2, logins)
    timing = ("%d visits by %d clients: wave 1 (%d new) %.1fs, wave 2 (%d revisits) "
              "%.1fs, %d errors" % (len(wave1) + len(wave2), CLIENTS, len(wave1),
                                    seconds1, len(wave2), seconds2,
                                    len(errors1 + errors2)))
    if os.environ.get("SA_LIVE_OUT"):
        path = os.path.join(os.environ["SA_LIVE_OUT"], "live_timings.txt")
        with open(path, "a") as fh:
            fh.write(timing + "\n" + "".join("  %s\n" % e for e in
                                             (errors1 + errors2)[:5]))

    assert errors1 + errors2 == [], "clients saw errors"
    # no visit lost
    visits = admin.call("attribution.visit", "search_read", [("team_id", "=", team)],
                        ["partner_id", "owner_id", "rule_code", "decision_id"])
    mine = {v["id"] for v in visits}
    assert set(ids1 + ids2) <= mine
    assert len(visits) == len(ids1) + len(ids2) + 1  # + the probe of the engine
    assert all(v["decision_id"] and v["owner_id"] for v in visits), "undecided visit"
    # no phone became two customers
    partner_ids = sorted({v["partner_id"][0] for v in visits})
    partners = admin.call("res.partner", "read", partner_ids, ["attribution_phone"])
    per_phone = Counter(p["attribution_phone"] for p in partners)
    assert [ph for ph, n in per_phone.items() if n > 1] == []
    assert len(partners) == new_count + 1
    # round robin: the turns the rotation served (A3), per consultant
    served = Counter(v["owner_id"][0] for v in visits if v["rule_code"] == "A3")
    counts = [served.get(uid, 0) for uid in uids]
    assert sum(counts) >= new_count
    assert max(counts) - min(counts) <= 1, counts
    # at most one open conflict per customer
    conflicts = admin.call("attribution.conflict", "search_read",
                           [("partner_id", "in", partner_ids),
                            ("state", "in", list(OPEN_STATES))], ["partner_id"])
    per_customer = Counter(c["partner_id"][0] for c in conflicts)
    assert [p for p, n in per_customer.items() if n > 1] == []


def test_same_new_phone_at_two_desks_is_one_customer(admin, desk_office):
    """Two desks type the same new number at the same moment: one customer."""
    team = desk_office["team"]
    assert _engine_installed(admin, team), "the visit engine decides no owner"
    logins = [login for _uid, login in desk_office["users"]]
    phones = ["1377%07d" % random.randint(0, 10 ** 7 - 1) for _i in range(8)]
    jobs = [{"phone": phone, "team_id": team, "kind": "walk_in",
             "asked_prior_visit": True} for phone in phones for _desk in range(2)]
    ids, errors, _seconds = _run_wave(jobs, logins)
    assert errors == []
    found = admin.call("res.partner", "search_read",
                       [("attribution_phone", "in", phones)], ["attribution_phone"])
    assert sorted(p["attribution_phone"] for p in found) == sorted(phones)
