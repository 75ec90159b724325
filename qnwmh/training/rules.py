"""Who may organise sessions, check in and read coverage."""

from __future__ import annotations

from typing import Any

from qnwmh.core.actor import Actor
from qnwmh.core.permissions import rule
from qnwmh.orgs.models import Organisation
from qnwmh.training.models import Invitation, Session


@rule("training.view", target=None)
def _view(actor: Actor, obj: Any) -> bool:
    """The sessions list: staff of bodies and the city, and managers (their invitations)."""
    return actor.is_city_admin or actor.is_body_admin or actor.is_collective_manager


@rule("training.organise", target=Organisation | None)
def _organise(actor: Actor, organiser: Any) -> bool:
    """The city organises for everyone, a body admin for its own subtree."""
    if organiser is None:
        return actor.is_city_admin or actor.is_body_admin
    return actor.is_city_admin or organiser.pk in actor.body_ids


@rule("training.manage", target=Session)
def _manage(actor: Actor, session: Any) -> bool:
    """A session's organisers remind, cancel and read its full attendance."""
    return actor.is_city_admin or session.organiser_id in actor.body_ids


@rule("training.check_in", target=Session)
def _check_in(actor: Actor, session: Any) -> bool:
    """A collective's manager checks in for its leader (whether invited is the service's
    answer, with a message)."""
    return actor.is_collective_manager


@rule("training.certificate", target=Invitation)
def _certificate(actor: Actor, invitation: Any) -> bool:
    return bool(getattr(invitation, "passed", False)) and invitation.checked_in_at is not None


@rule("training.coverage", target=None)
def _coverage(actor: Actor, obj: Any) -> bool:
    return actor.is_city_admin or actor.is_body_admin
