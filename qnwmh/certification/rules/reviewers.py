"""Permissions over certification: reviewers. City admins run the pool, the areas, the
panels and the assignment; a reviewer answers their own invitations and reads what they are
assigned (which applications is a scope, ``applications_for_reviewer``)."""

from __future__ import annotations

from typing import Any

from qnwmh.certification.models import Application, Assignment
from qnwmh.core.actor import Actor
from qnwmh.core.permissions import rule


@rule("certification.manage_reviewers", target=None)
def _manage(actor: Actor, obj: Any) -> bool:
    return actor.is_city_admin


@rule("certification.review", target=None)
def _review(actor: Actor, obj: Any) -> bool:
    """The reviewer's workspace: holders of the reviewer role."""
    return actor.is_reviewer


@rule("certification.respond", target=Assignment)
def _respond(actor: Actor, assignment: Any) -> bool:
    """Accept or decline: the invited reviewer only."""
    return (
        actor.is_reviewer
        and actor.user is not None
        and assignment.reviewer.user_id == actor.user.pk
    )


@rule("certification.declare_conflict", target=Application)
def _declare(actor: Actor, application: Any) -> bool:
    """A reviewer declares a conflict with an application they were assigned to."""
    return (
        actor.is_reviewer
        and actor.user is not None
        and application.assignments.filter(reviewer__user=actor.user).exists()
    )


@rule("certification.remind", target=None)
def _remind(actor: Actor, obj: Any) -> bool:
    return "system" in actor.roles or actor.is_city_admin
