"""Registers written in the test (openpyxl, xlwt, CSV) and the import wizard run as the
office's manager."""
import base64
import io
from datetime import datetime, timedelta

import openpyxl
import xlwt

from .common import AttributionCase

ZH = ("来访时间", "客户姓名", "电话", "接待顾问", "来访类型", "指定顾问", "介绍人电话",
      "是否亲自带来", "是否询问来访", "备注")
EN = ("Visit Time", "Customer", "Phone", "Receiver", "Kind", "Requested",
      "Referrer Phone", "Brought In Person", "Asked Prior Visit", "Note")


def xlsx(rows, header=ZH):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xls(rows, header=ZH):
    book = xlwt.Workbook()
    sheet = book.add_sheet("来访登记")
    style = xlwt.easyxf(num_format_str="yyyy-mm-dd hh:mm")
    for c, text in enumerate(header):
        sheet.write(0, c, text)
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row):
            if isinstance(value, datetime):
                sheet.write(r, c, value, style)
            elif value is not None:
                sheet.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows, header=ZH, encoding="utf-8"):
    def text(value):
        if isinstance(value, datetime):
            return value.strftime("%Y-%m-%d %H:%M")
        return "" if value is None else str(value)
    lines = [",".join(header)] + [",".join(text(v) for v in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


class VisitImportCase(AttributionCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"].load_lang("zh_CN")
        cls.manager.write({"lang": "zh_CN", "tz": "Asia/Shanghai"})
        # the office's own rule: the import's rows are late entries
        cls.env.user.company_id.attribution_late_entry_minutes = 30
        cls.today = datetime.utcnow().replace(second=0, microsecond=0) + timedelta(
            hours=8)  # Beijing time, as the sheet writes it

    def office(self, days, hour=10, minute=0):
        """An office-local visit time ``days`` days ago at ``hour``:``minute``."""
        return (self.today - timedelta(days=days)).replace(hour=hour, minute=minute)

    def wizard(self, data, filename="来访登记.xlsx", user=None, lang="zh_CN"):
        Wizard = self.env["attribution.visit.import"].sudo(user or self.manager)
        return Wizard.with_context(lang=lang).create({
            "file": base64.b64encode(data), "filename": filename,
            "team_id": self.team.id})

    def preview(self, data, **kw):
        wizard = self.wizard(data, **kw)
        wizard.action_preview()
        return wizard

    def run_import(self, data, **kw):
        wizard = self.wizard(data, **kw)
        wizard.action_import()
        return wizard

    def lines(self, wizard):
        return {line.row: line for line in wizard.line_ids}

    def visits(self, phone):
        return self.env["attribution.visit"].search(
            [("phone", "=", phone)], order="visit_datetime, id")
