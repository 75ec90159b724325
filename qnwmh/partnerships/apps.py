from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "qnwmh.partnerships"
    label = "partnerships"
    verbose_name = "联创与结对"

    def ready(self) -> None:
        from qnwmh.partnerships import rules  # noqa: F401
        from qnwmh.partnerships.notices import register_kinds

        register_kinds()
