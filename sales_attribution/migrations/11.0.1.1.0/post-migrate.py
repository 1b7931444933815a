"""11.0.1.1.0: ownership per project (issue 14). The owner, follow-up date and intent
class held on each customer move into ``attribution.ownership`` rows
(``attribution.ownership._migrate_from_partners``)."""
import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    made = env["attribution.ownership"]._migrate_from_partners()
    _logger.info("sales_attribution %s: %d ownership rows from the customers",
                 version, made)
