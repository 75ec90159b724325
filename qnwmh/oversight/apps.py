from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "qnwmh.oversight"
    label = "oversight"
    verbose_name = "动态管理"

    def ready(self) -> None:
        from qnwmh.oversight import rules  # noqa: F401
        from qnwmh.oversight.notices import register_kinds

        register_kinds()

        from qnwmh.evidence.selectors import MANAGER_HIDDEN_PURPOSES
        from qnwmh.oversight.services.spotcheck import VISIT_PURPOSE

        # Inspectors' photos are theirs: the visited collective's managers never see them.
        MANAGER_HIDDEN_PURPOSES.add(VISIT_PURPOSE)
