"""Count what Odoo 11's test runner did, from its log.

Odoo 11 logs each test module's ``Ran N tests`` and ``Module X: F failures, E errors``
but exits 0 whatever happened. This reads the log of one ``--test-enable`` run and
prints ``passed failed`` for bin/test; any ERROR or CRITICAL line that is not part of a
reported test failure (an install that broke, a traceback outside a test) counts as one
more failure, so nothing goes unnoticed.

    python odoo_test_log.py LOGFILE
"""
# pylint: disable=print-used  # a command-line tool: what it prints is its output
import re
import sys

LINE = re.compile(
    r"^\d{4}-\d\d-\d\d [\d:,]+ \d+ (?P<level>[A-Z]+) (?P<db>\S+) "
    r"(?P<logger>[\w.]+): (?P<msg>.*)$")
RAN = re.compile(r"^Ran (\d+) tests? in")
MODULE_FAIL = re.compile(r"^Module (\S+): (\d+) failures, (\d+) errors")


def count(lines):
    ran = failed = stray = 0
    for raw in lines:
        m = LINE.match(raw)
        if not m:
            continue
        msg, logger, level = m.group("msg"), m.group("logger"), m.group("level")
        r = RAN.match(msg)
        if r:
            ran += int(r.group(1))
            continue
        f = MODULE_FAIL.match(msg)
        if f:
            failed += int(f.group(2)) + int(f.group(3))
            continue
        if msg.startswith("At least one test failed"):
            continue  # Odoo's summary of the failures counted above
        if level in ("ERROR", "CRITICAL") and ".tests" not in logger:
            stray += 1
    return ran, failed, stray


def main(path):
    with open(path, encoding="utf-8", errors="replace") as fh:
        ran, failed, stray = count(fh)
    passed = max(ran - failed, 0)
    if stray:
        failed += 1
    if ran == 0:
        failed += 1  # an Odoo run that ran no test did not prove anything
    print(passed, failed, stray, ran)


if __name__ == "__main__":
    main(sys.argv[1])
