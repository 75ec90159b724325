"""Who acts on a re-review case: the collective's managers report, the body of the case
assesses, the city decides (``oversight.manage``). Visibility is the selectors' job."""

from __future__ import annotations

from qnwmh.core.actor import Actor
from qnwmh.core.permissions import rule
from qnwmh.oversight.models import ReviewCase


@rule("oversight.view_case", target=ReviewCase)
def _view_case(actor: Actor, case: ReviewCase) -> bool:
    """A case's page: the city, the admins of its body, and the collective's own managers."""
    return (
        actor.is_city_admin
        or case.body_id in actor.body_ids
        or case.collective_id in actor.collective_ids
    )


@rule("oversight.self_report", target=ReviewCase)
def _self_report(actor: Actor, case: ReviewCase) -> bool:
    """Only the collective's own managers score its self-assessment."""
    return case.collective_id in actor.collective_ids


@rule("oversight.assess", target=ReviewCase)
def _assess(actor: Actor, case: ReviewCase) -> bool:
    """The admins of the case's managing body (or a body above it) assess it."""
    return case.body_id in actor.body_ids


@rule("oversight.my_reviews", target=None)
def _my_reviews(actor: Actor, obj: object) -> bool:
    """ "我的复核": a collective manager's own cases."""
    return actor.is_collective_manager
