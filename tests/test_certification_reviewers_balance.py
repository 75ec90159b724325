"""The balanced draw, as properties: over random pools and conflict relations, no conflict is
violated, every application gets N reviewers, loads stay within one of each other, the same
seed gives the same assignment; and the planner refuses exactly when no such assignment
exists (checked by brute force on small instances). Then the same through the database."""

from __future__ import annotations

import itertools
from collections import Counter
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qnwmh.certification.conflicts import conflict_map
from qnwmh.certification.models import Assignment, AssignmentDraw, Panel
from qnwmh.certification.services import assignment as assigning
from qnwmh.certification.services.assignment import PoolTooSmall, plan
from qnwmh.collectives.models import Collective
from tests import factories as f
from tests import factories_certification as fcert


@st.composite
def instances(draw: Any, max_apps: int = 30, max_reviewers: int = 12) -> dict[str, Any]:
    n_rev = draw(st.integers(min_value=1, max_value=max_reviewers))
    n_app = draw(st.integers(min_value=1, max_value=max_apps))
    per_app = draw(st.integers(min_value=1, max_value=min(4, n_rev)))
    pairs = [(r, a) for r in range(n_rev) for a in range(n_app)]
    density = draw(st.sampled_from([0.0, 0.05, 0.15, 0.4]))
    excluded = {p for p in pairs if draw(st.floats(0, 1)) < density} if density else set()
    loads = draw(st.dictionaries(st.integers(0, n_rev - 1), st.integers(0, 2), max_size=n_rev // 2))
    return {
        "demand": dict.fromkeys(range(n_app), per_app),
        "reviewers": list(range(n_rev)),
        "excluded": excluded,
        "loads": loads,
        "seed": draw(st.integers(0, 2**48)),
    }


@settings(max_examples=300, deadline=None)
@given(instances())
def test_strict_no_conflict_every_application_served_loads_within_one(inst: dict[str, Any]) -> None:
    inst["loads"] = {}  # a fresh draw: loads are this draw's alone
    try:
        result = plan(
            inst["demand"],
            inst["reviewers"],
            excluded=inst["excluded"],
            seed=inst["seed"],
            strict=True,
        )
    except PoolTooSmall:
        return  # exactness is checked by brute force below
    for app, need in inst["demand"].items():
        assert len(set(result[app])) == need
        assert not any((r, app) in inst["excluded"] for r in result[app])
    final = Counter(r for chosen in result.values() for r in chosen)
    loads = [final.get(r, 0) for r in inst["reviewers"]]
    assert max(loads) - min(loads) <= 1


@settings(max_examples=100, deadline=None)
@given(instances())
def test_same_seed_same_assignment(inst: dict[str, Any]) -> None:
    def run() -> Any:
        try:
            return plan(
                inst["demand"],
                list(reversed(inst["reviewers"])),  # input order does not matter
                excluded=set(inst["excluded"]),
                loads=inst["loads"],
                seed=inst["seed"],
            )
        except PoolTooSmall as exc:
            return str(exc)

    assert run() == run()


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 10), st.integers(1, 40), st.integers(1, 4), st.integers(0, 2**32))
def test_without_conflicts_a_big_enough_pool_always_works(
    n_rev: int, n_app: int, per_app: int, seed: int
) -> None:
    demand = dict.fromkeys(range(n_app), per_app)
    if per_app > n_rev:
        with pytest.raises(PoolTooSmall):
            plan(demand, range(n_rev), excluded=set(), seed=seed)
        return
    result = plan(demand, range(n_rev), excluded=set(), seed=seed)
    final = Counter(r for chosen in result.values() for r in chosen)
    loads = [final.get(r, 0) for r in range(n_rev)]
    assert max(loads) - min(loads) <= 1
    assert sum(loads) == n_app * per_app


def _assignments(inst: dict[str, Any]) -> Any:
    """Every choice of N allowed reviewers per application, with its final loads."""
    revs, loads = inst["reviewers"], inst["loads"]
    options = [
        list(
            itertools.combinations(
                [r for r in revs if (r, app) not in inst["excluded"]], inst["demand"][app]
            )
        )
        for app in sorted(inst["demand"])
    ]
    for combo in itertools.product(*options):
        final = Counter(loads)
        final.update(r for chosen in combo for r in chosen)
        yield [final.get(r, 0) for r in revs]


def _spread(values: list[int]) -> int:
    return max(values) - min(values)


@settings(max_examples=200, deadline=None)
@given(instances(max_apps=4, max_reviewers=4))
def test_refuses_only_when_impossible_and_balances_whenever_possible(
    inst: dict[str, Any],
) -> None:
    """Brute force on small instances: a refusal means no assignment exists at all; when a
    balanced one exists, the result is balanced."""
    spreads = [_spread(v) for v in _assignments(inst)]
    try:
        result = plan(
            inst["demand"],
            inst["reviewers"],
            excluded=inst["excluded"],
            loads=inst["loads"],
            seed=inst["seed"],
        )
    except PoolTooSmall:
        assert not spreads
        return
    assert spreads
    for app, need in inst["demand"].items():
        assert len(set(result[app])) == need
        assert not any((r, app) in inst["excluded"] for r in result[app])
    final = Counter(inst["loads"])
    final.update(r for chosen in result.values() for r in chosen)
    got = _spread([final.get(r, 0) for r in inst["reviewers"]])
    if min(spreads) <= 1:
        assert got <= 1


# Through the database: random relations between reviewers and collectives ----------------------


@st.composite
def relations(draw: Any) -> dict[str, Any]:
    n_rev = draw(st.integers(3, 7))
    n_app = draw(st.integers(1, 6))
    return {
        "per_app": draw(st.integers(1, 3)),
        # per reviewer: None, or the index of the body / collective they are tied to
        "body_of": [draw(st.one_of(st.none(), st.integers(0, 1))) for _ in range(n_rev)],
        "employer_of": [
            draw(st.one_of(st.none(), st.integers(0, n_app - 1))) for _ in range(n_rev)
        ],
        "declared": [draw(st.one_of(st.none(), st.integers(0, n_app - 1))) for _ in range(n_rev)],
        "body_of_app": [draw(st.integers(0, 1)) for _ in range(n_app)],
        "n_app": n_app,
        "seed": draw(st.integers(0, 2**40)),
    }


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(relations())
def test_draw_over_random_relations(world: Any, rel: dict[str, Any]) -> None:
    from qnwmh.certification.models import ConflictDeclaration
    from qnwmh.programme.models import ProgrammeRules

    with transaction.atomic():
        rnd = fcert.cert_round()
        rnd.cycle.rules_snapshot = {
            **ProgrammeRules.current().as_dict(),
            "reviewers_per_application": rel["per_app"],
        }
        rnd.cycle.save()
        area = fcert.area([world.town, world.other_town])
        bodies = [world.body, world.other_body]
        apps = []
        for i in range(rel["n_app"]):
            c = f.collective(bodies[rel["body_of_app"][i]], name=f"随机集体{i}", members=1)
            Collective.objects.filter(pk=c.pk).update(work_unit=f"第{i}号单位名称")
            apps.append(fcert.application(rnd, c, status="recommended", area_=area))
        pool = []
        for j, b in enumerate(rel["body_of"]):
            employer = rel["employer_of"][j]
            rv = fcert.reviewer(
                areas=[area],
                body=bodies[b] if b is not None else None,
                employer=f"第{employer}号单位名称" if employer is not None else f"评委单位{j}号",
            )
            if rel["declared"][j] is not None:
                ConflictDeclaration.objects.create(
                    reviewer=rv, collective=apps[rel["declared"][j]].collective, reason="亲属"
                )
            pool.append(rv)
        panel = Panel.objects.create(round=rnd, area=area)
        panel.members.set(pool)
        conflicts = set(conflict_map(pool, apps))
        demand = dict.fromkeys([a.pk for a in apps], rel["per_app"])
        try:
            plan(demand, [rv.pk for rv in pool], excluded=conflicts, seed=0, strict=True)
            balanced_possible = True
        except PoolTooSmall:
            balanced_possible = False
        actor = world.actor("city_admin")
        try:
            record = assigning.draw(actor, round=rnd, area=area, seed=rel["seed"])
        except PoolTooSmall:
            transaction.set_rollback(True)
            return
        made = list(Assignment.objects.filter(draw=record))
        assert not {(a.reviewer_id, a.application_id) for a in made} & conflicts
        per_app = Counter(a.application_id for a in made)
        assert all(per_app[a.pk] == rel["per_app"] for a in apps)
        loads = [sum(1 for a in made if a.reviewer_id == rv.pk) for rv in pool]
        if balanced_possible:
            assert max(loads) - min(loads) <= 1
        assert record.summary["assignments"] == len(made)
        # Reproducible: the recorded seed over the same data gives the same pairs.
        pairs = {(a.reviewer_id, a.application_id) for a in made}
        replay = plan(
            demand,
            [rv.pk for rv in pool],
            excluded=conflicts,
            seed=AssignmentDraw.objects.get(pk=record.pk).seed,
        )
        assert {(r, a) for a, rs in replay.items() for r in rs} == pairs
        transaction.set_rollback(True)
