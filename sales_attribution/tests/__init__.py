from . import test_contract
from . import test_conduct
from . import test_duty
from . import test_complaint_wizard
