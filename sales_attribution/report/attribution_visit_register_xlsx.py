from odoo import _, fields, models
from odoo.exceptions import AccessError, UserError

from ..attribution import register_import as register
from ..attribution import terms

#: rows read per chunk (one prefetch each)
CHUNK = 1000


class AttributionVisitRegisterXlsx(models.AbstractModel):
    """The visit register (来访登记表) as an ``.xlsx`` in the import's column layout.

    One row per visit, oldest first, under the header of ``register_import.COLUMNS``
    then ``RESULT_COLUMNS`` in the user's language (Chinese for ``zh*``): visit time
    on the office's clock (a date-time cell), customer, phone (text: a landline keeps
    its 0), receiver, kind, requested consultant, the first referrer's phone, the
    three yes/no answers and the note, then the owner, rule code, explanation, time
    and previous owner of the visit's decision, and the project (案场) of the visit
    (else of the decision). The import reads such a file back as
    it is (the result columns are recognised and skipped; every row is then a
    duplicate of its visit). Texts are written as text cells (``write_string``: a
    customer called ``=1+1`` stays text). For sales managers only: the sheet shows
    every consultant's customers and phones, of the projects the manager manages
    (``AccessError`` for a record of another project).
    """

    _name = "report.sales_attribution.attribution_visit_register_xlsx"
    _description = "Visit Register XLSX Report"
    _inherit = "report.report_xlsx.abstract"

    def get_workbook_options(self):
        options = dict(super().get_workbook_options())
        options["constant_memory"] = True
        return options

    def generate_xlsx_report(self, workbook, data, records):
        """Fill ``workbook`` with the visits ``records`` (``attribution.visit``, or
        ``attribution.decision``: the visits of the decisions, see the decision log
        report)."""
        if not hasattr(workbook, "add_worksheet"):
            raise UserError(_("The visit register spreadsheet is made by its "
                              "download, not called directly."))
        if not self.env.user.has_group("sales_attribution.group_manager"):
            raise AccessError(_("Only a sales manager can export the visit "
                                "register."))
        # a manager of projects exports those projects' visits and decisions only
        # (the rows are read as superuser below)
        self.env.user._attribution_check_projects(
            records.sudo().mapped("team_id"), _("a row of the export"))
        lang = self.env.context.get("lang") or self.env.user.lang
        sheet = workbook.add_worksheet(self._sheet_name(lang))
        formats = {"bold": workbook.add_format({"bold": True}),
                   "time": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})}
        sheet.set_column(0, 0, 17)
        sheet.set_column(1, len(register.COLUMNS) + len(register.RESULT_COLUMNS), 14)
        for col, text in enumerate(register.header_row(lang)):
            sheet.write_string(0, col, text, formats["bold"])
        tz_name = self.env.user.company_id._attribution_tz()
        row = 1
        for pairs in self._chunks(records):
            for visit, decision in pairs:
                self._write_row(sheet, row, visit, decision, lang, tz_name, formats)
                row += 1

    def _sheet_name(self, lang):
        return "来访登记" if (lang or "").startswith("zh") else "Visits"

    def _chunks(self, visits):
        """``[(visit, decision), ...]`` chunks, oldest visit first (sudo: the manager
        reads every consultant's visit and customer)."""
        visits = visits.sudo().sorted(lambda v: (v.visit_datetime or "", v.id))
        for start in range(0, len(visits), CHUNK):
            chunk = visits[start:start + CHUNK]
            yield [(visit, visit.decision_id) for visit in chunk]

    @staticmethod
    def _office_time(value, tz_name):
        if not value:
            return None
        return terms.office_datetime(fields.Datetime.from_string(value),
                                     tz_name).replace(tzinfo=None)

    def _register_values(self, visit, lang, tz_name):
        """The register columns of ``visit`` (``COLUMN_KEYS`` order)."""
        if not visit:
            return [None] * len(register.COLUMNS)
        referrer = visit.referrer_partner_ids[:1]
        return [
            self._office_time(visit.visit_datetime, tz_name),
            visit.partner_id.name or "",
            visit.phone or visit.partner_id.attribution_phone or "",
            visit.receiver_id.name or "",
            register.kind_label(visit.kind, lang),
            visit.requested_user_id.name or "",
            referrer.attribution_phone or "",
            register.yes_no_label(visit.brought_in_person, lang),
            register.yes_no_label(visit.asked_prior_visit, lang),
            register.yes_no_label(visit.customer_recalls_consultant, lang),
            visit.note or "",
        ]

    def _result_values(self, decision, lang, tz_name):
        """The result columns of ``decision`` (``RESULT_COLUMNS`` order)."""
        if not decision:
            return ["", "", "", None, ""]
        zh = (lang or "").startswith("zh")
        return [
            decision.owner_id.name or (_("Company") if decision.rule_code == "A7"
                                       else ""),
            decision.rule_code or "",
            (decision.explanation_zh if zh else decision.explanation_en)
            or decision.explanation or "",
            self._office_time(decision.create_date, tz_name),
            decision.previous_owner_id.name or "",
        ]

    @staticmethod
    def _project_name(visit, decision):
        """Name of the project of ``visit``, else of ``decision`` ("" for none)."""
        return (visit.team_id or decision.team_id).name or ""

    @staticmethod
    def _project_tz(visit, decision, tz_name):
        """The office zone of the row: the zone of the company of the project of
        ``visit``, else of ``decision`` (the import reads the sheet's times in it),
        else ``tz_name`` (the user's company's)."""
        company = (visit.team_id or decision.team_id).company_id
        return company._attribution_tz() if company else tz_name

    def _write_row(self, sheet, row, visit, decision, lang, tz_name, formats):
        tz_name = self._project_tz(visit, decision, tz_name)
        values = self._register_values(visit, lang, tz_name) + \
            self._result_values(decision, lang, tz_name) + \
            [self._project_name(visit, decision)]
        for col, value in enumerate(values):
            if value is None or value == "":
                continue
            if hasattr(value, "strftime"):
                sheet.write_datetime(row, col, value, formats["time"])
            else:
                sheet.write_string(row, col, str(value))


class AttributionDecisionLogXlsx(models.AbstractModel):
    """The decision log (判客记录) in the visit register's column layout: one row per
    decision, oldest first; a decision of a visit repeats the visit's register
    columns, any other (a ruling, a handover, a deal) leaves them empty but the
    customer and phone. Managers only, as the register."""

    _name = "report.sales_attribution.attribution_decision_log_xlsx"
    _description = "Decision Log XLSX Report"
    _inherit = "report.sales_attribution.attribution_visit_register_xlsx"

    def _sheet_name(self, lang):
        return "判客记录" if (lang or "").startswith("zh") else "Decisions"

    def _chunks(self, decisions):
        decisions = decisions.sudo().sorted(lambda d: (d.create_date or "", d.id))
        for start in range(0, len(decisions), CHUNK):
            chunk = decisions[start:start + CHUNK]
            yield [(decision.visit_id, decision) for decision in chunk]

    def _write_row(self, sheet, row, visit, decision, lang, tz_name, formats):
        super()._write_row(sheet, row, visit, decision, lang, tz_name, formats)
        if not visit:
            partner = decision.partner_id
            sheet.write_string(row, 1, partner.name or "")
            if partner.attribution_phone:
                sheet.write_string(row, 2, partner.attribution_phone)
