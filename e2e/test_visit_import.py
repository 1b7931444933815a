"""Issue 16: the manager brings the office's visit register into the addon.

Sales Attribution -> Import Visit Register: upload a sheet written here (Chinese
headers), Preview (a dry run: nothing saved, every row's owner and rule, the bad row's
error in the user's language), then Import (the visits exist, judged by the rule book).
Phones are new to every run (199 numbers are not handed out by the demo office), so
the suite's second language run imports new customers too.
"""
import datetime
import os
import random

import openpyxl

from conftest import MANAGER

HEADER = ("来访时间", "客户姓名", "电话", "接待顾问", "来访类型", "指定顾问", "介绍人电话",
          "是否亲自带来", "是否询问来访", "备注")
#: what the preview shows, by the user's language
WORDS = {
    "zh_CN": {"ok": "正常", "error": "错误", "phone": "电话号码"},
    "en_US": {"ok": "OK", "error": "Error", "phone": "phone number"},
}


def _register(folder):
    tag = "%06d" % random.randrange(10 ** 6)
    phones = ["199%s%02d" % (tag, n) for n in (1, 2)]
    day = datetime.datetime.now().replace(hour=10, minute=0, second=0,
                                          microsecond=0) - datetime.timedelta(days=20)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "来访登记"
    sheet.append(HEADER)
    sheet.append([day, "E2E 登记 %s-1" % tag, phones[0], "张伟", "自然来访", None,
                  None, None, "是", "E2E"])
    sheet.append([day + datetime.timedelta(days=3), "E2E 登记 %s-2" % tag, phones[1],
                  "wangfang", "老带新", None, phones[0], "是", "是", None])
    sheet.append([day + datetime.timedelta(days=4), "E2E 错号", "12345", "张伟"])
    path = os.path.join(folder, "来访登记_%s.xlsx" % tag)
    book.save(path)
    return path, phones


def _rows(page):
    return page.all(".modal .o_field_one2many[name=line_ids] tr.o_data_row")


def test_import_visit_register_preview_then_import(page, users, admin, lang):
    path, phones = _register(os.path.dirname(page.downloads))
    words = WORDS[lang]
    page.login(MANAGER)
    page.open_action("sales_attribution.attribution_visit_import_action")
    page.shot("wizard")
    # the file input hides behind the "Upload your file" button: type the path in it
    upload = page.find(".modal .o_field_binary_file input.o_input_file",
                       visible=False)
    upload.send_keys(path)
    page.wait(lambda d: page.find(".modal .o_field_binary_file input.o_input")
              .get_attribute("value"), message="the file was not uploaded")
    page.idle()
    page.shot("file chosen")

    page.click(".modal-footer .o_visit_import_preview")
    page.wait(lambda d: len(_rows(page)) == 3, message="the preview shows no rows")
    page.no_error_dialog()
    page.shot("preview")
    texts = [row.text for row in _rows(page)]
    assert words["ok"] in texts[0] and "A5" in texts[0], texts[0]
    assert words["ok"] in texts[1] and "B4" in texts[1], texts[1]
    assert words["error"] in texts[2] and words["phone"] in texts[2], texts[2]
    assert not admin("attribution.visit", "search_count",
                     [("phone", "in", phones)]), "the preview saved visits"

    page.click(".modal-footer .o_visit_import_import")
    page.wait(lambda d: not page.all(".modal-footer .o_visit_import_import"),
              message="the import did not finish")
    page.no_error_dialog()
    page.shot("imported")
    visits = admin("attribution.visit", "search_read", [("phone", "in", phones)],
                   fields=["phone", "owner_id", "rule_code", "is_late_entry"],
                   order="visit_datetime")
    assert [v["rule_code"] for v in visits] == ["A5", "B4"], visits
    zhang = admin("res.users", "search", [("login", "=", "zhangwei")])[0]
    assert [v["owner_id"][0] for v in visits] == [zhang, zhang], visits
    assert all(v["is_late_entry"] for v in visits), visits
    assert len(_rows(page)) == 3
