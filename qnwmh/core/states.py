"""One idiom for models with states: a ``Transitions`` table declared beside the model.

A state field is a ``TextChoices`` field; which moves are legal is data, not code spread over
the services::

    REGISTRATION_TRANSITIONS = Transitions(
        RegistrationStatus,
        {
            RegistrationStatus.SUBMITTED: {RegistrationStatus.ACCEPTED, ...},
            RegistrationStatus.REJECTED: set(),
        },
        refusal=_("报备当前状态为“%(from)s”，不能执行此操作。"),
    )

Services call ``TABLE.move(obj, to)`` (check, then set the field) or ``TABLE.check(obj, to)``
(check only); an illegal move raises ``DomainError`` with a translated message in which
``%(from)s`` and ``%(to)s`` are the labels of the current and the asked-for state. Templates
and views offer ``TABLE.next_states(obj)`` (value and label, in the order of the choices).

Where the same target is legal from different states depending on who acts or why (a
complaint is closed by staff only from "replied", by its filer also from "not substantiated"),
declare **named actions** instead: ``actions={"close": ({REPLIED}, CLOSED), ...}`` and call
``TABLE.check_action(obj, "close")`` / ``TABLE.apply(obj, "close")``. An action whose target is
``None`` is allowed only in its source states and leaves the state as it is (e.g. assigning a
handler while a complaint is open). The from→to table of a machine with actions is the union of
its actions, so ``next_states`` works for both forms.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from qnwmh.core.errors import DomainError

DEFAULT_REFUSAL = _("不能从“%(from)s”转到“%(to)s”。")

Action = tuple[Iterable[str], str | None]


class Transitions:
    """The legal moves of one state field: ``{from_state: {to_states}}`` and/or named actions."""

    def __init__(
        self,
        choices: type[models.TextChoices],
        table: Mapping[str, Iterable[str]] | None = None,
        *,
        actions: Mapping[str, Action] | None = None,
        field: str = "status",
        refusal: str | Promise = DEFAULT_REFUSAL,
    ) -> None:
        self.choices = choices
        self.field = field
        self.refusal = refusal
        self.actions: dict[str, tuple[frozenset[str], str | None]] = {
            name: (frozenset(str(s) for s in sources), None if target is None else str(target))
            for name, (sources, target) in (actions or {}).items()
        }
        moves: dict[str, set[str]] = {str(s): set() for s in choices.values}
        for source, targets in (table or {}).items():
            moves.setdefault(str(source), set()).update(str(t) for t in targets)
        for sources, target in self.actions.values():
            if target is not None:
                for source in sources:
                    moves.setdefault(source, set()).add(target)
        known = set(choices.values)
        unknown = {s for s in moves if s not in known} | {
            t for targets in moves.values() for t in targets if t not in known
        }
        if unknown:
            raise ValueError(f"states not in {choices.__name__}: {sorted(unknown)}")
        self.table: dict[str, frozenset[str]] = {s: frozenset(t) for s, t in moves.items()}

    # Reading the table ----------------------------------------------------------------------

    def state_of(self, obj: Any) -> str:
        return str(getattr(obj, self.field))

    def label(self, state: str) -> str:
        """The state's label in the reader's language (the raw value if it is no state)."""
        return str(self.choices(state).label) if state in self.choices.values else str(state)

    def allowed(self, state: str) -> frozenset[str]:
        """The states reachable in one move from ``state``."""
        return self.table.get(str(state), frozenset())

    def __getitem__(self, state: str) -> frozenset[str]:
        return self.allowed(state)

    def can(self, obj: Any, to: str) -> bool:
        return str(to) in self.allowed(self.state_of(obj))

    def next_states(self, obj: Any) -> list[tuple[str, str]]:
        """``(value, label)`` of every state ``obj`` may move to, in the choices' order: for a
        ``<select>`` or a row of buttons."""
        allowed = self.allowed(self.state_of(obj))
        return [(value, label) for value, label in self.choices.choices if value in allowed]

    # Guarding moves -------------------------------------------------------------------------

    def refuse(self, obj: Any, to: str | None, message: str | Promise | None = None) -> DomainError:
        """The error for an illegal move of ``obj`` to ``to``."""
        text = message if message is not None else self.refusal
        params = {"from": self.label(self.state_of(obj)), "to": self.label(to) if to else ""}
        return DomainError(str(text) % params)

    def check(self, obj: Any, to: str, *, message: str | Promise | None = None) -> None:
        """Raise ``DomainError`` unless ``obj`` may move to ``to``."""
        if not self.can(obj, to):
            raise self.refuse(obj, to, message)

    def move(self, obj: Any, to: str, *, message: str | Promise | None = None) -> None:
        """Check the move and set the state field (the caller saves)."""
        self.check(obj, to, message=message)
        setattr(obj, self.field, to)

    # Named actions --------------------------------------------------------------------------

    def can_do(self, obj: Any, action: str) -> bool:
        sources, _target = self.actions[action]
        return self.state_of(obj) in sources

    def check_action(self, obj: Any, action: str, *, message: str | Promise | None = None) -> None:
        """Raise ``DomainError`` unless ``action`` is allowed in ``obj``'s current state."""
        if not self.can_do(obj, action):
            raise self.refuse(obj, self.actions[action][1], message)

    def apply(self, obj: Any, action: str, *, message: str | Promise | None = None) -> None:
        """Check ``action`` and, if it has a target state, set the state field."""
        self.check_action(obj, action, message=message)
        target = self.actions[action][1]
        if target is not None:
            setattr(obj, self.field, target)
