"""Settings for the test suite: the normal settings, in test mode."""

import os

os.environ["QNWMH_ENV"] = "test"

from qnwmh.settings import *  # noqa: F403
