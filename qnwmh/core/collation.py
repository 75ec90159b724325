"""Chinese names in the order a clerk expects: by pinyin, not by code point.

``pinyin_key(text)`` is a sortable key (syllables in lower case, separated by spaces so that
``xi an`` sorts before ``xian``; characters without a reading are kept as they are). Lists
paginated in SQL store it in a column beside the name; small lists sort in Python with
``pinyin_sorted``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any, TypeVar

from pypinyin import Style, lazy_pinyin

T = TypeVar("T")


@lru_cache(maxsize=4096)  # about 0.5 ms a name; menus and filters repeat the same few
def pinyin_key(text: str) -> str:
    return " ".join(lazy_pinyin(text or "", style=Style.NORMAL)).lower()


def _name(item: Any) -> Any:
    return item.name


def pinyin_sorted(items: Iterable[T], key: Callable[[T], Any] = _name) -> list[T]:
    return sorted(items, key=lambda o: (pinyin_key(str(key(o))), str(key(o))))
