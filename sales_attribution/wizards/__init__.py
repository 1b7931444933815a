from . import attribution_split_export_wizard
