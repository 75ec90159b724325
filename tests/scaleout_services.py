"""What the scale-out tests need from outside: a service named by an environment variable.

Outside CI a test whose service is not configured skips, saying which variable to set (the
README's test command keeps working on a fresh machine); in CI (CI=true) tests/conftest.py
turns that skip into a failure, and .ci/run starts every service (.ci/services)."""

from __future__ import annotations

import os

import pytest


def service(variable: str, what: str) -> str:
    value = os.environ.get(variable, "")
    if not value:
        pytest.skip(f"{variable} is not set: {what} (.ci/run starts one, see .ci/services)")
    return value
