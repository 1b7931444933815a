"""Turn order at the reception desk (A3, with the B1 make-up turn)."""
import unittest

from attribution.rotation import DuplicateSequence, Member, NoReceiver, Turn, serve

NAMES = {1: "张伟", 2: "李娜", 3: "王芳", 4: "刘洋", 5: "陈静"}


def desk(absent=(), makeup=None, users=(1, 2, 3, 4)):
    """Members 1..4 on sequences 10, 20, 30, 40."""
    makeup = makeup or {}
    return [Member(u, u * 10, present=u not in absent, makeup_credits=makeup.get(u, 0))
            for u in users]


def run(members, pointer, count):
    """Serve ``count`` turns; pointer and make-up credits move as the caller does."""
    served = []
    for _ in range(count):
        turn = serve(members, pointer, NAMES)
        if turn.used_makeup:
            for member in members:
                if member.user_id == turn.user_id:
                    member.makeup_credits -= 1
        pointer = turn.new_last_sequence
        served.append(turn.user_id)
    return served, pointer


class TestRotationTable(unittest.TestCase):

    def test_A03_table(self):
        rows = [
            # members, pointer, expected user, new pointer, skipped, code
            (desk(), None, 1, 10, (), "A3"),
            (desk(), 10, 2, 20, (), "A3"),
            (desk(), 40, 1, 10, (), "A3"),                  # wraps round
            (desk(absent=(2,)), 10, 3, 30, (2,), "A3"),     # absent loses the turn
            (desk(absent=(2, 3)), 10, 4, 40, (2, 3), "A3"),
            (desk(absent=(4, 1)), 30, 2, 20, (4, 1), "A3"),  # skipped across the wrap
            (desk(makeup={3: 1}), 10, 3, 10, (), "B1"),     # make-up: pointer stays
            (desk(makeup={1: 1, 4: 1}), 20, 4, 20, (), "B1"),  # first after the pointer
            # absent: no make-up turn
            (desk(absent=(3,), makeup={3: 1}), 10, 2, 20, (), "A3"),
            (desk(), 25, 3, 30, (), "A3"),  # pointer of a removed member
            (desk(), 99, 1, 10, (), "A3"),
        ]
        for members, pointer, user, new_pointer, skipped, code in rows:
            with self.subTest(pointer=pointer, members=members):
                turn = serve(members, pointer, NAMES)
                self.assertIsInstance(turn, Turn)
                self.assertEqual(turn.user_id, user)
                self.assertEqual(turn.new_last_sequence, new_pointer)
                self.assertEqual(turn.skipped_user_ids, skipped)
                self.assertEqual(turn.rule_code, code)
                self.assertEqual(turn.used_makeup, code == "B1")
                self.assertTrue(turn.explanation_zh.startswith(code + ":"))
                self.assertTrue(turn.explanation_en.startswith(code + ": "))

    def test_A03_full_round_serves_each_once_in_order(self):
        served, pointer = run(desk(), None, 8)
        self.assertEqual(served, [1, 2, 3, 4, 1, 2, 3, 4])
        self.assertEqual(pointer, 40)

    def test_A03_absent_member_skipped_and_not_favoured_when_back(self):
        members = desk(absent=(2,))
        served, pointer = run(members, None, 3)
        self.assertEqual(served, [1, 3, 4])
        members[1].present = True  # 李娜 is back: no backlog, she waits for her turn
        served, pointer = run(members, pointer, 5)
        self.assertEqual(served, [1, 2, 3, 4, 1])

    def test_A03_explanation_names_the_absent(self):
        turn = serve(desk(absent=(2,)), 10, NAMES)
        self.assertEqual(turn.explanation_zh,
                         "A3:轮接从序号10之后开始,李娜不在岗失去本轮,由王芳(序号30)接待。")
        self.assertIn("李娜 absent and lose this turn", turn.explanation_en)

    def test_B01_makeup_turn_first_and_pointer_kept(self):
        members = desk(makeup={4: 1})
        served, pointer = run(members, 10, 4)
        # the make-up turn is extra: 2, 3 keep their turns in order
        self.assertEqual(served, [4, 2, 3, 4])
        self.assertEqual(pointer, 40)
        self.assertEqual(members[3].makeup_credits, 0)

    def test_A03_member_added_mid_round(self):
        members = desk()
        served, pointer = run(members, None, 2)          # 1, 2 served
        members.append(Member(5, 25))                    # joins between 2 and 3
        served, pointer = run(members, pointer, 5)
        self.assertEqual(served, [5, 3, 4, 1, 2])
        members.append(Member(6, 5))                     # joins before the pointer
        served, _pointer = run(members, pointer, 2)
        self.assertEqual(served, [5, 3])                 # served next round only

    def test_A03_member_removed_mid_round(self):
        members = desk()
        served, pointer = run(members, None, 2)          # 1, 2 served, pointer 20
        members = [m for m in members if m.user_id != 2]  # the one just served leaves
        served, pointer = run(members, pointer, 4)
        self.assertEqual(served, [3, 4, 1, 3])
        members = [m for m in members if m.user_id != 4]  # next in line leaves
        served, _pointer = run(members, pointer, 2)
        self.assertEqual(served, [1, 3])

    def test_A03_all_absent_raises(self):
        for members in (desk(absent=(1, 2, 3, 4)), []):
            with self.subTest(members=members):
                with self.assertRaises(NoReceiver) as caught:
                    serve(members, 10)
                self.assertIsInstance(caught.exception, ValueError)
                self.assertIn("没有在岗", caught.exception.message_zh)
                self.assertIn("present", caught.exception.message_en)

    def test_A03_all_absent_with_makeup_still_raises(self):
        with self.assertRaises(NoReceiver):
            serve(desk(absent=(1, 2, 3, 4), makeup={1: 2}), None)

    def test_A03_duplicate_sequence_refused(self):
        with self.assertRaises(DuplicateSequence) as caught:
            serve([Member(1, 10), Member(2, 10)], None)
        self.assertIn("10", caught.exception.message_zh)

    def test_A03_unnamed_members_fall_back_to_id(self):
        turn = serve([Member(7, 10)], None)
        self.assertIn("#7", turn.explanation_zh)


if __name__ == "__main__":
    unittest.main()


class TestRotationQueue(unittest.TestCase):
    """The dashboard's view of the desk: who is next, without serving anyone."""

    def test_A03_queue_starts_after_pointer_and_skips_absent(self):
        from attribution.rotation import queue
        self.assertEqual(queue(desk(absent=(3,)), 20), [4, 1, 2])
        self.assertEqual(queue(desk(), None), [1, 2, 3, 4])

    def test_B01_queue_serves_makeup_first(self):
        from attribution.rotation import queue
        self.assertEqual(queue(desk(makeup={4: 1}), 10), [4, 2, 3, 1])

    def test_A03_queue_first_is_the_next_receiver(self):
        from attribution.rotation import queue
        for pointer in (None, 10, 20, 30, 40):
            for absent in ((), (1,), (2, 3), (1, 2, 3)):
                members = desk(absent=absent, makeup={2: 1} if 2 not in absent else {})
                self.assertEqual(queue(members, pointer)[0],
                                 serve(members, pointer).user_id)

    def test_A03_queue_empty_when_nobody_present(self):
        from attribution.rotation import queue
        self.assertEqual(queue(desk(absent=(1, 2, 3, 4)), 10), [])

    def test_A03_queue_does_not_touch_the_members(self):
        from attribution.rotation import queue
        members = desk(makeup={3: 2})
        queue(members, 10)
        self.assertEqual(members[2].makeup_credits, 2)
