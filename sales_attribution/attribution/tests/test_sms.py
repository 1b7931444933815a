"""SMS policy (S1 quiet hours, S2 opt-out, templates, segments): tables of facts and
properties of "when may this go", ``now`` always a parameter."""
import datetime
import unittest
from collections import OrderedDict

from hypothesis import given, strategies as st

from attribution import sms
from attribution.sms import QuietHours, release_time, send_decision
from attribution.terms import BilingualError, office_datetime

dt = datetime.datetime
BEIJING = QuietHours(21, 8, "Asia/Shanghai")

ZONES = ("Asia/Shanghai", "Europe/London", "America/New_York", "Asia/Kolkata",
         "Australia/Adelaide", "UTC")
instants = st.datetimes(min_value=dt(2020, 1, 1), max_value=dt(2035, 12, 31))
hours = st.integers(0, 23 * 4 + 3).map(lambda q: q / 4.0)
quiets = st.builds(QuietHours, hours, hours, st.sampled_from(ZONES))


def local_minute(when, tz):
    local = office_datetime(when, tz)
    return local.hour * 60 + local.minute


class TestQuietHoursTable(unittest.TestCase):
    """S1 in Beijing: (UTC now, expected action, expected UTC release)."""

    TABLE = [
        (dt(2026, 5, 7, 0, 0), "send", dt(2026, 5, 7, 0, 0)),     # 08:00 sharp
        (dt(2026, 5, 6, 23, 59), "hold", dt(2026, 5, 7, 0, 0)),   # 07:59
        (dt(2026, 5, 7, 12, 59), "send", dt(2026, 5, 7, 12, 59)),  # 20:59
        (dt(2026, 5, 7, 13, 0), "hold", dt(2026, 5, 8, 0, 0)),    # 21:00 sharp
        (dt(2026, 5, 7, 15, 59), "hold", dt(2026, 5, 8, 0, 0)),   # 23:59
        (dt(2026, 5, 7, 16, 0), "hold", dt(2026, 5, 8, 0, 0)),    # 00:00
    ]

    def test_S1_beijing_table(self):
        for now, action, at in self.TABLE:
            decision = send_decision(None, now, BEIJING)
            self.assertEqual((decision.action, decision.at), (action, at), now)
            if action == "hold":
                self.assertEqual(decision.code, "S1")
                self.assertIn("08:00", decision.message("zh_CN"))
                self.assertIn("Quiet hours", decision.message("en_US"))

    def test_S1_same_rule_in_another_zone(self):
        # 13:00 UTC is 21:00 in Beijing but 14:00 in London: London sends
        london = QuietHours(21, 8, "Europe/London")
        self.assertEqual(send_decision(None, dt(2026, 5, 7, 13, 0), london).action,
                         "send")
        self.assertEqual(send_decision(None, dt(2026, 5, 7, 20, 0), london).at,
                         dt(2026, 5, 8, 7, 0))  # 08:00 BST

    def test_S1_daytime_quiet_hours(self):
        lunch = QuietHours(12, 13.5, "Asia/Shanghai")
        self.assertEqual(release_time(dt(2026, 5, 7, 4, 10), lunch),
                         dt(2026, 5, 7, 5, 30))

    def test_S2_opt_out_skips_sms_only(self):
        now = dt(2026, 5, 7, 2, 0)
        self.assertEqual(send_decision(None, now, BEIJING, opted_out=True).action,
                         "skip")
        self.assertEqual(send_decision(None, now, BEIJING, opted_out=True,
                                       sms=False).action, "send")

    def test_quiet_hours_bounds(self):
        with self.assertRaises(BilingualError):
            sms.check_quiet_hours(21, 24)
        with self.assertRaises(BilingualError):
            sms.check_quiet_hours(-1, 8)


class TestQuietHoursProperties(unittest.TestCase):

    @given(instants, quiets)
    def test_release_is_never_quiet_and_never_early(self, now, quiet):
        release = release_time(now, quiet)
        self.assertGreaterEqual(release, now)
        self.assertFalse(sms.in_quiet_hours(release, quiet))

    @given(instants, quiets)
    def test_release_is_the_first_free_minute(self, now, quiet):
        release = release_time(now, quiet)
        if release > now:
            # held: released exactly at the end of the quiet hours, office time,
            # and not more than a day later
            end = int(round(quiet.end * 60)) % 1440
            self.assertEqual(local_minute(release, quiet.tz), end)
            self.assertLessEqual(release - now, datetime.timedelta(hours=25))
            # the minute before the release is still quiet (not held too long)
            self.assertTrue(sms.in_quiet_hours(
                release - datetime.timedelta(minutes=1), quiet))

    @given(instants, instants, quiets, st.booleans())
    def test_decision_never_sends_in_quiet_hours(self, due, now, quiet, opted_out):
        decision = send_decision(due, now, quiet, opted_out=opted_out)
        if opted_out:
            self.assertEqual((decision.action, decision.code), ("skip", "S2"))
            return
        self.assertGreaterEqual(decision.at, max(due, now))
        self.assertFalse(sms.in_quiet_hours(decision.at, quiet))
        self.assertEqual(decision.action == "send", decision.at == max(due, now))

    @given(instants, st.sampled_from(ZONES))
    def test_beijing_rule_in_any_zone(self, now, tz):
        quiet = QuietHours(21, 8, tz)
        minute = local_minute(now, tz)
        self.assertEqual(sms.in_quiet_hours(now, quiet),
                         minute >= 21 * 60 or minute < 8 * 60)


class TestSegments(unittest.TestCase):

    @given(st.text(max_size=700))
    def test_segments_hold_the_text(self, text):
        n = sms.segment_count(text)
        if not text:
            self.assertEqual(n, 0)
        elif len(text) <= 70:
            self.assertEqual(n, 1)
        else:
            # enough parts of 67, and one fewer would not do
            self.assertGreaterEqual(n * 67, len(text))
            self.assertLess((n - 1) * 67, len(text))


class TestOptOutReplies(unittest.TestCase):
    YES = ["退订", "TD", "td", "T", "t", "N", "n", " TD ", "回复TD", "我要退订短信", "TD。",
           "N!", "ok T",
           # full-width letters of a Chinese keyboard, spaces inside the word
           "ＴＤ", "ｔｄ", "Ｎ", "退 订", "退　订", "T D"]
    NO = ["", "好的", "收到", "Thanks", "Not now", "TDD", "NT", "Yes", "明天见"]

    def test_S2_reply_table(self):
        for text in self.YES:
            self.assertTrue(sms.is_opt_out_reply(text), text)
        for text in self.NO:
            self.assertFalse(sms.is_opt_out_reply(text), text)

    @given(st.text(alphabet="好的收到明天见谢谢 ,.", max_size=20),
           st.sampled_from(["退订", " TD ", "T", " n "]))
    def test_S2_keyword_anywhere_among_chinese(self, text, word):
        self.assertTrue(sms.is_opt_out_reply(text + word + text))


class TestTemplates(unittest.TestCase):

    def test_param_map_order_and_errors(self):
        self.assertEqual(sms.parse_param_map("b=event\na=salutation"),
                         [("b", "event"), ("a", "salutation")])
        for bad in ("name", "=event", "a=event\na=date", "a=password"):
            with self.assertRaises(BilingualError, msg=bad):
                sms.parse_param_map(bad)

    def test_fill_and_render(self):
        facts = sms.message_facts({
            "salutation": "王总", "event": "春季论坛", "tz": "Asia/Shanghai",
            "date_begin": dt(2026, 5, 8, 16, 30), "now": dt(2026, 5, 6, 2, 0),
            "consultant": "陈卫", "company": "某某置业"})
        # 00:30 Beijing on 9 May: the local day, not the UTC one
        self.assertEqual((facts["date"], facts["time"], facts["countdown"]),
                         ("5月9日", "00:30", "3"))
        params = sms.fill_params(sms.parse_param_map(
            "name=salutation\nevent=event\ndate=date"), facts)
        self.assertEqual(params, OrderedDict(
            [("name", "王总"), ("event", "春季论坛"), ("date", "5月9日")]))
        self.assertEqual(sms.render_template("${name}您好,${event}于${date}举行", params),
                         "王总您好,春季论坛于5月9日举行")
        self.assertEqual(sms.render_template("{1}您好,{2}于{3}举行", params),
                         "王总您好,春季论坛于5月9日举行")
        with self.assertRaises(BilingualError):
            sms.fill_params([("gift", "gift")], facts)
