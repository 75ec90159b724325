"""Who is told about awards, and what (bell + e-mail through ``notices.notify``), called from
the services with ``transaction.on_commit``. Registered in AwardsConfig.ready."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from qnwmh.notices.messages import register

if TYPE_CHECKING:
    from qnwmh.awards.models import Decision, ShortlistEntry

KINDS: dict[str, Promise] = {
    "awards.decision.collective": _(
        "%(c)s 已被认定为市级青年文明号（%(doc)s），证书编号 %(number)s。"
    ),
    "awards.decision.body": _("认定决定 %(doc)s 认定了 %(n)s 个本单位集体：%(names)s。"),
}


def register_kinds() -> None:
    for kind, text in KINDS.items():
        register(kind, text)


def decided(decision: Decision, entries: Iterable[ShortlistEntry]) -> None:
    """Each collective's managers (with its certificate number), and each body's admins."""
    from qnwmh.awards.models import Certificate
    from qnwmh.notices.services import body_admins, collective_managers, notify

    entries = list(entries)
    numbers = dict(Certificate.objects.filter(decision=decision).values_list("title_id", "number"))
    by_body: dict[int, list[ShortlistEntry]] = {}
    for e in entries:
        by_body.setdefault(e.body_id, []).append(e)
        notify(
            collective_managers(e.collective_id),
            code="awards.decision.collective",
            params={
                "c": e.collective.name,
                "doc": decision.document_no,
                "number": numbers.get(e.title_id or 0, ""),
            },
        )
    for body_id, mine in by_body.items():
        notify(
            body_admins(body_id),
            code="awards.decision.body",
            params={
                "doc": decision.document_no,
                "n": len(mine),
                "names": "、".join(e.collective.name for e in mine),
            },
        )
