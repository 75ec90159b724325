from django.apps import AppConfig


class CreationConfig(AppConfig):
    name = "qnwmh.creation"
    label = "creation"

    def ready(self) -> None:
        from qnwmh.creation import receivers, rules  # noqa: F401
        from qnwmh.creation.selectors import files_in_visible_entries
        from qnwmh.evidence.selectors import SHARED_FILES

        receivers.connect()
        if files_in_visible_entries not in SHARED_FILES:
            SHARED_FILES.append(files_in_visible_entries)
