"""Permissions for the printable notice boards (公示牌). Which collectives a person may print
is ``collectives_visible_to``; these say who may print at all."""

from __future__ import annotations

from typing import Any

from qnwmh.collectives.models import Collective
from qnwmh.core.actor import Actor
from qnwmh.core.permissions import rule


@rule("public.print_board", target=Collective)
def _print_board(actor: Actor, collective: Any) -> bool:
    # Anyone who can see the collective in the back office may print its board.
    return actor.is_city_admin or actor.is_body_admin or actor.is_collective_manager


@rule("public.print_boards_in_bulk", target=None)
def _print_bulk(actor: Actor, obj: Any) -> bool:
    return actor.is_city_admin or actor.is_body_admin


@rule("public.view_visits", target=None)
def _view_visits(actor: Actor, obj: Any) -> bool:
    # Which bookings is ``collectives_visible_to``: a manager sees its own collective's.
    return actor.is_city_admin or actor.is_body_admin or actor.is_collective_manager
