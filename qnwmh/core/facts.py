"""Sentences stored as facts, rendered in the reader's language.

What the platform writes into the database for people to read later (a notice, a
registration's eligibility snapshot) is stored as facts, not as a sentence in the language of
whoever caused it: a lazily translated string (``gettext_lazy``/``pgettext_lazy``, e.g. a
choice label) is stored as its source text, ``Msg(template, **params)`` as its source text
and parameters, and both are translated when shown (``display``). Values people typed,
numbers and codes are stored as they are.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext


class Msg:
    """A translatable phrase with named parameters; ``str()`` renders it in the active
    language, ``encode`` stores it as facts."""

    def __init__(self, template: Promise, **params: Any) -> None:
        if not isinstance(template, Promise):
            raise TypeError("Msg needs a lazy translation as its template")
        self.template = template
        self.params = params

    def __str__(self) -> str:
        return str(self.template) % {k: display(encode(v)) for k, v in self.params.items()}

    def __repr__(self) -> str:
        return f"Msg({source(self.template)!r}, {self.params!r})"


def source(p: Promise) -> list[str]:
    """The source (Chinese) arguments of a lazy gettext/pgettext proxy."""
    args = getattr(p, "_args", None)
    if not args or not all(isinstance(a, str) for a in args) or len(args) > 2:
        raise TypeError("only gettext_lazy/pgettext_lazy strings can be stored as facts")
    return list(args)


def encode(value: Any) -> Any:
    """A value as JSON facts."""
    if isinstance(value, Msg):
        return {"_t": source(value.template), "_p": encode_params(value.params)}
    if isinstance(value, Promise):
        return {"_t": source(value)}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def encode_params(params: Mapping[str, Any]) -> dict[str, Any]:
    return {k: encode(v) for k, v in params.items()}


def _translate(src: list[str]) -> str:
    return gettext(src[0]) if len(src) == 1 else pgettext(src[0], src[1])


def display(value: Any) -> Any:
    """Stored facts in the active language; anything else (old rows' sentences, typed
    values, numbers) as stored."""
    if isinstance(value, dict) and "_t" in value:
        try:
            text = _translate(value["_t"])
            if "_p" in value:
                text = text % {k: display(v) for k, v in value["_p"].items()}
        except (KeyError, TypeError, ValueError, IndexError):
            return ""
        return text
    return value
