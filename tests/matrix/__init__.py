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
    and still nothing one role changes reaches the next. The shared data are kept only when
    ``build`` kept something on the world and, called again on a copy, builds nothing new (it
    answers the same, without error): kwargs that also create a row of their own each time
    (someone else's invitation) stay per role. Otherwise, or when ``build`` fails, its rows
    are rolled back and each role builds as before, so a failure is still reported per role."""
    from django.conf import settings
    from django.db import transaction
    from django.utils import translation

    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        prepared = copy.deepcopy(world)
        kept_before = set(vars(prepared))
        try:
            with transaction.atomic():  # a savepoint: kept, or rolled back by the raise
                first = build(prepared)
                if set(vars(prepared)) == kept_before:
                    raise _NotShared
                if not _builds_nothing_new(prepared, build, first):
                    raise _NotShared
        except Exception:
            prepared = copy.deepcopy(world)
        yield prepared
        transaction.set_rollback(True)


class _NotShared(Exception):
    pass


class _Answered(Exception):
    def __init__(self, same: bool) -> None:
        self.same = same


def _builds_nothing_new(prepared: Any, build: Callable[[Any], Any], first: Any) -> bool:
    """Whether ``build`` on a copy of the prepared world answers as it did, without error; what
    it does is rolled back."""
    from django.db import transaction

    try:
        with transaction.atomic():
            raise _Answered(build(copy.deepcopy(prepared)) == first)
    except _Answered as answer:
        return answer.same
    except Exception:
        return False


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
