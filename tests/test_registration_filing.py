"""Filing a registration (issue 10, item 23): special recommendation is the league's decision,
the form prefills the leader from the roster, the home page stops asking once filed."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from qnwmh.collectives.models import Member
from qnwmh.core.home import Task, gather
from qnwmh.core.permissions import can
from qnwmh.cycles import services
from qnwmh.cycles.home import tasks as app_tasks
from qnwmh.cycles.models import Registration
from tests import factories_cycles as fc
from tests.api.helpers import client_for


def tasks(actor: Any) -> list[Task]:
    """The app's home tasks, their tallies answered."""
    return gather(app_tasks(actor))


@pytest.fixture
def cycle(world: Any) -> Any:
    c = fc.cycle()
    fc.quota(c, world.body, 2)
    return c


def test_managers_form_has_no_special_recommendation_but_the_bodys_has(
    world: Any, cycle: Any
) -> None:
    url = reverse("cycles:registration_create", args=[cycle.code])
    manager = world.client("manager").get(url)
    assert "special_recommendation" not in manager.context["form"].fields
    assert 'name="special_recommendation"' not in manager.content.decode()
    body = world.client("body_admin").get(url)
    assert "special_recommendation" in body.context["form"].fields


def test_a_manager_posting_the_flag_files_without_it(world: Any, cycle: Any) -> None:
    url = reverse("cycles:registration_create", args=[cycle.code])
    data = {
        **fc.values(),
        "collective": world.collective.pk,
        "pledge_confirmed": "on",
        "special_recommendation": "on",
    }
    response = world.client("manager").post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    reg = Registration.objects.get(cycle=cycle, collective=world.collective)
    assert reg.special_recommendation is False


def test_the_service_refuses_the_flag_from_a_manager(world: Any, cycle: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.registration_file(
            world.actor("manager"),
            cycle=cycle,
            collective=world.collective,
            values=fc.values(special_recommendation=True),
        )
    assert not Registration.objects.filter(cycle=cycle).exists()
    filed = services.registration_file(
        world.actor("body_admin"),
        cycle=cycle,
        collective=world.collective,
        values=fc.values(special_recommendation=True),
    )
    assert filed.registration.special_recommendation is True


def test_a_manager_resubmitting_keeps_the_bodys_flag_and_cannot_clear_it(
    world: Any, cycle: Any
) -> None:
    reg = fc.registration(cycle, world.collective, status="returned", special_recommendation=True)
    with pytest.raises(PermissionDenied):
        services.registration_resubmit(
            world.actor("manager"),
            registration=reg,
            values=fc.values(special_recommendation=False),
        )
    services.registration_resubmit(
        world.actor("manager"), registration=reg, values=fc.values(pledge="新的承诺")
    )
    reg.refresh_from_db()
    assert reg.special_recommendation is True and reg.pledge == "新的承诺"


def test_the_api_refuses_the_flag_from_a_manager(world: Any, cycle: Any) -> None:
    payload = {**fc.values(), "collective_code": world.collective.code}
    api = client_for(world, "manager")
    path = f"/cycles/{cycle.code}/registrations"
    response = api.post(path, {**payload, "special_recommendation": True})
    assert response.status_code == 403, response.content
    assert not Registration.objects.filter(cycle=cycle).exists()
    response = api.post(path, payload)
    assert response.status_code == 201, response.content
    assert response.json()["registration"]["special_recommendation"] is False


def test_the_form_prefills_the_leader_from_the_roster(world: Any, cycle: Any) -> None:
    leader = world.collective.members.current().get(is_leader=True)
    Member.objects.filter(pk=leader.pk).update(phone="13911112222")
    url = reverse("cycles:registration_create", args=[cycle.code])
    form = world.client("manager").get(url).context["form"]
    assert form["leader_name"].value() == leader.name
    assert form["leader_phone"].value() == "13911112222"
    # A body admin with several collectives picks one with ?collective=<code>.
    form = (
        world.client("body_admin").get(url, {"collective": world.collective.code}).context["form"]
    )
    assert form["leader_name"].value() == leader.name
    assert form["collective"].value() == world.collective.pk


def test_home_stops_asking_the_manager_to_file_once_filed(world: Any, cycle: Any) -> None:
    actor = world.actor("manager")
    ask = str(tasks(actor)[1].title) if len(tasks(actor)) > 1 else ""
    assert ask == "提交报备"
    home = world.client("manager").get(reverse("core:home")).content.decode()
    assert reverse("cycles:registration_create", args=[cycle.code]) in home
    services.registration_file(actor, cycle=cycle, collective=world.collective, values=fc.values())
    assert "提交报备" not in [str(t.title) for t in tasks(actor)]
    home = world.client("manager").get(reverse("core:home")).content.decode()
    assert reverse("cycles:registration_create", args=[cycle.code]) not in home


def test_the_body_marks_a_managers_registration_for_special_recommendation(
    world: Any, cycle: Any
) -> None:
    from qnwmh.audit.models import AuditEntry

    filed = services.registration_file(
        world.actor("manager"), cycle=cycle, collective=world.collective, values=fc.values()
    )
    reg = filed.registration
    url = reverse("cycles:registration_special", args=[cycle.code, reg.code])
    assert world.client("manager").post(url, {"value": "1"}).status_code == 403
    detail = reverse("cycles:registration_detail", args=[cycle.code, reg.code])
    assert url not in world.client("manager").get(detail).content.decode()
    assert url in world.client("body_admin").get(detail).content.decode()
    assert world.client("body_admin").post(url, {"value": "1"}).status_code == 302
    reg.refresh_from_db()
    assert reg.special_recommendation is True
    entry = AuditEntry.objects.get(code="cycles.registration.special_set")
    assert entry.before == {"special_recommendation": False}
    assert entry.after == {"special_recommendation": True}
    with pytest.raises(PermissionDenied):
        services.registration_set_special(world.actor("manager"), registration=reg, value=False)
    services.registration_set_special(world.actor("city_admin"), registration=reg, value=False)
    reg.refresh_from_db()
    assert reg.special_recommendation is False


def test_once_the_bodys_list_is_with_the_city_only_the_city_sets_special_recommendation(
    world: Any, cycle: Any
) -> None:
    from qnwmh.cycles.models import BodySubmission, SubmissionStatus

    reg = fc.registration(cycle, world.collective)
    sub = BodySubmission.objects.create(
        cycle=cycle, body=world.body, status=SubmissionStatus.SUBMITTED
    )
    body_admin = world.actor("body_admin")
    assert not can(body_admin, "cycles.set_special", reg)
    with pytest.raises(PermissionDenied):
        services.registration_set_special(body_admin, registration=reg, value=True)
    services.registration_set_special(world.actor("city_admin"), registration=reg, value=True)
    sub.status = SubmissionStatus.RETURNED  # sent back: the body's choice again
    sub.save()
    services.registration_set_special(body_admin, registration=reg, value=False)
    reg.refresh_from_db()
    assert reg.special_recommendation is False
