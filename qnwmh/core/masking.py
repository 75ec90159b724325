"""Masking of personal data shown to people who may not see it in full.

One rule everywhere (pages, exports, API): whoever may not see a person's data in full gets
the masked phone (``138****5678``, ``0760-****1234``) and an age band instead of the birth
date (``25–29岁``). Who may see it in full is the permission
``collectives.view_personal_data``; ``shown_phone`` and ``shown_birth`` apply its answer.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

AGE_BAND_YEARS = 5


def mask_phone(phone: str) -> str:
    """138****5678: keep the first three and last four digits of a mobile number;
    0760-****1234: keep a landline's area code and last four digits (extension dropped)."""
    digits = phone.strip()
    if "-" in digits:
        area, _sep, rest = digits.partition("-")
        local = rest.split("-", 1)[0]
        if area.isdigit() and len(local) >= 4:
            return f"{area}-{'*' * (len(local) - 4)}{local[-4:]}"
    if len(digits) < 8:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_name(name: str) -> str:
    """张** / 欧阳**: keep the first character only."""
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def age_band(birth: datetime.date, on: datetime.date | None = None) -> str:
    """25–29岁: the five-year band a birth date falls in on ``on`` (today by default)."""
    on = on or timezone.localdate()
    age = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
    low = max(age, 0) // AGE_BAND_YEARS * AGE_BAND_YEARS
    return _("%(low)s–%(high)s岁") % {"low": low, "high": low + AGE_BAND_YEARS - 1}


def shown_phone(phone: str, full: bool) -> str:
    """The phone as a viewer sees it: in full, or masked (empty stays empty)."""
    return phone if full or not phone else mask_phone(phone)


def shown_birth(birth: datetime.date, full: bool) -> datetime.date | str:
    """The birth date as a viewer sees it: the date, or its age band."""
    return birth if full else age_band(birth)


def masked_snapshot(
    picture: dict[str, object], *, phones: tuple[str, ...] = (), births: tuple[str, ...] = ()
) -> dict[str, object]:
    """An audit snapshot with its phones masked and birth dates as age bands: the audit log
    is read by people who see the roster masked, so it keeps to the same rule."""
    out = dict(picture)
    for name in phones:
        if isinstance(out.get(name), str):
            out[name] = shown_phone(str(out[name]), False)
    for name in births:
        value = out.get(name)
        if isinstance(value, str) and value:
            out[name] = age_band(datetime.date.fromisoformat(value))
    return out
