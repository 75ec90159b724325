"""Production settings for collecting static files in the multi-node test: the same manifest
(staticfiles.json) the nodes' WhiteNoise storage reads, without compressing every file (a
production deploy compresses; here it would cost minutes and test nothing)."""

from qnwmh.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
