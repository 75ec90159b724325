"""State changes of creation records. Each checks permission and the cycle's phase, runs in
one transaction and writes one audit entry (stored evidence files add their own entries,
written by ``qnwmh.evidence.services.store_prepared``).

A collective holding an active title keeps its log whatever the cycle's phase: its monthly
open weeks are owed between cycles too. Its entries go to the cycle their date falls in
(``selectors.record_cycle``: between two cycles, the one that ended)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qnwmh.audit.services import log_action
from qnwmh.collectives.models import Collective
from qnwmh.core.actor import Actor
from qnwmh.core.errors import DomainError
from qnwmh.core.locking import lock
from qnwmh.core.permissions import require
from qnwmh.creation.models import (
    ENTRY_FIELDS,
    MAX_ENTRY_DAYS,
    PLAN_FIELDS,
    ChannelKind,
    CreationPlan,
    DutyKind,
    DutyRecord,
    EntryKind,
    LogEntry,
    LogEntryRevision,
    PlanVersion,
)
from qnwmh.creation.selectors import (
    cycle_end,
    cycle_start,
    is_registered,
    is_titled,
    record_cycle,
    record_end,
)
from qnwmh.creation.tallies import retally
from qnwmh.cycles.models import Cycle, Phase
from qnwmh.evidence.services import prepare_upload, store_prepared

LOG_PURPOSE = "creation.log"
DUTY_PURPOSE = "creation.duty"
WRITABLE_PHASES = (
    Phase.REGISTRATION_OPEN,
    Phase.REGISTRATION_CLOSED,
    Phase.CREATION,
    Phase.CERTIFICATION,
)


def _check_cycle_open(cycle: Cycle) -> None:
    if cycle.phase not in WRITABLE_PHASES:
        raise DomainError(
            _("该创建周期当前不接受记录（%(phase)s）。") % {"phase": cycle.get_phase_display()}
        )


def _store_files(
    actor: Actor, files: list[Any], *, collective: Any = None, body: Any = None, purpose: str
) -> list[Any]:
    """Every file through the cheap checks (size, type, pixel cap) before any is decoded or
    stored; then each is cleaned and kept (written when the record commits)."""

    def named(f: Any, exc: DomainError) -> DomainError:
        name = getattr(f, "name", "") or ""
        return DomainError(
            _("“%(name)s”：%(error)s") % {"name": name[-60:], "error": exc},
            code=exc.code,
            field="attachments",
        )

    prepared: list[Any] = []
    stored: list[Any] = []
    try:
        for f in files:
            try:
                prepared.append(
                    prepare_upload(
                        actor, uploaded_file=f, collective=collective, body=body, purpose=purpose
                    )
                )
            except DomainError as exc:
                raise named(f, exc) from exc
        for f, item in zip(files, prepared, strict=True):
            try:
                stored.append(store_prepared(actor, item))
            except DomainError as exc:
                raise named(f, exc) from exc
    except BaseException:
        for item in prepared[len(stored) :]:  # those not handed to storage
            item.close()
        raise
    return stored


# Plans ------------------------------------------------------------------------------------


@transaction.atomic
def plan_save(
    actor: Actor, *, collective: Collective, cycle: Cycle, values: dict[str, Any], note: str = ""
) -> PlanVersion:
    """Save a new version of the collective's plan for the cycle (the first creates it)."""
    require(actor, "creation.edit_records", collective)
    _check_cycle_open(cycle)
    if not is_registered(collective, cycle):
        raise DomainError(_("该集体未在本周期报备（或报备尚未通过初评），不能填写创建计划。"))
    content = {name: str(values.get(name) or "").strip() for name in PLAN_FIELDS}
    if not content["goals"]:
        raise DomainError(_("请填写创建目标。"), field="goals")
    lock(Collective, collective.pk)
    plan, _created = CreationPlan.objects.get_or_create(collective=collective, cycle=cycle)
    plan = lock(CreationPlan, plan.pk)
    latest = plan.versions.order_by("-number").first()
    if latest is not None and all(getattr(latest, n) == content[n] for n in PLAN_FIELDS):
        raise DomainError(_("内容没有变化，未保存新版本。"))
    version = PlanVersion.objects.create(
        plan=plan,
        number=plan.latest_number + 1,
        note=note.strip()[:200],
        created_by=actor.user,
        **content,
    )
    plan.latest_number = version.number
    plan.updated_at = timezone.now()
    plan.save(update_fields=["latest_number", "updated_at"])
    log_action(
        actor,
        plan,
        "creation.plan.version_saved",
        data={
            "version": version.number,
            "collective": collective.code,
            "cycle": cycle.code,
            "note": version.note,
        },
    )
    return version


# Log entries ------------------------------------------------------------------------------


def _check_log_open(cycle: Cycle, titled: bool) -> None:
    """A titled collective's log is open in any phase; others' only while the cycle runs."""
    if not titled:
        _check_cycle_open(cycle)


def _entry_cycle(cycle: Cycle, values: dict[str, Any], titled: bool) -> Cycle:
    """The cycle a new entry belongs to: for a titled collective, the one its date falls in."""
    occurred = values.get("occurred_on")
    if titled and isinstance(occurred, datetime.date):
        return record_cycle(occurred) or cycle
    return cycle


def _clean_entry(
    values: dict[str, Any], collective: Collective, cycle: Cycle, *, titled: bool = False
) -> dict[str, Any]:
    data = {name: values.get(name) for name in ENTRY_FIELDS}
    if data["kind"] not in EntryKind.values:
        raise DomainError(_("请选择日志类别。"), field="kind")
    data["title"] = str(data["title"] or "").strip()
    if not data["title"]:
        raise DomainError(_("请填写标题。"), field="title")
    occurred = data["occurred_on"]
    if not isinstance(occurred, datetime.date):
        raise DomainError(_("请填写日期。"), field="occurred_on")
    if titled:
        end = record_end(cycle)
        if occurred < cycle_start(cycle) or (end is not None and occurred > end):
            raise DomainError(
                _("日期须在本创建周期内（%(start)s 起）。") % {"start": cycle_start(cycle)}
                if end is None
                else _("日期须在本创建周期内（%(start)s 至 %(end)s）。")
                % {"start": cycle_start(cycle), "end": end},
                field="occurred_on",
            )
    elif not cycle_start(cycle) <= occurred <= cycle_end(cycle):
        raise DomainError(
            _("日期须在本创建周期内（%(start)s 至 %(end)s）。")
            % {"start": cycle_start(cycle), "end": cycle_end(cycle)},
            field="occurred_on",
        )
    today = timezone.localdate()
    if occurred > today and data["kind"] != EntryKind.OPEN_WEEK:
        raise DomainError(
            _("只有开放周可以提前登记；其他记录的日期不能晚于今天。"), field="occurred_on"
        )
    ends = data["ends_on"]
    if ends is not None and (ends < occurred or (ends - occurred).days > MAX_ENTRY_DAYS):
        raise DomainError(
            _("结束日期须在开始日期之后，且活动不超过 %(days)s 天。") % {"days": MAX_ENTRY_DAYS},
            field="ends_on",
        )
    if data["kind"] != EntryKind.OPEN_WEEK:
        data["ends_on"] = None
    participants = int(data["participants"] or 0)
    data["participants"] = participants
    if participants < 0 or participants > 100000:
        raise DomainError(_("参与人数不合理。"), field="participants")
    data["place"] = str(data["place"] or "").strip()[:100]
    data["description"] = str(data["description"] or "").strip()
    data["public"] = bool(data["public"])
    return data


def _revision_data(data: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in data.items()}


@transaction.atomic
def entry_create(
    actor: Actor,
    *,
    collective: Collective,
    cycle: Cycle,
    values: dict[str, Any],
    files: list[Any] | None = None,
) -> LogEntry:
    require(actor, "creation.edit_records", collective)
    titled = is_titled(collective)
    cycle = _entry_cycle(cycle, values, titled)
    _check_log_open(cycle, titled)
    if not (titled or is_registered(collective, cycle)):
        raise DomainError(_("该集体既未在本周期报备，也未持有称号，不能登记创建日志。"))
    data = _clean_entry(values, collective, cycle, titled=titled)
    entry = LogEntry.objects.create(
        collective=collective, cycle=cycle, created_by=actor.user, **data
    )
    LogEntryRevision.objects.create(
        entry=entry, number=1, data=_revision_data(data), edited_by=actor.user
    )
    stored = _store_files(actor, files or [], collective=collective, purpose=LOG_PURPOSE)
    if stored:
        entry.attachments.add(*stored)
        entry.evidence_count = len(stored)
        entry.save(update_fields=["evidence_count"])
    retally(collective.pk, cycle.pk)
    log_action(
        actor,
        entry,
        "creation.entry.created",
        data={
            **_revision_data(data),
            "collective": collective.code,
            "files": [s.code for s in stored],
        },
    )
    return entry


@transaction.atomic
def entry_record(
    actor: Actor,
    *,
    collective: Collective,
    origin: str,
    values: dict[str, Any],
    files: Sequence[Any] = (),
) -> LogEntry | None:
    """The entry another stage records in a collective's log so nobody retypes it (an
    attended exchange event, a pair's activity). The calling service has checked its own
    permission; this one needs none of creation's. ``origin`` ("<app>.<model>:<code>")
    makes it idempotent: recorded again, the existing entry is returned unchanged.
    ``files`` are stored evidence files (already checked) to attach.

    Returns ``None`` when the collective keeps no log for the day (neither titled nor
    registered in the cycle the day falls in, or the day is outside every cycle): the
    activity still counts where it was recorded, it just has no log to go in."""
    if not origin:
        raise ValueError("an entry recorded by another stage names its origin")
    existing = LogEntry.objects.filter(collective=collective, origin=origin).first()
    if existing is not None:
        return existing
    occurred = values.get("occurred_on")
    cycle = record_cycle(occurred) if isinstance(occurred, datetime.date) else None
    if cycle is None:
        return None
    titled = is_titled(collective)
    if not (titled or is_registered(collective, cycle)):
        return None
    try:
        data = _clean_entry(values, collective, cycle, titled=titled)
    except DomainError:
        return None  # a day outside the cycle's span: nothing to log
    entry = LogEntry.objects.create(
        collective=collective, cycle=cycle, created_by=actor.user, origin=origin, **data
    )
    LogEntryRevision.objects.create(
        entry=entry, number=1, data=_revision_data(data), edited_by=actor.user
    )
    if files:
        entry.attachments.add(*files)
        entry.evidence_count = len(files)
        entry.save(update_fields=["evidence_count"])
    retally(collective.pk, cycle.pk)
    log_action(
        actor,
        entry,
        "creation.entry.recorded",
        data={**_revision_data(data), "collective": collective.code, "origin": origin},
    )
    return entry


@transaction.atomic
def entry_correct(
    actor: Actor, *, entry: LogEntry, values: dict[str, Any], reason: str
) -> LogEntry:
    """Correct an entry: the current content becomes a new revision; earlier ones stay."""
    require(actor, "creation.edit_records", entry.collective)
    entry = lock(LogEntry, entry.pk)
    cycle = entry.cycle
    titled = is_titled(entry.collective)
    _check_log_open(cycle, titled)
    if not reason.strip():
        raise DomainError(_("请说明更正原因。"), field="reason")
    data = _clean_entry(values, entry.collective, cycle, titled=titled)
    before = {name: getattr(entry, name) for name in ENTRY_FIELDS}
    if before == data:
        raise DomainError(_("内容没有变化。"))
    for name, value in data.items():
        setattr(entry, name, value)
    entry.revision += 1
    entry.updated_at = timezone.now()
    entry.save()
    LogEntryRevision.objects.create(
        entry=entry,
        number=entry.revision,
        data=_revision_data(data),
        reason=reason.strip()[:200],
        edited_by=actor.user,
    )
    retally(entry.collective_id, entry.cycle_id)
    log_action(
        actor,
        entry,
        "creation.entry.corrected",
        before=_revision_data(before),
        after=_revision_data(data),
        data={"revision": entry.revision, "reason": reason.strip()[:200]},
    )
    return entry


@transaction.atomic
def entry_attach(actor: Actor, *, entry: LogEntry, files: list[Any]) -> list[Any]:
    """Add evidence to an entry later. Attachments are only ever added."""
    require(actor, "creation.edit_records", entry.collective)
    entry = lock(LogEntry, entry.pk)
    _check_log_open(entry.cycle, is_titled(entry.collective))
    if not files:
        raise DomainError(_("请选择要上传的文件。"), field="attachments")
    stored = _store_files(actor, files, collective=entry.collective, purpose=LOG_PURPOSE)
    entry.attachments.add(*stored)
    entry.evidence_count = entry.attachments.count()
    entry.save(update_fields=["evidence_count"])
    retally(entry.collective_id, entry.cycle_id)
    log_action(
        actor,
        entry,
        "creation.entry.evidence_added",
        data={"files": [s.code for s in stored], "evidence_count": entry.evidence_count},
    )
    return stored


# Duties (三个一) ---------------------------------------------------------------------------


@transaction.atomic
def duty_record_create(
    actor: Actor,
    *,
    body: Any,
    cycle: Cycle,
    duty: DutyKind,
    values: dict[str, Any],
    files: list[Any] | None = None,
    qr_file: Any = None,
) -> DutyRecord:
    require(actor, "creation.manage_duties", body)
    _check_cycle_open(cycle)
    if body.kind != "body":
        raise DomainError(_("只有基层团委或团工委记录“三个一”。"))
    if not duty.active:
        raise DomainError(_("该职责已停用。"), field="duty")
    title = str(values.get("title") or "").strip()
    if not title:
        raise DomainError(_("请填写名称。"), field="title")
    occurred = values.get("occurred_on")
    if not isinstance(occurred, datetime.date) or occurred > timezone.localdate():
        raise DomainError(_("请填写不晚于今天的日期。"), field="occurred_on")
    channel_kind = str(values.get("channel_kind") or "")
    members = values.get("members_count")
    if duty.is_channel:
        if channel_kind not in ChannelKind.values:
            raise DomainError(_("请选择联系渠道类型。"), field="channel_kind")
        if members is None or int(members) < 1:
            raise DomainError(_("请填写渠道成员数。"), field="members_count")
    else:
        channel_kind, members = "", None
    if duty.needs_evidence and not files:
        raise DomainError(_("请上传至少一个佐证文件（照片、视频或 PDF）。"), field="attachments")
    record = DutyRecord.objects.create(
        body=body,
        cycle=cycle,
        duty=duty,
        title=title[:100],
        occurred_on=occurred,
        description=str(values.get("description") or "").strip(),
        channel_kind=channel_kind,
        members_count=members,
        created_by=actor.user,
    )
    stored = _store_files(actor, files or [], body=body, purpose=DUTY_PURPOSE)
    if qr_file is not None:
        qr = _store_files(actor, [qr_file], body=body, purpose=DUTY_PURPOSE)[0]
        if not qr.is_image:
            raise DomainError(_("群二维码须为图片。"), field="qr_file")
        record.qr_image = qr
    if stored:
        record.attachments.add(*stored)
    record.evidence_count = len(stored) + (1 if record.qr_image_id else 0)
    record.save(update_fields=["qr_image", "evidence_count"])
    log_action(
        actor,
        record,
        "creation.duty.recorded",
        data={
            "body": body.code,
            "cycle": cycle.code,
            "duty": duty.code,
            "files": [s.code for s in stored],
        },
    )
    return record
