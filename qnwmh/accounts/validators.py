"""Password rule: no words an attacker would try first against this platform."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Words tied to the platform, the programme and the city: guessed first in a targeted attack.
CONTEXT_WORDS = (
    "qnwmh",
    "qingnian",
    "wenming",
    "wenminghao",
    "zhongshan",
    "gongqingtuan",
    "tuanwei",
    "youth",
    "league",
    "password",
    "admin",
    "青年",
    "文明",
    "中山",
    "团委",
)


class ContextWordValidator:
    def validate(self, password: str, user: Any = None) -> None:
        lowered = password.lower()
        words = list(CONTEXT_WORDS)
        if user is not None:
            words += [str(getattr(user, f, "") or "") for f in ("username", "display_name")]
        for word in words:
            if len(word) >= 2 and word.lower() in lowered:
                raise ValidationError(
                    _("密码不能包含“%(word)s”等容易被猜到的词。"),
                    code="password_context_word",
                    params={"word": word},
                )

    def get_help_text(self) -> str:
        return _("密码不能包含平台名称、城市名或用户名等容易被猜到的词。")


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's rule with our own wording (Django's Chinese catalogue lacks this message)."""

    def get_error_message(self) -> str:
        return _("密码太短，至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length}

    def get_help_text(self) -> str:
        return _("密码至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length}
