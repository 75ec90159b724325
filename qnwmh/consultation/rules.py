"""Who may do what with consultations. Visibility is the selectors' job."""

from __future__ import annotations

from typing import Any

from qnwmh.consultation.models import Comment, Consultation, Respondent
from qnwmh.core.actor import Actor
from qnwmh.core.permissions import rule


@rule("consultation.view", target=None)
def _view(actor: Actor, obj: Any) -> bool:
    """The list of consultations: the city (the drafting team) and the bodies (respondents)."""
    return actor.is_city_admin or actor.is_body_admin


@rule("consultation.manage", target=None)
def _manage(actor: Actor, obj: Any) -> bool:
    """Drafting, opening, closing, reminding, disposing of comments, publishing: the city's.
    The bodies are the ones consulted, so they never run a consultation themselves."""
    return actor.is_city_admin


@rule("consultation.summary", target=Consultation)
def _summary(actor: Actor, consultation: Consultation) -> bool:
    """The summary of every body's comments is the drafting team's working paper."""
    return actor.is_city_admin


@rule("consultation.reply", target=Respondent)
def _reply(actor: Actor, respondent: Respondent) -> bool:
    """A body's admins answer for the bodies they hold a grant on, not for those under them:
    a sub-body is consulted on its own and answers through its own admins."""
    return respondent.organisation_id in actor.own_body_ids


@rule("consultation.dispose", target=Comment)
def _dispose(actor: Actor, comment: Comment) -> bool:
    return actor.is_city_admin
