"""Creation records: plans and their versions, log entries with corrections and evidence,
compliance by month, the ledger and dossier, duties, the public calendar, query counts."""

from __future__ import annotations

import datetime
import io
import subprocess
import zipfile
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from qnwmh.audit.models import AuditEntry
from qnwmh.core.errors import DomainError
from qnwmh.creation import services
from qnwmh.creation.ledger import build_ledger
from qnwmh.creation.models import (
    MAX_ENTRY_DAYS,
    DutyKind,
    LogEntry,
    LogEntryRevision,
    PlanVersion,
    ReminderSent,
)
from qnwmh.creation.selectors import body_summaries, collective_compliance, month_cells
from qnwmh.cycles.models import Phase, RegistrationStatus
from qnwmh.public.views import PUBLIC_PAGE_SIZE
from tests import creation_helpers as ch
from tests import evidence_files as ef
from tests import factories as f

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _chinese() -> Any:
    # Messages are asserted in Chinese; another module may leave English active.
    from django.utils import translation

    with translation.override("zh-hans"):
        yield


def month_ago(n: int) -> datetime.date:
    d = TODAY.replace(day=15)
    for _ in range(n):
        d = (d.replace(day=1) - datetime.timedelta(days=1)).replace(day=15)
    return d


@pytest.fixture
def cy(world: Any) -> Any:
    cycle = ch.cycle()
    ch.register(world.collective, cycle)
    return cycle


# Plans ------------------------------------------------------------------------------------


def test_plan_versions_are_kept_and_comparable(world: Any, cy: Any):
    actor = world.actor("manager")
    v1 = services.plan_save(
        actor,
        collective=world.collective,
        cycle=cy,
        values={"goals": "目标一\n目标二", "slogan": "青春"},
    )
    v2 = services.plan_save(
        actor,
        collective=world.collective,
        cycle=cy,
        values={"goals": "目标一\n目标三", "slogan": "青春"},
        note="调整目标",
    )
    assert (v1.number, v2.number) == (1, 2)
    assert (
        PlanVersion.objects.get(pk=v1.pk).goals == "目标一\n目标二"
    )  # the old version is untouched
    with pytest.raises(DomainError, match="没有变化"):
        services.plan_save(
            actor,
            collective=world.collective,
            cycle=cy,
            values={"goals": "目标一\n目标三", "slogan": "青春"},
        )
    url = (
        reverse("creation:plan_compare", args=[world.collective.code]) + f"?cycle={cy.code}&a=1&b=2"
    )
    page = world.client("body_admin").get(url).content.decode()
    assert "diff-del" in page and "目标二" in page and "diff-add" in page and "目标三" in page
    assert AuditEntry.objects.filter(code="creation.plan.version_saved").count() == 2


def test_plan_needs_an_accepted_registration(world: Any):
    cycle = ch.cycle()
    ch.register(world.collective, cycle, status=RegistrationStatus.SUBMITTED)
    with pytest.raises(DomainError, match="未在本周期报备"):
        services.plan_save(
            world.actor("manager"), collective=world.collective, cycle=cycle, values={"goals": "x"}
        )


def test_outsider_cannot_write_records(world: Any, cy: Any):
    with pytest.raises(PermissionDenied):
        services.plan_save(
            world.actor("outsider"), collective=world.collective, cycle=cy, values={"goals": "x"}
        )
    with pytest.raises(PermissionDenied):
        ch.entry(world, cy, role="outsider")
    assert LogEntry.objects.count() == 0


# Log entries ------------------------------------------------------------------------------


def test_entry_with_photos_and_a_correction_keeps_the_earlier_version(world: Any, cy: Any):
    entry = ch.entry(world, cy, n_photos=2, title="三月开放周")
    assert entry.evidence_count == 2 and entry.attachments.count() == 2
    values = {
        **{
            n: getattr(entry, n)
            for n in (
                "kind",
                "occurred_on",
                "ends_on",
                "place",
                "participants",
                "description",
                "public",
            )
        },
        "title": "三月开放周（更正）",
    }
    services.entry_correct(world.actor("manager"), entry=entry, values=values, reason="标题有误")
    entry.refresh_from_db()
    assert entry.title == "三月开放周（更正）" and entry.revision == 2
    revisions = list(LogEntryRevision.objects.filter(entry=entry).order_by("number"))
    assert [r.data["title"] for r in revisions] == ["三月开放周", "三月开放周（更正）"]
    assert revisions[1].reason == "标题有误"
    with pytest.raises(DomainError, match="更正原因"):
        services.entry_correct(world.actor("manager"), entry=entry, values=values, reason=" ")


def test_photos_can_be_added_later(world: Any, cy: Any):
    entry = ch.entry(world, cy, n_photos=0, kind="job_drill")
    assert entry.evidence_count == 0
    response = world.client("manager").post(
        reverse("creation:entry_attach", args=[world.collective.code, entry.code]),
        {"attachments": [ef.upload("a.jpg", ef.jpeg()), ef.upload("b.png", ef.png())]},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.evidence_count == 2


def test_hostile_attachment_is_refused_with_its_name_and_nothing_saved(world: Any, cy: Any):
    with pytest.raises(DomainError, match=r"evil\.jpg"):
        services.entry_create(
            world.actor("manager"),
            collective=world.collective,
            cycle=cy,
            values={"kind": "job_drill", "title": "练兵", "occurred_on": TODAY, "participants": 3},
            files=[ef.upload("evil.jpg", b"<html><script>x</script></html>")],
        )
    assert LogEntry.objects.count() == 0


def test_every_attachment_is_checked_before_any_is_decoded(world: Any, cy: Any, monkeypatch: Any):
    """An over-cap last file refuses the record before the valid first one is decoded."""
    from qnwmh.core import images

    decoded: list[Any] = []
    real = images.reencode
    monkeypatch.setattr(images, "reencode", lambda im: decoded.append(im) or real(im))
    with pytest.raises(DomainError, match=r"big\.jpg"):
        services.entry_create(
            world.actor("manager"),
            collective=world.collective,
            cycle=cy,
            values={"kind": "job_drill", "title": "练兵", "occurred_on": TODAY, "participants": 3},
            files=[
                ef.upload("ok.jpg", ef.jpeg()),
                ef.upload("big.jpg", ef.jpeg_with_dimensions(9000, 9000)),
            ],
        )
    assert decoded == [] and LogEntry.objects.count() == 0


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"kind": "job_drill", "occurred_on": TODAY + datetime.timedelta(days=3)}, "只有开放周"),
        ({"kind": "open_week", "occurred_on": datetime.date(2000, 1, 1)}, "本创建周期内"),
        ({"kind": "bogus"}, "类别"),
        ({"title": " "}, "标题"),
        ({"kind": "open_week", "ends_on": TODAY - datetime.timedelta(days=1)}, "结束日期"),
    ],
)
def test_entry_guards(world: Any, cy: Any, values: dict[str, Any], message: str):
    base = {"kind": "open_week", "title": "活动", "occurred_on": TODAY, "participants": 1}
    with pytest.raises(DomainError, match=message):
        services.entry_create(
            world.actor("manager"), collective=world.collective, cycle=cy, values={**base, **values}
        )


def test_closed_cycle_takes_no_records(world: Any, cy: Any):
    # Of a collective without a title: a titled one keeps its log between cycles
    # (tests/test_creation_between_cycles.py).
    ch.register(world.other_collective, cy)
    cy.phase = Phase.CLOSED
    cy.save()
    with pytest.raises(DomainError, match="不接受记录"):
        ch.entry(world, cy, collective=world.other_collective, role="outsider")


def test_unregistered_untitled_collective_cannot_log(world: Any, cy: Any):
    with pytest.raises(DomainError, match="既未在本周期报备"):
        ch.entry(world, cy, collective=world.other_collective, role="outsider")


def test_entry_form_posts_several_photos(world: Any, cy: Any):
    client = world.client("manager")
    response = client.post(
        reverse("creation:entry_create", args=[world.collective.code]),
        {
            "kind": "open_week",
            "title": "开放日",
            "occurred_on": TODAY.isoformat(),
            "participants": 20,
            "public": "on",
            "attachments": [
                ef.upload("a.jpg", ef.jpeg()),
                ef.upload("b.jpg", ef.jpeg(color=(1, 1, 1))),
            ],
        },
    )
    assert response.status_code == 302
    entry = LogEntry.objects.get()
    assert entry.evidence_count == 2
    page = client.get(response["Location"]).content.decode()
    assert page.count(reverse("evidence:thumb", args=[entry.attachments.first().code])) == 1


# Compliance -------------------------------------------------------------------------------


def test_month_cells_mark_missing_past_months_and_pending_current():
    months = [month_ago(2).replace(day=1), month_ago(1).replace(day=1), TODAY.replace(day=1)]
    cells = month_cells({months[0]: 2}, months, titled=True, minimum=1, today=TODAY)
    assert [c.status for c in cells] == ["ok", "missing", "pending"]
    assert cells[0].label == "2+"
    assert [c.status for c in month_cells({}, months, titled=False, minimum=1, today=TODAY)] == [
        "not_required"
    ] * 3


def test_month_turns_compliant_only_with_evidence(world: Any, cy: Any, rules: Any):
    if month_ago(1) < cy.registration_opens_on:
        pytest.skip("needs a cycle month before the current one")
    last = month_ago(1).replace(day=1)
    before = {m.month: m.status for m in collective_compliance(world.collective, cy).months}
    assert before[last] == "missing"
    e = ch.entry(world, cy, on=month_ago(1), n_photos=0)
    assert {m.month: m.status for m in collective_compliance(world.collective, cy).months}[
        last
    ] == "missing"
    services.entry_attach(world.actor("manager"), entry=e, files=ch.photos(1))
    after = {m.month: m.status for m in collective_compliance(world.collective, cy).months}
    assert after[last] == "ok"


def test_required_activity_counts_from_the_rules(world: Any, cy: Any, rules: Any):
    ch.entry(world, cy, kind="job_drill", n_photos=1)
    ch.entry(world, cy, kind="volunteer_service", n_photos=1)  # not a required kind
    ch.entry(world, cy, kind="themed_training", n_photos=0)  # no evidence
    assert collective_compliance(world.collective, cy).required_count == 1
    assert collective_compliance(world.collective, cy).required_ok
    cy.rules_snapshot = {**rules.as_dict(), "required_activities_per_cycle": 2}
    cy.save()
    assert not collective_compliance(world.collective, cy).required_ok


def test_city_summary_groups_by_body(world: Any, cy: Any):
    ch.entry(world, cy, kind="job_drill")
    ch.register(world.other_collective, cy)
    summaries = {s.body.pk: s for s in body_summaries(world.actor("city_admin"), cy)}
    mine, other = summaries[world.body.pk], summaries[world.other_body.pk]
    assert (mine.total, mine.registered, mine.required_ok, mine.titled) == (1, 1, 1, 1)
    assert (other.total, other.registered, other.required_ok, other.titled) == (1, 1, 0, 0)
    assert world.body.pk not in {s.body.pk for s in body_summaries(world.actor("outsider"), cy)}


def test_compliance_pages_show_the_month(world: Any, cy: Any):
    ch.entry(world, cy)
    page = world.client("body_admin").get(reverse("creation:compliance")).content.decode()
    assert world.collective.name in page and world.other_collective.name not in page
    assert f'data-month="{TODAY:%Y-%m}" data-status="ok"' in page
    city = world.client("city_admin").get(reverse("creation:compliance")).content.decode()
    assert world.body.name in city


def test_compliance_export_is_a_workbook(world: Any, cy: Any):
    from openpyxl import load_workbook

    ch.entry(world, cy, kind="job_drill")
    response = world.client("body_admin").get(reverse("creation:compliance_export"))
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[0][0] == "集体" and len(rows) == 2
    assert rows[1][0] == world.collective.name and rows[1][5] == 1


# Query counts -----------------------------------------------------------------------------


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_log_list_queries_do_not_grow(world: Any, cy: Any):
    client = world.client("manager")
    url = reverse("creation:log", args=[world.collective.code])
    ch.entry(world, cy, n_photos=1)
    small = _count(client, url)
    for i in range(8):
        ch.entry(world, cy, kind="job_drill", n_photos=2, title=f"练兵{i}")
    assert _count(client, url) == small


@pytest.mark.parametrize("role", ["body_admin", "city_admin"])
def test_compliance_page_queries_do_not_grow(world: Any, cy: Any, role: str):
    client = world.client(role)
    url = reverse("creation:compliance")
    small = _count(client, url)
    for i in range(6):
        c = f.collective(world.body, members=0, name=f"集体{i}")
        ch.register(c, cy)
        f.title(c)
        ch.entry(world, cy, collective=c, role="body_admin")
    assert _count(client, url) == small


def test_public_calendar_queries_do_not_grow(world: Any, cy: Any):
    client = world.client("anonymous")
    url = reverse("open_weeks")
    ch.entry(world, cy, on=TODAY)
    small = _count(client, url)
    for i in range(5):
        ch.entry(world, cy, on=TODAY + datetime.timedelta(days=i + 1), n_photos=0, title=f"开放{i}")
    assert _count(client, url) == small


# Ledger and dossier -----------------------------------------------------------------------


def test_ledger_completeness_by_category(world: Any, cy: Any):
    ledger = build_ledger(world.collective, cy)
    status = {s.category: s.status for s in ledger.sections}
    assert status["plan"] == "missing" and status["honours"] == "optional"
    services.plan_save(
        world.actor("manager"), collective=world.collective, cycle=cy, values={"goals": "g"}
    )
    ch.entry(world, cy, kind="themed_training")
    ch.entry(world, cy, kind="rule_adopted", title="考勤制度")
    status = {s.category: s.status for s in build_ledger(world.collective, cy).sections}
    assert status["plan"] == "complete" and status["training"] == "complete"
    assert status["systems"] == "complete" and status["summary"] == "missing"


def test_dossier_pdf_is_chinese_and_zip_holds_the_evidence(world: Any, cy: Any, tmp_path: Any):
    services.plan_save(
        world.actor("manager"),
        collective=world.collective,
        cycle=cy,
        values={"goals": "争创市级青年文明号"},
    )
    with TestCase.captureOnCommitCallbacks(execute=True):  # files are written on commit
        entry = ch.entry(world, cy, n_photos=2, title="五月开放周")
    client = world.client("body_admin")
    pdf = client.get(reverse("creation:dossier_pdf", args=[world.collective.code])).content
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "d.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "创建台帐" in text and "五月开放周" in text and "争创市级青年文明号" in text
    response = client.get(reverse("creation:dossier_zip", args=[world.collective.code]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert "台帐.pdf" in names
    codes = {ev.code for ev in entry.attachments.all()}
    assert sum(1 for n in names if any(code in n for code in codes)) == 2


# Duties (三个一) ---------------------------------------------------------------------------


def test_duties_preloaded_and_recorded(world: Any, cy: Any):
    kinds = {k.code: k for k in DutyKind.objects.all()}
    assert set(kinds) == {"inspection", "exchange", "channel"}
    actor = world.actor("body_admin")
    services.duty_record_create(
        actor,
        body=world.body,
        cycle=cy,
        duty=kinds["inspection"],
        values={"title": "全面走访调研", "occurred_on": TODAY},
        files=ch.photos(1),
    )
    with pytest.raises(DomainError, match="渠道类型"):
        services.duty_record_create(
            actor,
            body=world.body,
            cycle=cy,
            duty=kinds["channel"],
            values={"title": "工作群", "occurred_on": TODAY},
        )
    services.duty_record_create(
        actor,
        body=world.body,
        cycle=cy,
        duty=kinds["channel"],
        values={
            "title": "青年文明号工作群",
            "occurred_on": TODAY,
            "channel_kind": "wechat_group",
            "members_count": 45,
        },
        qr_file=ef.upload("qr.png", ef.png(mode="RGB")),
    )
    with pytest.raises(DomainError, match="佐证"):
        services.duty_record_create(
            actor,
            body=world.body,
            cycle=cy,
            duty=kinds["exchange"],
            values={"title": "交流会", "occurred_on": TODAY},
        )
    with pytest.raises(PermissionDenied):
        services.duty_record_create(
            world.actor("outsider"),
            body=world.body,
            cycle=cy,
            duty=kinds["exchange"],
            values={"title": "x", "occurred_on": TODAY},
            files=ch.photos(1),
        )
    page = world.client("city_admin").get(reverse("creation:duties")).content.decode()
    assert "1 / 1" in page and "0 / 1" in page


# Public calendar --------------------------------------------------------------------------


def test_public_calendar_shows_upcoming_open_weeks_of_titled_collectives(world: Any, cy: Any):
    soon = ch.entry(world, cy, on=TODAY + datetime.timedelta(days=2), n_photos=0, title="即将开放")
    ch.entry(world, cy, on=TODAY - datetime.timedelta(days=20), title="早已结束")
    hidden = ch.entry(
        world, cy, on=TODAY + datetime.timedelta(days=3), n_photos=0, title="不公开", public=False
    )
    ch.register(world.other_collective, cy)  # registered but untitled
    ch.entry(
        world,
        cy,
        collective=world.other_collective,
        role="outsider",
        n_photos=0,
        on=TODAY + datetime.timedelta(days=1),
        title="无称号集体",
    )
    page = world.client("anonymous").get(reverse("open_weeks")).content.decode()
    assert soon.title in page
    assert "早已结束" not in page and hidden.title not in page and "无称号集体" not in page
    other_town = world.client("anonymous").get(
        reverse("open_weeks") + f"?town={world.other_town.pk}"
    )
    assert soon.title not in other_town.content.decode()
    assert (
        world.client("anonymous").get(reverse("open_weeks") + "?from=garbage&town=x").status_code
        == 200
    )


def test_public_calendar_reaches_back_the_longest_entry_and_pages_without_a_count(
    world: Any, cy: Any
):
    """A week begun MAX_ENTRY_DAYS ago and ending today is still on the calendar; one a day
    longer cannot be recorded. The calendar pages by "previous / next", with no total."""
    longest = ch.entry(
        world,
        cy,
        on=TODAY - datetime.timedelta(days=MAX_ENTRY_DAYS),
        ends_on=TODAY,
        n_photos=0,
        title="一个月开放",
    )
    with pytest.raises(DomainError, match=str(MAX_ENTRY_DAYS)):
        ch.entry(
            world,
            cy,
            on=TODAY - datetime.timedelta(days=MAX_ENTRY_DAYS + 1),
            ends_on=TODAY,
            n_photos=0,
        )
    for i in range(PUBLIC_PAGE_SIZE):
        ch.entry(world, cy, on=TODAY + datetime.timedelta(days=i + 1), n_photos=0, title=f"周{i}")
    client = world.client("anonymous")
    first = client.get(reverse("open_weeks")).content.decode()
    assert (
        longest.title in first
        and 'rel="next"' in first
        and f"周{PUBLIC_PAGE_SIZE - 1}" not in first
    )
    second = client.get(reverse("open_weeks") + "?page=2").content.decode()
    assert f"周{PUBLIC_PAGE_SIZE - 1}" in second and 'rel="prev"' in second
    assert 'rel="next"' not in second


# Reminders --------------------------------------------------------------------------------


def test_open_week_reminder_once_a_month_near_month_end(
    world: Any, cy: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any
):
    from django.core.management import call_command

    from qnwmh.creation.reminders import send_reminders
    from qnwmh.notices.models import OutboundMail

    world.users["manager"].email = "manager@example.com"
    world.users["manager"].save()
    year, month = cy.certification_year, 3
    early, late = datetime.date(year, month, 10), datetime.date(year, month, 26)
    assert send_reminders(early).open_week == 0
    with django_capture_on_commit_callbacks(execute=False):
        assert send_reminders(late).open_week == 1  # the titled collective, nothing logged
    # Queued in the outbox (sent by the worker after commit), not sent from the command.
    assert mailoutbox == []
    (queued,) = OutboundMail.objects.all()
    assert queued.to == "manager@example.com" and world.collective.name in queued.body
    OutboundMail.objects.all().delete()
    ReminderSent.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(late).open_week == 1
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["manager@example.com"]
    assert world.collective.name in mailoutbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        call_command("creation_reminders", "--today", late.isoformat())
    assert len(mailoutbox) == 1  # not twice
    # A collective with its open week (with evidence) that month is not reminded.
    ch.entry(world, cy, on=datetime.date(year, month + 1, 2))
    assert send_reminders(datetime.date(year, month + 1, 25)).open_week == 0


def test_required_activity_reminder_to_bodies_two_months_before(
    world: Any, cy: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any
):
    from qnwmh.creation.reminders import send_reminders

    world.users["outsider"].email = "other-body@example.com"
    world.users["outsider"].save()
    ch.register(world.other_collective, cy)
    ch.entry(world, cy, kind="job_drill", on=datetime.date(cy.registration_year, 6, 1))
    start = cy.certification_starts_on
    assert send_reminders(start - datetime.timedelta(days=90)).required == 0
    with django_capture_on_commit_callbacks(execute=True):
        outcome = send_reminders(start - datetime.timedelta(days=30))
    # Only the other body's collective lacks a required activity: its body is told, once.
    assert outcome.required == 1
    sent = [m for m in mailoutbox if "规定活动" in m.subject]
    assert len(sent) == 1 and sent[0].to == ["other-body@example.com"]
    assert world.other_collective.name in sent[0].body and world.collective.name not in sent[0].body
    assert send_reminders(start - datetime.timedelta(days=29)).required == 0  # already sent
    assert len([m for m in mailoutbox if "规定活动" in m.subject]) == 1


# Entries other stages record ------------------------------------------------------------


def test_another_stage_records_an_entry_once_per_origin(world: Any, cy: Any):
    values = {
        "kind": "exchange_visit",
        "title": "互访互学：某集体",
        "occurred_on": TODAY,
        "place": "东区",
        "participants": 6,
    }
    first = services.entry_record(
        world.actor("body_admin"),
        collective=world.collective,
        origin="exchange.event:E1",
        values=values,
    )
    assert first is not None and first.origin == "exchange.event:E1"
    assert first.kind == "exchange_visit" and first.cycle == cy
    again = services.entry_record(
        world.actor("body_admin"),
        collective=world.collective,
        origin="exchange.event:E1",
        values=values,
    )
    assert again == first
    assert LogEntry.objects.filter(collective=world.collective).count() == 1
    assert AuditEntry.objects.filter(code="creation.entry.recorded").count() == 1


def test_a_collective_keeping_no_log_gets_no_recorded_entry(world: Any, cy: Any):
    values = {"kind": "exchange_visit", "title": "互访", "occurred_on": TODAY}
    assert (
        services.entry_record(
            world.actor("body_admin"),
            collective=world.other_collective,
            origin="x:1",
            values=values,
        )
        is None
    )
    with pytest.raises(ValueError):
        services.entry_record(
            world.actor("body_admin"), collective=world.collective, origin="", values=values
        )


def test_a_registered_collective_gets_no_recorded_entry_after_its_cycle(world: Any, cy: Any):
    """Only a titled collective's log runs on past its cycle's end: an activity of a
    collective that was only registered goes into no finished cycle."""
    ch.register(world.other_collective, cy)
    values = {"kind": "exchange_visit", "title": "结对活动", "occurred_on": TODAY}
    cy.certification_ends_on = TODAY - datetime.timedelta(days=1)
    cy.save()
    recorded = services.entry_record(
        world.actor("city_admin"), collective=world.other_collective, origin="x:2", values=values
    )
    assert recorded is None
    titled = services.entry_record(
        world.actor("city_admin"), collective=world.collective, origin="x:2", values=values
    )
    assert titled is not None and titled.cycle == cy


def test_files_an_entry_was_recorded_with_open_to_whoever_reads_the_entry(
    world: Any, cy: Any, django_capture_on_commit_callbacks: Any
):
    """An event's photos are kept under its organiser; each attending collective's log entry
    shows them, so the collective's managers may open them, but nothing else of the
    organiser's."""
    from qnwmh.creation.services import _store_files
    from qnwmh.evidence.selectors import evidence_visible_to

    city = world.actor("city_admin")
    with django_capture_on_commit_callbacks(execute=True):  # the files are written
        shared, private = _store_files(
            city, ch.photos(2), body=world.other_body, purpose="exchange.event"
        )
    manager = world.actor("manager")
    assert not evidence_visible_to(manager).filter(pk=shared.pk).exists()
    services.entry_record(
        city,
        collective=world.collective,
        origin="exchange.event:E2",
        values={"kind": "exchange_visit", "title": "交流会", "occurred_on": TODAY},
        files=[shared],
    )
    visible = set(evidence_visible_to(manager).values_list("pk", flat=True))
    assert shared.pk in visible and private.pk not in visible
    response = world.client("manager").get(reverse("evidence:file", args=[shared.code]))
    assert response.status_code == 200
    body_admin = set(evidence_visible_to(world.actor("body_admin")).values_list("pk", flat=True))
    assert shared.pk in body_admin and private.pk not in body_admin
