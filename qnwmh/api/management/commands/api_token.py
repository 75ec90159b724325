"""Issue, list and revoke API tokens from the shell.

manage.py api_token issue USERNAME [--name NAME]
manage.py api_token list [USERNAME]
manage.py api_token revoke CODE
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qnwmh.access import tokens as services
from qnwmh.access.models import ApiToken
from qnwmh.accounts.models import User
from qnwmh.core.actor import system_actor
from qnwmh.core.errors import DomainError


class Command(BaseCommand):
    help = "Issue, list or revoke API tokens (tokens are never deleted)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        issue = sub.add_parser("issue")
        issue.add_argument("username")
        issue.add_argument("--name", default="")
        listing = sub.add_parser("list")
        listing.add_argument("username", nargs="?")
        revoke = sub.add_parser("revoke")
        revoke.add_argument("code")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = system_actor()
        try:
            if options["action"] == "issue":
                user = User.objects.filter(username=options["username"]).first()
                if user is None:
                    raise CommandError(f"no user {options['username']!r}")
                token, secret = services.token_issue(actor, user=user, name=options["name"])
                self.stdout.write(f"{token.code} {secret}")
            elif options["action"] == "list":
                qs = ApiToken.objects.select_related("user")
                if options["username"]:
                    qs = qs.filter(user__username=options["username"])
                for t in qs:
                    state = f"revoked {t.revoked_at:%Y-%m-%d}" if t.revoked_at else "active"
                    self.stdout.write(f"{t.code} {t.prefix}… {t.user.username} {state} {t.name}")
            else:
                found = ApiToken.objects.filter(code=options["code"]).first()
                if found is None:
                    raise CommandError(f"no token {options['code']!r}")
                services.token_revoke(actor, token=found)
                self.stdout.write(f"revoked {found.code}")
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
