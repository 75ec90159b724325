"""An e-mail backend whose server always refuses (for the outbox's retry tests)."""

from typing import Any

from django.core.mail.backends.base import BaseEmailBackend


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionRefusedError("mail server refused")
