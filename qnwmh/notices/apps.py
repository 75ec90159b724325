from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "qnwmh.notices"
    label = "notices"

    def ready(self) -> None:
        from qnwmh.core import worker
        from qnwmh.notices import outbox, rules, signals  # noqa: F401  (registers them)

        if outbox.sweep not in worker.sweeps:
            worker.sweeps.append(outbox.sweep)
