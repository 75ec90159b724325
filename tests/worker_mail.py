"""A file e-mail backend whose first send anywhere (marked by a file) hangs for a minute."""

import os
import time
from pathlib import Path
from typing import Any

from django.core.mail.backends.filebased import EmailBackend


class SlowFirstBackend(EmailBackend):
    def send_messages(self, email_messages: Any) -> int:
        mark = Path(os.environ["WORKER_SLOW_MARK"])
        if not mark.exists():
            mark.write_text(str(os.getpid()))
            time.sleep(60)
        return super().send_messages(email_messages)
