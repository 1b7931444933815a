"""The upgrade phase of ``bin/test``: a database of the 11.0.1.0 addon, filled through
its own code, upgraded to the current one, must keep every customer's owner.

    python upgrade_check.py fill     SNAPSHOT -- -d DB --addons-path=OLD [odoo options]
    python upgrade_check.py snapshot SNAPSHOT -- -d DB --addons-path=OLD [odoo options]
    python upgrade_check.py check    SNAPSHOT -- -d DB --addons-path=NEW [odoo options]

``fill`` runs on the 11.0.1.0 addon (one owner per customer, stored on the customer)
installed with its demo office, and goes through that code's own paths: a second
project (sales team) with its manager, consultants and rotation; walk-ins registered at
the desks of both projects (``attribution.visit`` create as the desk consultant); a
customer of project A coming back to project B; a collision (撞单) left open; a deal of
project B won with its split lines; a phone-only customer of a project B consultant
with a follow-up date and an intent class. It is written against that old code and
never runs on the current one.

``snapshot`` (still on the old code) writes SNAPSHOT (JSON): every customer with an
owner, a follow-up, an intent or a visit, with what the ORM reads on it (owner,
follow-up date, intent class and date) and the project the migration must put the row
in (issue 14: the project of the visit of the customer's latest decision made on a
visit, else the owner's team, else the team of the latest visit), with that project's
first and last visit dates; and the decisions, visits, conflicts and split lines, each
with the fields that say what it decided.

``check`` (on the current addon, after ``-u sales_attribution``) compares, and prints
one line per failed check naming the customer or record, then ``N passed, N failed``:

- per customer: exactly one ``attribution.ownership`` row, in the promised project
  (none in scope ``company``), with the snapshot's owner, follow-up, intent and visit
  dates; the customer's contract fields read through the ORM (superuser, no
  ``team_id`` in the context) equal the snapshot; customers without any of it have no
  row;
- per model: every record of the snapshot is still there with the same values; records
  the upgrade added are allowed only from the addon's data files (an xmlid of
  ``sales_attribution`` on the record or on the visit, lead, conflict or customer it
  hangs on: ``-u`` reloads the demo of a demo database).

Exits 1 when a check failed.
"""
# pylint: disable=print-used  # a command-line tool: what it prints is its output
import json
import sys
from datetime import timedelta

import odoo
from odoo import SUPERUSER_ID, api, fields

MODULE = "sales_attribution"

#: per model: the fields that say what the record decided (compared before/after)
RECORD_FIELDS = {
    "attribution.decision": (
        "partner_id", "owner_id", "previous_owner_id", "receiver_id", "rule_code",
        "visit_id", "lead_id", "conflict_id", "explanation_zh", "explanation_en"),
    "attribution.visit": (
        "partner_id", "team_id", "visit_datetime", "kind", "receiver_id", "owner_id",
        "decision_id"),
    "attribution.conflict": (
        "partner_id", "team_id", "visit_id", "lead_id", "state", "claimant_ids",
        "winner_id", "proposed_owner_id"),
    "attribution.split.line": (
        "lead_id", "user_id", "role", "performance_share", "bonus_share",
        "performance_amount", "bonus_amount", "rule_code", "partner_id"),
}

#: the customer's contract fields (SPEC) and the row fields holding them
CUSTOMER_FIELDS = ("attribution_owner_id", "last_followup_date", "intent_class",
                   "intent_reported_date")
ROW_FIELDS = {"attribution_owner_id": "owner_id"}

#: fields of the added records that show which record they hang on
PARENT_FIELDS = ("visit_id", "lead_id", "conflict_id", "partner_id")


def _plain(value):
    """A value of ``read()`` as JSON keeps it: many2one -> id, x2many -> sorted ids."""
    if isinstance(value, tuple):
        return value[0]
    if isinstance(value, list):
        return sorted(value)
    return value


# ---------------------------------------------------------------------- fill (old)

def fill(env):
    """Fill the 11.0.1.0 database through that version's own code (module docstring)."""
    env = env(context=dict(env.context, tracking_disable=True, no_reset_password=True))
    company = env.user.company_id
    # the sheet of the past days is written now, as the offices do with paper registers
    company.attribution_late_entry_minutes = 10 ** 7
    consultant = env.ref("%s.group_consultant" % MODULE)
    manager_group = env.ref("%s.group_manager" % MODULE)
    team_a = env.ref("%s.team_office_demo" % MODULE)
    desk_a = env.ref("%s.user_consultant_5_demo" % MODULE)  # 陈静 keeps A's sheet
    zhang, liu = (env.ref("%s.user_consultant_%d_demo" % (MODULE, i)) for i in (1, 2))
    wang = env.ref("%s.user_consultant_3_demo" % MODULE)

    team_b = env["crm.team"].create({
        "name": "案场二组 / Showroom Team 2 (upgrade)", "use_opportunities": True})

    def user(login, name, group):
        return env["res.users"].create({
            "name": name, "login": login, "email": "%s@example.invalid" % login,
            "sale_team_id": team_b.id, "tz": "Asia/Shanghai",
            "groups_id": [(6, 0, group.ids)]})

    team_b.user_id = user("upg_manager_b", "孙经理", manager_group)
    sun, zhou, qian = (user("upg_%s" % login, name, consultant) for login, name in (
        ("sun", "孙丽"), ("zhou", "周强"), ("qian", "钱敏")))
    env["attribution.rotation"].create({
        "team_id": team_b.id,
        "member_ids": [(0, 0, {"user_id": u.id, "sequence": 10 * (i + 1)})
                       for i, u in enumerate((sun, zhou, qian))]})

    now = fields.Datetime.from_string(fields.Datetime.now()).replace(
        hour=2, minute=0, second=0, microsecond=0)            # 10:00 at the office

    def register(desk, team, receiver, days, **vals):
        stamp = fields.Datetime.to_string(now - timedelta(days=days))
        vals.update(team_id=team.id, receiver_id=receiver.id, asked_prior_visit=True,
                    visit_datetime=stamp)
        return env["attribution.visit"].sudo(desk).create(vals).sudo()

    # walk-ins of new customers in both projects
    register(desk_a, team_a, zhang, 9, phone="13900990001", partner_name="升级甲一")
    register(desk_a, team_a, wang, 6, phone="13900990002", partner_name="升级甲二")
    register(qian, team_b, sun, 8, phone="13900990003", partner_name="升级乙一")
    register(qian, team_b, zhou, 5, phone="13900990004", partner_name="升级乙二")
    # a customer of project A comes back to project B (one owner in 11.0.1.0)
    both = register(desk_a, team_a, liu, 20, phone="13900990005",
                    partner_name="升级两盘").partner_id
    register(qian, team_b, zhou, 2, partner_id=both.id)
    # a collision left under negotiation: 张伟's customer says 刘娜 received them
    collided = register(desk_a, team_a, zhang, 10, phone="13900990006",
                        partner_name="升级撞单").partner_id
    register(desk_a, team_a, liu, 1, partner_id=collided.id,
             customer_recalls_consultant=True)
    # a deal of project B, won: split lines
    buyer = register(qian, team_b, sun, 7, phone="13900990007",
                     partner_name="升级成交").partner_id
    # ... shared by the manager's ruling of a collision between 孙丽 and 周强 (A6)
    env["attribution.conflict"].create({
        "partner_id": buyer.id, "team_id": team_b.id,
        "claimant_ids": [(6, 0, (sun | zhou).ids)], "winner_id": sun.id,
        "share_line_ids": [
            (0, 0, {"user_id": sun.id, "role": "co_owner", "performance_share": 60,
                    "bonus_share": 70}),
            (0, 0, {"user_id": zhou.id, "role": "co_owner", "performance_share": 40,
                    "bonus_share": 30})]}).sudo(team_b.user_id).action_rule()
    lead = env["crm.lead"].create({
        "name": "升级成交 1-1201", "type": "opportunity", "partner_id": buyer.id,
        "user_id": sun.id, "team_id": team_b.id, "planned_revenue": 2800000.0})
    lead.sudo(sun).action_set_won()
    # a phone-only customer of project B's 钱敏: follow-up and intent, no visit
    day = fields.Date.from_string(fields.Date.context_today(env.user))
    env["res.partner"].create({
        "name": "升级电话客", "mobile": "13900990008", "customer": True,
        "attribution_owner_id": qian.id,
        "last_followup_date": fields.Date.to_string(day - timedelta(days=3)),
        "intent_class": "b",
        "intent_reported_date": fields.Date.to_string(day - timedelta(days=2))})
    conflicts = env["attribution.conflict"].search([("partner_id", "=", collided.id)])
    splits = lead.split_line_ids
    if not conflicts or len(splits) < 2:
        raise SystemExit("fill: the old code made %d conflicts and %d split lines"
                         % (len(conflicts), len(splits)))
    print("fill: project %s, %d visits, %d conflicts, %d split lines"
          % (team_b.name, env["attribution.visit"].search_count([]),
             env["attribution.conflict"].search_count([]),
             env["attribution.split.line"].search_count([])))


# ------------------------------------------------------------------ snapshot (old)

def _office_dates(partner, visits):
    stamps = visits.mapped("visit_datetime")
    if not stamps:
        return None, None
    company = partner._attribution_company()
    return tuple(fields.Date.to_string(company._attribution_office_date(s))
                 for s in (min(stamps), max(stamps)))


def _promised_team(env, partner):
    """The project of the row the migration promises ``partner`` (issue 14)."""
    decision = env["attribution.decision"].search(
        [("partner_id", "=", partner.id), ("visit_id.team_id", "!=", False)],
        order="create_date desc, id desc", limit=1)
    if decision:
        return decision.visit_id.team_id
    if partner.attribution_owner_id.sale_team_id:
        return partner.attribution_owner_id.sale_team_id
    return env["attribution.visit"].search(
        [("partner_id", "=", partner.id), ("team_id", "!=", False)],
        order="visit_datetime desc, id desc", limit=1).team_id


def snapshot(env):
    """What the old code reads: customers and records (module docstring)."""
    Partner = env["res.partner"].with_context(active_test=False)
    customers = {}
    for partner in Partner.search(
            ["|", "|", "|", "|", ("attribution_owner_id", "!=", False),
             ("last_followup_date", "!=", False), ("intent_class", "!=", False),
             ("intent_reported_date", "!=", False),
             ("attribution_visit_ids", "!=", False)]):
        team = _promised_team(env, partner)
        first, last = _office_dates(partner, partner.attribution_visit_ids.filtered(
            lambda v, team=team: v.team_id == team))
        values = partner.read(list(CUSTOMER_FIELDS))[0]
        customers[str(partner.id)] = dict(
            {name: _plain(values[name]) for name in CUSTOMER_FIELDS},
            name=partner.name, team_id=team.id or None, first_visit_date=first,
            last_visit_date=last)
    records = {}
    for model, names in RECORD_FIELDS.items():
        rows = env[model].with_context(active_test=False).search([]).read(list(names))
        records[model] = {str(row["id"]): {n: _plain(row[n]) for n in names}
                          for row in rows}
    return {"customers": customers, "records": records}


# -------------------------------------------------------------------- check (new)

class Checks:
    """Counts checks; prints each failure."""

    def __init__(self):
        self.passed = self.failed = 0

    def expect(self, ok, message):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print("FAILED: %s" % message)
        return ok


def _xmlid_ids(env, model):
    env.cr.execute("SELECT res_id FROM ir_model_data WHERE module = %s AND model = %s",
                   (MODULE, model))
    return {row[0] for row in env.cr.fetchall()}


def _from_data_files(env, record):
    """True when ``record`` or a record it hangs on has an xmlid of the addon."""
    if record.id in _xmlid_ids(env, record._name):
        return True
    for name in PARENT_FIELDS:
        if name in record._fields and record[name] and \
                record[name].id in _xmlid_ids(env, record[name]._name):
            return True
    return False


def _check_customers(env, before, visits_before, checks):
    """One check per customer of the snapshot (and one for the others): see the module
    docstring. A row of another project is allowed only where the upgrade's data
    files registered a visit of the customer (a new demo's second project); the
    customer's fields are then read in the promised project (``team_id`` in the
    context)."""
    Partner = env["res.partner"].with_context(active_test=False)
    scope_company = {}
    for pid, want in sorted(before.items(), key=lambda item: int(item[0])):
        partner = Partner.browse(int(pid))
        label = "customer %s (id %s)" % (want["name"], pid)
        if not checks.expect(partner.exists(), "%s is gone" % label):
            continue
        company = partner._attribution_company()
        if company.id not in scope_company:
            scope_company[company.id] = company.attribution_scope == "company"
        team = None if scope_company[company.id] else want["team_id"]
        rows = partner.attribution_ownership_ids
        row = rows.filtered(lambda r, team=team: (r.team_id.id or None) == team)
        new_visit_teams = {v.team_id.id for v in partner.attribution_visit_ids
                           if str(v.id) not in visits_before}
        stray = (rows - row).filtered(lambda r: r.team_id.id not in new_visit_teams)
        if not checks.expect(len(row) == 1 and not stray, (
                "%s has ownership rows %s, want one in project %s" % (
                    label, [(r.team_id.id, r.owner_id.id) for r in rows], team))):
            continue
        got = {"team_id": row.team_id.id or None,
               "first_visit_date": row.first_visit_date or None,
               "last_visit_date": row.last_visit_date or None}
        got.update({ROW_FIELDS.get(n, n): _plain(row.read([ROW_FIELDS.get(n, n)])[0][
            ROW_FIELDS.get(n, n)]) for n in CUSTOMER_FIELDS})
        wanted = {"team_id": team, "first_visit_date": want["first_visit_date"],
                  "last_visit_date": want["last_visit_date"]}
        wanted.update({ROW_FIELDS.get(n, n): want[n] for n in CUSTOMER_FIELDS})
        diff = {k: (wanted[k], got[k]) for k in wanted if wanted[k] != got[k]}
        checks.expect(not diff, "%s: row differs (field: before, after) %s"
                      % (label, diff))
        if rows - row:
            partner = partner.with_context(team_id=team)
        values = partner.read(list(CUSTOMER_FIELDS))[0]
        diff = {n: (want[n], _plain(values[n])) for n in CUSTOMER_FIELDS
                if want[n] != _plain(values[n])}
        checks.expect(not diff, "%s reads differently (field: before, after) %s"
                      % (label, diff))
    others = env["attribution.ownership"].search(
        [("partner_id", "not in", [int(pid) for pid in before])])
    others = others.filtered(lambda r: not _from_data_files(env, r.partner_id) and not (
        set(map(str, r.partner_id.attribution_visit_ids.ids)) - set(visits_before)))
    checks.expect(not others, "rows of customers without any ownership before: %s"
                  % [(r.partner_id.name, r.team_id.name) for r in others])


def _check_records(env, before, checks):
    for model, rows in sorted(before.items()):
        names = list(RECORD_FIELDS[model])
        Model = env[model].with_context(active_test=False)
        after = {str(row["id"]): {n: _plain(row[n]) for n in names}
                 for row in Model.search([]).read(names)}
        kept = [rid for rid in rows if rid in after]
        checks.expect(len(kept) == len(rows), "%s: %d of %d records left: lost %s"
                      % (model, len(kept), len(rows),
                         sorted(set(rows) - set(after), key=int)[:20]))
        changed = {rid: {n: (rows[rid][n], after[rid][n]) for n in names
                         if rows[rid][n] != after[rid][n]}
                   for rid in kept}
        changed = {rid: diff for rid, diff in changed.items() if diff}
        checks.expect(not changed, "%s: %d records changed, e.g. %s" % (
            model, len(changed), sorted(changed.items())[:3]))
        added = Model.browse([int(rid) for rid in set(after) - set(rows)])
        stray = added.filtered(lambda r: not _from_data_files(env, r))
        checks.expect(not stray, "%s: %d records added by the upgrade, not by the "
                      "data files: %s" % (model, len(stray), stray.ids[:20]))
        print("%s: %d before, %d after (%d from the data files reloaded by -u)"
              % (model, len(rows), len(after), len(added) - len(stray)))


def _check_rules(env, checks):
    """The addon's record rules (noupdate) are this version's: none reads the old
    customer column, the managers' read their projects."""
    rules = env["ir.rule"].with_context(active_test=False).browse(
        list(_xmlid_ids(env, "ir.rule")))
    stale = rules.filtered(lambda r: "'attribution_owner_id'" in (r.domain_force or "")
                           or "'partner_id.attribution_owner_id'" in (
                               r.domain_force or ""))
    checks.expect(not stale, "record rules still reading the old customer column: %s"
                  % stale.mapped("name"))
    for xmlid in ("attribution_visit_rule_manager",
                  "attribution_violation_rule_manager"):
        manager = env.ref("sales_attribution.%s" % xmlid)
        checks.expect("_attribution_project_domain" in manager.domain_force,
                      "the managers' rule %s is not per project: %s"
                      % (xmlid, manager.domain_force))
    print("record rules: %d of the addon checked" % len(rules))


def check(env, before):
    """Compare the upgraded database with the snapshot; return the ``Checks``."""
    checks = Checks()
    _check_customers(env, before["customers"],
                     before["records"]["attribution.visit"], checks)
    _check_records(env, before["records"], checks)
    _check_rules(env, checks)
    return checks


# ------------------------------------------------------------------------- main

def main(argv):
    if len(argv) < 3 or argv[0] not in ("fill", "snapshot", "check") or \
            "--" not in argv:
        raise SystemExit(__doc__)
    command, path = argv[0], argv[1]
    odoo.tools.config.parse_config(argv[argv.index("--") + 1:])
    registry = odoo.registry(odoo.tools.config["db_name"])
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if command == "fill":
            fill(env)
            # the filled database is what the upgrade then runs on
            cr.commit()  # pylint: disable=invalid-commit
            return 0
        if command == "snapshot":
            with open(path, "w", encoding="utf-8") as out:
                json.dump(snapshot(env), out, ensure_ascii=False, indent=1,
                          sort_keys=True)
            return 0
        with open(path, encoding="utf-8") as snap:
            checks = check(env, json.load(snap))
        cr.rollback()
    print("%d passed, %d failed" % (checks.passed, checks.failed))
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
