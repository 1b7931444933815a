"""``attribution.phone.claim``: one row per phone number registered as a new customer,
so that two desks typing the same new number create one customer."""
from odoo import api, fields, models, tools


class AttributionPhoneClaim(models.Model):
    """The claim of a new phone number at the desk (``attribution.visit``).

    Two desks registering the same new number at the same moment would otherwise both
    find no customer and create two. :meth:`_claim` inserts the number with ``INSERT
    ... ON CONFLICT (phone) DO UPDATE``: the second desk waits for the first one's
    row lock until it commits; under READ COMMITTED (see
    ``attribution.visit._read_committed_if_first``) it then finds the first one's
    customer; under REPEATABLE READ the update of a row it cannot see raises a
    serialization failure and the RPC layer retries it. The rows are only locks:
    nobody reads them (no access row; the desk's code writes them as it runs).
    """

    _name = "attribution.phone.claim"
    _description = "New Customer Phone Claim"
    _log_access = False

    phone = fields.Char(required=True, readonly=True, help="Normalised phone number.")
    claim_date = fields.Datetime(readonly=True, help="Last claim (UTC).")

    _sql_constraints = [
        ("phone_uniq", "UNIQUE(phone)", "A phone number is claimed once."),
    ]

    @api.model_cr_context
    def _auto_init(self):
        cr = self.env.cr
        if tools.table_exists(cr, self._table) and \
                not tools.column_exists(cr, self._table, "id"):
            # the table made by hand in init() before this was a model (no id); its
            # rows are spent locks (see the class docstring): made again by the ORM
            cr.execute("DROP TABLE attribution_phone_claim")
        return super()._auto_init()

    @api.model
    def _claim(self, phone):
        """Claim ``phone`` (normalised) for this transaction: waits while another
        transaction holds it (see the class docstring)."""
        # the table is this model's own; ``phone`` a parameter
        self.env.cr.execute(
            "INSERT INTO attribution_phone_claim (phone, claim_date) "
            "VALUES (%s, (now() at time zone 'UTC')) "
            "ON CONFLICT (phone) DO UPDATE "
            "SET claim_date = (now() at time zone 'UTC')", (phone,),
            log_exceptions=False)
