"""Desks of different projects (案场) register walk-ins at the same moment (issue 14,
point 7): the rotation of one project never waits for another's.

Every walk-in of a new number is served by its project's rotation (rule A3): the
rotation row is locked (``SELECT ... FOR UPDATE`` in ``attribution.rotation
._serve_turn``) until the registration commits. The lock must be the project's
rotation row and nothing shared, so:

- ``test_A03_rotation_lock_holds_only_its_project``: a transaction of the test
  (psycopg2, outside Odoo) holds project A's rotation row; a walk-in at A's desk
  waits for it (seen in ``pg_stat_activity`` as blocked by the test's transaction),
  while a walk-in at B's desk completes within its request; once the test releases
  the lock, A's walk-in completes too, each rotation served exactly one turn;
- ``test_A03_desks_of_projects_at_once``: the desks of PROJECTS projects register
  WALK_INS walk-ins each at the same moment: no error, each rotation advanced
  exactly once per walk-in registered there, round robin within one turn. The wall
  time against one desk alone is written to ``live_timings.txt`` (a measured figure,
  not a target: the server has 4 workers on a shared machine).

Only the administrator (``admin``) and the users these tests create are used, so the
file also runs against a bench database (``bench/README.md``).
"""
import os
import threading
import time
import xmlrpc.client
from collections import Counter

import psycopg2
import pytest

from conftest import DB, PASSWORD, URL, Client

PROJECTS = 4
CONSULTANTS = 3
WALK_INS = int(os.environ.get("SA_LIVE_DESK_WALKINS", "6"))
#: seconds a request may take on the shared machine before it counts as waiting
WAIT = 120


def _pg():
    return psycopg2.connect(dbname=DB, host=os.environ.get("PGHOST") or None,
                            port=os.environ.get("PGPORT") or None, user="odoo",
                            password="odoo")


@pytest.fixture(scope="module")
def projects(admin):
    """PROJECTS projects, each with CONSULTANTS consultants all present in its
    rotation; ``[{"team", "rotation", "users": [(uid, login)], "clients"}]``."""
    stamp = "%d" % (time.time() * 1000)
    consultant = admin.ref("sales_attribution.group_consultant")
    internal = admin.ref("base.group_user")
    made = []
    for p in range(PROJECTS):
        users = []
        for c in range(CONSULTANTS):
            login = "live_proj_%s_%d_%d" % (stamp, p, c)
            users.append((admin.call("res.users", "create", {
                "name": "Project %d Desk %d %s" % (p, c, stamp), "login": login,
                "password": PASSWORD, "email": "%s@example.invalid" % login,
                "lang": "en_US", "notification_type": "inbox",
                "groups_id": [(6, 0, [internal, consultant])]}), login))
        team = admin.call("crm.team", "create", {
            "name": "Live Project %d %s" % (p, stamp),
            "member_ids": [(6, 0, [uid for uid, _login in users])]})
        admin.call("res.users", "write", [uid for uid, _login in users],
                   {"sale_team_id": team})
        rotation = admin.call("attribution.rotation", "create", {
            "team_id": team,
            "member_ids": [(0, 0, {"user_id": uid, "sequence": 10 * (i + 1),
                                   "present": True})
                           for i, (uid, _login) in enumerate(users)]})
        made.append({"team": team, "rotation": rotation, "users": users,
                     "clients": [Client(login, PASSWORD) for _uid, login in users]})
    return {"stamp": stamp, "projects": made}


def _phones(stamp, run):
    """New mobile numbers of one run of a test: ``phone(desk, k)``."""
    return lambda desk, k: "135%s%d%d%02d" % (stamp[-4:], run, desk, k)


def _rotation(admin, project):
    """``(last_sequence, sorted sequences of the present members)``."""
    row = admin.call("attribution.rotation", "read", [project["rotation"]],
                     ["last_sequence", "member_ids"])[0]
    members = admin.call("attribution.rotation.member", "read", row["member_ids"],
                         ["sequence", "present"])
    return row["last_sequence"], sorted(m["sequence"] for m in members if m["present"])


def _turns_later(state, turns):
    """The ``last_sequence`` of a rotation in ``state`` after ``turns`` turns (every
    member present, no make-up credit: each turn goes to the next position)."""
    last, seqs = state
    start = max([i for i, seq in enumerate(seqs) if seq <= last] or [-1])
    return seqs[(start + turns) % len(seqs)]


def _walk_in(client, team, phone):
    """One walk-in at ``team``'s desk over a connection of its own; the visit id."""
    proxy = xmlrpc.client.ServerProxy(URL + "/xmlrpc/2/object", allow_none=True)
    return proxy.execute_kw(DB, client.uid, client.password, "attribution.visit",
                            "create", [{"phone": phone, "team_id": team,
                                        "kind": "walk_in", "asked_prior_visit": True}],
                            {})


def _in_thread(func, *args):
    """Start ``func(*args)`` in a thread; ``(thread, outcome)`` where ``outcome``
    gets ``"id"`` or ``"error"``."""
    outcome = {}

    def run():
        try:
            outcome["id"] = func(*args)
        except Exception as err:  # the test reports every error
            outcome["error"] = str(err)[:500]

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def _blocked_by(pid, timeout):
    """The backends of DB blocked by the backend ``pid`` (waits up to ``timeout``
    seconds for one to appear)."""
    watch = _pg()
    watch.autocommit = True
    try:
        deadline = time.time() + timeout
        while True:
            with watch.cursor() as cr:
                cr.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s "
                           "AND %s = ANY(pg_blocking_pids(pid))", (DB, pid))
                blocked = [row[0] for row in cr.fetchall()]
            if blocked or time.time() > deadline:
                return blocked
            time.sleep(0.2)
    finally:
        watch.close()


def test_A03_rotation_lock_holds_only_its_project(admin, projects):
    proj_a, proj_b = projects["projects"][:2]
    phone = _phones(projects["stamp"], 1)
    before = {"a": _rotation(admin, proj_a), "b": _rotation(admin, proj_b)}
    holder = _pg()
    try:
        with holder.cursor() as cr:
            cr.execute("SELECT pg_backend_pid()")
            pid = cr.fetchone()[0]
            cr.execute("SELECT id FROM attribution_rotation WHERE id = %s FOR UPDATE",
                       (proj_a["rotation"],))
        thread_a, outcome_a = _in_thread(_walk_in, proj_a["clients"][0],
                                         proj_a["team"], phone(0, 0))
        waiting = _blocked_by(pid, WAIT)
        assert waiting, "the walk-in at A's desk never waited for A's rotation lock"
        started = time.time()
        thread_b, outcome_b = _in_thread(_walk_in, proj_b["clients"][0],
                                         proj_b["team"], phone(1, 0))
        thread_b.join(WAIT)
        b_seconds = time.time() - started
        b_done = not thread_b.is_alive()
        a_still_waiting = thread_a.is_alive() and bool(_blocked_by(pid, 0))
    finally:
        holder.rollback()
        holder.close()
    thread_a.join(WAIT)
    thread_b.join(WAIT)
    assert b_done, "the walk-in at B's desk waited for A's rotation lock (%.0f s)" % (
        b_seconds)
    assert "error" not in outcome_b, outcome_b
    assert a_still_waiting, "A's walk-in did not wait while B's was registered"
    assert not thread_a.is_alive(), "A's walk-in did not complete after the release"
    assert "error" not in outcome_a, outcome_a
    visits = admin.call("attribution.visit", "read",
                        [outcome_a["id"], outcome_b["id"]],
                        ["team_id", "rule_code", "owner_id"])
    for visit, proj in zip(visits, (proj_a, proj_b)):
        assert visit["rule_code"] == "A3", visit
        assert visit["team_id"][0] == proj["team"]
        assert visit["owner_id"][0] in [uid for uid, _login in proj["users"]]
    for key, proj in (("a", proj_a), ("b", proj_b)):
        assert _rotation(admin, proj)[0] == _turns_later(before[key], 1), key


def _desks(desks, phone):
    """Every ``(index, project, client)`` of ``desks`` registers WALK_INS walk-ins of
    new numbers, all starting at once; ``(visit ids, errors, wall seconds)``."""
    ids, errors = [], []
    lock = threading.Lock()
    barrier = threading.Barrier(len(desks) + 1)

    def desk(index, project, client):
        barrier.wait()
        for k in range(WALK_INS):
            try:
                new_id = _walk_in(client, project["team"], phone(index, k))
                with lock:
                    ids.append(new_id)
            except Exception as err:  # every error is a finding
                with lock:
                    errors.append(str(err)[:300])

    threads = [threading.Thread(target=desk, args=args, daemon=True) for args in desks]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.time()
    for thread in threads:
        thread.join(1800)
    return ids, errors, time.time() - started


def test_A03_desks_of_projects_at_once(admin, projects):
    made = projects["projects"]
    runs = {}
    for run, desks in ((2, [(0, made[0], made[0]["clients"][0])]),
                       (3, [(i, p, p["clients"][0]) for i, p in enumerate(made)])):
        before = {p["team"]: _rotation(admin, p) for _i, p, _c in desks}
        ids, errors, seconds = _desks(desks, _phones(projects["stamp"], run))
        runs[run] = seconds
        assert errors == [], errors
        assert len(ids) == WALK_INS * len(desks)
        visits = admin.call("attribution.visit", "read", ids,
                            ["team_id", "rule_code", "owner_id"])
        for _i, proj, _c in desks:
            served = [v["owner_id"][0] for v in visits
                      if v["team_id"][0] == proj["team"] and v["rule_code"] == "A3"]
            assert len(served) == WALK_INS, (proj["team"], visits)
            counts = Counter(served)
            per_user = [counts.get(uid, 0) for uid, _login in proj["users"]]
            assert max(per_user) - min(per_user) <= 1, per_user
            assert _rotation(admin, proj)[0] == _turns_later(
                before[proj["team"]], WALK_INS), proj["team"]
    timing = ("desks of %d projects at once, %d walk-ins each: %.1f s; one desk "
              "alone: %.1f s (%.2fx)" % (PROJECTS, WALK_INS, runs[3], runs[2],
                                         runs[3] / runs[2]))
    if os.environ.get("SA_LIVE_OUT"):
        with open(os.path.join(os.environ["SA_LIVE_OUT"], "live_timings.txt"),
                  "a") as fh:
            fh.write(timing + "\n")
