"""What an XML-RPC client can call on the addon, and what changed in the database.

- :func:`registry_methods` lists every public method (no leading ``_``) that the
  addon's Python code gives a model, read from the loaded registry of the test
  database in a subprocess (the live tests import no Odoo): the classes of every
  model's MRO defined in ``odoo.addons.sales_attribution``, so core models the addon
  extends (``crm.lead``, ``res.users``, ...) and the mixins it inherits count too.
- :func:`source_methods` reads the same from the addon's source with ``ast``; the test
  checks the two agree, so the introspection cannot go blind.
- :class:`Snapshot` reads, straight from PostgreSQL, every row of the addon's stored
  models, the addon's columns of core tables, the ownership columns of ``crm_lead`` and
  the activities: comparing two snapshots names each table and row that changed.
"""
import ast
import json
import os
import subprocess
import sys
import textwrap
import time

import psycopg2

from conftest import DB, odoo_args

ROOT = os.environ.get("SA_ROOT", os.path.dirname(os.path.dirname(__file__)))
ADDON = os.path.join(ROOT, "sales_attribution")
CODE_DIRS = ("models", "wizards", "report")

INTROSPECT = textwrap.dedent("""
    import inspect, json, sys, odoo
    odoo.tools.config.parse_config(sys.argv[1:])
    registry = odoo.registry(odoo.tools.config["db_name"])
    prefix = "odoo.addons.sales_attribution."
    found = {}
    for name in sorted(registry):
        model = registry[name]
        for cls in model.__mro__:
            if not cls.__module__.startswith(prefix):
                continue
            for attr, value in vars(cls).items():
                if attr.startswith("_") or attr in found.get(name, {}):
                    continue
                func = value.__func__ if isinstance(value, (staticmethod,
                                                            classmethod)) else value
                if not inspect.isfunction(func):
                    continue
                found.setdefault(name, {})[attr] = {
                    "api": getattr(getattr(model, attr), "_api", None),
                    "module": cls.__module__[len(prefix):],
                    "transient": bool(model._transient),
                    "abstract": bool(model._abstract),
                }
    print("SURFACE" + json.dumps(found))
""")


def registry_methods():
    """``{model: {method: {"api", "module", "transient", "abstract"}}}`` from the
    registry of the test database."""
    env = dict(os.environ, ODOO_PRELOAD_ADDONS="no")
    out = subprocess.run([sys.executable, "-c", INTROSPECT] + odoo_args(),
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                         universal_newlines=True, timeout=300, check=False).stdout
    line = [ln for ln in out.splitlines() if ln.startswith("SURFACE")]
    assert line, "registry introspection failed:\n%s" % out[-3000:]
    return json.loads(line[-1][len("SURFACE"):])


def _literal(node):
    try:
        return ast.literal_eval(node)
    except ValueError:
        return None


def source_methods():
    """``{(model, method)}`` of every public function of every model class of the
    addon's source (``_name``, else the first ``_inherit``)."""
    found = set()
    for folder in CODE_DIRS:
        base = os.path.join(ADDON, folder)
        for filename in sorted(os.listdir(base)):
            if not filename.endswith(".py"):
                continue
            with open(os.path.join(base, filename), encoding="utf-8") as handle:
                tree = ast.parse(handle.read())
            for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
                attrs = {t.id: _literal(s.value) for s in cls.body
                         if isinstance(s, ast.Assign) for t in s.targets
                         if isinstance(t, ast.Name)}
                model = attrs.get("_name") or attrs.get("_inherit")
                if isinstance(model, list):
                    model = model[0]
                if not model:
                    continue
                found.update((model, f.name) for f in cls.body
                             if isinstance(f, ast.FunctionDef)
                             and not f.name.startswith("_"))
    return found


class Snapshot:
    """Rows of the tables the rule book keeps, read straight from PostgreSQL.

    ``take()`` returns ``{table: {id: row_text}}``; ``diff(before, after)`` the list
    of ``(table, id, "added"|"removed"|"changed")``.
    """

    #: ownership and rotation columns of core tables besides the addon's own columns
    CORE_COLUMNS = {"crm_lead": ["user_id", "team_id", "partner_id", "stage_id",
                                 "probability", "active", "type"],
                    "res_partner": ["active"],
                    "mail_activity": ["res_model", "res_id", "user_id", "summary"]}

    def __init__(self):
        self.cnx = psycopg2.connect(
            dbname=DB, host=os.environ.get("PGHOST") or None,
            port=os.environ.get("PGPORT") or None, user="odoo", password="odoo")
        self.cnx.autocommit = True
        self.queries = self._queries()

    def close(self):
        self.cnx.close()

    def _rows(self, sql, params=None):
        with self.cnx.cursor() as cr:
            cr.execute(sql, params)
            return cr.fetchall()

    def _queries(self):
        """One ``SELECT id, row`` per table (table name -> query)."""
        tables = [table for (table,) in self._rows("""
            SELECT replace(m.model, '.', '_') FROM ir_model m
              JOIN ir_model_data d ON d.model = 'ir.model' AND d.res_id = m.id
               AND d.module = 'sales_attribution'
             WHERE m.transient IS NOT TRUE ORDER BY 1""")
                  if self._exists(table)]
        queries = {t: 'SELECT id, t::text FROM "%s" t' % t for t in tables}
        columns = {}
        relations = set()
        for model, name, relation_table, ttype in self._rows("""
            SELECT f.model, f.name, f.relation_table, f.ttype FROM ir_model_fields f
              JOIN ir_model_data d ON d.model = 'ir.model.fields' AND d.res_id = f.id
               AND d.module = 'sales_attribution'
             WHERE f.store"""):
            table = model.replace(".", "_")
            if ttype == "many2many" and relation_table:
                relations.add(relation_table)
            elif table not in queries and ttype not in ("one2many", "many2many"):
                columns.setdefault(table, set()).add(name)
        for table, extra in self.CORE_COLUMNS.items():
            columns.setdefault(table, set()).update(extra)
        for table, names in columns.items():
            if not self._exists(table):
                continue
            present = {c for (c,) in self._rows(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = %s", (table,))}
            cols = sorted(names & present)
            if cols:
                queries[table] = 'SELECT id, ROW(%s)::text FROM "%s"' % (
                    ", ".join('"%s"' % c for c in cols), table)
        for table in sorted(relations):
            if self._exists(table):
                queries[table] = 'SELECT 0, t::text FROM "%s" t' % table
        return queries

    def wait_for_crons(self, timeout=180):
        """Wait until no scheduled action runs (a running job locks its ``ir_cron``
        row); the caller has made them inactive, so none starts after this."""
        deadline = time.time() + timeout
        while True:
            try:
                with self.cnx.cursor() as cr:
                    cr.execute("BEGIN")
                    cr.execute("SELECT id FROM ir_cron FOR UPDATE NOWAIT")
                    cr.execute("ROLLBACK")
                return
            except psycopg2.OperationalError:
                with self.cnx.cursor() as cr:
                    cr.execute("ROLLBACK")
                assert time.time() < deadline, "a scheduled action kept running"
                time.sleep(1)

    def _exists(self, table):
        found = self._rows("SELECT to_regclass(%s)", ('public."%s"' % table,))
        return bool(found[0][0])

    def take(self):
        state = {}
        for table, sql in self.queries.items():
            rows = self._rows(sql)
            if rows and rows[0][0] == 0:  # relation table: rows are their own key
                state[table] = {text: text for _id, text in rows}
            else:
                state[table] = dict(rows)
        return state

    @staticmethod
    def diff(before, after):
        changes = []
        for table in sorted(set(before) | set(after)):
            old, new = before.get(table, {}), after.get(table, {})
            changes += [(table, key, "added") for key in new.keys() - old.keys()]
            changes += [(table, key, "removed") for key in old.keys() - new.keys()]
            changes += [(table, key, "changed") for key in old.keys() & new.keys()
                        if old[key] != new[key]]
        return changes
