"""Settings for a worker started as a subprocess by tests/test_worker.py: the test settings
with the real database queue, and mail written to files whose first send is slow (so the test
can kill the worker in the middle of it)."""

import os

from qnwmh.test_settings import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
EMAIL_BACKEND = "tests.worker_mail.SlowFirstBackend"
EMAIL_FILE_PATH = os.environ["WORKER_MAIL_DIR"]
