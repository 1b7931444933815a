"""Shared helpers of the benchmark scripts: open an Odoo registry, time things.

Every script is started by ``bench/run`` with the venv's python and Odoo's database
options (``--addons-path ... --db_host ... -d DB``) followed by ``--`` and its own
arguments.
"""
import contextlib
import json
import logging
import os
import statistics
import sys
import time

_logger = logging.getLogger("sales_attribution.bench")


def split_argv(argv=None):
    """``[odoo options] -- [script options]`` -> (odoo options, script options)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--" in argv:
        i = argv.index("--")
        return argv[:i], argv[i + 1:]
    return argv, []


def open_registry(odoo_args):
    """Parse Odoo's options and return the registry of the database given by ``-d``."""
    import odoo
    odoo.tools.config.parse_config(list(odoo_args))
    db = odoo.tools.config["db_name"]
    if not db:
        raise SystemExit("bench: -d DATABASE is required")
    return odoo.registry(db)


@contextlib.contextmanager
def environment(registry, uid=None, context=None):
    """An ``api.Environment`` on a new cursor; the caller commits or rolls back."""
    from odoo import SUPERUSER_ID, api
    with api.Environment.manage():
        with registry.cursor() as cr:
            yield api.Environment(cr, uid or SUPERUSER_ID, dict(context or {}))


class Timer:
    def __init__(self):
        self.start = time.perf_counter()

    @property
    def seconds(self):
        return time.perf_counter() - self.start


def percentile(values, pct):
    """Nearest-rank percentile of ``values`` (pct in 0..100)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, int(round(pct / 100.0 * len(ordered) + 0.5)) - 1))
    return ordered[k]


def summary_ms(samples):
    """Median and p95 in milliseconds of durations in seconds."""
    return {"n": len(samples),
            "median_ms": statistics.median(samples) * 1000 if samples else None,
            "p95_ms": percentile(samples, 95) * 1000 if samples else None}


def write_result(path, key, value):
    """Merge ``{key: value}`` into the JSON file ``path`` (the run's results)."""
    data = {}
    if os.path.exists(path):
        with open(path) as fh:
            data = json.load(fh)
    data[key] = value
    with open(path, "w") as fh:
        json.dump(data, fh, indent=1, sort_keys=True)


def scale_count(scale):
    """'1k' -> 1000, '10k' -> 10000, '100k' -> 100000."""
    scale = scale.lower()
    if scale.endswith("k"):
        return int(scale[:-1]) * 1000
    return int(scale)
