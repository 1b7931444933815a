"""Rows that several workers race for (cron threads, the desk's background jobs):
``SELECT/DELETE ... FOR UPDATE SKIP LOCKED`` in Odoo's REPEATABLE READ transactions.

SKIP LOCKED passes over a row another transaction holds *now*. A row that another
transaction changed or deleted and committed after this transaction's snapshot is not
skipped: PostgreSQL refuses to lock it with a serialization failure (SQLSTATE 40001).
For a claim that only means "another worker took it", so :func:`claim` answers with
nothing instead of failing the whole run (and Odoo logging a "bad query").
"""
import psycopg2.extensions


def claim(cr, query, params=None, taken=()):
    """The rows (list of tuples) that the locking ``query`` returns, or ``taken``
    (default: no rows) when a concurrent transaction committed a change to one of
    them after this transaction's snapshot. The query runs in a savepoint, rolled
    back on that failure, so the transaction stays usable; the next run (a new
    snapshot) takes what is still there. Other errors propagate."""
    try:
        with cr.savepoint():
            cr.execute(query, params, log_exceptions=False)
            return cr.fetchall()
    except psycopg2.extensions.TransactionRollbackError:
        return list(taken) if taken is not None else None
