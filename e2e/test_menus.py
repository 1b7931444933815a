"""Every menu of the addon opens for a consultant: no access error, no console error."""
from conftest import CONSULTANT, MANAGER, Odoo


def _menus(login):
    """The menus under "Sales Attribution / 案场判客" that ``login`` sees (groups and
    action rights filtered by the server, as the web client's menu does)."""
    user = Odoo(login, login)
    root = user.ref("sales_attribution.attribution_menu_root")
    assert root, "the addon's root menu is missing"
    menus = user("ir.ui.menu", "search_read", [("id", "child_of", root)],
                 fields=["id", "complete_name", "action"], order="parent_left")
    return root, [m for m in menus if m["action"]]


def _walk(page, login):
    root, menus = _menus(login)
    assert len(menus) >= 5, "expected the addon's menus, got %s" % menus
    page.login(login)
    for menu in menus:
        action_id = int(menu["action"].split(",")[1])
        page.open_action(action_id, menu_id=root)
        # the menu's own entry is the active one in the top bar
        page.find(".o_main_navbar")
        page.shot("menu-%d" % menu["id"])
        errors = page.severe()
        assert not errors, "menu %s logs console errors: %s" % (menu["complete_name"], errors)
    return menus


def test_menus_open_for_consultant(page, users):
    menus = _walk(page, CONSULTANT)
    names = " ".join(m["complete_name"] for m in menus)
    # the manager's screens are not offered to a consultant
    user = Odoo(CONSULTANT, CONSULTANT)
    settings = user.ref("sales_attribution.attribution_config_menu")
    assert settings not in [m["id"] for m in menus], names


def test_menus_open_for_manager(page, users):
    _walk(page, MANAGER)
