"""The shared world: built once for this module, rolled back after each test, and copied so a
change in one test (in the database or in memory) never reaches the next."""

from __future__ import annotations

from typing import Any

from qnwmh.collectives.models import Collective

SEEN: list[tuple[int, str]] = []


def test_a_change_in_one_test(world: Any) -> None:
    SEEN.append((world.collective.pk, world.collective.name))
    world.collective.name = "改过的名字"
    world.collective.save(update_fields=["name"])
    Collective.objects.filter(pk=world.other_collective.pk).update(name="也改了")


def test_does_not_reach_the_next(world: Any) -> None:
    SEEN.append((world.collective.pk, world.collective.name))
    assert SEEN[0] == SEEN[1]  # the same rows, and the in-memory change is gone
    assert Collective.objects.get(pk=world.collective.pk).name == SEEN[0][1]
    assert Collective.objects.get(pk=world.other_collective.pk).name != "也改了"


def test_the_module_shares_one_world(request: Any, world: Any) -> None:
    assert request.module._qnwmh_shares_world is True
    assert request.getfixturevalue("_module_world").collective.pk == world.collective.pk
