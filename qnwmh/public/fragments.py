"""What the public site's Jinja2 fragments (``core.fragments``) call beside the shared globals."""

from __future__ import annotations

from qnwmh.public.templatetags.public_tags import stars

GLOBALS = {"stars": stars}
