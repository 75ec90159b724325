"""Large exports and PDFs are built by the worker and kept for their owner to download; small
ones are answered at once, as before (qnwmh.core.background, qnwmh.downloads)."""

from __future__ import annotations

import datetime
import io
import json
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.http import HttpResponse
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from qnwmh.audit.models import AuditEntry
from qnwmh.core import background
from qnwmh.core.actor import system_actor
from qnwmh.downloads import jobs
from qnwmh.downloads.models import FileStatus, GeneratedFile
from qnwmh.notices.models import Notice
from tests import factories as f

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sheet_rows(data: bytes) -> list[tuple[Any, ...]]:
    wb = load_workbook(io.BytesIO(data), read_only=True)
    return [row for ws in wb.worksheets for row in ws.iter_rows(values_only=True)]


def _export(client: Any, url: str, query: dict[str, Any] | None = None) -> Any:
    # The task is queued on commit; the test queue runs it as soon as it is queued.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.get(url, {"format": "xlsx", **(query or {})})


def _download(client: Any, generated: GeneratedFile) -> Any:
    return client.get(reverse("downloads:file", kwargs={"code": generated.code}))


def test_at_or_under_the_limit_the_export_is_answered_at_once(world: Any, settings: Any):
    settings.EXPORT_INLINE_ROWS = 2  # the body admin sees exactly two collectives
    f.collective(world.body, name="第二个集体")
    response = _export(world.client("body_admin"), reverse("collectives:list"))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert not GeneratedFile.objects.exists()


def test_above_the_limit_the_worker_builds_it_with_progress_and_a_download(
    world: Any, settings: Any
):
    settings.EXPORT_INLINE_ROWS = 1
    second = f.collective(world.body, name="第二个集体")
    client = world.client("body_admin")
    response = _export(client, reverse("collectives:list"))
    generated = GeneratedFile.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("downloads:detail", kwargs={"code": generated.code})
    assert generated.owner == world.users["body_admin"]
    assert generated.status == FileStatus.READY and generated.done == generated.total == 2
    assert generated.payload == b""  # the stored call is dropped once built

    page = client.get(response["Location"]).content.decode()
    assert reverse("downloads:file", kwargs={"code": generated.code}) in page
    assert "refresh" not in page  # finished: nothing polls any more
    download = _download(client, generated)
    assert download.status_code == 200 and download["Content-Type"] == XLSX
    assert download["Cache-Control"] == "no-store, private"
    names = [row[0] for row in _sheet_rows(b"".join(download.streaming_content))]
    assert world.collective.name in names and second.name in names
    assert world.other_collective.name not in names  # the body admin's scope, as on the page

    codes = list(AuditEntry.objects.order_by("id").values_list("code", flat=True))
    assert codes[-5:] == [
        "downloads.file.started",
        "downloads.file.build_started",
        "collectives.collective.exported",
        "downloads.file.built",
        "downloads.file.downloaded",
    ]
    exported = AuditEntry.objects.get(code="collectives.collective.exported")
    assert exported.actor_label == "bodyadmin" and exported.data["rows"] == 2
    (notice,) = Notice.objects.filter(recipient=world.users["body_admin"], code=jobs.READY_NOTICE)
    assert notice.link == reverse("downloads:detail", kwargs={"code": generated.code})
    listing = client.get(reverse("downloads:list")).content.decode()
    assert generated.label in listing


def test_a_file_still_building_polls_with_htmx_and_without_javascript(world: Any):
    generated = GeneratedFile.objects.create(
        owner=world.users["manager"], label="集体", job="x.y", total=4000, done=1000
    )
    url = reverse("downloads:detail", kwargs={"code": generated.code})
    client = world.client("manager")
    page = client.get(url).content.decode()
    assert '<noscript><meta http-equiv="refresh"' in page
    assert 'hx-trigger="every' in page and 'value="25"' in page
    assert reverse("downloads:file", kwargs={"code": generated.code}) not in page
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="file-progress"') and "<html" not in fragment
    assert _download(client, generated).status_code == 404  # nothing to download yet


def test_only_the_owner_sees_or_downloads_a_file(world: Any, settings: Any):
    settings.EXPORT_INLINE_ROWS = -1  # whatever the count: in the background
    _export(world.client("city_admin"), reverse("audit:log"))
    generated = GeneratedFile.objects.get()
    assert generated.status == FileStatus.READY
    for role in ("body_admin", "outsider", "manager", "reviewer"):
        client = world.client(role)
        detail = client.get(reverse("downloads:detail", kwargs={"code": generated.code}))
        assert detail.status_code == 404 and _download(client, generated).status_code == 404
        assert generated.label not in client.get(reverse("downloads:list")).content.decode()
    assert _download(world.client("city_admin"), generated).status_code == 200


def test_querysets_keep_their_filters_and_prefetches_in_the_worker(world: Any, settings: Any):
    settings.EXPORT_INLINE_ROWS = -1  # whatever the count: in the background
    client = world.client("city_admin")
    _export(client, reverse("audit:log"), {"code": "downloads"})  # only the starts so far
    audit = GeneratedFile.objects.get()
    rows = _sheet_rows(b"".join(_download(client, audit).streaming_content))
    assert [r[3] for r in rows[1:]] == ["downloads.file.build_started", "downloads.file.started"]
    _export(client, reverse("accounts:user_list"), {"q": "manager"})
    users = GeneratedFile.objects.exclude(pk=audit.pk).get()
    rows = _sheet_rows(b"".join(_download(client, users).streaming_content))
    assert [r[0] for r in rows[1:]] == ["manager"] and rows[1][2]  # roles come prefetched


def test_a_failed_build_is_shown_and_told(world: Any):
    generated = _started(world, run=_broken, total=5)
    assert generated.status == FileStatus.FAILED and "RuntimeError: 坏了" in generated.error
    assert Notice.objects.filter(code=jobs.FAILED_NOTICE).count() == 1
    page = world.client("manager").get(reverse("downloads:detail", kwargs={"code": generated.code}))
    assert "文件生成失败" in page.content.decode()


def test_a_tampered_call_is_never_unpickled(world: Any):
    generated = GeneratedFile.objects.create(
        owner=world.users["manager"],
        label="x",
        job="tests.test_downloads._broken",
        payload=b"\x80\x04N.",
        payload_mac="0" * 64,
    )
    assert jobs.build(generated.pk, run_id="r1") == FileStatus.FAILED
    generated.refresh_from_db()
    assert "signature" in generated.error


def test_a_build_runs_again_safely(world: Any):
    """A killed worker's run comes back with the same id and starts over; another run of a file
    someone holds, or of a finished file, does nothing."""
    generated = GeneratedFile.objects.create(owner=world.users["manager"], label="x", job="x.y")
    GeneratedFile.objects.filter(pk=generated.pk).update(
        status=FileStatus.RUNNING,
        claimed_by="r1",
        claimed_until=timezone.now() + datetime.timedelta(hours=1),
        done=7,
    )
    assert jobs.build(generated.pk, run_id="r2") == "claimed"
    assert jobs._claim(generated.pk, "r1").done == 0  # type: ignore[union-attr]
    (restart,) = _entries(generated)
    assert restart.code == "downloads.file.build_started" and restart.data == {"restarted": True}
    GeneratedFile.objects.filter(pk=generated.pk).update(status=FileStatus.READY)
    assert jobs.build(generated.pk, run_id="r1") == "done"


def test_dossier_and_bulk_boards_above_the_limit_are_built_in_the_background(
    world: Any, settings: Any
):
    from tests import creation_helpers as ch

    settings.PDF_INLINE_ITEMS = 0
    cycle = ch.cycle()
    ch.register(world.collective, cycle)
    with TestCase.captureOnCommitCallbacks(execute=True):
        ch.entry(world, cycle, n_photos=0, title="五月开放周")
    client = world.client("body_admin")
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.get(reverse("creation:dossier_pdf", args=[world.collective.code]))
    with TestCase.captureOnCommitCallbacks(execute=True):
        boards = client.get(reverse("boards:bulk"), {"download": "1", "titled_only": "on"})
    assert response.status_code == 302 and boards.status_code == 302
    dossier, bulk = GeneratedFile.objects.order_by("id")
    assert dossier.filename == f"ledger-{world.collective.code}.pdf"
    assert bulk.filename == "boards.pdf" and bulk.total == 1
    for generated in (dossier, bulk):
        assert generated.status == FileStatus.READY, generated.error
        download = _download(client, generated)
        assert download["Content-Type"] == "application/pdf"
        assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_files_past_their_days_are_removed_by_the_command(world: Any, settings: Any):
    settings.EXPORT_INLINE_ROWS = -1  # whatever the count: in the background
    _export(world.client("city_admin"), reverse("audit:log"))
    old = GeneratedFile.objects.get()
    _export(world.client("city_admin"), reverse("audit:log"))
    recent = GeneratedFile.objects.exclude(pk=old.pk).get()
    GeneratedFile.objects.filter(pk=old.pk).update(
        finished_at=timezone.now() - datetime.timedelta(days=settings.GENERATED_FILE_DAYS, hours=1)
    )
    with TestCase.captureOnCommitCallbacks(execute=True):  # the blob goes once the move commits
        call_command("expire_files", verbosity=0)
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.status == FileStatus.EXPIRED and not default_storage.exists(
        f"generated/{old.code}.xlsx"
    )
    assert _download(world.client("city_admin"), old).status_code == 404
    assert recent.status == FileStatus.READY and default_storage.exists(recent.storage_name)


def test_progress_is_reported_while_rows_are_written(monkeypatch: Any):
    monkeypatch.setattr(background, "REPORT_EVERY", 2)
    seen: list[int] = []
    with background.listening(seen.append):
        assert list(background.counted(range(3))) == [0, 1, 2]
        assert list(background.counted(range(2))) == [0, 1]  # a second sheet adds up
    assert seen == [2, 3, 4, 5]
    assert background.counted([1]) == [1]  # nobody listening: the rows as they are


@pytest.mark.parametrize("path", ["qnwmh.downloads.jobs.start", "tests.test_downloads._broken"])
def test_files_are_built_by_module_level_functions(path: str):
    from django.utils.module_loading import import_string

    assert jobs.dotted_path(import_string(path)) == path
    with pytest.raises(ValueError):
        jobs.dotted_path(lambda actor: None)


def _broken(actor: Any, **kwargs: Any) -> Any:
    raise RuntimeError("坏了")


def _started(world: Any, *, run: Any, total: int) -> GeneratedFile:
    with TestCase.captureOnCommitCallbacks(execute=True):
        jobs.start(world.actor("manager"), run=run, kwargs={}, label="报表", total=total)
    return GeneratedFile.objects.get()


def test_the_worker_sweep_requeues_a_file_whose_task_was_lost(world: Any):
    generated = GeneratedFile.objects.create(
        owner=world.users["manager"], label="x", job="tests.test_downloads._broken"
    )
    assert jobs.sweep() == 0  # queued just now: its task may simply be waiting
    late = timezone.now() - datetime.timedelta(seconds=jobs.SWEEP_GRACE_SECONDS + 1)
    GeneratedFile.objects.filter(pk=generated.pk).update(created_at=late)
    assert jobs.sweep() == 1
    generated.refresh_from_db()
    assert generated.status == FileStatus.FAILED  # it ran (and the stored call was no call)


# The worker's moves in the audit log --------------------------------------------------------


def _entries(generated: GeneratedFile) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            object_type="downloads.generatedfile", object_id=str(generated.pk)
        ).order_by("id")
    )


def _by_the_system(entry: AuditEntry) -> bool:
    return entry.actor_id is None and entry.actor_label == "system" and entry.ip is None


def _two_rows(actor: Any, **kwargs: Any) -> HttpResponse:
    response = HttpResponse("".join(background.counted(["甲", "乙"])), content_type="text/plain")
    response["Content-Disposition"] = 'attachment; filename="rows.txt"'
    return response


def _personal(actor: Any, **kwargs: Any) -> Any:
    raise ValueError("张三 13800138000 的记录无效")


def test_each_move_of_the_worker_is_audited_by_the_system_with_labels(world: Any):
    generated = _started(world, run=_two_rows, total=2)
    asked, started, built = _entries(generated)
    assert [asked.code, started.code, built.code] == [
        "downloads.file.started",
        "downloads.file.build_started",
        "downloads.file.built",
    ]
    assert asked.actor == world.users["manager"]  # the request is the asker's
    assert _by_the_system(started) and _by_the_system(built)
    assert started.data == {"restarted": False}
    assert built.data["rows"] == 2 and built.data["size"] == generated.size == 6
    assert 0 <= built.data["seconds"] < 60

    page = world.client("city_admin").get(reverse("audit:log"), {"code": "downloads"})
    html = page.content.decode()
    for words in ("请求生成文件", "开始生成文件", "完成文件生成", "大小（字节）", "用时（秒）"):
        assert words in html


def test_a_failure_is_audited_by_its_type_without_trace_or_personal_data(world: Any):
    generated = _started(world, run=_personal, total=5)
    assert "张三" in generated.error  # the owner's page still says what went wrong
    failed = _entries(generated)[-1]
    assert failed.code == "downloads.file.failed" and _by_the_system(failed)
    assert failed.data["error"] == "ValueError" and failed.data["rows"] == 0
    stored = json.dumps([failed.data, failed.before, failed.after, failed.object_repr])
    assert not any(s in stored for s in ("张三", "13800138000", "Traceback", "File "))


def _finished_file(world: Any, status: str, days_ago: int, blob: bool) -> GeneratedFile:
    generated = GeneratedFile.objects.create(
        owner=world.users["manager"],
        label="x",
        job="x.y",
        status=status,
        size=3 if blob else 0,
        finished_at=timezone.now() - datetime.timedelta(days=days_ago),
    )
    if blob:
        generated.storage_name = default_storage.save(f"generated/{generated.code}.txt", _abc())
        generated.save(update_fields=["storage_name"])
    return generated


def _abc() -> Any:
    from django.core.files.base import ContentFile

    return ContentFile(b"abc")


def test_expiry_is_audited_once_per_file_by_the_system(world: Any, settings: Any):
    days = settings.GENERATED_FILE_DAYS + 1
    ready = _finished_file(world, FileStatus.READY, days, blob=True)
    failed = _finished_file(world, FileStatus.FAILED, days, blob=False)
    recent = _finished_file(world, FileStatus.READY, 0, blob=True)
    for _ in range(2):  # a second run (cron twice, or overlapping) finds nothing left to do
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("expire_files", verbosity=0)
    for generated in (ready, failed):
        (entry,) = _entries(generated)
        assert entry.code == "downloads.file.expired" and _by_the_system(entry)
        assert entry.data == {"size": generated.size}
    assert not _entries(recent)
    assert not default_storage.exists(ready.storage_name)
    assert default_storage.exists(recent.storage_name)


def test_an_expiry_that_cannot_be_audited_keeps_the_file(world: Any, monkeypatch: Any):
    generated = _finished_file(world, FileStatus.READY, 400, blob=True)

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(jobs, "log_action", refuse)
    with TestCase.captureOnCommitCallbacks(execute=True), pytest.raises(RuntimeError):
        jobs.expire(system_actor())
    generated.refresh_from_db()
    assert generated.status == FileStatus.READY and default_storage.exists(generated.storage_name)
