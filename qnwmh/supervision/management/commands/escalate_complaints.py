from __future__ import annotations

import datetime
import time
from typing import Any

from django.core.management.base import BaseCommand

from qnwmh.core.actor import system_actor
from qnwmh.supervision import ratelimit
from qnwmh.supervision.services import escalate_overdue


class Command(BaseCommand):
    help = "Escalate overdue complaints to city admins (run daily from cron)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="treat this date (YYYY-MM-DD) as today",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["today"]
        if isinstance(today, str):
            today = datetime.date.fromisoformat(today)
        done = escalate_overdue(system_actor(), today=today)
        # Housekeeping: rate-limit counters of windows that ended more than a day ago.
        purged = ratelimit.purge_before(time.time() - 24 * 3600)
        self.stdout.write(f"escalated {len(done)} complaint(s); purged {purged} rate counter(s)")
