"""Who may sit an exam is decided by the app that owns it.

The knowledge app sits below the apps whose exams it runs (certification, later leader
training), so each owner registers, in its ``AppConfig.ready``, a function answering which
collectives the actor may sit an exam for and which roster members may be the sitter:

    purposes.register("certification.round", candidates=candidates_fn, label=_("评选认定"))

An exam whose purpose nobody registered has no candidates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

from qnwmh.core.actor import Actor


@dataclass(frozen=True)
class Candidacy:
    """A collective the actor may sit for, and the members who may be the sitter (the
    leader alone, or the members the owner allows). ``members`` empty: the actor sits in
    person, for no roster member in particular."""

    collective: Any
    members: list[Any] = field(default_factory=list)


CandidatesFn = Callable[[Actor, Any], list[Candidacy]]


@dataclass(frozen=True)
class Purpose:
    candidates: CandidatesFn
    label: str | Promise


_PURPOSES: dict[str, Purpose] = {}


def register(name: str, *, candidates: CandidatesFn, label: str | Promise) -> None:
    _PURPOSES[name] = Purpose(candidates, label)


def unregister(name: str) -> None:
    _PURPOSES.pop(name, None)


def label_of(name: str) -> str | Promise:
    purpose = _PURPOSES.get(name)
    return purpose.label if purpose else name


def candidates_for(actor: Actor, exam: Any) -> list[Candidacy]:
    purpose = _PURPOSES.get(exam.purpose)
    if purpose is None or not actor.is_authenticated:
        return []
    return purpose.candidates(actor, exam)
