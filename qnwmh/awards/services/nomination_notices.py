"""Who is told about a nomination (after commit): the collective's managers, with a link to
its page, and the admins of its body (and above), with a link to the nomination; never the
clerk who acted."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from qnwmh.awards.models import Nomination, NominationStatus
from qnwmh.core.actor import Actor
from qnwmh.notices.services import body_admins, collective_managers, notify


def _tell(actor: Actor, n: Nomination, code: str, params: dict[str, Any]) -> None:
    def others(users: list[Any]) -> list[Any]:
        me = actor.user.pk if actor.user is not None else None
        return [u for u in users if u.pk != me]

    collective = n.collective
    params = {"c": collective.name, "round": n.round.name, **params}
    notify(
        others(collective_managers(collective.pk)),
        code=code,
        params=params,
        link=reverse("collectives:detail", args=[collective.code]),
    )
    notify(
        others(body_admins(collective.body_id)),
        code=code,
        params=params,
        link=reverse("awards:nomination", args=[n.round.code, n.code]),
    )


def nominated(actor: Actor, n: Nomination) -> None:
    _tell(actor, n, "awards.nomination.nominated", {"p": n.position})


def withdrawn(actor: Actor, n: Nomination) -> None:
    _tell(actor, n, "awards.nomination.withdrawn", {"r": n.outcome_note})


def outcome(actor: Actor, n: Nomination) -> None:
    if n.status == NominationStatus.GRANTED:
        _tell(actor, n, "awards.nomination.granted", {})
    else:
        _tell(actor, n, "awards.nomination.not_granted", {"r": n.outcome_note})
