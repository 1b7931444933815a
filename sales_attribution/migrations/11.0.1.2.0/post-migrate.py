"""11.0.1.2.0: salutations (称呼) that follow the name are worked out again.

The default salutation learnt a list of common surnames: a transliterated name
written with a space (约翰 史密斯) is no longer greeted by its first character, and a
full name typed with its title (王德明先生) gives 王先生. The field is stored, and Odoo
recomputes a stored field on update only when its column is new: the customers'
defaults stay as the old rule made them until their name changes. This script
recomputes them (``res.partner._attribution_refresh_salutations``); a salutation
typed by the office is kept."""
import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    changed = env["res.partner"]._attribution_refresh_salutations()
    _logger.info("sales_attribution %s: %d default salutations worked out again",
                 version, changed)
