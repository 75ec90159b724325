"""The authorization matrix: every URL name × every role, with the expected status.

Each module here defines ``ROWS``. ``tests/test_authorization_matrix.py`` fails when a URL
name has no row, so a new page cannot ship without saying who may open it.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ROLES = ("anonymous", "city_admin", "body_admin", "outsider", "manager", "reviewer")
LOGIN = 302  # anonymous visitors are sent to the login page


def expect(default: int | None = None, **by_role: int) -> dict[str, int]:
    """Expected status per role; roles not named take ``default``."""
    out = {role: default for role in ROLES if default is not None}
    out.update(by_role)
    missing = set(ROLES) - set(out)
    if missing:
        raise ValueError(f"no expectation for {sorted(missing)}")
    return out


@dataclass(frozen=True)
class Row:
    url_name: str
    expect: dict[str, int]
    kwargs: Callable[[Any], dict[str, Any]] = lambda w: {}
    method: str = "get"
    data: Callable[[Any], dict[str, Any]] = lambda w: {}
    query: str = ""
    label: str = field(default="")

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.url_name}{' ' + self.label if self.label else ''}"


def all_rows() -> list[Row]:
    rows: list[Row] = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        rows.extend(getattr(module, "ROWS", []))
    return rows
