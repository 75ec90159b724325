"""The annual report: asked for by the city or a body, built by the worker (a file kept with
its build time), a PDF with the charts as SVG and a workbook with exactly the figures."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from qnwmh.dashboards.figures import Bar, Chart, Period, charts
from qnwmh.dashboards.report import cycle_of_year, svg_bars
from qnwmh.downloads.models import FileStatus, GeneratedFile
from tests import factories as f

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
    assert len(book.sheetnames) == len(found) + 3
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
