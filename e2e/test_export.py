"""SPEC 3: the manager exports the month's split lines; the XLSX downloads and opens."""
import glob
import os
import time

import openpyxl

from conftest import MANAGER, Odoo


def _menu(page, xmlid):
    """Click the menu ``xmlid`` in the CRM app's side menu."""
    page.click(".oe_secondary_menu a[data-menu-xmlid='%s']" % xmlid)


def _downloaded(folder, timeout=30):
    end = time.time() + timeout
    while time.time() < end:
        done = [f for f in glob.glob(os.path.join(folder, "*.xlsx"))
                if not f.endswith(".crdownload")]
        if done and not glob.glob(os.path.join(folder, "*.crdownload")):
            return done[0]
        time.sleep(0.3)
    raise AssertionError("no XLSX downloaded into %s: %s"
                         % (folder, os.listdir(folder)))


def test_split_export_downloads_xlsx(page, users, admin):
    page.login(MANAGER)
    page.open_action("sales_attribution.attribution_split_line_action",
                     menu_id=admin.ref("crm.crm_menu_root"))
    _menu(page, "sales_attribution.attribution_split_export_wizard_menu")
    page.find(".modal .o_form_view .o_field_widget[name=date_from]")
    page.shot("export wizard")
    page.click(".modal footer button[name=action_export], "
               ".modal .modal-footer button[name=action_export]")
    path = _downloaded(page.downloads)
    page.shot("exported")
    book = openpyxl.load_workbook(path, read_only=True)
    sheet = book.worksheets[0]
    rows = [r for r in sheet.iter_rows(values_only=True)
            if any(c is not None for c in r)]
    assert len(rows) >= 2, "the export is empty: %r" % rows
    # the default period is this month up to today, in the manager's time zone (at
    # 01:00 in Beijing on the 1st it is already the new month): every line of the
    # period the wizard proposed to the manager is in the file
    period = Odoo(MANAGER, MANAGER)("attribution.split.export.wizard", "default_get",
                                    ["date_from", "date_to"])
    lines = admin("attribution.split.line", "search_read",
                  [("date", ">=", period["date_from"]),
                   ("date", "<=", period["date_to"])], fields=["lead_id"])
    text = " ".join(str(c) for r in rows for c in r if c is not None)
    for line in lines:
        assert line["lead_id"][1] in text, \
            "%s missing from the export" % line["lead_id"][1]
