"""The decision (评定): city staff decide entries of the final list under one document number.
One transaction creates (or stars) each title, issues its certificate and marks the entries
decided. The shortlist row is locked first (``lock_shortlist``): that lock is what keeps two
decisions taken at the same moment from both filling a body's last place."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from qnwmh.audit.services import log_action, snapshot
from qnwmh.awards import notices
from qnwmh.awards.caps import Caps, caps_for
from qnwmh.awards.models import (
    ENTRY_TRANSITIONS,
    Certificate,
    Decision,
    EntryStatus,
    Shortlist,
    ShortlistEntry,
)
from qnwmh.awards.selectors.decision import annotated_entries, checks_of
from qnwmh.awards.services.certificates import issue
from qnwmh.collectives import services as collective_services
from qnwmh.collectives.models import Level, Title, TitleStatus
from qnwmh.core.actor import Actor
from qnwmh.core.errors import DomainError
from qnwmh.core.locking import lock
from qnwmh.core.permissions import require
from qnwmh.core.validation import check_text

MAX_STARS = 3


@dataclass(frozen=True)
class Decided:
    decision: Decision
    certificates: list[Certificate]
    notes: list[str]  # e.g. a title already at three stars, which stays at three


def lock_shortlist(shortlist_id: int) -> Shortlist:
    """The lock every decision on a shortlist queues behind (the race test disables it)."""
    return lock(Shortlist, shortlist_id)


def decide(
    actor: Actor,
    shortlist: Shortlist,
    entry_ids: Iterable[int],
    *,
    document_no: str,
    decided_on: datetime.date,
    audit_note: str = "",
) -> Decided:
    require(actor, "awards.decide", shortlist)
    document_no = document_no.strip()
    if not document_no:
        raise DomainError(_("请填写认定决定的文号。"), field="document_no")
    check_text(document_no, field="document_no")
    check_text(audit_note, field="audit_note")
    ids = sorted(set(entry_ids))
    if not ids:
        raise DomainError(_("请选择要认定的集体。"), field="entries")
    try:
        with transaction.atomic():
            result = _decide_locked(actor, shortlist.pk, ids, document_no, decided_on, audit_note)
    except IntegrityError as exc:
        # Another shortlist's decision took the number between our check and our insert.
        if Decision.objects.filter(document_no=document_no).exists():
            raise DomainError(_used_number(document_no), field="document_no") from exc
        raise
    return result


def _used_number(document_no: str) -> str:
    return _("文号“%(no)s”已被另一项认定决定使用。") % {"no": document_no}


def _decide_locked(
    actor: Actor,
    shortlist_id: int,
    ids: list[int],
    document_no: str,
    decided_on: datetime.date,
    audit_note: str,
) -> Decided:
    shortlist = lock_shortlist(shortlist_id)
    if Decision.objects.filter(document_no=document_no).exists():
        raise DomainError(_used_number(document_no), field="document_no")
    entries = list(annotated_entries(shortlist).filter(pk__in=ids))
    _check_entries(ids, entries)
    cycle = shortlist.round.cycle
    _check_caps(shortlist, caps_for(cycle), entries)

    assert actor.user is not None  # awards.decide is a person's (city staff) permission
    decision = Decision.objects.create(
        shortlist=shortlist,
        document_no=document_no,
        decided_on=decided_on,
        audit_note=audit_note,
        decided_by=actor.user,
    )
    certificates, notes = [], []
    for entry in entries:
        title, note = _title_for(
            actor, entry, cycle.session_no, cycle.certification_year, decided_on
        )
        certificates.append(issue(title, on=decided_on, decision=decision))
        if note:
            notes.append(note)
        before = snapshot(entry, ["status"])
        ENTRY_TRANSITIONS.move(entry, EntryStatus.DECIDED)
        entry.decision, entry.title = decision, title
        entry.save(update_fields=["status", "decision", "title", "updated_at"])
        log_action(
            actor, entry, "awards.entry.decided", before=before, after=snapshot(entry, ["status"])
        )
    log_action(
        actor,
        decision,
        "awards.decision.made",
        after=snapshot(decision),
        data={
            "entries": [e.pk for e in entries],
            "certificates": [c.number for c in certificates],
            "notes": notes,
        },
    )
    transaction.on_commit(lambda: notices.decided(decision, entries))
    return Decided(decision, certificates, notes)


def _check_entries(ids: list[int], entries: list[ShortlistEntry]) -> None:
    if len(entries) != len(ids):
        raise DomainError(_("所选集体不在本名单的拟认定对象中（可能已被移出）。"), field="entries")
    for entry in entries:
        if entry.status == EntryStatus.DECIDED:
            raise DomainError(
                _("%(c)s 已经认定，不能重复认定。") % {"c": entry.collective}, field="entries"
            )
        failures = [c.why for c in checks_of(entry) if not c.ok]
        if failures:
            raise DomainError(
                _("%(c)s 不符合认定条件：%(why)s。")
                % {"c": entry.collective, "why": "；".join(failures)},
                field="entries",
            )


def _check_caps(shortlist: Shortlist, caps: Caps, entries: list[ShortlistEntry]) -> None:
    """A body's decided entries plus this batch within its cap; the city's within the city
    cap. Counted under the shortlist's lock, so a concurrent decision is already counted."""
    decided = Counter(
        shortlist.entries.filter(status=EntryStatus.DECIDED).values_list("body_id", flat=True)
    )
    batch = Counter(e.body_id for e in entries)
    for body_id, n in batch.items():
        cap = caps.body_cap(body_id)
        if decided[body_id] + n > cap:
            body = next(e.body for e in entries if e.body_id == body_id)
            raise DomainError(
                _(
                    "%(body)s认定名额上限为 %(cap)s 个，已认定 %(done)s 个，本次不能再认定 %(n)s 个。"
                )
                % {"body": body, "cap": cap, "done": decided[body_id], "n": n},
                field="entries",
            )
    total = sum(decided.values()) + len(entries)
    if total > caps.city_cap:
        raise DomainError(
            _("全市认定总数不能超过 %(cap)s 个（已认定 %(done)s 个）。")
            % {"cap": caps.city_cap, "done": sum(decided.values())},
            field="entries",
        )


def _title_for(
    actor: Actor, entry: ShortlistEntry, session_no: int, year: int, on: datetime.date
) -> tuple[Title, str]:
    """A new city title with one star, or a star more on the city title the collective holds
    (a star review); at three stars it stays at three."""
    held = Title.objects.filter(
        collective_id=entry.collective_id, level=Level.CITY, status=TitleStatus.ACTIVE
    ).first()
    if held is None:
        title = collective_services.title_award(
            actor,
            collective=entry.collective,
            level=Level.CITY,
            session_no=session_no,
            year=year,
            awarded_on=on,
            stars=1,
        )
        return title, ""
    if held.stars >= MAX_STARS:
        return held, _("%(c)s 已是三星级，星级保持不变。") % {"c": entry.collective}
    title = collective_services.title_set_stars(
        actor,
        title=held,
        stars=held.stars + 1,
        reason=_("第%(n)s届认定晋星") % {"n": session_no},
    )
    return title, ""
