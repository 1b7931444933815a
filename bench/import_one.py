"""Import a generated office sheet of N rows, alone in this process (issue 16 point 6).

Usage (through ``bench/run --measures import``):

    python bench/import_one.py [odoo options] -- [--rows N] [--kind visit|deal]
                                                 [--results F]

Writes a visit register (来访登记表: visit time, customer, phone, receiver, kind, asked
prior visit; 7 rows in 10 a new customer, the rest revisits) or a deal ledger (成交台账)
of ``--rows`` rows (default 50 000) as ``.xlsx`` with openpyxl in write-only mode, then
as the superuser (a manager of every team):

1. *preview*: the import wizard's ``action_preview()`` on the whole file (rolled back);
2. *import*: ``action_import()``, which hands the file to an
   ``attribution.import.batch`` (the background threshold is set to 1 row in the
   bench database, so a small ``--rows`` measures the same path), committed; then
   the scheduled action's method (``_cron_process``) until the batch is done, a
   transaction per chunk, as the cron workers run it.

Reports the seconds of each, the rows per state, and the peak resident memory of this
process (``resource.getrusage().ru_maxrss``) beside the peak before the import (Odoo,
the registry and the generated file). ``--kind visit`` falls back to ``deal`` while
the visit wizard cannot run in a batch (the result says which kind was measured).
The database is the bench's own: the imported rows stay in it.
"""
# pylint: disable=print-used  # a command-line tool: what it prints is its output
import argparse
import base64
import datetime
import random
import resource
import sys
import tempfile

import benchlib

#: kinds of the generated register and how often (the rest: walk-ins)
_KINDS = (("自然来访", 80), ("预约", 10), ("老带新", 10))


def maxrss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _write(path, header, rows):
    import openpyxl
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)


def register_rows(count, receivers, seed=16):
    """Rows of a visit register over the past year, in no particular order."""
    rng = random.Random(seed)
    now = datetime.datetime.now().replace(second=0, microsecond=0)
    customers = []
    kinds = [k for k, weight in _KINDS for _ in range(weight)]
    for i in range(count):
        if customers and rng.random() < 0.3:
            name, phone = rng.choice(customers)
        else:
            name, phone = "导入客户%d" % i, "136%08d" % i
            customers.append((name, phone))
        minutes = rng.randrange(60, 365 * 24 * 60)
        yield [now - datetime.timedelta(minutes=minutes), name, phone,
               rng.choice(receivers), rng.choice(kinds), "是"]


def ledger_rows(count, consultants, seed=16):
    rng = random.Random(seed)
    today = datetime.date.today()
    for i in range(count):
        yield ["成交客户%d" % i, "135%08d" % i, 1 + (i % 7 == 0),
               rng.randrange(500000, 5000000),
               today - datetime.timedelta(days=rng.randrange(1, 365)),
               rng.choice(consultants)]


def _office(env):
    """The bench office's busiest team with a rotation and its consultants' logins."""
    rotation = env["attribution.rotation"].search([], limit=1)
    team = rotation.team_id
    users = rotation.member_ids.mapped("user_id")
    return team, users.mapped("login")


def _batch_capable(env, model):
    return model in env and hasattr(env[model], "_batch_import_rows")


def main():
    odoo_args, args = benchlib.split_argv()
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50000)
    parser.add_argument("--kind", choices=("visit", "deal"), default="visit")
    parser.add_argument("--results")
    parser.add_argument("--preview-only", action="store_true",
                        help="measure the preview alone (nothing is kept)")
    parser.add_argument("--profile", help="write a cProfile of the preview here")
    parser.add_argument("--per-row", action="store_true",
                        help="replay every row through the desk's engine (the path "
                             "before the bulk import), for a baseline")
    opts = parser.parse_args(args)
    registry = benchlib.open_registry(odoo_args)
    with benchlib.environment(registry) as env:
        kind = opts.kind
        if kind == "visit" and not _batch_capable(env, "attribution.visit.import"):
            kind = "deal"
        team, logins = _office(env)
        model = {"visit": "attribution.visit.import",
                 "deal": "attribution.deal.import"}[kind]
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
            if kind == "visit":
                _write(handle.name, ["来访时间", "客户姓名", "电话", "接待顾问", "来访类型",
                                     "是否询问来访"], register_rows(opts.rows, logins))
            else:
                _write(handle.name, ["客户", "电话", "套数", "成交金额", "成交日期", "顾问"],
                       ledger_rows(opts.rows, logins))
            with open(handle.name, "rb") as fh:
                content = base64.b64encode(fh.read())
        before = maxrss_mb()
        vals = {"file": content, "filename": "bench_%s.xlsx" % kind,
                "team_id": team.id}
        context = {"attribution_import_per_row": True} if opts.per_row else {}
        wizard = env[model].with_context(**context).create(vals)
        timer = benchlib.Timer()
        if opts.profile:
            import cProfile
            profile = cProfile.Profile()
            profile.runcall(wizard.action_preview)
            profile.dump_stats(opts.profile)
        else:
            wizard.action_preview()
        preview_seconds = timer.seconds
        env.cr.rollback()
        env.clear()
        if opts.preview_only:
            print("[bench import] preview of %d rows: %.1f s, peak RSS %.0f MB" % (
                opts.rows, preview_seconds, maxrss_mb()), flush=True)
            return
        wizard = env[model].with_context(**context).create(vals)
        # the background path whatever --rows (50 000 takes it anyway)
        env["ir.config_parameter"].set_param(
            "sales_attribution.import_background_rows", "1")
        timer = benchlib.Timer()
        action = wizard.action_import()
        batch = env["attribution.import.batch"].browse(action.get("res_id")) \
            if action.get("res_model") == "attribution.import.batch" else None
        env.cr.commit()
        Batch = env["attribution.import.batch"].with_context(**context)
        while batch and Batch._cron_process(seconds=3600):
            pass
        import_seconds = timer.seconds
        env.clear()
        counts = {}
        if batch:
            counts = batch.read(["state", "row_total", "count_ok", "count_error",
                                 "count_duplicate"])[0]
            counts.pop("id", None)
    result = {"kind": kind, "rows": opts.rows, "per_row": opts.per_row,
              "preview_seconds": preview_seconds,
              "import_seconds": import_seconds, "peak_rss_mb": maxrss_mb(),
              "rss_before_mb": before, "batch": counts}
    print("[bench import] %s" % result, flush=True)
    if opts.results:
        benchlib.write_result(opts.results, "import", result)


if __name__ == "__main__":
    sys.exit(main())
