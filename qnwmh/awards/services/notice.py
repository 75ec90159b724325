"""The notice part's acts: the inspection of a listed collective (a fail takes it off the
list), the public notice, and objections from the public (filed by a named contact, handled
by city staff, an upheld one takes the collective off the list). One transaction per act,
one audit entry each; people are told after commit. The objector's name and phone never go
into the audit log."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qnwmh.accounts.models import User
from qnwmh.audit.services import log_action, snapshot
from qnwmh.awards.models import (
    OBJECTION_TRANSITIONS,
    EntryStatus,
    Inspection,
    InspectionOutcome,
    NoticeItem,
    Objection,
    ObjectionOutcome,
    ObjectionStatus,
    PublicNotice,
    RemovalKind,
    Shortlist,
    ShortlistEntry,
)
from qnwmh.awards.selectors.notice import publishable_entries
from qnwmh.awards.services import entries
from qnwmh.core.actor import Actor
from qnwmh.core.errors import DomainError
from qnwmh.core.locking import lock
from qnwmh.core.permissions import require
from qnwmh.core.validation import check_text, normalise_phone
from qnwmh.evidence.services import store_uploads
from qnwmh.notices.services import body_admins, city_admins, notify
from qnwmh.supervision import ratelimit

# Evidence purposes: inspectors' files and objectors' files are never shown to the collective's
# own managers (registered in AwardsConfig.ready); anyone may upload an objection's files.
INSPECTION_PURPOSE = "awards.inspection"
OBJECTION_PURPOSE = "awards.objection"

LIMITS: dict[str, Any] = {
    "objections_per_ip": (5, 3600),  # (count, window seconds), as public complaints
    "max_files": 3,
    "max_body_mb": 40,  # the largest objection request, refused from Content-Length
}


def _text(value: str, field: str, *, required: bool = True, max_len: int = 3000) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(_("请填写此项。"), field=field)
    if len(value) > max_len:
        raise DomainError(_("内容不能超过 %(n)s 字。") % {"n": max_len}, field=field)
    check_text(value, field=field)
    return value


def shortlist_link(shortlist: Shortlist) -> str:
    """The shortlist page (the ranking part's, where reserves are moved up); the inspection
    list when that page is not installed."""
    try:
        return reverse("awards:shortlist", args=[shortlist.code])
    except NoReverseMatch:
        return reverse("awards:inspections", args=[shortlist.code])


# Inspection ----------------------------------------------------------------------------------


@transaction.atomic
def inspection_record(
    actor: Actor,
    *,
    entry: ShortlistEntry,
    visited_on: datetime.date,
    inspectors: str,
    findings: str,
    outcome: str,
    reason: str = "",
    files: Sequence[Any] = (),
) -> Inspection:
    """Record the inspection of a listed entry, once. A fail removes the entry in the same
    transaction, and city staff are told a reserve may be moved up."""
    require(actor, "awards.inspect", entry)
    entry = lock(ShortlistEntry, entry.pk)
    if Inspection.objects.filter(entry=entry).exists():
        raise DomainError(_("该集体的考察结果已经记录，不能重复记录。"))
    if entry.status != EntryStatus.LISTED:
        raise DomainError(_("只能考察拟认定名单中的集体。"))
    if outcome not in InspectionOutcome.values:
        raise DomainError(_("请选择考察结论。"), field="outcome")
    if visited_on > timezone.localdate():
        raise DomainError(_("考察日期不能晚于今天。"), field="visited_on")
    inspectors = _text(inspectors, "inspectors", max_len=300)
    findings = _text(findings, "findings")
    failed = outcome == InspectionOutcome.FAILED
    reason = _text(reason, "reason", required=failed, max_len=2000)
    inspection = Inspection.objects.create(
        entry=entry,
        visited_on=visited_on,
        inspectors=inspectors,
        findings=findings,
        outcome=outcome,
        reason=reason,
        recorded_by=actor.clerk,
    )
    stored = store_uploads(
        actor,
        files,
        collective=entry.collective,
        purpose=INSPECTION_PURPOSE,
        max_files=LIMITS["max_files"],
    )
    inspection.evidence.add(*stored)
    log_action(
        actor,
        entry,
        "awards.inspection.recorded",
        after={"outcome": outcome},
        data={"visited_on": visited_on.isoformat(), "files": len(stored), "reason": reason},
    )
    if failed:
        entries.remove(actor, entry, kind=RemovalKind.INSPECTION, reason=reason)
        transaction.on_commit(lambda: _tell_inspection_failed(actor, entry))
    return inspection


def _tell_inspection_failed(actor: Actor, entry: ShortlistEntry) -> None:
    notify(
        _others(city_admins(), actor),
        code="awards.inspection.failed",
        params={"collective": entry.collective.name, "body": entry.body.name},
        link=shortlist_link(entry.shortlist),
    )


def _others(users: Iterable[User], actor: Actor) -> list[User]:
    return [u for u in users if actor.user is None or u.pk != actor.user.pk]


# Public notice -------------------------------------------------------------------------------


@transaction.atomic
def notice_publish(
    actor: Actor,
    *,
    shortlist: Shortlist,
    heading: str,
    intro: str,
    contact: str,
    summaries: Mapping[int, str],
    opens_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> PublicNotice:
    """Publish a notice of the chosen entries (listed, passed inspection, on no notice yet),
    each with its summary. The first notice of a shortlist is the notice; later ones (for
    moved-up entries) are supplementary. It opens and ends by its dates on its own; ``today``
    lets the demo date one in the past."""
    require(actor, "awards.publish_notice")
    today = today or timezone.localdate()
    shortlist = lock(Shortlist, shortlist.pk)
    opens_on = opens_on or today
    if opens_on < today:
        raise DomainError(_("公示开始日期不能早于今天。"), field="opens_on")
    heading = _text(heading, "heading", max_len=200)
    intro = _text(intro, "intro", max_len=3000)
    contact = _text(contact, "contact", max_len=200)
    if not summaries:
        raise DomainError(_("请至少选择一个公示对象。"), field="entries")
    chosen = list(publishable_entries(shortlist).filter(pk__in=list(summaries)))
    if len(chosen) != len(summaries):
        raise DomainError(
            _("所选集体中有的不在名单中、未通过考察或已经公示，请刷新后重新选择。"),
            field="entries",
        )
    days = int(shortlist.round.cycle.rule("notice_days", 7))
    notice = PublicNotice.objects.create(
        shortlist=shortlist,
        heading=heading,
        intro=intro,
        contact=contact,
        opens_on=opens_on,
        closes_on=opens_on + datetime.timedelta(days=days - 1),
        supplementary=shortlist.notices.exists(),
        published_by=actor.clerk,
    )
    NoticeItem.objects.bulk_create(
        [
            NoticeItem(
                notice=notice,
                entry=entry,
                position=i,
                summary=_text(summaries[entry.pk], f"summary_{entry.pk}", max_len=2000),
            )
            for i, entry in enumerate(chosen, start=1)
        ]
    )
    log_action(
        actor,
        notice,
        "awards.notice.published",
        after=snapshot(notice, ["heading", "opens_on", "closes_on", "supplementary"]),
        data={"entries": [e.pk for e in chosen]},
    )
    bodies = {e.body_id for e in chosen}
    transaction.on_commit(lambda: _tell_published(actor, notice, bodies))
    return notice


def _tell_published(actor: Actor, notice: PublicNotice, bodies: set[int]) -> None:
    users = [u for body_id in sorted(bodies) for u in body_admins(body_id)]
    notify(
        _others([u for u in users if not _is_city(u)], actor),
        code="awards.notice.published",
        params={"heading": notice.heading, "opens": notice.opens_on, "closes": notice.closes_on},
        link=reverse("awards:notice", args=[notice.code]),
    )


def _is_city(user: User) -> bool:
    return user.pk in {u.pk for u in city_admins()}


# Objections ----------------------------------------------------------------------------------


def _count_attempt(actor: Actor) -> None:
    """Count one public objection per address before any other work, committed at once, so a
    request that fails later still used its quota."""
    with transaction.atomic():
        allowed = ratelimit.hit(f"o:ip:{actor.ip or '-'}", *LIMITS["objections_per_ip"])
    if not allowed:
        raise DomainError(_("提交过于频繁，请稍后再试。"), code="rate_limited")


def objection_refusal(
    item: NoticeItem,
    *,
    today: datetime.date | None = None,
    entry: ShortlistEntry | None = None,
) -> str:
    """Why this collective takes no objection now, or "" when it does: the public page shows
    it in place of the form, and filing refuses with it."""
    notice = item.notice
    state = notice.state(today)
    if state == "scheduled":
        return _("公示尚未开始，暂不受理异议。")
    if state == "ended":
        return _("公示期已于 %(date)s 结束，不再受理异议。") % {
            "date": notice.closes_on.isoformat()
        }
    if (entry or item.entry).status != EntryStatus.LISTED:
        return _("该集体已不在拟认定名单中，不再受理异议。")
    return ""


def objection_file(
    actor: Actor,
    *,
    item: NoticeItem,
    contact_name: str,
    contact_phone: str,
    text: str,
    contact_unit: str = "",
    files: Sequence[Any] = (),
    today: datetime.date | None = None,
) -> Objection:
    """A named objection to a collective on an open notice (anyone, no account). Refused,
    nothing saved: outside the notice period, or on a collective already off the list."""
    _count_attempt(actor)
    with transaction.atomic():
        return _file(
            actor,
            item=item,
            contact_name=contact_name,
            contact_phone=contact_phone,
            contact_unit=contact_unit,
            text=text,
            files=files,
            today=today or timezone.localdate(),
        )


def _file(
    actor: Actor,
    *,
    item: NoticeItem,
    contact_name: str,
    contact_phone: str,
    contact_unit: str,
    text: str,
    files: Sequence[Any],
    today: datetime.date,
) -> Objection:
    notice = item.notice
    entry = lock(ShortlistEntry, item.entry_id)
    refusal = objection_refusal(item, today=today, entry=entry)
    if refusal:
        raise DomainError(refusal)
    name = _text(contact_name, "contact_name", max_len=50)
    phone = normalise_phone(contact_phone, field="contact_phone")
    if not phone:
        raise DomainError(_("请填写联系电话。"), field="contact_phone")
    unit = _text(contact_unit, "contact_unit", required=False, max_len=100)
    body = _text(text, "text")
    days = int(notice.shortlist.round.cycle.rule("objection_days", 5))
    objection = Objection.objects.create(
        item=item,
        contact_name=name,
        contact_phone=phone,
        contact_unit=unit,
        text=body,
        received_at=_moment(today),
        due_on=today + datetime.timedelta(days=days),
    )
    stored = store_uploads(
        actor,
        files,
        collective=entry.collective,
        purpose=OBJECTION_PURPOSE,
        max_files=LIMITS["max_files"],
    )
    objection.evidence.add(*stored)
    log_action(
        actor,
        objection,
        "awards.objection.filed",
        after=snapshot(objection, ["status", "due_on"]),
        data={"notice": notice.code, "entry": entry.pk, "files": len(stored)},
    )
    transaction.on_commit(lambda: _tell_filed(objection, entry))
    return objection


def _tell_filed(objection: Objection, entry: ShortlistEntry) -> None:
    notify(
        [*city_admins(), *body_admins(entry.body_id)],
        code="awards.objection.filed",
        params={"collective": entry.collective.name, "due": objection.due_on},
        link=reverse("awards:objection", args=[objection.pk]),
    )


def _moment(day: datetime.date) -> datetime.datetime:
    """Now, or (for the demo's earlier cycle) that day's morning."""
    if day == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def eligible_handlers() -> list[User]:
    """Who may be assigned an objection: active city staff."""
    return city_admins()


@transaction.atomic
def objection_assign(actor: Actor, *, objection: Objection, handler: User) -> Objection:
    """Give an objection to a handler; the first assignment starts the check."""
    require(actor, "awards.handle_objection", objection)
    objection = lock(Objection, objection.pk)
    if handler.pk not in {u.pk for u in eligible_handlers()}:
        raise DomainError(_("承办人须为团市委工作人员。"), field="handler")
    before = snapshot(objection, ["status", "handler"])
    if objection.status == ObjectionStatus.RECEIVED:
        OBJECTION_TRANSITIONS.move(objection, ObjectionStatus.HANDLING)
    else:
        OBJECTION_TRANSITIONS.check(objection, ObjectionStatus.DECIDED)  # still open
    objection.handler = handler
    objection.save(update_fields=["status", "handler", "updated_at"])
    log_action(
        actor,
        objection,
        "awards.objection.assigned",
        before=before,
        after=snapshot(objection, ["status", "handler"]),
    )
    transaction.on_commit(lambda: _tell_assigned(actor, objection, handler))
    return objection


def _tell_assigned(actor: Actor, objection: Objection, handler: User) -> None:
    notify(
        _others([handler], actor),
        code="awards.objection.assigned",
        params={"collective": objection.item.entry.collective.name, "due": objection.due_on},
        link=reverse("awards:objection", args=[objection.pk]),
    )


@transaction.atomic
def objection_decide(
    actor: Actor, *, objection: Objection, outcome: str, findings: str, public_reason: str
) -> Objection:
    """Decide an objection with internal findings and a public reason. Upheld, the collective
    leaves the list in the same transaction (unless it already has)."""
    require(actor, "awards.handle_objection", objection)
    objection = lock(Objection, objection.pk)
    if outcome not in ObjectionOutcome.values:
        raise DomainError(_("请选择核查结论。"), field="outcome")
    findings = _text(findings, "findings")
    public_reason = _text(public_reason, "public_reason", max_len=2000)
    before = snapshot(objection, ["status", "outcome"])
    OBJECTION_TRANSITIONS.move(objection, ObjectionStatus.DECIDED)
    objection.outcome = outcome
    objection.findings = findings
    objection.public_reason = public_reason
    objection.decided_by = actor.user
    objection.decided_at = timezone.now()
    objection.save()
    entry = objection.item.entry
    removed = False
    if outcome == ObjectionOutcome.UPHELD and entry.status == EntryStatus.LISTED:
        entries.remove(actor, entry, kind=RemovalKind.OBJECTION, reason=public_reason)
        removed = True
    log_action(
        actor,
        objection,
        "awards.objection.decided",
        before=before,
        after=snapshot(objection, ["status", "outcome"]),
        data={"public_reason": public_reason, "removed": removed},
    )
    transaction.on_commit(lambda: _tell_decided(actor, objection, entry))
    return objection


def _tell_decided(actor: Actor, objection: Objection, entry: ShortlistEntry) -> None:
    notify(
        _others(body_admins(entry.body_id), actor),
        code="awards.objection.decided",
        params={
            "collective": entry.collective.name,
            "outcome": ObjectionOutcome(objection.outcome).label,
        },
        link=reverse("awards:objection", args=[objection.pk]),
    )


# Reminders (a daily command) -----------------------------------------------------------------


def remind(*, today: datetime.date | None = None) -> dict[str, int]:
    """Tell city staff of notices that ended yesterday (with their objections) and of
    objections due today or overdue. Run once a day: each day's run tells of that day."""
    today = today or timezone.localdate()
    staff = city_admins()
    ended = list(PublicNotice.objects.filter(closes_on=today - datetime.timedelta(days=1)))
    for notice in ended:
        objections = Objection.objects.filter(item__notice=notice)
        notify(
            staff,
            code="awards.notice.ended",
            params={
                "heading": notice.heading,
                "closes": notice.closes_on,
                "count": objections.count(),
                "open": objections.exclude(status=ObjectionStatus.DECIDED).count(),
            },
            link=reverse("awards:notice", args=[notice.code]),
        )
    due = (
        Objection.objects.exclude(status=ObjectionStatus.DECIDED).filter(due_on__lte=today).count()
    )
    if due:
        notify(
            staff,
            code="awards.objection.due",
            params={"count": due},
            link=reverse("awards:objections") + "?state=open",
        )
    return {"ended": len(ended), "due": due}
