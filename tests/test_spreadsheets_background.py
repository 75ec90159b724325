"""Imports run by the worker (issue 15): the pages queue the check and the apply, the batch
page shows the progress and polls without inline script, the state survives a reload, the
uploader is told when a step ends, and the apply stays all-or-nothing. In tests the
immediate task backend runs each task as it is queued."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qnwmh.audit.models import AuditEntry
from qnwmh.collectives.importing import background, services
from qnwmh.collectives.models import Collective, ImportBatch, Member
from qnwmh.core import background as core_background
from qnwmh.notices.models import Notice
from tests.xlsx_builders import member_rows, small_valid_file, upload, workbook

NAMES = ("石岐青年突击队", "石岐志愿服务队")


def _state() -> tuple[int, int]:
    return Collective.objects.count(), Member.objects.count()


def _post_file(world: Any, data: bytes, name: str = "导入.xlsx") -> Any:
    client = world.client("body_admin")
    return client, client.post(reverse("collectives:import"), {"file": upload(data, name)})


def _page(client: Any, batch: ImportBatch, **headers: str) -> Any:
    return client.get(reverse("collectives:import_batch", args=[batch.code]), **headers)


def test_upload_page_queues_the_check_and_the_worker_builds_the_preview(world):
    before = _state()
    client, response = _post_file(world, small_valid_file(world.body, NAMES))
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("collectives:import_batch", args=[batch.code])
    # The immediate backend ran the check at enqueue: the preview is there, the mark gone.
    assert batch.status == "ready" and "task" not in batch.summary
    assert batch.summary["counts"]["members_create"] == 16
    assert _state() == before
    entry = AuditEntry.objects.get(code="collectives.import.uploaded")
    assert entry.actor_id == world.users["body_admin"].pk and entry.data["status"] == "ready"
    notice = Notice.objects.get(recipient=world.users["body_admin"])
    assert notice.code == "collectives.import.checked"
    assert notice.link == reverse("collectives:import_batch", args=[batch.code])
    page = _page(client, batch).content.decode()
    assert "确认导入" in page and "石岐青年突击队" in page


def test_a_bad_file_ends_invalid_with_row_numbered_errors_and_a_notice(world):
    rows = member_rows(world.body, world.collective.name, n=2, 号长="否")
    rows[1][3] = "不是日期"
    before = _state()
    client, _response = _post_file(world, workbook([], rows))
    batch = ImportBatch.objects.get()
    assert batch.status == "invalid" and "task" not in batch.summary
    assert [(e["sheet"], e["row"], e["column"]) for e in batch.errors] == [("成员", 3, "出生日期")]
    assert _state() == before
    assert Notice.objects.get().code == "collectives.import.invalid"
    page = _page(client, batch).content.decode()
    assert "不是日期" in page and "确认导入" not in page


def test_the_check_writes_its_row_count_as_it_goes(world, monkeypatch):
    monkeypatch.setattr(core_background, "REPORT_EVERY", 4)
    batch = services.receive_upload(
        world.actor("body_admin"), upload=upload(small_valid_file(world.body, NAMES))
    )
    batch.summary = {"task": {"step": "check", "done": 0, "total": 0, "ip": None}}
    batch.save()
    with CaptureQueriesContext(connection) as queries:
        background.run("check", batch.pk)
    written = [
        (
            int(re.search(r'"done":\s*(\d+)', q["sql"])[1]),
            int(re.search(r'"total":\s*(\d+)', q["sql"])[1]),
        )
        for q in queries.captured_queries
        if q["sql"].startswith("UPDATE") and "importbatch" in q["sql"] and '"done"' in q["sql"]
    ]
    # 2 collectives + 16 members: the total first, then every 4 rows, then each sheet's end.
    assert written == [(0, 18), (2, 18), (4, 18), (8, 18), (12, 18), (16, 18), (18, 18)]
    batch.refresh_from_db()
    assert batch.status == "ready"


def test_progress_survives_a_reload_and_polls_without_inline_script(world):
    client = world.client("body_admin")
    batch = services.receive_upload(
        world.actor("body_admin"), upload=upload(small_valid_file(world.body, NAMES))
    )
    batch.summary = {"task": {"step": "check", "done": 300, "total": 1200, "ip": None}}
    batch.save()
    for _reload in range(2):
        page = _page(client, batch).content.decode()
        assert "300 / 1200" in page and 'value="25"' in page
        assert 'hx-trigger="every 2s"' in page and 'id="import-progress"' in page
        assert "<script>" not in page and "确认导入" not in page
        assert 'http-equiv="refresh"' in page  # without JavaScript the page reloads itself
    box = _page(client, batch, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="import-progress")
    assert box.content.decode().lstrip().startswith('<div id="import-progress"')
    assert "300 / 1200" in box.content.decode()

    # The worker finishes: the next poll reloads the page, which shows the preview.
    background.run("check", batch.pk)
    box = _page(client, batch, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="import-progress")
    assert box["HX-Refresh"] == "true"
    page = _page(client, batch).content.decode()
    assert "import-progress" not in page and "确认导入" in page


def test_apply_is_queued_and_writes_every_row_once(world):
    client, _response = _post_file(world, small_valid_file(world.body, NAMES))
    batch = ImportBatch.objects.get()
    response = client.post(reverse("collectives:import_apply", args=[batch.code]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == "applied" and "task" not in batch.summary
    assert Collective.objects.filter(name__in=NAMES).count() == 2
    assert Notice.objects.filter(code="collectives.import.applied").count() == 1
    assert AuditEntry.objects.get(code="collectives.import.applied").data["members_create"] == 16
    # Running the task again (a worker restart) does nothing.
    assert background.run("apply", batch.pk) == "done"
    assert Member.objects.filter(collective__name__in=NAMES).count() == 16


def test_an_apply_in_progress_shows_on_reload_and_refuses_a_second_click(world):
    client, _response = _post_file(world, small_valid_file(world.body, NAMES))
    batch = ImportBatch.objects.get()
    batch.summary = {**batch.summary, "task": {"step": "apply", "done": 0, "total": 0}}
    batch.save()
    page = _page(client, batch).content.decode()
    assert "正在后台导入" in page and "确认导入" not in page
    response = client.post(reverse("collectives:import_apply", args=[batch.code]))
    assert response.status_code == 302
    assert "task" in ImportBatch.objects.get(pk=batch.pk).summary
    assert not Collective.objects.filter(name__in=NAMES).exists()


def test_a_failing_apply_writes_nothing_and_tells_the_uploader(world, monkeypatch):
    client, _response = _post_file(world, small_valid_file(world.body, NAMES))
    batch = ImportBatch.objects.get()
    before = _state()
    real_write = services._write

    def write_then_fail(plan: Any) -> Any:
        real_write(plan)  # every row written, then a fault: the transaction must undo them
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_write", write_then_fail)
    client.post(reverse("collectives:import_apply", args=[batch.code]))
    batch.refresh_from_db()
    assert _state() == before
    assert batch.status == "ready" and "task" not in batch.summary
    assert batch.summary["failure"] and "disk full" not in batch.summary["failure"]
    assert Notice.objects.filter(code="collectives.import.failed").count() == 1
    page = _page(client, batch).content.decode()
    assert "导入未完成" in page and "确认导入" in page  # it may be tried again
    monkeypatch.undo()
    client.post(reverse("collectives:import_apply", args=[batch.code]))
    assert ImportBatch.objects.get(pk=batch.pk).status == "applied"


def test_a_stale_preview_turns_invalid_in_the_worker_and_writes_nothing(world):
    client, _response = _post_file(
        world, workbook([], member_rows(world.body, world.collective.name, n=1, 号长="否"))
    )
    batch = ImportBatch.objects.get()
    from qnwmh.collectives.services import collective_archive

    collective_archive(world.actor("body_admin"), collective=world.collective, reason="机构撤并")
    before = _state()
    client.post(reverse("collectives:import_apply", args=[batch.code]))
    batch.refresh_from_db()
    assert batch.status == "invalid" and batch.errors[0]["row"] == 2
    assert _state() == before
    assert Notice.objects.filter(code="collectives.import.invalid").count() == 1


@pytest.mark.parametrize("step", ["check", "apply"])
def test_the_worker_acts_with_the_uploaders_rights_as_they_are_now(world, step):
    _post_file(world, small_valid_file(world.body, NAMES))
    batch = ImportBatch.objects.get()
    batch.summary = {**batch.summary, "task": {"step": step, "done": 0, "total": 0}}
    batch.save()
    user = world.users["body_admin"]
    user.is_active = False
    user.save()
    assert background.run(step, batch.pk) == f"{step}: failed"
    batch.refresh_from_db()
    assert "task" not in batch.summary
    assert not Collective.objects.filter(name__in=NAMES).exists()


@pytest.mark.django_db(transaction=True)
def test_through_the_database_queue_the_request_only_queues_and_the_worker_runs(world, settings):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client, _response = _post_file(world, small_valid_file(world.body, NAMES))
    batch = ImportBatch.objects.get()
    (queued,) = DBTaskResult.objects.all()
    assert queued.task_path == "qnwmh.collectives.tasks.check_import"
    # Nothing was checked in the request: the batch waits, the page shows the progress box.
    assert background.running_step(batch) == "check" and batch.errors == []
    page = _page(client, batch).content.decode()
    assert "正在后台检查文件" in page and "确认导入" not in page

    call_command("run_worker", "--batch", "--no-startup-delay", "-v", "0")
    batch.refresh_from_db()
    assert batch.status == "ready" and background.running_step(batch) is None
    assert Notice.objects.get().code == "collectives.import.checked"

    client.post(reverse("collectives:import_apply", args=[batch.code]))
    batch.refresh_from_db()
    assert background.running_step(batch) == "apply" and batch.status == "ready"
    assert not Collective.objects.filter(name__in=NAMES).exists()
    assert "正在后台导入" in _page(client, batch).content.decode()

    call_command("run_worker", "--batch", "--no-startup-delay", "-v", "0")
    batch.refresh_from_db()
    assert batch.status == "applied" and background.running_step(batch) is None
    assert Collective.objects.filter(name__in=NAMES).count() == 2
    assert Notice.objects.filter(code="collectives.import.applied").count() == 1
