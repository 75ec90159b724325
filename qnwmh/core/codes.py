"""Opaque public codes: short, random, unambiguous, never a database id."""

from __future__ import annotations

import secrets

# Crockford-like alphabet without 0/O/1/I/L so codes read aloud and typed from a plaque survive.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_code(length: int = 10) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))
