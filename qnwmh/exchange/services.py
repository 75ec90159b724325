"""Writes of exchange events: one function per transition, scoped and audited.

The registration limit is counted under the event's row lock (``registered_count`` kept by
``register`` and ``withdraw``), so two clerks racing for the last place cannot both get it.
Closing an event records it in each attending collective's creation log (``KIND_IN_LOG``,
with the event's photos) through ``creation.services.entry_record``, once per collective."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qnwmh.audit.services import log_action, snapshot
from qnwmh.collectives.models import Collective
from qnwmh.core.actor import Actor
from qnwmh.core.errors import DomainError
from qnwmh.core.locking import lock
from qnwmh.core.permissions import require
from qnwmh.core.validation import check_text
from qnwmh.creation.services import entry_record
from qnwmh.exchange import notices
from qnwmh.exchange.models import (
    EVENT_TRANSITIONS,
    KIND_IN_LOG,
    POINTS,
    Appraisal,
    AppraisalItem,
    Event,
    EventKind,
    EventStatus,
    Invitation,
    Registration,
    RegistrationStatus,
)
from qnwmh.orgs.models import Organisation

PHOTO_PURPOSE = "exchange.event"
MAX_PHOTOS = 12
MAX_PEOPLE = 200
FIELDS = [
    "kind",
    "title",
    "held_on",
    "place",
    "capacity",
    "registration_closes_on",
    "status",
    "registered_count",
]


def _snap(event: Event) -> dict[str, Any]:
    return snapshot(event, FIELDS)


def _clean_text(value: str | None, field: str, *, required: str | None = None) -> str:
    text = (value or "").strip()
    if required and not text:
        raise DomainError(required, field=field)
    check_text(text, field=field)
    return text


# Creating --------------------------------------------------------------------------------


@transaction.atomic
def event_create(
    actor: Actor,
    *,
    kind: str,
    title: str,
    organiser: Organisation,
    held_on: datetime.date,
    place: str,
    description: str = "",
    capacity: int | None = None,
    registration_closes_on: datetime.date | None = None,
    invited_bodies: Iterable[Organisation] = (),
    invited_collectives: Iterable[Collective] = (),
    host: Collective | None = None,
    guest: Collective | None = None,
) -> Event:
    """A draft event. A mutual visit names its host and guest (both registered at once, no
    other invitations); an exhibition or a meeting invites at least one body or collective."""
    require(actor, "exchange.organise", organiser)
    if kind not in EventKind.values:
        raise DomainError(_("请选择活动类型。"), field="kind")
    title = _clean_text(title, "title", required=_("请填写活动名称。"))[:200]
    place = _clean_text(place, "place", required=_("请填写活动地点。"))[:200]
    description = _clean_text(description, "description")
    if registration_closes_on is not None and registration_closes_on > held_on:
        raise DomainError(_("报名截止日期不能晚于活动日期。"), field="registration_closes_on")
    bodies, collectives = list(invited_bodies), list(invited_collectives)
    if kind == EventKind.MUTUAL_VISIT:
        _check_sides(actor, host, guest)
        capacity, bodies, collectives = None, [], []
    else:
        host = guest = None
        if capacity is not None and capacity < 1:
            raise DomainError(_("名额上限至少为 1。"), field="capacity")
        if not bodies and not collectives:
            raise DomainError(_("请至少邀请一个组织管理机构或集体。"), field="invited_bodies")
    event = Event.objects.create(
        kind=kind,
        title=title,
        organiser=organiser,
        held_on=held_on,
        place=place,
        description=description,
        capacity=capacity,
        registration_closes_on=registration_closes_on,
        host=host,
        guest=guest,
        created_by=actor.clerk,
    )
    Invitation.objects.bulk_create(
        [Invitation(event=event, body=b) for b in dict.fromkeys(bodies)]
        + [Invitation(event=event, collective=c) for c in dict.fromkeys(collectives)]
    )
    if host is not None and guest is not None:
        Invitation.objects.bulk_create(
            [Invitation(event=event, collective=host), Invitation(event=event, collective=guest)]
        )
        Registration.objects.bulk_create(
            [
                Registration(event=event, collective=c, registered_by=actor.clerk)
                for c in (host, guest)
            ]
        )
        event.registered_count = 2
        event.save(update_fields=["registered_count"])
    log_action(
        actor,
        event,
        "exchange.event.created",
        after=_snap(event),
        data={
            "bodies": [b.code for b in bodies],
            "collectives": [c.code for c in collectives],
            "host": host.code if host else "",
            "guest": guest.code if guest else "",
        },
    )
    return event


def _check_sides(actor: Actor, host: Collective | None, guest: Collective | None) -> None:
    if host is None:
        raise DomainError(_("互访须选择接待集体。"), field="host")
    if guest is None:
        raise DomainError(_("互访须选择来访集体。"), field="guest")
    if host.pk == guest.pk:
        raise DomainError(_("接待集体与来访集体不能相同。"), field="guest")
    # The host must be in the organiser's reach (the guest may come from any body); the form
    # and the API offer only those, but the service is the rule's one home.
    require(actor, "exchange.act_for", host)


# Moving through the states ---------------------------------------------------------------


@transaction.atomic
def event_open(actor: Actor, event: Event) -> Event:
    """Open registration; the invited are told."""
    require(actor, "exchange.manage", event)
    event = lock(Event, event.pk)
    before = _snap(event)
    EVENT_TRANSITIONS.move(event, EventStatus.OPEN)
    event.save(update_fields=["status"])
    log_action(actor, event, "exchange.event.opened", before=before, after=_snap(event))
    user = actor.user
    transaction.on_commit(lambda: notices.event_opened(event, user))
    return event


@transaction.atomic
def event_hold(actor: Actor, event: Event) -> Event:
    """The event took place: registration ends, attendance and minutes may be recorded, and a
    mutual visit's sides are asked for their appraisals."""
    require(actor, "exchange.manage", event)
    event = lock(Event, event.pk)
    EVENT_TRANSITIONS.check(event, EventStatus.HELD)
    if event.held_on > timezone.localdate():
        raise DomainError(
            _("活动日期（%(date)s）未到，不能标记为已举办。") % {"date": event.held_on}
        )
    before = _snap(event)
    EVENT_TRANSITIONS.move(event, EventStatus.HELD)
    event.save(update_fields=["status"])
    log_action(actor, event, "exchange.event.held", before=before, after=_snap(event))
    if event.is_mutual_visit:
        sides = [event.host_id, event.guest_id]
        transaction.on_commit(lambda: notices.appraisal_due(event, sides))
    return event


@transaction.atomic
def event_cancel(actor: Actor, event: Event, *, reason: str) -> Event:
    require(actor, "exchange.manage", event)
    event = lock(Event, event.pk)
    reason = _clean_text(reason, "reason", required=_("请填写取消原因。"))[:300]
    before = _snap(event)
    EVENT_TRANSITIONS.move(event, EventStatus.CANCELLED)
    event.cancel_reason = reason
    event.save(update_fields=["status", "cancel_reason"])
    log_action(
        actor,
        event,
        "exchange.event.cancelled",
        before=before,
        after=_snap(event),
        data={"reason": reason},
    )
    user = actor.user
    if before["status"] == EventStatus.OPEN:
        transaction.on_commit(lambda: notices.event_cancelled(event, user))
    return event


@transaction.atomic
def event_close(actor: Actor, event: Event) -> Event:
    """Close a held event: the attendance must be recorded (and a mutual visit appraised by
    both sides); each attending collective's creation log gets the event."""
    require(actor, "exchange.manage", event)
    event = lock(Event, event.pk)
    EVENT_TRANSITIONS.check(event, EventStatus.CLOSED)
    registered = event.registrations.filter(status=RegistrationStatus.REGISTERED)
    if registered.filter(attended__isnull=True).exists():
        raise DomainError(_("请先登记全部报名集体的出席情况。"))
    if event.is_mutual_visit and event.appraisals.count() < 2:
        raise DomainError(_("互访双方都完成互评后才能结束。"))
    before = _snap(event)
    EVENT_TRANSITIONS.move(event, EventStatus.CLOSED)
    event.save(update_fields=["status"])
    logged = _record_in_logs(actor, event, registered.filter(attended=True))
    log_action(
        actor,
        event,
        "exchange.event.closed",
        before=before,
        after=_snap(event),
        data={"logged": logged},
    )
    return event


def _record_in_logs(actor: Actor, event: Event, attended: Any) -> list[str]:
    """The event in each attending collective's creation log; the codes of those that keep
    one (a collective neither titled nor registered that day keeps none)."""
    photos = list(event.photos.all())
    values = {
        "kind": KIND_IN_LOG[EventKind(event.kind)],
        "title": event.title[:100],
        "occurred_on": event.held_on,
        "place": event.place[:100],
        "description": event.minutes or event.description,
        "public": False,
    }
    logged = []
    for r in attended.select_related("collective__body"):
        entry = entry_record(
            actor,
            collective=r.collective,
            origin=f"exchange.event:{event.code}",
            values={**values, "participants": r.people},
            files=photos,
        )
        if entry is not None:
            logged.append(r.collective.code)
    return logged


# Registration ----------------------------------------------------------------------------


@transaction.atomic
def register(
    actor: Actor, event: Event, *, collective: Collective, people: int = 1
) -> Registration:
    """Register an invited collective. Past the limit the registration is refused and
    nothing changes."""
    require(actor, "exchange.register", event)
    require(actor, "exchange.act_for", collective)
    event = lock(Event, event.pk)
    if event.status != EventStatus.OPEN:
        raise DomainError(_("该活动当前不接受报名。"))
    closes = event.registration_closes_on
    if closes is not None and timezone.localdate() > closes:
        raise DomainError(_("报名已于 %(date)s 截止。") % {"date": closes})
    _check_not_past(event)
    if not (1 <= people <= MAX_PEOPLE):
        raise DomainError(_("参加人数须在 1 至 %(n)s 之间。") % {"n": MAX_PEOPLE}, field="people")
    from qnwmh.exchange.selectors import is_invited

    if not is_invited(event, collective):
        raise DomainError(_("%(c)s 不在本活动的邀请范围内。") % {"c": collective.name})
    existing = Registration.objects.filter(event=event, collective=collective).first()
    if existing is not None and existing.status == RegistrationStatus.REGISTERED:
        raise DomainError(_("%(c)s 已报名本活动。") % {"c": collective.name})
    if event.capacity is not None and event.registered_count >= event.capacity:
        raise DomainError(
            _("报名已满（名额上限 %(n)s 个集体），未能报名。") % {"n": event.capacity}
        )
    if existing is None:
        registration = Registration.objects.create(
            event=event, collective=collective, people=people, registered_by=actor.clerk
        )
    else:
        registration = existing
        registration.status, registration.people = RegistrationStatus.REGISTERED, people
        registration.registered_by, registration.registered_at = actor.clerk, timezone.now()
        registration.save()
    event.registered_count += 1
    event.save(update_fields=["registered_count"])
    log_action(
        actor,
        event,
        "exchange.registration.created",
        data={"collective": collective.code, "people": people, "count": event.registered_count},
    )
    return registration


def _check_not_past(event: Event) -> None:
    # Without a deadline an event stays open until the organiser marks it held: past its
    # date the list of who came must no longer move.
    if timezone.localdate() > event.held_on:
        raise DomainError(_("活动已于 %(date)s 举办，报名已关闭。") % {"date": event.held_on})


@transaction.atomic
def withdraw(actor: Actor, registration: Registration) -> Registration:
    """Withdraw a registration while the event is open; its place is free again."""
    require(actor, "exchange.act_for", registration.collective)
    event = lock(Event, registration.event_id)
    registration = lock(Registration, registration.pk)
    if event.status != EventStatus.OPEN:
        raise DomainError(_("活动已不在报名阶段，不能退出。"))
    if event.is_mutual_visit:
        raise DomainError(_("互访双方不能退出，请由主办单位取消活动。"))
    _check_not_past(event)
    if registration.status != RegistrationStatus.REGISTERED:
        raise DomainError(_("该集体已退出报名。"))
    registration.status = RegistrationStatus.WITHDRAWN
    registration.save(update_fields=["status"])
    event.registered_count -= 1
    event.save(update_fields=["registered_count"])
    log_action(
        actor,
        event,
        "exchange.registration.withdrawn",
        data={"collective": registration.collective.code, "count": event.registered_count},
    )
    return registration


# After the event -------------------------------------------------------------------------


@transaction.atomic
def record_attendance(actor: Actor, event: Event, *, attended: Iterable[int]) -> Event:
    """Mark which registered collectives (by collective id) came; the others did not."""
    require(actor, "exchange.manage", event)
    event = lock(Event, event.pk)
    if event.status != EventStatus.HELD:
        raise DomainError(_("活动举办后、结束前才能登记出席情况。"))
    came = set(attended)
    registered = event.registrations.filter(status=RegistrationStatus.REGISTERED)
    unknown = came - set(registered.values_list("collective_id", flat=True))
    if unknown:
        raise DomainError(_("出席集体须是已报名的集体。"), field="attended")
    registered.filter(collective_id__in=came).update(attended=True)
    registered.exclude(collective_id__in=came).update(attended=False)
    log_action(
        actor,
        event,
        "exchange.attendance.recorded",
        data={"attended": len(came), "registered": registered.count()},
    )
    return event


@transaction.atomic
def record_minutes(
    actor: Actor, event: Event, *, minutes: str, photos: Sequence[Any] = ()
) -> Event:
    """The minutes (replacing earlier ones) and more photos, until the event is closed."""
    require(actor, "exchange.manage", event)
    event = lock(Event, event.pk)
    if event.status != EventStatus.HELD:
        raise DomainError(_("活动举办后、结束前才能记录纪要和照片。"))
    minutes = _clean_text(minutes, "minutes", required=_("请填写活动纪要。"))
    if len(photos) + event.photos.count() > MAX_PHOTOS:
        raise DomainError(_("最多上传 %(n)s 张照片。") % {"n": MAX_PHOTOS}, field="photos")
    stored = _store_photos(actor, event, photos)
    event.minutes = minutes
    event.save(update_fields=["minutes"])
    log_action(
        actor,
        event,
        "exchange.minutes.recorded",
        data={"photos": len(stored), "length": len(minutes)},
    )
    return event


def _store_photos(actor: Actor, event: Event, uploads: Sequence[Any]) -> list[Any]:
    """Photos are kept under the organiser (the city or a body), not one collective: every
    file is checked before any is stored."""
    from qnwmh.evidence.services import prepare_upload, store_prepared

    prepared = []
    try:
        for upload in uploads:
            try:
                prepared.append(
                    prepare_upload(
                        actor, uploaded_file=upload, body=event.organiser, purpose=PHOTO_PURPOSE
                    )
                )
            except DomainError as exc:
                raise DomainError(exc.message, code=exc.code, field="photos") from None
        stored = [store_prepared(actor, p) for p in prepared]
    finally:
        for p in prepared:
            p.close()
    if stored:
        event.photos.add(*stored)
    return stored


# Appraisal -------------------------------------------------------------------------------


@transaction.atomic
def appraise(
    actor: Actor,
    event: Event,
    *,
    by_collective: Collective,
    scores: Mapping[str, tuple[int, str]],
) -> Appraisal:
    """One side's appraisal of the other after a mutual visit: every active item scored 1–5,
    a comment optional. Once per side; final."""
    require(actor, "exchange.appraise", event)
    require(actor, "exchange.act_for", by_collective)
    event = lock(Event, event.pk)
    if event.status != EventStatus.HELD:
        raise DomainError(_("互访举办后、结束前才能评价。"))
    if by_collective.pk not in (event.host_id, event.guest_id):
        raise DomainError(_("只有互访双方可以评价。"))
    if event.appraisals.filter(by_collective=by_collective).exists():
        raise DomainError(_("%(c)s 已提交评价。") % {"c": by_collective.name})
    rows = []
    for item in AppraisalItem.objects.filter(active=True):
        points, comment = scores.get(item.key, (0, ""))
        if points not in POINTS:
            raise DomainError(
                _("请为“%(item)s”打 1 至 5 分。") % {"item": item.label}, field=item.key
            )
        comment = _clean_text(comment, item.key)[:500]
        rows.append({"item": item.key, "label": item.label, "points": points, "comment": comment})
    other = event.guest if by_collective.pk == event.host_id else event.host
    assert other is not None  # a mutual visit has both sides (event_create)
    appraisal = Appraisal.objects.create(
        event=event,
        by_collective=by_collective,
        of_collective=other,
        scores=rows,
        submitted_by=actor.clerk,
    )
    log_action(
        actor,
        event,
        "exchange.appraisal.submitted",
        data={"by": by_collective.code, "scores": {r["item"]: r["points"] for r in rows}},
    )
    return appraisal


# Days before registration closes, and after a mutual visit, when the reminders go out.
CLOSING_NOTICE_DAYS = 2
APPRAISAL_REMINDER_DAYS = (7, 14)


def remind(actor: Actor, *, today: datetime.date | None = None) -> int:
    """Tell the invited who have not registered that registration closes in
    ``CLOSING_NOTICE_DAYS`` days, and remind the sides of a held mutual visit that have not
    appraised ``APPRAISAL_REMINDER_DAYS`` after it. Run once a day: each reminder falls on one
    day only. Returns the notices sent."""
    from qnwmh.exchange.selectors import unregistered_invitees

    today = today or timezone.localdate()
    sent = 0
    closing = Event.objects.filter(
        status=EventStatus.OPEN,
        registration_closes_on=today + datetime.timedelta(days=CLOSING_NOTICE_DAYS),
    ).select_related("organiser")
    for event in closing:
        people = notices.managers_of(unregistered_invitees(event).values("id"))
        if people:
            notices.registration_closes(event, people)
            sent += len(people)
    held = Event.objects.filter(
        status=EventStatus.HELD,
        kind=EventKind.MUTUAL_VISIT,
        held_on__in=[today - datetime.timedelta(days=d) for d in APPRAISAL_REMINDER_DAYS],
    )
    for event in held.select_related("organiser", "host", "guest"):
        done = set(event.appraisals.values_list("by_collective_id", flat=True))
        due = [s for s in (event.host_id, event.guest_id) if s not in done]
        if due:
            notices.appraisal_due(event, due)
            sent += len(due)
    return sent
