"""The manager's dashboard: the reception queue (A3, B1) and its linked lists."""
from selenium.webdriver.common.by import By

from conftest import MANAGER


#: the demo's first project: the queue shows one column per project's rotation
PROJECT = "案场一组"


def _column(page):
    """The reception queue's column of the first demo project."""
    for column in page.all(".o_kanban_view .o_kanban_group"):
        titles = column.find_elements(By.CSS_SELECTOR, ".o_column_title")
        if titles and PROJECT in titles[0].text:
            return column
    raise AssertionError("no column of %s in the reception queue" % PROJECT)


def _next_card(page):
    labels = [e for e in _column(page).find_elements(
        By.CSS_SELECTOR, ".o_attribution_next") if e.is_displayed()]
    assert len(labels) == 1, "expected one member marked Next, got %d" % len(labels)
    card = labels[0].find_element(
        By.XPATH, "./ancestor::div[contains(@class, 'oe_kanban_card')]")
    title = card.find_element(By.CSS_SELECTOR, ".o_kanban_record_title")
    return card, title.text.strip()


def test_A03_reception_queue_follows_presence(page, users, admin):
    page.login(MANAGER)
    page.open_action("sales_attribution.attribution_rotation_member_action_dashboard")
    page.find(".o_kanban_view .o_kanban_group")
    page.shot("reception queue")
    card, first = _next_card(page)
    desk = admin("attribution.rotation.member", "search_read", [], fields=["present"])
    try:
        card.find_element(
            By.CSS_SELECTOR, "button[data-name=action_toggle_present]").click()
        page.idle()
        page.find(".o_kanban_view .o_attribution_next")
        page.wait(lambda d: _next_card(page)[1] != first,
                  message="the Next label stayed on %s" % first)
        page.shot("next member marked absent")
        absent = [
            e.find_element(
                By.XPATH, "./ancestor::div[contains(@class, 'oe_kanban_card')]")
            .find_element(By.CSS_SELECTOR, ".o_kanban_record_title").text.strip()
            for e in _column(page).find_elements(
                By.CSS_SELECTOR, ".o_attribution_absent")]
        assert first in absent, absent
    finally:
        # the demo office keeps its desk as it was for the other tests
        for present in (True, False):
            ids = [m["id"] for m in desk if m["present"] == present]
            if ids:
                admin("attribution.rotation.member", "write", ids, {"present": present})


def test_A03_dashboard_menus_open(page, users):
    page.login(MANAGER)
    for xmlid in ("attribution_visit_action_dashboard",
                  "attribution_conflict_action_dashboard",
                  "attribution_violation_action_dashboard",
                  "attribution_split_line_action_dashboard"):
        page.open_action("sales_attribution." + xmlid)
        page.shot(xmlid)
