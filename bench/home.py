"""The office home (``/office/``) in-process against the JSON floor, for the city admin, a body
admin and a collective manager; with ``--dump DIR`` also writes every body admin's, the city's
and a manager's home in both languages (CSRF tokens masked) to compare before and after.

    DATABASE_URL=postgres://postgres@127.0.0.1:55450/p16_demo .venv/bin/python bench/home.py
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.inprocess import client_for, page, setup  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--dump", default="", help="a folder for the pages' HTML")
    args = parser.parse_args()
    os.environ.setdefault("DEBUG", "0")
    setup()
    from django.conf import settings

    from qnwmh.accounts.models import User
    from qnwmh.core.actor import Role

    active = User.objects.filter(is_active=True).order_by("id")
    city = active.filter(assignments__role=Role.CITY_ADMIN).first()
    bodies = list(active.filter(assignments__role=Role.BODY_ADMIN).distinct())
    staff = active.filter(assignments__role__in=[Role.CITY_ADMIN, Role.BODY_ADMIN])
    managers = active.filter(assignments__role=Role.COLLECTIVE_MANAGER).exclude(pk__in=staff)
    manager = managers.first()
    if args.dump:
        out = Path(args.dump)
        out.mkdir(parents=True, exist_ok=True)
        for user in [city, *bodies, manager]:
            for lang in ("zh-hans", "en"):
                client = client_for(user)
                client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
                html = client.get("/office/").content.decode()
                html = re.sub(r'(csrfmiddlewaretoken" value=")[^"]+', r"\1*", html)
                html = re.sub(r'("X-CSRFToken": ")[^"]+', r"\1*", html)
                (out / f"{user.pk}-{lang}.html").write_text(html)
    floor_t, _ = page(client_for(city), "/-/floor/", args.repeat)
    print(f"\n| home | time | vs the floor ({floor_t * 1000:.1f} ms) | queries |")
    print("| --- | ---: | ---: | ---: |")
    for label, user in (("city admin", city), ("body admin", bodies[0]), ("manager", manager)):
        t, q = page(client_for(user), "/office/", args.repeat)
        print(f"| {label} | {t * 1000:.1f} ms | {floor_t / t:.2f} | {q} |", flush=True)
    print(f"\nload average: {os.getloadavg()}")


if __name__ == "__main__":
    main()
