from . import test_contract
from . import test_conduct
from . import test_duty
from . import test_complaint_wizard
from . import test_splits
from . import test_split_export
from . import test_dashboard
