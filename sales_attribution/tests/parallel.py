"""Run the same work in several threads at once, each with its own cursor: what two
cron workers or two desks do to the database (used by the *_parallel tests)."""
import contextlib
import threading
import traceback

from odoo import SUPERUSER_ID, api


@contextlib.contextmanager
def worker_env(registry):
    """A superuser environment on a cursor of its own, committed on exit; a lock wait
    longer than 30 s becomes an error instead of a hung test."""
    with api.Environment.manage(), registry.cursor() as cr:
        cr.execute("SET LOCAL lock_timeout = '30s'")
        yield api.Environment(cr, SUPERUSER_ID, {})


def run_in_parallel(work, workers=2, timeout=120):
    """Start ``work(index)`` in ``workers`` threads released together; return their
    results in index order. Any exception of a thread fails the calling test with its
    traceback."""
    barrier = threading.Barrier(workers)
    results, errors = [None] * workers, []

    def run(index):
        try:
            barrier.wait(timeout=30)
            results[index] = work(index)
        except Exception:  # reported below, in the test's thread
            errors.append(traceback.format_exc())

    threads = [threading.Thread(target=run, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not errors, "\n".join(errors)
    assert not any(thread.is_alive() for thread in threads), "a worker hangs"
    return results
