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


#: menus with a known defect, reported to the product: opening them fails for the
#: user although the menu is offered. Each has an xfail test above, so a fix shows.
KNOWN_BROKEN = {
    # res.config.settings reads base_setup's ir.rule switch (company_share_partner) in
    # default_get: only Odoo administrators may open it, the office manager may not
    MANAGER: ("sales_attribution.attribution_config_menu",),
}


def _walk(page, login):
    """Open every menu of the addon that ``login`` is offered, one page load each."""
    app, menus = _menus(login)
    user = Odoo(login, login)
    broken = {user.ref(x) for x in KNOWN_BROKEN.get(login, ())}
    menus = [m for m in menus if m["id"] not in broken]
    assert len(menus) >= 5, "expected the addon's menus, got %s" % menus
    page.login(login)
    for menu in menus:
        action_id = int(menu["action"].split(",")[1])
        page.open_action(action_id, menu_id=app)
        page.find("#oe_main_menu_navbar")
        page.shot("menu-%d" % menu["id"])
        errors = page.severe()
        assert not errors, "menu %s logs console errors: %s" % (
            menu["complete_name"], errors)
        for close in page.all(".modal-dialog .modal-header .close"):
            close.click()
    return menus


def test_menus_open_for_consultant(page, users):
    menus = _walk(page, CONSULTANT)
    # the manager's screens are not offered to a consultant
    user = Odoo(CONSULTANT, CONSULTANT)
    offered = [m["id"] for m in menus]
    for xmlid in ("sales_attribution.attribution_config_menu",
                  "sales_attribution.attribution_rotation_member_menu_dashboard"):
        assert user.ref(xmlid) not in offered, xmlid


def test_menus_open_for_manager(page, users):
    menus = _walk(page, MANAGER)
    user = Odoo(MANAGER, MANAGER)
    assert user.ref("sales_attribution.attribution_rotation_member_menu_dashboard") in \
        [m["id"] for m in menus]
