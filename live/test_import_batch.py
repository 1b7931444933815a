"""Background imports (issue 16 point 5) against the live server and database.

A manager imports a deal ledger over the background threshold through XML-RPC; the
batch is processed by Odoo processes of the tests' own running the scheduled action's
method (``attribution.import.batch._cron_process``), as the server's cron workers do:

- one is killed with SIGKILL in the middle of the batch (a server dying under its
  cron), then the work starts again: every row of the file is imported exactly once;
- two run at the same moment (two cron workers): each chunk is taken by one of them,
  every row is imported exactly once.

The server's own run of that scheduled action is paused meanwhile so that the tests
decide who processes the batch.
"""
import base64
import datetime
import io
import os
import signal
import subprocess
import sys
import textwrap
import time

import openpyxl
import pytest

from conftest import odoo_args

#: rows of a test ledger, 1 in 10 of them with an unreadable phone
ROWS = int(os.environ.get("SA_LIVE_IMPORT_ROWS", "120"))
#: rows per chunk in the test's workers (the addon's default is larger)
CHUNK = 10
PARAM = "sales_attribution.import_background_rows"

WORK_SCRIPT = textwrap.dedent("""
    import sys, odoo
    from odoo import api, SUPERUSER_ID
    odoo.tools.config.parse_config(sys.argv[2:])
    from odoo.addons.sales_attribution.models import attribution_import_batch as mod
    mod.CHUNK_ROWS = int(sys.argv[1])
    db = odoo.tools.config["db_name"]
    with api.Environment.manage():
        registry = odoo.registry(db)
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            print("START", flush=True)
            # what the scheduled action runs, until nothing is left
            while env["attribution.import.batch"]._cron_process(seconds=600):
                pass
    print("DONE", flush=True)
""")


@pytest.fixture()
def batches(admin):
    """The server's batch cron paused and a low background threshold, restored."""
    cron = admin.ref("sales_attribution.ir_cron_attribution_import_batch")
    admin.call("ir.cron", "write", [cron], {"active": False})
    admin.call("ir.config_parameter", "set_param", PARAM, "50")
    yield cron
    admin.call("ir.config_parameter", "set_param", PARAM, False)
    admin.call("ir.cron", "write", [cron], {"active": True})


def _ledger(office, tag):
    """(xlsx bytes, good phones) of a ledger of ROWS deals of consultant A."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["客户", "电话", "套数", "成交金额", "成交日期", "顾问"])
    today = datetime.date.today()
    good = []
    for i in range(ROWS):
        phone = "137%02d%06d" % (tag, i)
        if i % 10 == 9:
            phone = "12%d" % i  # too short: an error row
        else:
            good.append(phone)
        sheet.append(["批量客户%d" % i, phone, 1, 100000 + i,
                      today - datetime.timedelta(days=1 + i % 300),
                      "live_consultant_a_%s" % office["stamp"]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), good


def _start(office, tag):
    manager = office["clients"]["manager"]
    content, good = _ledger(office, tag)
    wizard = manager.call("attribution.deal.import", "create", {
        "file": base64.b64encode(content).decode(), "filename": "ledger_%d.xlsx" % tag,
        "team_id": office["team_a"]})
    action = manager.call("attribution.deal.import", "action_import", [wizard])
    assert action["res_model"] == "attribution.import.batch", action
    return action["res_id"], good


def _batch(admin, batch_id):
    return admin.call("attribution.import.batch", "read", [batch_id], [
        "state", "row_total", "row_done", "count_ok", "count_error",
        "count_duplicate"])[0]


def _worker():
    env = dict(os.environ, ODOO_PRELOAD_ADDONS="no")
    return subprocess.Popen(
        [sys.executable, "-c", WORK_SCRIPT, str(CHUNK)] + odoo_args(),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)


def _assert_each_row_once(admin, batch_id, good):
    batch = _batch(admin, batch_id)
    assert batch["state"] == "done", batch
    assert batch["row_total"] == batch["row_done"] == ROWS, batch
    assert (batch["count_ok"], batch["count_error"], batch["count_duplicate"]) == (
        len(good), ROWS - len(good), 0), batch
    leads = admin.call("crm.lead", "search_read",
                       [("partner_id.mobile", "in", good)], ["partner_id"])
    per_partner = {}
    for lead in leads:
        per_partner[lead["partner_id"][0]] = per_partner.get(
            lead["partner_id"][0], 0) + 1
    assert len(leads) == len(good), (len(leads), len(good))
    assert set(per_partner.values()) == {1}
    rows = admin.call("attribution.import.batch.row", "search_read",
                      [("batch_id", "=", batch_id)], ["state"])
    assert len(rows) == ROWS and "pending" not in {r["state"] for r in rows}


def test_server_killed_mid_batch_resumes_each_row_once(admin, office, batches):
    batch_id, good = _start(office, 11)
    assert _batch(admin, batch_id)["state"] == "waiting"
    proc = _worker()
    deadline = time.time() + 300
    while time.time() < deadline and proc.poll() is None:
        if _batch(admin, batch_id)["row_done"] >= 3 * CHUNK:
            break
        time.sleep(0.2)
    assert proc.poll() is None, proc.stdout.read().decode()[-3000:]
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    killed = _batch(admin, batch_id)
    assert killed["state"] == "running" and 0 < killed["row_done"] < ROWS, killed
    time.sleep(1)  # the killed backend's locks go with its connection
    again = _worker()
    out, _err = again.communicate(timeout=900)
    assert again.returncode == 0, out.decode()[-3000:]
    _assert_each_row_once(admin, batch_id, good)
    # the manager was told once
    activities = admin.call("mail.activity", "search_count", [
        ("res_model", "=", "attribution.import.batch"), ("res_id", "=", batch_id)])
    assert activities == 1


def test_two_workers_at_once_take_each_chunk_once(admin, office, batches):
    batch_id, good = _start(office, 12)
    procs = [_worker(), _worker()]
    outputs = [proc.communicate(timeout=900)[0].decode() for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], outputs
    _assert_each_row_once(admin, batch_id, good)
