"""Salutations (称呼) on the customer and in every message the addon writes."""
from odoo.tests.common import SavepointCase

from .event_common import build_office


class TestSalutation(SavepointCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.office = build_office(cls.env, prefix="salutation_")
        cls.Partner = cls.env["res.partner"]
        cls.madam = cls.env.ref("base.res_partner_title_madam")
        cls.mister = cls.env.ref("base.res_partner_title_mister")

    # ------------------------------------------------------------------ the field

    def test_default_follows_name_title_and_company_flag(self):
        partner = self.Partner.create({"name": "张伟"})
        self.assertEqual(partner.attribution_salutation, "张总")
        partner.name = "欧阳娜娜"
        self.assertEqual(partner.attribution_salutation, "欧阳总")
        partner.title = self.madam
        self.assertEqual(partner.attribution_salutation, "欧阳女士")
        partner.write({"name": "John Lee", "title": self.mister.id})
        self.assertEqual(partner.attribution_salutation, "Mr Lee")
        company = self.Partner.create({"name": "阳光置业", "is_company": True})
        self.assertEqual(company.attribution_salutation, "阳光置业")
        self.assertEqual(self.Partner.create({"name": "华润置地有限公司"})
                         .attribution_salutation, "华润置地有限公司")

    def test_default_reads_the_title_in_any_language(self):
        partner = self.Partner.with_context(lang="zh_CN").create(
            {"name": "陈美玲", "title": self.madam.id})
        self.assertEqual(partner.attribution_salutation, "陈女士")

    def test_typed_salutation_sticks_and_empty_falls_back(self):
        partner = self.Partner.create({"name": "王德明"})
        partner.attribution_salutation = "王董"
        partner.name = "王德华"
        self.assertEqual(partner.attribution_salutation, "王董")
        partner.title = self.mister
        self.assertEqual(partner.attribution_salutation, "王董")
        # write(), as the form and XML-RPC do (an attribute assignment would keep the
        # assigned "" in the cache: Odoo's Field.__set__ caches what it was given)
        partner.write({"attribution_salutation": ""})
        self.assertEqual(partner.attribution_salutation, "王先生")
        partner.attribution_salutation = "王董"
        partner.write({"attribution_salutation": False})
        self.assertEqual(partner.attribution_salutation, "王先生")
        partner.invalidate_cache()
        self.assertEqual(partner.attribution_salutation, "王先生")
        self.assertFalse(partner.attribution_salutation_manual)

    def test_typing_the_default_keeps_following_the_name(self):
        """The form sends back the salutation it showed: that is no manual value."""
        partner = self.Partner.create({"name": "刘建国"})
        partner.write({"name": "刘建国", "attribution_salutation": "刘总"})
        self.assertFalse(partner.attribution_salutation_manual)
        partner.name = "赵建国"
        self.assertEqual(partner.attribution_salutation, "赵总")

    def test_given_on_create_and_import(self):
        partner = self.Partner.create({"name": "司马建华", "attribution_salutation": "司马董"})
        self.assertEqual(partner.attribution_salutation, "司马董")
        result = self.Partner.load(["name", "attribution_salutation"],
                                   [["李娜", "娜姐"], ["孙立", ""]])
        self.assertFalse(result["messages"])
        imported = self.Partner.browse(result["ids"])
        self.assertEqual(imported.mapped("attribution_salutation"), ["娜姐", "孙总"])

    def test_consultant_sets_the_salutation_of_a_customer(self):
        consultant = self.office["consultant"]
        partner = self.Partner.sudo(consultant).create(
            {"name": "周杰", "attribution_salutation": "周哥"})
        self.assertEqual(partner.attribution_salutation, "周哥")
        partner.write({"attribution_salutation": ""})
        self.assertEqual(partner.attribution_salutation, "周总")

    # ------------------------------------------------------------------ the messages

    def _texts(self, reg):
        reg = reg.with_context(attribution_now="2036-05-07 02:00:00")
        reg.gift_description = "茶具"
        return {code: reg.attribution_text(code)
                for code in ("E1", "E2", "E3", "E4", "E5")}

    def test_every_message_greets_with_the_salutation(self):
        reg = self.office["regs"]["service"]
        reg.partner_id.write({"name": "张伟", "title": self.madam.id})
        for code, text in self._texts(reg).items():
            self.assertIn("张女士", text, code)
            self.assertNotIn("张伟总", text, code)
        reg.partner_id.attribution_salutation = "张姐"
        for code, text in self._texts(reg).items():
            self.assertIn("张姐", text, code)
            self.assertNotIn("张女士", text, code)
        texts = self._texts(reg)
        self.assertTrue(texts["E1"].startswith("张姐晚上好!"))
        self.assertTrue(texts["E2"].startswith("张姐,我到网上查了一下"))
        self.assertTrue(texts["E3"].startswith("张姐,昨天我给您发的短信看到了吧"))
        self.assertTrue(texts["E4"].startswith("感谢函\n尊敬的张姐:"))
        self.assertTrue(texts["E5"].startswith("感谢函\n尊敬的张姐:"))

    def test_company_seat_is_greeted_by_the_company_name(self):
        reg = self.office["regs"]["agency"]
        reg.partner_id.write({"name": "深圳市阳光置业有限公司", "is_company": True})
        for code, text in self._texts(reg).items():
            self.assertIn("深圳市阳光置业有限公司", text, code)
            self.assertNotIn("公司总", text, code)

    def test_mail_template_body_greets_with_the_salutation(self):
        reg = self.office["regs"]["generic"]
        reg.partner_id.write({"name": "欧阳娜娜", "title": self.madam.id})
        # the registration's own name comes first (issue 15 point 3): hers
        reg.name = "欧阳娜娜"
        reg = reg.with_context(attribution_now="2036-05-07 02:00:00")
        for xmlid in ("event_mail_template_e1_generic", "event_mail_template_e2",
                      "event_mail_template_e4", "event_mail_template_e5"):
            template = self.env.ref("sales_attribution.%s" % xmlid).with_context(
                attribution_now="2036-05-07 02:00:00")
            body = template.generate_email(reg.id, fields=["body_html"])["body_html"]
            self.assertIn("欧阳女士", body, xmlid)
            self.assertNotIn("欧阳娜娜总", body, xmlid)

    def test_registration_without_partner_is_greeted_from_its_name(self):
        reg = self.office["regs"]["generic"].copy({"partner_id": False, "name": "诸葛明"})
        reg = reg.with_context(attribution_now="2036-05-07 02:00:00")
        text = reg.attribution_text("E1")
        self.assertTrue(text.startswith("诸葛总晚上好!"), text)

    # ------------------------------------------------------------------ the update

    def test_update_works_out_stale_defaults_again_keeps_typed_ones(self):
        """migrations/11.0.1.2.0: defaults stored by the earlier rule (约翰 史密斯
        greeted 约总, 王德明先生 greeted 王总) are worked out again; a salutation the
        office typed stays."""
        import importlib.util
        import os
        path = os.path.join(os.path.dirname(__file__), os.pardir, "migrations",
                            "11.0.1.2.0", "post-migrate.py")
        spec = importlib.util.spec_from_file_location("sa_11_0_1_2_0_post", path)
        script = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(script)
        john = self.Partner.create({"name": "约翰 史密斯"})
        wang = self.Partner.create({"name": "王德明先生", "active": False})
        typed = self.Partner.create({"name": "李娜", "attribution_salutation": "娜姐"})
        for partner, stale in ((john, "约总"), (wang, "王总"), (typed, "娜姐")):
            self.env.cr.execute("UPDATE res_partner SET attribution_salutation = %s "
                                "WHERE id = %s", (stale, partner.id))
        (john | wang | typed).invalidate_cache()
        script.migrate(self.env.cr, "11.0.1.1.0")
        self.assertEqual(john.attribution_salutation, "史密斯总")
        self.assertEqual(wang.attribution_salutation, "王先生")
        self.assertEqual(typed.attribution_salutation, "娜姐")
        self.assertEqual(typed.attribution_salutation_manual, "娜姐")
