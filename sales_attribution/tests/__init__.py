from . import test_contract
from . import test_ownership
from . import test_conflict
from . import test_seed_replay
# Post-install tests run in Odoo 11 even without demo data, unlike at-install ones;
# keep the rule "Python tests only where demo data is loaded" for them as well.
from odoo.tools import config as _config  # noqa: E402
if not _config.get("without_demo"):
    from . import test_rotation_parallel
