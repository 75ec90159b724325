"""``audit.selectors.history_of``: one object's entries, oldest first, nothing of another
object (another type with the same id included)."""

from __future__ import annotations

from qnwmh.audit.selectors import history_of
from qnwmh.audit.services import log_action


def test_history_of_reads_one_objects_entries_oldest_first(world):
    actor = world.actor("city_admin")
    first = log_action(actor, world.collective, "collectives.collective.updated")
    log_action(actor, world.other_collective, "collectives.collective.updated")
    log_action(actor, world.body, "orgs.organisation.updated")
    second = log_action(actor, world.collective, "collectives.collective.archived")
    assert list(history_of(world.collective)) == [first, second]
    assert [e.code for e in history_of(world.body)] == ["orgs.organisation.updated"]


def test_history_of_keeps_types_apart_when_ids_match(world):
    actor = world.actor("city_admin")
    log_action(actor, world.body, "orgs.organisation.updated")
    world.collective.pk = world.body.pk  # an unsaved stand-in with the body's id
    assert not history_of(world.collective).filter(object_type="orgs.organisation").exists()
    assert all(e.object_type == "collectives.collective" for e in history_of(world.collective))
