"""Dates of the event messages in the office's time zone: calendar days, the seed's
way of writing an event's dates, the countdown.

All inputs are naive UTC datetimes (Odoo's storage); ``tz`` is the office's zone (an
IANA name, default ``terms.DEFAULT_TIMEZONE``), daylight saving included. No Odoo
import.

>>> import datetime as dt
>>> local_date(dt.datetime(2024, 6, 8, 17, 0))
datetime.date(2024, 6, 9)
>>> date_range_text(dt.datetime(2024, 6, 9, 1), dt.datetime(2024, 6, 10, 9))
'9-10号'
>>> full_date(dt.datetime(2024, 6, 9, 1))
'2024年6月9日'
>>> full_date(dt.datetime(2024, 6, 9, 1), lang="en_US")
'9 June 2024'
"""
import datetime as _dt

from .terms import office_date, utc_from_office

MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")


def month_en(day):
    """English month name of ``day`` (not strftime("%B"): that follows the locale)."""
    return MONTHS_EN[day.month - 1]


def local_date(when, tz=None):
    """The office's calendar date (zone ``tz``, default Beijing) of the naive UTC
    ``when``.

    >>> local_date(_dt.datetime(2024, 6, 8, 17, 0), "Europe/London")
    datetime.date(2024, 6, 8)
    """
    return office_date(when, tz)


def utc_at(day, hour, tz):
    """Naive UTC of ``hour`` o'clock office time (zone ``tz``) on the date ``day``."""
    return utc_from_office(_dt.datetime.combine(day, _dt.time(hour)), tz)


def countdown_days(event_start, now, tz=None):
    """Calendar days from local today to the local start date ("距...只有2天")."""
    return (local_date(event_start, tz) - local_date(now, tz)).days


def date_range_text(date_begin, date_end, tz=None, lang="zh_CN"):
    """Local dates of the event as the seed writes them: ``"9-10号"``, ``"9号"``,
    ``"5月31号-6月1号"``; English ``"9-10 May"``, ``"31 May - 1 June"``."""
    first = local_date(date_begin, tz)
    last = local_date(date_end or date_begin, tz)
    if not lang.startswith("zh"):
        if first == last:
            return "%d %s" % (first.day, month_en(first))
        if (first.year, first.month) == (last.year, last.month):
            return "%d-%d %s" % (first.day, last.day, month_en(first))
        return "%d %s - %d %s" % (first.day, month_en(first), last.day,
                                  month_en(last))
    if first == last:
        return "%d号" % first.day
    if (first.year, first.month) == (last.year, last.month):
        return "%d-%d号" % (first.day, last.day)
    return "%d月%d号-%d月%d号" % (first.month, first.day, last.month, last.day)


def full_date(when, tz=None, lang="zh_CN"):
    """The local date of ``when`` in full: ``"2024年6月9日"``, ``"9 June 2024"``."""
    day = local_date(when, tz)
    if lang.startswith("zh"):
        return "%d年%d月%d日" % (day.year, day.month, day.day)
    return "%d %s %d" % (day.day, month_en(day), day.year)
