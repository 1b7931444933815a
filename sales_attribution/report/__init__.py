from . import attribution_split_xlsx
from . import attribution_visit_register_xlsx
