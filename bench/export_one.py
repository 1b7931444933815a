"""Export every split line of the bench database to XLSX, alone in this process.

Usage (through ``bench/run``):

    python bench/export_one.py [odoo options] -- [--results F]

Runs the report of the export wizard
(``sales_attribution.attribution_split_xlsx_report``) as the superuser over a period
holding every line, and reports the seconds it took and the peak resident memory of
this process (``resource.getrusage().ru_maxrss``), beside the peak before the export
(Odoo and the registry loaded) so the export's own share is visible.
"""
# pylint: disable=print-used  # a command-line tool: what it prints is its output
import argparse
import resource
import sys

import benchlib


def maxrss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main():
    odoo_args, args = benchlib.split_argv()
    parser = argparse.ArgumentParser()
    parser.add_argument("--results")
    opts = parser.parse_args(args)
    registry = benchlib.open_registry(odoo_args)
    with benchlib.environment(registry) as env:
        env.cr.execute(
            "SELECT count(*), min(date), max(date) FROM attribution_split_line")
        lines, first, last = env.cr.fetchone()
        wizard = env["attribution.split.export.wizard"].create(
            {"date_from": first, "date_to": last})
        report = env.ref("sales_attribution.attribution_split_xlsx_report")
        before = maxrss_mb()
        timer = benchlib.Timer()
        content, kind = report.render_xlsx(wizard.ids, {})
        seconds = timer.seconds
        peak = maxrss_mb()
        env.cr.rollback()
    result = {"lines": lines, "seconds": seconds, "bytes": len(content),
              "peak_rss_mb": peak, "rss_before_mb": before, "format": kind}
    print("[bench export] %s" % result, flush=True)
    if opts.results:
        benchlib.write_result(opts.results, "export", result)


if __name__ == "__main__":
    sys.exit(main())
