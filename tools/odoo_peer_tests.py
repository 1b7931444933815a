"""Run Odoo's own test suites of some modules with the whole registry loaded.

Odoo 11 runs a module's ``at_install`` tests while it installs that module, with only
the module and what was loaded before it in the registry: ``base``'s suite never sees
``sales_attribution`` (which depends on it), and ``-u base`` reruns every module's data
and tests. This runs, on a database where the modules (and usually the addon) are
installed already, each named module's ``at_install`` tests and then each one's
``post_install`` tests, the way ``odoo.modules.module.run_unit_tests`` does (same
loader, same ``TestStream`` log lines, same ``Module X: F failures, E errors``
summary), but with every installed module loaded: what the addon's models change
(overrides, constraints, defaults, access rules) is in place for the peers' tests.
An HTTP server runs in the process on ``--http-port`` for ``HttpCase`` tests.

    python odoo_peer_tests.py base,mail,crm -- -d DB --addons-path=... [odoo options]

Exits 1 when a named module is not installed or a test failed. ``EXCLUDED`` names the
tests that fail the same way on a database WITHOUT the addon, each with the reason.
"""
# pylint: disable=print-used  # a command-line tool: what it prints is its output
import logging
import sys
import threading
import unittest

import odoo

# test id -> why it is left out (each one fails the same way without the addon)
EXCLUDED = {
    # an at_install test of base: it first asserts that no action is bound to
    # res.partner, which holds only while base is installed alone; mail binds its
    # "Partner Mass Mailing" wizard there (fails the same way without the addon)
    "odoo.addons.base.tests.test_ir_actions.TestActionBindings.test_bindings":
        "mail binds an action to res.partner; base expects none",
    # at_install tests of base that create a partner as a user of base's groups only;
    # with mail and crm installed, creating a partner recomputes stored fields whose
    # write such a user may not do: AccessError (the same without the addon)
    "odoo.addons.base.tests.test_orm.TestORM.test_unlink_with_property":
        "a base-only user cannot create a partner once mail/crm are installed",
    "odoo.addons.base.tests.test_search.test_search.test_13_m2o_order_loop_multi":
        "a base-only user cannot create a partner once mail/crm are installed",
    # needs a CSV field over Python's default csv.field_size_limit (128 KiB), which
    # Odoo 11's importer does not raise: _csv.Error (the same without the addon)
    "odoo.addons.base_import.tests.test_base_import.test_failures.test_big_attachments":
        "Python's csv field size limit (131072) in Odoo 11's importer",
}

_logger = logging.getLogger("odoo.modules.module")


def _test_id(test):
    """``module.Class.method`` of a test case; unwrap_suite also yields suites."""
    return test.id() if isinstance(test, unittest.TestCase) else repr(test)


def _run(module, position, label):
    """Run the tests of ``module`` that ``position`` selects; True when all pass."""
    from odoo.modules import module as odoo_module

    odoo_module.current_test = module
    threading.currentThread().testing = True
    ok = True
    for test_module in odoo_module.get_test_modules(module):
        loaded = unittest.TestLoader().loadTestsFromModule(test_module)
        tests = [t for t in odoo_module.unwrap_suite(loaded) if position(t)]
        kept = [t for t in tests if _test_id(t) not in EXCLUDED]
        for name in {_test_id(t) for t in tests} & set(EXCLUDED):
            _logger.info("excluded %s: %s", name, EXCLUDED[name])
        if not kept:
            continue
        _logger.info("%s running tests (%s).", test_module.__name__, label)
        stream = odoo_module.TestStream(test_module.__name__)
        result = unittest.TextTestRunner(verbosity=2, stream=stream).run(
            unittest.TestSuite(kept))
        if not result.wasSuccessful():
            ok = False
            _logger.error("Module %s: %d failures, %d errors", module,
                          len(result.failures), len(result.errors))
    odoo_module.current_test = None
    threading.currentThread().testing = False
    return ok


def main(argv):
    if "--" not in argv:
        print(__doc__)
        return 2
    modules = [m for m in argv[0].split(",") if m]
    odoo_args = argv[argv.index("--") + 1:]
    odoo.tools.config.parse_config(
        odoo_args + ["--test-enable", "--workers=0", "--max-cron-threads=0"])
    # odoo.tests.common reads the HTTP port when first imported: after parse_config
    from odoo.modules import module as odoo_module
    from odoo.service import server as odoo_server

    odoo_server.load_server_wide_modules()
    # what odoo.service.server.start does before serving: XML-RPC answers as Odoo's
    # pylint: disable-next=protected-access
    odoo.service.wsgi_server._patch_xmlrpc_marshaller()
    odoo_server.ThreadedServer(odoo.service.wsgi_server.application).http_spawn()
    db = odoo.tools.config["db_name"]
    ok = True
    with odoo.api.Environment.manage():
        registry = odoo.registry(db)
        with registry.cursor() as cr:
            cr.execute("SELECT name FROM ir_module_module WHERE state = 'installed'"
                       " AND name IN %s", (tuple(modules),))
            missing = set(modules) - {name for name, in cr.fetchall()}
        if missing:
            _logger.error("not installed on %s: %s", db, ", ".join(sorted(missing)))
            return 1
        for position, label in ((odoo_module.runs_at_install, "at_install"),
                                (odoo_module.runs_post_install, "post_install")):
            for module in modules:
                ok = _run(module, position, label) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
