"""Every number of a customer over the wire (issue 17, points 4 and 5): a consultant
registers visits by a Hong Kong number and by a customer's second number; a number of
another consultant's customer is refused naming that customer and owner only, and in
scope project (issue 14) not even those when the customer is known only in another
project."""
import random
import xmlrpc.client

import phonenumbers
import pytest

from conftest import fault_text

WARNING = 2  # Odoo's fault code of a UserError / ValidationError


def _hong_kong_mobile():
    """Eight digits of a Hong Kong mobile number that phonenumbers deems valid (not
    every 9xxxxxxx block is allocated: +852 9901 xxxx is not)."""
    while True:
        number = "9%07d" % random.randrange(10 ** 7)
        if phonenumbers.is_valid_number(phonenumbers.parse("+852" + number)):
            return number


@pytest.fixture(scope="module")
def desk(office, admin):
    """Team A with a rotation of its consultant, so that consultant A can register."""
    team = office["team_a"]
    if not admin.call("attribution.rotation", "search", [("team_id", "=", team)]):
        admin.call("attribution.rotation", "create", {
            "team_id": team, "member_ids": [(0, 0, {
                "user_id": office["uid"]["consultant_a"], "present": True})]})
    digits = office["stamp"][-6:]
    return {"team": team, "digits": digits,
            "mobile_b": "139%s02" % digits, "landline_b": "0106%s2" % digits}


def register(client, uid, team, phone, **vals):
    vals.update({"phone": phone, "team_id": team, "receiver_id": uid,
                 "asked_prior_visit": True, "kind": "walk_in"})
    visit = client.call("attribution.visit", "create", vals)
    return client.call("attribution.visit", "read", [visit],
                       ["partner_id", "phone", "owner_id"])[0]


def test_consultant_registers_hong_kong_walk_in_and_revisit(office, desk):
    a = office["clients"]["consultant_a"]
    uid = office["uid"]["consultant_a"]
    number = _hong_kong_mobile()
    first = register(a, uid, desk["team"], "+852 %s %s" % (number[:4], number[4:]),
                     partner_name="Live HK %s" % office["stamp"])
    assert first["phone"] == "+852" + number
    assert first["owner_id"][0] == uid
    mobile = a.call("res.partner", "read", [first["partner_id"][0]],
                    ["mobile"])[0]["mobile"]
    assert mobile == "+852" + number
    again = register(a, uid, desk["team"], "00852-%s" % number,
                     customer_recalls_consultant=True)
    assert again["partner_id"][0] == first["partner_id"][0]


def test_consultant_registers_visit_by_customers_second_number(office, desk):
    a = office["clients"]["consultant_a"]
    uid = office["uid"]["consultant_a"]
    second = "021%08d" % random.randrange(2 * 10 ** 7, 6 * 10 ** 7)
    a.call("res.partner", "write", [office["partner_a"]], {
        "attribution_extra_phone_ids": [(0, 0, {"phone": second,
                                                "note": "office landline"})]})
    visit = register(a, uid, desk["team"], "+86 21 %s" % second[3:],
                     customer_recalls_consultant=True)
    assert visit["partner_id"][0] == office["partner_a"]


@pytest.fixture
def company_scope(admin):
    """Sets the ownership scope of the admin's company; put back afterwards."""
    company = admin.call("res.users", "read", [admin.uid],
                         ["company_id"])[0]["company_id"][0]
    before = admin.call("res.company", "read", [company],
                        ["attribution_scope"])[0]["attribution_scope"]

    def set_scope(scope):
        admin.call("res.company", "write", [company], {"attribution_scope": scope})

    yield set_scope
    set_scope(before)


@pytest.mark.parametrize("scope", ["project", "company"])
@pytest.mark.parametrize("how", ["new customer", "further number"])
def test_collision_error_names_customer_and_owner_only(office, desk, admin, how,
                                                       scope, company_scope):
    """Customer B is known in project B only. Consultant A (project A) typing B's
    number learns, in scope project, only that it belongs to another customer
    (issue 14, point 4); in scope company, the customer and the owner."""
    company_scope(scope)
    admin.call("res.partner", "write", [office["partner_b"]],
               {"email": "private-b-%s@example.invalid" % office["stamp"]})
    a = office["clients"]["consultant_a"]
    taken = "+86 %s" % desk["mobile_b"]
    with pytest.raises(xmlrpc.client.Fault) as caught:
        if how == "new customer":
            a.call("res.partner", "create", {"name": "Live dup %s" % office["stamp"],
                                             "mobile": taken})
        else:
            a.call("res.partner", "write", [office["partner_a"]], {
                "attribution_extra_phone_ids": [(0, 0, {"phone": taken})]})
    fault = caught.value
    text = fault_text(fault)
    assert fault.faultCode == WARNING, text
    assert "Traceback" not in fault.faultString
    assert desk["mobile_b"] in text
    named = ("Live Customer B %s" % office["stamp"] in text,
             "Live Consultant B" in text)
    assert named == ((True, True) if scope == "company" else (False, False)), text
    assert "private-b-" not in text
    assert desk["landline_b"] not in text
    names = a.call("res.partner", "search",
                   [("name", "=", "Live dup %s" % office["stamp"])])
    assert names == []
