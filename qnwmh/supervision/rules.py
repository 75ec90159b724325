"""Permissions over complaints. Visibility is ``complaints_visible_to`` (city admins all,
body admins their bodies'); these decide what a visible complaint's viewer may do."""

from __future__ import annotations

from typing import Any

from qnwmh.collectives.models import Collective
from qnwmh.core.actor import Actor
from qnwmh.core.permissions import can, rule
from qnwmh.supervision.models import Complaint


def _handles(actor: Actor, complaint: Any) -> bool:
    return actor.is_city_admin or complaint.body_id in actor.body_ids


@rule("supervision.view_list", target=None)
def _view_list(actor: Actor, obj: Any) -> bool:
    return actor.is_city_admin or actor.is_body_admin


@rule("supervision.handle", target=Complaint)
def _handle(actor: Actor, complaint: Any) -> bool:
    """The next handling step: the handling body and city admins; once an unsatisfied filer
    has reopened it for review by the city, city admins only."""
    if complaint.city_review and not can(actor, "supervision.city_review", complaint):
        return False
    return _handles(actor, complaint)


@rule("supervision.view_identity", target=Complaint)
def _view_identity(actor: Actor, complaint: Any) -> bool:
    """The filer's name and phone: only the handling body and city admins."""
    return _handles(actor, complaint)


@rule("supervision.moderate", target=Complaint)
def _moderate(actor: Actor, complaint: Any) -> bool:
    return _handles(actor, complaint)


@rule("supervision.city_review", target=Complaint)
def _city_review(actor: Actor, complaint: Any) -> bool:
    """A complaint reopened by an unsatisfied filer is reviewed by city staff."""
    return actor.is_city_admin


@rule("supervision.enter", target=Collective | None)
def _enter(actor: Actor, collective: Any) -> bool:
    if collective is None:
        return actor.is_city_admin or actor.is_body_admin
    return actor.is_city_admin or collective.body_id in actor.body_ids


@rule("supervision.manage_holidays", target=None)
def _holidays(actor: Actor, obj: Any) -> bool:
    return actor.is_city_admin


@rule("supervision.escalate", target=None)
def _escalate(actor: Actor, obj: Any) -> bool:
    return "system" in actor.roles or actor.is_city_admin


@rule("supervision.anonymise", target=None)
def _anonymise(actor: Actor, obj: Any) -> bool:
    return "system" in actor.roles
