"""Creation records: plans (every version kept), the creation log (corrections keep every
earlier revision), attachments of evidence, and the managing bodies' duties (三个一).

Nothing here is deleted or overwritten in place without a kept revision."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qnwmh.core.codes import new_code


class EntryKind(models.TextChoices):
    OPEN_WEEK = "open_week", _("开放周")
    JOB_DRILL = "job_drill", _("岗位练兵")
    THEMED_TRAINING = "themed_training", _("主题培训")
    VOLUNTEER_SERVICE = "volunteer_service", _("志愿服务")
    EXCHANGE_VISIT = "exchange_visit", _("交流互访")
    HONOUR = "honour", _("获得荣誉")
    RULE_ADOPTED = "rule_adopted", _("制度建设")
    MEETING = "meeting", _("会议")
    SUMMARY = "summary", _("创建总结")
    OTHER = "other", _("其他")


# The activities that satisfy "≥ N job drill, themed training or open week per cycle".
REQUIRED_KINDS = (EntryKind.OPEN_WEEK, EntryKind.JOB_DRILL, EntryKind.THEMED_TRAINING)
# How many days an entry's end may lie after its start. The public calendar relies on it: a
# week not over yet began at most this long ago.
MAX_ENTRY_DAYS = 31


class LedgerCategory(models.TextChoices):
    PLAN = "plan", _("创建计划")
    SYSTEMS = "systems", _("组织与制度")
    ACTIVITIES = "activities", _("创建活动")
    TRAINING = "training", _("学习培训")
    HONOURS = "honours", _("荣誉成果")
    SUMMARY = "summary", _("创建总结")


CATEGORY_OF_KIND = {
    EntryKind.OPEN_WEEK: LedgerCategory.ACTIVITIES,
    EntryKind.JOB_DRILL: LedgerCategory.ACTIVITIES,
    EntryKind.VOLUNTEER_SERVICE: LedgerCategory.ACTIVITIES,
    EntryKind.EXCHANGE_VISIT: LedgerCategory.ACTIVITIES,
    EntryKind.OTHER: LedgerCategory.ACTIVITIES,
    EntryKind.THEMED_TRAINING: LedgerCategory.TRAINING,
    EntryKind.HONOUR: LedgerCategory.HONOURS,
    EntryKind.RULE_ADOPTED: LedgerCategory.SYSTEMS,
    EntryKind.MEETING: LedgerCategory.SYSTEMS,
    EntryKind.SUMMARY: LedgerCategory.SUMMARY,
}


class CreationPlan(models.Model):
    """A collective's plan for one cycle; its content lives in ``PlanVersion`` rows."""

    collective = models.ForeignKey(
        "collectives.Collective", on_delete=models.PROTECT, related_name="creation_plans"
    )
    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.PROTECT, related_name="+")
    latest_number = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("创建计划")
        verbose_name_plural = _("创建计划")
        constraints = [
            models.UniqueConstraint(fields=["collective", "cycle"], name="one_plan_per_cycle")
        ]

    def __str__(self) -> str:
        return f"{self.collective} · {self.cycle}"


PLAN_FIELDS = ("goals", "vehicles", "slogan", "pledges", "schedule", "leading_group")


class PlanVersion(models.Model):
    plan = models.ForeignKey(CreationPlan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    goals = models.TextField(_("创建目标"))
    vehicles = models.TextField(_("创建载体"), blank=True)
    slogan = models.CharField(_("创建口号"), max_length=100, blank=True)
    pledges = models.TextField(_("服务承诺"), blank=True)
    schedule = models.TextField(
        _("活动安排"), blank=True, help_text=_("每行一项，例如：2027-03 岗位练兵")
    )
    leading_group = models.TextField(
        _("创建领导小组"), blank=True, help_text=_("每行一人：姓名、职务、分工")
    )
    note = models.CharField(_("修改说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan", "-number"]
        verbose_name = _("创建计划版本")
        verbose_name_plural = _("创建计划版本")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"


class LogEntry(models.Model):
    """A dated record of creation work. Its current content is on the row; every version,
    the first included, is in ``LogEntryRevision``."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    collective = models.ForeignKey(
        "collectives.Collective", on_delete=models.PROTECT, related_name="log_entries"
    )
    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类别"), max_length=20, choices=EntryKind.choices)
    title = models.CharField(_("标题"), max_length=100)
    occurred_on = models.DateField(_("日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    participants = models.PositiveIntegerField(_("参与人数"), default=0)
    description = models.TextField(_("内容"), blank=True)
    public = models.BooleanField(
        _("在公众开放周日历上公布"),
        default=True,
        help_text=_("仅对持有称号集体的开放周有效。"),
    )
    attachments = models.ManyToManyField("evidence.EvidenceFile", related_name="+", blank=True)
    # Denormalised so compliance pages count "with evidence" without joining attachments.
    evidence_count = models.PositiveIntegerField(default=0)
    revision = models.PositiveIntegerField(default=1)
    # Set when another stage recorded the entry (an attended exchange event, a pair's
    # activity): "<app>.<model>:<code>", at most one entry per collective and origin.
    origin = models.CharField(_("来源"), max_length=60, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("创建日志")
        verbose_name_plural = _("创建日志")
        indexes = [
            models.Index(fields=["collective", "cycle", "-occurred_on"]),
            models.Index(fields=["cycle", "kind", "occurred_on"]),
            models.Index(fields=["kind", "ends_on"]),
            # The log entries list's order (newest first): a page is a walk, not a sort of
            # every entry in the city.
            models.Index(fields=["-occurred_on", "-id"], name="entry_list_order"),
            # The dashboards' open-week heatmap: one month's entries of a kind, in any cycle,
            # grouped by the collective's body. The collective is in the key so the month is
            # read from the index alone: a month's open weeks lie all over the table (each
            # collective's log is written together), ~9,000 pages each at 100,000 collectives.
            models.Index(fields=["kind", "occurred_on", "collective"], name="entry_kind_day"),
            # The public calendar: public open weeks in start order, walked from the last
            # MAX_ENTRY_DAYS on until the page is full. The end and the collective are in the
            # index too, so weeks already over are skipped without reading their rows.
            models.Index(
                fields=["occurred_on", "id", "ends_on", "collective"],
                name="open_week_calendar",
                condition=models.Q(kind="open_week", public=True),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["collective", "origin"],
                condition=~models.Q(origin=""),
                name="log_entry_one_per_origin",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def category(self) -> str:
        return str(CATEGORY_OF_KIND[EntryKind(self.kind)])


ENTRY_FIELDS = (
    "kind",
    "title",
    "occurred_on",
    "ends_on",
    "place",
    "participants",
    "description",
    "public",
)


class CreationTally(models.Model):
    """What compliance counts, per collective and cycle, kept beside the log so compliance
    pages read one row per collective instead of its entries: entries of the required kinds
    with evidence, and open weeks with evidence per month (``{"2026-03": 2}``).

    ``creation.tallies.retally`` rewrites the row in the transaction that changes an entry;
    ``manage.py rebuild_tallies`` recomputes every row from the log."""

    collective = models.ForeignKey(
        "collectives.Collective", on_delete=models.PROTECT, related_name="+"
    )
    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.PROTECT, related_name="+")
    required = models.PositiveIntegerField(default=0)
    open_weeks = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["collective", "cycle"], name="one_tally_per_cycle")
        ]
        # The city summary's "required activity done" set, read from the index alone.
        indexes = [models.Index(fields=["cycle", "required", "collective"], name="tally_required")]

    def __str__(self) -> str:
        return f"tally {self.collective_id}/{self.cycle_id}"


class LogEntryRevision(models.Model):
    entry = models.ForeignKey(LogEntry, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    data = models.JSONField()
    reason = models.CharField(_("更正原因"), max_length=200, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    edited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["entry", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "number"], name="entry_revision_unique")
        ]

    def __str__(self) -> str:
        return f"{self.entry} r{self.number}"


class DutyKind(models.Model):
    """One of a managing body's duties per cycle (the policy's 三个一, configurable as a
    checklist: domain.md §4.17). ``target`` is the number of records needed per cycle."""

    code = models.SlugField(max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    target = models.PositiveSmallIntegerField(_("每周期目标数"), default=1)
    is_channel = models.BooleanField(_("联系渠道类"), default=False)
    needs_evidence = models.BooleanField(_("需要佐证"), default=True)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("组织管理机构职责")
        verbose_name_plural = _("组织管理机构职责")

    def __str__(self) -> str:
        return self.name


class ChannelKind(models.TextChoices):
    WECHAT_GROUP = "wechat_group", _("微信群")
    QQ_GROUP = "qq_group", _("QQ 群")
    PHONE = "phone", _("联系电话")
    OTHER = "other", _("其他")


class DutyRecord(models.Model):
    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    body = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="duty_records"
    )
    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.PROTECT, related_name="+")
    duty = models.ForeignKey(DutyKind, on_delete=models.PROTECT, related_name="records")
    title = models.CharField(_("名称"), max_length=100)
    occurred_on = models.DateField(_("日期"))
    description = models.TextField(_("内容"), blank=True)
    channel_kind = models.CharField(
        _("渠道类型"), max_length=20, choices=ChannelKind.choices, blank=True
    )
    members_count = models.PositiveIntegerField(_("成员数"), null=True, blank=True)
    qr_image = models.ForeignKey(
        "evidence.EvidenceFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("群二维码"),
    )
    attachments = models.ManyToManyField("evidence.EvidenceFile", related_name="+", blank=True)
    evidence_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("职责记录")
        verbose_name_plural = _("职责记录")
        indexes = [models.Index(fields=["body", "cycle", "duty"])]

    def __str__(self) -> str:
        return self.title


class ReminderSent(models.Model):
    """One row per reminder sent, so the cron-able command never sends the same one twice."""

    key = models.CharField(max_length=80, unique=True)  # kind:collective:body:period
    kind = models.CharField(max_length=30)
    collective = models.ForeignKey(
        "collectives.Collective", on_delete=models.PROTECT, null=True, related_name="+"
    )
    body = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, null=True, related_name="+"
    )
    period = models.CharField(max_length=20)
    recipients = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.key


class CreationMember(models.Model):
    """A collective creating in a cycle: it holds an active title (any level) or has a counted
    registration in the cycle. Kept by the services (``creation.membership``) in the
    transaction that moves it; ``manage.py rebuild_tallies`` recomputes them all.

    The collective's body and sort key and the entries of the required kinds with evidence
    are copied here so a body's list and the city's per-body counts each read one index.
    Derived rows carry no foreign-key constraints in the database: a rebuild writes millions
    of them from rows that exist, and checking each at commit would double its time."""

    collective = models.ForeignKey(
        "collectives.Collective", on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    # Both lead composite indexes below: no index of their own.
    cycle = models.ForeignKey(
        "cycles.Cycle",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    body = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    sort_key = models.CharField(max_length=400, default="")
    titled = models.BooleanField(default=False)
    registered = models.BooleanField(default=False)
    required = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "collective"], name="one_member_per_cycle")
        ]
        indexes = [
            models.Index(fields=["cycle", "sort_key", "collective"], name="member_list"),
            models.Index(
                fields=["cycle", "body", "sort_key", "collective"], name="member_body_list"
            ),
            # Per-body counts of the city summary and the home page, read from the index alone.
            models.Index(
                fields=["cycle", "body", "titled", "registered", "required", "collective"],
                name="member_counts",
            ),
        ]

    def __str__(self) -> str:
        return f"member {self.collective_id}/{self.cycle_id}"


class CreationMonth(models.Model):
    """Open weeks with evidence of one collective in one month of a cycle (only months that
    have some). Kept with the entries by ``creation.tallies.retally``."""

    collective = models.ForeignKey(
        "collectives.Collective",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    cycle = models.ForeignKey(
        "cycles.Cycle",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    month = models.DateField()  # the first of the month
    weeks = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["collective", "cycle", "month"], name="one_month_count")
        ]
        # "Collectives meeting the minimum in a month of a cycle": one index range.
        indexes = [models.Index(fields=["cycle", "month", "weeks", "collective"], name="month_met")]

    def __str__(self) -> str:
        return f"month {self.collective_id}/{self.cycle_id}/{self.month:%Y-%m}"


class CreationBodyStamp(models.Model):
    """A token that changes, in the writer's transaction, whenever a body's memberships or
    month counts in a cycle change: the city summary keeps each body's row in Django's cache
    under it (``creation.summary``), so a request recomputes only the bodies that changed."""

    cycle = models.ForeignKey(
        "cycles.Cycle", on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    body = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    stamp = models.CharField(max_length=32)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cycle", "body"], name="one_stamp_per_body")]

    def __str__(self) -> str:
        return f"stamp {self.cycle_id}/{self.body_id}"
