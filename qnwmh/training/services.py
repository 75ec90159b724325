"""Writes of leader training: a session (with its test and its invitations), check-in by QR,
reminders and cancelling. Each checks its permission, locks what it counts, audits once and
sends notices after commit."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qnwmh.access.models import RoleAssignment
from qnwmh.accounts.models import User
from qnwmh.audit.services import log_action
from qnwmh.core.actor import Actor, Role
from qnwmh.core.errors import DomainError
from qnwmh.core.locking import lock
from qnwmh.core.permissions import require
from qnwmh.cycles.models import Cycle, Phase
from qnwmh.notices.services import notify
from qnwmh.orgs.models import Organisation
from qnwmh.training import selectors
from qnwmh.training.models import SESSION_TRANSITIONS, Invitation, Session, SessionStatus
from qnwmh.training.testing import create_session_exam


def when_text(session: Session) -> str:
    start = timezone.localtime(session.starts_at)
    return start.strftime("%Y-%m-%d %H:%M")


def _session_link(session: Session) -> str:
    return reverse("training:session", args=[session.code])


def managers_by_collective(collective_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active managers of each collective: two queries."""
    grants = list(
        RoleAssignment.objects.active()
        .filter(role=Role.COLLECTIVE_MANAGER, collective_id__in=list(collective_ids))
        .values_list("user_id", "collective_id")
    )
    users = User.objects.filter(id__in={u for u, _c in grants}, is_active=True).in_bulk()
    out: dict[int, list[User]] = defaultdict(list)
    for user_id, collective_id in grants:
        if user_id in users:
            out[collective_id].append(users[user_id])
    return out


def _tell(code: str, session: Session, invitations: list[Invitation]) -> None:
    """One notice per invitation to its collective's managers (after commit)."""
    managers = managers_by_collective(i.collective_id for i in invitations)
    params = {"title": session.title, "when": when_text(session), "place": session.place}
    link = _session_link(session)
    for i in invitations:
        users = managers.get(i.collective_id, [])
        if users:
            notify(
                users,
                code=code,
                params={**params, "c": i.collective.name, "leader": i.leader_name},
                link=link,
            )


# A session is a day or a few; a longer span, or a year far off, is a typing error (and the
# test's closing time, seven days after the end, must stay a representable date).
MAX_SESSION_DAYS = 7


def _aware(value: datetime.datetime) -> datetime.datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _check_times(starts_at: datetime.datetime, ends_at: datetime.datetime) -> None:
    if not 2000 <= starts_at.year <= 2100:
        raise DomainError(_("请填写合理的开始时间。"), field="starts_at")
    if ends_at <= starts_at:
        raise DomainError(_("结束时间须晚于开始时间。"), field="ends_at")
    if ends_at - starts_at > datetime.timedelta(days=MAX_SESSION_DAYS):
        raise DomainError(_("一次轮训不超过 %(n)s 天。") % {"n": MAX_SESSION_DAYS}, field="ends_at")


@transaction.atomic
def session_create(
    actor: Actor,
    *,
    organiser: Organisation,
    cycle: Cycle,
    title: str,
    place: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    topic: str = "",
) -> Session:
    """A session, its test, and an invitation for every required leader in the organiser's
    scope not yet trained this cycle."""
    require(actor, "training.organise", organiser)
    starts_at, ends_at = _aware(starts_at), _aware(ends_at)
    _check_times(starts_at, ends_at)
    if cycle.phase in (Phase.DRAFT, Phase.CLOSED):
        raise DomainError(_("只能为进行中的创建周期安排轮训。"), field="cycle")
    session = Session.objects.create(
        cycle=cycle,
        organiser=organiser,
        title=title,
        topic=topic,
        place=place,
        starts_at=starts_at,
        ends_at=ends_at,
        created_by=actor.user,
    )
    session.exam = create_session_exam(actor, session)
    session.save(update_fields=["exam", "updated_at"])
    invited = invite_required(actor, session)
    log_action(
        actor,
        session,
        "training.session.created",
        data={"organiser": organiser.code, "cycle": cycle.code, "invited": len(invited)},
    )
    transaction.on_commit(lambda: _tell("training.session.invited", session, invited))
    return session


@transaction.atomic
def invite_more(actor: Actor, *, session: Session) -> int:
    """Invite the required leaders who became due since the session was set (a collective
    registered or titled since, a new leader); their managers are told."""
    require(actor, "training.manage", session)
    session = lock(Session, session.pk)
    if session.status != SessionStatus.SCHEDULED or timezone.now() >= session.ends_at:
        raise DomainError(_("本次轮训已取消或已结束，不能再通知。"))
    invited = invite_required(actor, session)
    if invited:
        log_action(actor, session, "training.session.invited_more", data={"invited": len(invited)})
        transaction.on_commit(lambda: _tell("training.session.invited", session, invited))
    return len(invited)


def invite_required(actor: Actor, session: Session) -> list[Invitation]:
    """Invitations for the required leaders of the session's scope who are not trained this
    cycle, one per collective (the database allows no more): a collective not invited yet gets
    one; one whose leader changed since, and who has not checked in, has its invitation moved
    to the new leader (audited). Returns the new and the moved invitations."""
    leaders = list(
        selectors.required_leaders(session.cycle, session.organiser)
        .exclude(id__in=selectors.trained_member_ids(session.cycle))
        .select_related("collective")
        .order_by("collective_id")
    )
    existing = {
        i.collective_id: i
        for i in session.invitations.filter(collective_id__in=[m.collective_id for m in leaders])
    }
    created = Invitation.objects.bulk_create(
        Invitation(
            session=session,
            collective=m.collective,
            body_id=m.collective.body_id,
            member=m,
            leader_name=m.name,
        )
        for m in leaders
        if m.collective_id not in existing
    )
    moved = []
    for m in leaders:
        invitation = existing.get(m.collective_id)
        if invitation is None or invitation.member_id == m.pk or invitation.checked_in_at:
            continue
        before = {"member": invitation.member_id, "leader_name": invitation.leader_name}
        invitation.member, invitation.leader_name = m, m.name
        invitation.save(update_fields=["member", "leader_name"])
        log_action(
            actor,
            invitation,
            "training.invitation.leader_changed",
            before=before,
            after={"member": m.pk, "leader_name": m.name},
            data={"session": session.code, "collective": m.collective.code},
        )
        moved.append(invitation)
    return created + moved


@transaction.atomic
def check_in(actor: Actor, *, session: Session, collective_id: int | None = None) -> Invitation:
    """Check in the leader of one of the actor's collectives (the only one, or the one
    chosen). Refused with a message, nothing changed: outside the window, twice, not
    invited, or a cancelled session."""
    require(actor, "training.check_in", session)
    session = lock(Session, session.pk)  # serialises check-ins of the same session
    if session.status != SessionStatus.SCHEDULED:
        raise DomainError(_("本次轮训已取消，无法签到。"))
    opens, closes = selectors.checkin_window(session)
    now = timezone.now()
    if now < opens:
        raise DomainError(
            _("签到尚未开始：开始前 %(m)s 分钟起可签到。")
            % {"m": int(selectors.CHECKIN_EARLY.total_seconds() // 60)}
        )
    if now >= closes:
        raise DomainError(_("本次轮训已结束，签到已关闭。"))
    mine = session.invitations.filter(collective_id__in=actor.collective_ids)
    if collective_id is not None:
        mine = mine.filter(collective_id=collective_id)
    invitations = list(mine.select_related("collective").order_by("id"))
    if not invitations:
        raise DomainError(_("您管理的集体不在本次轮训的参训名单中。"))
    pending = [i for i in invitations if i.checked_in_at is None]
    if not pending:
        raise DomainError(
            _("%(c)s 的号长已于 %(t)s 签到，无需重复签到。")
            % {
                "c": invitations[0].collective.name,
                "t": timezone.localtime(invitations[0].checked_in_at).strftime("%H:%M"),
            }
        )
    if len(pending) > 1:
        raise DomainError(_("请选择为哪个集体的号长签到。"), field="collective")
    invitation = pending[0]
    invitation.checked_in_at, invitation.checked_in_by = now, actor.user
    invitation.save(update_fields=["checked_in_at", "checked_in_by"])
    log_action(
        actor,
        invitation,
        "training.invitation.checked_in",
        data={"session": session.code, "collective": invitation.collective.code},
    )
    return invitation


@transaction.atomic
def remind(actor: Actor, *, session: Session) -> int:
    """Remind the managers of every collective whose leader has not checked in."""
    require(actor, "training.manage", session)
    return _remind(actor, lock(Session, session.pk))


def _remind(actor: Actor, session: Session, *, unreminded_only: bool = False) -> int:
    if session.status != SessionStatus.SCHEDULED:
        raise DomainError(_("本次轮训已取消，无需提醒。"))
    if timezone.now() >= session.ends_at:
        raise DomainError(_("本次轮训已结束，无需提醒。"))
    pending_qs = session.invitations.filter(checked_in_at__isnull=True)
    if unreminded_only:
        # The daily run reminds each invitation once; a clerk's remind asks everyone again.
        pending_qs = pending_qs.filter(reminded_at__isnull=True)
    pending = list(pending_qs.select_related("collective"))
    if not pending:
        return 0
    session.invitations.filter(pk__in=[i.pk for i in pending]).update(reminded_at=timezone.now())
    log_action(actor, session, "training.session.reminded", data={"count": len(pending)})
    transaction.on_commit(lambda: _tell("training.session.reminder", session, pending))
    return len(pending)


# Sessions starting within this many hours are reminded by ``manage.py remind_training``.
REMIND_AHEAD = datetime.timedelta(hours=24)


def remind_due(actor: Actor) -> int:
    """Once a day: the sessions starting within ``REMIND_AHEAD`` whose invitations have not
    been reminded yet. Returns how many invitations were reminded."""
    now = timezone.now()
    due = Session.objects.filter(
        status=SessionStatus.SCHEDULED,
        starts_at__gt=now,
        starts_at__lte=now + REMIND_AHEAD,
        invitations__reminded_at__isnull=True,
        invitations__checked_in_at__isnull=True,
    ).distinct()
    total = 0
    for session in due:
        with transaction.atomic():
            total += _remind(actor, lock(Session, session.pk), unreminded_only=True)
    return total


@transaction.atomic
def cancel(actor: Actor, *, session: Session) -> Session:
    """Cancel a session not yet started and without check-ins; the invited are told."""
    require(actor, "training.manage", session)
    session = lock(Session, session.pk)
    before = {"status": session.status}
    SESSION_TRANSITIONS.check(session, SessionStatus.CANCELLED)
    # A session under way or with attendance holds training that coverage and the re-review
    # count; cancelling would erase it.
    if (
        timezone.now() >= session.starts_at
        or session.invitations.filter(checked_in_at__isnull=False).exists()
    ):
        raise DomainError(_("轮训已开始或已有号长签到，不能取消。"))
    SESSION_TRANSITIONS.move(session, SessionStatus.CANCELLED)
    session.save(update_fields=["status", "updated_at"])
    log_action(
        actor,
        session,
        "training.session.cancelled",
        before=before,
        after={"status": session.status},
    )
    invitations = list(session.invitations.select_related("collective"))
    transaction.on_commit(lambda: _tell("training.session.cancelled", session, invitations))
    return session
