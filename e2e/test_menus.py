"""Every menu of the addon opens for a consultant: no access error, no console error."""

from conftest import CONSULTANT, MANAGER, Odoo


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


def _walk(page, login):
    """Open every menu of the addon that ``login`` is offered, one page load each."""
    app, menus = _menus(login)
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
