"""Import services: upload (check, read, validate, preview) and apply. Each runs in one
transaction and writes one audit entry. Applying re-reads the stored file and validates it
again under locks, so what is written is what the rules allow at that moment."""

from __future__ import annotations

import os
from itertools import groupby

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qnwmh.audit.services import log_action
from qnwmh.collectives.eligibility import check_eligibility, reference_date
from qnwmh.collectives.importing.files import FileRejected, Problem, limit, read_rows
from qnwmh.collectives.importing.validate import Plan, build_plan, sort_problems
from qnwmh.collectives.models import (
    IMPORT_TRANSITIONS,
    Collective,
    ImportBatch,
    ImportStatus,
    Member,
)
from qnwmh.collectives.signals import collectives_changed
from qnwmh.core.actor import Actor
from qnwmh.core.collation import pinyin_key
from qnwmh.core.errors import DomainError
from qnwmh.core.locking import lock
from qnwmh.core.permissions import require
from qnwmh.programme.models import ProgrammeRules


def _evaluate(
    actor: Actor, batch: ImportBatch, *, lock_rows: bool
) -> tuple[Plan | None, list[Problem]]:
    try:
        with batch.file.open("rb") as fh:
            sheets = read_rows(fh, batch.original_name, batch.size)
    except FileRejected as exc:
        return None, [Problem("", None, "", exc.message)]
    if not any(sheets.rows.values()) and not sheets.problems:
        return None, [Problem("", None, "", _("文件中没有数据行。"))]
    plan, problems = build_plan(actor, sheets.rows, lock=lock_rows)
    problems = sort_problems(sheets.problems + problems)
    return (None if problems else plan), problems


def _store_problems(batch: ImportBatch, problems: list[Problem]) -> None:
    cap = limit("IMPORT_MAX_ERRORS")
    batch.errors = [p.as_dict() for p in problems[:cap]]
    batch.summary = {"error_count": len(problems)}


@transaction.atomic
def import_upload(actor: Actor, *, upload: UploadedFile) -> ImportBatch:
    """Store the file, check and validate it; the batch is ``ready`` (a preview) or
    ``invalid`` (every error listed). Nothing but the batch is written."""
    require(actor, "collectives.import")
    size = upload.size or 0
    if size > limit("IMPORT_MAX_UPLOAD_BYTES"):
        raise DomainError(
            _("文件超过 %(mb)s MB 的上限。") % {"mb": limit("IMPORT_MAX_UPLOAD_BYTES") // 2**20}
        )
    name = os.path.basename(upload.name or "upload")[:200]
    batch = ImportBatch(
        owner=actor.user, original_name=name, size=size, status=ImportStatus.INVALID
    )
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else "bin"
    batch.file.save(f"{batch.code}.{ext[:8]}", upload, save=False)
    plan, problems = _evaluate(actor, batch, lock_rows=False)
    if plan is None:
        _store_problems(batch, problems)
    else:
        batch.status = ImportStatus.READY
        batch.summary = plan.summary()
    batch.save()
    log_action(
        actor,
        batch,
        "collectives.import.uploaded",
        data={
            "file": name,
            "size": size,
            "status": batch.status,
            "errors": len(problems),
            **(plan.counts() if plan else {}),
        },
    )
    return batch


def _refresh_eligibility(ids: list[int], rules: ProgrammeRules) -> None:
    """Recompute the cached eligibility and member count of the collectives touched."""
    on = reference_date(rules)
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        members = (
            Member.objects.current()
            .filter(collective_id__in=chunk)
            .only("collective_id", "birth_date", "nationality", "is_leader")
            .order_by("collective_id")
        )
        rosters = {cid: list(ms) for cid, ms in groupby(members, key=lambda m: m.collective_id)}
        updates = [
            Collective(
                id=cid,
                eligibility=check_eligibility(rosters.get(cid, []), rules, on).status,
                member_count=len(rosters.get(cid, [])),
            )
            for cid in chunk
        ]
        Collective.objects.bulk_update(updates, ["eligibility", "member_count"], batch_size=500)


def _write(plan: Plan) -> dict[str, int]:
    now = timezone.now()
    new = [
        Collective(**r.values, sort_key=pinyin_key(r.values["name"]))
        for r in plan.collectives
        if r.action == "create"
    ]
    Collective.objects.bulk_create(new, batch_size=500)
    ids: dict[tuple[int, str], int] = {(c.body_id, c.name): c.pk for c in new}
    changed = []
    fields: set[str] = set()
    for r in plan.collectives:
        if r.existing is not None:
            ids[r.key] = r.existing.pk
            if r.changes:
                for k, v in r.changes.items():
                    setattr(r.existing, k, v)
                if "name" in r.changes:
                    r.existing.sort_key = pinyin_key(r.existing.name)
                    fields.add("sort_key")
                r.existing.updated_at = now
                fields |= set(r.changes)
                changed.append(r.existing)
    if changed:
        Collective.objects.bulk_update(changed, sorted(fields | {"updated_at"}), batch_size=500)
        collectives_changed.send(sender=Collective, ids=[c.pk for c in changed])
    ids.update({k: c.pk for k, c in plan.existing.items()})

    # A leader named in the file replaces the collective's current leader.
    keep = [m.existing.pk for m in plan.members if m.existing is not None and m.values["is_leader"]]
    with_leader = sorted({ids[m.ckey] for m in plan.members if m.values["is_leader"]})
    for start in range(0, len(with_leader), 500):
        (
            Member.objects.current()
            .filter(collective_id__in=with_leader[start : start + 500], is_leader=True)
            .exclude(pk__in=keep)
            .update(is_leader=False)
        )
    updated = []
    member_fields: set[str] = set()
    for m in plan.members:
        if m.existing is not None and m.changes:
            for k, v in m.changes.items():
                setattr(m.existing, k, v)
            member_fields |= set(m.changes)
            updated.append(m.existing)
    if updated:
        Member.objects.bulk_update(updated, sorted(member_fields), batch_size=500)
    today = timezone.localdate()
    Member.objects.bulk_create(
        [
            Member(collective_id=ids[m.ckey], joined_on=today, **m.values)
            for m in plan.members
            if m.action == "create"
        ],
        batch_size=1000,
    )
    touched = {ids[r.key] for r in plan.collectives if r.action != "unchanged"}
    touched |= {ids[m.ckey] for m in plan.members if m.action != "unchanged"}
    _refresh_eligibility(sorted(touched), ProgrammeRules.current())
    return {**plan.counts(), "collectives_touched": len(touched)}


@transaction.atomic
def import_apply(actor: Actor, *, batch: ImportBatch) -> ImportBatch:
    """Write the previewed batch: all rows or none. If the data changed since the preview
    and a row is now invalid, the batch turns ``invalid`` with its errors and nothing else
    is written."""
    require(actor, "collectives.import_apply", batch)
    batch = lock(ImportBatch, batch.pk)
    IMPORT_TRANSITIONS.check(
        batch, ImportStatus.APPLIED, message=_("只有待确认的导入批次才能确认导入。")
    )
    plan, problems = _evaluate(actor, batch, lock_rows=True)
    if plan is None:
        _store_problems(batch, problems)
        IMPORT_TRANSITIONS.move(batch, ImportStatus.INVALID)
        batch.save(update_fields=["errors", "summary", "status"])
        log_action(actor, batch, "collectives.import.rejected", data={"errors": len(problems)})
        return batch
    counts = _write(plan)
    IMPORT_TRANSITIONS.move(batch, ImportStatus.APPLIED)
    batch.applied_at = timezone.now()
    batch.summary = {**batch.summary, "applied": counts}
    batch.save(update_fields=["status", "applied_at", "summary"])
    log_action(
        actor, batch, "collectives.import.applied", data={"file": batch.original_name, **counts}
    )
    return batch
