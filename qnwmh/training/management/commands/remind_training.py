"""Remind the managers of collectives whose leader is invited to a session starting within a
day and not yet checked in (each invitation once). Run daily."""

from typing import Any

from django.core.management.base import BaseCommand

from qnwmh.core.actor import system_actor
from qnwmh.training.services import remind_due


class Command(BaseCommand):
    help = "Remind invited collectives of training sessions starting within a day."

    def handle(self, *args: Any, **options: Any) -> None:
        n = remind_due(system_actor())
        self.stdout.write(f"reminded {n} invitation(s)")
