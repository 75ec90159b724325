from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "qnwmh.certification"
    label = "certification"
    verbose_name = "评选认定"

    def ready(self) -> None:
        from qnwmh.certification import rules, testing  # noqa: F401
        from qnwmh.certification.notices import register_kinds
        from qnwmh.certification.services.round import register_phase_hooks
        from qnwmh.certification.views.scoring import SCAN_PURPOSE
        from qnwmh.evidence.rules import PUBLIC_UPLOAD_PURPOSES
        from qnwmh.evidence.selectors import MANAGER_HIDDEN_PURPOSES

        register_kinds()
        register_phase_hooks()
        testing.register()
        # A paper sheet's scan is uploaded by the panel secretary, who may not administer the
        # collective's body: the paper-entry service checks certification.enter_paper first.
        # The collective's managers never see reviewers' scores.
        PUBLIC_UPLOAD_PURPOSES.add(SCAN_PURPOSE)
        MANAGER_HIDDEN_PURPOSES.add(SCAN_PURPOSE)
