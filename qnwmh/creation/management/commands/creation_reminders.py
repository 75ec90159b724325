"""Cron-able: ``manage.py creation_reminders`` (daily). See qnwmh.creation.reminders."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date

from qnwmh.creation.reminders import send_reminders


class Command(BaseCommand):
    help = "Remind collectives of missing open weeks and bodies of missing required activities."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--today", help="run as if today were YYYY-MM-DD")
        parser.add_argument("--dry-run", action="store_true", help="count, send nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["today"]:
            parsed = parse_date(options["today"])
            if parsed is None:
                raise CommandError("--today must be YYYY-MM-DD")
            today = parsed
        outcome = send_reminders(today, dry_run=options["dry_run"])
        self.stdout.write(
            f"open-week reminders: {outcome.open_week}; "
            f"required-activity reminders: {outcome.required}"
        )
