"""The public face of oversight: the collective page and the verify page tell a title's standing
truthfully (warned with the date, stars reduced with the stars now, revoked with its date and
category; a revoked title's certificate says so); the yearly revocation notice lists revoking
exits only, without personal data; a barred registration says why and from when."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from qnwmh.awards.services.certificates import issue
from qnwmh.collectives.models import TitleStatus
from qnwmh.core.errors import DomainError
from qnwmh.cycles import services as cycles
from qnwmh.oversight.models import Basis, ExitKind, RevocationCategory, SanctionKind
from qnwmh.oversight.services import exits, sanctions
from tests import factories_cycles as fc
from tests import factories_oversight as fo

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(world):
    return world.actor("city_admin")


def _page(client, name, *args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_collective_page_shows_a_warning_with_its_date(world, city, client):
    sanctions.impose(city, title=world.title, kind="warning", basis=Basis.COMPLAINT, reason="属实")
    html = _page(client, "public:collective", world.collective.code)
    assert f"已警告提醒（{timezone.localdate().isoformat()}）" in html


def test_collective_page_and_verify_show_reduced_stars(world, city, client):
    t = world.title
    t.stars = 2
    t.save()
    fo.sanction(t, SanctionKind.WARNING)
    sanctions.impose(city, title=t, kind="star_down", basis=Basis.SPOT_CHECK, reason="抽检不合格")
    assert "已调整星级（现 1 星）" in _page(client, "public:collective", world.collective.code)
    html = _page(client, "public:verify_code", world.collective.code)
    assert "称号有效" in html and "已调整星级（现 1 星）" in html


def test_good_standing_shows_no_sanction(world, client):
    html = _page(client, "public:collective", world.collective.code)
    assert 'data-testid="standing"' not in html and "已警告提醒" not in html


def test_revoked_title_shows_date_and_category_everywhere(world, city, client):
    cert = issue(world.title, on=datetime.date(2023, 1, 5))
    sanctions.impose(
        city,
        title=world.title,
        kind="revocation",
        category=RevocationCategory.PRESS_EXPOSURE,
        basis=Basis.PRESS,
        reason="经媒体曝光并查实服务态度恶劣",
        basis_note="中山日报",
    )
    today = timezone.localdate().isoformat()
    html = _page(client, "public:collective", world.collective.code)
    assert f"已撤销 · {today}" in html
    assert 'data-testid="title-standing">经媒体曝光并查实<' in html
    verify = _page(client, "public:verify_code", world.collective.code)
    assert "称号已撤销" in verify and "经媒体曝光并查实" in verify
    year = timezone.localdate().year
    assert reverse("oversight_public:revocations", args=[year]) in verify
    response = client.get(reverse("public:verify_code", args=[cert.number]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "称号已撤销，证书失效" in html and "经媒体曝光并查实" in html


def test_expired_certificate_still_says_ended(world, city, client):
    cert = issue(world.title, on=datetime.date(2023, 1, 5))
    exits.end_title(city, title=world.title, kind=ExitKind.DISSOLVED, reason="单位撤并")
    html = _page(client, "public:verify_code", cert.number)
    assert "称号已终止，证书失效" in html and "称号已撤销" not in html


def test_revocation_notice_lists_revoking_exits_only(world, city, client):
    revoked = fo.city_title(world.body)
    failed = fo.city_title(world.body)
    dissolved = fo.city_title(world.body)
    sanctions.impose(
        city,
        title=revoked,
        kind="revocation",
        category=RevocationCategory.LAW_DISCIPLINE,
        basis=Basis.OTHER,
        reason="违法违纪",
    )
    exits.end_title(city, title=failed, kind=ExitKind.FAILED_REVIEW, reason="年度复核不合格")
    exits.end_title(city, title=dissolved, kind=ExitKind.DISSOLVED, reason="单位撤并")
    year = timezone.localdate().year
    years = _page(client, "oversight_public:revocation_years")
    assert reverse("oversight_public:revocations", args=[year]) in years
    html = _page(client, "oversight_public:revocations", year)
    assert revoked.collective.name in html and failed.collective.name in html
    assert dissolved.collective.name not in html
    assert "违法违纪" in html and "复核不合格" in html
    assert world.body.name in html and "第 22 届" in html
    # No one's name or phone: the managers and the clerk who recorded it are not shown.
    assert world.users["city_admin"].username not in html
    assert html.count('data-testid="revocation"') == 2


def test_revocation_notice_of_a_year_without_any(world, client):
    html = _page(client, "oversight_public:revocations", 2001)
    assert "没有撤销" in html
    assert client.get("/revocations/99999/").status_code == 404


def test_revocation_notice_queries_do_not_grow(world, city, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            _page(client, "oversight_public:revocations", timezone.localdate().year)
        return len(ctx.captured_queries)

    exits.end_title(city, title=fo.city_title(), kind=ExitKind.REVOKED, reason="撤销")
    small = count()
    for _ in range(4):
        exits.end_title(city, title=fo.city_title(), kind=ExitKind.REVOKED, reason="撤销")
    assert count() == small


def test_barred_registration_says_why_and_from_when(world, city):
    exits.end_title(city, title=world.title, kind=ExitKind.REVOKED, reason="逾期未整改，撤销称号")
    world.title.refresh_from_db()
    assert world.title.status == TitleStatus.REVOKED
    cycle = fc.cycle(year=timezone.localdate().year + 1)
    bar = int(cycle.rule("revocation_bar_cycles", 1))
    with pytest.raises(DomainError) as caught:
        cycles.registration_file(
            world.actor("manager"), cycle=cycle, collective=world.collective, values=fc.values()
        )
    message = str(caught.value)
    assert "逾期未整改，撤销称号" in message
    assert f"最早可参加 {timezone.localdate().year + 2 * bar + 1} 年度" in message


def test_the_first_year_named_is_really_clear(world, city):
    """The year the message names is the first the bar lets through."""
    exits.end_title(city, title=world.title, kind=ExitKind.REVOKED, reason="撤销")
    year = timezone.localdate().year + 2 * 1 + 1
    blocked = fc.cycle(year=year - 1)
    with pytest.raises(DomainError, match="不得报备"):
        cycles.registration_file(
            world.actor("manager"), cycle=blocked, collective=world.collective, values=fc.values()
        )
    clear = fc.cycle(year=year)
    try:
        cycles.registration_file(
            world.actor("manager"), cycle=clear, collective=world.collective, values=fc.values()
        )
    except DomainError as exc:
        assert "不得报备" not in str(exc)
