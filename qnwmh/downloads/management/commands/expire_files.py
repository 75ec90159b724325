"""Remove generated files older than GENERATED_FILE_DAYS (run daily from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from qnwmh.core.actor import system_actor
from qnwmh.downloads import jobs


class Command(BaseCommand):
    help = "Remove generated files (large exports, PDFs) kept past GENERATED_FILE_DAYS days."

    def handle(self, *args: Any, **options: Any) -> None:
        count = jobs.expire(system_actor())
        if options["verbosity"]:
            self.stdout.write(f"{count} generated file(s) expired")
