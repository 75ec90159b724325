"""State changes of public supervision. One function per transition: permission → guard →
lock → save → one audit entry. Public intake runs as the anonymous actor (with its IP) and is
rate-limited in the database; the filer's identity never goes into the audit log.

Public intake is the one write anyone can trigger, so it is built against exhaustion: the
attempt is counted first, in its own transaction (a request that fails later still used its
quota); every photo passes the cheap checks (type, pixel cap from the header) before any is
decoded; files reach storage only when the complaint commits."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qnwmh.access.selectors import administrators_of
from qnwmh.accounts.models import User
from qnwmh.audit.services import log_action, snapshot
from qnwmh.collectives.models import Collective, CollectiveStatus
from qnwmh.core.actor import Actor
from qnwmh.core.errors import DomainError
from qnwmh.core.locking import lock
from qnwmh.core.permissions import require
from qnwmh.programme.models import ProgrammeRules
from qnwmh.supervision import notices, ratelimit
from qnwmh.supervision.models import (
    COMPLAINT_TRANSITIONS,
    PHOTO_PURPOSE,
    Category,
    Channel,
    Complaint,
    ComplaintPhoto,
    Holiday,
    Kind,
    Rating,
    Status,
    hash_filer_secret,
    new_filer_secret,
    new_tracking_code,
    rating_address,
)
from qnwmh.supervision.workdays import current_calendar

# Operational limits (not programme rules): overridable in settings.
LIMITS: dict[str, Any] = {
    "complaints_per_ip": (5, 3600),  # (count, window seconds)
    "complaints_per_collective": (30, 3600),
    "ratings_per_ip": (20, 3600),
    "max_photos": 3,
    # Largest public complaint request (form and photos), refused from Content-Length.
    "max_body_mb": 40,
}
LIMITS.update(getattr(settings, "SUPERVISION_LIMITS", {}))

# How far back staff may date a complaint they record from a phone call, letter or visit.
STAFF_BACKDATE_LIMIT = datetime.timedelta(days=365)

# Fields an audit entry records (never the filer's name or phone).
AUDITED = [
    "status",
    "handler",
    "findings",
    "rectification",
    "upheld",
    "reply",
    "satisfied",
    "city_review",
    "escalation_level",
    "text_hidden",
    "hidden_reason",
    "duplicate_of",
    "finish_due",
]


def _snap(c: Complaint) -> dict[str, Any]:
    return snapshot(c, AUDITED)


def _clean_text(value: str, field: str, *, required: bool = True, max_len: int = 2000) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(_("请填写内容。"), field=field)
    if len(value) > max_len:
        raise DomainError(_("内容不能超过 %(n)s 字。") % {"n": max_len}, field=field)
    return value


def _check_phone(phone: str) -> str:
    phone = (phone or "").strip().replace(" ", "").replace("-", "")
    if phone and not (phone.isdigit() and 7 <= len(phone) <= 15):
        raise DomainError(_("联系电话格式不正确。"), field="filer_phone")
    return phone


def _rate(key: str, spec: tuple[int, int]) -> None:
    limit, window = spec
    if not ratelimit.hit(key, limit, window):
        raise DomainError(_("提交过于频繁，请稍后再试。"), code="rate_limited")


def _count_attempt(actor: Actor, collective: Collective) -> bool:
    """Count one public filing attempt per IP and per collective before any other work, in a
    transaction of its own: committed at once (every request path calls intake outside any
    transaction), so a request that fails afterwards is still counted. Past the per-address
    limit the attempt is refused; past the per-collective cap it is accepted but held for
    review (returns True): a flood from a few addresses must not silence the channel."""
    with transaction.atomic():
        per_ip = ratelimit.hit(f"c:ip:{actor.ip or '-'}", *LIMITS["complaints_per_ip"])
        held = per_ip and not ratelimit.hit(
            f"c:col:{collective.pk}", *LIMITS["complaints_per_collective"]
        )
    if not per_ip:
        raise DomainError(_("提交过于频繁，请稍后再试。"), code="rate_limited")
    return held


# Intake -----------------------------------------------------------------------------------


def _create(
    actor: Actor,
    *,
    collective: Collective,
    kind: str,
    category: str,
    text: str,
    filer_name: str,
    filer_phone: str,
    channel: str,
    photos: Sequence[Any],
    received_at: datetime.datetime | None = None,
    with_secret: bool = False,
    held: bool = False,
) -> Complaint:
    if collective.status != CollectiveStatus.ACTIVE:
        raise DomainError(_("该集体已归档，不再受理。"))
    if kind not in Kind.values:
        raise DomainError(_("请选择类型。"), field="kind")
    if category not in Category.values:
        raise DomainError(_("请选择类别。"), field="category")
    if channel not in Channel.values:
        raise DomainError(_("请选择渠道。"), field="channel")
    text = _clean_text(text, "text")
    name = _clean_text(filer_name, "filer_name", required=False, max_len=50)
    phone = _check_phone(filer_phone)
    rules = ProgrammeRules.current()
    cal = current_calendar()
    received_at = received_at or timezone.now()
    day = timezone.localdate(received_at)
    code = new_tracking_code()
    secret = new_filer_secret() if with_secret else ""
    complaint = Complaint.objects.create(
        code=code,
        filer_secret_hash=hash_filer_secret(code, secret) if secret else "",
        held_for_review=held,
        collective=collective,
        body_id=collective.body_id,
        kind=kind,
        category=category,
        channel=channel,
        text=text,
        filer_name=name,
        filer_phone=phone,
        received_at=received_at,
        ack_due=cal.add_working_days(day, rules.complaint_ack_days),
        finish_due=cal.add_working_days(day, rules.complaint_finish_days),
    )
    for prepared in photos:
        _store_photo(actor, complaint, prepared)
    log_action(
        actor,
        complaint,
        "supervision.complaint.filed",
        after=_snap(complaint),
        data={
            "collective": collective.code,
            "channel": channel,
            "kind": kind,
            "category": category,
            "photos": len(photos),
            "gave_name": bool(name),
            "gave_phone": bool(phone),
            "held_for_review": held,
        },
    )
    complaint.filer_secret = secret  # shown to the filer once; only its hash is stored
    transaction.on_commit(lambda: notices.complaint_filed(complaint, actor.user))
    return complaint


def _prepare_photos(actor: Actor, collective: Collective, uploads: Sequence[Any]) -> list[Any]:
    """Every photo through the cheap checks (size, type from the content, pixel cap from the
    header) before any is decoded or stored; anything but an image is refused."""
    from qnwmh.core.images import IMAGE_EXTENSIONS
    from qnwmh.evidence.services import prepare_upload

    if len(uploads) > LIMITS["max_photos"]:
        raise DomainError(
            _("最多上传 %(n)s 张照片。") % {"n": LIMITS["max_photos"]}, field="photos"
        )
    prepared: list[Any] = []
    try:
        for upload in uploads:
            try:
                item = prepare_upload(
                    actor, uploaded_file=upload, collective=collective, purpose=PHOTO_PURPOSE
                )
            except DomainError as exc:
                raise DomainError(exc.message, code=exc.code, field="photos") from None
            prepared.append(item)
            if item.fmt not in IMAGE_EXTENSIONS:
                raise DomainError(_("只能上传照片（JPEG、PNG、WebP 或 HEIC）。"), field="photos")
    except BaseException:
        for item in prepared:
            item.close()
        raise
    return prepared


def _store_photo(actor: Actor, complaint: Complaint, prepared: Any) -> ComplaintPhoto:
    """Decode, re-encode without metadata and keep one prepared photo (shared evidence
    pipeline; written to storage when the complaint commits)."""
    from qnwmh.evidence.models import EvidenceKind
    from qnwmh.evidence.services import store_prepared

    try:
        evidence = store_prepared(actor, prepared)
    except DomainError as exc:
        raise DomainError(exc.message, code=exc.code, field="photos") from None
    if evidence.kind != EvidenceKind.IMAGE:
        raise DomainError(_("只能上传照片（JPEG、PNG、WebP 或 HEIC）。"), field="photos")
    return ComplaintPhoto.objects.create(complaint=complaint, evidence=evidence)


def _attach_photo(actor: Actor, complaint: Complaint, upload: Any) -> ComplaintPhoto:
    """Check and store one photo for ``complaint``."""
    (prepared,) = _prepare_photos(actor, complaint.collective, [upload])
    return _store_photo(actor, complaint, prepared)


def complaint_file(
    actor: Actor,
    *,
    collective: Collective,
    kind: str,
    category: str,
    text: str,
    filer_name: str = "",
    filer_phone: str = "",
    photos: Sequence[Any] = (),
    via_api: bool = False,
) -> Complaint:
    """Public intake (QR page or the open API): no account, rate-limited per IP across all
    server processes. The attempt is counted before anything else and stays counted whatever
    happens next; the photos are checked before any is decoded. Past the per-collective cap a
    complaint is still accepted but held for review, and the responsible staff are told (once
    per window). The returned complaint carries the filer's secret in ``filer_secret`` (not
    stored)."""
    held = _count_attempt(actor, collective)
    prepared = _prepare_photos(actor, collective, photos)
    try:
        with transaction.atomic():
            complaint = _create(
                actor,
                collective=collective,
                kind=kind,
                category=category,
                text=text,
                filer_name=filer_name,
                filer_phone=filer_phone,
                channel=Channel.API if via_api else Channel.WEB,
                photos=prepared,
                with_secret=True,
                held=held,
            )
    except BaseException:
        for item in prepared:
            item.close()  # closing twice is harmless; a stored photo's spool is closed already
        raise
    if held and ratelimit.hit(f"c:held:{collective.pk}", 1, LIMITS["complaints_per_collective"][1]):
        _notify_held(complaint)
    return complaint


def _notify_held(complaint: Complaint) -> None:
    """Tell the handling body's admins and the city admins that intake for a collective
    passed its cap; the complaints keep arriving, marked for review."""
    from django.urls import reverse

    from qnwmh.notices.services import body_admins, city_admins, notify

    notify(
        [*body_admins(complaint.body_id), *city_admins()],
        _(
            "“%(name)s”在一小时内收到的投诉建议超过 %(n)s 件，之后的来件已标记为待核查，"
            "请核查是否为恶意刷单。"
        )
        % {"name": complaint.collective.name, "n": LIMITS["complaints_per_collective"][0]},
        link=reverse("supervision:list") + f"?state=held&collective={complaint.collective.code}",
        code="supervision.complaint.held",
    )


@transaction.atomic
def complaint_enter(
    actor: Actor,
    *,
    collective: Collective,
    kind: str,
    category: str,
    text: str,
    channel: str,
    filer_name: str = "",
    filer_phone: str = "",
    received_at: datetime.datetime | None = None,
    photos: Sequence[Any] = (),
) -> Complaint:
    """Staff record a complaint received by phone, letter or visit."""
    require(actor, "supervision.enter", collective)
    if channel in (Channel.WEB, Channel.API):
        raise DomainError(_("请选择电话、来信或来访渠道。"), field="channel")
    if received_at and received_at > timezone.now():
        raise DomainError(_("接收时间不能晚于现在。"), field="received_at")
    if received_at and received_at < timezone.now() - STAFF_BACKDATE_LIMIT:
        # Deadlines count working days from receipt; a year-old slip is a typo, and year 1
        # overflows the calendar arithmetic.
        raise DomainError(_("接收时间不能早于一年前，请核对日期。"), field="received_at")
    prepared = _prepare_photos(actor, collective, photos)
    return _create(
        actor,
        collective=collective,
        kind=kind,
        category=category,
        text=text,
        filer_name=filer_name,
        filer_phone=filer_phone,
        channel=channel,
        photos=prepared,
        received_at=received_at,
    )


# Handling ---------------------------------------------------------------------------------


def _begin(actor: Actor, complaint: Complaint, action: str) -> Complaint:
    """Lock the complaint and check that the actor may handle it and that ``action`` (of
    ``COMPLAINT_TRANSITIONS``) is allowed."""
    require(actor, "supervision.handle", complaint)
    complaint = lock(Complaint, complaint.pk)
    # Again on the locked row: the filer may have reopened it for the city's review meanwhile.
    require(actor, "supervision.handle", complaint)
    COMPLAINT_TRANSITIONS.check_action(complaint, action)
    return complaint


def _finish(
    actor: Actor, complaint: Complaint, before: dict[str, Any], code: str, **data: Any
) -> Complaint:
    complaint.save()
    log_action(actor, complaint, code, before=before, after=_snap(complaint), data=data or None)
    return complaint


def eligible_handlers(complaint: Complaint) -> Any:
    """Who may be assigned: admins of the handling body and city admins."""
    return administrators_of(complaint.body_id, with_city_admins=True).order_by("username")


@transaction.atomic
def complaint_acknowledge(actor: Actor, *, complaint: Complaint) -> Complaint:
    complaint = _begin(actor, complaint, "acknowledge")
    before = _snap(complaint)
    COMPLAINT_TRANSITIONS.apply(complaint, "acknowledge")
    complaint.acknowledged_at = timezone.now()
    if complaint.handler_id is None and actor.user is not None:
        complaint.handler = actor.user
    return _finish(actor, complaint, before, "supervision.complaint.acknowledged")


@transaction.atomic
def complaint_assign(actor: Actor, *, complaint: Complaint, handler: User) -> Complaint:
    complaint = _begin(actor, complaint, "assign")
    if not eligible_handlers(complaint).filter(pk=handler.pk).exists():
        raise DomainError(_("只能指派承办组织或团市委的管理员。"), field="handler")
    before = _snap(complaint)
    complaint.handler = handler
    complaint = _finish(actor, complaint, before, "supervision.complaint.assigned")
    transaction.on_commit(lambda: notices.complaint_assigned(complaint, actor.user))
    return complaint


@transaction.atomic
def complaint_investigate(actor: Actor, *, complaint: Complaint) -> Complaint:
    complaint = _begin(actor, complaint, "investigate")
    before = _snap(complaint)
    COMPLAINT_TRANSITIONS.apply(complaint, "investigate")
    return _finish(actor, complaint, before, "supervision.complaint.investigating")


@transaction.atomic
def complaint_order_rectification(
    actor: Actor, *, complaint: Complaint, findings: str, rectification: str
) -> Complaint:
    complaint = _begin(actor, complaint, "order_rectification")
    before = _snap(complaint)
    complaint.findings = _clean_text(findings, "findings")
    complaint.rectification = _clean_text(rectification, "rectification")
    complaint.upheld = True
    COMPLAINT_TRANSITIONS.apply(complaint, "order_rectification")
    return _finish(actor, complaint, before, "supervision.complaint.rectification_ordered")


@transaction.atomic
def complaint_reply(
    actor: Actor, *, complaint: Complaint, reply: str, findings: str = ""
) -> Complaint:
    complaint = _begin(actor, complaint, "reply")
    before = _snap(complaint)
    complaint.reply = _clean_text(reply, "reply")
    if findings.strip():
        complaint.findings = _clean_text(findings, "findings")
    if not complaint.findings:
        raise DomainError(_("答复前请先填写调查结果。"), field="findings")
    COMPLAINT_TRANSITIONS.apply(complaint, "reply")
    complaint.replied_at = timezone.now()
    complaint.city_review = False
    return _finish(actor, complaint, before, "supervision.complaint.replied")


@transaction.atomic
def complaint_not_substantiated(
    actor: Actor, *, complaint: Complaint, findings: str, reply: str
) -> Complaint:
    complaint = _begin(actor, complaint, "not_substantiated")
    before = _snap(complaint)
    complaint.findings = _clean_text(findings, "findings")
    complaint.reply = _clean_text(reply, "reply")
    complaint.upheld = False
    COMPLAINT_TRANSITIONS.apply(complaint, "not_substantiated")
    complaint.replied_at = complaint.closed_at = timezone.now()
    complaint.city_review = False
    return _finish(actor, complaint, before, "supervision.complaint.not_substantiated")


@transaction.atomic
def complaint_mark_duplicate(
    actor: Actor, *, complaint: Complaint, original_code: str
) -> Complaint:
    complaint = _begin(actor, complaint, "mark_duplicate")
    original = (
        Complaint.objects.filter(
            code=(original_code or "").strip().upper(), collective_id=complaint.collective_id
        )
        .exclude(pk=complaint.pk)
        .first()
    )
    if original is None:
        raise DomainError(_("未找到同一集体下编号为该值的原件。"), field="original_code")
    if original.status == Status.DUPLICATE:
        raise DomainError(_("原件本身是重复件，请填写最初的原件编号。"), field="original_code")
    before = _snap(complaint)
    complaint.duplicate_of = original
    COMPLAINT_TRANSITIONS.apply(complaint, "mark_duplicate")
    complaint.closed_at = timezone.now()
    complaint.reply = _("您反映的问题已有相同诉求在办理，将合并处理（原件 %(code)s…）。") % {
        "code": original.code[:6]
    }
    return _finish(actor, complaint, before, "supervision.complaint.duplicate")


@transaction.atomic
def complaint_close(actor: Actor, *, complaint: Complaint) -> Complaint:
    complaint = _begin(actor, complaint, "close")
    before = _snap(complaint)
    COMPLAINT_TRANSITIONS.apply(complaint, "close")
    complaint.closed_at = timezone.now()
    return _finish(actor, complaint, before, "supervision.complaint.closed")


@transaction.atomic
def complaint_hide_text(actor: Actor, *, complaint: Complaint, reason: str) -> Complaint:
    """Moderation: abusive text is hidden from every public view; the original stays."""
    require(actor, "supervision.moderate", complaint)
    complaint = lock(Complaint, complaint.pk)
    if complaint.text_hidden:
        raise DomainError(_("内容已屏蔽。"))
    before = _snap(complaint)
    complaint.text_hidden = True
    complaint.hidden_reason = _clean_text(reason, "reason", max_len=200)
    return _finish(actor, complaint, before, "supervision.complaint.text_hidden")


@transaction.atomic
def complaint_show_text(actor: Actor, *, complaint: Complaint) -> Complaint:
    require(actor, "supervision.moderate", complaint)
    complaint = lock(Complaint, complaint.pk)
    if not complaint.text_hidden:
        raise DomainError(_("内容未被屏蔽。"))
    before = _snap(complaint)
    complaint.text_hidden = False
    return _finish(actor, complaint, before, "supervision.complaint.text_shown")


# The filer ----------------------------------------------------------------------------------


def require_filer(complaint: Complaint, secret: str | None) -> None:
    """Only the filer's secret proves the filer; complaints without one (entered by staff, or
    filed before secrets existed) cannot be answered for their filer online."""
    if not complaint.filer_secret_hash:
        raise DomainError(
            _("本件未设置查询密码，无法在网上评价，请联系承办单位。"), code="no_secret"
        )
    if not complaint.filer_secret_matches(secret):
        raise DomainError(_("查询密码不正确。"), code="wrong_secret", field="secret")


@transaction.atomic
def complaint_feedback(
    actor: Actor, *, complaint: Complaint, secret: str, satisfied: bool, comment: str = ""
) -> Complaint:
    """The filer (holder of the secret given at filing, not merely of the tracking code, which
    staff see) says whether the answer satisfied them. Satisfied closes it; unsatisfied
    reopens it for review by city staff with a fresh finishing deadline."""
    complaint = lock(Complaint, complaint.pk)
    require_filer(complaint, secret)
    verdict = "filer_satisfied" if satisfied else "filer_unsatisfied"
    COMPLAINT_TRANSITIONS.check_action(complaint, verdict, message=_("答复后才能评价处理结果。"))
    if (
        complaint.feedback_at
        and complaint.replied_at
        and complaint.feedback_at >= complaint.replied_at
    ):
        raise DomainError(_("您已评价过本次答复。"))
    before = _snap(complaint)
    now = timezone.now()
    complaint.satisfied = satisfied
    complaint.feedback_at = now
    complaint.feedback_comment = _clean_text(comment, "comment", required=False, max_len=500)
    COMPLAINT_TRANSITIONS.apply(complaint, verdict)
    if satisfied:
        complaint.closed_at = complaint.closed_at or now
        code = "supervision.complaint.filer_satisfied"
    else:
        complaint.city_review = True
        complaint.closed_at = None
        complaint.reopen_count += 1
        complaint.escalation_level = 0
        complaint.finish_due = current_calendar().add_working_days(
            timezone.localdate(now), ProgrammeRules.current().complaint_finish_days
        )
        code = "supervision.complaint.reopened"
        transaction.on_commit(lambda: notices.complaint_reopened(complaint))
    return _finish(actor, complaint, before, code)


# Commands -----------------------------------------------------------------------------------

ACK_LEVEL, FINISH_LEVEL = 1, 2


@transaction.atomic
def escalate_overdue(actor: Actor, *, today: datetime.date | None = None) -> list[Complaint]:
    """Mark overdue complaints escalated to city admins (1: not acknowledged in time, 2: not
    finished in time), one audit entry each, and tell the assignee, the body's admins and the
    city admins once per complaint and level (bell + e-mail)."""
    require(actor, "supervision.escalate")
    today = today or timezone.localdate()
    done: list[Complaint] = []
    candidates = Complaint.objects.overdue(today).filter(escalation_level__lt=FINISH_LEVEL)
    for pk in candidates.values_list("pk", flat=True).order_by("pk"):
        complaint = lock(Complaint, pk)
        level = FINISH_LEVEL if complaint.is_open and complaint.finish_due < today else ACK_LEVEL
        if not complaint.is_overdue(today) or complaint.escalation_level >= level:
            continue
        before = _snap(complaint)
        complaint.escalation_level = level
        complaint.escalated_at = timezone.now()
        transaction.on_commit(
            functools.partial(notices.complaint_overdue, complaint, finishing=level == FINISH_LEVEL)
        )
        done.append(
            _finish(
                actor,
                complaint,
                before,
                "supervision.complaint.escalated",
                level=level,
                ack_due=complaint.ack_due,
                finish_due=complaint.finish_due,
            )
        )
    return done


@transaction.atomic
def anonymise_expired(actor: Actor, *, now: datetime.datetime | None = None) -> int:
    """Blank the filer's name and phone once the retention period after closing has passed."""
    require(actor, "supervision.anonymise")
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=ProgrammeRules.current().complaint_retention_days)
    due = Complaint.objects.filter(
        closed_at__lt=cutoff,
        anonymised_at__isnull=True,
        status__in=[Status.CLOSED, Status.NOT_SUBSTANTIATED, Status.DUPLICATE],
    )
    count = 0
    for pk in due.values_list("pk", flat=True).order_by("pk"):
        complaint = lock(Complaint, pk)
        complaint.filer_name = ""
        complaint.filer_phone = ""
        complaint.anonymised_at = now
        complaint.save(update_fields=["filer_name", "filer_phone", "anonymised_at", "updated_at"])
        log_action(
            actor,
            complaint,
            "supervision.complaint.anonymised",
            data={"closed_at": complaint.closed_at},
        )
        count += 1
    return count


# Ratings ------------------------------------------------------------------------------------


@transaction.atomic
def rating_add(
    actor: Actor, *, collective: Collective, stars: int, comment: str, device: str
) -> Rating:
    """A visitor's 1–5 rating: once per device (cookie) and once per client address, per
    collective per day. The address bound is kept on the server (a keyed hash of address and
    day), so dropping the cookie gains nothing; visitors behind one shared address (an office
    NAT) share one rating a day."""
    if collective.status != CollectiveStatus.ACTIVE:
        raise DomainError(_("该集体已归档，不再接受评价。"))
    if not isinstance(stars, int) or not 1 <= stars <= 5:
        raise DomainError(_("评分须为 1 到 5 星。"), field="stars")
    if not device:
        raise DomainError(_("无法识别您的设备，请允许浏览器保存 Cookie 后重试。"))
    _rate(f"r:ip:{actor.ip or '-'}", LIMITS["ratings_per_ip"])
    day = timezone.localdate()
    address = rating_address(actor.ip, day)
    if Rating.objects.filter(collective=collective, device=device, day=day).exists():
        raise DomainError(_("您今天已经评价过该集体，明天再来吧。"), code="duplicate")
    if Rating.objects.filter(collective=collective, address=address, day=day).exists():
        raise DomainError(
            _("今天已有人从您所在的网络评价过该集体，每个网络每天只计一次，明天再来吧。"),
            code="duplicate",
        )
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                collective=collective,
                stars=stars,
                device=device,
                address=address,
                day=day,
                comment=_clean_text(comment, "comment", required=False, max_len=300),
            )
    except IntegrityError:
        raise DomainError(_("您今天已经评价过该集体，明天再来吧。"), code="duplicate") from None
    log_action(
        actor,
        rating,
        "supervision.rating.added",
        data={"collective": collective.code, "stars": stars},
    )
    return rating


# Holidays -----------------------------------------------------------------------------------


@transaction.atomic
def holiday_add(
    actor: Actor, *, date: datetime.date, name: str, is_workday: bool = False
) -> Holiday:
    require(actor, "supervision.manage_holidays")
    name = _clean_text(name, "name", max_len=50)
    existing = Holiday.objects.select_for_update().filter(date=date).first()
    if existing and existing.active:
        raise DomainError(_("该日期已登记。"), field="date")
    holiday = existing or Holiday(date=date)
    before = snapshot(holiday) if existing else None
    holiday.name, holiday.is_workday, holiday.active = name, is_workday, True
    holiday.save()
    log_action(actor, holiday, "supervision.holiday.added", before=before, after=snapshot(holiday))
    return holiday


@transaction.atomic
def holiday_deactivate(actor: Actor, *, holiday: Holiday) -> Holiday:
    require(actor, "supervision.manage_holidays")
    holiday = lock(Holiday, holiday.pk)
    if not holiday.active:
        raise DomainError(_("该日期已停用。"))
    holiday.active = False
    holiday.save(update_fields=["active"])
    log_action(actor, holiday, "supervision.holiday.deactivated")
    return holiday
