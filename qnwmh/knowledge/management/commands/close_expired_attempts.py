"""Close knowledge-test sittings past their deadline (run from cron, e.g. every minute).

Reading a sitting closes it too; this makes results final for sittings nobody opens again."""

from typing import Any

from django.core.management.base import BaseCommand

from qnwmh.core.actor import system_actor
from qnwmh.knowledge.services import close_expired_attempts


class Command(BaseCommand):
    help = "Close knowledge-test attempts whose time is up."

    def handle(self, *args: Any, **options: Any) -> None:
        closed = close_expired_attempts(system_actor())
        self.stdout.write(f"closed {closed} attempt(s)")
