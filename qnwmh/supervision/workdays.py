"""Working-day arithmetic for complaint deadlines: weekends and holidays are skipped, make-up
working days (调休) count even on a weekend. Pure functions plus one loader."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Calendar:
    holidays: frozenset[datetime.date] = field(default_factory=frozenset)
    workdays: frozenset[datetime.date] = field(default_factory=frozenset)

    def is_working_day(self, day: datetime.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def add_working_days(self, start: datetime.date, n: int) -> datetime.date:
        """The n-th working day after ``start`` (``start`` itself not counted); n = 0 gives
        ``start``. A complaint received on Friday with n = 3 is due on Wednesday."""
        if n < 0:
            raise ValueError("n must be >= 0")
        day = start
        left = n
        while left:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        return day

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days in (start, end]."""
        count = 0
        day = start
        while day < end:
            day += datetime.timedelta(days=1)
            count += self.is_working_day(day)
        return count


def make_calendar(rows: Iterable[tuple[datetime.date, bool]]) -> Calendar:
    holidays: set[datetime.date] = set()
    workdays: set[datetime.date] = set()
    for day, is_workday in rows:
        (workdays if is_workday else holidays).add(day)
    return Calendar(frozenset(holidays), frozenset(workdays))


def current_calendar() -> Calendar:
    from qnwmh.supervision.models import Holiday

    return make_calendar(Holiday.objects.filter(active=True).values_list("date", "is_workday"))
