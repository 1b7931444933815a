"""Load an office chain of ``--scale`` customers into the database (deterministic).

Usage (through ``bench/run``):

    python bench/gen.py [odoo options] -- --scale 1k [--projects 5] [--seed 7]

What is loaded (all figures exact for a given scale and seed):

* ORM (few records, where the business logic matters): ``--projects`` projects (案场,
  ``crm.team``; default 5 at 1k, 20 at 10k, 50 at 100k), each with a manager, 10
  consultants (password ``bench``) and a reception rotation with every consultant
  present.
* bulk SQL (``execute_values``; the ORM would take hours at 100k):
  - customers (``res.partner``) with a normalised mobile (``139xxxxxxxx``), an e-mail,
    an industry; customer i's home project is the (i * P // N)-th (contiguous blocks);
  - ownership (``attribution.ownership``): one row per customer and project that knows
    them, with its owner (a consultant of that project) and the first/last visit dates
    of that project's visits (office dates); 10 % of the customers (every customer
    whose index is 3 modulo 10) are known in 1 or 2 other projects as well, with
    another owner there (2-3 rows). The old ``res_partner`` columns of the home
    project are filled as well while the database has them;
  - families: in every block of 5 customers the 1st and 2nd are spouses and the 3rd is
    their child (direct kin, rows in both directions with ``inverse_id``); the 4th is a
    friend of the 5th with evidence (A15); referral chains: the 4th customer of each
    block referred the 4th of the next block, 10 blocks per chain;
  - visits: 1 to 5 per customer in the home project (3 on average), 1 to 3 in each
    further project, each with its A1 (first in the project) / B6 decision in the
    immutable log, visit and decision carrying the project (``team_id``);
  - leads: one opportunity per customer, in the home project;
    ``max(N/2, min(N, 10000))`` of them won (stage Won, ``date_closed`` within the
    last year) with split lines cycling through A1 (1 line), A15 (2), B5 (2) and
    A9 (3 co-owners): 2 lines per won deal on average, so 100k customers have 100k
    split lines;
  - one event two days ahead with 10000 confirmed registrations (customers reused
    when there are fewer), each signed by the customer's consultant.

Prints the time each part took and the total.
"""
# pylint: disable=print-used  # a command-line tool: what it prints is its output
import random
import sys
import time
from datetime import datetime, timedelta

from psycopg2.extras import execute_values

import benchlib

NOW = datetime.utcnow().replace(microsecond=0)
TEAM_SIZE = 10
EVENT_REGISTRATIONS = 10000
#: projects of the data set per scale when ``--projects`` is not given
PROJECTS = {1000: 5, 10000: 20, 100000: 50}
#: one customer in MULTI_EVERY is known in further projects (10 %)
MULTI_EVERY = 10


def default_projects(count):
    """Projects of a data set of ``count`` customers: ``PROJECTS``, else one per
    2000 customers (at least 2, at most 50)."""
    return PROJECTS.get(count, max(2, min(50, count // 2000)))


def log(msg):
    print("[bench gen] %s" % msg, flush=True)


class Loader:
    def __init__(self, env, count, seed, projects=None):
        self.env = env
        self.cr = env.cr
        self.count = count
        self.projects = projects or default_projects(count)
        self.rnd = random.Random(seed)
        self.columns = {}
        self.times = []

    def step(self, label, func):
        start = time.perf_counter()
        result = func()
        self.times.append((label, time.perf_counter() - start))
        log("%-34s %7.1f s" % (label, self.times[-1][1]))
        return result

    def table_columns(self, table):
        if table not in self.columns:
            self.cr.execute("SELECT column_name FROM information_schema.columns "
                            "WHERE table_name = %s", (table,))
            self.columns[table] = {r[0] for r in self.cr.fetchall()}
        return self.columns[table]

    def insert(self, table, rows, returning=False):
        """Insert dicts (same keys) into ``table``; keys the table lacks are dropped
        (the loader works with and without the branches that add columns)."""
        if not rows:
            return []
        cols = [c for c in rows[0] if c in self.table_columns(table)]
        base = {"create_uid": 1, "write_uid": 1, "create_date": NOW, "write_date": NOW}
        extra = [c for c in base if c in self.table_columns(table) and c not in cols]
        values = [tuple(row[c] for c in cols) + tuple(base[c] for c in extra)
                  for row in rows]
        query = 'INSERT INTO "%s" (%s) VALUES %%s%s' % (
            table, ", ".join('"%s"' % c for c in cols + extra),
            " RETURNING id" if returning else "")
        result = execute_values(self.cr, query, values, page_size=2000, fetch=returning)
        return [r[0] for r in result] if returning else []

    # ------------------------------------------------------------------ ORM part

    def load_office(self):
        """Projects, managers, consultants and rotations. The first project's users
        go through the ORM; the consultants of the others are copies of the first
        consultant in SQL (``clone_users``): Odoo's user create (welcome message,
        channel subscriptions, avatar, password hash) takes about a second a user,
        and 50 projects have 500 consultants."""
        env = self.env
        consultant = env.ref("sales_attribution.group_consultant")
        manager_group = env.ref("sales_attribution.group_manager")
        Users = env["res.users"].with_context(no_reset_password=True,
                                              tracking_disable=True,
                                              mail_create_nosubscribe=True)
        self.teams = []
        template = None
        for t in range(self.projects):
            manager = Users.create({
                "name": "Bench Manager %02d" % t, "login": "bench_m%02d" % t,
                "password": "bench", "email": "bench_m%02d@example.invalid" % t,
                "groups_id": [(6, 0, [manager_group.id])]})
            team = env["crm.team"].with_context(tracking_disable=True).create({
                "name": "Bench Project %02d" % t, "user_id": manager.id,
                "use_opportunities": True, "use_leads": True})
            specs = [{"name": "Bench Consultant %02d-%02d" % (t, c),
                      "login": "bench_c%02d_%02d" % (t, c),
                      "email": "bench_c%02d_%02d@example.invalid" % (t, c),
                      "mobile": "1370000%02d%02d" % (t, c)} for c in range(TEAM_SIZE)]
            if template is None:
                users = env["res.users"]
                for spec in specs:
                    users |= Users.create(dict(
                        spec, password="bench", sale_team_id=team.id,
                        groups_id=[(6, 0, [consultant.id])]))
                template = users[0]
            else:
                users = self.clone_users(template, specs, team.id)
            team.write({"member_ids": [(6, 0, users.ids)]})
            env["attribution.rotation"].create({
                "team_id": team.id,
                "member_ids": [(0, 0, {"user_id": u.id, "sequence": i, "present": True})
                               for i, u in enumerate(users)]})
            self.teams.append((team.id, manager.id, users.ids))

    def clone_users(self, template, specs, team_id):
        """Copies of the user ``template`` (its partner, groups, companies and
        password hash) with the ``name``, ``login``, ``email`` and ``mobile`` of each
        spec, in ``team_id``; the ``res.users`` made."""
        cr = self.cr
        partner_cols = sorted(self.table_columns("res_partner") - {"id"})
        user_cols = sorted(self.table_columns("res_users") - {"id"})

        def copy(table, cols, source, over):
            params = []
            select = []
            for col in cols:
                if col in over:
                    select.append("%s")
                    params.append(over[col])
                else:
                    select.append('"%s"' % col)
            cr.execute('INSERT INTO "%s" (%s) SELECT %s FROM "%s" WHERE id = %%s '
                       'RETURNING id' % (table, ", ".join('"%s"' % c for c in cols),
                                         ", ".join(select), table),
                       params + [source])
            return cr.fetchone()[0]

        ids = []
        for spec in specs:
            partner = copy("res_partner", partner_cols, template.partner_id.id, {
                "name": spec["name"], "display_name": spec["name"],
                "email": spec["email"], "mobile": spec["mobile"],
                "attribution_phone": spec["mobile"], "commercial_partner_id": None,
                "create_date": NOW, "write_date": NOW})
            cr.execute("UPDATE res_partner SET commercial_partner_id = id "
                       "WHERE id = %s", (partner,))
            user = copy("res_users", user_cols, template.id, {
                "login": spec["login"], "partner_id": partner,
                "sale_team_id": team_id, "alias_id": None,
                "create_date": NOW, "write_date": NOW})
            cr.execute("INSERT INTO res_groups_users_rel (gid, uid) "
                       "SELECT gid, %s FROM res_groups_users_rel WHERE uid = %s",
                       (user, template.id))
            cr.execute("INSERT INTO res_company_users_rel (cid, user_id) "
                       "SELECT cid, %s FROM res_company_users_rel WHERE user_id = %s",
                       (user, template.id))
            ids.append((user, partner, spec["mobile"]))
        if self.table_columns("attribution_partner_phone"):
            self.insert("attribution_partner_phone", [
                {"partner_id": partner, "phone": mobile, "source": "mobile",
                 "sequence": 10} for _user, partner, mobile in ids])
        self.env["res.users"].invalidate_cache()  # every model: the rows are new
        partners = self.env["res.partner"].browse([p for _u, p, _m in ids])
        if "attribution_salutation" in partners._fields:
            # the stored salutation follows the name (copied from the template)
            self.env.add_todo(partners._fields["attribution_salutation"], partners)
            partners.recompute()
        return self.env["res.users"].browse([u for u, _p, _m in ids])

    # ------------------------------------------------------------------ SQL part

    def spread(self):
        """Which projects know each customer: ``self.known[i]`` is the list of
        ``(team index, owner)`` of customer i, the home project first; customers
        whose index is 3 modulo ``MULTI_EVERY`` are known in 1 or 2 further projects
        (when there are), owned there by a consultant of that project."""
        self.known = []
        n_teams = len(self.teams)
        for i in range(self.count):
            home = i * n_teams // self.count
            places = [home]
            if i % MULTI_EVERY == 3 and n_teams > 1:
                others = [t for t in range(n_teams) if t != home]
                places += self.rnd.sample(others, min(len(others),
                                                      self.rnd.randint(1, 2)))
            self.known.append([(t, self.rnd.choice(self.teams[t][2])) for t in places])
        self.owner = [places[0][1] for places in self.known]
        self.team_of = [self.teams[places[0][0]][0] for places in self.known]

    def load_partners(self):
        env = self.env
        company = env.user.company_id.id
        industries = env["res.partner.industry"].search([]).ids or [None]
        self.spread()
        rows = []
        for i in range(self.count):
            name = "Bench Customer %06d" % i
            mobile = "139%08d" % i
            rows.append({
                "name": name, "display_name": name, "mobile": mobile,
                "attribution_phone": mobile,
                "email": "bench%06d@example.invalid" % i, "customer": True,
                "supplier": False, "employee": False, "is_company": False,
                "active": True, "type": "contact", "lang": "en_US",
                "company_id": company,
                "industry_id": industries[i % len(industries)],
                # the home project's owner, while res_partner still has the column
                "attribution_owner_id": self.owner[i], "notify_email": "always",
                "opt_out": False, "message_bounce": 0,
            })
        self.partners = self.insert("res_partner", rows, returning=True)
        self.cr.execute("UPDATE res_partner SET commercial_partner_id = id "
                        "WHERE id >= %s AND commercial_partner_id IS NULL",
                        (self.partners[0],))
        if self.table_columns("attribution_partner_phone"):
            # every number of a customer is a row (the desk matches on them)
            self.insert("attribution_partner_phone", [
                {"partner_id": pid, "phone": row["mobile"], "source": "mobile",
                 "sequence": 10} for pid, row in zip(self.partners, rows)])

    def load_relations(self):
        pairs = []  # (partner, related, type, evidence)
        p = self.partners
        blocks = len(p) // 5
        for b in range(blocks):
            a, s, c, f, g = p[5 * b:5 * b + 5]
            pairs.append((a, s, "spouse", None))
            pairs.append((a, c, "child", None))
            pairs.append((s, c, "child", None))
            pairs.append((f, g, "friend", "WeChat messages %d" % b))
            if b % 10 != 9 and b + 1 < blocks:
                pairs.append((f, p[5 * (b + 1) + 3], "referral", None))
        inverse = {"parent": "child", "child": "parent"}
        forward = self.insert("attribution_relation", [
            {"partner_id": a, "related_partner_id": r, "relation_type": t,
             "is_direct_kin": t in ("spouse", "parent", "child"), "evidence": e}
            for a, r, t, e in pairs], returning=True)
        back = self.insert("attribution_relation", [
            {"partner_id": r, "related_partner_id": a,
             "relation_type": inverse.get(t, t),
             "is_direct_kin": t in ("spouse", "parent", "child"), "evidence": e,
             "inverse_id": fid}
            for (a, r, t, e), fid in zip(pairs, forward)], returning=True)
        execute_values(self.cr, "UPDATE attribution_relation r SET inverse_id = v.b "
                       "FROM (VALUES %s) AS v(f, b) WHERE r.id = v.f",
                       list(zip(forward, back)), page_size=5000)
        return len(forward) * 2

    def visit_stamps(self, first_project):
        """Arrival times (naive UTC) of one customer's visits in one project: 1 to 5
        in the home project, 1 to 3 in a further one, days or weeks apart."""
        n = self.rnd.randint(1, 5 if first_project else 3)
        day = NOW - timedelta(days=self.rnd.randint(40, 730),
                              minutes=self.rnd.randint(0, 600))
        stamps = []
        for _k in range(n):
            stamps.append(day)
            day = day + timedelta(days=self.rnd.randint(1, 25),
                                  minutes=self.rnd.randint(0, 300))
            if day > NOW - timedelta(days=1):
                break
        return stamps

    def load_visits(self):
        """Visits and decisions of every project that knows a customer, and the
        customer's ``attribution.ownership`` row there (owner, visit dates)."""
        from odoo.addons.sales_attribution.attribution import terms
        tz = self.env.user.company_id.attribution_timezone
        visits, decisions, ownership, dates = [], [], [], []
        self.first_visit = {}
        for i, partner in enumerate(self.partners):
            mobile = "139%08d" % i
            every = []
            for n, (t, owner) in enumerate(self.known[i]):
                team_id = self.teams[t][0]
                stamps = self.visit_stamps(n == 0)
                every += stamps
                ownership.append({
                    "partner_id": partner, "team_id": team_id, "owner_id": owner,
                    "first_visit_date": terms.office_date(stamps[0], tz),
                    "last_visit_date": terms.office_date(stamps[-1], tz)})
                for k, stamp in enumerate(stamps):
                    code = "A1" if k == 0 else "B6"
                    visits.append({
                        "partner_id": partner, "phone": mobile,
                        "visit_datetime": stamp, "team_id": team_id,
                        "kind": "walk_in", "receiver_id": owner, "owner_id": owner,
                        "asked_prior_visit": True,
                        "customer_recalls_consultant": k > 0, "rule_code": code,
                        "name": "Bench Customer %06d %s"
                                % (i, stamp.strftime("%Y-%m-%d %H:%M")),
                        "no_phone_notice": False,
                    })
                    decisions.append({
                        "partner_id": partner, "owner_id": owner,
                        "previous_owner_id": owner if k else None,
                        "receiver_id": owner, "rule_code": code, "team_id": team_id,
                        "decided_by_id": owner,
                        "explanation": "%s: bench visit of %s." % (code, stamp),
                        "explanation_en": "%s: bench visit of %s." % (code, stamp),
                        "explanation_zh": "%s:基准来访 %s。" % (code, stamp),
                        "create_date": stamp,
                    })
            self.first_visit[partner] = min(every)
            dates.append((partner, terms.office_date(min(every), tz),
                          terms.office_date(max(every), tz)))
        visit_ids = self.insert("attribution_visit", visits, returning=True)
        for d, vid in zip(decisions, visit_ids):
            d["visit_id"] = vid
        decision_ids = self.insert("attribution_decision", decisions, returning=True)
        execute_values(self.cr, "UPDATE attribution_visit v SET decision_id = x.d "
                       "FROM (VALUES %s) AS x(v, d) WHERE v.id = x.v",
                       list(zip(visit_ids, decision_ids)), page_size=5000)
        self.insert("attribution_ownership", ownership)
        if "attribution_owned" in self.table_columns("res_partner"):
            # the stored summary the consultants' record rule reads
            self.cr.execute("UPDATE res_partner SET attribution_owned = TRUE "
                            "WHERE id IN (SELECT partner_id FROM attribution_ownership "
                            "WHERE owner_id IS NOT NULL)")
        if {"first_visit_date", "last_visit_date"} <= self.table_columns("res_partner"):
            # the old stored columns, while the database still has them
            execute_values(self.cr, "UPDATE res_partner p SET first_visit_date = x.f, "
                           "last_visit_date = x.l FROM (VALUES %s) AS x(id, f, l) "
                           "WHERE p.id = x.id", dates, page_size=5000)
        self.ownership_rows = len(ownership)
        return len(visit_ids)

    def load_leads(self):
        env = self.env
        company = env.user.company_id
        stages = env["crm.stage"].search([], order="sequence, id")
        won_stage = stages.filtered(lambda s: s.probability >= 100)[:1]
        open_stage = stages.filtered(lambda s: s.probability < 100)[:1]
        won_n = max(self.count // 2, min(self.count, 10000))
        rows = []
        for i, partner in enumerate(self.partners):
            won = i < won_n
            revenue = float(self.rnd.randint(80, 600) * 10000)
            closed = NOW - timedelta(days=self.rnd.randint(1, 360)) if won else None
            rows.append({
                "name": "Unit %06d / Bench Customer %06d" % (i, i),
                "partner_id": partner, "buyer_partner_id": partner,
                "user_id": self.owner[i], "team_id": self.team_of[i],
                "type": "opportunity", "active": True,
                "planned_revenue": revenue,
                "probability": 100.0 if won else 30.0,
                "stage_id": (won_stage if won else open_stage).id,
                "date_closed": closed, "date_open": self.first_visit[partner],
                "date_last_stage_update": closed or self.first_visit[partner],
                "unit_count": 1, "company_id": company.id,
                "contact_name": "Bench Customer %06d" % i,
                "partner_name": False, "email_from": "bench%06d@example.invalid" % i,
                "mobile": "139%08d" % i, "priority": "1",
                "attribution_makeup_credited": False,
                "attribution_split_rule_code": ["A1", "A15", "B5", "A9"][i % 4]
                if won else None,
            })
        leads = self.insert("crm_lead", rows, returning=True)
        self.won = [(leads[i], rows[i]) for i in range(won_n)]
        return won_n

    def load_splits(self):
        currency = self.env.user.company_id.currency_id.id
        lines = []
        users_of = {team: users for team, _m, users in self.teams}
        for k, (lead, row) in enumerate(self.won):
            revenue = row["planned_revenue"]
            bonus = revenue * 0.01
            owner = row["user_id"]
            users = users_of[row["team_id"]]
            other = users[(users.index(owner) + 1) % len(users)]
            third = users[(users.index(owner) + 2) % len(users)]
            pattern = k % 4
            if pattern == 0:
                shares = [(owner, "owner", 100, 100, "A1")]
            elif pattern == 1:
                shares = [(other, "original", 100, 50, "A15"),
                          (owner, "closer", 0, 50, "A15")]
            elif pattern == 2:
                shares = [(other, "original", 0, 20, "B5"),
                          (owner, "closer", 100, 80, "B5")]
            else:
                shares = [(owner, "co_owner", 33.34, 33.34, "A9"),
                          (other, "co_owner", 33.33, 33.33, "A9"),
                          (third, "co_owner", 33.33, 33.33, "A9")]
            for user, role, perf, bon, code in shares:
                lines.append({
                    "lead_id": lead, "user_id": user, "role": role,
                    "performance_share": perf, "bonus_share": bon,
                    "performance_amount": round(revenue * perf / 100, 2),
                    "bonus_amount": round(bonus * bon / 100, 2),
                    "rule_code": code, "manual": False, "currency_id": currency,
                    "team_id": row["team_id"], "partner_id": row["partner_id"],
                    "date": row["date_closed"].date(),
                    "explanation": "%s bench split" % code,
                })
        self.insert("attribution_split_line", lines)
        return len(lines)

    def load_event(self):
        env = self.env
        begin = NOW + timedelta(days=2, hours=6)
        team_id, manager, _users = self.teams[0]
        event = env["event.event"].with_context(tracking_disable=True).create({
            "name": "Bench Investment Forum", "date_begin": begin,
            "date_end": begin + timedelta(hours=4), "user_id": manager,
            "seats_availability": "unlimited", "state": "confirm",
            "date_tz": "Asia/Shanghai", "confirm_days_before": 2,
            "venue_directions": "From the metro exit B, turn left.",
            "greeter_note": "Ms Wang at the door", "signin_location": "1F",
            "parking_note": "Basement B2",
        })
        # the event's automatic mails (event.mail) are Odoo's own: not part of the bench
        event.event_mail_ids.unlink()
        rows = []
        for r in range(EVENT_REGISTRATIONS):
            i = r % len(self.partners)
            rows.append({
                "event_id": event.id, "partner_id": self.partners[i],
                "name": "Bench Customer %06d" % i,
                "email": "bench%06d@example.invalid" % i, "phone": "139%08d" % i,
                "state": "open", "origin": "bench", "company_id": event.company_id.id,
                "attribution_user_id": self.owner[i], "seats_reserved": 1 + r % 3,
                "date_open": NOW,
            })
        self.insert("event_registration", rows)
        return event.id

    def run(self):
        total = benchlib.Timer()
        self.step("office (ORM: teams, users, rotations)", self.load_office)
        self.step("customers (SQL)", self.load_partners)
        rel = self.step("relations (SQL)", self.load_relations)
        visits = self.step("visits + decisions (SQL)", self.load_visits)
        won = self.step("leads (SQL)", self.load_leads)
        lines = self.step("split lines (SQL)", self.load_splits)
        self.step("event + registrations (ORM/SQL)", self.load_event)
        self.step("ANALYZE", lambda: self.cr.execute("ANALYZE"))
        multi = sum(1 for places in self.known if len(places) > 1)
        log("loaded %d customers in %d projects (%d known in 2-3 projects, %d "
            "ownership rows), %d relation rows, %d visits, %d leads (%d won), "
            "%d split lines, %d registrations in %.1f s" % (
                self.count, self.projects, multi, self.ownership_rows, rel, visits,
                self.count, won, lines, EVENT_REGISTRATIONS, total.seconds))
        return {"customers": self.count, "projects": self.projects,
                "multi_project_customers": multi,
                "ownership_rows": self.ownership_rows,
                "relations": rel, "visits": visits,
                "won_leads": won, "split_lines": lines,
                "registrations": EVENT_REGISTRATIONS, "load_seconds": total.seconds,
                "steps": self.times}


def main():
    odoo_args, args = benchlib.split_argv()
    import argparse
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="1k")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--projects", type=int,
                        help="projects (crm.team) of the data set (default: 5 at 1k, "
                             "20 at 10k, 50 at 100k)")
    parser.add_argument("--results")
    opts = parser.parse_args(args)
    registry = benchlib.open_registry(odoo_args)
    with benchlib.environment(registry) as env:
        stats = Loader(env, benchlib.scale_count(opts.scale), opts.seed,
                       opts.projects).run()
        env.cr.commit()
    if opts.results:
        benchlib.write_result(opts.results, "load", stats)


if __name__ == "__main__":
    sys.exit(main())
