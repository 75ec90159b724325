"""One answer to "who administers body X": ``access.selectors.administrators_of``, used by the
notices, the complaint handlers and the body reminders, on a nested tree whose ids are wider
than six digits (a materialised-path stride would cut them wrong)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from qnwmh.access.selectors import administrators_of
from qnwmh.core.actor import Role
from qnwmh.notices.services import body_admins
from qnwmh.orgs.models import Organisation, path_prefixes
from qnwmh.supervision.services import eligible_handlers
from tests import factories as f


def _child(parent: Organisation, pk: int) -> Organisation:
    org = Organisation(
        pk=pk,
        name=f"下级团委{pk}",
        kind=Organisation.Kind.BODY,
        body_kind=Organisation.BodyKind.INDUSTRY,
        parent=parent,
        sector=f.sector(),
    )
    org.path = "-"
    org.save()
    org.path = f"{parent.path}{org.pk:06d}/"
    org.save(update_fields=["path"])
    return org


@pytest.fixture
def tree(world):
    """city > body > middle (id 1,234,567) > leaf (id 23,456,789); a sibling of middle."""
    middle = _child(world.body, 1_234_567)
    leaf = _child(middle, 23_456_789)
    sibling = _child(world.body, 1_234_568)
    admins = {
        "middle": f.user("middle_admin", Role.BODY_ADMIN, organisation=middle),
        "leaf": f.user("leaf_admin", Role.BODY_ADMIN, organisation=leaf),
        "sibling": f.user("sibling_admin", Role.BODY_ADMIN, organisation=sibling),
        "city_body_admin": f.user("city_body_admin", Role.BODY_ADMIN, organisation=world.city),
    }
    revoked = f.user("revoked_admin", Role.BODY_ADMIN, organisation=leaf)
    revoked.assignments.update(revoked_at=timezone.now())
    inactive = f.user("inactive_admin", Role.BODY_ADMIN, organisation=leaf)
    inactive.is_active = False
    inactive.save()
    return middle, leaf, sibling, admins


def _names(users) -> set[str]:
    return {u.username for u in users}


def test_path_prefixes_follow_the_segments():
    assert path_prefixes("000001/1234567/") == ["000001/", "000001/1234567/"]
    assert path_prefixes("") == []


def test_admins_of_a_nested_body_are_its_own_and_those_above(world, tree):
    middle, leaf, sibling, _admins = tree
    above = {"bodyadmin", "city_body_admin"}
    assert _names(administrators_of(leaf.pk)) == above | {"middle_admin", "leaf_admin"}
    assert _names(administrators_of(middle.pk)) == above | {"middle_admin"}
    assert _names(administrators_of(sibling.pk)) == above | {"sibling_admin"}
    assert _names(administrators_of(world.body.pk)) == above
    assert _names(administrators_of(world.other_body.pk)) == {"outsider", "city_body_admin"}
    assert not administrators_of(999_999_999).exists()


def test_city_admins_only_when_asked(world, tree):
    _middle, leaf, _sibling, _admins = tree
    assert "city" not in _names(administrators_of(leaf.pk))
    assert "city" in _names(administrators_of(leaf.pk, with_city_admins=True))


def test_every_reader_asks_the_one_selector(world, tree):
    """Notices, complaint handlers: the same people (plus the city for handlers)."""
    _middle, leaf, _sibling, _admins = tree
    expected = _names(administrators_of(leaf.pk))
    assert _names(body_admins(leaf.pk)) == expected
    complaint = type("C", (), {"body_id": leaf.pk})()
    assert _names(eligible_handlers(complaint)) == expected | {"city"}


def test_admins_match_the_actors_own_scope(world, tree):
    """Whoever administers a body has it in ``Actor.body_ids``, and the other way round."""
    _middle, leaf, _sibling, _admins = tree
    from qnwmh.accounts.models import User

    for user in User.objects.filter(is_active=True):
        actor = f.actor(user)
        administers = administrators_of(leaf.pk).filter(pk=user.pk).exists()
        assert administers == (leaf.pk in actor.body_ids and actor.is_body_admin), user
