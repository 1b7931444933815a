"""Parallel XML-RPC load on a running server: walk-in registrations at the desks.

Usage: python bench/rpc_load.py --url http://127.0.0.1:PORT --db DB [--clients 16]
       [--per-client 25] [--results FILE]

Each client is a thread with its own ``xmlrpc.client`` connection, logged in as a bench
consultant (``bench_cTT_CC`` / ``bench``; clients spread over the teams' desks). Phase
1 (baseline): every client creates ``--per-client`` plain ``crm.lead`` records. Phase 2:
every client registers as many walk-ins (``attribution.visit`` create by phone; one in
four a known customer of its team, the others new numbers). Reports per phase:
operations per second over the wall time, error count and the first errors.
"""
# pylint: disable=print-used  # a command-line tool: what it prints is its output
import argparse
import json
import threading
import time
import xmlrpc.client

import sys
import os

sys.path.insert(0, os.path.dirname(__file__))
import benchlib  # noqa: E402


def consultants(url, db):
    common = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/common")
    uid = common.authenticate(db, "bench_c00_00", "bench", {})
    if not uid:
        raise SystemExit("bench: cannot log in as bench_c00_00")
    models = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/object")
    # the bench users: logins bench_cTT_CC
    users = models.execute_kw(db, uid, "bench", "res.users", "search_read",
                              [[("login", "=like", "bench_c%")]],
                              {"fields": ["login", "sale_team_id"], "order": "login"})
    by_team = {}
    for user in users:
        by_team.setdefault(user["sale_team_id"][0], []).append(user["login"])
    teams = sorted(by_team)
    # client i: team i mod T, the (i div T)-th consultant of that team
    return [(by_team[teams[i % len(teams)]]
             [(i // len(teams)) % len(by_team[teams[i % len(teams)]])],
             teams[i % len(teams)]) for i in range(64)]


def run_phase(url, db, kind, clients, per_client, known):
    errors = []
    durations = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(clients) + 1)

    def client(index, login, team_id):
        common = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/common")
        uid = common.authenticate(db, login, "bench", {})
        models = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/object", allow_none=True)
        barrier.wait()
        for k in range(per_client):
            phone = "136%02d%06d" % (index, k) if kind == "lead" or k % 4 else \
                known[(index * per_client + k) % len(known)]
            if kind == "lead":
                model, vals = "crm.lead", {
                    "name": "RPC lead %d-%d" % (index, k), "contact_name": "RPC %d" % k,
                    "mobile": phone, "team_id": team_id, "type": "opportunity",
                    "user_id": uid}
            else:
                model, vals = "attribution.visit", {
                    "phone": phone, "team_id": team_id, "kind": "walk_in",
                    "asked_prior_visit": True}
            t = time.perf_counter()
            try:
                models.execute_kw(db, uid, "bench", model, "create", [vals])
                with lock:
                    durations.append(time.perf_counter() - t)
            except Exception as err:  # any fault counts, the first ones are shown
                with lock:
                    lines = [ln for ln in str(err).splitlines() if ln.strip()]
                    errors.append("%s: %s" % (type(err).__name__,
                                              (lines[-1] if lines else "")[-200:]))

    threads = [threading.Thread(target=client, args=(i, login, team))
               for i, (login, team) in enumerate(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    done = len(durations)
    result = {"ok": done, "errors": len(errors), "seconds": wall,
              "per_second": done / wall if wall else None,
              "first_errors": errors[:3]}
    result.update(benchlib.summary_ms(durations))
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--per-client", type=int, default=25)
    parser.add_argument("--results")
    opts = parser.parse_args()
    clients = consultants(opts.url, opts.db)[:opts.clients]
    # known customers: numbers the generator gave (139 + 8 digits), first 1000
    known = ["139%08d" % i for i in range(1000)]
    result = {"clients": opts.clients, "per_client": opts.per_client}
    for kind in ("lead", "visit"):
        result[kind] = run_phase(opts.url, opts.db, kind,
                                 clients, opts.per_client, known)
        print("[bench rpc] %s: %s" % (kind, json.dumps(result[kind])), flush=True)
    if opts.results:
        benchlib.write_result(opts.results, "parallel", result)


if __name__ == "__main__":
    sys.exit(main())
