from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand

from qnwmh.core.demo_context import DEMO_ACCOUNTS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "List the demo accounts and their password."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--json", action="store_true", help="print a JSON list")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = [
            {
                "username": a.username,
                "password": DEMO_PASSWORD,
                "role": a.role,
                "organisation": a.organisation,
            }
            for a in DEMO_ACCOUNTS
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            self.stdout.write(f"{row['username']:<16} {row['role']:<20} {row['organisation']}")
        self.stdout.write(f"password: {DEMO_PASSWORD}")
