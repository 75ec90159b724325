"""Writes of consultations: drafting and its sections, opening with the roster, the bodies'
replies (comments per section, or 无意见), public comments, reminders, dispositions, closing
and publishing. Each checks its permission, then the rule, then saves, audits, and notifies
after commit."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qnwmh.audit.services import log_action, snapshot
from qnwmh.consultation.drafts import split_sections
from qnwmh.consultation.models import (
    CONSULTATION_TRANSITIONS,
    RESPONDENT_TRANSITIONS,
    Comment,
    Consultation,
    Disposition,
    Respondent,
    RespondentStatus,
    Section,
    Status,
)
from qnwmh.core.actor import Actor
from qnwmh.core.errors import DomainError
from qnwmh.core.locking import lock
from qnwmh.core.permissions import require
from qnwmh.notices.services import body_admins, notify
from qnwmh.orgs.models import Organisation

MAX_COMMENT_CHARS = 5000
FIELDS = ["title", "note", "deadline", "allow_public", "status"]


def _url(c: Consultation) -> str:
    return reverse("consultation:detail", args=[c.code])


def _save_sections(consultation: Consultation, text: str) -> int:
    parsed = split_sections(text)
    Section.objects.bulk_create(
        Section(
            consultation=consultation,
            position=i,
            level=p.level,
            number=p.number,
            heading=p.heading,
            body=p.body,
        )
        for i, p in enumerate(parsed, start=1)
    )
    return len(parsed)


def _aware(value: datetime.datetime) -> datetime.datetime:
    """A deadline without a zone is read in the platform's (the pages send local times)."""
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _check_deadline(deadline: datetime.datetime) -> None:
    if _aware(deadline) <= timezone.now():
        raise DomainError(_("反馈截止时间须晚于现在。"), field="deadline")


@transaction.atomic
def create(
    actor: Actor,
    *,
    title: str,
    text: str,
    deadline: datetime.datetime,
    note: str = "",
    allow_public: bool = False,
) -> Consultation:
    """A draft consultation, its text split into sections (refused when it has no headings)."""
    require(actor, "consultation.manage")
    deadline = _aware(deadline)
    _check_deadline(deadline)
    c = Consultation.objects.create(
        title=title,
        note=note,
        deadline=deadline,
        allow_public=allow_public,
        created_by=actor.clerk,
    )
    n = _save_sections(c, text)
    log_action(actor, c, "consultation.created", after=snapshot(c, FIELDS), data={"sections": n})
    return c


@transaction.atomic
def update(actor: Actor, *, consultation: Consultation, **values: Any) -> Consultation:
    """Title, note, deadline (a later one only, once open) and whether the public may comment."""
    require(actor, "consultation.manage")
    c = lock(Consultation, consultation.pk)
    if c.status not in (Status.DRAFT, Status.OPEN):
        raise DomainError(_("征求意见已截止，不能再修改。"))
    before = snapshot(c, FIELDS)
    if "deadline" in values:
        values["deadline"] = _aware(values["deadline"])
        if values["deadline"] != c.deadline:
            _check_deadline(values["deadline"])
        # The bodies plan their reply by the deadline they were sent: once open, it only moves
        # later. The form shows minutes: the same minute re-sent is not "earlier".
        shown = c.deadline.replace(second=0, microsecond=0)
        if c.status == Status.OPEN and values["deadline"] < shown:
            raise DomainError(_("征求中只能延后截止时间。"), field="deadline")
    for key in ("title", "note", "deadline", "allow_public"):
        if key in values:
            setattr(c, key, values[key])
    c.save()
    log_action(actor, c, "consultation.updated", before=before, after=snapshot(c, FIELDS))
    return c


def default_roster() -> list[Organisation]:
    """Every active managing body."""
    return list(Organisation.objects.bodies().filter(active=True).order_by("path"))


@transaction.atomic
def open_consultation(
    actor: Actor, *, consultation: Consultation, bodies: Iterable[Organisation] | None = None
) -> Consultation:
    """Send the draft: the roster (default every managing body) is fixed and told."""
    require(actor, "consultation.manage")
    c = lock(Consultation, consultation.pk)
    CONSULTATION_TRANSITIONS.check(c, Status.OPEN)
    _check_deadline(c.deadline)
    roster = list(bodies) if bodies is not None else default_roster()
    if not roster:
        raise DomainError(_("征求对象名单为空，请至少选择一个组织管理机构。"))
    CONSULTATION_TRANSITIONS.move(c, Status.OPEN)
    c.opened_at = timezone.now()
    c.save(update_fields=["status", "opened_at"])
    Respondent.objects.bulk_create(Respondent(consultation=c, organisation=o) for o in roster)
    log_action(actor, c, "consultation.opened", data={"respondents": len(roster)})
    ids = [o.pk for o in roster]
    transaction.on_commit(lambda: _tell_bodies(c, ids, "consultation.opened"))
    return c


def _tell_bodies(c: Consultation, body_ids: list[int], code: str) -> None:
    """One notice per person, however many of the listed bodies they administer."""
    users = {u.pk: u for body_id in body_ids for u in body_admins(body_id)}
    due = timezone.localtime(c.deadline).strftime("%Y-%m-%d %H:%M")
    notify(users.values(), code=code, params={"title": c.title, "due": due}, link=_url(c))


@transaction.atomic
def mark_opened(actor: Actor, *, respondent: Respondent) -> bool:
    """A body admin reading the draft marks their body's row opened (once)."""
    if respondent.status != RespondentStatus.NOT_OPENED:
        return False
    r = lock(Respondent, respondent.pk)
    if not RESPONDENT_TRANSITIONS.can_do(r, "open"):
        return False
    RESPONDENT_TRANSITIONS.apply(r, "open")
    r.opened_at = timezone.now()
    r.save(update_fields=["status", "opened_at"])
    log_action(actor, r, "consultation.respondent.opened", data={"consultation": r.consultation_id})
    respondent.status, respondent.opened_at = r.status, r.opened_at
    return True


def _open_for_comments(consultation_id: int) -> Consultation:
    c = lock(Consultation, consultation_id)
    if c.status != Status.OPEN:
        raise DomainError(
            _("征求意见当前状态为“%(s)s”，不再接受意见。") % {"s": Status(c.status).label}
        )
    return c


def _clean(text: str) -> str:
    text = (text or "").strip()
    if len(text) > MAX_COMMENT_CHARS:
        raise DomainError(_("每条意见不超过 %(n)s 字。") % {"n": MAX_COMMENT_CHARS})
    return text


@transaction.atomic
def reply(
    actor: Actor,
    *,
    respondent: Respondent,
    comments: Mapping[int, str],
    rest_no_comment: bool = False,
) -> list[Comment]:
    """A body's comments, by section id; the sections left empty have 无意见. A reply with no
    comment at all is the explicit 无意见 (``rest_no_comment``) or refused. After the deadline
    comments are still taken while the consultation is open, and marked late."""
    require(actor, "consultation.reply", respondent)
    c = _open_for_comments(respondent.consultation_id)
    r = lock(Respondent, respondent.pk)
    texts = {sid: _clean(t) for sid, t in comments.items() if _clean(t)}
    if not texts:
        if rest_no_comment:
            return _no_comment(actor, c, r)
        raise DomainError(_("请至少填写一条意见，或选择“无意见”。"))
    sections = {s.pk: s for s in c.sections.filter(pk__in=list(texts))}
    if len(sections) != len(texts):
        raise DomainError(_("意见所指的章节不属于本次征求意见。"))
    now = timezone.now()
    late = now > c.deadline
    made = Comment.objects.bulk_create(
        Comment(
            consultation=c,
            section=sections[sid],
            respondent=r,
            author=actor.clerk,
            text=text,
            late=late,
            created_at=now,
        )
        for sid, text in sorted(texts.items(), key=lambda kv: sections[kv[0]].position)
    )
    RESPONDENT_TRANSITIONS.apply(r, "comment")
    r.replied_at, r.replied_late = now, late
    r.opened_at = r.opened_at or now
    r.save(update_fields=["status", "replied_at", "replied_late", "opened_at"])
    log_action(
        actor,
        r,
        "consultation.respondent.commented",
        data={"consultation": c.code, "comments": len(made), "late": late},
    )
    respondent.status = r.status
    transaction.on_commit(lambda: _tell_city(c, r, len(made), late))
    return made


def _no_comment(actor: Actor, c: Consultation, r: Respondent) -> list[Comment]:
    RESPONDENT_TRANSITIONS.apply(r, "no_comment")
    now = timezone.now()
    r.replied_at, r.replied_late = now, now > c.deadline
    r.opened_at = r.opened_at or now
    r.save(update_fields=["status", "replied_at", "replied_late", "opened_at"])
    log_action(
        actor,
        r,
        "consultation.respondent.no_comment",
        data={"consultation": c.code, "late": r.replied_late},
    )
    return []


@transaction.atomic
def no_comment(actor: Actor, *, respondent: Respondent) -> Respondent:
    """The explicit 无意见 reply on the whole draft."""
    require(actor, "consultation.reply", respondent)
    c = _open_for_comments(respondent.consultation_id)
    r = lock(Respondent, respondent.pk)
    _no_comment(actor, c, r)
    respondent.status = r.status
    return r


def _tell_city(c: Consultation, r: Respondent, n: int, late: bool) -> None:
    from qnwmh.notices.services import city_admins

    notify(
        city_admins(),
        code="consultation.commented",
        params={"body": r.organisation.name, "title": c.title, "n": n},
        link=reverse("consultation:summary", args=[c.code]),
    )


@transaction.atomic
def public_comment(
    actor: Actor,
    *,
    consultation: Consultation,
    section: Section,
    text: str,
    name: str = "",
    contact: str = "",
) -> Comment:
    """A member of the public's comment, when the consultation takes them. Name and contact
    are kept for the drafting team (shown masked) and never published."""
    c = _open_for_comments(consultation.pk)
    if not c.allow_public:
        raise DomainError(_("本次征求意见不接受公众意见。"))
    if section.consultation_id != c.pk:
        raise DomainError(_("意见所指的章节不属于本次征求意见。"))
    text = _clean(text)
    if not text:
        raise DomainError(_("请填写意见。"), field="text")
    comment = Comment.objects.create(
        consultation=c,
        section=section,
        text=text,
        public_name=(name or "").strip()[:50],
        public_contact=(contact or "").strip()[:100],
        late=timezone.now() > c.deadline,
    )
    log_action(actor, comment, "consultation.comment.public", data={"consultation": c.code})
    return comment


@transaction.atomic
def dispose(actor: Actor, *, comment: Comment, disposition: str, reason: str) -> Comment:
    """Adopted, partly or not adopted, always with a reason; the author is told."""
    require(actor, "consultation.dispose", comment)
    c = lock(Consultation, comment.consultation_id)
    if c.status not in (Status.OPEN, Status.CLOSED):
        raise DomainError(
            _("征求意见当前状态为“%(s)s”，不能再处理意见。") % {"s": Status(c.status).label}
        )
    if disposition not in Disposition.values:
        raise DomainError(_("请选择处理结果。"), field="disposition")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写处理理由。"), field="reason")
    if len(reason) > MAX_COMMENT_CHARS:
        raise DomainError(_("理由不超过 %(n)s 字。") % {"n": MAX_COMMENT_CHARS}, field="reason")
    obj = lock(Comment, comment.pk)
    before = snapshot(obj, ["disposition", "reason"])
    obj.disposition, obj.reason = disposition, reason
    obj.disposed_by, obj.disposed_at = actor.clerk, timezone.now()
    obj.save(update_fields=["disposition", "reason", "disposed_by", "disposed_at"])
    log_action(
        actor,
        obj,
        "consultation.comment.disposed",
        before=before,
        after=snapshot(obj, ["disposition", "reason"]),
    )
    if obj.author_id:
        transaction.on_commit(lambda: _tell_author(c, obj))
    comment.disposition, comment.reason = obj.disposition, obj.reason
    return obj


def _tell_author(c: Consultation, comment: Comment) -> None:
    if comment.author is None:
        return
    notify(
        [comment.author],
        code="consultation.disposed",
        params={
            "title": c.title,
            "section": str(comment.section),
            "result": Disposition(comment.disposition).label,
            "reason": comment.reason,
        },
        link=_url(c),
    )


@transaction.atomic
def close(actor: Actor, *, consultation: Consultation) -> Consultation:
    """No more comments; the drafting team finishes the dispositions."""
    require(actor, "consultation.manage")
    c = lock(Consultation, consultation.pk)
    CONSULTATION_TRANSITIONS.move(c, Status.CLOSED)
    c.closed_at = timezone.now()
    c.save(update_fields=["status", "closed_at"])
    log_action(actor, c, "consultation.closed")
    consultation.status = c.status
    return c


@transaction.atomic
def publish(actor: Actor, *, consultation: Consultation, final_text: str) -> Consultation:
    """The final text with every comment's disposition, on the public site. Refused while a
    comment has no disposition."""
    require(actor, "consultation.manage")
    c = lock(Consultation, consultation.pk)
    CONSULTATION_TRANSITIONS.check(c, Status.PUBLISHED)
    final_text = (final_text or "").strip()
    if not final_text:
        raise DomainError(_("请填写定稿文本。"), field="final_text")
    pending = c.comments.filter(disposition="").count()
    if pending:
        raise DomainError(_("还有 %(n)s 条意见未处理，处理完毕后才能公布。") % {"n": pending})
    CONSULTATION_TRANSITIONS.move(c, Status.PUBLISHED)
    c.final_text, c.published_at = final_text, timezone.now()
    c.save(update_fields=["status", "final_text", "published_at"])
    log_action(actor, c, "consultation.published", data={"comments": c.comments.count()})
    consultation.status = c.status
    return c


def not_replied(c: Consultation) -> list[Respondent]:
    return list(
        c.respondents.filter(
            status__in=[RespondentStatus.NOT_OPENED, RespondentStatus.OPENED]
        ).select_related("organisation")
    )


@transaction.atomic
def remind(actor: Actor, *, consultation: Consultation) -> int:
    """Remind every body on the roster that has not replied; the number reminded."""
    require(actor, "consultation.manage")
    return _remind(actor, consultation)


def _remind(actor: Actor, consultation: Consultation) -> int:
    c = lock(Consultation, consultation.pk)
    if c.status != Status.OPEN:
        raise DomainError(_("只能提醒征求中的意见征求。"))
    waiting = not_replied(c)
    now = timezone.now()
    for r in waiting:
        r.reminded_at, r.reminders = now, r.reminders + 1
    Respondent.objects.bulk_update(waiting, ["reminded_at", "reminders"])
    log_action(actor, c, "consultation.reminded", data={"respondents": len(waiting)})
    ids = [r.organisation_id for r in waiting]
    transaction.on_commit(lambda: _tell_bodies(c, ids, "consultation.reminder"))
    return len(waiting)


def remind_due(actor: Actor, *, within: datetime.timedelta) -> int:
    """The daily reminder (a command, the platform acting): open consultations closing within
    ``within`` whose silent bodies were not reminded in the last day."""
    now = timezone.now()
    due = Consultation.objects.filter(
        status=Status.OPEN, deadline__gt=now, deadline__lte=now + within
    ).exclude(respondents__reminded_at__gte=now - datetime.timedelta(days=1))
    total = 0
    for c in due:
        with transaction.atomic():
            total += _remind(actor, c)
    return total
