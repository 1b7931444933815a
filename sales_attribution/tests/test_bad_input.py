"""Hostile or careless input across the contract: a table of rows, one test each.

Each row is something a user at the desk, a manager or an XML-RPC client may send. The
row says which error it must raise and a fragment of the message the user reads (in
English: the test user's language; the same rows in Chinese wait for i18n/zh_CN.po),
and every row checks that the tables of the touched models hold exactly as many rows
after the refusal as before: nothing is half-saved.

Rows are generated as ``test_bad_input_NN_<what>`` methods, so a failing row is named in
the test log.
"""
import re
from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.modules.module import get_module_resource
from odoo.tests.common import SavepointCase

from .common import keep_history, make_user

#: models whose tables are counted before and after every row
COUNTED_MODELS = ("res.partner", "crm.lead", "attribution.visit",
                  "attribution.decision", "attribution.relation",
                  "attribution.conflict",
                  "attribution.conflict.share", "attribution.split.line",
                  "attribution.rotation", "attribution.rotation.member",
                  "attribution.violation", "attribution.duty")


def _now_plus(**delta):
    return fields.Datetime.to_string(
        fields.Datetime.from_string(fields.Datetime.now()) + timedelta(**delta))


class BadInputCase(SavepointCase):
    """An office of its own: two teams, two consultants, a manager, customers, a won
    deal with its split lines and conflicts in every state."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True,
                                       lang="en_US", no_reset_password=True))
        keep_history(cls.env)
        group_consultant = cls.env.ref("sales_attribution.group_consultant")
        group_manager = cls.env.ref("sales_attribution.group_manager")
        employee = cls.env.ref("base.group_user")

        def user(login, name, group):
            return make_user(cls.env, login, name, employee | group, lang="en_US")

        cls.manager = user("bad_input_manager", "Manager Chen", group_manager)
        cls.alice = user("bad_input_alice", "Alice Wang", group_consultant)
        cls.bob = user("bad_input_bob", "Bob Li", group_consultant)
        cls.team = cls.env["crm.team"].create({
            "name": "Bad Input Office", "user_id": cls.manager.id,
            "member_ids": [(6, 0, (cls.alice | cls.bob).ids)]})
        cls.rotation = cls.env["attribution.rotation"].create({
            "team_id": cls.team.id,
            "member_ids": [(0, 0, {"user_id": cls.alice.id, "sequence": 10}),
                           (0, 0, {"user_id": cls.bob.id, "sequence": 20})]})
        Partner = cls.env["res.partner"]
        cls.customer = Partner.create({
            "name": "Zhang San", "mobile": "13800138000",
            "attribution_owner_id": cls.alice.id})
        cls.other = Partner.create({"name": "Li Si", "mobile": "13900139000",
                                    "attribution_owner_id": cls.bob.id})
        cls.third = Partner.create({"name": "Wang Wu", "mobile": "13700137000"})
        cls.env["crm.stage"].create({
            "name": "Won (bad input tests)", "probability": 100, "on_change": True,
            "sequence": 999})
        cls.lead = cls.env["crm.lead"].create({
            "name": "Deal Zhang San", "type": "opportunity",
            "partner_id": cls.customer.id, "user_id": cls.alice.id,
            "team_id": cls.team.id, "planned_revenue": 1000000.0})
        cls.lead.action_set_won()
        cls.relation = cls.env["attribution.relation"].create({
            "partner_id": cls.customer.id, "related_partner_id": cls.other.id,
            "relation_type": "parent"})
        Conflict = cls.env["attribution.conflict"]

        def conflict(state, winner=None):
            return Conflict.create({
                "partner_id": cls.customer.id, "team_id": cls.team.id,
                "claimant_ids": [(6, 0, (cls.alice | cls.bob).ids)],
                "state": state, "winner_id": winner.id if winner else False})

        cls.negotiation = conflict("negotiation")
        cls.ruled = conflict("ruled", cls.alice)
        cls.accepted = conflict("accepted", cls.alice)
        cls.escalated = conflict("escalated")
        cls.duty = cls.env["attribution.duty"].create({
            "user_id": cls.alice.id, "team_id": cls.team.id,
            "shift_start": _now_plus(hours=-1)})

    # ------------------------------------------------------------------ helpers

    def counts(self):
        """Rows per counted model, straight from the tables (no record rule applies)."""
        result = {}
        for model in COUNTED_MODELS:
            self.env.cr.execute(
                # the table name comes from the ORM, not from input
                'SELECT count(*) FROM "%s"' % self.env[model]._table)
            result[model] = self.env.cr.fetchone()[0]
        return result

    def visit_vals(self, **vals):
        base = {"partner_id": self.customer.id, "team_id": self.team.id,
                "receiver_id": self.alice.id, "asked_prior_visit": True,
                "kind": "walk_in"}
        base.update(vals)
        return base

    def split_line(self, user):
        return self.lead.split_line_ids.filtered(lambda sl: sl.user_id == user)

    def assertRefused(self, action, exception, fragment):
        before = self.counts()
        with self.assertRaises(exception) as caught, self.env.cr.savepoint():
            action()
        self.env.clear()  # cache and pending recomputations of the undone operation
        error = caught.exception
        message = getattr(error, "name", None) or (error.args[0] if error.args else "")
        self.assertIn(fragment, str(message))
        self.assertEqual(self.counts(), before, "rows changed after a refused input")


def _rows():
    """(name, exception, message fragment, action(case)) per hostile input."""
    rows = []

    def row(name, exception, fragment):
        def register(action):
            rows.append((name, exception, fragment, action))
            return action
        return register

    Visit = "attribution.visit"
    # --- visits -----------------------------------------------------------------
    row("visit_tomorrow", ValidationError, "cannot be registered in the future")(
        lambda c: c.env[Visit].create(c.visit_vals(visit_datetime=_now_plus(days=1))))
    row("visit_next_year", ValidationError, "cannot be registered in the future")(
        lambda c: c.env[Visit].create(c.visit_vals(visit_datetime=_now_plus(days=366))))
    row("visit_moved_to_future", ValidationError, "cannot be registered in the future")(
        lambda c: c.env[Visit].create(c.visit_vals()).write(
            {"visit_datetime": _now_plus(hours=3)}))
    row("visit_decided_customer_swapped", UserError, "cannot be changed afterwards")(
        lambda c: c.env[Visit].sudo(c.alice).create(c.visit_vals()).write(
            {"partner_id": c.third.id}))
    row("visit_decided_made_walk_in", UserError, "cannot be changed afterwards")(
        lambda c: c.env[Visit].sudo(c.manager).create(c.visit_vals(
            kind="appointment", appointment_user_id=c.bob.id)).write(
                {"kind": "walk_in"}))
    row("visit_without_customer_or_phone", ValidationError, "needs the customer")(
        lambda c: c.env[Visit].create(c.visit_vals(partner_id=False)))
    row("visit_empty_phone_only", ValidationError, "needs the customer")(
        lambda c: c.env[Visit].create(c.visit_vals(partner_id=False, phone="")))
    row("visit_unknown_kind", ValidationError, "not a valid value")(
        lambda c: c.env[Visit].create(c.visit_vals(kind="vip")))
    row("visit_date_not_a_date", ValidationError, "not a valid value")(
        lambda c: c.env[Visit].create(c.visit_vals(visit_datetime="yesterday 3pm")))
    row("visit_receiver_as_name", ValidationError, "not a valid value")(
        lambda c: c.env[Visit].create(c.visit_vals(receiver_id="Alice Wang")))
    row("visit_team_as_float", ValidationError, "not a valid value")(
        lambda c: c.env[Visit].create(c.visit_vals(team_id=1.5)))

    # phone numbers the desk cannot read (the visit engine matches customers by phone)
    def phone_visit(raw):
        def action(c):
            c.env[Visit].sudo(c.alice).create(c.visit_vals(partner_id=False, phone=raw))
        return action
    for label, raw in (("letters", "138oo138000"), ("words", "call me"),
                       ("too_short", "12345"), ("too_long", "1380013800012345"),
                       ("foreign_invalid", "+852 1234 5678"), ("blank", "   "),
                       ("extension", "010-8888 6666 转801")):
        row("visit_phone_%s" % label, ValidationError, "cannot be read")(
            phone_visit(raw))

    # --- relations --------------------------------------------------------------
    Rel = "attribution.relation"
    row("relation_to_oneself", ValidationError, "related to themselves")(
        lambda c: c.env[Rel].create({"partner_id": c.customer.id,
                                     "related_partner_id": c.customer.id,
                                     "relation_type": "spouse"}))
    row("relation_duplicate", ValidationError, "already recorded")(
        lambda c: c.env[Rel].create({"partner_id": c.customer.id,
                                     "related_partner_id": c.other.id,
                                     "relation_type": "parent"}))
    row("relation_duplicate_from_other_side", ValidationError, "already recorded")(
        lambda c: c.env[Rel].create({"partner_id": c.other.id,
                                     "related_partner_id": c.customer.id,
                                     "relation_type": "child"}))
    row("relation_parent_and_child", ValidationError, "parent")(
        lambda c: c.env[Rel].create({"partner_id": c.customer.id,
                                     "related_partner_id": c.other.id,
                                     "relation_type": "child"}))

    def parent_cycle(c):
        # customer's parent is other (setUp); other's parent is third; third's parent
        # would be customer: a cycle of three
        c.env[Rel].create({"partner_id": c.other.id, "related_partner_id": c.third.id,
                           "relation_type": "parent"})
        c.env[Rel].create({"partner_id": c.third.id,
                           "related_partner_id": c.customer.id,
                           "relation_type": "parent"})
    row("relation_parent_cycle_of_three", ValidationError, "own ancestor")(parent_cycle)
    row("relation_unknown_type", ValidationError, "not a valid value")(
        lambda c: c.env[Rel].create({"partner_id": c.customer.id,
                                     "related_partner_id": c.third.id,
                                     "relation_type": "colleague"}))
    row("relation_made_self_by_write", ValidationError, "related to themselves")(
        lambda c: c.relation.write({"related_partner_id": c.customer.id}))

    # --- conflict rulings and state buttons --------------------------------------
    Share = "attribution.conflict.share"

    def shares(c, conflict, *pairs):
        for user, perf, bonus in pairs:
            c.env[Share].create({"conflict_id": conflict.id, "user_id": user.id,
                                 "performance_share": perf, "bonus_share": bonus})

    def rule_with(*pairs):
        def action(c):
            c.negotiation.winner_id = c.alice
            shares(c, c.negotiation, *[(getattr(c, u), p, b) for u, p, b in pairs])
            c.negotiation.sudo(c.manager).action_rule()
        return action

    row("ruling_without_winner", UserError, "needs a winner")(
        lambda c: c.negotiation.sudo(c.manager).action_rule())
    row("agreement_without_winner", UserError, "Name the consultant")(
        lambda c: c.negotiation.sudo(c.manager).action_agree())
    row("ruling_performance_sums_90", UserError, "sum to 90")(
        rule_with(("alice", 60, 50), ("bob", 30, 50)))
    row("ruling_bonus_sums_110", UserError, "sum to 110")(
        rule_with(("alice", 50, 60), ("bob", 50, 50)))
    row("ruling_negative_share", ValidationError, "between 0 and 100")(
        rule_with(("alice", 120, 50), ("bob", -20, 50)))
    row("ruling_share_over_100", ValidationError, "between 0 and 100")(
        rule_with(("alice", 150, 100)))
    row("ruling_share_as_text", ValidationError, "not a valid value")(
        rule_with(("alice", "fifty", 100)))
    row("accept_in_negotiation", UserError, "only possible when")(
        lambda c: c.negotiation.sudo(c.manager).action_accept())
    row("forfeit_in_negotiation", UserError, "only possible when")(
        lambda c: c.negotiation.sudo(c.manager).action_forfeit())
    row("agree_when_ruled", UserError, "only possible when")(
        lambda c: c.ruled.sudo(c.manager).action_agree())
    row("rule_when_accepted", UserError, "only possible when")(
        lambda c: c.accepted.sudo(c.manager).action_rule())
    row("escalate_when_accepted", UserError, "only possible when")(
        lambda c: c.accepted.sudo(c.manager).action_escalate())
    row("accept_when_escalated", UserError, "only possible when")(
        lambda c: c.escalated.sudo(c.manager).action_accept())

    # --- split lines edited by a manager ----------------------------------------
    Line = "attribution.split.line"
    row("split_performance_cut_to_60", UserError, "sum to 60")(
        lambda c: c.split_line(c.alice).sudo(c.manager).write(
            {"performance_share": 60}))
    row("split_negative_bonus", ValidationError, "between 0 and 100")(
        lambda c: c.split_line(c.alice).sudo(c.manager).write({"bonus_share": -10}))
    row("split_extra_line_sums_110", UserError, "sum to 110")(
        lambda c: c.env[Line].sudo(c.manager).create({
            "lead_id": c.lead.id, "user_id": c.bob.id, "role": "co_owner",
            "performance_share": 10, "bonus_share": 0}))
    row("split_lead_form_edit_sums_90", UserError, "sum to 90")(
        lambda c: c.lead.sudo(c.manager).write({"split_line_ids": [
            (1, c.split_line(c.alice).id, {"performance_share": 50}),
            (0, 0, {"user_id": c.bob.id, "role": "co_owner",
                    "performance_share": 40, "bonus_share": 0})]}))
    row("split_share_as_text", ValidationError, "not a valid value")(
        lambda c: c.split_line(c.alice).sudo(c.manager).write(
            {"performance_share": "100%"}))
    row("split_unknown_role", ValidationError, "not a valid value")(
        lambda c: c.split_line(c.alice).sudo(c.manager).write({"role": "boss"}))
    row("split_edited_by_consultant", AccessError, "")(
        lambda c: c.split_line(c.alice).sudo(c.alice).write({"performance_share": 100}))

    # --- deals: wrong types the way XML-RPC passes them ---------------------------
    row("lead_unit_count_text", ValidationError, "not a valid value")(
        lambda c: c.lead.write({"unit_count": "three"}))
    row("lead_unit_count_fraction", ValidationError, "not a valid value")(
        lambda c: c.lead.write({"unit_count": 2.5}))
    row("lead_unit_count_fraction_text", ValidationError, "not a valid value")(
        lambda c: c.lead.write({"unit_count": "3.5"}))
    row("lead_unit_count_zero", ValidationError, "at least one unit")(
        lambda c: c.lead.write({"unit_count": 0}))
    row("lead_unit_count_negative_on_create", ValidationError, "at least one unit")(
        lambda c: c.env["crm.lead"].create({
            "name": "Negative", "type": "opportunity", "partner_id": c.third.id,
            "unit_count": -2}))
    row("lead_unit_count_boolean", ValidationError, "not a valid value")(
        lambda c: c.lead.write({"unit_count": True}))
    row("lead_buyer_as_name", ValidationError, "not a valid value")(
        lambda c: c.lead.write({"buyer_partner_id": "Zhang San"}))

    # --- rotation, conduct, duty ------------------------------------------------
    def nobody_present(c):
        c.rotation.member_ids.write({"present": False})
        c.rotation.sudo(c.manager).next_receiver()
    row("rotation_nobody_present", UserError, "is present")(nobody_present)
    row("rotation_member_same_position", ValidationError, "turn position")(
        lambda c: c.rotation.member_ids[1].write({"sequence": 10}))
    # two days after the server's date: a future day in every time zone (the rule
    # reads the day in the user's or the office's zone, up to a day ahead of UTC)
    row("violation_dated_the_day_after_tomorrow", ValidationError, "in the future")(
        lambda c: c.env["attribution.violation"].create({
            "user_id": c.alice.id, "category": "late",
            "date": fields.Date.to_string(
                fields.Date.from_string(fields.Date.today()) + timedelta(days=2))}))

    def check_in_when_absent(c):
        c.duty.sudo(c.manager).action_mark_absent()
        c.duty.sudo(c.alice).action_check_in()
    row("duty_check_in_after_marked_absent", UserError, "already marked absent")(
        check_in_when_absent)

    def absent_after_arrival(c):
        c.duty.sudo(c.alice).action_check_in()
        c.duty.sudo(c.manager).action_mark_absent()
    row("duty_marked_absent_after_arrival", UserError, "cannot be marked absent")(
        absent_after_arrival)

    def check_in_twice(c):
        c.duty.sudo(c.alice).action_check_in()
        c.duty.sudo(c.alice).action_check_in()
    row("duty_check_in_twice", UserError, "already recorded")(check_in_twice)
    return rows


ROWS = _rows()


#: careless but readable: the same customer whatever the desk typed
ACCEPTED_PHONES = ("１３８００１３８０００", "+86 138 0013 8000", "0086-138-0013-8000",
                   "138-0013-8000", " 138 0013 8000 ", "+86-138-0013-8000",
                   "8613800138000", "(+86) 138.0013.8000", "138\u20140013\u20148000",
                   "＋８６　１３８　００１３　８０００")


class TestBadInput(BadInputCase):
    """One test per hostile input (see ``_rows``)."""

    def test_bad_input_careless_phones_match_the_customer(self):
        Visit = self.env["attribution.visit"]
        for raw in ACCEPTED_PHONES:
            with self.subTest(phone=raw):
                partners = self.env["res.partner"].search_count([])
                visit = Visit.sudo(self.bob).create(
                    self.visit_vals(partner_id=False, phone=raw, receiver_id=False))
                self.assertEqual(visit.sudo().partner_id, self.customer, raw)
                self.assertEqual(visit.sudo().phone, "13800138000", raw)
                self.assertEqual(self.env["res.partner"].search_count([]), partners)

    def test_bad_input_table_is_large_enough(self):
        self.assertGreaterEqual(len(ROWS), 30)

    def test_bad_input_setup_is_sane(self):
        # the rows refuse input on a valid office: the deal is split 100/100
        self.assertEqual(self.split_line(self.alice).performance_share, 100.0)
        self.assertEqual(self.negotiation.state, "negotiation")


#: rows run once more as a Chinese-speaking user once i18n/zh_CN.po ships
ZH_ROWS = ("visit_tomorrow", "relation_to_oneself", "ruling_without_winner",
           "accept_in_negotiation", "split_performance_cut_to_60",
           "lead_unit_count_text",
           "rotation_nobody_present", "relation_duplicate",
           "visit_decided_customer_swapped")
CJK = re.compile(r"[\u4e00-\u9fff]")


class _InLanguage:
    """The test case seen through another environment: its records re-bound to it."""

    def __init__(self, case, env):
        self._case, self.env = case, env

    def __getattr__(self, name):
        value = getattr(self._case, name)
        if isinstance(value, models.BaseModel):
            return value.with_env(self.env)
        return value

    def visit_vals(self, **vals):
        return self._case.visit_vals(**vals)

    def split_line(self, user):
        return self.lead.split_line_ids.filtered(lambda sl: sl.user_id == user)


class TestBadInputChinese(BadInputCase):
    """The same refusals read in Chinese by a zh_CN user (SPEC: zh_CN shipped)."""

    def test_bad_input_messages_in_chinese(self):
        self.assertTrue(get_module_resource("sales_attribution", "i18n", "zh_CN.po"))
        self.env["res.lang"].load_lang("zh_CN")
        self.env["ir.translation"].load_module_terms(["sales_attribution"], ["zh_CN"])
        zh = self.env(context=dict(self.env.context, lang="zh_CN"))
        for user in (self.manager, self.alice, self.bob):
            user.lang = "zh_CN"
        case = _InLanguage(self, zh)
        rows = {name: (exception, action) for name, exception, _f, action in ROWS}
        untranslated = []
        for name in ZH_ROWS:
            exception, action = rows[name]
            before = self.counts()
            with self.assertRaises(exception) as caught, self.env.cr.savepoint():
                action(case)
            self.env.clear()
            error = caught.exception
            message = str(getattr(error, "name", None) or error.args[0])
            if not CJK.search(message):
                untranslated.append((name, message))
            self.assertEqual(self.counts(), before, name)
        self.assertEqual(untranslated, [], "messages the zh_CN user reads in English")


def _make_test(exception, fragment, action):
    def test(self):
        self.assertRefused(lambda: action(self), exception, fragment)
    return test


for _index, (_name, _exception, _fragment, _action) in enumerate(ROWS, 1):
    setattr(TestBadInput, "test_bad_input_%02d_%s" % (_index, _name),
            _make_test(_exception, _fragment, _action))
