"""What creation's Jinja2 fragments (``core.fragments``) call beside the shared globals."""

from __future__ import annotations

from qnwmh.creation.templatetags.months import months_strip

GLOBALS = {"months_strip": months_strip}
