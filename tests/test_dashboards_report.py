"""The annual report: asked for by the city or a body, built by the worker (a file kept with
its build time), a PDF with the charts as SVG and a workbook with exactly the figures."""

from __future__ import annotations

import datetime
import io
import subprocess
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from qnwmh.collectives.models import Level
from qnwmh.dashboards.figures import Bar, Chart, Period, charts
from qnwmh.dashboards.report import cycle_of_year, svg_bars
from qnwmh.downloads.models import FileStatus, GeneratedFile
from qnwmh.oversight.models import ExitKind, SanctionKind
from qnwmh.recognition.models import StoryStatus
from tests import factories as f
from tests import factories_oversight as fo
from tests import factories_recognition as fr
from tests.qr_helpers import pdf_info_and_text
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def _ask(world: Any, role: str, kind: str, django_capture_on_commit_callbacks: Any) -> Any:
    year = timezone.localdate().year
    client = world.client(role)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(f"dashboards:report_{kind}"), {"year": year})
    assert response.status_code == 302
    built = GeneratedFile.objects.get(owner=world.users[role])
    assert built.status == FileStatus.READY, built.error
    assert built.finished_at is not None
    download = client.get(reverse("downloads:file", args=[built.code]))
    return built, b"".join(download.streaming_content)


def test_the_pdf_is_built_in_the_background_and_kept(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    f.title(world.other_collective, awarded_on=timezone.localdate())
    built, content = _ask(world, "city_admin", "pdf", django_capture_on_commit_callbacks)
    assert content.startswith(b"%PDF")
    page = world.client("city_admin").get(reverse("dashboards:report"))
    assert built.label in page.content.decode()
    assert timezone.localtime(built.finished_at).strftime("%Y-%m-%d %H:%M") in page.content.decode()


def test_the_workbook_holds_the_figures_and_the_years_lists(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    year = timezone.localdate().year
    f.title(world.other_collective, awarded_on=timezone.localdate())
    _built, content = _ask(world, "body_admin", "xlsx", django_capture_on_commit_callbacks)
    book = load_workbook(io.BytesIO(content))
    actor = world.actor("body_admin")
    found = charts(actor, Period(cycle=cycle_of_year(actor, year), year=year))
    assert len(book.sheetnames) == len(found) + 4
    for sheet, chart in zip(book.worksheets, found, strict=False):
        values = [r[1] for r in sheet.iter_rows(min_row=2, values_only=True)]
        total = [] if chart.total is None else [chart.total]
        assert values == [*(b.value for b in chart.bars), *total]
    # The other body's new title is not the body's.
    titles = list(book.worksheets[len(found)].iter_rows(min_row=2, values_only=True))
    assert titles == []


def test_a_manager_cannot_ask_for_a_report(world: Any) -> None:
    response = world.client("manager").post(reverse("dashboards:report_pdf"), {"year": 2026})
    assert response.status_code == 403
    assert not GeneratedFile.objects.exists()


def test_svg_bars_scale_to_the_longest() -> None:
    chart = Chart(
        "k",
        "t",
        "s",
        "a",
        [Bar("a", "甲", 4, "/"), Bar("b", "乙", 2, "/"), Bar("c", "丙", 0, "/")],
        total=6,
        list_url="/",
    )
    svg = svg_bars(chart)
    widths = [b.width for b in svg["bars"]]
    assert widths[0] == 2 * widths[1] and widths[2] == 0
    assert [b.y for b in svg["bars"]] == sorted(b.y for b in svg["bars"])


@pytest.mark.parametrize("kind", ["pdf", "xlsx"])
def test_a_request_whose_job_is_not_queued_is_not_audited(
    world: Any, kind: str, monkeypatch: Any
) -> None:
    from qnwmh.audit.models import AuditEntry
    from qnwmh.dashboards import report

    def fail(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the queue is down")

    monkeypatch.setattr(report, "inline_or_background", fail)
    start = getattr(report, f"annual_report_{kind}")
    with pytest.raises(RuntimeError):
        start(world.actor("city_admin"), timezone.localdate().year)
    assert not AuditEntry.objects.filter(code="dashboards.report.requested").exists()


# The year's lists: new titles, sanctions, exits and typical cases ----------------------------


def _titled(body: Any, name: str) -> Any:
    """An old city title of a new collective named ``name``."""
    return f.title(f.collective(body, name=name, members=0))


def _the_years_lists(world: Any) -> dict[str, str]:
    """One row of each of the year's lists in the world's body, and one of each in the other
    body (which the body's report leaves out); the names each row shows."""
    mine = f.collective(world.body, name="石岐新授集体", members=0)
    f.title(mine, Level.PROVINCIAL, stars=2, awarded_on=timezone.localdate())
    f.title(world.other_collective, awarded_on=timezone.localdate())
    sanctioned = _titled(world.body, "石岐受处理集体")
    fo.sanction(sanctioned, SanctionKind.STAR_DOWN)
    fo.sanction(fo.city_title(world.other_body), SanctionKind.WARNING)
    leaving = _titled(world.body, "石岐撤并集体")
    fo.title_exit(leaving, ExitKind.DISSOLVED)
    fo.title_exit(fo.city_title(world.other_body), ExitKind.MERGED)
    by = world.users["city_admin"]
    fr.story(world.collective, by, StoryStatus.PUBLISHED, heading="午间不打烊", summary="轮值服务")
    fr.story(world.other_collective, by, StoryStatus.PUBLISHED, heading="护理进社区")
    fr.story(world.collective, by, StoryStatus.APPROVED, heading="尚未发布的案例")
    fr.story(
        world.collective,
        by,
        StoryStatus.PUBLISHED,
        heading="去年的案例",
        published_at=timezone.now() - datetime.timedelta(days=400),
    )
    return {
        "title": "石岐新授集体",
        "sanction": "石岐受处理集体",
        "exit": "石岐撤并集体",
        "story": "午间不打烊",
        "excerpt": "轮值服务",
    }


def _squeezed(text: str) -> str:
    # pdftotext may break a table cell's CJK text across lines.
    return "".join(text.split())


def test_the_pdf_has_the_years_new_titles_sanctions_exits_and_typical_cases(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    names = _the_years_lists(world)
    _built, content = _ask(world, "body_admin", "pdf", django_capture_on_commit_callbacks)
    _info, raw = pdf_info_and_text(content)
    text = _squeezed(raw)
    for heading in ("新授称号", "处理", "退出", "典型案例"):
        assert heading in text
    for name in names.values():
        assert name in text, name
    # The other body's rows, a story not yet published, last year's story: not in it.
    for absent in (world.other_collective.name, "护理进社区", "尚未发布的案例", "去年的案例"):
        assert _squeezed(absent) not in text, absent


def test_the_workbook_has_the_years_lists_as_sheets(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    names = _the_years_lists(world)
    _built, content = _ask(world, "body_admin", "xlsx", django_capture_on_commit_callbacks)
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames[-4:] == ["新授称号", "处理", "退出", "典型案例"]

    def rows(name: str) -> list[tuple[Any, ...]]:
        return list(book[name].iter_rows(min_row=2, values_only=True))

    today = timezone.localdate()
    titles = rows("新授称号")
    assert [(r[0], r[2], r[3]) for r in titles] == [(names["title"], "省级", 2)]
    assert titles[0][4].date() == today
    assert [(r[0], r[1], r[2]) for r in rows("处理")] == [
        (names["sanction"], world.body.name, "调整星级")
    ]
    assert [(r[0], r[1], r[2]) for r in rows("退出")] == [
        (names["exit"], world.body.name, "集体撤并解散")
    ]
    assert [(r[0], r[1], r[2], r[4]) for r in rows("典型案例")] == [
        (names["story"], world.collective.name, world.body.name, names["excerpt"])
    ]


def test_a_year_without_typical_cases_has_no_such_section(world: Any) -> None:
    from qnwmh.dashboards.report import report_pdf_file

    _info, text = pdf_info_and_text(
        report_pdf_file(world.actor("city_admin"), timezone.localdate().year).content
    )
    assert "典型案例" not in _squeezed(text)
    assert "新授称号" in _squeezed(text)


def test_a_typical_case_shows_its_first_photos_thumbnail(
    world: Any, django_capture_on_commit_callbacks: Any, tmp_path: Any
) -> None:
    from qnwmh.dashboards.cases import EXCERPT_CHARS, cases
    from qnwmh.dashboards.report import report_pdf_file
    from qnwmh.recognition import services
    from qnwmh.recognition.models import Story
    from tests.evidence_files import jpeg, upload

    with django_capture_on_commit_callbacks(execute=True):  # the files are written on commit
        story = services.story_create(
            world.actor("body_admin"),
            collective=world.collective,
            heading="有照片的案例",
            summary="",
            text="一、做法\n轮班值守，" + "午间窗口照常开放。" * 30,
            photos=[upload("p.jpg", jpeg(), "image/jpeg")],
        )
    Story.objects.filter(pk=story.pk).update(
        status=StoryStatus.PUBLISHED, published_at=timezone.now()
    )
    (case,) = cases(world.actor("city_admin"), timezone.localdate().year)
    assert case.photo.startswith("data:image/jpeg;base64,")
    # No summary: the text's start, on one line and cut short.
    assert case.excerpt.startswith("一、做法 轮班值守，午间窗口照常开放。")
    assert len(case.excerpt) <= EXCERPT_CHARS < len(story.text)
    (bare,) = cases(world.actor("city_admin"), timezone.localdate().year, photos=False)
    assert bare.photo == ""
    # The PDF carries the thumbnail: one image in the whole report.
    path = tmp_path / "report.pdf"
    path.write_bytes(report_pdf_file(world.actor("city_admin"), timezone.localdate().year).content)
    listed = subprocess.run(
        ["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert len(listed.splitlines()[2:]) == 1  # after the two header lines


@pytest.mark.parametrize("kind", ["pdf", "xlsx"])
def test_building_the_report_costs_the_same_queries_however_long_its_lists(
    world: Any, kind: str, monkeypatch: Any
) -> None:
    from qnwmh.dashboards import report

    monkeypatch.setattr(report, "html_to_pdf", lambda html: b"%PDF")  # queries, not drawing
    actor = world.actor("city_admin")
    year = timezone.localdate().year
    build = getattr(report, f"report_{kind}_file")
    by = world.users["city_admin"]

    def grow() -> None:
        for body in (world.body, world.other_body):
            t = fo.city_title(body)
            f.title(t.collective, Level.PROVINCIAL, awarded_on=timezone.localdate())
            fo.sanction(t)
            fo.title_exit(t)
            fr.story(t.collective, by, StoryStatus.PUBLISHED)

    assert_constant_queries(lambda: build(actor, year), grow)
