"""Cron-able: remind managing bodies with unreviewed registrations N days before close."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from qnwmh.core.actor import system_actor
from qnwmh.cycles.services import send_review_reminders


class Command(BaseCommand):
    help = "Remind bodies with unreviewed registrations when registration closes within --days."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--days", type=int, default=7)

    def handle(self, *args: Any, **options: Any) -> None:
        n = send_review_reminders(system_actor(), days=options["days"])
        self.stdout.write(f"reminded {n} bodies")
