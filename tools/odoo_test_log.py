"""Count what Odoo 11's test runner did, from its log.

Odoo 11 logs each test module's ``Ran N tests`` and ``Module X: F failures, E errors``
but exits 0 whatever happened. This reads the log of one ``--test-enable`` run and
prints ``passed failed`` for bin/test; any ERROR or CRITICAL line that is not part of a
reported test failure (an install that broke, a traceback outside a test) counts as one
more failure, so nothing goes unnoticed.

    python odoo_test_log.py LOGFILE
    python odoo_test_log.py --by-module LOGFILE

``--by-module`` prints one line per tested module instead (``module: N tests, F failed,
S skipped``, the module read from the test logger ``odoo.addons.<module>.tests...``),
for the peer phase, which runs the suites of several modules in one log.
"""
# pylint: disable=print-used  # a command-line tool: what it prints is its output
import re
import sys

LINE = re.compile(
    r"^\d{4}-\d\d-\d\d [\d:,]+ \d+ (?P<level>[A-Z]+) (?P<db>\S+) "
    r"(?P<logger>[\w.]+): (?P<msg>.*)$")
RAN = re.compile(r"^Ran (\d+) tests? in")
MODULE_FAIL = re.compile(r"^Module (\S+): (\d+) failures, (\d+) errors")
SKIPPED = re.compile(r"^(?:OK|FAILED) \(.*\bskipped=(\d+)")
TEST_LOGGER = re.compile(r"^odoo\.addons\.(\w+)\.tests\b")


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


def by_module(lines):
    """``{module: [ran, failed, skipped]}``, in the order the modules were tested."""
    modules = {}
    for raw in lines:
        m = LINE.match(raw)
        if not m:
            continue
        msg, logger = m.group("msg"), m.group("logger")
        f = MODULE_FAIL.match(msg)
        if f:
            row = modules.setdefault(f.group(1), [0, 0, 0])
            row[1] += int(f.group(2)) + int(f.group(3))
            continue
        t = TEST_LOGGER.match(logger)
        if not t:
            continue
        row = modules.setdefault(t.group(1), [0, 0, 0])
        r = RAN.match(msg)
        if r:
            row[0] += int(r.group(1))
        s = SKIPPED.match(msg)
        if s:
            row[2] += int(s.group(1))
    return modules


def main(path, per_module=False):
    with open(path, encoding="utf-8", errors="replace") as fh:
        if per_module:
            for module, (ran, failed, skipped) in by_module(fh).items():
                print("%-12s %4d tests, %d failed, %d skipped"
                      % (module, ran, failed, skipped))
            return
        ran, failed, stray = count(fh)
    passed = max(ran - failed, 0)
    if stray:
        failed += 1
    if ran == 0:
        failed += 1  # an Odoo run that ran no test did not prove anything
    print(passed, failed, stray, ran)


if __name__ == "__main__":
    if sys.argv[1] == "--by-module":
        main(sys.argv[2], per_module=True)
    else:
        main(sys.argv[1])
