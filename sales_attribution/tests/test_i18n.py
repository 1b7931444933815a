"""The Chinese translation covers every string of the addon.

When this fails after new strings were added (fields, help texts, selection values,
views, menus, ``_()`` messages), refresh the files with one command and translate the
entries it lists::

    SA_STATE_DIR=... SA_VENV=... tools/i18n_export.sh

(see README.rst, "Translations").
"""
from odoo.exceptions import ValidationError
from odoo.modules.module import get_module_resource
from odoo.tests.common import SavepointCase
# odoo.tools.translate is shadowed by the function odoo.tools.translate: import names
from odoo.tools.translate import PoFile, trans_generate, trans_load

MODULE = "sales_attribution"


def read_po(path):
    """msgid -> msgstr of a PO file, read with Odoo's own parser."""
    terms = {}
    with open(path, "rb") as handle:
        for _type, _name, _res_id, source, trad, _comments in PoFile(handle):
            terms[source] = terms.get(source) or trad
    return terms


class TestI18n(SavepointCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.po_path = get_module_resource(MODULE, "i18n", "zh_CN.po")

    def tearDown(self):
        # translations loaded in a test are rolled back: drop what the caches kept
        self.env["ir.translation"].clear_caches()
        super().tearDown()

    def exported_terms(self):
        """Source strings of the addon, as ``odoo --i18n-export`` would write them.

        Demo records (xmlids ending in ``_demo``) are data, not interface: their names
        are Chinese already and are not exported by tools/i18n_export.sh (which installs
        without demo).
        """
        rows = trans_generate(None, [MODULE], self.env.cr)
        return {src for module, type_, _name, res_id, src, _trad, _comments in rows
                if module == MODULE
                and not (type_ == "model" and str(res_id).endswith("_demo"))}

    def test_i18n_every_term_translated_in_zh_CN(self):
        self.assertTrue(self.po_path, "i18n/zh_CN.po is missing")
        po = read_po(self.po_path)
        missing = sorted(src for src in self.exported_terms() if not po.get(src))
        self.assertFalse(
            missing,
            "%d strings have no Chinese translation in i18n/zh_CN.po; run "
            "tools/i18n_export.sh and translate them:\n%s" % (
                len(missing), "\n".join("  %r" % m for m in missing)))

    def test_i18n_python_format_placeholders_kept(self):
        po = read_po(self.po_path)
        for source, trad in po.items():
            if trad:
                self.assertEqual(source.count("%s"), trad.count("%s"), source)

    def test_i18n_key_labels_in_chinese_for_zh_CN_user(self):
        self.env["res.lang"].load_lang("zh_CN")
        trans_load(self.env.cr, self.po_path, "zh_CN", verbose=False,
                   module_name=MODULE, context={"overwrite": True})
        self.env["ir.translation"].clear_caches()
        manager_group = self.env.ref("sales_attribution.group_manager")
        user = self.env["res.users"].with_context(no_reset_password=True).create({
            "name": "Translation Manager", "login": "sa_i18n_manager", "lang": "zh_CN",
            "email": "sa_i18n_manager@example.com",
            "groups_id": [(6, 0, [manager_group.id])]})
        env = self.env(user=user.id, context=dict(
            self.env.context, lang=user.lang, tracking_disable=True))

        menu = env.ref("sales_attribution.attribution_menu_root")
        self.assertEqual(menu.name, "案场判客")
        fields = env["res.partner"].fields_get(["attribution_owner_id"])
        self.assertEqual(fields["attribution_owner_id"]["string"], "归属顾问")
        states = dict(
            env["attribution.conflict"].fields_get(["state"])["state"]["selection"])
        self.assertEqual(states["negotiation"], "协商中")
        kinds = dict(env["attribution.visit"].fields_get(["kind"])["kind"]["selection"])
        self.assertEqual(kinds["walk_in"], "自然来访")

        partner = env["res.partner"].create({"name": "译文客户"})
        with self.assertRaises(ValidationError) as caught, env.cr.savepoint():
            env["attribution.relation"].create({
                "partner_id": partner.id, "related_partner_id": partner.id})
        self.assertEqual(caught.exception.name, "客户不能与自己建立关系。")
