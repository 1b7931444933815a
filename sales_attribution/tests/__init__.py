from . import test_contract
from . import test_demo
from . import test_access
from . import test_i18n
