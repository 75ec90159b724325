"""One-click actions with lasting effect ask first. Without JavaScript the server answers the
first POST with a page that asks; only a POST carrying ``confirmed=1`` acts."""

from __future__ import annotations

from typing import Any

import pytest

from qnwmh.cycles import services
from qnwmh.cycles.models import BodySubmission, Cycle, Registration, RegistrationStatus
from tests import factories_cycles as fc

pytestmark = pytest.mark.django_db


def _asks(response: Any, *hidden: str) -> None:
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="confirm-page"' in html
    assert 'name="confirmed" value="1"' in html
    for field in hidden:
        assert field in html


def test_accepting_a_registration_asks_first(world: Any) -> None:
    cycle = fc.cycle()
    fc.quota(cycle, world.body, 3)
    reg = fc.registration(cycle, world.collective)
    url = f"/office/cycles/{cycle.code}/registrations/{reg.code}/review/"
    client = world.client("body_admin")
    _asks(client.post(url, {"action": "accept"}), 'name="action" value="accept"', reg.number)
    assert Registration.objects.get(pk=reg.pk).status == RegistrationStatus.SUBMITTED
    assert client.post(url, {"action": "accept", "confirmed": "1"}).status_code == 302
    assert Registration.objects.get(pk=reg.pk).status == RegistrationStatus.ACCEPTED


def test_the_question_is_not_shown_to_who_may_not_act(world: Any) -> None:
    cycle = fc.cycle()
    reg = fc.registration(cycle, world.collective)
    url = f"/office/cycles/{cycle.code}/registrations/{reg.code}/review/"
    assert world.client("manager").post(url, {"action": "accept"}).status_code == 403
    assert (
        world.client("city_admin").post(f"/office/cycles/{cycle.code}/quotas/publish/").status_code
        == 200
    )
    assert (
        world.client("manager").post(f"/office/cycles/{cycle.code}/quotas/publish/").status_code
        == 403
    )


def test_submitting_and_accepting_a_body_list_ask_first(world: Any) -> None:
    cycle = fc.cycle()
    fc.quota(cycle, world.body, 3)
    reg = fc.registration(cycle, world.collective)
    services.registration_accept(world.actor("body_admin"), registration=reg)
    submit = f"/office/cycles/{cycle.code}/submissions/{world.body.pk}/submit/"
    body = world.client("body_admin")
    _asks(body.post(submit), world.body.name)
    assert not BodySubmission.objects.filter(cycle=cycle, status="submitted").exists()
    assert body.post(submit, {"confirmed": "1"}).status_code == 302
    sub = BodySubmission.objects.get(cycle=cycle, body=world.body)
    assert sub.status == "submitted"

    decide = f"/office/cycles/{cycle.code}/submissions/{world.body.pk}/decide/"
    city = world.client("city_admin")
    _asks(city.post(decide, {"action": "accept"}), 'name="action" value="accept"')
    assert BodySubmission.objects.get(pk=sub.pk).status == "submitted"
    assert city.post(decide, {"action": "accept", "confirmed": "1"}).status_code == 302
    assert BodySubmission.objects.get(pk=sub.pk).status == "accepted"


def test_publishing_and_recomputing_quotas_ask_first(world: Any) -> None:
    cycle = fc.cycle(published=False)
    fc.quota(cycle, world.body, 3)
    city = world.client("city_admin")
    base = f"/office/cycles/{cycle.code}/quotas/"
    _asks(city.post(base + "compute/"))
    _asks(city.post(base + "publish/"))
    assert Cycle.objects.get(pk=cycle.pk).quotas_published_at is None
    assert city.post(base + "publish/", {"confirmed": "1"}).status_code == 302
    assert Cycle.objects.get(pk=cycle.pk).quotas_published_at is not None


def test_the_buttons_carry_the_question_for_the_browser(world: Any) -> None:
    cycle = fc.cycle(published=False)
    fc.quota(cycle, world.body, 3)
    reg = fc.registration(cycle, world.collective)
    quotas = world.client("city_admin").get(f"/office/cycles/{cycle.code}/quotas/").content.decode()
    assert quotas.count("data-confirm=") == 2
    detail = world.client("body_admin").get(
        f"/office/cycles/{cycle.code}/registrations/{reg.code}/"
    )
    assert "data-confirm=" in detail.content.decode()


def test_revoking_a_role_and_deactivating_an_account_ask_first(world: Any) -> None:
    manager = world.users["manager"]
    assignment = manager.assignments.get()
    city = world.client("city_admin")
    revoke = f"/accounts/users/{manager.username}/roles/{assignment.pk}/revoke/"
    _asks(city.post(revoke), manager.username)
    assignment.refresh_from_db()
    assert assignment.revoked_at is None
    active = f"/accounts/users/{manager.username}/active/"
    _asks(city.post(active))
    manager.refresh_from_db()
    assert manager.is_active
    assert city.post(active, {"confirmed": "1"}).status_code == 302
    manager.refresh_from_db()
    assert not manager.is_active
    assert city.post(active).status_code == 302  # enabling again needs no question
    manager.refresh_from_db()
    assert manager.is_active
