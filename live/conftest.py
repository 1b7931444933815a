"""XML-RPC clients against the Odoo that ``bin/test`` started (phase ``live``).

Plain Python: ``xmlrpc.client`` only, no Odoo import. The server, its database and the
addon with its demo office are ready; these fixtures add an office of their own (two
teams, two consultants, a manager, a portal user) with logins unique to the run.

Environment (set by bin/test): SA_LIVE_URL, SA_LIVE_DB, SA_LIVE_LOG (server log),
SA_LIVE_VISITS (size of the concurrency test).
"""
import importlib.util
import os
import time
import xmlrpc.client

import pytest

URL = os.environ.get("SA_LIVE_URL", "http://127.0.0.1:8069")
DB = os.environ.get("SA_LIVE_DB", "")
ROOT = os.environ.get("SA_ROOT", os.path.dirname(os.path.dirname(__file__)))
ADMIN_PASSWORD = os.environ.get("SA_LIVE_ADMIN_PASSWORD", "admin")
PASSWORD = "live-test-Pa55"


class Client:
    """One user talking to the server; ``call(model, method, *args, **kw)``."""

    def __init__(self, login, password):
        self.login = login
        self.password = password
        common = xmlrpc.client.ServerProxy(URL + "/xmlrpc/2/common", allow_none=True)
        self.uid = common.authenticate(DB, login, password, {})
        if not self.uid:
            raise RuntimeError("cannot log in as %s" % login)
        self.models = xmlrpc.client.ServerProxy(URL + "/xmlrpc/2/object",
                                                allow_none=True)

    def call(self, model, method, *args, **kw):
        return self.models.execute_kw(DB, self.uid, self.password, model, method,
                                      list(args), kw)

    def ref(self, xmlid):
        module, name = xmlid.split(".")
        found = self.call("ir.model.data", "search_read",
                          [("module", "=", module), ("name", "=", name)], ["res_id"])
        return found[0]["res_id"]


def fault_text(fault):
    return "%s %s" % (fault.faultCode, fault.faultString)


@pytest.fixture(scope="session")
def admin():
    return Client("admin", ADMIN_PASSWORD)


@pytest.fixture(scope="session")
def office(admin):
    """Users, teams and customers of this run (logins suffixed with a stamp)."""
    stamp = "%d" % (time.time() * 1000)
    consultant = admin.ref("sales_attribution.group_consultant")
    manager = admin.ref("sales_attribution.group_manager")
    internal = admin.ref("base.group_user")
    portal = admin.ref("base.group_portal")

    def user(role, groups):
        login = "live_%s_%s" % (role, stamp)
        uid = admin.call("res.users", "create", {
            "name": "Live %s" % role.replace("_", " ").title(), "login": login,
            "password": PASSWORD, "email": "%s@example.invalid" % login,
            "lang": "en_US",
            "groups_id": [(6, 0, groups)]})
        return uid, login

    ids = {}
    for role, groups in (("consultant_a", [internal, consultant]),
                         ("consultant_b", [internal, consultant]),
                         ("manager", [internal, manager]),
                         ("portal", [portal])):
        ids[role] = user(role, groups)
    team_a = admin.call("crm.team", "create", {
        "name": "Live Team A %s" % stamp, "user_id": ids["manager"][0],
        "member_ids": [(6, 0, [ids["consultant_a"][0]])]})
    team_b = admin.call("crm.team", "create", {
        "name": "Live Team B %s" % stamp, "user_id": ids["manager"][0],
        "member_ids": [(6, 0, [ids["consultant_b"][0]])]})
    digits = stamp[-6:]
    partner_a = admin.call("res.partner", "create", {
        "name": "Live Customer A %s" % stamp, "mobile": "139%s01" % digits,
        "phone": "010-6%s1" % digits, "attribution_owner_id": ids["consultant_a"][0]})
    partner_b = admin.call("res.partner", "create", {
        "name": "Live Customer B %s" % stamp, "mobile": "139%s02" % digits,
        "phone": "010-6%s2" % digits, "attribution_owner_id": ids["consultant_b"][0]})
    clients = {role: Client(login, PASSWORD) for role, (uid, login) in ids.items()}
    return {
        "stamp": stamp, "clients": clients,
        "uid": {role: uid for role, (uid, login) in ids.items()},
        "team_a": team_a, "team_b": team_b,
        "partner_a": partner_a, "partner_b": partner_b,
    }


def odoo_args():
    """Command-line arguments for an Odoo process of the tests' own (a script that
    opens the live database in-process): addons path, database server, database."""
    odoo_dir = os.path.dirname(importlib.util.find_spec("odoo").origin)
    return ["--addons-path=%s,%s" % (os.path.join(odoo_dir, "addons"), ROOT),
            "--db_host=%s" % os.environ.get("PGHOST", ""),
            "--db_port=%s" % os.environ.get("PGPORT", "5432"),
            "--db_user=odoo", "--db_password=odoo", "-d", DB, "--log-level=warn"]
