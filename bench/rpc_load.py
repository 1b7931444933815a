"""Parallel XML-RPC load on a running server: walk-in registrations at the desks.

Usage: python bench/rpc_load.py --url http://127.0.0.1:PORT --db DB [--clients 16]
       [--per-client 25] [--desks 4] [--admin-password admin] [--results FILE]

Each client is a thread with its own ``xmlrpc.client`` connection, logged in as a bench
consultant (``bench_cTT_CC`` / ``bench``; client i at the desk of project i mod P).
Phase 1 (baseline): every client creates ``--per-client`` plain ``crm.lead`` records.
Phase 2: every client registers as many walk-ins (``attribution.visit`` create by
phone; one in four a customer among the first 1000 of the data set, most of them known
in another project than the desk's, the others new numbers). Reports per phase:
operations per second over the wall time, error count and the first errors.

Phase 3 (desks of several projects, issue 14): the desk of one project registers
``--per-client`` walk-ins of new numbers alone, then ``--desks`` desks of as many
projects register as many each at the same moment, then as many desks of that one
project (for contrast: they take turns on its rotation). Every walk-in of a new
number is served by its project's rotation (A3): the rotation of each project must
have advanced exactly once per walk-in registered there (its ``last_sequence``
moved by that many positions, each consultant served within one turn of the others,
read as the administrator). Reported: the three wall times, errors, and whether every
rotation advanced exactly; the wall time of the parallel desks against one desk's is a
measured figure, not a target (with 4 workers on 2 cores, 4 desks cannot all run at
once).
"""
# pylint: disable=print-used  # a command-line tool: what it prints is its output
import argparse
import bisect
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
             teams[i % len(teams)]) for i in range(64)], by_team


def run_phase(url, db, kind, clients, per_client, known, phones=None):
    """Every client (login, team id) creates ``per_client`` records of ``kind``
    (``lead`` or ``visit``) at the same moment; ``phones(index, k)`` gives the k-th
    number of client ``index`` (default: new numbers, one in four a known one for
    visits)."""
    errors = []
    durations = []
    created = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(clients) + 1)

    def client(index, login, team_id):
        common = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/common")
        uid = common.authenticate(db, login, "bench", {})
        models = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/object", allow_none=True)
        barrier.wait()
        for k in range(per_client):
            if phones:
                phone = phones(index, k)
            else:
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
                new_id = models.execute_kw(db, uid, "bench", model, "create", [vals])
                with lock:
                    durations.append(time.perf_counter() - t)
                    created.append((team_id, new_id))
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
              "first_errors": errors[:3], "created": created}
    result.update(benchlib.summary_ms(durations))
    return result


class Admin:
    """The administrator over XML-RPC: reads the rotations and the visits."""

    def __init__(self, url, db, password):
        common = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/common")
        self.uid = common.authenticate(db, "admin", password, {})
        if not self.uid:
            raise SystemExit("bench: cannot log in as admin (--admin-password)")
        self.models = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/object",
                                                allow_none=True)
        self.db, self.password = db, password

    def call(self, model, method, *args, **kw):
        return self.models.execute_kw(self.db, self.uid, self.password, model, method,
                                      list(args), kw)

    def rotations(self, team_ids):
        """``{team id: (last_sequence, sorted sequences of present members)}``."""
        rows = self.call("attribution.rotation", "search_read",
                         [("team_id", "in", list(team_ids))],
                         fields=["team_id", "last_sequence", "member_ids"])
        members = self.call("attribution.rotation.member", "search_read",
                            [("rotation_id", "in", [r["id"] for r in rows])],
                            fields=["rotation_id", "sequence", "present"])
        state = {}
        for row in rows:
            seqs = sorted(m["sequence"] for m in members
                          if m["rotation_id"][0] == row["id"] and m["present"])
            state[row["team_id"][0]] = (row["last_sequence"], seqs)
        return state


def advanced(before, after, walk_ins):
    """Whether a rotation went from ``before`` to ``after`` (``(last_sequence,
    present sequences)``) by exactly ``walk_ins`` turns (every member present, no
    make-up credit: the turn goes to the next position in order)."""
    last, seqs = before
    if not seqs:
        return False
    start = bisect.bisect_right(seqs, last) - 1
    return after[0] == seqs[(start + walk_ins) % len(seqs)]


def desks_phase(url, db, admin, desks, per_client, by_team):
    """One desk alone, then ``desks`` desks of as many projects at the same moment,
    then as many desks of one project; walk-ins of new numbers (A3 each)."""
    # at most 10 desks: the desk's digit in the new numbers below
    teams = sorted(by_team)[:min(desks, 10)]
    stamp = int(time.time()) % 10000
    result = {"desks": len(teams), "per_desk": per_client}
    runs = (("one_desk", [(by_team[teams[0]][0], teams[0])]),
            ("projects", [(by_team[t][0], t) for t in teams]),
            ("one_project", [(by_team[teams[0]][i % len(by_team[teams[0]])],
                              teams[0]) for i in range(len(teams))]))
    exact = True
    for number, (label, clients) in enumerate(runs):
        before = admin.rotations({team for _login, team in clients})

        def phones(index, k, number=number):
            # new numbers of this run: 135, 4 digits of the clock, run, desk, k
            return "135%04d%d%d%02d" % (stamp, number, index, k % 100)

        phase = run_phase(url, db, "visit", clients, per_client, [], phones)
        after = admin.rotations(before)
        ids = [vid for _team, vid in phase.pop("created")]
        visits = admin.call("attribution.visit", "read", ids,
                            ["team_id", "rule_code", "owner_id"])
        turns = {}
        for visit in visits:
            if visit["rule_code"] == "A3":
                turns.setdefault(visit["team_id"][0], []).append(visit["owner_id"][0])
        phase["rotations_exact"] = all(
            len(turns.get(team, [])) == count
            and advanced(before[team], after[team], count)
            for team, count in _per_team(clients, per_client).items())
        exact = exact and phase["rotations_exact"] and phase["errors"] == 0
        result[label] = phase
        print("[bench rpc] desks %s: %s" % (label, json.dumps(phase)), flush=True)
    result["projects_vs_one_desk"] = (result["projects"]["seconds"]
                                      / result["one_desk"]["seconds"])
    result["one_project_vs_one_desk"] = (result["one_project"]["seconds"]
                                         / result["one_desk"]["seconds"])
    result["exact"] = exact
    return result


def _per_team(clients, per_client):
    counts = {}
    for _login, team in clients:
        counts[team] = counts.get(team, 0) + per_client
    return counts


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--per-client", type=int, default=25)
    parser.add_argument("--desks", type=int, default=4)
    parser.add_argument("--admin-password", default="admin")
    parser.add_argument("--results")
    opts = parser.parse_args()
    clients, by_team = consultants(opts.url, opts.db)
    clients = clients[:opts.clients]
    # known customers: numbers the generator gave (139 + 8 digits), first 1000
    known = ["139%08d" % i for i in range(1000)]
    result = {"clients": opts.clients, "per_client": opts.per_client}
    for kind in ("lead", "visit"):
        result[kind] = run_phase(opts.url, opts.db, kind,
                                 clients, opts.per_client, known)
        result[kind].pop("created")
        print("[bench rpc] %s: %s" % (kind, json.dumps(result[kind])), flush=True)
    if opts.desks:
        admin = Admin(opts.url, opts.db, opts.admin_password)
        result["desks"] = desks_phase(opts.url, opts.db, admin, opts.desks,
                                      opts.per_client, by_team)
    if opts.results:
        benchlib.write_result(opts.results, "parallel", result)


if __name__ == "__main__":
    sys.exit(main())
