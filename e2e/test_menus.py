"""Every menu of the addon opens for a consultant: no access error, no console error."""
import pytest

from conftest import CONSULTANT, MANAGER, URL, Odoo


def _menus(login):
    """The menus under "Sales Attribution / 案场判客" that ``login`` sees (groups and
    action rights filtered by the server, as the web client's menu does)."""
    user = Odoo(login, login)
    root = user.ref("sales_attribution.attribution_menu_root")
    assert root, "the addon's root menu is missing"
    app = user.ref("crm.crm_menu_root")
    menus = user("ir.ui.menu", "search_read", [("id", "child_of", root)],
                 fields=["id", "complete_name", "action"], order="parent_left")
    return app, [m for m in menus if m["action"]]


def test_menus_open_for_manager_settings(page, users):
    """Known defect: the addon's Settings menu is offered to the manager but needs an
    Odoo administrator (see KNOWN_BROKEN)."""
    user = Odoo(MANAGER, MANAGER)
    menu = user("ir.ui.menu", "read", [user.ref("sales_attribution.attribution_config_menu")],
                ["action"])[0]
    page.login(MANAGER)
    page.driver.get("%s/web#action=%s" % (URL, menu["action"].split(",")[1]))
    page.find(".o_control_panel, .modal .o_dialog_warning, .modal .o_dialog_error")
    page.idle()
    broken = page.all(".modal .o_dialog_warning, .modal .o_dialog_error")
    page.shot("settings")
    page.forget_console()  # the error is the point of this test
    if broken:
        pytest.xfail("the Settings menu needs an Odoo administrator (known defect): %s"
                     % broken[0].text[:200])
