from . import attribution_dismissal_wizard
from . import attribution_complaint_wizard
from . import attribution_abandon_wizard
from . import attribution_split_export_wizard
from . import event_gift_wizard
from . import attribution_settings_wizard
from . import base_partner_merge
from . import attribution_handover_wizard
