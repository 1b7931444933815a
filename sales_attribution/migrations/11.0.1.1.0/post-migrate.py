"""11.0.1.1.0: ownership per project (issue 14). The owner, follow-up date and intent
class held on each customer move into ``attribution.ownership`` rows
(``attribution.ownership._migrate_from_partners``); the consultants' record rules
(``noupdate``, so not reloaded) read the rows instead of the old customer column."""
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
    rules = {
        "res_partner_rule_consultant": "attribution_owner_ids",
        "attribution_relation_rule_consultant": "partner_id.attribution_owner_ids",
        "attribution_partner_phone_rule_consultant":
            "partner_id.attribution_owner_ids",
    }
    for xmlid, field in rules.items():
        rule = env.ref("sales_attribution.%s" % xmlid, raise_if_not_found=False)
        old = field[:-1]  # the field read before: attribution_owner_id
        if rule and old in (rule.domain_force or "") and field not in rule.domain_force:
            rule.domain_force = rule.domain_force.replace("'%s'" % old, "'%s'" % field)
