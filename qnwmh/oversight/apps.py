from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "qnwmh.oversight"
    label = "oversight"
    verbose_name = "动态管理"

    def ready(self) -> None:
        from qnwmh.evidence.selectors import MANAGER_HIDDEN_PURPOSES
        from qnwmh.oversight import rules  # noqa: F401
        from qnwmh.oversight.notices import register_kinds
        from qnwmh.oversight.services.sanctions import SANCTION_PURPOSE
        from qnwmh.oversight.services.spotcheck import VISIT_PURPOSE
        from qnwmh.oversight.sortkeys import connect

        register_kinds()
        connect()
        # Inspectors' photos and a sanction's evidence (inspectors', the press) are never shown
        # to the collective's own managers; their rectification reports are theirs.
        MANAGER_HIDDEN_PURPOSES.update({VISIT_PURPOSE, SANCTION_PURPOSE})
