"""11.0.1.1.0: ownership per project (issue 14). The owner, follow-up date and intent
class held on each customer, set aside by ``pre-migrate.py``, move into
``attribution.ownership`` rows (``attribution.ownership._migrate_from_partners``); the
record rules (``noupdate``, so not reloaded by the update) are reloaded: the
consultants' read the rows instead of the old customer column, the managers' their
projects (conduct records included). An open dismissal proposal, held on the
consultant, stays open on the violation that made it (proposals are per project).

The values are read from the table set aside, not from ``res_partner``: the data
files of this version run between the two scripts and may write the customers' fields
(which then go to the rows). The old columns would still be there at this point in any
case: Odoo 11 keeps the column of a field that stays in the model without being stored
(nothing drops it), and drops the column of a field removed from the code only in
``ir.model.data._process_end``, after every module's post- and end-migrate scripts."""
import logging

from odoo import SUPERUSER_ID, api
from odoo.tools import convert_file

_logger = logging.getLogger(__name__)

#: the data files of the addon's record rules (every ir.rule record is in one)
RULE_FILES = (
    "security/sales_attribution_security.xml",
    "security/attribution_partner_phone_security.xml",
    "security/attribution_ownership_security.xml",
    "security/attribution_conduct_security.xml",
    "security/event_message_security.xml",
)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    made = env["attribution.ownership"]._migrate_from_partners()
    _logger.info("sales_attribution %s: %d ownership rows from the customers",
                 version, made)
    # the record rules are noupdate (an office may tighten them): Odoo's update
    # leaves them as they were, but this version's rules read the ownership rows
    # and the managers' projects; reload the files that hold them as an install
    # would (mode init writes the existing records)
    for path in RULE_FILES:
        convert_file(cr, "sales_attribution", path, {}, mode="init", noupdate=True)
    # dismissal proposals are per project now (the violation's dismissal_open): the
    # proposal still open on a consultant stays open on the violation that made it
    cr.execute("""
        UPDATE attribution_violation v SET dismissal_open = TRUE
          FROM res_users u
         WHERE u.attribution_dismissal_violation_id = v.id
           AND u.attribution_dismissal_proposed""")
    _logger.info("sales_attribution %s: %d open dismissal proposals kept", version,
                 cr.rowcount)
    _logger.info("sales_attribution %s: record rules reloaded from %s", version,
                 ", ".join(RULE_FILES))
