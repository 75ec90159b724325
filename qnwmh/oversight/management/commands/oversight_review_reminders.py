"""Cron-able: ``manage.py oversight_review_reminders`` (daily). See
``qnwmh.oversight.services.review_reminders``."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from qnwmh.oversight.services.review_reminders import remind


class Command(BaseCommand):
    help = (
        "Remind managers of re-review self-reports due within 3 days or overdue, bodies of "
        "cases to assess and the city of cases to decide (once a day; a second run sends "
        "nothing more)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=datetime.date.fromisoformat, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        sent = remind(today=options["date"])
        self.stdout.write(
            f"{sent.managers} manager(s), {sent.bodies} body admin(s), {sent.city} city admin(s)"
        )
