from . import test_contract
from . import test_conduct
from . import test_duty
from . import test_complaint_wizard
from . import test_splits
from . import test_split_export
from . import test_demo
from . import test_access
from . import test_i18n
from . import test_events
from . import test_event_cron_parallel
from . import test_owner_notice_parallel
from . import test_settings_wizard
from . import test_sms
from . import test_bad_input
from . import test_access_matrix
from . import test_bad_input_events
from . import test_ownership
from . import test_conflict
from . import test_seed_replay
from . import test_dashboard
from . import test_visit_desk
from . import test_splits_batch
from . import test_event_sends_bulk
from . import test_office_time
from . import test_user_language
from . import test_side_tables
from . import test_rotation_turn
from . import test_split_export_formulas
from . import test_salutation
from . import test_partner_phones
from . import test_partner_merge
from . import test_late_entry
from . import test_departed
from . import test_cover
from . import test_handover
from . import test_peer_suites
# Post-install tests run in Odoo 11 even without demo data, unlike at-install ones;
# keep the rule "Python tests only where demo data is loaded" for them as well.
from odoo.tools import config as _config  # noqa: E402
if not _config.get("without_demo"):
    from . import test_rotation_parallel
    from . import test_partner_phones_parallel
    from . import test_pdf_reports
from . import test_projects
