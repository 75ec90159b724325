"""The cycle pages that list one row per managing body (quotas, registrations with the body's
own lists, submissions, towns, the cycle's cap figures) cost the same number of queries at 3
bodies and at 12, and the registrations list and the cycle page keep their budget."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from qnwmh.cycles.models import BodySubmission, RegistrationStatus
from qnwmh.orgs.models import Organisation
from tests import factories as f
from tests import factories_cycles as fc
from tests.querycount import count_queries


def _body_under(parent: Organisation) -> Organisation:
    """A territorial body in the body admin's subtree, with its own town."""
    t = f.town()
    org = Organisation(
        name=f"共青团中山市{t.name}委员会",
        short_name=f"{t.name}团委",
        kind=Organisation.Kind.BODY,
        body_kind=Organisation.BodyKind.TERRITORIAL,
        parent=parent,
        town=t,
    )
    org.path = "-"
    org.save()
    org.path = f"{parent.path}{org.pk:06d}/"
    org.save(update_fields=["path"])
    return org


def _add_bodies(world: Any, cycle: Any, n: int) -> None:
    for i in range(n):
        body = _body_under(world.body)
        fc.quota(cycle, body)
        for _ in range(2):
            c = f.collective(body, members=2)
            fc.registration(cycle, c, status=RegistrationStatus.ACCEPTED, rank=1)
        fc.registration(cycle, f.collective(body, members=2))
        if i % 2:
            BodySubmission.objects.create(cycle=cycle, body=body, status="submitted")


PAGES = [
    ("city_admin", "cycles:quotas"),
    ("body_admin", "cycles:quotas"),
    ("city_admin", "cycles:registrations"),
    ("body_admin", "cycles:registrations"),
    ("city_admin", "cycles:submissions"),
    ("city_admin", "cycles:towns"),
    ("city_admin", "cycles:detail"),
    ("body_admin", "cycles:detail"),
]


@pytest.mark.parametrize(("role", "name"), PAGES, ids=[f"{r} {n}" for r, n in PAGES])
def test_body_rows_cost_the_same_at_3_and_12_bodies(
    world: Any, settings: Any, role: str, name: str
) -> None:
    # Longer than a page at both sizes: a first page that holds the list skips its COUNT.
    settings.PAGE_SIZE = 1
    cycle = fc.cycle()
    fc.quota(cycle, world.body)
    client = world.client(role)
    url = reverse(name, args=[cycle.code])
    _add_bodies(world, cycle, 3)
    client.get(url)  # warm caches (content types, sessions)
    small = count_queries(lambda: client.get(url))
    _add_bodies(world, cycle, 9)
    client.get(url)  # new bodies change what the session keeps of a body admin's scope
    large = count_queries(lambda: client.get(url))
    assert small == large, f"{small} queries at 3 bodies, {large} at 12"


# What each page costs at most, the session and the user included: the registrations list
# reads its page's rows and their collectives' names (two statements), the quota figures, the
# lists' status and the cycle's totals come with the quota rows, and the filter bar asks for
# the bodies facet alone.
BUDGETS = [
    ("city_admin", "cycles:registrations", 8),
    # + the body's quota row with its figures and list, its accepted registrations to rank
    ("body_admin", "cycles:registrations", 10),
    ("city_admin", "cycles:detail", 5),
    ("body_admin", "cycles:detail", 4),
]


@pytest.mark.parametrize(("role", "name", "most"), BUDGETS, ids=[f"{r} {n}" for r, n, _ in BUDGETS])
def test_cycle_pages_keep_their_query_budget(world: Any, role: str, name: str, most: int) -> None:
    cycle = fc.cycle()
    fc.quota(cycle, world.body)
    for _ in range(2):
        fc.registration(cycle, f.collective(world.body), status=RegistrationStatus.ACCEPTED)
    _add_bodies(world, cycle, 3)
    client = world.client(role)
    url = reverse(name, args=[cycle.code])
    client.get(url)  # warm caches (content types, sessions)
    n = count_queries(lambda: client.get(url))
    assert n <= most, f"{n} queries, at most {most}"
