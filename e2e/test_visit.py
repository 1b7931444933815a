"""A5, A3, B6 at the reception desk: a consultant registers a walk-in, then the same
customer's revisit, phone first, and reads the decision after saving."""
import random
import re

from conftest import CONSULTANT

RULE = re.compile(r"\b[AB]\d{1,2}[ab]?\b")


def _new_phone():
    # 199 is not handed out by the demo office: a number nobody has
    return "199%08d" % random.randrange(10 ** 8)


def _register(page, phone, name=None, recalls=False):
    page.open_action("sales_attribution.attribution_visit_action")
    page.click(".o_list_button_add")
    page.find(".o_form_view.o_form_editable")
    # phone first: the desk types the number before anything else
    first = page.find(".o_form_view .o_form_sheet input.o_field_widget")
    assert first.get_attribute("name") == "phone", "the phone is not the first field"
    page.fill("phone", phone)
    page.find(".o_form_view .o_attribution_prior_visits "
              ".o_field_widget[name=prior_visit_info]")
    page.shot("phone typed")
    info = page.text(".o_form_view .o_field_widget[name=prior_visit_info]")
    if name and page.all(".o_form_view .o_field_widget[name=partner_name]"):
        page.fill("partner_name", name)
    page.select("kind", "walk_in")
    page.check("asked_prior_visit")
    if recalls:
        page.check("customer_recalls_consultant")
    page.shot("filled")
    page.save()
    page.shot("saved")
    owner = page.text(".o_form_view .o_field_widget[name=owner_id]")
    rule = page.text(".o_form_view .o_field_widget[name=rule_code]")
    explanation = page.text(".o_form_view .o_field_widget[name=explanation]")
    return info, owner, rule, explanation


def test_A05_walk_in_then_revisit_phone_first(page, users, admin):
    phone = _new_phone()
    name = "E2E 访客 %s" % phone[-4:]
    page.login(CONSULTANT)

    info, owner, rule, explanation = _register(page, phone, name=name)
    # a number nobody has: the desk is told it is a new customer
    assert info and RULE.search(info), info
    assert owner, "no owner shown after saving the walk-in"
    assert RULE.search(rule), "no rule code shown: %r" % rule
    assert RULE.search(explanation), "the explanation cites no rule: %r" % explanation

    visits = admin("attribution.visit", "search_read", [("phone", "like", phone[-8:])],
                   fields=["partner_id", "owner_id", "rule_code"])
    assert len(visits) == 1 and visits[0]["owner_id"], visits
    first_owner = visits[0]["owner_id"]

    # the same customer comes back the same day: found by the phone, owner kept (B6)
    info, revisit_owner, rule, explanation = _register(page, phone, recalls=True)
    # A5 at the door: before saving, the desk sees the earlier visit and the owner,
    # and nothing of the customer's private data
    assert owner in info, "the owner is not shown at the door: %r" % info
    assert phone[-8:] not in info and name not in info, info
    assert revisit_owner == owner, "revisit changed the owner: %s -> %s (%s)" % (
        owner, revisit_owner, explanation)
    assert RULE.search(explanation), explanation
    visits = admin("attribution.visit", "search_read", [("phone", "like", phone[-8:])],
                   fields=["partner_id", "owner_id"])
    assert len(visits) == 2
    assert visits[0]["partner_id"] == visits[1]["partner_id"], \
        "a second customer was created"
    assert visits[0]["owner_id"] == first_owner
