from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "qnwmh.oversight"
    label = "oversight"
    verbose_name = "动态管理"

    def ready(self) -> None:
        from qnwmh.oversight import rules  # noqa: F401
        from qnwmh.oversight.notices import register_kinds

        register_kinds()

        # Sanctions' evidence (inspectors', the press) is never shown to the collective's own
        # managers; their rectification reports are theirs.
        from qnwmh.evidence.selectors import MANAGER_HIDDEN_PURPOSES
        from qnwmh.oversight.services.rectification import SANCTION_PURPOSE

        MANAGER_HIDDEN_PURPOSES.add(SANCTION_PURPOSE)
