"""Who may do what on every model of the addon, as the real user (``sudo(user)``).

Four people: a consultant of team A, a consultant of team B, the manager and a portal
user. For every model: the access rights (read, write, create, unlink), which records
each one finds, and the operations themselves on a record of their own and of the other
consultant. Then the sensitive fields: a consultant never reads another consultant's
customer's phone or mobile, nor another consultant's split amounts; and the decision log
stays append-only for managers too.
"""
from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests.common import SavepointCase

from .common import keep_history

#: model -> role -> operations allowed by the access rights (r, w, c, u)
RIGHTS = {
    "attribution.visit": {"consultant": "rwc", "manager": "rwcu"},
    "attribution.decision": {"consultant": "r", "manager": "r"},
    "attribution.relation": {"consultant": "rwc", "manager": "rwcu"},
    "attribution.conflict": {"consultant": "rw", "manager": "rwc"},
    "attribution.conflict.share": {"consultant": "r", "manager": "rwcu"},
    "attribution.split.line": {"consultant": "r", "manager": "rwcu"},
    "attribution.rotation": {"consultant": "r", "manager": "rwcu"},
    "attribution.rotation.member": {"consultant": "r", "manager": "rwcu"},
    "attribution.violation": {"consultant": "r", "manager": "rwcu"},
    "attribution.duty": {"consultant": "r", "manager": "rwcu"},
    # events (E1-E5): send log and SMS outbox, own guests only for consultants
    "attribution.message.log": {"consultant": "r", "manager": "r"},
    "attribution.sms.message": {"consultant": "r", "manager": "rw"},
    "attribution.sms.gateway": {"manager": "rwcu"},
    "attribution.sms.template": {"manager": "rwcu"},
    # side tables of the engine (claims, queue): written by the code, read by nobody
    "attribution.owner.notice": {},
    "attribution.phone.claim": {},
    # issue 16: background imports are the managers' (consultants see none)
    "attribution.import.batch": {"manager": "rwcu"},
    "attribution.import.batch.row": {"manager": "r"},
    # every number of a customer: as private as the customer, edited on the form
    "attribution.partner.phone": {"consultant": "rwcu", "manager": "rwcu"},
    # ownership per project: written by the rule book (as superuser) only
    "attribution.ownership": {"consultant": "r", "manager": "r"},
}
#: model -> which records a consultant finds: "own" (theirs only) or "all"
CONSULTANT_SCOPE = {
    "attribution.visit": "own",
    "attribution.decision": "own",
    "attribution.relation": "own",
    "attribution.conflict": "own",
    "attribution.conflict.share": "own",
    "attribution.split.line": "own",
    "attribution.rotation": "all",
    "attribution.rotation.member": "all",
    "attribution.violation": "own",
    "attribution.duty": "own",
    "attribution.partner.phone": "own",
    "attribution.ownership": "own",
}
#: a harmless field to write per model (value taken from the record itself)
WRITE_FIELD = {
    "attribution.visit": "note",
    "attribution.decision": "explanation",
    "attribution.relation": "evidence",
    "attribution.conflict": "winner_id",  # claimants name the winner in negotiation
    "attribution.conflict.share": "bonus_share",
    "attribution.split.line": "explanation",
    "attribution.rotation": "active",
    "attribution.rotation.member": "present",
    "attribution.violation": "description",
    "attribution.duty": "note",
    "attribution.partner.phone": "note",
    "attribution.ownership": "intent_class",
}
OPS = {"r": "read", "w": "write", "c": "create", "u": "unlink"}


class _Rollback(Exception):
    """Raised inside a savepoint to undo an operation that succeeded."""


class TestAccessMatrix(SavepointCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True,
                                       lang="en_US", no_reset_password=True))
        keep_history(cls.env)
        group_consultant = cls.env.ref("sales_attribution.group_consultant")
        group_manager = cls.env.ref("sales_attribution.group_manager")
        Users = cls.env["res.users"]

        def user(login, groups):
            return Users.create({
                "name": login.replace("_", " ").title(), "login": login,
                "email": "%s@example.invalid" % login, "groups_id": [(6, 0, groups)]})

        internal = cls.env.ref("base.group_user").id
        cls.manager = user("acl_manager", [internal, group_manager.id])
        cls.user_a = user("acl_consultant_a", [internal, group_consultant.id])
        cls.user_b = user("acl_consultant_b", [internal, group_consultant.id])
        cls.portal = user("acl_portal", [cls.env.ref("base.group_portal").id])
        Team = cls.env["crm.team"]
        cls.team_a = Team.create({"name": "ACL Team A", "user_id": cls.manager.id,
                                  "member_ids": [(6, 0, cls.user_a.ids)]})
        cls.team_b = Team.create({"name": "ACL Team B", "user_id": cls.manager.id,
                                  "member_ids": [(6, 0, cls.user_b.ids)]})
        # the manager's third project (a manager acts only in the projects they
        # manage: issue 14, point 4)
        cls.team_spare = Team.create({"name": "ACL Spare Team",
                                      "user_id": cls.manager.id})
        cls.env["crm.stage"].create({"name": "Won (ACL)", "probability": 100,
                                     "on_change": True, "sequence": 999})
        cls.rec = {"a": {}, "b": {}}
        for key, consultant, team, digits in (("a", cls.user_a, cls.team_a, "1"),
                                              ("b", cls.user_b, cls.team_b, "2")):
            cls._office(cls.rec[key], consultant, team, digits)

    @classmethod
    def _office(cls, rec, consultant, team, digit):
        env = cls.env
        partner = env["res.partner"].create({
            "name": "Customer %s" % consultant.name, "phone": "010-8888 666%s" % digit,
            "mobile": "1380013890%s" % digit, "attribution_owner_id": consultant.id})
        relative = env["res.partner"].create({
            "name": "Relative %s" % consultant.name,
            "attribution_owner_id": consultant.id})
        lead = env["crm.lead"].create({
            "name": "Deal %s" % consultant.name, "type": "opportunity",
            "partner_id": partner.id, "user_id": consultant.id, "team_id": team.id,
            "planned_revenue": 1000000.0})
        lead.action_set_won()
        conflict = env["attribution.conflict"].create({
            "partner_id": partner.id, "team_id": team.id,
            "claimant_ids": [(6, 0, consultant.ids)]})
        rec.update({
            "partner": partner, "relative": relative, "lead": lead, "team": team,
            "user": consultant,
            "attribution.visit": env["attribution.visit"].create({
                "partner_id": partner.id, "receiver_id": consultant.id,
                "team_id": team.id, "asked_prior_visit": True,
                "visit_datetime": "2026-01-05 02:00:00"}),
            # the superuser of the test may write the log (it is append-only to others)
            "attribution.decision": env["attribution.decision"].create({
                "partner_id": partner.id, "owner_id": consultant.id,
                "receiver_id": consultant.id, "rule_code": "A1",
                "explanation": "A1: first registered reception."}),
            "attribution.relation": env["attribution.relation"].create({
                "partner_id": partner.id, "related_partner_id": relative.id,
                "relation_type": "spouse"}),
            "attribution.conflict": conflict,
            "attribution.conflict.share": env["attribution.conflict.share"].create({
                "conflict_id": conflict.id, "user_id": consultant.id,
                "performance_share": 100, "bonus_share": 100}),
            "attribution.split.line": lead.split_line_ids.filtered(
                lambda sl: sl.user_id == consultant),
            "attribution.rotation": env["attribution.rotation"].create({
                "team_id": team.id,
                "member_ids": [(0, 0, {"user_id": consultant.id, "sequence": 10})]}),
            "attribution.violation": env["attribution.violation"].create({
                "user_id": consultant.id, "category": "late"}),
            "attribution.duty": env["attribution.duty"].create({
                "user_id": consultant.id, "team_id": team.id,
                "shift_start": "2026-01-05 01:00:00"}),
        })
        rec["attribution.rotation.member"] = rec["attribution.rotation"].member_ids
        rec["attribution.partner.phone"] = env["attribution.partner.phone"].create({
            "partner_id": partner.id, "phone": "0755 2345 67%s0" % digit,
            "note": "office"})
        # the customer's owner is kept in the row of the consultant's project
        rec["attribution.ownership"] = partner.attribution_ownership_ids

    # ------------------------------------------------------------------ helpers

    def role_user(self, role):
        return {"consultant": self.user_a, "manager": self.manager,
                "portal": self.portal}[role]

    def create_vals(self, model, rec):
        partner, team, user = rec["partner"], rec["team"], rec["user"]
        return {
            "attribution.visit": {"partner_id": partner.id, "receiver_id": user.id,
                                  "team_id": team.id, "asked_prior_visit": True,
                                  "visit_datetime": "2026-01-06 02:00:00"},
            "attribution.decision": {"partner_id": partner.id, "owner_id": user.id,
                                     "rule_code": "A1", "explanation": "forged"},
            "attribution.relation": {"partner_id": partner.id,
                                     "related_partner_id": rec["relative"].id,
                                     "relation_type": "friend"},
            "attribution.conflict": {"partner_id": partner.id, "team_id": team.id,
                                     "claimant_ids": [(6, 0, user.ids)]},
            "attribution.conflict.share": {
                "conflict_id": rec["attribution.conflict"].id,
                "user_id": user.id, "performance_share": 0, "bonus_share": 0},
            "attribution.split.line": {"lead_id": rec["lead"].id, "user_id": user.id,
                                       "role": "co_owner", "performance_share": 0,
                                       "bonus_share": 0},
            "attribution.rotation": {"team_id": self.team_spare.id},
            "attribution.rotation.member": {
                "rotation_id": rec["attribution.rotation"].id,
                "user_id": self.manager.id, "sequence": 99},
            "attribution.violation": {"user_id": user.id, "category": "other"},
            "attribution.duty": {"user_id": user.id, "team_id": team.id,
                                 "shift_start": "2026-01-07 01:00:00"},
            "attribution.partner.phone": {
                "partner_id": partner.id,
                "phone": "0755 2345 68%s0" % partner.mobile[-1]},
            "attribution.ownership": {"partner_id": partner.id,
                                      "team_id": self.team_spare.id},
        }[model]

    def attempt(self, operation):
        """True when ``operation`` succeeds (then undone), False on AccessError."""
        try:
            with self.env.cr.savepoint():
                operation()
                raise _Rollback()
        except _Rollback:
            return True
        except AccessError as error:
            self._last_refusal = error.name
            return False
        finally:
            self.env.clear()  # cache and pending recomputations of the undone operation

    def run_op(self, model, op, user, rec):
        record = rec[model].sudo(user)
        if op == "r":
            return lambda: record.read([WRITE_FIELD[model]])
        if op == "w":
            name = WRITE_FIELD[model]
            value = rec[model][name]
            value = value.id if hasattr(value, "_name") else value  # many2one as id
            return lambda: record.write({name: value})
        if op == "c":
            vals = self.create_vals(model, rec)
            return lambda: self.env[model].sudo(user).create(vals)
        return lambda: record.unlink()

    # ------------------------------------------------------------------ matrix

    def test_matrix_covers_every_model_of_the_addon(self):
        names = set(self.env["ir.model.data"].search([
            ("module", "=", "sales_attribution"), ("model", "=", "ir.model")]
        ).mapped(lambda d: self.env["ir.model"].browse(d.res_id).model))
        # the addon's own models (extended core models are covered by core's tests
        # and the sensitive-field tests below)
        stored = {name for name in names if name.startswith("attribution.")
                  and name in self.env and not self.env[name]._transient
                  and not self.env[name]._abstract}
        self.assertEqual(stored - set(RIGHTS), set(), "models without an access row "
                                                      "in this matrix")

    def test_access_rights_per_role(self):
        got, want = {}, {}
        for model, by_role in RIGHTS.items():
            if model not in self.env:
                continue  # a model of a branch not merged here yet
            for role in ("consultant", "manager", "portal"):
                Model = self.env[model].sudo(self.role_user(role))
                for letter, op in OPS.items():
                    got[model, role, op] = Model.check_access_rights(
                        op, raise_exception=False)
                    want[model, role, op] = letter in by_role.get(role, "")
        self.assertEqual({k for k, v in got.items() if v},
                         {k for k, v in want.items() if v})

    def test_records_found_per_role(self):
        for model, scope in CONSULTANT_SCOPE.items():
            mine, theirs = self.rec["a"][model], self.rec["b"][model]
            both = mine | theirs
            found_a = self.env[model].sudo(self.user_a).search([("id", "in", both.ids)])
            found_b = self.env[model].sudo(self.user_b).search([("id", "in", both.ids)])
            found_m = self.env[model].sudo(self.manager).search(
                [("id", "in", both.ids)])
            expect_a = both if scope == "all" else mine
            expect_b = both if scope == "all" else theirs
            self.assertEqual(set(found_a.ids), set(expect_a.ids), "%s: A" % model)
            self.assertEqual(set(found_b.ids), set(expect_b.ids), "%s: B" % model)
            self.assertEqual(set(found_m.ids), set(both.ids), "%s: manager" % model)

    def test_operations_on_own_records(self):
        """What the rights table grants works on one's own record; the rest raises."""
        unexpected = []
        for model, by_role in RIGHTS.items():
            if model not in WRITE_FIELD:
                continue  # rights checked above; no record of it in this office
            for role, rec_key in (("consultant", "a"), ("manager", "a"),
                                  ("portal", "a")):
                user = self.role_user(role)
                for letter in "rwcu":
                    allowed = self.attempt(self.run_op(model, letter, user,
                                                       self.rec[rec_key]))
                    if allowed != (letter in by_role.get(role, "")):
                        unexpected.append((model, role, OPS[letter], allowed,
                                           getattr(self, "_last_refusal", "")[:200]))
        self.assertEqual(unexpected, [])

    def test_operations_on_other_consultants_records_refused(self):
        """Consultant A cannot read, write or delete consultant B's records (models
        shared by the whole office excepted: rotations are read by everyone)."""
        unexpected = []
        for model, scope in CONSULTANT_SCOPE.items():
            for letter in "rwu":
                allowed = self.attempt(self.run_op(model, letter, self.user_a,
                                                   self.rec["b"]))
                expected = scope == "all" and letter in RIGHTS[model]["consultant"]
                if allowed != expected:
                    unexpected.append((model, OPS[letter], allowed))
        self.assertEqual(unexpected, [])

    # ------------------------------------------------------------------ sensitive

    def test_consultant_never_reads_other_customers_phone(self):
        theirs = self.rec["b"]["partner"].sudo(self.user_a)
        self.assertEqual(self.rec["b"]["partner"].attribution_owner_id, self.user_b)
        self.assertEqual(
            self.env["res.partner"].sudo(self.user_a).search(
                [("id", "=", theirs.id)]).ids, [],
            self.env["ir.rule"].sudo(self.user_a)._compute_domain("res.partner",
                                                                  "read"))
        for name in ("phone", "mobile", "attribution_phone"):
            with self.assertRaises(AccessError):
                theirs.read([name])
        Partner = self.env["res.partner"].sudo(self.user_a)
        self.assertFalse(Partner.search([("mobile", "=", "13800138902")]))
        self.assertFalse(Partner.search([("attribution_phone", "=", "13800138902")]))
        self.assertFalse([r for r in Partner.name_search("Customer Acl Consultant B")])
        self.assertEqual([p["phone"] for p in Partner.search_read(
            [("phone", "ilike", "8888 666")], ["phone"])], ["010-8888 6661"])
        # through the visit and the deal: refused as well
        with self.assertRaises(AccessError):
            self.rec["b"]["attribution.visit"].sudo(self.user_a).read(["phone"])
        with self.assertRaises(AccessError):
            self.rec["b"]["lead"].sudo(self.user_a).read(["phone", "mobile"])
        # their own customer's phone is readable
        own = self.rec["a"]["partner"].sudo(self.user_a).read(["mobile"])[0]
        self.assertEqual(own["mobile"], "13800138901")

    def test_portal_user_reads_no_customer(self):
        for key in ("a", "b"):
            with self.assertRaises(AccessError):
                self.rec[key]["partner"].sudo(self.portal).read(["phone", "mobile"])

    def test_consultant_never_reads_other_split_amounts(self):
        theirs = self.rec["b"]["attribution.split.line"]
        self.assertTrue(theirs.performance_amount)
        with self.assertRaises(AccessError):
            theirs.sudo(self.user_a).read(["performance_amount", "bonus_amount"])
        Line = self.env["attribution.split.line"].sudo(self.user_a)
        groups = Line.read_group([], ["performance_amount", "bonus_amount"], [])
        own = self.rec["a"]["attribution.split.line"]
        own_lines = Line.search([])
        self.assertEqual(own_lines.mapped("user_id"), self.user_a)
        self.assertAlmostEqual(groups[0]["performance_amount"],
                               sum(own_lines.mapped("performance_amount")), places=2)
        self.assertIn(own, own_lines)
        # nor through their deal's one2many
        with self.assertRaises(AccessError):
            self.rec["b"]["lead"].sudo(self.user_a).read(["split_line_ids"])

    def test_decisions_append_only_for_managers(self):
        decision = self.rec["a"]["attribution.decision"].sudo(self.manager)
        with self.assertRaises(AccessError):
            decision.write({"explanation": "rewritten"})
        with self.assertRaises(AccessError):
            decision.unlink()
        with self.assertRaises(AccessError):
            self.env["attribution.decision"].sudo(self.manager).create(
                self.create_vals("attribution.decision", self.rec["a"]))
        # even a manager who is also an Odoo administrator
        admin_manager = self.manager.copy({"login": "acl_admin_manager", "groups_id": [
            (4, self.env.ref("base.group_system").id),
            (4, self.env.ref("sales_attribution.group_manager").id)]})
        with self.assertRaises((AccessError, UserError)):
            decision.sudo(admin_manager).write({"explanation": "rewritten"})
        with self.assertRaises((AccessError, UserError)):
            decision.sudo(admin_manager).unlink()
        self.assertEqual(self.rec["a"]["attribution.decision"].explanation,
                         "A1: first registered reception.")

    def test_decision_log_written_for_consultant_by_the_rules(self):
        """The rules append to the log on a consultant's behalf (sudo with a reason)."""
        rec = self.rec["a"]
        Decision = self.env["attribution.decision"].sudo(self.user_a)
        decision = Decision._log(rec["partner"].sudo(self.user_a), self.user_a, "A1",
                                 "A1:首次接待。", "A1: first reception.")
        self.assertEqual(decision.sudo(self.user_a).owner_id, self.user_a)
        self.assertEqual(decision.decided_by_id, self.user_a)
        self.assertTrue(fields.Datetime.from_string(decision.create_date))
