"""Who is told about a complaint, and what (bell + e-mail through ``notices.notify``).

Called from ``supervision.services`` with ``transaction.on_commit``: nobody is told about a
change that rolled back. Registered in SupervisionConfig.ready.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qnwmh.accounts.models import User
from qnwmh.notices.messages import register
from qnwmh.notices.services import body_admins, city_admins, notify
from qnwmh.supervision.models import Complaint, Kind

KINDS = {
    "supervision.complaint.filed": _("%(collective)s 收到一件%(kind)s，请于 %(due)s 前受理。"),
    "supervision.complaint.assigned": _(
        "您被指派办理 %(collective)s 的一件%(kind)s，办结期限 %(due)s。"
    ),
    "supervision.complaint.overdue_ack": _(
        "%(collective)s 的一件%(kind)s 未在 %(due)s 前受理，已超期，转团市委督办。"
    ),
    "supervision.complaint.overdue_finish": _(
        "%(collective)s 的一件%(kind)s 未在 %(due)s 前办结，已超期，转团市委督办。"
    ),
    "supervision.complaint.reopened": _(
        "投诉人对 %(collective)s 一件%(kind)s 的答复不满意，已转团市委复查，办结期限 %(due)s。"
    ),
}


def register_kinds() -> None:
    for code, template in KINDS.items():
        register(code, template)


def _send(recipients: Iterable[User], complaint: Complaint, code: str, due: object) -> None:
    notify(
        recipients,
        link=reverse("supervision:detail", args=[complaint.code]),
        code=code,
        params={
            "collective": complaint.collective.name,
            "kind": Kind(complaint.kind).label,
            "due": due,
        },
    )


def _without(users: Iterable[User], actor_user: User | None) -> list[User]:
    return [u for u in users if actor_user is None or u.pk != actor_user.pk]


def complaint_filed(complaint: Complaint, actor_user: User | None = None) -> None:
    """A new complaint: the handling body's admins (staff who entered it are not told)."""
    recipients = _without(body_admins(complaint.body_id), actor_user)
    _send(recipients, complaint, "supervision.complaint.filed", complaint.ack_due)


def complaint_assigned(complaint: Complaint, actor_user: User | None = None) -> None:
    """The assignee, unless they assigned it to themselves."""
    handler = complaint.handler
    if handler is None or not handler.is_active:
        return
    recipients = _without([handler], actor_user)
    _send(recipients, complaint, "supervision.complaint.assigned", complaint.finish_due)


def complaint_overdue(complaint: Complaint, *, finishing: bool) -> None:
    """Escalated: the assignee, the body's admins and the city admins."""
    recipients: list[User] = []
    if complaint.handler is not None and complaint.handler.is_active:
        recipients.append(complaint.handler)
    recipients += body_admins(complaint.body_id) + city_admins()
    if finishing:
        _send(recipients, complaint, "supervision.complaint.overdue_finish", complaint.finish_due)
    else:
        _send(recipients, complaint, "supervision.complaint.overdue_ack", complaint.ack_due)


def complaint_reopened(complaint: Complaint) -> None:
    """The filer was not satisfied: the body's admins and the city admins."""
    recipients = body_admins(complaint.body_id) + city_admins()
    _send(recipients, complaint, "supervision.complaint.reopened", complaint.finish_due)
