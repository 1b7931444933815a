from . import test_contract
from . import test_ownership
from . import test_conflict
from . import test_rotation_parallel
from . import test_seed_replay
