from . import test_contract
from . import test_ownership
