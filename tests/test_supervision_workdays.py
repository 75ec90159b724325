"""Working-day arithmetic for complaint deadlines (weekends, holidays, make-up days, year ends)."""

from __future__ import annotations

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from qnwmh.supervision.workdays import Calendar, make_calendar

days = st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2035, 12, 31))
calendars = st.builds(
    lambda hs, ws: make_calendar([(d, False) for d in hs] + [(d, True) for d in ws if d not in hs]),
    st.sets(days, max_size=40), st.sets(days, max_size=10),
)


@settings(max_examples=300, deadline=None)
@given(cal=calendars, start=days, n=st.integers(min_value=0, max_value=40))
def test_due_date_is_exactly_n_working_days_later(cal: Calendar, start, n):
    due = cal.add_working_days(start, n)
    assert cal.working_days_between(start, due) == n
    if n:
        assert due > start
        assert cal.is_working_day(due)  # the deadline never lands on a day off
    else:
        assert due == start


@settings(max_examples=200, deadline=None)
@given(cal=calendars, start=days, n=st.integers(min_value=0, max_value=30))
def test_monotonic_in_n_and_start(cal: Calendar, start, n):
    assert cal.add_working_days(start, n) <= cal.add_working_days(start, n + 1)
    assert cal.add_working_days(start, n) <= cal.add_working_days(start + datetime.timedelta(days=1), n)


@settings(max_examples=200, deadline=None)
@given(start=days, n=st.integers(min_value=1, max_value=60))
def test_plain_weeks_without_holidays(start, n):
    cal = Calendar()
    due = cal.add_working_days(start, n)
    assert due.weekday() < 5
    # Five working days are always exactly one calendar week.
    assert cal.add_working_days(start, n + 5) == due + datetime.timedelta(days=7)


@settings(max_examples=100, deadline=None)
@given(year=st.integers(min_value=2020, max_value=2034), n=st.integers(min_value=1, max_value=15))
def test_across_year_end_with_new_year_holiday(year, n):
    cal = make_calendar([(datetime.date(year + 1, 1, 1), False)])
    start = datetime.date(year, 12, 28)
    due = cal.add_working_days(start, n)
    assert due != datetime.date(year + 1, 1, 1)
    assert cal.working_days_between(start, due) == n


def test_known_examples():
    friday = datetime.date(2026, 11, 27)
    assert Calendar().add_working_days(friday, 3) == datetime.date(2026, 12, 2)  # Wed
    national = make_calendar([(datetime.date(2026, 10, d), False) for d in range(1, 8)]
                             + [(datetime.date(2026, 10, 10), True)])  # Saturday make-up day
    # Received Wednesday 30 Sept: Oct 1–7 off, Fri 9 and Sat 10 (make-up) count.
    assert national.add_working_days(datetime.date(2026, 9, 30), 1) == datetime.date(2026, 10, 8)
    assert national.add_working_days(datetime.date(2026, 9, 30), 3) == datetime.date(2026, 10, 10)
