from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "qnwmh.awards"
    label = "awards"
    verbose_name = "评定与授牌"

    def ready(self) -> None:
        from qnwmh.awards import rules  # noqa: F401
        from qnwmh.awards.notices import register_kinds
        from qnwmh.awards.phases import register_phase_hooks
        from qnwmh.awards.progress import register as register_progress
        from qnwmh.awards.services.notice import INSPECTION_PURPOSE, OBJECTION_PURPOSE
        from qnwmh.evidence.rules import PUBLIC_UPLOAD_PURPOSES
        from qnwmh.evidence.selectors import MANAGER_HIDDEN_PURPOSES

        register_kinds()
        register_phase_hooks()
        register_progress()

        # Anyone may attach files to an objection; inspectors' and objectors' files are never
        # shown to the collective's own managers.
        PUBLIC_UPLOAD_PURPOSES.add(OBJECTION_PURPOSE)
        MANAGER_HIDDEN_PURPOSES.update({INSPECTION_PURPOSE, OBJECTION_PURPOSE})
