from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "qnwmh.notices"
    label = "notices"

    def ready(self) -> None:
        from qnwmh.accounts import kept
        from qnwmh.core import worker
        from qnwmh.notices import outbox, rules, signals  # noqa: F401  (registers them)
        from qnwmh.notices.selectors import UNREAD_KEY, count_unread

        kept.READERS[UNREAD_KEY] = lambda user: count_unread(user.pk)

        if outbox.sweep not in worker.sweeps:
            worker.sweeps.append(outbox.sweep)
