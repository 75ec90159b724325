"""Exchange events (交流活动): exhibitions (展示会), experience meetings (经验交流会) and mutual
visits between two collectives (互访互学互评).

An event is organised by the city or a managing body, invites bodies (their collectives may
register) or collectives, takes registrations up to its ``capacity``, is held, has its
attendance, minutes and photos recorded by the organiser, and is closed — when each attending
collective's creation log gets the event (``KIND_IN_LOG``). A mutual visit's two sides are
registered when it is created and close only after each has appraised the other on the items
of ``AppraisalItem`` (rows, seeded by a data migration)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qnwmh.core.codes import new_code
from qnwmh.core.states import Transitions
from qnwmh.creation.models import EntryKind


class EventKind(models.TextChoices):
    EXHIBITION = "exhibition", _("展示会")
    MEETING = "meeting", _("经验交流会")
    MUTUAL_VISIT = "mutual_visit", _("互访互学互评")


# The creation-log kind each event kind is recorded as for the collectives that attended
# (docs/GLOSSARY.md, 交流活动): showing one's work to others and visiting each other are
# exchange visits; an experience meeting is a meeting.
KIND_IN_LOG = {
    EventKind.EXHIBITION: EntryKind.EXCHANGE_VISIT,
    EventKind.MEETING: EntryKind.MEETING,
    EventKind.MUTUAL_VISIT: EntryKind.EXCHANGE_VISIT,
}


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    OPEN = "open", _("报名中")
    HELD = "held", _("已举办")
    CLOSED = "closed", _("已结束")
    CANCELLED = "cancelled", _("已取消")


EVENT_TRANSITIONS = Transitions(
    EventStatus,
    {
        EventStatus.DRAFT: {EventStatus.OPEN, EventStatus.CANCELLED},
        EventStatus.OPEN: {EventStatus.HELD, EventStatus.CANCELLED},
        EventStatus.HELD: {EventStatus.CLOSED},
        EventStatus.CLOSED: set(),
        EventStatus.CANCELLED: set(),
    },
    refusal=_("活动当前状态为“%(from)s”，不能转为“%(to)s”。"),
)


class Event(models.Model):
    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    kind = models.CharField(_("活动类型"), max_length=20, choices=EventKind.choices)
    title = models.CharField(_("活动名称"), max_length=200)
    organiser = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        related_name="exchange_events",
        verbose_name=_("主办单位"),
    )
    held_on = models.DateField(_("活动日期"))
    place = models.CharField(_("活动地点"), max_length=200)
    description = models.TextField(_("活动内容"), blank=True)
    # Places for registrations; None: no limit. A mutual visit has its two sides only.
    capacity = models.PositiveIntegerField(_("名额上限"), null=True, blank=True)
    registration_closes_on = models.DateField(_("报名截止日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=EventStatus.choices, default=EventStatus.DRAFT
    )
    # A mutual visit: the host receives the guest, and each appraises the other.
    host = models.ForeignKey(
        "collectives.Collective",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("接待集体"),
    )
    guest = models.ForeignKey(
        "collectives.Collective",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("来访集体"),
    )
    minutes = models.TextField(_("活动纪要"), blank=True)
    photos = models.ManyToManyField(
        "evidence.EvidenceFile", blank=True, related_name="+", verbose_name=_("活动照片")
    )
    # Kept by the registration services under the event's lock: the limit is counted here.
    registered_count = models.PositiveIntegerField(default=0)
    cancel_reason = models.CharField(_("取消原因"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("交流活动")
        verbose_name_plural = _("交流活动")
        indexes = [models.Index(fields=["-held_on", "-id"], name="exchange_event_order")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_mutual_visit(self) -> bool:
        return self.kind == EventKind.MUTUAL_VISIT

    @property
    def places_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.registered_count, 0)


class Invitation(models.Model):
    """One invited body (its own collectives may register) or one invited collective."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="invitations")
    body = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    collective = models.ForeignKey(
        "collectives.Collective",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="exchange_invitation_one_target",
                condition=models.Q(body__isnull=True, collective__isnull=False)
                | models.Q(body__isnull=False, collective__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.body or self.collective}"


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("已报名")
    WITHDRAWN = "withdrawn", _("已退出")


class Registration(models.Model):
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="registrations")
    collective = models.ForeignKey(
        "collectives.Collective", on_delete=models.PROTECT, related_name="exchange_registrations"
    )
    status = models.CharField(
        _("报名状态"),
        max_length=12,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.REGISTERED,
    )
    people = models.PositiveSmallIntegerField(_("参加人数"), default=1)
    # None until the organiser records the attendance.
    attended = models.BooleanField(_("出席"), null=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    registered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["registered_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "collective"], name="exchange_registration_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.collective}"


class AppraisalItem(models.Model):
    """One line of the mutual-visit appraisal form (1–5 points and a comment); the rows are
    the form, seeded by migration 0002 and kept, not deleted (``active`` off retires one)."""

    key = models.SlugField(max_length=40, unique=True)
    label = models.CharField(_("评价项目"), max_length=60)
    hint = models.CharField(_("说明"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.label


POINTS = range(1, 6)


class Appraisal(models.Model):
    """One side's appraisal of the other after a mutual visit."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="appraisals")
    by_collective = models.ForeignKey(
        "collectives.Collective", on_delete=models.PROTECT, related_name="+"
    )
    of_collective = models.ForeignKey(
        "collectives.Collective", on_delete=models.PROTECT, related_name="+"
    )
    # [{"item": key, "label": label as asked, "points": 1..5, "comment": "..."}]
    scores = models.JSONField(default=list)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "by_collective"], name="exchange_appraise_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.by_collective}"

    @property
    def average(self) -> float:
        points = [s["points"] for s in self.scores]
        return round(sum(points) / len(points), 1) if points else 0.0
