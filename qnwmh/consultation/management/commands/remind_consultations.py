"""Remind the bodies that have not replied to an open consultation whose deadline is near
(default: within 3 days), at most once a day. Run it daily."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand

from qnwmh.consultation.services import remind_due
from qnwmh.core.actor import system_actor


class Command(BaseCommand):
    help = "Remind bodies that have not replied to consultations closing soon."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--within-days", type=int, default=3)

    def handle(self, *args: Any, within_days: int, **options: Any) -> None:
        n = remind_due(system_actor(), within=datetime.timedelta(days=within_days))
        self.stdout.write(f"reminded {n} bodies")
