"""``core.home``: the apps' home tasks ask their numbers as tallies, answered together."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Count, Q, Sum
from django.test.utils import CaptureQueriesContext

from qnwmh.collectives.models import Collective, CollectiveCount, CollectiveStatus, Eligibility
from qnwmh.core.home import Tally, Task, Tasks, gather
from tests import factories as f


def test_the_tallies_answer_as_the_queryset_would_in_one_statement(world: Any) -> None:
    f.collective(world.body, members=3)
    f.collective(world.body, members=0, status=CollectiveStatus.ARCHIVED)
    everyone = Collective.objects.all()
    mine = everyone.filter(body=world.body)
    nobody = everyone.filter(pk__in=[])  # matches nothing: answered without SQL
    by_status = {
        "active": Count("id", filter=Q(status=CollectiveStatus.ACTIVE)),
        "archived": Count("id", filter=Q(status=CollectiveStatus.ARCHIVED)),
    }
    kept = CollectiveCount.objects.filter(status=CollectiveStatus.ACTIVE)
    # Annotated with an aggregate and filtered on it: counted as a subquery.
    grouped = everyone.annotate(n=Count("members")).filter(n__gte=3)

    def asking() -> Tasks:
        got = yield (
            Tally.count(mine),
            Tally.exists(mine),
            Tally.exists(nobody),
            Tally.count(nobody),
            Tally.aggregate(mine, **by_status),
            Tally.aggregate(nobody, **by_status),
            Tally.aggregate(kept, total=Sum("n")),
            Tally.aggregate(kept.filter(pk__in=[]), total=Sum("n")),
            Tally.count(grouped),
        )
        yield Task(title="got", detail=repr(got))

    with CaptureQueriesContext(connection) as ctx:
        [task] = gather(asking())
    assert len(ctx.captured_queries) == 1
    assert task.detail == repr(
        (
            mine.count(),
            True,
            False,
            0,
            mine.aggregate(**by_status),
            {"active": 0, "archived": 0},
            kept.aggregate(total=Sum("n")),
            {"total": None},
            grouped.count(),
        )
    )
    assert mine.aggregate(**by_status)["archived"] == 1


def test_the_apps_run_side_by_side_and_keep_their_order(world: Any) -> None:
    active = Collective.objects.filter(status=CollectiveStatus.ACTIVE)

    def twice() -> Tasks:
        n = yield Tally.count(active)
        yield Task(title="first", count=n)
        m = yield Tally.count(active.filter(eligibility=Eligibility.NOT_MET))
        if m is not None:
            yield Task(title="second", count=m)

    def once() -> Tasks:
        yes = yield Tally.exists(active)
        if yes:
            yield Task(title="third")

    def silent() -> Tasks:
        return
        yield  # a generator that asks nothing and shows nothing

    with CaptureQueriesContext(connection) as ctx:
        got = gather(twice(), [Task(title="listed")], once(), silent())
    # Round one asks the first tally of both generators, round two the second of one.
    assert len(ctx.captured_queries) == 2
    assert [t.title for t in got] == ["first", "second", "listed", "third"]
    assert got[0].count == active.count()
    assert got[1].count == active.filter(eligibility=Eligibility.NOT_MET).count()


def test_a_generator_yielding_anything_else_is_an_error(world: Any) -> None:
    import pytest

    def wrong() -> Any:
        yield 3

    with pytest.raises(TypeError):
        gather(wrong())
