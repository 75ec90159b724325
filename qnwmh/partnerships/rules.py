"""Who may do what in partnerships. Visibility is the selectors' job: the city sees every
project and pair, a body those touching its subtree's collectives, a manager those of its own
collectives."""

from __future__ import annotations

from typing import Any

from qnwmh.collectives.models import Collective
from qnwmh.core.actor import Actor
from qnwmh.core.permissions import rule
from qnwmh.partnerships.models import JointCreation, MentorPair


@rule("partnerships.view", target=None)
def _view(actor: Actor, obj: Any) -> bool:
    return actor.is_city_admin or actor.is_body_admin or actor.is_collective_manager


@rule("partnerships.propose", target=Collective | None)
def _propose(actor: Actor, collective: Collective | None) -> bool:
    """A body proposes for its own collectives (the lead partner, the mentee); the city may
    too. Without a collective: whether the actor proposes at all."""
    if collective is None:
        return actor.is_city_admin or actor.is_body_admin
    return actor.is_city_admin or collective.body_id in actor.body_ids


@rule("partnerships.confirm", target=None)
def _confirm(actor: Actor, obj: Any) -> bool:
    """Confirming or returning a proposal: the city decides."""
    return actor.is_city_admin


def _over_body(actor: Actor, body_id: int) -> bool:
    return actor.is_city_admin or body_id in actor.body_ids


@rule("partnerships.run_joint", target=JointCreation)
def _run_joint(actor: Actor, project: JointCreation) -> bool:
    """Milestones are reported by the proposing body, the city and the partners' managers."""
    if _over_body(actor, project.body_id):
        return True
    return any(c.id in actor.collective_ids for c in project.partners.all())


@rule("partnerships.close_joint", target=JointCreation)
def _close_joint(actor: Actor, project: JointCreation) -> bool:
    """The outcome and the closing: the proposing body or the city."""
    return _over_body(actor, project.body_id)


@rule("partnerships.record_activity", target=MentorPair)
def _record(actor: Actor, pair: MentorPair) -> bool:
    """A held activity: either side's managers, the proposing body or the city."""
    return (
        _over_body(actor, pair.body_id)
        or pair.mentor_id in actor.collective_ids
        or pair.mentee_id in actor.collective_ids
    )


@rule("partnerships.review_pair", target=MentorPair)
def _review(actor: Actor, pair: MentorPair) -> bool:
    """The closing review is the proposing body's (or the city's)."""
    return _over_body(actor, pair.body_id)
