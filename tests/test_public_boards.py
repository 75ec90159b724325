"""Printable notice boards (公示牌): real PDFs with the Chinese text, scoped like the office."""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qnwmh.collectives.models import CollectiveStatus, Level
from tests import factories as f

PDFTOTEXT = shutil.which("pdftotext")
PDFINFO = shutil.which("pdfinfo")


def pdf_text(data: bytes, tmp_path: Any) -> str:
    assert PDFTOTEXT, "pdftotext (poppler-utils) is needed"
    path = tmp_path / "board.pdf"
    path.write_bytes(data)
    return subprocess.run(
        [PDFTOTEXT, "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_pages(data: bytes, tmp_path: Any) -> int:
    assert PDFINFO, "pdfinfo (poppler-utils) is needed"
    path = tmp_path / "pages.pdf"
    path.write_bytes(data)
    out = subprocess.run([PDFINFO, str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))


def flat(text: str) -> str:
    return "".join(text.split())


def test_board_is_a_pdf_with_the_collective_in_chinese(world: Any, tmp_path: Any):
    c = world.collective
    c.pledges, c.supervision_phone, c.supervision_email = (
        "热情服务限时办结",
        "0760-23456789",
        "jd@example.cn",
    )
    c.save()
    response = world.client("manager").get(reverse("boards:collective", kwargs={"code": c.code}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    text = flat(pdf_text(response.content, tmp_path))
    for expected in (
        c.name,
        "市级青年文明号",
        "★",
        "热情服务限时办结",
        "0760-23456789",
        "jd@example.cn",
        c.code,
    ):
        assert expected in text
    assert pdf_pages(response.content, tmp_path) == 1


def test_board_of_a_collective_without_a_title_says_creating(world: Any, tmp_path: Any):
    from qnwmh.cycles.models import Phase
    from tests import factories_cycles as fc

    fc.registration(fc.cycle(phase=Phase.CREATION), world.other_collective, status="filed")
    response = world.client("outsider").get(
        reverse("boards:collective", kwargs={"code": world.other_collective.code})
    )
    text = flat(pdf_text(response.content, tmp_path))
    assert world.other_collective.name in text and "青年文明号创建集体" in text


def test_bulk_boards_hold_every_titled_collective_of_the_body_and_nothing_else(
    world: Any, tmp_path: Any
):
    second = f.collective(world.body, name="石岐街道税务分局办税服务厅", members=0)
    f.title(second, level=Level.PROVINCIAL, stars=2)
    untitled = f.collective(world.body, name="石岐街道文化服务中心青年志愿服务队", members=0)
    archived = f.collective(
        world.body, name="石岐街道旧窗口", members=0, status=CollectiveStatus.ARCHIVED
    )
    f.title(archived)
    f.title(world.other_collective)
    response = world.client("body_admin").get(
        reverse("boards:bulk"), {"download": "1", "titled_only": "on"}
    )
    assert response["Content-Type"] == "application/pdf"
    text = flat(pdf_text(response.content, tmp_path))
    assert world.collective.name in text and second.name in text and "省级青年文明号" in text
    for absent in (untitled.name, archived.name, world.other_collective.name):
        assert absent not in text
    assert pdf_pages(response.content, tmp_path) == 2

    everyone = world.client("body_admin").get(reverse("boards:bulk"), {"download": "1"})
    assert untitled.name in flat(pdf_text(everyone.content, tmp_path))
    assert pdf_pages(everyone.content, tmp_path) == 3


def test_city_admin_must_choose_a_body(world: Any, tmp_path: Any):
    client = world.client("city_admin")
    response = client.get(reverse("boards:bulk"), {"download": "1", "titled_only": "on"})
    assert (
        response["Content-Type"].startswith("text/html")
        and "请选择组织管理机构" in response.content.decode()
    )
    response = client.get(
        reverse("boards:bulk"), {"download": "1", "body": world.body.pk, "titled_only": "on"}
    )
    assert world.collective.name in flat(pdf_text(response.content, tmp_path))


def test_a_body_outside_the_scope_answers_404(world: Any):
    response = world.client("body_admin").get(
        reverse("boards:bulk"), {"download": "1", "body": world.other_body.pk}
    )
    assert response.status_code == 404


def test_nothing_to_print_is_explained(world: Any):
    response = world.client("outsider").get(
        reverse("boards:bulk"), {"download": "1", "titled_only": "on"}
    )
    assert "没有符合条件的集体" in response.content.decode()


def test_bulk_board_query_count_is_constant(world: Any):
    client = world.client("body_admin")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("boards:bulk"), {"download": "1", "titled_only": "on"})
        assert response["Content-Type"] == "application/pdf"
        return len(ctx.captured_queries)

    small = count()
    for i in range(4):
        f.title(f.collective(world.body, name=f"批量集体{i}", members=0))
    assert count() == small


def test_back_office_detail_links_to_the_board(world: Any):
    html = world.client("body_admin").get(
        reverse("collectives:detail", kwargs={"code": world.collective.code})
    )
    assert (
        reverse("boards:collective", kwargs={"code": world.collective.code})
        in html.content.decode()
    )


@pytest.mark.parametrize("role", ["outsider", "reviewer"])
def test_out_of_scope_board_is_404(world: Any, role: str):
    url = reverse("boards:collective", kwargs={"code": world.collective.code})
    assert world.client(role).get(url).status_code == 404
