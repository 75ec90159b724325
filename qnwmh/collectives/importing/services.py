"""Import services: upload (check, read, validate, preview) and apply. Each runs in one
transaction and writes one audit entry. Applying re-reads the stored file and validates it
again under locks, so what is written is what the rules allow at that moment."""

from __future__ import annotations

import os
from collections.abc import Callable
from itertools import groupby

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qnwmh.audit.services import log_action
from qnwmh.collectives import counts as collective_counts
from qnwmh.collectives.eligibility import check_eligibility, reference_date
from qnwmh.collectives.importing import bulk
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
    actor: Actor,
    batch: ImportBatch,
    *,
    lock_rows: bool,
    on_total: Callable[[int], None] | None = None,
) -> tuple[Plan | None, list[Problem]]:
    try:
        with batch.file.open("rb") as fh:
            sheets = read_rows(fh, batch.original_name, batch.size)
    except FileRejected as exc:
        return None, [Problem("", None, "", exc.message)]
    if not any(sheets.rows.values()) and not sheets.problems:
        return None, [Problem("", None, "", _("文件中没有数据行。"))]
    if on_total is not None:
        on_total(sum(len(rows) for rows in sheets.rows.values()))
    plan, problems = build_plan(actor, sheets.rows, lock=lock_rows)
    problems = sort_problems(sheets.problems + problems)
    return (None if problems else plan), problems


def _store_problems(batch: ImportBatch, problems: list[Problem]) -> None:
    # Replaces the whole summary: a running step's mark ("task") ends with it.
    cap = limit("IMPORT_MAX_ERRORS")
    batch.errors = [p.as_dict() for p in problems[:cap]]
    batch.summary = {"error_count": len(problems)}


def receive_upload(actor: Actor, *, upload: UploadedFile) -> ImportBatch:
    """Store the file as a new batch, not yet checked (``invalid`` until the check says)."""
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
    batch.save()
    return batch


@transaction.atomic
def import_upload(actor: Actor, *, upload: UploadedFile) -> ImportBatch:
    """Store the file, check and validate it at once (the pages queue the check instead:
    ``importing.background``)."""
    return check_batch(actor, receive_upload(actor, upload=upload))


def check_batch(
    actor: Actor, batch: ImportBatch, *, on_total: Callable[[int], None] | None = None
) -> ImportBatch:
    """Check and validate a stored file; the batch turns ``ready`` (a preview) or stays
    ``invalid`` (every error listed). Nothing but the batch is written."""
    require(actor, "collectives.import")
    plan, problems = _evaluate(actor, batch, lock_rows=False, on_total=on_total)
    with transaction.atomic():
        if plan is None:
            batch.status = ImportStatus.INVALID
            _store_problems(batch, problems)
        else:
            batch.status = ImportStatus.READY
            batch.errors = []
            batch.summary = plan.summary()
        batch.save(update_fields=["status", "errors", "summary"])
        log_action(
            actor,
            batch,
            "collectives.import.uploaded",
            data={
                "file": batch.original_name,
                "size": batch.size,
                "status": batch.status,
                "errors": len(problems),
                **(plan.counts() if plan else {}),
            },
        )
    return batch


def _refresh_eligibility(ids: list[int], rules: ProgrammeRules) -> None:
    """Recompute the cached eligibility and member count of the collectives touched."""
    on = reference_date(rules)
    for start in range(0, len(ids), 2000):
        chunk = ids[start : start + 2000]
        members = (
            Member.objects.current()
            .filter(collective_id__in=chunk)
            .order_by("collective_id")
            .values_list("collective_id", "birth_date", "nationality", "is_leader", named=True)
        )
        rosters = {cid: list(ms) for cid, ms in groupby(members, key=lambda m: m.collective_id)}
        bulk.update_columns(
            Collective,
            ["eligibility", "member_count"],
            [
                (
                    cid,
                    check_eligibility(rosters.get(cid, []), rules, on).status,
                    len(rosters.get(cid, [])),
                )
                for cid in chunk
            ],
        )


# The collective's foreign keys as the plan holds them (instances), written as ids.
_RELATED = ("body", "town", "sector")


def _write(plan: Plan) -> dict[str, int]:
    now = timezone.now()
    new = [r for r in plan.collectives if r.action == "create"]
    new_ids = bulk.insert(
        Collective,
        [
            {
                **{k: v for k, v in r.values.items() if k not in _RELATED},
                **{f"{k}_id": getattr(r.values[k], "pk", None) for k in _RELATED},
                "sort_key": pinyin_key(r.values["name"]),
            }
            for r in new
        ],
        with_ids=True,
    )
    ids: dict[tuple[int, str], int] = {r.key: pk for r, pk in zip(new, new_ids, strict=True)}
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
    bulk.insert(
        Member,
        [
            {"collective_id": ids[m.ckey], "joined_on": today, **m.values}
            for m in plan.members
            if m.action == "create"
        ],
    )
    touched_keys = {r.key for r in plan.collectives if r.action != "unchanged"}
    touched_keys |= {m.ckey for m in plan.members if m.action != "unchanged"}
    touched = {ids[key] for key in touched_keys}
    _refresh_eligibility(sorted(touched), ProgrammeRules.current())
    # COPY and UPDATE send no signal. A row is matched by body and name, so an import never
    # moves a collective to another body: the bodies it names are the ones whose counts move.
    collective_counts.refresh({body_id for body_id, _name in touched_keys})
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
    batch.summary = {
        **{k: v for k, v in batch.summary.items() if k != "task"},
        "applied": counts,
    }
    batch.save(update_fields=["status", "applied_at", "summary"])
    log_action(
        actor, batch, "collectives.import.applied", data={"file": batch.original_name, **counts}
    )
    return batch
