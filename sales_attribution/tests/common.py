"""A small sales office for the engine tests: a manager, five consultants in a team and
its rotation (张伟 10, 李娜 20, 王芳 30, 刘洋 40, 陈静 50, all present), a won stage."""
from datetime import datetime, timedelta

from odoo import fields
from odoo.modules.module import get_module_resource
from odoo.tests.common import SavepointCase
from odoo.tools.translate import trans_load


def make_user(env, login, name, groups, email=None, **vals):
    """A user of the test office in ``groups`` (a recordset of res.groups), no password
    reset mail; ``vals`` adds fields (tz, lang, sale_team_id...)."""
    vals.update({
        "name": name, "login": login,
        "email": email or "%s@example.invalid" % login,
        "groups_id": [(6, 0, groups.ids)]})
    return env["res.users"].with_context(no_reset_password=True).create(vals)


def load_chinese(env):
    """Load zh_CN and the addon's translations into the test's database (the
    translation cache cleared), for tests of what a Chinese user reads."""
    env["res.lang"].load_lang("zh_CN")
    trans_load(env.cr, get_module_resource("sales_attribution", "i18n", "zh_CN.po"),
               "zh_CN", verbose=False, module_name="sales_attribution",
               context={"overwrite": True})
    env["ir.translation"].clear_caches()


#: late-entry window of the test offices: months of their sheet are written in a second,
#: each visit as if entered at the desk at its time (the late-entry tests set 30 back)
HISTORY_MINUTES = 10 ** 7


def keep_history(env):
    """Let the test office write its past visits as entered in time (see above)."""
    env.user.company_id.attribution_late_entry_minutes = HISTORY_MINUTES


class AttributionCase(SavepointCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True,
                                       no_reset_password=True))
        keep_history(cls.env)
        consultant = cls.env.ref("sales_attribution.group_consultant")
        manager = cls.env.ref("sales_attribution.group_manager")
        cls.team = cls.env["crm.team"].create({"name": "案场 Test Office"})

        def user(login, name, group):
            return make_user(cls.env, "sa_test_%s" % login, name, group,
                             email="%s@example.invalid" % login,
                             sale_team_id=cls.team.id)

        cls.manager = user("manager", "赵经理", manager)
        cls.zhang = user("zhang", "张伟", consultant)
        cls.li = user("li", "李娜", consultant)
        cls.wang = user("wang", "王芳", consultant)
        cls.liu = user("liu", "刘洋", consultant)
        cls.chen = user("chen", "陈静", consultant)
        cls.consultants = cls.zhang | cls.li | cls.wang | cls.liu | cls.chen
        cls.team.user_id = cls.manager
        cls.rotation = cls.env["attribution.rotation"].create({
            "team_id": cls.team.id,
            "member_ids": [(0, 0, {"user_id": u.id, "sequence": 10 * (i + 1)})
                           for i, u in enumerate(cls.consultants)],
        })
        cls.stage_won = cls.env["crm.stage"].create({
            "name": "Won (test)", "probability": 100, "on_change": True,
            "sequence": 99})
        cls.stage_new = cls.env["crm.stage"].create({
            "name": "New (test)", "probability": 10, "on_change": True, "sequence": 1})
        cls._phone_seq = 0

    # ------------------------------------------------------------------ helpers

    @classmethod
    def phone(cls):
        cls._phone_seq += 1
        return "1390013%04d" % cls._phone_seq

    @staticmethod
    def ago(days, hours=0):
        """A visit time ``days`` days ago (UTC, 02:00 = 10:00 at the office); today's
        is the present minute while it is not yet 02:00 UTC (a visit in the future
        is refused), the same office day in Beijing."""
        now = datetime.utcnow().replace(second=0, microsecond=0)
        moment = min(now.replace(hour=2, minute=0), now) \
            - timedelta(days=days, hours=hours)
        return fields.Datetime.to_string(moment)

    @staticmethod
    def date_ago(days):
        return fields.Date.to_string(datetime.utcnow().date() - timedelta(days=days))

    def customer(self, name, owner=None, **vals):
        """A customer owned by ``owner`` (with the other ownership ``vals``) in the
        owner's project: the row of the owner's team (issue 14)."""
        vals.update(name=name, mobile=vals.get("mobile") or self.phone(), customer=True)
        if owner:
            vals["attribution_owner_id"] = owner.id
        return self.env["res.partner"].create(vals)

    def register(self, desk=None, **vals):
        """Register a visit at the desk as ``desk`` (a consultant; default 陈静, who
        keeps the sheet) and return it (sudo, for the assertions)."""
        vals.setdefault("team_id", self.team.id)
        vals.setdefault("asked_prior_visit", True)
        desk = desk or self.chen
        visit = self.env["attribution.visit"].sudo(desk).create(vals)
        return visit.sudo()

    def absent(self, *users):
        self.rotation.member_ids.filtered(lambda m: m.user_id in users).write(
            {"present": False})

    def won_lead(self, partner, user, days_ago):
        lead = self.env["crm.lead"].create({
            "name": "Deal %s" % partner.name, "partner_id": partner.id, "type":
            "opportunity", "user_id": user.id, "stage_id": self.stage_won.id,
            "probability": 100})  # won as action_set_won writes it (terms)
        lead.date_closed = self.ago(days_ago)
        return lead

    def open_lead(self, partner, user=None):
        return self.env["crm.lead"].create({
            "name": "Lead %s" % partner.name, "partner_id": partner.id,
            "type": "opportunity", "user_id": (user or self.manager).id,
            "stage_id": self.stage_new.id})

    def activities(self, record, user):
        return self.env["mail.activity"].search([
            ("res_model", "=", record._name), ("res_id", "=", record.id),
            ("user_id", "=", user.id)])

    def conflicts(self, partner):
        return self.env["attribution.conflict"].search(
            [("partner_id", "=", partner.id)])
