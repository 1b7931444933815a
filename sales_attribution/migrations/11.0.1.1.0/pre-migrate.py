"""11.0.1.1.0, before this version's code runs: set aside, in the table
``attribution_ownership_premigrate``, the customers whose ownership moves into
``attribution.ownership`` rows and the values held on them (columns of ``res_partner``
in 11.0.1.0), so that ``post-migrate.py`` moves exactly what the database held before
the upgrade, whatever the data files of the new version write in between."""
import logging

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    cr.execute("DROP TABLE IF EXISTS attribution_ownership_premigrate")
    cr.execute("""SELECT 1 FROM information_schema.columns
                   WHERE table_name = 'res_partner'
                     AND column_name = 'attribution_owner_id'""")
    if not cr.fetchone():
        return  # nothing held on the customers: post-migrate has nothing to move
    cr.execute("""
        CREATE TABLE attribution_ownership_premigrate AS
        SELECT p.id AS partner_id, p.attribution_owner_id AS owner_id,
               p.last_followup_date, p.intent_class, p.intent_reported_date
          FROM res_partner p
         WHERE p.attribution_owner_id IS NOT NULL
            OR p.last_followup_date IS NOT NULL
            OR p.intent_class IS NOT NULL
            OR p.intent_reported_date IS NOT NULL
            OR EXISTS (SELECT 1 FROM attribution_visit v WHERE v.partner_id = p.id)""")
    cr.execute("SELECT to_regclass('attribution_ownership')")
    if cr.fetchone()[0]:
        # a database of a build between 11.0.1.0 and 11.0.1.1.0 with rows already:
        # their customers keep them
        cr.execute("""
            DELETE FROM attribution_ownership_premigrate h
             USING attribution_ownership o WHERE o.partner_id = h.partner_id""")
    cr.execute("SELECT count(*) FROM attribution_ownership_premigrate")
    _logger.info("sales_attribution %s: %d customers' ownership set aside",
                 version, cr.fetchone()[0])
