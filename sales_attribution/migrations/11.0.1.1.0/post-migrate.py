"""11.0.1.1.0: ownership per project (issue 14). The owner, follow-up date and intent
class held on each customer, set aside by ``pre-migrate.py``, move into
``attribution.ownership`` rows (``attribution.ownership._migrate_from_partners``); the
consultants' record rules (``noupdate``, so not reloaded) read the rows instead of the
old customer column.

The values are read from the table set aside, not from ``res_partner``: the data
files of this version run between the two scripts and may write the customers' fields
(which then go to the rows). The old columns would still be there at this point in any
case: Odoo 11 keeps the column of a field that stays in the model without being stored
(nothing drops it), and drops the column of a field removed from the code only in
``ir.model.data._process_end``, after every module's post- and end-migrate scripts."""
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
