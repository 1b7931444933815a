"""Who owns a visiting customer: 第二篇 客户确认规范, one table row per seed sentence.

Users: 1 张伟, 2 李娜, 3 王芳, 4 刘洋, 5 陈静. Datetimes are UTC; 02:00 UTC is 10:00 at
the office (Beijing), so the dates in the explanations are the same calendar dates.
"""
import datetime as dt
import unittest

from attribution.codes import RULES
from attribution.ownership import (Decision, InvalidFacts, KinVisit, Referrer,
                                   Registration, Ruling, Settings, VisitFacts, decide,
                                   resolve)
from attribution.rotation import Member, serve

NAMES = {1: "张伟", 2: "李娜", 3: "王芳", 4: "刘洋", 5: "陈静"}
ALL = frozenset(NAMES)
NOW = dt.datetime(2026, 12, 31, 12, 0)
SETTINGS = Settings()


def at(day, month=10, hour=2):
    return dt.datetime(2026, month, day, hour, 0)


def reg(owner, day, month=10):
    return Registration(partner_id=100, owner_id=owner, visit_datetime=at(day, month))


def visit(kind="walk_in", when=None, **kw):
    kw.setdefault("names", NAMES)
    kw.setdefault("present_user_ids", ALL)
    kw.setdefault("asked_prior_visit", True)
    return VisitFacts(kind=kind, visit_datetime=when or at(20), **kw)


def decide_(facts, settings=SETTINGS):
    return decide(facts, settings, NOW)


class OwnershipCase(unittest.TestCase):

    def check(self, rows):
        """rows: (why, facts, expected attributes)."""
        for why, facts, expected in rows:
            with self.subTest(why=why):
                decision = decide_(facts)
                self.assertIsInstance(decision, Decision)
                self.assertIn(decision.rule_code, RULES)
                for attr, value in expected.items():
                    with self.subTest(attr=attr):
                        message = "%s: %s (%s)" % (why, attr, decision.explanation_en)
                        self.assertEqual(getattr(decision, attr), value, message)
                code = decision.rule_code
                self.assertTrue(decision.explanation_zh.startswith(code + ":"))
                self.assertTrue(decision.explanation_en.startswith(code + ": "))


class TestVisitPrinciples(OwnershipCase):
    """(一) 来访客户确认原则."""

    def test_A01_first_reception_owns(self):
        # 1.原则上以首次接待登记人来确认客户成交后的业绩归属。
        self.check([
            ("recognised revisit", visit(registrations=(reg(1, 1),), receiver_id=1,
                                         customer_recalls_consultant=True),
             dict(rule_code="A1", owner_id=1, receiver_id=1, open_conflict=False)),
            ("recognised long after the window still first reception",
             visit(when=at(20, 12), registrations=(reg(1, 1),),
                   customer_recalls_consultant=True),
             dict(rule_code="A1", owner_id=1, needs_rotation=False)),
            ("several visits of one owner, any order",
             visit(registrations=(reg(1, 15), reg(1, 1), reg(1, 8)),
                   customer_recalls_consultant=True),
             dict(rule_code="A1", owner_id=1)),
        ])

    def test_A01_explanation_names_date_and_consultant(self):
        d = decide_(visit(registrations=(reg(1, 1),), customer_recalls_consultant=True))
        self.assertEqual(d.explanation_zh, "A1:客户于2026-10-01首次由张伟接待登记,本次认出,归属张伟。")
        self.assertIn("2026-10-01", d.explanation_en)
        self.assertIn("张伟", d.explanation_en)

    def test_A01_office_date_is_beijing_date(self):
        # 23:00 UTC on 30 Sep is 07:00 on 1 Oct in Beijing
        early = Registration(100, 1, dt.datetime(2026, 9, 30, 23, 0))
        d = decide_(visit(registrations=(early,), customer_recalls_consultant=True))
        self.assertIn("2026-10-01", d.explanation_zh)

    def test_A02_named_consultant_absent_another_covers(self):
        # 2.客户明确找某个置业顾问,如该置业顾问不在时,其他置业顾问有义务帮助接待并告之经理。
        self.check([
            ("named absent, receiver covers",
             visit(requested_user_id=1, receiver_id=2,
                   present_user_ids=frozenset({2, 3})),
             dict(rule_code="A2", owner_id=1, receiver_id=2, notify_manager=True,
                  open_conflict=False, needs_rotation=False)),
            ("named absent, customer already registered with them",
             visit(requested_user_id=1, receiver_id=3, registrations=(reg(1, 1),),
                   present_user_ids=frozenset({3})),
             dict(rule_code="A2", owner_id=1, receiver_id=3, open_conflict=False)),
            ("named absent but registered with someone else: conflict, not silent",
             visit(requested_user_id=1, receiver_id=3, registrations=(reg(2, 1),),
                   present_user_ids=frozenset({2, 3})),
             dict(rule_code="A2", owner_id=1, open_conflict=True, claimant_ids=(1, 2))),
            ("named consultant present: no A2, the receiver owns a new customer",
             visit(requested_user_id=1, receiver_id=1),
             dict(rule_code="A5", owner_id=1, notify_manager=False)),
        ])
        d = decide_(visit(requested_user_id=1, receiver_id=2,
                          present_user_ids=frozenset({2})))
        self.assertIn("张伟", d.explanation_zh)
        self.assertIn("李娜", d.explanation_zh)
        self.assertIn("经理", d.explanation_zh)

    def test_A03_walk_in_without_claim_goes_to_rotation(self):
        # 3.轮到某个置业顾问接待时其不在,下一个置业顾问接待成交后,算后一个置业顾问的业绩。
        d = decide_(visit())
        self.assertEqual((d.rule_code, d.needs_rotation, d.owner_id, d.receiver_id),
                         ("A3", True, None, None))
        members = [Member(1, 10), Member(2, 20, present=False), Member(3, 30)]
        turn = serve(members, 10, NAMES)
        done = d.resolve_rotation(turn)
        self.assertEqual((done.owner_id, done.receiver_id, done.needs_rotation),
                         (3, 3, False))
        self.assertIn("王芳", done.explanation_zh)
        self.assertEqual(done.rule_code, "A3")
        self.assertFalse(done.open_conflict)

    def test_A03_resolve_function_and_misuse(self):
        d = decide_(visit())
        done = resolve(d, 4, NAMES)
        self.assertEqual(done.owner_id, 4)
        self.assertIn("刘洋", done.explanation_en)
        with self.assertRaises(ValueError):
            resolve(done, 2)

    def test_A04_introduced_customer_original_consultant_absent(self):
        # 4.已签约或登记的客户带/介绍他人到现场并明确找该置业顾问,该顾问不在场,
        #   其他置业顾问热情接待但不能留自己的电话,让客户与事先接待的置业顾问联系。
        old = Referrer(partner_id=200, owner_id=1, first_won_date=dt.date(2026, 5, 1))
        self.check([
            ("named referrer's consultant absent",
             visit("referral", referrers=(old,), requested_user_id=1, receiver_id=2,
                   present_user_ids=frozenset({2, 3})),
             dict(rule_code="A4", owner_id=1, receiver_id=2, show_no_phone_notice=True,
                  open_conflict=False)),
            ("brought in person, consultant absent",
             visit("referral", referrers=(old,), brought_in_person=True, receiver_id=3,
                   present_user_ids=frozenset({3})),
             dict(rule_code="B4", owner_id=1, receiver_id=3,
                  show_no_phone_notice=True, open_conflict=False)),
        ])

    def test_A05_no_record_no_recollection_receiver_owns(self):
        # 5.必须询问客户以前是否来过;客户对顾问没印象,来访表无登记记录,算该置业顾问所有。
        self.check([
            ("clean new customer", visit(receiver_id=2),
             dict(rule_code="A5", owner_id=2, receiver_id=2, open_conflict=False,
                  notify_manager=False)),
            ("recalls someone, no record: manager checks",
             visit(receiver_id=2, customer_recalls_consultant=True),
             dict(rule_code="A5", owner_id=2, notify_manager=True,
                  open_conflict=False)),
            ("recalls and names another consultant: conflict",
             visit(receiver_id=2, customer_recalls_consultant=True,
                   requested_user_id=3),
             dict(rule_code="A5", owner_id=2, open_conflict=True, claimant_ids=(2, 3))),
        ])

    def test_A05_collision_not_asked_is_flagged(self):
        d = decide_(visit(receiver_id=2, registrations=(reg(1, 10),),
                          asked_prior_visit=False))
        self.assertEqual((d.rule_code, d.owner_id, d.open_conflict), ("B6", 1, True))
        self.assertEqual(d.claimant_ids, (1, 2))
        self.assertTrue(d.not_asked_collision)
        asked = decide_(visit(receiver_id=2, registrations=(reg(1, 10),)))
        self.assertFalse(asked.not_asked_collision)

    def test_A06_collision_negotiated_or_ruled(self):
        # 6.撞单首先置业顾问之间协商,结果报经理审核;若无结果,由经理裁决。
        base = dict(registrations=(reg(1, 1), reg(2, 5)), current_owner_id=1,
                    receiver_id=2)
        self.check([
            ("agreed", visit(ruling=Ruling("agreed", 2), **base),
             dict(rule_code="A6", owner_id=2, open_conflict=False)),
            ("ruled", visit(ruling=Ruling("ruled", 1), **base),
             dict(rule_code="A6", owner_id=1, open_conflict=False)),
            ("accepted", visit(ruling=Ruling("accepted", 2), **base),
             dict(rule_code="A6", owner_id=2)),
            ("negotiation: current owner kept, no second conflict",
             visit(ruling=Ruling("negotiation"), **base),
             dict(rule_code="A6", owner_id=1, open_conflict=False, claimant_ids=())),
            ("escalated: current owner kept",
             visit(ruling=Ruling("escalated"), **base),
             dict(rule_code="A6", owner_id=1, open_conflict=False)),
            ("ruling beats staff referral",
             visit("staff_referral", ruling=Ruling("ruled", 3), **base),
             dict(rule_code="A6", owner_id=3, needs_rotation=False)),
        ])

    def test_A06_unknown_ruling_state_rejected(self):
        with self.assertRaises(InvalidFacts):
            decide_(visit(ruling=Ruling("maybe", 1)))

    def test_A07_forfeited_goes_to_company(self):
        # 7.不能协商解决,又不接受调整或裁定的,上报公司,业绩充公。
        d = decide_(visit(ruling=Ruling("forfeited"), current_owner_id=1, receiver_id=2,
                          registrations=(reg(1, 1),)))
        self.assertEqual((d.rule_code, d.owner_id, d.open_conflict),
                         ("A7", None, False))
        self.assertEqual(d.previous_owner_id, 1)
        self.assertIn("公司", d.explanation_zh)

    def test_A08_poaching_does_not_change_the_visit_decision(self):
        # 8.蓄意抢单 -> dismissal is conduct's business (conduct.py); the visit decision
        # only opens the conflict the manager marks as deliberate.
        d = decide_(visit(receiver_id=2, registrations=(reg(1, 10),),
                          customer_recalls_consultant=True))
        self.assertEqual((d.rule_code, d.owner_id, d.open_conflict), ("A1", 1, True))
        self.assertEqual(d.claimant_ids, (1, 2))
        self.assertTrue(d.notify_manager)

    def test_A09_group_buyer_visit_keeps_first_reception(self):
        # 9.团体大客户五套以上多顾问共有;家庭多套同一天集体来访算个人业绩.
        # The shares are splits.py's; the visit side gives one owner per joint visit.
        d = decide_(visit(receiver_id=3))
        self.assertEqual((d.owner_id, d.open_conflict), (3, False))
        family_revisit = decide_(visit(receiver_id=3, registrations=(reg(3, 18),)))
        self.assertEqual((family_revisit.owner_id, family_revisit.rule_code), (3, "B6"))

    def test_A10_registration_sheet_earliest_owner(self):
        # 10.以客户登记表为准;后接触的置业顾问应主动将客户转交最早确认此客户的置业顾问。
        self.check([
            ("two owners on the sheet",
             visit(registrations=(reg(2, 12), reg(1, 3)), receiver_id=2,
                   customer_recalls_consultant=True),
             dict(rule_code="A10", owner_id=1, open_conflict=True,
                  claimant_ids=(1, 2))),
            ("unrecognised within the window: same",
             visit(registrations=(reg(2, 12), reg(1, 3))),
             dict(rule_code="A10", owner_id=1, open_conflict=True,
                  claimant_ids=(1, 2))),
            ("same instant: no pick, current owner kept",
             visit(registrations=(reg(1, 3), reg(2, 3)), current_owner_id=2,
                   customer_recalls_consultant=True),
             dict(rule_code="A10", owner_id=2, open_conflict=True,
                  claimant_ids=(2, 1))),
            ("same instant, no current owner: nobody until the ruling",
             visit(registrations=(reg(1, 3), reg(2, 3)),
                   customer_recalls_consultant=True),
             dict(rule_code="A10", owner_id=None, open_conflict=True,
                  claimant_ids=(1, 2))),
            ("receiver collides with the first registration",
             visit(registrations=(reg(1, 3),), receiver_id=4,
                   customer_recalls_consultant=True),
             dict(rule_code="A1", owner_id=1, open_conflict=True, claimant_ids=(1, 4))),
        ])

    def test_A10_lawful_lapse_restarts_the_sheet(self):
        # first owner 1 lost the customer by B6 on 1 Dec (60 days gap); 2 owns since.
        d = decide_(visit(when=at(10, 12), registrations=(reg(1, 1), reg(2, 1, 12)),
                          current_owner_id=2))
        self.assertEqual((d.rule_code, d.owner_id, d.open_conflict), ("B6", 2, False))

    def test_A11_developer_related_shared_evenly(self):
        # 11.与发展商有关系的客户,开发商书面通知后由销售部负责人平均分配。
        dev = dict(is_developer_related=True,
                   developer_notice_date=dt.date(2026, 10, 1),
                   developer_counts={1: 3, 2: 1, 3: 1, 4: 0})
        self.check([
            ("fewest among present",
             visit(present_user_ids=frozenset({1, 2, 3}), receiver_id=1, **dev),
             dict(rule_code="A11", owner_id=2, receiver_id=1, notify_manager=True,
                  open_conflict=False)),
            ("absent member with fewest not chosen",
             visit(present_user_ids=frozenset({1, 3}), **dev),
             dict(rule_code="A11", owner_id=3)),
            ("beats a requested consultant",
             visit(present_user_ids=frozenset({1, 4}), requested_user_id=1,
                   receiver_id=1, **dev),
             dict(rule_code="A11", owner_id=4)),
            ("later visit keeps the allocation",
             visit(registrations=(reg(3, 5),), present_user_ids=frozenset({4}), **dev),
             dict(rule_code="A11", owner_id=3)),
            ("nobody present: the head allocates",
             visit(present_user_ids=frozenset(), **dev),
             dict(rule_code="A11", owner_id=None, notify_manager=True)),
        ])
        d = decide_(visit(present_user_ids=frozenset({1, 2, 3}), **dev))
        self.assertIn("2026-10-01", d.explanation_zh)
        self.assertIn("李娜 1", d.explanation_zh)

    def test_A11_ties_go_to_lowest_user_id(self):
        d = decide_(visit(is_developer_related=True,
                          developer_notice_date=dt.date(2026, 10, 1),
                          developer_counts={2: 1, 3: 1},
                          present_user_ids=frozenset({3, 2})))
        self.assertEqual(d.owner_id, 2)

    def test_A11_contact_before_notice_is_a_new_customer(self):
        # 在没有得到书面通知前已与业务人员建立联系并成交的,按新客户对待。
        dev = dict(is_developer_related=True,
                   developer_notice_date=dt.date(2026, 10, 10),
                   developer_counts={1: 9, 2: 0})
        self.check([
            ("registered before the notice",
             visit(registrations=(reg(1, 5),), customer_recalls_consultant=True, **dev),
             dict(rule_code="A1", owner_id=1)),
            ("notice dated after the visit",
             visit(when=at(8), receiver_id=1, **dev),
             dict(rule_code="A5", owner_id=1)),
            ("phone follow-up before the notice",
             visit(current_owner_id=1, last_followup_date=dt.date(2026, 10, 5), **dev),
             dict(rule_code="A14", owner_id=1)),
        ])

    def test_A12_complaint_does_not_move_ownership(self):
        # 12.不热情、不礼貌、被投诉,按制度处罚,累计三次除名 -> conduct.py. A visit of a
        # customer who complained still follows the sheet until the manager rules (B5).
        d = decide_(visit(registrations=(reg(1, 10),), receiver_id=1))
        self.assertEqual((d.rule_code, d.owner_id, d.open_conflict), ("B6", 1, False))

    def test_A13_abandoning_a_customer_to_poach_gains_nothing(self):
        # 13.放下正在接待的客户去抢新客户 -> A类过失 in conduct.py; the poacher who is not
        # the rotation's turn collides with the drawn consultant.
        d = decide_(visit(kind="staff_referral", receiver_id=4))
        done = resolve(d, 2, NAMES)
        self.assertEqual((done.owner_id, done.open_conflict, done.claimant_ids),
                         (2, True, (2, 4)))

    def test_A14_phone_only_customer_lapses(self):
        # 14.追访30天内客户从未约至现场,并且来访时未表示哪位置业顾问与之联系过,计为自然客户。
        #    因客户个人特殊原因不能到访,并且来访时明确表示与置业顾问联系过例外。
        phone_only = dict(current_owner_id=1, receiver_id=None)
        self.check([
            ("followed up 10 days ago: kept",
             visit(last_followup_date=dt.date(2026, 10, 10), **phone_only),
             dict(rule_code="A14", owner_id=1, needs_rotation=False)),
            ("exactly 30 days: kept",
             visit(last_followup_date=dt.date(2026, 9, 20), **phone_only),
             dict(rule_code="A14", owner_id=1, needs_rotation=False)),
            ("31 days, names nobody: natural customer",
             visit(last_followup_date=dt.date(2026, 9, 19), **phone_only),
             dict(rule_code="A14", owner_id=None, needs_rotation=True,
                  previous_owner_id=1)),
            ("31 days, names the owner: exception",
             visit(last_followup_date=dt.date(2026, 9, 19), requested_user_id=1,
                   **phone_only),
             dict(rule_code="A14", owner_id=1, needs_rotation=False)),
            ("31 days, recalls the consultant: exception",
             visit(last_followup_date=dt.date(2026, 9, 19),
                   customer_recalls_consultant=True, **phone_only),
             dict(rule_code="A14", owner_id=1)),
            ("no follow-up at all: lapsed",
             visit(**phone_only),
             dict(rule_code="A14", needs_rotation=True)),
        ])

    def test_A14_lapse_resolved_without_conflict(self):
        d = decide_(visit(current_owner_id=1, last_followup_date=dt.date(2026, 8, 1)))
        done = d.resolve_rotation(serve([Member(2, 10), Member(3, 20)], None, NAMES))
        self.assertEqual((done.owner_id, done.open_conflict, done.previous_owner_id),
                         (2, False, 1))
        self.assertIn("80天", done.explanation_zh)
        self.assertIn("李娜", done.explanation_zh)

    def test_A15_contact_relative_visit_records_first_reception(self):
        # 15.个人联系的客户从未到访,家人朋友到访由其他顾问接待并成交,业绩归原顾问,
        #    奖金各50% (splits.py with evidence). The friend's visit itself: the receiver
        #    owns it (a friend is no direct kin), so the split has the right closer.
        friend = KinVisit(300, 1, at(1), "friend")
        d = decide_(visit(receiver_id=2, kin_registrations=(friend,)))
        self.assertEqual((d.rule_code, d.owner_id, d.open_conflict), ("A5", 2, False))


class TestSupplements(OwnershipCase):
    """(二) 客户确认补充."""

    def test_B01_direct_kin_first_reception(self):
        # 1.夫妻关系或父母子女关系,未同时来访,购买同一套房子,以初次接访为确认原则。
        #   审客过程中得知后,立即通知销售主管及原置业顾问。
        wife = KinVisit(301, 1, at(2), "spouse")
        self.check([
            ("husband comes, wife registered with 张伟",
             visit(kin_registrations=(wife,)),
             dict(rule_code="B1", owner_id=1, notify_manager=True, notify_user_ids=(1,),
                  open_conflict=False)),
            ("another receiver found at review: collision, manager and original told",
             visit(kin_registrations=(wife,), receiver_id=2),
             dict(rule_code="B1", owner_id=1, notify_user_ids=(1,), open_conflict=True,
                  claimant_ids=(1, 2))),
            ("parent and child: the first of them",
             visit(kin_registrations=(KinVisit(302, 3, at(9), "child"),
                                      KinVisit(303, 4, at(4), "parent"))),
             dict(rule_code="B1", owner_id=4, notify_user_ids=(4,))),
            ("two kin received at the same instant by two consultants",
             visit(kin_registrations=(KinVisit(302, 3, at(9), "child"),
                                      KinVisit(303, 4, at(9), "parent"))),
             dict(rule_code="B1", owner_id=None, open_conflict=True,
                  claimant_ids=(3, 4))),
        ])
        d = decide_(visit(kin_registrations=(wife,)))
        self.assertIn("配偶", d.explanation_zh)
        self.assertIn("spouse", d.explanation_en)
        self.assertIn("2026-10-02", d.explanation_zh)

    def test_B01_own_visit_after_earlier_kin_tells_original(self):
        # 审客: the customer is on the sheet with 李娜, but the wife came first with 张伟.
        d = decide_(visit(registrations=(reg(2, 5),), customer_recalls_consultant=True,
                          kin_registrations=(KinVisit(301, 1, at(2), "spouse"),)))
        self.assertEqual((d.rule_code, d.owner_id), ("A1", 2))
        self.assertTrue(d.notify_manager)
        self.assertEqual(d.notify_user_ids, (1,))
        self.assertIn("B1", d.explanation_zh)

    def test_B01_makeup_turn_served_first(self):
        # 当日给第二置业顾问补接一组客户: the make-up credit is served first.
        d = decide_(visit())
        turn = serve([Member(1, 10), Member(2, 20, makeup_credits=1)], None, NAMES)
        self.assertEqual((turn.rule_code, turn.user_id), ("B1", 2))
        self.assertEqual(d.resolve_rotation(turn).owner_id, 2)

    def test_B02_non_kin_each_visit_its_own_owner(self):
        # 2.非直系亲属,未同时到访,购买两套房子,业绩分别归各自的置业顾问。
        sibling = KinVisit(304, 1, at(2), "sibling")
        d = decide_(visit(receiver_id=2, kin_registrations=(sibling,)))
        self.assertEqual((d.rule_code, d.owner_id, d.notify_user_ids), ("A5", 2, ()))

    def test_B03a_non_kin_buyer_keeps_own_receiver(self):
        # 3.非直系亲属不同天到访、不同顾问接待、买一套房,归买受人所接待的置业顾问.
        # The buyer's own first reception is what splits.py needs.
        relative = KinVisit(305, 1, at(2), "relative")
        d = decide_(visit(registrations=(reg(3, 6),), customer_recalls_consultant=True,
                          kin_registrations=(relative,)))
        self.assertEqual((d.rule_code, d.owner_id, d.notify_user_ids), ("A1", 3, ()))

    def test_B03b_appointment_honoured_only_when_asked(self):
        # 3.预约来访且之前没有来访纪录,必须是客户主动找联系过的置业顾问,由预约人接待,
        #   反之视为自然来访,按轮接顺序接待。
        self.check([
            ("asks for the appointment user",
             visit("appointment", appointment_user_id=2, requested_user_id=2),
             dict(rule_code="B3b", owner_id=2, receiver_id=2, needs_rotation=False)),
            ("asks for nobody: natural visit",
             visit("appointment", appointment_user_id=2),
             dict(rule_code="B3b", needs_rotation=True, owner_id=None)),
            ("asks for someone else: natural visit",
             visit("appointment", appointment_user_id=2, requested_user_id=3),
             dict(rule_code="B3b", needs_rotation=True)),
            ("appointment user absent: another covers",
             visit("appointment", appointment_user_id=2, requested_user_id=2,
                   receiver_id=3, present_user_ids=frozenset({3})),
             dict(rule_code="B3b", owner_id=2, receiver_id=3, open_conflict=False,
                  notify_manager=True)),
            ("returning customer: registration rules",
             visit("appointment", appointment_user_id=2, requested_user_id=2,
                   registrations=(reg(1, 10),)),
             dict(rule_code="B6", owner_id=1)),
        ])

    def test_B03b_natural_visit_ends_phone_claim_without_conflict(self):
        d = decide_(visit("appointment", appointment_user_id=2, current_owner_id=2,
                          last_followup_date=dt.date(2026, 10, 15)))
        done = resolve(d, 4, NAMES)
        self.assertEqual((done.owner_id, done.open_conflict), (4, False))

    def test_B04_referral_brought_or_named(self):
        # 4.老客户亲自带新客户,或新客户提出指定置业顾问并说明是老带新,不管原置业顾问是否在
        #   现场,客户归属为原置业顾问。新客户自行前往,始终未提及找哪位置业顾问,归当值置业顾问。
        old = Referrer(200, 1, dt.date(2026, 3, 1))
        self.check([
            ("brought in person, consultant present",
             visit("referral", referrers=(old,), brought_in_person=True),
             dict(rule_code="B4", owner_id=1, receiver_id=1)),
            ("named, present, another received: collision",
             visit("referral", referrers=(old,), requested_user_id=1, receiver_id=2),
             dict(rule_code="B4", owner_id=1, open_conflict=True, claimant_ids=(1, 2))),
            ("came alone naming nobody: on duty",
             visit("referral", referrers=(old,)),
             dict(rule_code="B4", needs_rotation=True, owner_id=None)),
            ("referrer without owner gives no claim",
             visit("referral", referrers=(Referrer(201, None),), brought_in_person=True,
                   receiver_id=3),
             dict(rule_code="A5", owner_id=3)),
            ("came alone but already registered: the sheet decides",
             visit("referral", referrers=(old,), registrations=(reg(3, 12),)),
             dict(rule_code="B6", owner_id=3)),
            ("referral beats a named absent consultant",
             visit("referral", referrers=(old,), brought_in_person=True,
                   requested_user_id=4, present_user_ids=frozenset({1, 2})),
             dict(rule_code="B4", owner_id=1)),
        ])

    def test_B05_preference_alone_does_not_choose(self):
        # 5.客户投诉换顾问,奖金20%/80% (splits.py); 客户无权因外貌选择置业顾问,
        #   以第一接访人为最终原则: asking for a present consultant changes nothing.
        d = decide_(visit(registrations=(reg(1, 15),), requested_user_id=3,
                          receiver_id=3))
        self.assertEqual((d.rule_code, d.owner_id, d.open_conflict), ("B6", 1, True))
        reassigned = decide_(visit(registrations=(reg(1, 15),), current_owner_id=3,
                                   ruling=Ruling("ruled", 3), receiver_id=3))
        self.assertEqual((reassigned.rule_code, reassigned.owner_id), ("A6", 3))

    def test_B06_unrecognised_revisit_window(self):
        # 6.置业顾问与客户都未认出彼此,二次来访相隔在30日内,以第一接访人为确认原则,
        #   归原置业顾问,超过30天归当值置业顾问。
        self.check([
            ("19 days", visit(registrations=(reg(1, 1),)),
             dict(rule_code="B6", owner_id=1, needs_rotation=False)),
            ("30 days", visit(when=at(31), registrations=(reg(1, 1),)),
             dict(rule_code="B6", owner_id=1, needs_rotation=False)),
            ("31 days", visit(when=at(1, 11), registrations=(reg(1, 1),)),
             dict(rule_code="B6", owner_id=None, needs_rotation=True,
                  previous_owner_id=1)),
            ("counted from the last visit",
             visit(when=at(20, 11), registrations=(reg(1, 1), reg(1, 25))),
             dict(rule_code="B6", owner_id=1)),
        ])
        d = decide_(visit(when=at(1, 11), registrations=(reg(1, 1),)))
        self.assertIn("31天", d.explanation_zh)
        self.assertIn("31 days", d.explanation_en)
        done = resolve(d, 5, NAMES)
        self.assertEqual((done.owner_id, done.previous_owner_id, done.open_conflict),
                         (5, 1, False))
        self.assertIn("陈静", done.explanation_zh)

    def test_B06_setting_changes_the_window(self):
        d = decide_(visit(registrations=(reg(1, 1),)), Settings(protection_days=15))
        self.assertTrue(d.needs_rotation)

    def test_B07_staff_referral_on_duty_request_ignored(self):
        # 7.发展商员工及非销售人员介绍来的客户,以到达售楼处的时间为准,确认为当时值班
        #   置业顾问的客户;原则上不准指定置业顾问。
        self.check([
            ("plain", visit("staff_referral"),
             dict(rule_code="B7", needs_rotation=True, ignored_request=False)),
            ("requested consultant ignored",
             visit("staff_referral", requested_user_id=1, receiver_id=None),
             dict(rule_code="B7", needs_rotation=True, ignored_request=True)),
            ("beats developer allocation",
             visit("staff_referral", is_developer_related=True,
                   developer_notice_date=dt.date(2026, 1, 1)),
             dict(rule_code="B7", needs_rotation=True)),
        ])
        d = decide_(visit("staff_referral", requested_user_id=1))
        self.assertIn("张伟", d.explanation_zh)
        self.assertIn("不予考虑", d.explanation_zh)
        self.assertIn("ignored", d.explanation_en)

    def test_B08_two_referrers_earlier_deal_wins(self):
        # 8.两组老客户带一组新客户,分别是两组置业顾问的客户,以老客户成交日期先后确认。
        a = Referrer(200, 1, dt.date(2026, 6, 1))
        b = Referrer(201, 2, dt.date(2026, 3, 1))
        self.check([
            ("earlier deal wins",
             visit("referral", referrers=(a, b), brought_in_person=True),
             dict(rule_code="B8", owner_id=2, open_conflict=False)),
            ("a deal beats no deal",
             visit("referral", referrers=(Referrer(201, 2), a), brought_in_person=True),
             dict(rule_code="B8", owner_id=1)),
            ("same date: conflict",
             visit("referral", referrers=(a, Referrer(201, 2, dt.date(2026, 6, 1))),
                   brought_in_person=True),
             dict(rule_code="B8", owner_id=None, open_conflict=True,
                  claimant_ids=(1, 2))),
            ("no deal at all: conflict",
             visit("referral", referrers=(Referrer(200, 1), Referrer(201, 2)),
                   brought_in_person=True),
             dict(rule_code="B8", open_conflict=True, claimant_ids=(1, 2))),
            ("winner absent: covering, no-phone notice",
             visit("referral", referrers=(a, b), brought_in_person=True, receiver_id=1,
                   present_user_ids=frozenset({1})),
             dict(rule_code="B8", owner_id=2, receiver_id=1, open_conflict=False,
                  show_no_phone_notice=True)),
            ("two referrers of one consultant: B4",
             visit("referral", referrers=(a, Referrer(202, 1)), brought_in_person=True),
             dict(rule_code="B4", owner_id=1)),
        ])
        d = decide_(visit("referral", referrers=(a, b), brought_in_person=True))
        self.assertIn("2026-03-01", d.explanation_zh)
        self.assertIn("2026-06-01", d.explanation_en)


class TestInputs(unittest.TestCase):

    def test_unknown_kind_rejected(self):
        with self.assertRaises(InvalidFacts) as caught:
            decide_(visit("phone_call"))
        self.assertTrue(caught.exception.message_zh)

    def test_missing_visit_time_uses_now(self):
        facts = VisitFacts("walk_in", None, receiver_id=1, names=NAMES)
        d = decide(facts, SETTINGS, NOW)
        self.assertIn("A5", d.explanation_zh)

    def test_names_fall_back_to_id(self):
        d = decide_(VisitFacts("walk_in", at(20), receiver_id=9))
        self.assertIn("#9", d.explanation_zh)
        self.assertIn("#9", d.explanation_en)

    def test_defaults_for_settings_and_facts(self):
        d = decide(VisitFacts("walk_in", at(20)), now=NOW)
        self.assertEqual(d.rule_code, "A3")


if __name__ == "__main__":
    unittest.main()

    def test_A10_registrations_at_the_same_minute_in_any_order(self):
        """Two registrations of one customer at the same minute, one without owner:
        the sheet's order must not change the outcome (found by hypothesis)."""
        regs = (Registration(partner_id=100, owner_id=None, visit_datetime=at(1)),
                Registration(partner_id=100, owner_id=None, visit_datetime=at(31, 8)),
                Registration(partner_id=100, owner_id=1, visit_datetime=at(31, 8)))
        outcomes = {
            (d.rule_code, d.owner_id) for d in (
                decide_(VisitFacts("walk_in", at(2), registrations=order))
                for order in (regs, tuple(reversed(regs)), regs[1:] + regs[:1]))}
        self.assertEqual(len(outcomes), 1, outcomes)
