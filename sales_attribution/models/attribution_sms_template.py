"""``attribution.sms.template``: a provider's approved template of one message code
(E1-E5) on one gateway, and how its parameters are filled."""
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..attribution import events, sms
from ..attribution.terms import BilingualError


class AttributionSmsTemplate(models.Model):
    """Alibaba Cloud and Tencent Cloud send only templates approved beforehand: the
    gateway sends ``provider_template`` with the parameters of ``param_map`` (one
    ``param=fact`` a line; the facts are those of :data:`attribution.sms.FACTS`),
    never free text. ``content`` is the approved wording, for the outbox's preview
    and segment count."""

    _name = "attribution.sms.template"
    _description = "SMS Provider Template"
    _order = "gateway_id, code"
    _rec_name = "provider_template"

    gateway_id = fields.Many2one("attribution.sms.gateway", required=True,
                                 ondelete="cascade", index=True,
                                 help="Gateway this template is approved for.")
    code = fields.Selection(
        [(code, code) for code in events.MESSAGE_CODES], required=True,
        help="Rule code of the message (E1-E5) sent with this template.")
    provider_template = fields.Char(
        string="Provider Template Code", required=True,
        help="The template's code at the provider: Alibaba Cloud SMS_123456789, "
             "Tencent Cloud the numeric template ID.")
    param_map = fields.Text(
        string="Parameters",
        help="One parameter a line: provider parameter=fact, e.g. name=salutation. "
             "Facts: %s. Tencent Cloud's parameters {1}, {2}... follow the order of "
             "the lines." % ", ".join(sms.FACTS))
    content = fields.Text(
        help="The approved wording with its placeholders (${name} for Alibaba Cloud, "
             "{1} for Tencent Cloud): the outbox shows it filled in and counts its "
             "SMS parts.")

    _sql_constraints = [
        ("gateway_code_uniq", "UNIQUE(gateway_id, code)",
         "One template per gateway and message code."),
    ]

    @api.constrains("param_map")
    def _check_param_map(self):
        for template in self:
            try:
                sms.parse_param_map(template.param_map)
            except BilingualError as err:
                lang = self.env.context.get("lang") or self.env.user.lang
                raise ValidationError(_("Template parameters: %s") % err.message(lang))
