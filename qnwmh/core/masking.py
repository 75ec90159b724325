"""Masking of personal data shown to people who may not see it in full."""

from __future__ import annotations


def mask_phone(phone: str) -> str:
    """138****5678: keep the first three and last four digits of a mobile number."""
    digits = phone.strip()
    if len(digits) < 8:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_name(name: str) -> str:
    """张** / 欧阳**: keep the first character only."""
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""
