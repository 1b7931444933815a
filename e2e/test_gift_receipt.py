"""E4: the consultant prints the gift receipt (签收回执) of a guest who did not come."""
import time

import pytest
from selenium.webdriver.common.by import By

from conftest import CONSULTANT, MANAGER

REPORT = "sales_attribution.event_registration_gift_receipt"


def _absent_guest(admin, users, lang):
    if not admin("ir.actions.report", "search_count", [("report_name", "=", REPORT)]):
        pytest.skip("the gift receipt report is not installed")
    tag = "%s %d" % (lang, time.time() * 1000 % 10 ** 7)
    past = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 3 * 86400))
    event = admin("event.event", "create", {
        "name": "E2E 业主答谢晚宴 %s" % tag, "date_tz": "Asia/Shanghai",
        "date_begin": past + " 10:00:00", "date_end": past + " 14:00:00",
        "seats_availability": "unlimited", "venue_directions": "售楼处二楼宴会厅"})
    partner = admin("res.partner", "create", {
        "name": "E2E 嘉宾 %s" % tag, "customer": True, "street": "深南大道 1 号",
        "city": "深圳", "phone": "1990000%04d" % (time.time() % 10000),
        "attribution_owner_id": users[CONSULTANT]})
    registration = admin("event.registration", "create", {
        "event_id": event, "partner_id": partner, "name": "E2E 嘉宾 %s" % tag,
        "attribution_user_id": users[CONSULTANT], "gift_description": "茶叶一盒"})
    # confirmed, and the event is over without them (no attendance recorded)
    admin("event.registration", "write", [registration], {"state": "open"})
    return registration, "E2E 嘉宾 %s" % tag


@pytest.mark.parametrize("login", [CONSULTANT, MANAGER])
def test_E4_gift_receipt_prints(page, users, admin, lang, login):
    registration, guest = _absent_guest(admin, users, lang)
    page.login(login)
    page.get("/report/html/%s/%d" % (REPORT, registration))
    page.shot("gift receipt")
    body = page.driver.find_element(By.TAG_NAME, "body").text
    assert guest in body, body[:2000]
    assert "茶叶一盒" in body, body[:2000]
    assert "签收" in body, body[:2000]
