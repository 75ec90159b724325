from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from qnwmh.core.errors import DomainError


def clean_or_raise(obj: models.Model, *, exclude: Iterable[str] | None = None) -> None:
    """Run model validation; the first problem becomes a DomainError with its field."""
    try:
        obj.full_clean(exclude=list(exclude) if exclude else None)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DomainError(messages[0], field=None if field == "__all__" else field) from exc


# Free text ------------------------------------------------------------------------------

# Line breaks and tabs are text; every other control or format character (Cc, Cf: bidi
# overrides and isolates U+202A–U+202E and U+2066–U+2069, zero-width U+200B–U+200F, BOM
# U+FEFF, soft hyphen …) can reorder or hide text on a printed notice board.
_ALLOWED_CONTROLS = frozenset("\n\r\t")


def invisible_characters(value: str) -> list[str]:
    """The control and format characters in ``value`` (as code points such as ``U+200E``), line
    breaks aside."""
    found: list[str] = []
    for ch in value:
        if ch in _ALLOWED_CONTROLS:
            continue
        if unicodedata.category(ch) in ("Cf", "Cc") and f"U+{ord(ch):04X}" not in found:
            found.append(f"U+{ord(ch):04X}")
    return found


def check_text(value: object, *, field: str | None = None) -> None:
    """Refuse free text holding invisible control characters, with a Chinese message."""
    if not isinstance(value, str):
        return
    found = invisible_characters(value)
    if found:
        raise DomainError(
            _("内容含有不可见的控制字符（%(chars)s），请删除后重新填写。")
            % {"chars": "、".join(found)},
            field=field,
        )


def check_texts(values: Mapping[str, object], fields: Iterable[str]) -> None:
    """``check_text`` on each of ``fields`` present in ``values``."""
    for name in fields:
        if name in values:
            check_text(values[name], field=name)


# Phone numbers --------------------------------------------------------------------------

_MOBILE = re.compile(r"^(?:\+?86)?(1[3-9]\d{9})$")
# Area code: 010 and 02x have three digits, every other one four; local number 7–8 digits;
# optional extension after -, 转, ext, x or #.
_LANDLINE = re.compile(
    r"^\(?(0(?:[12]\d|[3-9]\d{2}))\)?-?([2-9]\d{6,7})(?:(?:-|转|ext\.?|x|#)(\d{1,6}))?$",
    re.IGNORECASE,
)


def normalise_phone(value: str, *, field: str = "phone") -> str:
    """A Chinese mobile (13812345678) or landline with area code (0760-88881234, optional
    extension 0760-88881234-123), in one written form; empty stays empty. Anything else is
    refused with a DomainError on ``field``."""
    raw = unicodedata.normalize("NFKC", value or "").strip()
    if not raw:
        return ""
    compact = re.sub(r"[\s\u00a0]", "", raw)
    mobile = _MOBILE.match(compact.replace("-", ""))
    if mobile:
        return mobile.group(1)
    landline = _LANDLINE.match(compact)
    if landline:
        area, local, ext = landline.groups()
        return f"{area}-{local}" + (f"-{ext}" if ext else "")
    raise DomainError(
        _(
            "电话号码格式不正确：请填写 11 位手机号（如 13812345678）"
            "或带区号的固定电话（如 0760-88881234）。"
        ),
        field=field,
    )
