"""Two projects, two managers, over the wire (issue 14, point 4).

Project A is led by manager A, project B by manager B; consultant AB works in both
rotations. Each manager reads, rules and exports only their project: searches and
reads of visits, decisions, conflicts, split lines and deals, a ruling, the standard
list export (``export_data``) and the XLSX downloads of the split export and the
visit register (HTTP, as the web client asks for them). A refusal is an AccessError
(fault code 4) naming the other project.
"""
import http.cookiejar
import io
import json
import time
import urllib.error
import urllib.request
import xmlrpc.client

import pytest
from openpyxl import load_workbook

from conftest import DB, PASSWORD, URL, Client, fault_text

ACCESS_ERROR = 4


def refused(call, *args, **kw):
    with pytest.raises(xmlrpc.client.Fault) as caught:
        call(*args, **kw)
    return caught.value


class Browser:
    """A web session of one user: what the web client's downloads go through."""

    def __init__(self, login):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": {
            "db": DB, "login": login, "password": PASSWORD}}).encode()
        request = urllib.request.Request(
            URL + "/web/session/authenticate", data=body,
            headers={"Content-Type": "application/json"})
        with self.opener.open(request, timeout=60) as response:
            result = json.loads(response.read().decode())
        assert result.get("result", {}).get("uid"), result

    def get(self, path):
        """``(status, content type, body)`` of a GET."""
        try:
            with self.opener.open(URL + path, timeout=120) as response:
                return (response.status, response.headers.get("Content-Type", ""),
                        response.read())
        except urllib.error.HTTPError as err:
            return err.code, err.headers.get("Content-Type", ""), err.read()


def cells(content):
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return {str(c) for row in sheet.iter_rows(values_only=True) for c in row if c}


@pytest.fixture(scope="module")
def projects(admin):
    """Two projects of this run with their managers, desks and records."""
    stamp = "%d" % (time.time() * 1000)
    consultant = admin.ref("sales_attribution.group_consultant")
    manager = admin.ref("sales_attribution.group_manager")
    internal = admin.ref("base.group_user")
    uid, login = {}, {}
    for role, group in (("manager_a", manager), ("manager_b", manager),
                        ("consultant_a", consultant), ("consultant_b", consultant),
                        ("consultant_ab", consultant)):
        login[role] = "live_pa_%s_%s" % (role, stamp)
        uid[role] = admin.call("res.users", "create", {
            "name": "Live PA %s %s" % (role, stamp), "login": login[role],
            "password": PASSWORD, "email": "%s@example.invalid" % login[role],
            "lang": "en_US", "groups_id": [(6, 0, [internal, group])]})
    teams = {}
    for key, members in (("a", ("consultant_ab", "consultant_a")),
                         ("b", ("consultant_ab", "consultant_b"))):
        teams[key] = admin.call("crm.team", "create", {
            "name": "Live Project %s %s" % (key.upper(), stamp),
            "user_id": uid["manager_%s" % key],
            "member_ids": [(6, 0, [uid[m] for m in members])]})
        admin.call("attribution.rotation", "create", {
            "team_id": teams[key],
            "member_ids": [(0, 0, {"user_id": uid[m], "sequence": 10 * (i + 1),
                                   "present": True})
                           for i, m in enumerate(members)]})
    clients = {role: Client(login[role], PASSWORD) for role in uid}
    digits = stamp[-6:]
    visits, conflicts, leads, partners = {}, {}, {}, {}
    for key in ("a", "b"):
        desk = clients["consultant_%s" % key]
        visits[key] = desk.call("attribution.visit", "create", {
            "phone": "137%s%02d" % (digits, 1 if key == "a" else 2),
            "partner_name": "Live PA customer %s %s" % (key.upper(), stamp),
            "team_id": teams[key], "kind": "walk_in", "asked_prior_visit": True})
        partners[key] = admin.call("attribution.visit", "read", [visits[key]],
                                   ["partner_id"])[0]["partner_id"][0]
        conflicts[key] = admin.call("attribution.conflict", "create", {
            "partner_id": partners[key], "team_id": teams[key],
            "claimant_ids": [(6, 0, [uid["consultant_%s" % key],
                                     uid["consultant_ab"]])],
            "winner_id": uid["consultant_%s" % key]})
        leads[key] = admin.call("crm.lead", "create", {
            "name": "Live PA deal %s %s" % (key.upper(), stamp),
            "type": "opportunity", "partner_id": partners[key],
            "team_id": teams[key], "user_id": uid["consultant_%s" % key],
            "planned_revenue": 1000000.0})
        admin.call("crm.lead", "action_set_won", [leads[key]])
    return {"stamp": stamp, "uid": uid, "clients": clients, "teams": teams,
            "visits": visits, "conflicts": conflicts, "leads": leads,
            "partners": partners, "login": login}


def test_each_manager_reads_only_their_project(projects):
    visits, conflicts = projects["visits"], projects["conflicts"]
    leads = projects["leads"]
    for key, other in (("a", "b"), ("b", "a")):
        client = projects["clients"]["manager_%s" % key]
        for model, ids in (("attribution.visit", visits),
                           ("attribution.conflict", conflicts),
                           ("crm.lead", leads)):
            found = client.call(model, "search", [("id", "in", list(ids.values()))])
            assert found == [ids[key]], (key, model)
            fault = refused(client.call, model, "read", [ids[other]], ["create_date"])
            assert fault.faultCode == ACCESS_ERROR, fault_text(fault)
        lines = client.call("attribution.split.line", "search_read",
                            [("lead_id", "in", list(leads.values()))], ["lead_id"])
        assert lines and {ln["lead_id"][0] for ln in lines} == {leads[key]}
        decisions = client.call("attribution.decision", "search_read",
                                [("visit_id", "in", list(visits.values()))],
                                ["visit_id"])
        assert [d["visit_id"][0] for d in decisions] == [visits[key]]


def test_consultant_in_both_projects_received_both_walk_ins(projects):
    ab = projects["clients"]["consultant_ab"]
    rows = ab.call("attribution.visit", "search_read",
                   [("id", "in", list(projects["visits"].values()))], ["receiver_id"])
    assert len(rows) == 2
    assert {r["receiver_id"][0] for r in rows} == {projects["uid"]["consultant_ab"]}


def test_manager_rules_only_their_projects_conflict(projects, admin):
    manager_a = projects["clients"]["manager_a"]
    conflicts = projects["conflicts"]
    fault = refused(manager_a.call, "attribution.conflict", "action_rule",
                    [conflicts["b"]])
    assert fault.faultCode == ACCESS_ERROR, fault_text(fault)
    assert "Live Project B %s" % projects["stamp"] in fault.faultString
    for action in ("action_escalate", "action_agree"):
        fault = refused(manager_a.call, "attribution.conflict", action,
                        [conflicts["b"]])
        assert fault.faultCode == ACCESS_ERROR, (action, fault_text(fault))
    state = admin.call("attribution.conflict", "read", [conflicts["b"]],
                       ["state"])[0]["state"]
    assert state == "negotiation"
    assert manager_a.call("attribution.conflict", "action_rule", [conflicts["a"]])
    state = admin.call("attribution.conflict", "read", [conflicts["a"]],
                       ["state"])[0]["state"]
    assert state == "ruled"


def test_manager_cannot_name_themselves_comanager_elsewhere(projects, admin):
    manager_a = projects["clients"]["manager_a"]
    fault = refused(manager_a.call, "crm.team", "write", [projects["teams"]["b"]],
                    {"attribution_manager_ids": [(4, projects["uid"]["manager_a"])]})
    assert fault.faultCode == ACCESS_ERROR, fault_text(fault)
    managers = admin.call("crm.team", "read", [projects["teams"]["b"]],
                          ["attribution_manager_ids"])[0]["attribution_manager_ids"]
    assert managers == []


def test_list_export_only_of_their_project(projects):
    manager_a = projects["clients"]["manager_a"]
    leads = projects["leads"]
    lines_b = projects["clients"]["manager_b"].call(
        "attribution.split.line", "search", [("lead_id", "=", leads["b"])])
    assert lines_b
    fault = refused(manager_a.call, "attribution.split.line", "export_data",
                    lines_b, ["performance_amount"])
    assert fault.faultCode == ACCESS_ERROR, fault_text(fault)
    ids = manager_a.call("attribution.split.line", "search",
                         [("lead_id", "in", list(leads.values()))])
    rows = manager_a.call("attribution.split.line", "export_data", ids,
                          ["lead_id/name"])["datas"]
    assert {r[0] for r in rows} == {"Live PA deal A %s" % projects["stamp"]}


def test_xlsx_split_export_only_of_their_project(projects):
    manager_a = projects["clients"]["manager_a"]
    wizard = manager_a.call("attribution.split.export.wizard", "create", {
        "date_from": "2000-01-01", "date_to": "2100-12-31"})
    status, kind, body = Browser(projects["login"]["manager_a"]).get(
        "/report/xlsx/sales_attribution.attribution_split_xlsx/%d" % wizard)
    assert status == 200 and "spreadsheet" in kind, (status, kind, body[:300])
    found = cells(body)
    assert "Live PA deal A %s" % projects["stamp"] in found
    assert "Live PA deal B %s" % projects["stamp"] not in found


def test_xlsx_visit_register_refuses_another_projects_visit(projects):
    browser = Browser(projects["login"]["manager_a"])
    report = "/report/xlsx/sales_attribution.attribution_visit_register_xlsx/%s"
    visits = projects["visits"]
    status, kind, body = browser.get(report % visits["a"])
    assert status == 200 and "spreadsheet" in kind, (status, kind, body[:300])
    assert "Live PA customer A %s" % projects["stamp"] in cells(body)
    both = "%d,%d" % (visits["a"], visits["b"])
    status, kind, body = browser.get(report % both)
    assert "spreadsheet" not in kind, (status, kind)
    assert ("Live PA customer B %s" % projects["stamp"]).encode() not in body


def test_violations_and_strikes_only_of_their_project(projects, admin):
    """Conduct per project: each manager reads, writes and records the violations
    of their project only; a consultant reads their own; the reception card of a
    consultant in both projects counts that project's strikes."""
    uid, teams, clients = projects["uid"], projects["teams"], projects["clients"]
    made = {}
    for key, role, category in (("a", "consultant_ab", "late"),
                                ("b", "consultant_ab", "impolite"),
                                ("b2", "consultant_b", "late")):
        made[key] = admin.call("attribution.violation", "create", {
            "user_id": uid[role], "category": category,
            "team_id": teams[key[0]],
            "source_ref": "live.project_access,%s,%s" % (key, projects["stamp"])})
    every = list(made.values())
    manager_a, manager_b = clients["manager_a"], clients["manager_b"]
    assert manager_a.call("attribution.violation", "search",
                          [("id", "in", every)]) == [made["a"]]
    assert sorted(manager_b.call("attribution.violation", "search",
                                 [("id", "in", every)])) == sorted(
        [made["b"], made["b2"]])
    fault = refused(manager_a.call, "attribution.violation", "read", [made["b"]],
                    ["category"])
    assert fault.faultCode == ACCESS_ERROR, fault_text(fault)
    fault = refused(manager_a.call, "attribution.violation", "write", [made["b2"]],
                    {"description": "A writes B's"})
    assert fault.faultCode == ACCESS_ERROR, fault_text(fault)
    fault = refused(manager_a.call, "attribution.violation", "create",
                    {"user_id": uid["consultant_b"], "category": "impolite"})
    assert fault.faultCode == ACCESS_ERROR, fault_text(fault)
    assert sorted(clients["consultant_ab"].call(
        "attribution.violation", "search", [("id", "in", every)])) == sorted(
        [made["a"], made["b"]])
    assert clients["consultant_b"].call(
        "attribution.violation", "search", [("id", "in", every)]) == [made["b2"]]
    for key, client in (("a", manager_a), ("b", manager_b)):
        cards = client.call("attribution.rotation.member", "search_read",
                            [("user_id", "=", uid["consultant_ab"])],
                            ["team_id", "strike_count"])
        assert [(c["team_id"][0], c["strike_count"]) for c in cards] == [
            (teams[key], 1)], (key, cards)
