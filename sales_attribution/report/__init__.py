from . import attribution_split_xlsx
