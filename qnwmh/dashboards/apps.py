from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "qnwmh.dashboards"
    label = "dashboards"
    verbose_name = "统计报表"

    def ready(self) -> None:
        from qnwmh.dashboards import rules  # noqa: F401
