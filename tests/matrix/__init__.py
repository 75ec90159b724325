"""The authorization matrix: every URL name × every role, with the expected status.

Each module here defines ``ROWS``. ``tests/test_authorization_matrix.py`` fails when a URL
name has no row, so a new page cannot ship without saying who may open it.
"""

from __future__ import annotations

import copy
import importlib
import pkgutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

# A row that has not said which permission its view declares.
UNDECLARED = "<undeclared>"

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
    # The permission the view declares for this method (``qnwmh.core.guard.guarded``):
    # a rule's name, or None for any signed-in user (anyone, on a public page).
    permission: str | None = UNDECLARED

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.url_name}{' ' + self.label if self.label else ''}"


def all_rows() -> list[Row]:
    rows: list[Row] = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        rows.extend(getattr(module, "ROWS", []))
    return rows


@contextmanager
def each_role_apart(world: Any) -> Iterator[Any]:
    """One role's call of a row, as if it were a test of its own: a fresh copy of the world,
    a savepoint rolled back afterwards (what one role's call changes, the next never sees) and
    the default language."""
    from django.conf import settings
    from django.db import transaction
    from django.utils import translation

    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        yield copy.deepcopy(world)
        transaction.set_rollback(True)


@contextmanager
def shared_row_data(world: Any, build: Callable[[Any], Any]) -> Iterator[Any]:
    """The world a row's roles start from, with the data the row's URL needs built once.

    A row's kwargs build what its URL names (a round, a review…) and keep it on the world they
    are given (``w._ranking``…); called on a fresh copy for each of six roles, they built it six
    times, which was most of the matrix's time. Here ``build`` runs once, inside a savepoint,
    and each role's call (``each_role_apart``) starts from a copy of that world: the same data,
    and still nothing one role changes reaches the next. When ``build`` keeps nothing on the
    world (the row's data are the world's own) or fails, its rows are rolled back and each role
    builds as before, so a failure is still reported per role."""
    from django.conf import settings
    from django.db import transaction
    from django.utils import translation

    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        prepared = copy.deepcopy(world)
        kept_before = set(vars(prepared))
        savepoint = transaction.savepoint()
        try:
            build(prepared)
        except Exception:
            kept = False
        else:
            kept = set(vars(prepared)) != kept_before
        if kept:
            transaction.savepoint_commit(savepoint)
        else:
            transaction.savepoint_rollback(savepoint)
            prepared = copy.deepcopy(world)
        yield prepared
        transaction.set_rollback(True)


def check_every_role(row_id: str, call: Callable[[str], list[str]]) -> None:
    """Run ``call(role)`` for every role (it returns what went wrong, empty if nothing) and
    fail once, listing every role that did not answer as the row says."""
    problems: list[str] = []
    for role in ROLES:
        try:
            problems += [f"{role}: {p}" for p in call(role)]
        except Exception as exc:  # one role's crash must not hide the others' answers
            problems.append(f"{role}: raised {exc!r}")
    assert not problems, f"{row_id}\n  " + "\n  ".join(problems)
