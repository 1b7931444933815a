from lxml import etree

from odoo.tests.common import SavepointCase
from odoo.tools.safe_eval import safe_eval

from ..attribution import terms
from ..models.attribution_conflict import STATE_ORDER

#: SPEC section 1: model -> fields that other code relies on.
CONTRACT = {
    "res.partner": ["attribution_owner_id", "first_visit_date", "last_visit_date",
                    "last_followup_date", "intent_class", "intent_reported_date",
                    "is_developer_related", "developer_notice_date",
                    "attribution_relation_ids", "industry_id"],
    "attribution.visit": ["partner_id", "phone", "visit_datetime", "team_id", "kind",
                          "receiver_id", "requested_user_id", "appointment_user_id",
                          "referrer_partner_ids", "brought_in_person",
                          "customer_recalls_consultant", "asked_prior_visit",
                          "companion_partner_ids", "owner_id", "decision_id",
                          "rule_code"],
    "attribution.decision": ["partner_id", "lead_id", "visit_id", "owner_id",
                             "previous_owner_id", "receiver_id", "rule_code",
                             "explanation"],
    "attribution.relation": ["partner_id", "related_partner_id", "relation_type",
                             "is_direct_kin", "evidence"],
    "attribution.conflict": ["partner_id", "lead_id", "claimant_ids",
                             "proposed_owner_id", "state", "winner_id", "ruling_note",
                             "ruled_by_id", "ruling_date", "share_line_ids"],
    "attribution.split.line": ["lead_id", "user_id", "role", "performance_share",
                               "bonus_share", "performance_amount", "bonus_amount",
                               "rule_code"],
    "crm.lead": ["user_id", "buyer_partner_id", "unit_count", "split_line_ids",
                 "attribution_decision_ids", "attribution_conflict_ids"],
    "attribution.rotation": ["team_id", "member_ids"],
    "attribution.rotation.member": ["user_id", "sequence", "present", "makeup_credits",
                                    "last_assigned"],
    "attribution.violation": ["user_id", "date", "category", "fault_class",
                              "strike_count"],
    "event.event": ["confirm_days_before", "venue_directions", "greeter_note",
                    "signin_location", "parking_note", "call_hour"],
    "event.registration": ["seats_reserved", "confirm_sent_date", "logistics_sent_date",
                           "call_activity_id", "thanks_sent_date", "gift_description",
                           "gift_courier_id", "gift_signed_date",
                           "survey_knows_planning", "survey_pension_holder",
                           "survey_suggestion"],
    "res.company": ["attribution_protection_days", "attribution_group_units",
                    "attribution_followup_days", "attribution_complaint_split",
                    "attribution_relative_split", "attribution_strikes"],
    "res.config.settings": ["attribution_protection_days", "attribution_group_units",
                            "attribution_followup_days", "attribution_complaint_split",
                            "attribution_relative_split", "attribution_strikes"],
    # issue 16: the visit register import
    "attribution.visit.import": ["file", "filename", "team_id", "line_ids"],
    "attribution.visit.import.line": ["row", "state", "message", "partner_name",
                                      "phone", "visit_datetime", "receiver_id",
                                      "owner_id", "rule_code"],
}

SELECTIONS = {
    ("attribution.visit", "kind"): {"walk_in", "appointment", "referral",
                                    "staff_referral"},
    ("attribution.relation", "relation_type"): {"spouse", "parent", "child", "sibling",
                                                "relative", "friend", "referral"},
    ("attribution.conflict", "state"): {"negotiation", "agreed", "ruled", "accepted",
                                        "escalated", "forfeited"},
    ("attribution.split.line", "role"): {"owner", "co_owner", "original", "closer",
                                         "company"},
    ("attribution.violation", "category"): {"late", "absence", "impolite", "complaint",
                                            "abandon_customer", "poaching", "other"},
    ("attribution.violation", "fault_class"): {"a", "b", "c"},
    ("res.partner", "intent_class"): {"a", "b", "c"},
    ("event.registration", "survey_knows_planning"): {"yes", "no"},
    ("event.registration", "survey_pension_holder"): {"husband", "wife", "other"},
    ("attribution.visit.import.line", "state"): {"ok", "error", "duplicate"},
}


class TestContract(SavepointCase):
    """The public data contract of SPEC section 1 exists as named."""

    def test_contract_fields_exist(self):
        missing = [(model, name) for model, names in CONTRACT.items()
                   for name in names if name not in self.env[model]._fields]
        self.assertEqual(missing, [])

    def test_contract_selection_values(self):
        for (model, name), values in SELECTIONS.items():
            field = self.env[model]._fields[name]
            got = {v for v, _label in field._description_selection(self.env)}
            self.assertEqual(got, values, "%s.%s" % (model, name))

    def test_contract_methods_exist(self):
        self.assertTrue(
            callable(getattr(self.env["crm.lead"], "action_compute_splits")))
        self.assertTrue(
            callable(getattr(self.env["attribution.rotation"], "next_receiver")))
        for action in ("action_agree", "action_rule", "action_accept",
                       "action_escalate", "action_forfeit"):
            self.assertTrue(callable(getattr(self.env["attribution.conflict"], action)))

    def test_contract_models_described(self):
        for model in CONTRACT:
            if model.startswith("attribution."):
                self.assertTrue(self.env[model]._description)
                self.assertNotEqual(self.env[model]._description, model)

    def test_contract_relation_types(self):
        field = self.env["attribution.visit"]._fields["owner_id"]
        self.assertEqual(field.comodel_name, "res.users")
        self.assertTrue(field.readonly)
        self.assertEqual(self.env["res.partner"]._fields["industry_id"].comodel_name,
                         "res.partner.industry")
        self.assertEqual(
            self.env["attribution.split.line"]._fields["user_id"].comodel_name,
            "res.users")


#: field -> the tuple of ``terms`` its selection is built from (values and order)
TERM_SELECTIONS = {
    ("attribution.visit", "kind"): terms.KINDS,
    ("attribution.conflict", "state"): terms.CONFLICT_STATES,
    ("attribution.relation", "relation_type"): terms.RELATION_TYPES,
    ("attribution.split.line", "role"): terms.ROLES,
    ("attribution.conflict.share", "role"): terms.ROLES,
}


class TestTermsInViews(SavepointCase):
    """The conflict views restate no state list of their own: the "Open" and "To Rule"
    filters, the muted rows and each button's ``states`` are the groups and steps of
    ``attribution/terms.py``."""

    def arch(self, xmlid):
        return etree.fromstring(self.env.ref(xmlid).arch.encode("utf-8"))

    def filter_states(self, name):
        search = self.arch("sales_attribution.attribution_conflict_view_search")
        node = search.find(".//filter[@name='%s']" % name)
        self.assertIsNotNone(node, name)
        domain = safe_eval(node.get("domain"))
        self.assertEqual(len(domain), 1, domain)
        field, operator, states = domain[0]
        self.assertEqual((field, operator), ("state", "in"))
        return sorted(states)

    def test_selections_are_the_terms(self):
        for (model, name), values in TERM_SELECTIONS.items():
            field = self.env[model]._fields[name]
            got = tuple(v for v, _label in field._description_selection(self.env))
            self.assertEqual(got, values, "%s.%s" % (model, name))

    def test_open_filter_is_terms_open(self):
        self.assertEqual(self.filter_states("open"), sorted(terms.OPEN))

    def test_to_rule_filter_is_terms_to_rule(self):
        self.assertEqual(self.filter_states("to_rule"), sorted(terms.TO_RULE))

    def test_conflict_menu_opens_on_the_open_filter(self):
        action = self.env.ref("sales_attribution.attribution_conflict_action")
        self.assertEqual(safe_eval(action.context).get("search_default_open"), 1)

    def test_muted_rows_are_the_final_states(self):
        tree = self.arch("sales_attribution.attribution_conflict_view_tree")
        muted = tree.get("decoration-muted")
        self.assertEqual(
            sorted(s for s in terms.CONFLICT_STATES
                   if safe_eval(muted, {"state": s})), sorted(terms.FINAL))

    def test_buttons_states_are_the_steps(self):
        form = self.arch("sales_attribution.attribution_conflict_view_form")
        buttons = {b.get("name"): b for b in form.iter("button")
                   if b.get("type") == "object"}
        self.assertEqual(set(buttons), set(terms.CONFLICT_STEPS))
        for name, (states, _target) in terms.CONFLICT_STEPS.items():
            self.assertEqual(sorted(buttons[name].get("states").split(",")),
                             sorted(states), name)

    def test_list_order_names_every_state_once(self):
        self.assertEqual(sorted(STATE_ORDER), sorted(terms.CONFLICT_STATES))
        self.assertEqual(len(set(STATE_ORDER)), len(STATE_ORDER))

    def test_open_is_where_a_step_leads_on(self):
        # the one meaning of "open" (terms docstring): a button still leads on
        leave = {s for states, _target in terms.CONFLICT_STEPS.values()
                 for s in states}
        self.assertEqual(sorted(leave), sorted(terms.OPEN))
        self.assertEqual(sorted(terms.OPEN + terms.FINAL),
                         sorted(terms.CONFLICT_STATES))


#: model -> the public methods this addon defines on it (ORM hooks and buttons):
#: everything else is internal and starts with ``_`` (a public name is callable over
#: XML-RPC by anyone who can read the model)
PUBLIC_METHODS = {
    "attribution.decision": {"write", "unlink"},
    "attribution.conflict": {"create", "write", "action_agree", "action_rule",
                             "action_accept", "action_escalate", "action_forfeit"},
    "attribution.conflict.share": {"create", "write"},
    "attribution.relation": {"create", "write", "unlink"},
    "attribution.duty": {"create", "write", "action_check_in", "action_mark_absent"},
    "res.company": {"write"},
    "attribution.visit.import": {"action_preview", "action_import"},
    "attribution.visit.import.line": set(),
    "attribution.visit.import.column": set(),
}


class TestPublicMethods(SavepointCase):

    def addon_methods(self, model):
        names = set()
        for cls in type(self.env[model]).__mro__:
            if not cls.__module__.startswith("odoo.addons.sales_attribution."):
                continue
            names |= {name for name, value in vars(cls).items()
                      if callable(value) and not name.startswith("_")}
        return names

    def test_internal_methods_are_private(self):
        for model, expected in PUBLIC_METHODS.items():
            self.assertEqual(self.addon_methods(model), expected, model)
