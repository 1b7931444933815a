from datetime import timedelta

from odoo import fields
from odoo.tests.common import SavepointCase

from .common import make_user


class ConductCase(SavepointCase):
    """An office of its own: a manager leading a team of three consultants, a rotation
    with them all present, and a customer owned by the first consultant."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True,
                                       no_reset_password=True))
        group_consultant = cls.env.ref("sales_attribution.group_consultant")
        group_manager = cls.env.ref("sales_attribution.group_manager")
        employee = cls.env.ref("base.group_user")

        def user(login, name, group):
            return make_user(cls.env, login, name, employee | group, tz="Asia/Shanghai")

        cls.manager = user("conduct_manager", "Manager Wang", group_manager)
        cls.c1 = user("conduct_c1", "Consultant Zhang", group_consultant)
        cls.c2 = user("conduct_c2", "Consultant Li", group_consultant)
        cls.c3 = user("conduct_c3", "Consultant Zhao", group_consultant)
        cls.team = cls.env["crm.team"].create({
            "name": "Conduct Test Office", "user_id": cls.manager.id})
        (cls.c1 | cls.c2 | cls.c3).write({"sale_team_id": cls.team.id})
        cls.rotation = cls.env["attribution.rotation"].create({
            "team_id": cls.team.id,
            "member_ids": [(0, 0, {"user_id": u.id, "sequence": seq})
                           for seq, u in ((10, cls.c1), (20, cls.c2), (30, cls.c3))]})
        cls.company = cls.env.user.company_id
        cls.company.write({"attribution_strikes": 3,
                           "attribution_strike_period_days": 365,
                           "attribution_duty_early_minutes": 5,
                           "attribution_duty_grace_minutes": 30})
        cls.Violation = cls.env["attribution.violation"]

    @staticmethod
    def days_ago(days):
        return fields.Date.to_string(
            fields.Date.from_string(fields.Date.today()) - timedelta(days=days))

    def member(self, user):
        return self.rotation.member_ids.filtered(lambda m: m.user_id == user)

    def activities(self, violation):
        return self.env["mail.activity"].search([
            ("res_model", "=", "attribution.violation"),
            ("res_id", "in", violation.ids)])
