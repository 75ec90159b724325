"""``core.scope.in_scope``: the one body/collective scope every ``*_visible_to`` builds on."""

from __future__ import annotations

from django.db.models import Q

from qnwmh.collectives.models import Collective
from qnwmh.core.scope import in_scope, scope_q
from qnwmh.orgs.models import Organisation


def _names(qs) -> set[str]:
    return set(qs.values_list("name", flat=True))


def test_each_role_reaches_its_own_rows(world):
    qs = Collective.objects.all()
    everything = _names(qs)
    assert _names(in_scope(qs, world.actor("city_admin"), body="body_id")) == everything
    assert _names(in_scope(qs, world.actor("body_admin"), body="body_id", collective="id")) == {
        world.collective.name
    }
    assert _names(in_scope(qs, world.actor("manager"), body="body_id", collective="id")) == {
        world.collective.name
    }
    # A manager reaches nothing through a model scoped by body only.
    assert not in_scope(qs, world.actor("manager"), body="body_id").exists()
    assert not in_scope(qs, world.actor("reviewer"), body="body_id", collective="id").exists()
    assert scope_q(world.actor("reviewer"), body="body_id", collective="id") is None


def test_several_body_fields_and_a_narrowed_own_condition(world):
    qs = Collective.objects.all()
    manager = world.actor("manager")
    # Any of several body fields leads into scope.
    outsider = world.actor("outsider")
    assert _names(in_scope(qs, outsider, body=("body_id", "body__parent_id"))) == {
        world.other_collective.name
    }
    # ``own`` narrows only what the actor reaches through its collectives.
    hidden = in_scope(qs, manager, collective="id", own=~Q(name=world.collective.name))
    assert not hidden.exists()
    bodies = Organisation.objects.all()
    assert set(in_scope(bodies, world.actor("body_admin"), body="id")) == {world.body}
