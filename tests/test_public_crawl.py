"""No member's personal data on any public URL: plant distinctive names and phone numbers on
the rosters of public collectives, crawl everything the public site links to plus every
collective's page, verify page and QR code, and look for them."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import deque
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from qnwmh.collectives.models import CollectiveStatus, Level, TitleStatus
from qnwmh.public.qr import qr_png
from qnwmh.public.selectors import public_collectives
from tests import factories as f

PLANTED_NAMES = ["欧阳绮罗", "司马砚秋", "皇甫星澜", "上官雪棠"]
PLANTED_PHONES = ["13955550123", "18677779012", "15033334567", "17744448888"]
LINK = re.compile(r'(?:href|src|action)="([^"#]+)"')
SKIP = ("/office/", "/accounts/", "/i18n/", "/static/", "/api/", "tel:", "mailto:", "data:")


@pytest.fixture
def planted(world: Any) -> list[Any]:
    import datetime

    revoked = f.collective(world.body, name="石岐医院药房青年岗", members=0)
    f.title(revoked, status=TitleStatus.REVOKED, ended_on=datetime.date(2021, 3, 15))
    archived = f.collective(
        world.other_body, name="小榄镇医院旧院区窗口", members=0, status=CollectiveStatus.ARCHIVED
    )
    f.title(archived, level=Level.PROVINCIAL)
    er = f.collective(world.other_body, name="小榄镇人民医院急诊科", members=0, sector=world.sector)
    f.title(er, stars=2)
    collectives = [world.collective, revoked, archived, er]
    world.collective.photo.save("team.png", ContentFile(qr_png("team photo")))
    for c, name, phone in zip(collectives, PLANTED_NAMES, PLANTED_PHONES, strict=True):
        f.member(c, name=name, phone=phone, is_leader=not c.members.exists())
        f.member(c, name=name + "乙", phone=phone[:-1] + "9")
    return collectives


def leaks(body: bytes) -> list[str]:
    text = body.decode("utf-8", errors="replace")
    found = [v for v in PLANTED_NAMES if v in text]
    found += [v for v in PLANTED_PHONES if v in text or v[-8:] in text or v[:-1] + "9" in text]
    return found


def crawl(client: Any, start: list[str]) -> dict[str, int]:
    seen: dict[str, int] = {}
    queue = deque(start)
    while queue and len(seen) < 400:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert not leaks(body), f"{url} shows {leaks(body)}"
        if response.status_code in (301, 302):
            queue.append(response["Location"])
        if response.get("Content-Type", "").startswith("text/html"):
            for link in LINK.findall(body.decode()):
                link = link.replace("&amp;", "&")
                if link.startswith(SKIP) or urlsplit(link).netloc:
                    continue
                queue.append(urljoin(url, link))
    return seen


def starting_points(world: Any) -> list[str]:
    urls = ["/", reverse("public:verify")]
    for q in ("医", "医院", "石岐", "小榄镇人民", "139", "乙"):
        urls.append(f"/?q={q}")
    urls += [
        f"/?town={world.town.pk}",
        f"/?sector={world.sector.pk}",
        "/?level=provincial",
        "/?stars=2",
        "/?page=2",
        f"/verify/?code={world.collective.code.lower()}",
        "/verify/ZZZZZZZZZZ/",
    ]
    for code in public_collectives().values_list("code", flat=True):
        urls += [
            reverse("public:collective", kwargs={"code": code}),
            reverse("public:verify_code", kwargs={"code": code}),
            reverse("public:qr_svg", kwargs={"code": code}),
            reverse("public:qr_png", kwargs={"code": code}),
            reverse("public:photo", kwargs={"code": code}),
        ]
    # Collectives without a public page are probed too: they must give nothing away.
    urls += [reverse("public:collective", kwargs={"code": world.other_collective.code})]
    return urls


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_planted_member_data_on_any_public_url(
    world: Any, planted: list[Any], language: str, settings: Any
):
    client = world.client("anonymous")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    seen = crawl(client, starting_points(world))
    pages = [u for u, status in seen.items() if status == 200]
    # The crawl really reached every public collective's page, verify page and QR codes.
    for c in planted:
        for name in ("public:collective", "public:verify_code", "public:qr_png", "public:qr_svg"):
            assert reverse(name, kwargs={"code": c.code}) in pages
    assert len(pages) >= 25, len(pages)
    assert all(status < 500 for status in seen.values())


def test_the_planted_values_are_really_on_the_rosters(world: Any, planted: list[Any]):
    # Guard against a crawl that passes because nothing was planted: staff see them.
    html = (
        world.client("body_admin")
        .get(reverse("collectives:detail", kwargs={"code": world.collective.code}))
        .content.decode()
    )
    assert PLANTED_NAMES[0] in html and PLANTED_PHONES[0] in html


def test_qr_codes_carry_only_the_page_url(world: Any, planted: list[Any], tmp_path: Any):
    zbarimg = shutil.which("zbarimg")
    assert zbarimg
    client = world.client("anonymous")
    for c in planted:
        path = tmp_path / f"{c.code}.png"
        path.write_bytes(client.get(reverse("public:qr_png", kwargs={"code": c.code})).content)
        decoded = subprocess.run(
            [zbarimg, "-q", "--raw", str(path)], capture_output=True, text=True, check=True
        ).stdout.strip()
        assert decoded == "http://testserver" + reverse(
            "public:collective", kwargs={"code": c.code}
        )
