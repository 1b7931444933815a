"""Run pylint-odoo once for bin/test's lint phase and sort its findings.

    python tools/pylint_run.py PATH...

One pylint run with .pylintrc (the mandatory and the advisory checks) and every check
of .pylintrc-mandatory enabled on top, so the two rc files cannot drift apart; the
same findings as pre-commit's two runs, in half the time. Prints the mandatory
findings, then the advisory ones, and as its last line "MANDATORY ADVISORY" (counts).
A finding is mandatory when .pylintrc-mandatory enables its check, or when it is a
fatal or syntax error (a file pylint could not read). Exits 2 when pylint itself
failed (bad option, crash).
"""
import configparser
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TEMPLATE = "{path}:{line}:{column}: {msg_id}({symbol}) {msg}"


def mandatory_checks():
    rc = configparser.ConfigParser(inline_comment_prefixes=("#",))
    rc.read(os.path.join(ROOT, ".pylintrc-mandatory"))
    enable = rc.get("MESSAGES CONTROL", "enable")
    return {name.strip() for name in enable.split(",") if name.strip()}


def main(paths):
    checks = mandatory_checks()
    proc = subprocess.run(
        [sys.executable, "-m", "pylint", "--rcfile=.pylintrc", "--exit-zero",
         "--enable=" + ",".join(sorted(checks)), "--msg-template=" + TEMPLATE,
         "--output-format=text"] + paths,
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        universal_newlines=True, check=False)
    mandatory, advisory, other = [], [], []
    for line in proc.stdout.splitlines():
        if line.startswith("*************") or not line.strip():
            continue
        parts = line.split(" ", 2)
        if len(parts) < 2 or "(" not in parts[1]:
            other.append(line)
            continue
        msg_id, symbol = parts[1].rstrip(")").split("(", 1)
        if symbol in checks or msg_id.startswith("F") or symbol == "syntax-error":
            mandatory.append(line)
        else:
            advisory.append(line)
    if proc.returncode != 0 or other:
        sys.stdout.write("\n".join(other + ["pylint exited %d" % proc.returncode])
                         + "\n")
        return 2
    if mandatory:
        sys.stdout.write("pylint-odoo, mandatory (.pylintrc-mandatory):\n")
        sys.stdout.write("".join(line + "\n" for line in mandatory))
    if advisory:
        sys.stdout.write("pylint-odoo, advisory (.pylintrc; not failing):\n")
        sys.stdout.write("".join(line + "\n" for line in advisory))
    sys.stdout.write("%d %d\n" % (len(mandatory), len(advisory)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
