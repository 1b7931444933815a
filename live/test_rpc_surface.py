"""Every public method of the addon, called over XML-RPC by a demo consultant.

The turn is the desk's, not the consultant's (issue 17, point 2): no call by a
consultant moves the rotation, changes presence, make-up credits or order, or serves a
turn outside a visit registration, and no answer is a Python traceback.

The methods come from the registry of the test database (``surface.registry_methods``:
whatever the addon's code gives a model, core models it extends included), never from
a hand list: a public method added later is called too. Each is called as the demo
consultant 张伟 with the ids of a record they can read and of one they cannot (and, for
the methods that take arguments, with the arguments a client would send, listed in
``PLANS``). Around every call a snapshot of the addon's tables, the addon's columns of
core tables, the ownership columns of ``crm_lead`` and the activities
(``surface.Snapshot``) must stay the same, except for the few calls that are there for
consultants (``allow``: the tables they may change, and why).

A refusal is an ``xmlrpc.client.Fault`` carrying a UserError, AccessError or
ValidationError message (Odoo 11 sends the last with its traceback, fault code 1: its
last line must be the ValidationError); a KeyError, TypeError or psycopg2 error is a
failure.
"""
import datetime
import time
import xmlrpc.client

import pytest

from conftest import PASSWORD, Client, fault_text
import surface

FMT = "%Y-%m-%d %H:%M:%S"
#: fault codes of Odoo 11's XML-RPC: 2 UserError / MissingError, 4 AccessError
WORDED_FAULTS = (2, 3, 4)


class Call:
    """One XML-RPC call: ``ids`` (a list, a callable giving one after ``setup``, or
    None for ``@api.model`` methods), positional ``args``, ``kw``; ``allow``: the
    tables it may change, with ``why``."""

    def __init__(self, ids=None, args=(), kw=None, setup=None, allow=(), why="",
                 label=""):
        self.ids, self.args, self.kw = ids, tuple(args), dict(kw or {})
        self.setup, self.allow, self.why, self.label = setup, set(allow), why, label

    def arguments(self, multi):
        ids = self.ids() if callable(self.ids) else self.ids
        if multi:
            return [ids or []] + list(self.args)
        return list(self.args)


def worded(fault):
    """A refusal in words (UserError, AccessError, MissingError, ValidationError)."""
    if fault.faultCode in WORDED_FAULTS:
        return "Traceback" not in fault.faultString
    lines = [ln for ln in fault.faultString.strip().splitlines() if ln.strip()]
    return bool(lines) and lines[-1].startswith("odoo.exceptions.ValidationError")


@pytest.fixture(scope="module")
def desk(admin, office):
    """The demo office seen from 张伟 (consultant 1) and 刘娜 (consultant 2), with the
    scheduled actions paused so that only the calls change the database."""
    crons = admin.call("ir.cron", "search", [("active", "=", True)])
    for cron in crons:
        # a job running now cannot be written ("being executed"): wait for it
        for _attempt in range(180):
            try:
                admin.call("ir.cron", "write", [cron], {"active": False})
                break
            except xmlrpc.client.Fault as fault:
                if "being executed" not in fault.faultString:
                    raise
                time.sleep(1)
    snap = surface.Snapshot()
    snap.wait_for_crons()
    snap.close()
    me = admin.ref("sales_attribution.user_consultant_1_demo")
    other = admin.ref("sales_attribution.user_consultant_2_demo")
    admin.call("res.users", "write", [me], {"password": PASSWORD})
    login = admin.call("res.users", "read", [me], ["login"])[0]["login"]
    client = Client(login, PASSWORD)
    team = admin.ref("sales_attribution.team_office_demo")
    manager = admin.ref("sales_attribution.user_manager_demo")
    rotation = admin.ref("sales_attribution.rotation_office_demo")
    stamp = office["stamp"]
    admin.call("attribution.violation", "create", {
        "user_id": me, "category": "other", "description": "surface test"})
    ctx = {"admin": admin, "client": client, "me": me, "other": other, "team": team,
           "manager": manager, "duties": [],
           "rotation": rotation, "stamp": stamp, "serial": [0]}
    yield ctx
    # the shifts made here would be marked absent by the cron: not the office's
    admin.call("attribution.duty", "unlink", ctx["duties"])
    admin.call("ir.cron", "write", crons, {"active": True})


def own_and_other(desk, model):
    """Ids of a record the consultant reads and of one they cannot (or, where they
    read every record, of another one)."""
    client, admin = desk["client"], desk["admin"]
    try:
        mine = client.call(model, "search", [], limit=1)
    except xmlrpc.client.Fault:
        mine = []
    hidden = admin.call(model, "search", [("id", "not in", mine)], limit=50)
    try:
        visible = set(client.call(model, "search", [("id", "in", hidden)]))
    except xmlrpc.client.Fault:
        visible = set()
    others = [i for i in hidden if i not in visible] or hidden
    return mine, others[:1]


def serial(desk):
    desk["serial"][0] += 1
    return desk["serial"][0]


def conflict(desk, state="negotiation", mine=True, winner=None):
    """A fresh conflict on a customer of 张伟 claimed by him and 刘娜 (or, mine=False,
    by 刘娜 and the manager only); ``state`` is set by the superuser."""
    admin = desk["admin"]
    claimants = [desk["me"], desk["other"]] if mine else [desk["other"]]
    partner = admin.call("res.partner", "create", {
        "name": "Surface conflict %s-%s" % (desk["stamp"], serial(desk)),
        "attribution_owner_id": desk["me"] if mine else desk["other"]})
    conflict_id = admin.call("attribution.conflict", "create", {
        "partner_id": partner, "team_id": desk["team"],
        "claimant_ids": [(6, 0, claimants)], "winner_id": winner or desk["other"]})
    if state != "negotiation":
        admin.call("attribution.conflict", "write", [conflict_id], {"state": state})
    return [conflict_id]


def duty(desk, user, minutes_ahead=20):
    start = datetime.datetime.utcnow() + datetime.timedelta(minutes=minutes_ahead)
    duty_id = desk["admin"].call("attribution.duty", "create", {
        "user_id": user, "team_id": desk["team"],
        "shift_start": (start + datetime.timedelta(seconds=serial(desk))
                        ).strftime(FMT)})
    desk["duties"].append(duty_id)
    return [duty_id]


def walk_in(desk):
    return {"phone": "1370%07d" % (int(desk["stamp"][-5:]) * 10 + serial(desk)),
            "partner_name": "Surface walk-in", "team_id": desk["team"],
            "kind": "walk_in", "asked_prior_visit": True}


#: what settling a conflict writes: its state, the consent of the claimant who gives
#: way, the decision naming the winner (A6), the customer's owner (and its ownership
#: row of the project) and open deals, the manager's to-do, the queued notice to the
#: new owner (the owner-notice cron tells them)
SETTLING = {"attribution_conflict", "attribution_decision", "res_partner", "crm_lead",
            "mail_activity", "attribution_owner_notice",
            "attribution_conflict_agreed_rel", "attribution_ownership"}
#: a registration also queues the new owner's notice, claims a new customer's phone
#: (one customer per number under parallel desks), records the customer's numbers
#: and writes the customer's ownership row of the desk's project
REGISTRATION = {"attribution_visit", "attribution_decision", "res_partner",
                "attribution_rotation", "attribution_rotation_member", "crm_lead",
                "attribution_conflict", "attribution_conflict_claimant_rel",
                "attribution_violation", "mail_activity", "attribution_owner_notice",
                "attribution_phone_claim", "attribution_partner_phone",
                "attribution_ownership"}


def plans(desk):
    """Calls with arguments, per (model, method); every other method is called with
    no argument on an own and a foreign record (or on the model)."""
    me, other, admin = desk["me"], desk["other"], desk["admin"]
    own = {m: own_and_other(desk, m) for m in (
        "res.partner", "attribution.visit", "crm.lead", "attribution.relation",
        "attribution.split.line", "attribution.rotation.member",
        "event.registration", "attribution.violation")}
    my_partner, other_partner = own["res.partner"]
    my_visit, other_visit = own["attribution.visit"]
    my_lead, other_lead = own["crm.lead"]
    my_relation, other_relation = own["attribution.relation"]
    member_ids = admin.call("attribution.rotation.member", "search",
                            [("rotation_id", "=", desk["rotation"])])
    rotation = [desk["rotation"]]
    colleague_customer = admin.call("res.partner", "create", {
        "name": "Surface colleague's customer %s" % desk["stamp"], "customer": True,
        "attribution_owner_id": other})
    # a customer nobody owns any more (A14 lapsed), visible to every consultant,
    # with a further number
    natural = admin.call("res.partner", "create", {
        "name": "Surface natural customer %s" % desk["stamp"], "customer": True,
        "mobile": "1371%07d" % (int(desk["stamp"][-5:]) * 10 + serial(desk)),
        "attribution_owner_id": other})
    admin.call("res.partner", "write", [natural], {"attribution_owner_id": False})
    natural_extra = admin.call("attribution.partner.phone", "create", {
        "partner_id": natural,
        "phone": "1372%07d" % (int(desk["stamp"][-5:]) * 10 + serial(desk))})
    second_project = admin.ref("sales_attribution.team_second_project_demo")
    return {
        # ---- customers: the sheet and the manager move owners (A10), the manager
        # records the developer's notice (A11), a class is reported today (B1)
        ("res.partner", "write"): [
            Call([natural], args=[{"attribution_owner_id": me}],
                 label="take a customer nobody owns"),
            Call(my_partner, args=[{"attribution_owner_id": other}],
                 label="hand an own customer to a colleague"),
            Call(my_partner, args=[{"intent_class": "a",
                                    "intent_reported_date": "2020-01-01"}],
                 label="backdate the evening review (B1)"),
            Call(my_partner, args=[{"developer_notice_date": "2020-01-01"}],
                 label="record the developer's notice (A11)"),
            Call(my_partner, args=[{"last_followup_date": "2999-01-01"}],
                 label="a follow-up in the future (A14)"),
            Call([natural], args=[{"mobile": False}],
                 label="strip the number of a customer nobody owns")],
        ("res.partner", "create"): [Call(args=[{
            "name": "Surface gift", "customer": True,
            "attribution_owner_id": other}],
            label="a customer created for a colleague")],
        ("attribution.partner.phone", "unlink"): [
            Call([natural_extra], label="delete a number of a customer nobody owns")],
        ("attribution.partner.phone", "write"): [
            Call([natural_extra], args=[{"partner_id": my_partner[0]}],
                 label="move a number onto an own customer")],

        # ---- the rotation: the desk's, never the consultant's
        ("attribution.rotation", "next_receiver"): [
            Call(rotation, label="serve a turn by hand")],
        ("attribution.rotation", "action_all_present"): [Call(rotation)],
        ("attribution.rotation.member", "create"): [Call(args=[{
            "rotation_id": desk["rotation"], "user_id": me, "sequence": 1}])],
        ("attribution.rotation.member", "action_toggle_present"): [
            Call(member_ids[:1]), Call(member_ids[-1:])],
        # ---- visits: the one way a consultant serves a turn
        ("attribution.visit", "create"): [
            Call(args=[walk_in(desk)], allow=REGISTRATION,
                 why="registering a walk-in at the desk serves the rotation's turn "
                     "(A3) and the rule book decides and logs the owner"),
            Call(args=[{"partner_id": my_partner[0], "team_id": desk["team"],
                        "kind": "walk_in", "asked_prior_visit": True,
                        "customer_recalls_consultant": True}],
                 allow=REGISTRATION, why="a revisit of an own customer, registered"),
            Call(args=[{"phone": "12", "team_id": desk["team"]}], label="bad phone")],
        ("attribution.visit", "write"): [
            Call(my_visit, args=[{"note": "surface note"}], allow={"attribution_visit"},
                 why="the note of a visit is free text for the desk"),
            Call(my_visit, args=[{"owner_id": me}]),
            Call(my_visit, args=[{"receiver_id": other}]),
            Call(other_visit, args=[{"note": "not mine"}])],
        # ---- conflicts: claimants negotiate (A6) and escalate (A7); managers rule
        ("attribution.conflict", "create"): [Call(args=[{
            "partner_id": my_partner[0], "claimant_ids": [(6, 0, [me])]}])],
        ("attribution.conflict", "write"): [
            Call(lambda: conflict(desk), args=[{"winner_id": me}],
                 allow={"attribution_conflict"},
                 why="A6: while negotiating, the claimants name whom they agreed on"),
            Call(lambda: conflict(desk), args=[{"proposed_owner_id": me}]),
            Call(lambda: conflict(desk), args=[{"state": "accepted"}]),
            Call(lambda: conflict(desk, mine=False), args=[{"winner_id": me}]),
            Call(lambda: conflict(desk), args=[{"team_id": second_project}],
                 label="move the conflict to another project"),
            Call(lambda: conflict(desk), args=[{"proposal_reason": "A1: mine"}],
                 label="rewrite the proposal's reason")],
        ("attribution.conflict", "action_agree"): [
            Call(lambda: conflict(desk), allow=SETTLING,
                 why="A6: the claimant who gives way records the agreement for the "
                     "other claimant; the manager gets the to-do to approve it"),
            Call(lambda: conflict(desk, winner=me), label="agree in own favour"),
            Call(lambda: conflict(desk, winner=desk["manager"]),
                 label="agree on a non-claimant"),
            Call(lambda: conflict(desk, mine=False))],
        ("attribution.conflict", "action_accept"): [
            Call(lambda: conflict(desk, "agreed"), label="approve own agreement"),
            Call(lambda: conflict(desk, "ruled"), allow=SETTLING,
                 why="A6: the claimants accept the manager's ruling, which then "
                     "decides the owner"),
            Call(lambda: conflict(desk, "ruled", mine=False))],
        ("attribution.conflict", "action_escalate"): [
            Call(lambda: conflict(desk, "ruled"),
                 allow={"attribution_conflict", "mail_activity"},
                 why="A7: a claimant refuses the ruling: up to the company, the "
                     "manager gets the to-do"),
            Call(lambda: conflict(desk, mine=False))],
        ("attribution.conflict", "action_rule"): [Call(lambda: conflict(desk))],
        ("attribution.conflict", "action_forfeit"): [
            Call(lambda: conflict(desk, "escalated"))],
        ("attribution.conflict.share", "create"): [Call(args=[{
            "conflict_id": conflict(desk)[0], "user_id": me,
            "performance_share": 100, "bonus_share": 100}])],
        ("attribution.conflict.share", "write"): [Call(
            lambda: [admin.call("attribution.conflict.share", "create", {
                "conflict_id": conflict(desk)[0], "user_id": other,
                "performance_share": 100, "bonus_share": 100})],
            args=[{"user_id": me}])],
        # ---- duty: a consultant checks in for their own shift, nothing else
        ("attribution.duty", "action_check_in"): [
            Call(lambda: duty(desk, me), allow={"attribution_duty"},
                 why="the consultant records their own arrival (conduct: on duty "
                     "5-10 minutes early); presence stays the desk's"),
            Call(lambda: duty(desk, me, minutes_ahead=60 * 24 * 3),
                 label="check in for a shift three days ahead"),
            Call(lambda: duty(desk, other))],
        ("attribution.duty", "action_mark_absent"): [
            Call(lambda: duty(desk, other)), Call(lambda: duty(desk, me))],
        ("attribution.duty", "create"): [Call(args=[{
            "user_id": me, "team_id": desk["team"],
            "shift_start": "2030-01-01 01:00:00"}])],
        ("attribution.duty", "write"): [
            Call(lambda: duty(desk, me), args=[{"arrival": "2020-01-01 00:00:00"}])],
        # ---- relations: recorded by consultants for their customers (A15, B1)
        ("attribution.relation", "create"): [
            Call(args=[{"partner_id": my_partner[0],
                        "related_partner_id": admin.call("res.partner", "create", {
                            "name": "Surface friend %s" % desk["stamp"]}),
                        "relation_type": "friend"}],
                 allow={"attribution_relation"},
                 why="a consultant records who their customer knows (A15, B1)"),
            Call(args=[{"partner_id": other_partner[0],
                        "related_partner_id": my_partner[0],
                        "relation_type": "friend"}])],
        ("attribution.relation", "write"): [
            Call(my_relation, args=[{"evidence": "surface evidence"}],
                 allow={"attribution_relation"},
                 why="a consultant records the proof of contact (A15)"),
            Call(other_relation, args=[{"evidence": "not mine"}])],
        # ---- decisions, splits, violations: the rule book's and the manager's
        ("attribution.decision", "write"): [Call(
            lambda: desk["client"].call("attribution.decision", "search", [],
                                        limit=1),
            args=[{"explanation": "rewritten"}])],
        ("attribution.split.line", "create"): [Call(args=[{
            "lead_id": (my_lead or other_lead)[0], "user_id": me, "role": "owner",
            "performance_share": 100, "bonus_share": 100}])],
        ("attribution.split.line", "write"): [
            Call(own["attribution.split.line"][0], args=[{"performance_share": 0}]),
            Call(own["attribution.split.line"][1], args=[{"user_id": me}])],
        # ---- Odoo's mail queue: every internal user may write and send mail.mail
        # (core ACL mail.mail.user); the addon's override only keeps back the guest
        # mails due in quiet hours or no longer due, whoever asks
        ("mail.mail", "send"): [
            Call(ids, allow={"mail_mail", "mail_notification"},
                 why="Odoo lets internal users deliver queued mail; guest mails "
                     "still wait for the morning")
            for ids in own_and_other(desk, "mail.mail") if ids],
        ("attribution.violation", "create"): [Call(args=[{
            "user_id": other, "category": "late"}])],
        # ---- deals: consultants work their own opportunities
        ("crm.lead", "create"): [
            Call(args=[{"name": "Surface deal", "type": "opportunity",
                        "partner_id": my_partner[0], "user_id": me,
                        "team_id": desk["team"]}],
                 allow={"crm_lead"}, why="a consultant enters their own opportunity"),
            # A10: the registration sheet decides the owner, a deal cannot move it
            Call(args=[{"name": "Surface grab", "type": "opportunity",
                        "partner_id": colleague_customer, "user_id": me,
                        "team_id": desk["team"]}],
                 label="a deal on a colleague's customer"),
            Call(args=[{"name": "Surface grab", "type": "opportunity",
                        "partner_id": colleague_customer}],
                 label="a deal on a colleague's customer, salesperson by default")],
        ("crm.lead", "write"): [
            Call(my_lead, args=[{"description": "surface"}]),
            Call(other_lead, args=[{"user_id": me}]),
            Call(my_lead, args=[{"partner_id": colleague_customer}],
                 label="re-point an own deal at a colleague's customer"),
            Call(lambda: [admin.call("crm.lead", "create", {
                "name": "Surface unassigned %s" % serial(desk), "type": "opportunity",
                "partner_id": colleague_customer, "user_id": False,
                "team_id": desk["team"]})],
                args=[{"user_id": me}],
                label="take an unassigned deal of a colleague's customer")],
        # ---- reports and wizards
        ("report.sales_attribution.attribution_split_xlsx",
         "generate_xlsx_report"): [Call(args=[1, {}, []])],
        ("report.sales_attribution.attribution_visit_register_xlsx",
         "generate_xlsx_report"): [Call(args=[1, {}, []])],
        ("report.sales_attribution.attribution_decision_log_xlsx",
         "generate_xlsx_report"): [Call(args=[1, {}, []])],
        ("event.registration", "attribution_text"): [
            Call(own["event.registration"][0], args=["E1"]),
            Call(own["event.registration"][0], args=["E9"])],
        ("event.registration", "attribution_lines"): [
            Call(own["event.registration"][0], args=["E2"])],
        ("attribution.settings.wizard", "create"): [Call(args=[{
            "attribution_protection_days": 1}])],
        ("attribution.settings.wizard", "default_get"): [
            Call(args=[["attribution_protection_days"]])],
        ("attribution.abandon.wizard", "default_get"): [
            Call(args=[["visit_id"]], kw={"context": {
                "active_model": "attribution.visit", "active_id": (
                    other_visit or my_visit)[0]}})],
        ("attribution.complaint.wizard", "default_get"): [
            Call(args=[["partner_id"]], kw={"context": {
                "active_model": "res.partner", "active_id": other_partner[0]}})],
        ("event.gift.wizard", "default_get"): [
            Call(args=[["registration_id"]], kw={"context": {
                "active_model": "event.registration",
                "active_id": own["event.registration"][1][0]}})],
    }


#: transient models: the consultant's own wizard, filled as a client would
WIZARDS = {
    "attribution.abandon.wizard": lambda d, p: {
        "visit_id": p["visit"], "user_id": d["other"], "description": "left"},
    "attribution.complaint.wizard": lambda d, p: {
        "partner_id": p["partner"], "original_user_id": d["other"],
        "new_user_id": d["me"], "complaint": "rude"},
    "attribution.dismissal.wizard": lambda d, p: {
        "user_id": d["other"], "reason": "stays"},
    "attribution.split.export.wizard": lambda d, p: {
        "date_from": "2000-01-01", "date_to": "2100-01-01"},
    "event.gift.wizard": lambda d, p: {
        "registration_id": p["registration"], "gift_description": "tea"},
}


def generic_calls(desk, model, method, info):
    """Calls without arguments (an override of ``create``/``write`` gets empty
    values, as the ORM takes them): on the model, or on an own and a foreign record
    (a wizard of the consultant's and one of the administrator's)."""
    args = [{}] if method in ("create", "write") else []
    if info["api"] == "model":
        return [Call(args=args)]
    if info["abstract"]:
        return [Call([], args=args)]
    if info["transient"]:
        if model not in WIZARDS:
            return [Call([], args=args)]
        picks = {key: (own_and_other(desk, name)[0] or [0])[0] for key, name in (
            ("visit", "attribution.visit"), ("partner", "res.partner"),
            ("registration", "event.registration"))}
        vals = WIZARDS[model](desk, picks)
        return [Call(lambda: [desk["client"].call(model, "create", vals)], args=args),
                Call(lambda: [desk["admin"].call(model, "create", vals)], args=args)]
    return [Call(ids, args=args) for ids in own_and_other(desk, model) if ids]


def run(desk, snap, model, method, info, call):
    """Make the call; returns a problem (text) or None."""
    if call.setup:
        call.setup()
    multi = info["api"] != "model"
    args = call.arguments(multi)
    before = snap.take()
    try:
        desk["client"].call(model, method, *args, **call.kw)
        outcome = "ok"
    except xmlrpc.client.Fault as fault:
        if not worded(fault):
            return "%s.%s%r (%s) answered a traceback:\n%s" % (
                model, method, args, call.label or "call",
                "\n".join(fault_text(fault).strip().splitlines()[-4:]))
        outcome = "refused"
    except xmlrpc.client.ProtocolError as err:
        return "%s.%s%r: protocol error %s" % (model, method, args, err)
    changes = surface.Snapshot.diff(before, snap.take())
    stray = [c for c in changes if c[0] not in call.allow]
    if stray:
        return "%s.%s%r (%s, %s) changed %s%s" % (
            model, method, args, call.label or "call", outcome, stray[:12],
            " (allowed: %s)" % sorted(call.allow) if call.allow else "")
    return None


@pytest.fixture(scope="module")
def found():
    """The public methods of the addon's models, from the registry."""
    return surface.registry_methods()


def test_surface_is_read_from_the_registry(found):
    """The registry's list holds every public method of the source (the introspection
    is not blind), and finds the rotation's contract method."""
    flat = {(model, name) for model, names in found.items() for name in names}
    missing = surface.source_methods() - flat
    assert not missing, "the registry does not show %s" % sorted(missing)
    assert ("attribution.rotation", "next_receiver") in flat
    assert ("crm.lead", "action_compute_splits") in flat
    assert all(not name.startswith("_") for _model, name in flat)


def test_consultant_calls_change_nothing_but_their_own_desk_work(desk, found):
    plan = plans(desk)
    stale = [key for key in plan if key[1] not in found.get(key[0], {})]
    snap = surface.Snapshot()
    problems, uncalled = [], []
    try:
        for model in sorted(found):
            for method, info in sorted(found[model].items()):
                calls = plan.get((model, method)) or \
                    generic_calls(desk, model, method, info)
                if not calls:
                    uncalled.append((model, method))
                for call in calls:
                    problem = run(desk, snap, model, method, info, call)
                    if problem:
                        problems.append(problem)
    finally:
        snap.close()
    assert not problems, "\n\n".join(problems)
    assert not uncalled, "no record to call these on: %s" % uncalled
    assert not stale, "plans for methods that no longer exist: %s" % stale


def test_rotation_next_receiver_refused_in_words(desk):
    """``next_receiver`` keeps its name (contract) and refuses a consultant with a
    message in their language; the turn does not move."""
    admin, client = desk["admin"], desk["client"]
    fields = ["last_sequence"]
    before = admin.call("attribution.rotation", "read", [desk["rotation"]], fields)
    with pytest.raises(xmlrpc.client.Fault) as caught:
        client.call("attribution.rotation", "next_receiver", [desk["rotation"]])
    assert caught.value.faultCode == 4, fault_text(caught.value)
    assert "经理" in caught.value.faultString or "manager" in caught.value.faultString
    assert admin.call("attribution.rotation", "read", [desk["rotation"]],
                      fields) == before
