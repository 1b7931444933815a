"""In-process measures on a loaded bench database; every change is rolled back.

Usage (through ``bench/run``): python bench/measure.py [odoo options] -- --scale 1k
    [--ops 200] [--results FILE] [--only registration,splits,sends] [--profile DIR]

* registration: ``attribution.visit`` create (walk-in at the desk: phone lookup, facts,
  rotation turn, decision log, conflict check, chatter) against a plain ``crm.lead``
  create, both as a consultant (not the superuser) at their project's desk,
  alternated, ``--ops`` of each after a warm-up; median and p95 per operation, and the
  walk-ins' median per kind (``KINDS``: new number, customer known in this project,
  customer known only in other projects).
* splits: ``crm.lead.action_compute_splits`` on up to 10000 won leads as a manager,
  in batches of 100 (a list selection); leads per second (stops after
  ``--split-seconds`` and reports the rate so far: each batch gathers its facts and
  writes its lines on its own, so the rate does not depend on how many were done).
* sends: ``event.registration._cron_attribution_messages(now=<E1 due>)`` on the bench
  event (10000 registrations; ``--sends N`` moves all but N of them, inside the
  rolled-back transaction, to an event months ahead): E1 mails rendered and queued
  (mail.mail, SMS outbox, chatter) per second; also the CPU seconds of this process
  (Python: rendering, ORM) and the SQL statements of the run, which the load of other
  processes on the machine does not change.

``--profile DIR`` writes a cProfile of each measure to DIR/<measure>.prof.
"""
# pylint: disable=print-used  # a command-line tool: what it prints is its output
import argparse
import cProfile
import os
import random
import sys
import time
from datetime import timedelta

import benchlib

WARMUP = 10


def profiled(opts, name, func):
    if not opts.profile:
        return func()
    prof = cProfile.Profile()
    try:
        return prof.runcall(func)
    finally:
        os.makedirs(opts.profile, exist_ok=True)
        prof.dump_stats(os.path.join(opts.profile, "%s.prof" % name))


def bench_user(env, login):
    user = env["res.users"].search([("login", "=", login)])
    if not user:
        raise SystemExit(
            "bench: user %s missing; load the data with bench/gen.py" % login)
    return user


#: the walk-ins of the registration measure, in turn: half new numbers, a quarter
#: customers known in the desk's project (some also elsewhere), a quarter customers
#: known only in other projects (the multi-project path: a new ownership row here)
KINDS = ("new", "here", "new", "elsewhere")


def known_phones(env, team):
    """``(here, elsewhere)``: mobiles of the bench customers with an ownership row in
    ``team`` (a ``crm.team``), and of those known only in other projects."""
    env.cr.execute("""
        SELECT p.mobile, bool_or(o.team_id = %s)
          FROM attribution_ownership o JOIN res_partner p ON p.id = o.partner_id
         WHERE p.mobile LIKE '139%%'
         GROUP BY p.id, p.mobile ORDER BY p.id""", (team.id,))
    rows = env.cr.fetchall()
    return ([m for m, here in rows if here], [m for m, here in rows if not here])


def measure_registration(registry, opts):
    from odoo import fields
    rnd = random.Random(11)
    with benchlib.environment(registry) as su_env:
        consultant = bench_user(su_env, "bench_c00_00")
        team = consultant.sale_team_id
        here, elsewhere = known_phones(su_env, team)
        if not here or not elsewhere:
            raise SystemExit("bench: the data set has no customer known in %s, or "
                             "none known only elsewhere; load it with bench/gen.py "
                             "(several projects)" % team.name)
        env = su_env(user=consultant.id)
        Visit = env["attribution.visit"]
        Lead = env["crm.lead"]
        visit_times, lead_times = [], []
        by_kind = {kind: [] for kind in KINDS}
        total = opts.ops + WARMUP

        def one_round(k):
            kind = KINDS[k % len(KINDS)]
            phone = {"new": lambda: "138%08d" % (k + 1),
                     "here": lambda: rnd.choice(here),
                     "elsewhere": lambda: rnd.choice(elsewhere)}[kind]()
            now = fields.Datetime.now()
            t = benchlib.Timer()
            Visit.create({"phone": phone, "team_id": team.id, "kind": "walk_in",
                          "asked_prior_visit": True, "visit_datetime": now})
            visit_s = t.seconds
            t = benchlib.Timer()
            Lead.create({"name": "Bench walk-in %d" % k,
                         "contact_name": "Walk-in %d" % k,
                         "mobile": phone, "team_id": team.id, "type": "opportunity",
                         "user_id": consultant.id})
            lead_s = t.seconds
            if k >= WARMUP:
                visit_times.append(visit_s)
                lead_times.append(lead_s)
                by_kind[kind].append(visit_s)

        def run():
            for k in range(total):
                one_round(k)

        try:
            profiled(opts, "registration", run)
        finally:
            env.cr.rollback()
    visit = benchlib.summary_ms(visit_times)
    lead = benchlib.summary_ms(lead_times)
    return {"visit": visit, "lead": lead,
            "by_kind": {kind: benchlib.summary_ms(times)
                        for kind, times in by_kind.items()},
            "known_here": len(here), "known_elsewhere_only": len(elsewhere),
            "ratio_median": visit["median_ms"] / lead["median_ms"],
            "ratio_p95": visit["p95_ms"] / lead["p95_ms"]}


def measure_splits(registry, opts):
    with benchlib.environment(registry) as su_env:
        manager = bench_user(su_env, "bench_m00")
        env = su_env(user=manager.id)
        # sudo: pick the won deals of every team; the manager computes them
        lead_ids = su_env["crm.lead"].search(
            su_env["crm.lead"]._attribution_won_domain(),
            order="id", limit=opts.split_leads).ids
        # the manager's access right to split lines is checked; the leads are read
        # as the superuser (a manager's record rules may hide other teams' deals)
        env["attribution.split.line"].check_access_rights("write")
        Lead = su_env["crm.lead"]
        done = 0
        timer = benchlib.Timer()

        def run():
            nonlocal done
            for start in range(0, len(lead_ids), 100):
                batch = Lead.browse(lead_ids[start:start + 100])
                batch.action_compute_splits()
                done += len(batch)
                if timer.seconds > opts.split_seconds:
                    break

        try:
            profiled(opts, "splits", run)
            seconds = timer.seconds
        finally:
            env.cr.rollback()
    return {"leads": done, "available": len(lead_ids), "seconds": seconds,
            "per_second": done / seconds if seconds else None}


#: registrations of the plain-Odoo reference of the sends measure
REFERENCE_SENDS = 200


def plain_send_mail(env, reg_ids):
    """Mails per second of Odoo's own ``mail.template.send_mail`` (a plain template
    on ``event.registration``: subject, addressee and a one-line body) for
    ``reg_ids``, one by one, in the caller's transaction: the reference of the sends
    measure, taken in the same run and under the same load."""
    template = env["mail.template"].create({
        "name": "Bench plain reference",
        "model_id": env["ir.model"]._get_id("event.registration"),
        "subject": "${object.event_id.name}",
        "email_from": "bench@example.com",
        "email_to": "${object.email|safe}",
        "body_html": "<p>${object.name}</p>",
    })
    timer = benchlib.Timer()
    for reg_id in reg_ids:
        template.send_mail(reg_id)
    seconds = timer.seconds
    return len(reg_ids) / seconds if seconds else None


def measure_sends(registry, opts):
    with benchlib.environment(registry) as env:
        if "attribution.message.log" not in env:
            return {"skipped": "the events branch (E1-E5 cron) is not on this branch"}
        from odoo import fields
        from odoo.addons.sales_attribution.attribution import events as policy
        Reg = env["event.registration"]
        event = env["event.event"].search([("name", "=", "Bench Investment Forum")],
                                          limit=1)
        facts = Reg._attribution_facts(event)
        start, _end = policy.code_window(facts, "E1")
        now = start + timedelta(minutes=1)
        reg_ids = Reg.search([("event_id", "=", event.id), ("state", "=", "open")],
                             order="id").ids
        if opts.sends < len(reg_ids):
            parked = event.copy({"name": "Bench parked registrations",
                                 "date_begin": fields.Datetime.to_string(
                                     facts.date_begin + timedelta(days=200)),
                                 "date_end": fields.Datetime.to_string(
                                     facts.date_end + timedelta(days=200))})
            env.cr.execute("UPDATE event_registration SET event_id = %s "
                           "WHERE id = ANY(%s)", (parked.id, reg_ids[opts.sends:]))
            Reg.invalidate_cache()
        regs = min(opts.sends, len(reg_ids))
        env.cr.execute("SELECT count(*) FROM mail_mail")
        mails_before = env.cr.fetchone()[0]
        queries = env.cr.sql_log_count
        cpu = time.process_time()
        timer = benchlib.Timer()
        try:
            result = profiled(opts, "sends",
                              lambda: Reg._cron_attribution_messages(now=now))
            seconds = timer.seconds
            cpu = time.process_time() - cpu
            queries = env.cr.sql_log_count - queries
            env.cr.execute("SELECT count(*) FROM mail_mail")
            mails = env.cr.fetchone()[0] - mails_before
            env.cr.execute("SELECT count(*) FROM attribution_sms_message")
            sms = env.cr.fetchone()[0]
            reference = plain_send_mail(env, reg_ids[:REFERENCE_SENDS])
        finally:
            env.cr.rollback()
    sent = [code for _reg, code in result["sent"]]
    return {"registrations": regs, "sent": len(sent),
            "sent_e1": sent.count("E1"), "mails_queued": mails, "sms_queued": sms,
            "seconds": seconds, "per_second": len(sent) / seconds if seconds else None,
            "cpu_seconds": cpu, "queries": queries, "reference_per_second": reference,
            "now": fields.Datetime.to_string(now)}


MEASURES = {"registration": measure_registration, "splits": measure_splits,
            "sends": measure_sends}


def main():
    odoo_args, args = benchlib.split_argv()
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="1k")
    parser.add_argument("--ops", type=int, default=200)
    parser.add_argument("--results")
    parser.add_argument("--only", default=",".join(MEASURES))
    parser.add_argument("--profile")
    parser.add_argument("--split-leads", type=int, default=10000)
    parser.add_argument("--split-seconds", type=float, default=120.0)
    parser.add_argument("--sends", type=int, default=10000)
    opts = parser.parse_args(args)
    registry = benchlib.open_registry(odoo_args)
    for name in opts.only.split(","):
        print("[bench measure] %s ..." % name, flush=True)
        result = MEASURES[name](registry, opts)
        print("[bench measure] %s: %s" % (name, result), flush=True)
        if opts.results:
            benchlib.write_result(opts.results, name, result)


if __name__ == "__main__":
    sys.exit(main())
