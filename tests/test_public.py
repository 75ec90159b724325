"""The public site: directory search and filters, the collective page, verify, QR codes."""

from __future__ import annotations

import datetime
import shutil
import subprocess
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qnwmh.collectives.models import CollectiveStatus, Level, TitleStatus
from qnwmh.collectives.services import title_revoke
from qnwmh.cycles.models import Phase
from qnwmh.public.qr import qr_png
from tests import factories as f
from tests import factories_cycles as fc

PLEDGES = "一、微笑服务，一次办结。\n二、群众投诉当日回应。"


def names_in(response: Any) -> str:
    return response.content.decode()


@pytest.fixture
def listed(world: Any) -> dict[str, Any]:
    """Beside the world's titled collective: two titled hospitals, one untitled hospital,
    one whose only title was revoked and one archived titled hospital."""
    er = f.collective(
        world.other_body,
        name="小榄镇人民医院急诊科",
        members=0,
        sector=world.sector,
        pledges=PLEDGES,
    )
    f.title(er, level=Level.PROVINCIAL, stars=2)
    kids = f.collective(world.body, name="石岐区医院儿科门诊", members=0, sector=world.sector)
    f.title(kids, stars=3)
    plain = f.collective(world.body, name="石岐医院筹建组", members=0)
    gone = f.collective(world.body, name="石岐医院药房青年岗", members=0)
    f.title(
        gone,
        status=TitleStatus.REVOKED,
        ended_on=datetime.date(2021, 3, 15),
        end_reason="复核不合格",
    )
    archived = f.collective(
        world.body, name="石岐医院旧院区窗口", members=0, status=CollectiveStatus.ARCHIVED
    )
    f.title(archived)
    return {"er": er, "kids": kids, "plain": plain, "gone": gone, "archived": archived}


def directory(client: Any, **params: Any) -> str:
    response = client.get(reverse("public:index"), params)
    assert response.status_code == 200
    return names_in(response)


@pytest.mark.parametrize("q", ["医", "医院"])
def test_short_chinese_queries_find_titled_collectives(world: Any, listed: dict[str, Any], q: str):
    html = directory(world.client("anonymous"), q=q)
    assert "小榄镇人民医院急诊科" in html
    assert "石岐区医院儿科门诊" in html
    # No active title, or archived: not in the directory.
    for name in ("石岐医院筹建组", "石岐医院药房青年岗", "石岐医院旧院区窗口"):
        assert name not in html
    assert world.collective.name not in html


def test_search_narrows_and_says_when_nothing_matches(world: Any, listed: dict[str, Any]):
    client = world.client("anonymous")
    html = directory(client, q="急诊")
    assert "小榄镇人民医院急诊科" in html and "石岐区医院儿科门诊" not in html
    assert "没有找到符合条件的青年文明号" in directory(client, q="火星")


def test_directory_without_query_lists_every_active_title_holder(
    world: Any, listed: dict[str, Any]
):
    html = directory(world.client("anonymous"))
    for name in (world.collective.name, "小榄镇人民医院急诊科", "石岐区医院儿科门诊"):
        assert name in html
    assert "石岐医院筹建组" not in html


def test_filters_by_town_sector_level_and_stars(world: Any, listed: dict[str, Any]):
    client = world.client("anonymous")
    by_town = directory(client, town=world.other_town.pk)
    assert "小榄镇人民医院急诊科" in by_town and "石岐区医院儿科门诊" not in by_town
    by_sector = directory(client, sector=world.sector.pk)
    assert "小榄镇人民医院急诊科" in by_sector and "石岐区医院儿科门诊" in by_sector
    assert world.collective.name not in by_sector
    by_level = directory(client, level=Level.PROVINCIAL)
    assert "小榄镇人民医院急诊科" in by_level and "石岐区医院儿科门诊" not in by_level
    by_stars = directory(client, stars=3)
    assert "石岐区医院儿科门诊" in by_stars and "小榄镇人民医院急诊科" not in by_stars
    both = directory(client, level=Level.CITY, stars=2)
    assert "小榄镇人民医院急诊科" not in both and "石岐区医院儿科门诊" not in both


@pytest.mark.parametrize(
    "params",
    [
        {"town": "abc", "stars": "9", "level": "galactic", "page": "x"},
        {"q": "x" * 500, "sector": "99999999999999999999"},
        {"q": "%_'\"<script>", "page": "999"},
    ],
)
def test_bad_parameters_are_ignored_not_errors(
    world: Any, listed: dict[str, Any], params: dict[str, str]
):
    response = world.client("anonymous").get(reverse("public:index"), params)
    assert response.status_code == 200
    assert b"<script>" not in response.content.split(b"<main")[1]


def test_htmx_search_returns_only_the_results(world: Any, listed: dict[str, Any]):
    response = world.client("anonymous").get(
        reverse("public:index"), {"q": "医院"}, HTTP_HX_REQUEST="true"
    )
    html = names_in(response)
    assert "小榄镇人民医院急诊科" in html and "<html" not in html


def test_directory_query_count_is_constant(world: Any):
    client = world.client("anonymous")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("public:index")).status_code == 200
        return len(ctx.captured_queries)

    for i in range(3):
        f.title(f.collective(world.body, name=f"少量集体{i}", members=0), stars=1 + i % 3)
    small = count()
    for i in range(30):
        c = f.collective(world.body, name=f"大量集体{i}", members=0)
        f.title(c, stars=1 + i % 3)
        f.title(c, level=Level.PROVINCIAL)
    assert count() == small
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("public:index"), {"q": "集体", "level": "city", "page": 2})
    assert len(ctx.captured_queries) == small


def page(client: Any, code: str) -> Any:
    return client.get(reverse("public:collective", kwargs={"code": code}))


def test_collective_page_shows_the_public_face(world: Any, listed: dict[str, Any]):
    response = page(world.client("anonymous"), listed["er"].code)
    html = names_in(response)
    assert response.status_code == 200
    for text in (
        "小榄镇人民医院急诊科",
        "测试单位",
        "小榄镇",
        "卫生健康",
        "省级",
        "★★",
        "第 21 届",
        "群众投诉当日回应",
        reverse("public:qr_svg", kwargs={"code": listed["er"].code}),
    ):
        assert text in html


def test_collective_page_shows_supervision_contacts(world: Any):
    c = world.collective
    c.supervision_phone, c.supervision_email = "0760-23456789", "jiandu@example.cn"
    c.save()
    html = names_in(page(world.client("anonymous"), c.code))
    assert "0760-23456789" in html and "jiandu@example.cn" in html


def test_revoked_title_shows_as_revoked_with_its_date(world: Any, listed: dict[str, Any]):
    html = names_in(page(world.client("anonymous"), listed["gone"].code))
    assert "已撤销 · 2021-03-15" in html
    assert "复核不合格" in html
    assert "当前无有效称号" in html


def test_title_revoked_through_the_service_shows_on_the_page(world: Any):
    title_revoke(
        world.actor("city_admin"),
        title=world.title,
        reason="整改期满未达标",
        on=datetime.date(2025, 4, 1),
    )
    html = names_in(page(world.client("anonymous"), world.collective.code))
    assert "已撤销 · 2025-04-01" in html and "当前无有效称号" in html
    assert world.collective.name not in directory(world.client("anonymous"))


def test_archived_collective_keeps_its_page(world: Any, listed: dict[str, Any]):
    response = page(world.client("anonymous"), listed["archived"].code)
    assert response.status_code == 200 and "已归档" in names_in(response)


def test_a_creating_collective_has_a_page_but_database_ids_answer_404(
    world: Any, listed: dict[str, Any]
):
    client = world.client("anonymous")
    fc.registration(fc.cycle(phase=Phase.CREATION), listed["plain"], status="filed")
    creating = page(client, listed["plain"].code)
    assert creating.status_code == 200 and "创建中" in names_in(creating)
    assert client.get(f"/c/{world.collective.pk}/").status_code == 404
    assert page(client, "not-a-code!").status_code == 404


def test_photo_is_served_only_for_public_collectives(world: Any, listed: dict[str, Any]):
    png = qr_png("photo")
    hidden = f.collective(world.body, name="已撤并的未获称号集体", members=1, status="archived")
    for c in (world.collective, hidden):
        c.photo.save("team.png", ContentFile(png))
    client = world.client("anonymous")
    response = client.get(reverse("public:photo", kwargs={"code": world.collective.code}))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == png
    assert reverse("public:photo", kwargs={"code": world.collective.code}) in names_in(
        page(client, world.collective.code)
    )
    assert client.get(reverse("public:photo", kwargs={"code": hidden.code})).status_code == 404


def test_an_svg_photo_is_not_served(world: Any):
    world.collective.photo.save("team.svg", ContentFile(b"<svg onload='alert(1)'/>"))
    url = reverse("public:photo", kwargs={"code": world.collective.code})
    assert world.client("anonymous").get(url).status_code == 404


def test_collective_page_query_count_is_constant(world: Any):
    client = world.client("anonymous")
    with CaptureQueriesContext(connection) as ctx:
        page(client, world.collective.code)
    small = len(ctx.captured_queries)
    for year in range(2000, 2012):
        f.title(
            world.collective,
            status=TitleStatus.EXPIRED,
            year=year,
            awarded_on=datetime.date(year, 1, 1),
            ended_on=datetime.date(year + 1, 1, 1),
        )
    with CaptureQueriesContext(connection) as ctx:
        page(client, world.collective.code)
    assert len(ctx.captured_queries) == small


# Verify -------------------------------------------------------------------------------


def verify(client: Any, code: str) -> Any:
    return client.get(reverse("public:verify_code", kwargs={"code": code}))


def test_verify_says_valid_with_the_title(world: Any):
    response = verify(world.client("anonymous"), world.collective.code)
    html = names_in(response)
    assert response.status_code == 200 and "称号有效" in html and world.collective.name in html


def test_verify_says_revoked_with_the_date(world: Any, listed: dict[str, Any]):
    html = names_in(verify(world.client("anonymous"), listed["gone"].code))
    assert "称号已撤销" in html and "2021-03-15" in html and "称号有效" not in html


def test_verify_says_expired(world: Any):
    world.title.status, world.title.ended_on = TitleStatus.EXPIRED, datetime.date(2024, 6, 30)
    world.title.save()
    html = names_in(verify(world.client("anonymous"), world.collective.code))
    assert "称号已失效" in html and "2024-06-30" in html


def test_verify_a_later_valid_title_wins_over_an_old_revocation(world: Any, listed: dict[str, Any]):
    f.title(listed["gone"], session_no=23, year=2026, awarded_on=datetime.date(2026, 1, 5))
    assert "称号有效" in names_in(verify(world.client("anonymous"), listed["gone"].code))


def test_verify_unknown_and_never_titled_codes(world: Any, listed: dict[str, Any]):
    client = world.client("anonymous")
    response = verify(client, "ZZZZZZZZZZ")
    assert response.status_code == 404 and "查无此号" in names_in(response)
    fc.registration(fc.cycle(phase=Phase.CREATION), listed["plain"], status="filed")
    creating = verify(client, listed["plain"].code)
    assert creating.status_code == 200 and "创建中，尚无称号" in names_in(creating)
    assert "称号有效" not in names_in(creating)


def test_verify_form_normalises_a_typed_code(world: Any):
    code = world.collective.code
    typed = f" {code[:5].lower()}-{code[5:]} "
    response = world.client("anonymous").get(reverse("public:verify"), {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == reverse("public:verify_code", kwargs={"code": code})


def test_verify_form_explains_a_malformed_code(world: Any):
    response = world.client("anonymous").get(reverse("public:verify"), {"code": "我的编号0O1"})
    assert response.status_code == 200 and "编号格式不正确" in names_in(response)


# QR -----------------------------------------------------------------------------------

ZBARIMG = shutil.which("zbarimg")


def decode(png: bytes, tmp_path: Any) -> str:
    assert ZBARIMG, "zbarimg (zbar-tools) is needed"
    path = tmp_path / "qr.png"
    path.write_bytes(png)
    return subprocess.run(
        [ZBARIMG, "-q", "--raw", str(path)], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_qr_png_decodes_to_the_absolute_page_url(world: Any, tmp_path: Any):
    code = world.collective.code
    response = world.client("anonymous").get(reverse("public:qr_png", kwargs={"code": code}))
    assert response["Content-Type"] == "image/png"
    assert decode(response.content, tmp_path) == f"http://testserver/c/{code}/"


def test_qr_uses_site_url_when_set(world: Any, settings: Any, tmp_path: Any):
    settings.SITE_URL = "https://qnwmh.zs.example.cn"
    code = world.collective.code
    response = world.client("anonymous").get(reverse("public:qr_png", kwargs={"code": code}))
    assert decode(response.content, tmp_path) == f"https://qnwmh.zs.example.cn/c/{code}/"


def test_qr_svg_is_an_svg(world: Any):
    response = world.client("anonymous").get(
        reverse("public:qr_svg", kwargs={"code": world.collective.code})
    )
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.lstrip().startswith(b"<svg") and b"<path" in response.content


def test_no_qr_for_a_collective_without_a_public_page(world: Any):
    hidden = f.collective(world.body, name="已撤并的未获称号集体", members=1, status="archived")
    url = reverse("public:qr_png", kwargs={"code": hidden.code})
    assert world.client("anonymous").get(url).status_code == 404


def test_root_is_the_directory_with_a_staff_login_link(world: Any):
    html = names_in(world.client("anonymous").get("/"))
    assert "青年文明号名录" in html and "工作人员登录" in html and reverse("core:home") in html


def test_directory_pages_forward_and_back_without_counting(world: Any):
    from qnwmh.public.views import PUBLIC_PAGE_SIZE

    for i in range(PUBLIC_PAGE_SIZE + 4):
        f.title(f.collective(world.body, name=f"翻页集体{i:02d}", members=0))
    client = world.client("anonymous")
    first = directory(client, q="翻页")
    assert "翻页集体00" in first and f"翻页集体{PUBLIC_PAGE_SIZE:02d}" not in first
    assert 'rel="next"' in first and 'rel="prev"' not in first
    with CaptureQueriesContext(connection) as ctx:
        second = directory(client, q="翻页", page=2)
    assert not any("COUNT(" in q["sql"].upper() for q in ctx.captured_queries)
    assert f"翻页集体{PUBLIC_PAGE_SIZE + 3:02d}" in second and "翻页集体00" not in second
    assert 'rel="prev"' in second and 'rel="next"' not in second
    assert "翻页集体00" in directory(client, q="翻页", page="abc")
    assert directory(client, q="翻页", page="99999999")  # capped, still an answer


def test_public_english_catalogue_is_complete():
    import polib
    from django.conf import settings

    po = polib.pofile(str(settings.BASE_DIR / "qnwmh/public/locale/en/LC_MESSAGES/django.po"))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_english_page_keeps_word_order(world: Any, settings: Any):
    client = world.client("anonymous")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = names_in(page(client, world.collective.code))
    # "<level> Youth Model Unit", not the Chinese order glued together ("市级Youth Model Unit").
    assert " Youth Model Unit</span>" in html
    assert "级Youth" not in html
