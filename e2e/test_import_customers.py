"""An office imports its customer list: Customers -> Import of an .xlsx file.

Odoo 11 reads Excel files with xlrd; xlrd 2.x no longer reads .xlsx (the Import screen
then answers "cannot load xlsx file"), so tools/requirements.txt pins xlrd 1.2.0. The
manager uploads a workbook written here with openpyxl, imports it, and the customers
are read back over XML-RPC with the phone numbers the addon normalises.
"""
import os
import random

import openpyxl

from conftest import MANAGER

HEADERS = ("name", "mobile", "email", "customer")


def _customers():
    """Three customers nobody has: a name and a 199 number (not handed out by the demo
    office) unique to this run."""
    tag = "%06d" % random.randrange(10 ** 6)
    return [("E2E 导入客户 %s-%d" % (tag, n), "199%s%02d" % (tag, n),
             "import-%s-%d@example.invalid" % (tag, n)) for n in range(1, 4)]


def _workbook(folder, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "客户"
    sheet.append(HEADERS)
    for name, mobile, email in rows:
        sheet.append((name, mobile, email, 1))
    path = os.path.join(folder, "customers.xlsx")
    book.save(path)
    return path


def test_import_customers_from_xlsx(page, users, admin):
    rows = _customers()
    path = _workbook(os.path.dirname(page.downloads), rows)
    page.login(MANAGER)
    page.open_action("base.action_partner_form", view_type="list",
                     menu_id=admin.ref("contacts.menu_contacts"))
    page.click(".o_control_panel .o_button_import")
    page.find(".oe_import")
    page.shot("import screen")
    # the file input is hidden behind its "Load File" label: show it to type the path
    upload = page.find("input.oe_import_file", visible=False)
    page.driver.execute_script("arguments[0].style.display = 'block';", upload)
    upload.send_keys(path)
    # the preview: one column per header, matched to the fields of the same name
    page.find(".oe_import_grid .oe_import_grid-header")
    page.idle()
    page.no_error_dialog()
    assert not page.all(".oe_import_error_report .oe_import_report_error"), \
        page.text(".oe_import_error_report")
    page.shot("preview")
    page.click(".o_import_import")
    # a successful import leaves the import screen for the list it came from; a failed
    # one stays and lists its errors
    page.wait(lambda d: not page.all(".oe_import") or page.all(".oe_import_report"),
              message="the import neither finished nor reported an error")
    assert not page.all(".oe_import_report"), page.text(".oe_import_error_report")
    page.no_error_dialog()
    page.shot("imported")

    for name, mobile, email in rows:
        found = admin("res.partner", "search_read", [("name", "=", name)],
                      fields=["mobile", "email", "customer"])
        assert len(found) == 1, "%s imported %d times" % (name, len(found))
        assert found[0]["email"] == email and found[0]["customer"], found[0]
        assert found[0]["mobile"] and found[0]["mobile"].replace(" ", "").endswith(
            mobile[-8:]), found[0]
