from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "qnwmh.partnerships"
    label = "partnerships"
    verbose_name = "联创与结对"

    def ready(self) -> None:
        from qnwmh.evidence.selectors import SHARED_FILES
        from qnwmh.partnerships import rules  # noqa: F401
        from qnwmh.partnerships.notices import register_kinds
        from qnwmh.partnerships.selectors import activity_files, milestone_files

        register_kinds()
        for shared in (milestone_files, activity_files):
            if shared not in SHARED_FILES:
                SHARED_FILES.append(shared)
