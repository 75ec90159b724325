from django.apps import AppConfig


class DownloadsConfig(AppConfig):
    name = "qnwmh.downloads"
    label = "downloads"
    verbose_name = "downloads"

    def ready(self) -> None:
        from qnwmh.core import background, worker
        from qnwmh.downloads import imports, jobs, rules  # noqa: F401  (registers the rules)

        # Every app's exports and PDFs hand their large files over through core.
        background.register_starter(jobs.start)
        jobs.register_notice_kinds()
        imports.register()  # the collectives import's background steps
        if jobs.sweep not in worker.sweeps:
            worker.sweeps.append(jobs.sweep)
