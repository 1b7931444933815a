"""Printable PDFs in Chinese: the gift receipt (签收回执) and the absentee letters
(E4, E5) rendered by Odoo through wkhtmltopdf (``render_qweb_pdf``), their text read
back with poppler's ``pdftotext``.

Chinese without CJK fonts prints as empty boxes, which carry no text: a phrase found
by ``pdftotext`` came out of real glyphs. :meth:`test_pdf_text_needs_cjk_fonts` renders
once with a font configuration that lacks the CJK fonts and sees the phrases vanish,
so the other tests fail on a machine without them.

Odoo 11 returns HTML instead of a PDF under ``--test-enable`` unless
``test_report_directory`` is set, and wkhtmltopdf loads the report's stylesheets from
``report.url`` (else ``web.base.url``): the tests set both, the URL to this process's
own HTTP server when one runs (``bin/test``) and to a closed port otherwise, never to
another checkout's server. Post-install: during the module's install the registry is
locked and a request of wkhtmltopdf to this server would wait for the install.
"""
import os
import shutil
import subprocess
import tempfile
import unicodedata
from unittest.mock import patch

from odoo.service import server as odoo_server
from odoo.tests.common import SavepointCase, at_install, post_install
from odoo.tools import config

from .event_common import build_office

RECEIPT = "sales_attribution.event_registration_gift_receipt_report"
LETTER_E4 = "sales_attribution.event_registration_letter_e4_report"
LETTER_E5 = "sales_attribution.event_registration_letter_e5_report"


def _squeeze(text):
    """``text`` without any white space (pdftotext breaks lines where the page does),
    NFKC-normalised: the CJK fonts share a glyph between an ideograph and its Kangxi
    radical (女 and ⼥), and pdftotext may give back either; full-width punctuation
    becomes ASCII on both sides of a comparison."""
    return unicodedata.normalize("NFKC", "".join(text.split()))


def _font_dirs(pattern=":"):
    """Folders of the fonts fontconfig finds for ``pattern`` (":" = every font)."""
    out = subprocess.run(["fc-list", pattern, "file"], stdout=subprocess.PIPE,
                         check=True).stdout.decode()
    return {os.path.dirname(line.split(":")[0]) for line in out.splitlines() if line}


@at_install(False)
@post_install(True)
class TestPdfReports(SavepointCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True,
                                       attribution_now="2036-05-12 02:00:00"))
        office = build_office(cls.env, prefix="pdf_")
        cls.consultant = office["consultant"]
        cls.reg = office["regs"]["service"]
        cls.reg.partner_id.write({
            "name": "欧阳娜娜", "title": cls.env.ref("base.res_partner_title_madam").id})
        # the registration's own name comes first (issue 15 point 3): hers
        cls.reg.name = "欧阳娜娜"
        cls.reg.write({"gift_description": "紫砂茶具",
                       "gift_courier_id": cls.consultant.id})
        url = ("http://127.0.0.1:%s" % config["http_port"] if odoo_server.server
               else "http://127.0.0.1:9")
        cls.env["ir.config_parameter"].sudo().set_param("report.url", url)
        cls.tmp = tempfile.mkdtemp(prefix="sa-pdf-")
        # compile the report's stylesheet bundles (lessc) once for the class, not
        # once per test: each test's savepoint would roll them back
        cls.env.ref(RECEIPT).render_qweb_html(cls.reg.ids)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)
        super().tearDownClass()

    def _pdf_text(self, report_xmlid, regs):
        """Render the report as PDF through Odoo and return (pdf bytes, its text)."""
        for tool, package in (("wkhtmltopdf", "wkhtmltopdf"),
                              ("pdftotext", "poppler-utils")):
            self.assertTrue(shutil.which(tool), "%s is missing: apt-get install %s "
                            "(tools/lib.sh ensure_pdf)" % (tool, package))
        report = self.env.ref(report_xmlid)
        with patch.dict(config.options, {"test_report_directory": self.tmp}):
            pdf, fmt = report.render_qweb_pdf(regs.ids)
        self.assertEqual(fmt, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"), pdf[:200])
        path = os.path.join(self.tmp, "report.pdf")
        with open(path, "wb") as handle:
            handle.write(pdf)
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"],
                              stdout=subprocess.PIPE, check=True).stdout.decode()
        return pdf, _squeeze(text)

    def assertPhrases(self, text, phrases):
        for phrase in phrases:
            self.assertIn(_squeeze(phrase), text)

    def test_E4_gift_receipt_pdf_reads_in_chinese(self):
        _pdf, text = self._pdf_text(RECEIPT, self.reg)
        self.assertPhrases(text, [
            "感谢函", "尊敬的欧阳女士:", "未能莅临现场指导", "精美礼品(紫砂茶具)",
            "签收回执", "客户:欧阳娜娜", "活动:薪酬绩效论坛", "礼物签收:",
            "客户经理签名:", "送达人:陈卫"])
        self.assertNotIn("欧阳娜娜总", text)

    def test_E4_letter_pdf_greets_with_the_salutation(self):
        self.reg.partner_id.attribution_salutation = "欧阳董"
        _pdf, text = self._pdf_text(LETTER_E4, self.reg)
        self.assertPhrases(text, ["感谢函", "尊敬的欧阳董:", "由我专程送到您的府上",
                                  "客户经理:陈卫"])
        self.assertNotIn("签收回执", text)

    def test_E5_letter_pdf_has_the_survey(self):
        _pdf, text = self._pdf_text(LETTER_E5, self.reg)
        self.assertPhrases(text, [
            "感谢函", "尊敬的欧阳女士:", "您是否对家庭投资理财有足够的了解?",
            "您的家庭成员目前谁拥有养老规划?", "您对我公司的服务是否有更好的建议?",
            "陈卫是我公司优秀的业务代表"])

    def test_one_page_per_registration(self):
        regs = self.reg | self.env["event.registration"].search(
            [("event_id", "=", self.reg.event_id.id), ("id", "!=", self.reg.id)],
            limit=1)
        pdf, text = self._pdf_text(LETTER_E5, regs)
        self.assertEqual(text.count(_squeeze("感谢函")), 2)
        info = subprocess.run(["pdfinfo", "-"], input=pdf, stdout=subprocess.PIPE,
                              check=True).stdout.decode()
        self.assertIn("Pages:           2", info)

    def test_pdf_text_needs_cjk_fonts(self):
        """Rendered with only the fonts that have no Chinese glyphs, the page shows
        boxes and the Chinese phrases are gone from its text: the checks above can
        fail. The digits of the event date still come out."""
        cjk = _font_dirs(":lang=zh")
        self.assertTrue(cjk, "no CJK font: apt-get install fonts-noto-cjk "
                        "(tools/lib.sh ensure_pdf)")
        latin = _font_dirs() - cjk
        self.assertTrue(latin, "no font without CJK glyphs to render with")
        conf = os.path.join(self.tmp, "fonts-without-cjk.conf")
        with open(conf, "w") as handle:
            handle.write('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM '
                         '"fonts.dtd">\n<fontconfig>%s<cachedir>%s</cachedir>'
                         '</fontconfig>\n' % (
                             "".join("<dir>%s</dir>" % d for d in sorted(latin)),
                             os.path.join(self.tmp, "fontconfig-cache")))
        with patch.dict(os.environ, {"FONTCONFIG_FILE": conf}):
            _pdf, text = self._pdf_text(LETTER_E4, self.reg)
        self.assertIn("2036", text)
        for phrase in ("感谢函", "尊敬的欧阳女士", "未能莅临现场指导"):
            self.assertNotIn(phrase, text)
