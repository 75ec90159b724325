"""Recompute every collective's cached eligibility. Ages move every day, so run it nightly
(cron: `0 2 * * * manage.py refresh_eligibility`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from qnwmh.collectives.services import eligibility_refresh_all


class Command(BaseCommand):
    help = "Recompute the cached eligibility of every collective."

    def handle(self, *args: Any, **options: Any) -> None:
        done = eligibility_refresh_all()
        self.stdout.write(f"eligibility refreshed for {done} collectives")
