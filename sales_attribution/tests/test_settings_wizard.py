from odoo.exceptions import AccessError, ValidationError

from .common import AttributionCase


class TestSettingsWizard(AttributionCase):
    """The sales manager's rule book settings (SPEC 6: managers own the settings;
    Odoo's own settings screen saves for administrators only)."""

    def open_as(self, user):
        return self.env["attribution.settings.wizard"].sudo(user)

    def test_settings_manager_saves_the_rule_book_numbers(self):
        company = self.manager.company_id
        form = self.open_as(self.manager).create({
            "attribution_protection_days": 45, "attribution_complaint_split": 30})
        form.action_save()
        self.assertEqual(company.attribution_protection_days, 45)
        self.assertEqual(company.attribution_complaint_split, 30)
        # the engine reads them: B6's window is the new one
        visit = self.env["attribution.visit"].new({"team_id": self.team.id})
        self.assertEqual(visit._attribution_settings().protection_days, 45)

    def test_settings_shows_the_current_values(self):
        company = self.manager.company_id
        company.attribution_group_units = 7
        # what the web client asks when it opens the form
        Wizard = self.open_as(self.manager)
        shown = Wizard.default_get(list(Wizard._fields))
        self.assertEqual(shown["attribution_group_units"], 7)
        self.assertEqual(shown["company_id"], company.id)

    def test_settings_consultant_refused(self):
        company = self.zhang.company_id
        before = company.attribution_strikes
        with self.assertRaises(AccessError), self.cr.savepoint():
            self.open_as(self.zhang).create({"attribution_strikes": 9})
        self.assertEqual(company.attribution_strikes, before)

    def test_settings_bad_value_saves_nothing(self):
        company = self.manager.company_id
        before = (company.attribution_group_units, company.attribution_protection_days)
        # the savepoint stands for the request's transaction, which Odoo rolls back
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.open_as(self.manager).create({"attribution_group_units": 1,
                                               "attribution_protection_days": 60})
        company.invalidate_cache()
        self.assertEqual((company.attribution_group_units,
                          company.attribution_protection_days), before)

    def test_settings_other_company_ignored(self):
        other = self.env["res.company"].create({"name": "Other Office"})
        self.open_as(self.manager).create({"company_id": other.id,
                                           "attribution_strikes": 4})
        self.assertEqual(self.manager.company_id.attribution_strikes, 4)
        self.assertEqual(other.attribution_strikes, 3)
