"""Notice kinds: a message key, its template, and how stored facts become a sentence.

A notice stores facts (its ``code`` and JSON ``params``), never a sentence in one language.
Each app registers its kinds with ``register(code, _("…%(name)s…"))`` from its
``AppConfig.ready``; the bell, the notice list and the e-mail render the sentence in the
reader's language when it is shown.

Parameters are stored as facts by ``qnwmh.core.facts`` (lazy strings and ``Msg`` by their
source text, typed values as typed).
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise

from qnwmh.core.facts import Msg, display, encode, encode_params, source

__all__ = ["Msg", "encode", "encode_params", "is_registered", "kinds", "register", "render"]

_KINDS: dict[str, Promise] = {}

JSON = dict[str, Any]


def register(code: str, template: Promise) -> None:
    """Register a notice kind. Registering the same code twice with another text is a bug."""
    if not isinstance(template, Promise):
        raise TypeError(f"notice kind {code!r}: the template must be a lazy translation")
    known = _KINDS.get(code)
    if known is not None and source(known) != source(template):
        raise ValueError(f"notice kind {code!r} is already registered with another text")
    _KINDS[code] = template


def kinds() -> dict[str, Promise]:
    return dict(_KINDS)


def is_registered(code: str) -> bool:
    return code in _KINDS


def render(code: str, params: JSON | None, fallback: str = "") -> str:
    """The sentence of a notice in the active language; ``fallback`` (the stored text of
    rows written before notices kept facts) when the kind or a parameter is unknown."""
    template = _KINDS.get(code)
    if template is None or params is None:
        return fallback
    try:
        return str(template) % {k: display(v) for k, v in params.items()}
    except (KeyError, TypeError, ValueError, IndexError):
        return fallback
