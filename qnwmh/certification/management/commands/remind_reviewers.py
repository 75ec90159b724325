"""Cron-able: remind reviewers of unanswered invitations and of work due within a few days
(once a day per assignment, however often it runs)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from qnwmh.certification.services.assignment import send_reminders
from qnwmh.core.actor import system_actor


class Command(BaseCommand):
    help = "Remind reviewers of unanswered invitations and of assignments due soon."

    def handle(self, *args: Any, **options: Any) -> None:
        n = send_reminders(system_actor())
        self.stdout.write(f"reminded {n} reviewers")
