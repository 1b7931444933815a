"""The register import's bulk path (issue 16 point 6) against the desk's engine.

One generated register (revisits within and after 30 days, referrals by an earlier
row's phone, requested consultants, appointments, staff referrals, bad and duplicate
rows, customers owned before the import, a spouse visited at the desk) is imported
twice from the same database state: row by row through the desk's engine
(``terms.CTX_IMPORT_PER_ROW``) and through the bulk path (in the request, and in a
background batch of small chunks). Each run is rolled back after its state is read;
the office must see the same thing: every line (state, rule, owner, receiver,
explanation), every visit, the ownership rows and the conflicts.
"""
import contextlib
import random
from unittest import mock

import psycopg2

from ..attribution import terms
from ..models import attribution_import_batch as batch_module
from ..tools import register_bulk
from ..wizards import attribution_visit_import_bulk as bulk_wizard
from .visit_import_common import VisitImportCase, xlsx


class _Rollback(Exception):
    pass


class TestRegisterBulk(VisitImportCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # owned before the import: 王芳's customer, only a phone (A14) ...
        cls.phone_only = cls.phone()
        phone_only = cls.customer(cls, "卫先生", owner=cls.wang, mobile=cls.phone_only)
        # ... and 李娜's walk-in at the desk, whose spouse visits in the sheet (B1)
        cls.desk_phone, cls.spouse_phone = cls.phone(), cls.phone()
        desk = cls.register(cls, desk=cls.manager, phone=cls.desk_phone,
                            partner_name="蒋先生", receiver_id=cls.li.id,
                            visit_datetime=cls.ago(50), late_entry_reason="补登")
        spouse = cls.customer(cls, "蒋太太", mobile=cls.spouse_phone)
        # ... and a customer known without owner, whom the sheet moves twice
        cls.twice_phone = cls.phone()
        twice = cls.customer(cls, "沈先生", mobile=cls.twice_phone)
        cls.env["attribution.relation"].create({
            "partner_id": spouse.id, "related_partner_id": desk.partner_id.id,
            "relation_type": "spouse"})
        # their open leads follow each owner the sheet gives them, row by row
        for partner, user in ((phone_only, cls.wang), (desk.partner_id, cls.li),
                              (spouse, cls.manager), (twice, cls.manager)):
            for name in ("意向一", "意向二"):
                cls.env["crm.lead"].create({
                    "name": "%s %s" % (name, partner.name), "partner_id": partner.id,
                    "type": "opportunity", "user_id": user.id,
                    "team_id": cls.team.id, "stage_id": cls.stage_new.id})
        cls.sheet = xlsx(cls.register_rows(cls, random.Random(16), 260) + [
            # before every generated row: no fallback between its two rows
            (VisitImportCase.office(cls, 200), None, cls.twice_phone, "张伟"),
            (VisitImportCase.office(cls, 160), None, cls.twice_phone, "王芳")])

    def register_rows(self, rng, count):
        """The generated register, in no order (see the module docstring);
        ``self``: the class (called from ``setUpClass``)."""
        names = ["张伟", "李娜", "王芳", "sa_test_liu", "陈静"]
        customers = []
        rows = []
        for i in range(count):
            days = rng.randrange(1, 120)
            at = VisitImportCase.office(self, days, rng.randrange(9, 19),
                                        rng.randrange(60))
            receiver = rng.choice(names)
            draw = rng.random()
            if draw < 0.05:  # bad rows: unreadable phone, unknown consultant
                rows.append((at, "坏行%d" % i, "12%d" % i, receiver))
                continue
            if draw < 0.08:
                rows.append((at, "坏行%d" % i, self.phone(), "不存在的人"))
                continue
            if draw < 0.12:  # the customers known before the import
                phone = rng.choice((self.phone_only, self.desk_phone,
                                    self.spouse_phone))
                rows.append((at, None, phone, receiver, None, None, None, None,
                             rng.choice(("是", "否"))))
                continue
            if customers and draw < 0.5:
                name, phone = rng.choice(customers)
            else:
                name, phone = "客户%d" % i, self.phone()
                customers.append((name, phone))
            kind, requested, referrer, brought = None, None, None, None
            pick = rng.random()
            if pick < 0.15 and customers:
                kind, referrer = "老带新", rng.choice(customers)[1]
                brought = rng.choice(("是", "否"))
                if rng.random() < 0.5:
                    requested = rng.choice(names)
            elif pick < 0.25:
                kind, requested = "预约", rng.choice(names)
            elif pick < 0.3:
                kind = "员工介绍"
            elif pick < 0.4:
                requested = rng.choice(names)
            rows.append((at, name, phone, receiver, kind, requested, referrer,
                         brought, rng.choice(("是", "否", None)),
                         "第%d条" % i))
            if rng.random() < 0.03:  # the same visit twice in the file
                rows.append(rows[-1])
        return rows

    # ------------------------------------------------------------------ runs

    def snapshot(self, lines):
        """What the office sees after an import: its lines by row, the imported
        visits by register row, ownership rows and conflicts by customer phone."""
        env = self.env
        env.cache.invalidate()
        seen = {
            "lines": {line["row"]: (
                line["state"], line.get("rule_code") or False,
                line.get("owner_id") or False, line.get("receiver_id") or False,
                line.get("partner_name") or "", line.get("message") or "")
                for line in lines},
        }
        visits = env["attribution.visit"].search([("import_fingerprint", "!=", False)])
        seen["visits"] = {v.import_fingerprint: (
            v.partner_id.mobile, v.owner_id.id, v.receiver_id.id, v.rule_code,
            v.is_late_entry, v.import_had_owner, v.no_phone_notice, v.name,
            v.decision_id.previous_owner_id.id, v.decision_id.explanation_en,
            tuple(v.referrer_partner_ids.mapped("mobile")))
            for v in visits}
        partners = visits.mapped("partner_id") | env["res.partner"].search(
            [("mobile", "in", [self.phone_only, self.desk_phone, self.spouse_phone,
                               self.twice_phone])])
        rows = env["attribution.ownership"].search([("partner_id", "in", partners.ids)])
        seen["ownership"] = sorted(
            (r.partner_id.mobile, r.team_id.id, r.owner_id.id, r.first_visit_date,
             r.last_visit_date) for r in rows)
        seen["conflicts"] = sorted(
            (c.partner_id.mobile, c.state, tuple(sorted(c.claimant_ids.ids)),
             c.proposed_owner_id.id)
            for c in env["attribution.conflict"].search(
                [("partner_id", "in", partners.ids)]))
        # the open leads' salesperson and what their chatter shows of it
        leads = env["crm.lead"].search([("partner_id", "in", partners.ids)])
        seen["leads"] = sorted(
            (lead.partner_id.mobile, lead.name, lead.user_id.id, tuple(
                (value.old_value_integer, value.new_value_integer,
                 value.old_value_char, value.new_value_char)
                for message in lead.message_ids.sorted("id")
                for value in message.tracking_value_ids
                if value.field == "user_id"))
            for lead in leads)
        seen["partners"] = sorted(
            (p.mobile, p.name, p.display_name, p.attribution_phone,
             p.attribution_salutation or "", p.commercial_partner_id == p,
             p.partner_share, p.customer, p.company_id.id, p.lang or "",
             p.attribution_owned)
            for p in partners)
        return seen

    def rolled_back(self, run):
        """``snapshot`` of ``run()`` (the lines), the database as it was after."""
        result = {}
        try:
            with self.env.cr.savepoint():
                result.update(self.snapshot(run()))
                raise _Rollback()
        except _Rollback:
            pass
        self.env.clear()
        self.registry.clear_caches()  # the batch's threshold, cached then undone
        return result

    def desk(self, action):
        """``snapshot`` of the desk's engine replaying the sheet (``action``),
        rolled back; run once per class (every test starts from the same state)."""
        done = type(self).__dict__.get("_desk") or {}
        if action not in done:
            done[action] = self.rolled_back(lambda: self.m2o(
                self.wizard_lines(True, action)()))
            type(self)._desk = done
        return done[action]

    def wizard_lines(self, per_row, action):
        def run():
            # tracking on, as in the web client: the leads' chatter is compared
            wizard = self.wizard(self.sheet).with_context(
                tracking_disable=False, **{terms.CTX_IMPORT_PER_ROW: per_row})
            getattr(wizard, action)()
            return wizard.line_ids.read(["row", "state", "rule_code", "owner_id",
                                         "receiver_id", "partner_name", "message"])
        return run

    def batch_lines(self):
        self.env["ir.config_parameter"].sudo().set_param(
            batch_module.BACKGROUND_ROWS_PARAM, "2")
        wizard = self.wizard(self.sheet)
        action = wizard.action_import()
        batch = self.env["attribution.import.batch"].browse(action["res_id"])
        with mock.patch.object(batch_module, "CHUNK_ROWS", 40):
            while batch._claim_self() and batch._process_chunk():
                pass
        visits = self.env["attribution.visit"].browse(
            [r.res_id for r in batch.row_ids if r.res_id]).exists()
        by_id = {v.id: v for v in visits}
        lines = []
        for row in batch.row_ids:
            visit = by_id.get(row.res_id)
            lines.append({
                "row": row.row, "state": row.state, "message": row.message,
                "rule_code": visit.rule_code if visit else False,
                "owner_id": visit.owner_id.id if visit else False,
                "receiver_id": visit.receiver_id.id if visit else False,
                "partner_name": visit.partner_id.name if visit else ""})
        return lines

    @contextlib.contextmanager
    def desk_rows(self):
        """Record the rows the desk's engine replays (the list yielded)."""
        wizard_class = type(self.env["attribution.visit.import"])  # the registry's
        real = wizard_class._replay_row
        rows = []

        def replay_row(wizard, row, context):
            rows.append(row.row)
            return real(wizard, row, context)
        with mock.patch.object(wizard_class, "_replay_row", replay_row):
            yield rows

    @staticmethod
    def m2o(lines):
        for line in lines:
            for key in ("owner_id", "receiver_id"):
                if isinstance(line.get(key), tuple):
                    line[key] = line[key][0]
        return lines

    def assertSameOffice(self, desk, bulk):
        self.assertEqual(set(desk["lines"]), set(bulk["lines"]))
        for row in sorted(desk["lines"]):
            self.assertEqual(desk["lines"][row], bulk["lines"][row], "row %s" % row)
        self.assertEqual(set(desk["visits"]), set(bulk["visits"]))
        for fingerprint in sorted(desk["visits"]):
            self.assertEqual(desk["visits"][fingerprint], bulk["visits"][fingerprint],
                             fingerprint)
        for key in ("ownership", "conflicts", "partners", "leads"):
            self.assertEqual(desk[key], bulk[key], key)

    # ------------------------------------------------------------------ tests

    def test_bulk_import_gives_what_the_desk_gives(self):
        desk = self.desk("action_import")
        states = [line[0] for line in desk["lines"].values()]
        # the sheet exercises what it should: errors, duplicates, many rules
        self.assertGreater(states.count("error"), 5)
        self.assertGreater(states.count("duplicate"), 1)
        codes = {line[1] for line in desk["lines"].values()}
        self.assertTrue({"A5", "B6", "B4", "A2", "B7", "B1", "A10"} <= codes, codes)
        self.assertTrue(desk["conflicts"], "no conflict against a known owner")
        # the open leads of a known customer moved more than once by the sheet
        self.assertTrue(any(len(lead[3]) > 1 for lead in desk["leads"]),
                        desk["leads"])
        with mock.patch.object(bulk_wizard, "CHUNK_ROWS", 70), \
                self.desk_rows() as desk_rows:
            bulk = self.rolled_back(lambda: self.m2o(
                self.wizard_lines(False, "action_import")()))
        self.assertSameOffice(desk, bulk)
        # judged in bulk: the desk's engine only for the rows that open a conflict
        conflicts = [line for line in desk["lines"].values()
                     if line[1] in ("A10", "A6")]
        self.assertTrue(0 < len(desk_rows) <= len(conflicts),
                        (len(desk_rows), len(conflicts)))

    def test_open_leads_follow_each_owner_in_one_chunk_as_at_the_desk(self):
        desk = self.desk("action_import")
        moved = [lead for lead in desk["leads"] if lead[0] == self.twice_phone]
        self.assertTrue(moved and all(len(lead[3]) == 2 for lead in moved), moved)
        # the whole sheet in one chunk: 沈先生's two moves are in it
        self.assertGreater(bulk_wizard.CHUNK_ROWS, 270)
        bulk = self.rolled_back(lambda: self.m2o(
            self.wizard_lines(False, "action_import")()))
        self.assertEqual(desk["leads"], bulk["leads"])
        self.assertSameOffice(desk, bulk)

    def test_bulk_preview_gives_the_desk_replay(self):
        desk = self.desk("action_preview")
        bulk = self.rolled_back(lambda: self.m2o(
            self.wizard_lines(False, "action_preview")()))
        self.assertEqual(desk["lines"], bulk["lines"])
        self.assertFalse(bulk["visits"], "the preview saved visits")

    def test_bulk_batch_in_small_chunks_gives_what_the_desk_gives(self):
        desk = self.desk("action_import")
        bulk = self.rolled_back(self.batch_lines)
        for line in desk["lines"].values():
            self.assertIn(line[0], ("ok", "error", "duplicate"))
        self.assertEqual(set(desk["lines"]), set(bulk["lines"]))
        for row in sorted(desk["lines"]):
            # a batch row keeps its state; its visit the rule, owner and receiver
            self.assertEqual(desk["lines"][row][:3], bulk["lines"][row][:3],
                             "row %s" % row)
        for key in ("visits", "ownership", "conflicts", "partners"):
            self.assertEqual(desk[key], bulk[key], key)
        # a batch runs without tracking (attribution.import.batch._handler): the
        # salespersons are the desk's
        self.assertEqual([lead[:3] for lead in desk["leads"]],
                         [lead[:3] for lead in bulk["leads"]])

    def test_a_chunk_refused_by_the_database_is_replayed_row_by_row(self):
        desk = self.desk("action_import")
        real = register_bulk.RegisterBulk.flush
        calls = []

        def flush_once_broken(bulk):
            if not calls and bulk.pending:
                calls.append(1)
                raise psycopg2.IntegrityError("a desk took a phone of the chunk")
            return real(bulk)

        broken = mock.patch.object(register_bulk.RegisterBulk, "flush",
                                   flush_once_broken)
        with broken, mock.patch.object(bulk_wizard, "CHUNK_ROWS", 70), \
                self.desk_rows() as desk_rows:
            bulk = self.rolled_back(lambda: self.m2o(
                self.wizard_lines(False, "action_import")()))
        self.assertTrue(calls)
        self.assertGreaterEqual(len(desk_rows), 60, "the first chunk, row by row")
        self.assertSameOffice(desk, bulk)
