"""A collective's pages (issue 15): the office detail page, the public page and the creation log,
in-process against the JSON floor, for a collective with active titles and the largest roster.

    DATABASE_URL=postgres://postgres@127.0.0.1:55450/p16_demo .venv/bin/python bench/detail_pages.py
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.inprocess import client_as, client_for, page, setup  # noqa: E402


def urls() -> list[tuple[str, str, str]]:
    """(who, label, url) of every page measured."""
    from django.db.models import Count, Q

    from qnwmh.collectives.models import Collective

    titled = Collective.objects.filter(titles__status="active").order_by("id").first()
    largest = (
        Collective.objects.annotate(n=Count("members", filter=Q(members__left_on__isnull=True)))
        .order_by("-n", "id")
        .first()
    )
    out: list[tuple[str, str, str]] = []
    for name, c in (("titled", titled), ("largest roster", largest)):
        if c is None:
            continue
        out += [
            ("city", f"office detail, city, {name}", f"/office/collectives/{c.code}/"),
            (
                f"body{c.body_id}",
                f"office detail, body admin, {name}",
                f"/office/collectives/{c.code}/",
            ),
            ("anon", f"public page, {name}", f"/c/{c.code}/"),
            ("city", f"creation log, city, {name}", f"/office/creation/c/{c.code}/"),
        ]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--only", default="", help="labels containing this text")
    args = parser.parse_args()
    os.environ.setdefault("DEBUG", "0")
    setup()
    from django.test import Client

    from qnwmh.accounts.models import User
    from qnwmh.core.actor import Role

    entries = urls()

    def body_admin(body_id: int | None) -> Client | None:
        """A body admin of the body or of the nearest body above it that has one."""
        from qnwmh.orgs.models import Organisation

        while body_id is not None:
            if User.objects.filter(
                assignments__role=Role.BODY_ADMIN, assignments__organisation_id=body_id
            ).exists():
                return client_as(Role.BODY_ADMIN, assignments__organisation_id=body_id)
            body_id = Organisation.objects.get(pk=body_id).parent_id
        return None

    clients: dict[str, Client | None] = {"city": client_as(Role.CITY_ADMIN), "anon": client_for()}
    for who, _label, _url in entries:
        if who.startswith("body") and who not in clients:
            # A body admin of the collective's own body, who must see its page.
            clients[who] = body_admin(int(who[4:]))
    floor_t, _ = page(clients["city"], "/-/floor/", args.repeat)
    print(f"\n| page | time | vs the floor ({floor_t * 1000:.1f} ms) | queries |")
    print("| --- | ---: | ---: | ---: |")
    for who, label, url in entries:
        if args.only and args.only not in label:
            continue
        if clients[who] is None:
            print(f"| {label} | no body admin above it | | |")
            continue
        try:
            t, q = page(clients[who], url, args.repeat)
        except AssertionError as exc:
            print(f"| {label} | {exc} | | |")
            continue
        print(f"| {label} | {t * 1000:.1f} ms | {floor_t / t:.2f} | {q} |", flush=True)
    print(f"\nload average: {os.getloadavg()}")


if __name__ == "__main__":
    main()
