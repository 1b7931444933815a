from . import test_contract
from . import test_events
from . import test_event_cron_parallel
from . import test_sms
