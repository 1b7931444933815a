from . import test_contract
from . import test_splits
from . import test_split_export
