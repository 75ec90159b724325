"""Notice kinds: a message key, its template, and how stored facts become a sentence.

A notice stores facts (its ``code`` and JSON ``params``), never a sentence in one language.
Each app registers its kinds with ``register(code, _("…%(name)s…"))`` from its
``AppConfig.ready``; the bell, the notice list and the e-mail render the sentence in the
reader's language when it is shown.

A parameter is stored as given (numbers, codes, names people typed), except:
- a lazily translated string (``gettext_lazy``/``pgettext_lazy``, e.g. a choice label) is
  stored as its source text and translated when shown;
- ``Msg(template, **params)`` (e.g. a cycle's title) is stored as its source text and
  parameters and rendered when shown;
- dates become ISO strings; anything else its ``str``.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext

_KINDS: dict[str, Promise] = {}

JSON = dict[str, Any]


def register(code: str, template: Promise) -> None:
    """Register a notice kind. Registering the same code twice with another text is a bug."""
    if not isinstance(template, Promise):
        raise TypeError(f"notice kind {code!r}: the template must be a lazy translation")
    known = _KINDS.get(code)
    if known is not None and _source(known) != _source(template):
        raise ValueError(f"notice kind {code!r} is already registered with another text")
    _KINDS[code] = template


def kinds() -> dict[str, Promise]:
    return dict(_KINDS)


def is_registered(code: str) -> bool:
    return code in _KINDS


class Msg:
    """A translatable phrase with named parameters, stored as facts inside a notice."""

    def __init__(self, template: Promise, **params: Any) -> None:
        if not isinstance(template, Promise):
            raise TypeError("Msg needs a lazy translation as its template")
        self.template = template
        self.params = params

    def __str__(self) -> str:
        return str(self.template) % {k: _display(encode(v)) for k, v in self.params.items()}


def _source(p: Promise) -> list[str]:
    """The source (Chinese) arguments of a lazy gettext/pgettext proxy."""
    args = getattr(p, "_args", None)
    if not args or not all(isinstance(a, str) for a in args) or len(args) > 2:
        raise TypeError("only gettext_lazy/pgettext_lazy strings can be stored in a notice")
    return list(args)


def encode(value: Any) -> Any:
    """A parameter as JSON facts."""
    if isinstance(value, Msg):
        return {"_t": _source(value.template), "_p": encode_params(value.params)}
    if isinstance(value, Promise):
        return {"_t": _source(value)}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def encode_params(params: Mapping[str, Any]) -> JSON:
    return {k: encode(v) for k, v in params.items()}


def _translate(source: list[str]) -> str:
    return gettext(source[0]) if len(source) == 1 else pgettext(source[0], source[1])


def _display(value: Any) -> Any:
    if isinstance(value, dict) and "_t" in value:
        text = _translate(value["_t"])
        if "_p" in value:
            text = text % {k: _display(v) for k, v in value["_p"].items()}
        return text
    return value


def render(code: str, params: JSON | None, fallback: str = "") -> str:
    """The sentence of a notice in the active language; ``fallback`` (the stored text of
    rows written before notices kept facts) when the kind or a parameter is unknown."""
    template = _KINDS.get(code)
    if template is None or params is None:
        return fallback
    try:
        return str(template) % {k: _display(v) for k, v in params.items()}
    except (KeyError, TypeError, ValueError, IndexError):
        return fallback
