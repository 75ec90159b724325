"""Build the demo programme: every app's ``demo.py`` contributes its ``build(ctx)``, run in
``INSTALLED_APPS`` order, so a builder finds what the apps before it made."""

from __future__ import annotations

from io import StringIO
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from qnwmh.audit.services import log_action
from qnwmh.core.actor import system_actor
from qnwmh.core.demo_context import DemoContext
from qnwmh.core.plugins import Contribution, contributions
from qnwmh.orgs.models import Organisation


def steps() -> list[Contribution]:
    """Each app's demo builder, in ``INSTALLED_APPS`` order."""
    return contributions("demo", "build")


class Command(BaseCommand):
    help = "Load the Zhongshan demo programme into an empty database."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing (and succeed) when the database already has data",
        )
        parser.add_argument("--seed", type=int, default=2018)

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            # Its accounts and their password are published in the README.
            raise CommandError("demo data is never loaded in production (QNWMH_ENV=production)")
        if Organisation.objects.exists():
            if options["if_empty"]:
                self.stdout.write("demo: database already has data, nothing loaded")
                return
            raise CommandError("the database is not empty; demo data loads only into an empty one")
        ctx = DemoContext(seed=options["seed"])
        # The demo's notifications are real rows in the bell; their e-mails go nowhere.
        quiet_mail = override_settings(
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
        )
        with quiet_mail, transaction.atomic():
            for step in steps():
                step.value(ctx)
            # The builders bulk-create collectives, titles and registrations: derive the rows
            # kept from them once.
            call_command("rebuild_tallies", stdout=StringIO())
            call_command("rebuild_registration_counts", stdout=StringIO())
            call_command("rebuild_collective_counts", stdout=StringIO())
            log_action(
                system_actor(),
                None,
                "demo.loaded",
                data={"collectives": len(ctx.collectives), "users": len(ctx.users)},
            )
        self.stdout.write(
            f"demo: {len(ctx.bodies)} bodies, {len(ctx.collectives)} collectives, "
            f"{len(ctx.users)} accounts loaded"
        )
