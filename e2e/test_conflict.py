"""A6 seen by the manager: open a collision, rule it, and watch the lead's split lines
follow the ruling's shares."""
import time

from conftest import CONSULTANT, CONSULTANT_2, MANAGER


def _won_lead_with_conflict(admin, users, lang):
    """A won deal of the first consultant, then a collision with the second one whose
    negotiated shares are 40/60 (the manager still has to rule)."""
    zw, ln = users[CONSULTANT], users[CONSULTANT_2]
    tag = "%s %d" % (lang, time.time() * 1000 % 10 ** 7)
    team = admin("res.users", "read", [users[MANAGER]],
                 ["sale_team_id"])[0]["sale_team_id"]
    team_id = team[0] if team else False
    partner = admin("res.partner", "create", {
        "name": "E2E 撞单客户 %s" % tag, "customer": True, "attribution_owner_id": zw})
    lead = admin("crm.lead", "create", {
        "name": "E2E 成交 %s" % tag, "type": "opportunity", "partner_id": partner,
        "user_id": zw, "team_id": team_id, "planned_revenue": 1000000.0})
    admin("crm.lead", "action_set_won", [lead])
    admin("crm.lead", "action_compute_splits", [lead])
    conflict = admin("attribution.conflict", "create", {
        "partner_id": partner, "lead_id": lead, "team_id": team_id,
        "claimant_ids": [(6, 0, [zw, ln])], "proposed_owner_id": zw,
        "share_line_ids": [
            (0, 0, {"user_id": zw, "role": "co_owner", "performance_share": 40.0,
                    "bonus_share": 40.0}),
            (0, 0, {"user_id": ln, "role": "co_owner", "performance_share": 60.0,
                    "bonus_share": 60.0}),
        ]})
    return lead, conflict


def _split_rows(page):
    rows = page.all(".o_form_view .o_field_widget[name=split_line_ids] tr.o_data_row")
    return [r.text for r in rows]


def test_A06_manager_rules_conflict_and_splits_follow(page, users, admin, lang):
    lead, conflict = _won_lead_with_conflict(admin, users, lang)
    before = admin("attribution.split.line", "search_read", [("lead_id", "=", lead)],
                   fields=["user_id", "performance_share"])
    assert [(sl["user_id"][0], sl["performance_share"]) for sl in before] == \
        [(users[CONSULTANT], 100.0)], before
    liuna = admin("res.users", "read", [users[CONSULTANT_2]], ["name"])[0]["name"]

    page.login(MANAGER)
    page.open_action("sales_attribution.attribution_conflict_action", res_id=conflict)
    page.shot("conflict opened")
    page.click(".o_form_button_edit")
    page.many2one("winner_id", liuna)
    page.fill("ruling_note", "E2E: 双方协商 40/60")
    page.save()
    page.shot("winner named")
    page.button("attribution.conflict", "action_rule")
    page.no_error_dialog()
    page.shot("ruled")
    state = admin("attribution.conflict", "read", [conflict], ["state", "winner_id"])[0]
    assert state["state"] == "ruled", state
    assert state["winner_id"][0] == users[CONSULTANT_2], state
    # the status bar shows the new state
    assert page.all(".o_statusbar_status button.btn-primary[data-value=ruled]"), \
        "the status bar does not show the ruling"

    page.open_action("crm.crm_lead_opportunities", res_id=lead)
    tab = page.driver.execute_script(
        "var a = Array.from(document.querySelectorAll('.o_notebook .tab-pane'))"
        ".find(p => p.querySelector('.o_field_widget[name=split_line_ids]'));"
        "return a && a.id;")
    page.click(".o_form_view .o_notebook a[data-toggle=tab][href='#%s']" % tab)
    page.shot("lead after ruling")
    # the ruling re-splits the won deal (the manager may also recompute by hand: the
    # same lines come out, it is idempotent)
    page.button("crm.lead", "action_compute_splits", "crm.crm_case_form_view_oppor")
    page.no_error_dialog()
    page.wait(lambda d: len(_split_rows(page)) == 2,
              message="the split lines did not change")
    page.shot("splits after ruling")
    rows = _split_rows(page)
    assert any(liuna in r and "60" in r for r in rows), rows
    after = admin("attribution.split.line", "search_read", [("lead_id", "=", lead)],
                  fields=["user_id", "performance_share", "bonus_share", "rule_code"])
    assert sorted((sl["user_id"][0], sl["performance_share"], sl["bonus_share"],
                   sl["rule_code"])
                  for sl in after) == sorted([
                      (users[CONSULTANT], 40.0, 40.0, "A6"),
                      (users[CONSULTANT_2], 60.0, 60.0, "A6")]), after
