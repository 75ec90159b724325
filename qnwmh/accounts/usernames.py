"""Usernames: one normal form for storage, one "skeleton" for telling look-alikes apart.

- Stored form: NFKC (full-width ``ｃｉｔｙ`` is stored as ``city``), as Django's own
  ``AbstractBaseUser.normalize_username`` does.
- Uniqueness: two names that are equal after NFKC and case folding are the same name.
- Look-alikes: two names with the same skeleton are refused as confusable. The skeleton folds
  case, maps Cyrillic and Greek letters that look like Latin ones onto them, and the digits
  and letters people mistake for each other (0/o, 1/l/i, 5/s, 8/b, rn/m, vv/w) onto one
  character, and ignores the separators . _ -.

The Unicode confusables table (UTS #39) is much larger; no library providing it is among the
project's dependencies, so this small map covers the scripts a Zhongshan username is written
in (ASCII letters and digits; Latin, Cyrillic and Greek look-alikes of them).
"""

from __future__ import annotations

import unicodedata

# Cyrillic and Greek letters (after case folding) that render like Latin letters or digits.
_HOMOGLYPHS = {
    # Cyrillic
    "а": "a",
    "в": "b",
    "ь": "b",
    "с": "c",
    "ԁ": "d",
    "е": "e",
    "ё": "e",
    "һ": "h",
    "н": "h",
    "і": "i",
    "ї": "i",
    "ј": "j",
    "к": "k",
    "м": "m",
    "о": "o",
    "р": "p",
    "ԛ": "q",
    "ѕ": "s",
    "т": "t",
    "џ": "u",
    "ѵ": "v",
    "ԝ": "w",
    "х": "x",
    "у": "y",
    "ү": "y",
    "з": "3",
    "ӏ": "l",
    # Greek
    "α": "a",
    "β": "b",
    "ε": "e",
    "η": "n",
    "ι": "i",
    "κ": "k",
    "ν": "v",
    "ο": "o",
    "ρ": "p",
    "τ": "t",
    "υ": "u",
    "χ": "x",
    "γ": "y",
    "ζ": "z",
    "μ": "u",
    "ω": "w",
    # Latin letters without a case pair that look like others
    "ı": "i",
    "ȷ": "j",
    "ℓ": "l",
}

# After the script map: characters and pairs people confuse within ASCII.
_ASCII_LOOKALIKES = {
    "0": "o",
    "1": "l",
    "i": "l",
    "|": "l",
    "5": "s",
    "8": "b",
}
_PAIRS = (("rn", "m"), ("vv", "w"))


def normalise(username: str) -> str:
    """The stored form: NFKC, surrounding blanks removed."""
    return unicodedata.normalize("NFKC", username).strip()


def fold(username: str) -> str:
    """The uniqueness key: NFKC and case folding."""
    return normalise(username).casefold()


def skeleton(username: str) -> str:
    """Names with the same skeleton look alike on screen."""
    text = unicodedata.normalize("NFKD", fold(username))
    # Drop combining marks (é → e, ї → i), then map scripts and ASCII look-alikes.
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = "".join(_HOMOGLYPHS.get(c, c) for c in text)
    for pair, single in _PAIRS:
        text = text.replace(pair, single)
    text = "".join(_ASCII_LOOKALIKES.get(c, c) for c in text)
    # Separators that are easily missed or swapped.
    return text.replace("_", "").replace("-", "").replace(".", "")


def clash(username: str, existing: list[str]) -> tuple[str, str] | None:
    """The first existing name ``username`` collides with, and how: ``"same"`` (equal after
    normalisation and case folding) or ``"lookalike"``; None when it is free."""
    key, shape = fold(username), skeleton(username)
    lookalike = None
    for other in existing:
        if fold(other) == key:
            return other, "same"
        if lookalike is None and skeleton(other) == shape:
            lookalike = other
    return (lookalike, "lookalike") if lookalike is not None else None
