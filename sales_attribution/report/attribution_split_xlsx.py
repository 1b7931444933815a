from collections import OrderedDict
from decimal import Decimal

from odoo import models

from ..attribution.splits import ROLE_NAMES

HEADERS = ("客户", "商机", "套数", "规则", "角色", "业绩比例", "奖金比例", "业绩金额",
           "奖金金额")
SUBTOTAL = "小计"
TOTAL = "合计"
COMPANY = "公司"
PERF_AMOUNT_COL = 7
BONUS_AMOUNT_COL = 8


def _money(value):
    return Decimal("%.2f" % (value or 0.0))


class AttributionSplitXlsx(models.AbstractModel):
    """Split lines per consultant for a period, with subtotals and a total.

    Rows are written strictly in order: the workbook runs in ``constant_memory`` mode,
    where xlsxwriter flushes each row once the next one starts, so a large export
    streams instead of holding every cell in memory.
    """

    _name = "report.sales_attribution.attribution_split_xlsx"
    _description = "Split Lines XLSX Report"
    _inherit = "report.report_xlsx.abstract"

    def get_workbook_options(self):
        # report_xlsx passes these to xlsxwriter.Workbook(...) in create_xlsx_report
        options = dict(super().get_workbook_options())
        options["constant_memory"] = True
        return options

    def generate_xlsx_report(self, workbook, data, wizards):
        bold = workbook.add_format({"bold": True})
        pct = workbook.add_format({"num_format": "0.00"})
        money = workbook.add_format({"num_format": "#,##0.00"})
        money_bold = workbook.add_format({"num_format": "#,##0.00", "bold": True})
        sheet = workbook.add_worksheet("业绩奖金")
        sheet.set_column(0, 1, 24)
        sheet.set_column(2, 8, 12)
        row = 0
        for wizard in wizards:
            sheet.write_row(row, 0, HEADERS, bold)
            row += 1
            groups = OrderedDict()
            for line in wizard._get_split_lines():
                groups.setdefault(line.user_id, []).append(line)
            total_perf = total_bonus = Decimal(0)
            for user, lines in groups.items():
                sheet.write(row, 0, user.name if user else COMPANY, bold)
                row += 1
                sub_perf = sub_bonus = Decimal(0)
                for line in lines:
                    # sudo(): a consultant's own line may be on a deal or customer now
                    # owned by another consultant (B5, B1, A15); the export shows only
                    # the names, which their line already cites.
                    lead = line.lead_id.sudo()
                    sheet.write(row, 0, lead.partner_id.display_name or "")
                    sheet.write(row, 1, lead.name or "")
                    sheet.write_number(row, 2, lead.unit_count)
                    sheet.write(row, 3, line.rule_code)
                    sheet.write(row, 4, ROLE_NAMES.get(line.role, (line.role,))[0])
                    sheet.write_number(row, 5, line.performance_share, pct)
                    sheet.write_number(row, 6, line.bonus_share, pct)
                    sheet.write_number(
                        row, PERF_AMOUNT_COL, line.performance_amount, money)
                    sheet.write_number(row, BONUS_AMOUNT_COL, line.bonus_amount, money)
                    sub_perf += _money(line.performance_amount)
                    sub_bonus += _money(line.bonus_amount)
                    row += 1
                sheet.write(row, 0, SUBTOTAL, bold)
                sheet.write(row, 1, user.name if user else COMPANY, bold)
                sheet.write_number(row, PERF_AMOUNT_COL, float(sub_perf), money_bold)
                sheet.write_number(row, BONUS_AMOUNT_COL, float(sub_bonus), money_bold)
                row += 1
                total_perf += sub_perf
                total_bonus += sub_bonus
            sheet.write(row, 0, TOTAL, bold)
            sheet.write_number(row, PERF_AMOUNT_COL, float(total_perf), money_bold)
            sheet.write_number(row, BONUS_AMOUNT_COL, float(total_bonus), money_bold)
            row += 2
