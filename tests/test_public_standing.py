"""The standing the public sees (issue 10, item 24): notice boards, the verify page and the
collective page call a collective "creating" only when it is — registration accepted or filed
in a cycle under way — and say so plainly otherwise."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from qnwmh.collectives.models import Level, TitleStatus
from qnwmh.cycles.models import Phase, RegistrationStatus
from qnwmh.public.selectors import Standing, standing_of
from tests import factories as f
from tests import factories_cycles as fc
from tests.test_public_boards import flat, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _chinese() -> Any:
    from django.utils import translation

    with translation.override("zh-hans"):
        yield


def _verify(world: Any, c: Any) -> str:
    response = world.client("anonymous").get(reverse("public:verify_code", args=[c.code]))
    assert response.status_code == 200
    return response.content.decode()


def _page(world: Any, c: Any) -> str:
    response = world.client("anonymous").get(reverse("public:collective", args=[c.code]))
    assert response.status_code == 200
    return response.content.decode()


def _board(world: Any, c: Any, tmp_path: Any) -> str:
    response = world.client("outsider").get(reverse("boards:collective", args=[c.code]))
    assert response.status_code == 200
    return flat(pdf_text(response.content, tmp_path))


@pytest.mark.parametrize(
    ("status", "phase", "expected"),
    [
        (RegistrationStatus.FILED, Phase.CREATION, Standing.CREATING),
        (RegistrationStatus.ACCEPTED, Phase.REGISTRATION_CLOSED, Standing.CREATING),
        (RegistrationStatus.SUBMITTED, Phase.REGISTRATION_OPEN, Standing.NOT_CREATING),
        (RegistrationStatus.REJECTED, Phase.REGISTRATION_CLOSED, Standing.NOT_CREATING),
        (RegistrationStatus.WITHDRAWN, Phase.REGISTRATION_OPEN, Standing.NOT_CREATING),
        (RegistrationStatus.FILED, Phase.CLOSED, Standing.NOT_CREATING),  # an ended cycle
    ],
)
def test_standing_follows_the_registration(world: Any, status: str, phase: str, expected: str):
    c = world.other_collective
    fc.registration(fc.cycle(phase=phase), c, status=status)
    assert standing_of(c) == expected


def test_never_registered_is_not_creating(world: Any, tmp_path: Any):
    c = world.other_collective
    assert standing_of(c) == Standing.NOT_CREATING
    html = _verify(world, c)
    assert "未在创建" in html and "创建中" not in html and "称号有效" not in html
    page = _page(world, c)
    assert "未在创建" in page and "创建中" not in page
    assert "创建集体" not in _board(world, c, tmp_path)


def test_rejected_registration_is_not_creating(world: Any, tmp_path: Any):
    c = world.other_collective
    fc.registration(
        fc.cycle(phase=Phase.REGISTRATION_CLOSED), c, status=RegistrationStatus.REJECTED
    )
    assert "未在创建" in _verify(world, c)
    assert "创建集体" not in _board(world, c, tmp_path)


def test_filed_registration_in_the_running_cycle_is_creating(world: Any, tmp_path: Any):
    c = world.other_collective
    fc.registration(fc.cycle(phase=Phase.CREATION), c, status=RegistrationStatus.FILED)
    assert "创建中，尚无称号" in _verify(world, c)
    assert "创建中" in _page(world, c)
    assert "青年文明号创建集体" in _board(world, c, tmp_path)


def test_titled_shows_level_and_stars_even_while_registered(world: Any, tmp_path: Any):
    c = world.other_collective
    f.title(c, level=Level.PROVINCIAL, stars=2)
    fc.registration(fc.cycle(phase=Phase.CREATION), c, status=RegistrationStatus.FILED)
    assert standing_of(c) == Standing.TITLED
    assert "称号有效" in _verify(world, c)
    text = _board(world, c, tmp_path)
    assert "省级青年文明号" in text and "★★" in text and "创建集体" not in text


def test_former_holder_not_creating_shows_no_current_title(world: Any, tmp_path: Any):
    c = world.other_collective
    f.title(c, status=TitleStatus.EXPIRED, ended_on=datetime.date(2024, 6, 30))
    assert standing_of(c) == Standing.FORMER
    assert "称号已失效" in _verify(world, c)
    assert "当前无有效称号" in _page(world, c)
    assert "创建集体" not in _board(world, c, tmp_path)
