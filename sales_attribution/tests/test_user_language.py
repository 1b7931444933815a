"""A rule's refusal (``terms.BilingualError``) reaches the user in their language:
the models show ``err.message(lang)``, not always the English text."""
from odoo.exceptions import ValidationError

from ..attribution.phone import InvalidPhone, normalize_phone
from .common import AttributionCase

UNREADABLE = "138-0013-800"  # ten digits: no Chinese numbering plan


class TestUserLanguage(AttributionCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"].load_lang("zh_CN")
        try:
            normalize_phone(UNREADABLE)
        except InvalidPhone as err:
            cls.reason = err  # the policy's own words, in both languages

    def refusal(self, lang):
        self.chen.lang = lang
        with self.assertRaises(ValidationError) as caught:
            self.env["attribution.visit"].sudo(self.chen).with_context(
                lang=lang).create({"team_id": self.team.id, "asked_prior_visit": True,
                                   "phone": UNREADABLE})
        return caught.exception.name

    def test_chinese_user_reads_the_chinese_reason(self):
        message = self.refusal("zh_CN")
        self.assertIn(self.reason.message_zh, message)
        self.assertNotIn(self.reason.message_en, message)

    def test_english_user_reads_the_english_reason(self):
        message = self.refusal("en_US")
        self.assertIn(self.reason.message_en, message)
        self.assertNotIn(self.reason.message_zh, message)
