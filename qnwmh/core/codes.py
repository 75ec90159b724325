"""Opaque public codes: short, random, unambiguous, never a database id."""

from __future__ import annotations

import os
import secrets
import unicodedata

# Crockford-like alphabet without 0/O/1/I/L so codes read aloud and typed from a plaque survive.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_code(length: int = 10) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_codes(n: int, length: int = 10) -> list[str]:
    """``n`` codes as ``new_code`` makes them, drawn in one go for bulk inserts (one
    ``secrets.choice`` per character was a third of opening a re-review of 100,000 titles).
    Bytes at or above the largest multiple of the alphabet's size are dropped, so every
    character stays equally likely."""
    size = len(ALPHABET)
    limit = 256 - 256 % size
    chars: list[str] = []
    while len(chars) < n * length:
        chars.extend(ALPHABET[b % size] for b in os.urandom(n * length * 2) if b < limit)
    return ["".join(chars[i : i + length]) for i in range(0, n * length, length)]


def normalise_code(raw: str) -> str:
    """A code as typed from a plaque or a slip: full-width forms folded (NFKC), spaces and
    dashes dropped, upper case."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", raw).upper() if ch not in " -\t")


def is_code_shaped(code: str, max_length: int = 16) -> bool:
    """Whether ``code`` could be one of ours; anything else cannot be looked up (nor put in a URL)."""
    return 0 < len(code) <= max_length and all(ch in ALPHABET for ch in code)
