from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.api.helpers import ApiClient, client_for


@pytest.fixture
def api(world: Any) -> Callable[[str], ApiClient]:
    """``api("manager")`` is an API client holding a fresh token of that role."""
    return lambda role: client_for(world, role)
