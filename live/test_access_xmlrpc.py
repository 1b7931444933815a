"""The access essentials over XML-RPC, against the real multi-worker server.

The same people as tests/test_access_matrix.py (consultant of team A, consultant of
team B, manager, portal user), through the wire: what an external client can read,
write, create and delete. Fault code 4 is Odoo's AccessError, 2 a UserError.
"""
import xmlrpc.client

import pytest

from conftest import fault_text

ACCESS_ERROR = 4
MODELS = ["attribution.visit", "attribution.decision", "attribution.relation",
          "attribution.conflict", "attribution.conflict.share",
          "attribution.split.line", "attribution.rotation",
          "attribution.rotation.member", "attribution.violation", "attribution.duty"]


def refused(call, *args, **kw):
    with pytest.raises(xmlrpc.client.Fault) as caught:
        call(*args, **kw)
    return caught.value


def test_consultant_reads_own_customer_phone(office):
    a = office["clients"]["consultant_a"]
    row = a.call("res.partner", "read", [office["partner_a"]], ["mobile", "phone"])[0]
    assert row["mobile"].startswith("139")


def test_consultant_never_reads_other_customers_phone(office):
    a = office["clients"]["consultant_a"]
    fault = refused(a.call, "res.partner", "read", [office["partner_b"]],
                    ["phone", "mobile"])
    assert fault.faultCode == ACCESS_ERROR, fault_text(fault)
    found = a.call("res.partner", "search_read",
                   [("id", "in", [office["partner_a"], office["partner_b"]])],
                   ["mobile"])
    assert [r["id"] for r in found] == [office["partner_a"]]
    mobile_b = office["clients"]["consultant_b"].call(
        "res.partner", "read", [office["partner_b"]], ["mobile"])[0]["mobile"]
    assert a.call("res.partner", "search", [("mobile", "=", mobile_b)]) == []
    assert a.call("res.partner", "search", [("attribution_phone", "=", mobile_b)]) == []


def test_portal_user_reaches_nothing(office):
    portal = office["clients"]["portal"]
    fault = refused(portal.call, "res.partner", "read", [office["partner_a"]],
                    ["phone"])
    assert fault.faultCode == ACCESS_ERROR
    for model in MODELS:
        fault = refused(portal.call, model, "search", [])
        assert fault.faultCode == ACCESS_ERROR, model


def test_access_rights_per_role(office):
    want = {"consultant_a": {"attribution.visit": "rwc", "attribution.relation": "rwc",
                             "attribution.conflict": "rw"},
            "manager": {"attribution.visit": "rwcu", "attribution.decision": "r",
                        "attribution.relation": "rwcu", "attribution.conflict": "rwc"}}
    for role, special in want.items():
        client = office["clients"][role]
        for model in MODELS:
            default = "r" if role != "manager" else "rwcu"
            expected = special.get(model, default)
            ops = (("r", "read"), ("w", "write"), ("c", "create"), ("u", "unlink"))
            got = "".join(letter for letter, op in ops
                          if client.call(model, "check_access_rights", op,
                                         raise_exception=False))
            assert got == expected, (role, model)


def test_decisions_append_only_for_manager(office, admin):
    manager = office["clients"]["manager"]
    decisions = manager.call("attribution.decision", "search", [], limit=1)
    if not decisions:
        decisions = [admin.call("attribution.decision", "create", {
            "partner_id": office["partner_a"], "rule_code": "A1",
            "owner_id": office["uid"]["consultant_a"],
            "explanation": "A1 (live test)"})]
    for method, args in (("write", [decisions, {"explanation": "rewritten"}]),
                         ("unlink", [decisions])):
        fault = refused(manager.call, "attribution.decision", method, *args)
        assert fault.faultCode == ACCESS_ERROR, fault_text(fault)
    fault = refused(manager.call, "attribution.decision", "create", {
        "partner_id": office["partner_a"], "rule_code": "A1", "explanation": "forged"})
    assert fault.faultCode == ACCESS_ERROR


def test_consultant_never_reads_other_split_amounts(office, admin):
    lines = admin.call("attribution.split.line", "search_read",
                       [("user_id", "!=", False)], ["user_id"], limit=50)
    a = office["clients"]["consultant_a"]
    others = [line["id"] for line in lines
              if line["user_id"][0] != office["uid"]["consultant_a"]]
    assert others, "the demo office has won deals with split lines"
    fault = refused(a.call, "attribution.split.line", "read", others[:1],
                    ["performance_amount", "bonus_amount"])
    assert fault.faultCode == ACCESS_ERROR
    assert a.call("attribution.split.line", "search", [("id", "in", others)]) == []
    # whatever the query, only their own lines come back (read_group answers None
    # sums, which XML-RPC cannot marshal: search_read is what a client uses)
    rows = a.call("attribution.split.line", "search_read", [], ["user_id"])
    assert all(r["user_id"][0] == office["uid"]["consultant_a"] for r in rows)


def test_wrong_type_refused_in_words(office, admin):
    """A string for unit_count, the way a careless XML-RPC client sends it."""
    lead = admin.call("crm.lead", "create", {
        "name": "Live unit count", "type": "opportunity",
        "partner_id": office["partner_a"], "team_id": office["team_a"]})
    fault = refused(admin.call, "crm.lead", "write", [lead], {"unit_count": "three"})
    assert "not a valid value" in fault_text(fault)
    assert admin.call("crm.lead", "read", [lead], ["unit_count"])[0]["unit_count"] == 1


def test_state_button_in_wrong_state_is_a_warning(office, admin):
    conflict = admin.call("attribution.conflict", "create", {
        "partner_id": office["partner_a"], "team_id": office["team_a"],
        "claimant_ids": [(6, 0, [office["uid"]["consultant_a"]])]})
    manager = office["clients"]["manager"]
    fault = refused(manager.call, "attribution.conflict", "action_accept", [conflict])
    assert fault.faultCode == 2 and "only possible when" in fault.faultString
    state = admin.call("attribution.conflict", "read", [conflict],
                       ["state"])[0]["state"]
    assert state == "negotiation"


def test_consultant_cannot_write_the_owned_summary(admin, office):
    """``res.partner.write`` refuses the derived ``attribution_owned`` (and
    ``attribution_phone``) in words: a consultant marking a customer nobody owns as
    owned would hide it from colleagues, or show their own by unmarking it."""
    a = office["clients"]["consultant_a"]
    unowned = admin.call("res.partner", "create", {"name": "Live nobody's buyer %s"
                                                   % office["stamp"]})
    own = office["partner_a"]
    for partner, value in ((unowned, True), (own, False)):
        fault = refused(a.call, "res.partner", "write", [partner],
                        {"attribution_owned": value})
        assert fault.faultCode == 2 and "Traceback" not in fault.faultString, \
            fault_text(fault)
    fault = refused(a.call, "res.partner", "write", [own],
                    {"attribution_phone": "13900000000"})
    assert fault.faultCode == 2, fault_text(fault)
    flags = {r["id"]: r["attribution_owned"] for r in admin.call(
        "res.partner", "read", [unowned, own], ["attribution_owned"])}
    assert flags == {unowned: False, own: True}
    # the unowned customer stays visible to a colleague
    b = office["clients"]["consultant_b"]
    assert b.call("res.partner", "search", [("id", "=", unowned)]) == [unowned]
