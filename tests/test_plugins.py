"""``qnwmh.core.plugins``: how menu entries, home tasks, demo builders and audit labels are found."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from qnwmh.core.plugins import contributions, plugin_apps

MakeApp = Callable[..., str]


@pytest.fixture
def make_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MakeApp]:
    """A throwaway package on the import path, ``make_app(widgets="ITEMS = [1]")`` giving it a
    ``widgets.py``; returns its dotted name. Its modules leave ``sys.modules`` afterwards."""
    monkeypatch.syspath_prepend(str(tmp_path))
    made: list[str] = []

    def make(**modules: str) -> str:
        name = f"plugtest_{uuid.uuid4().hex[:8]}"
        package = tmp_path / name
        package.mkdir()
        (package / "__init__.py").write_text("")
        for module, source in modules.items():
            (package / f"{module}.py").write_text(source)
        made.append(name)
        return name

    yield make
    for loaded in [m for m in sys.modules if m.split(".")[0] in made]:
        del sys.modules[loaded]


def test_contributions_come_in_the_order_of_the_apps_not_of_their_names(make_app: MakeApp):
    first = make_app(widgets="ITEMS = ['first']")
    second = make_app(widgets="ITEMS = ['second']")
    third = make_app(widgets="ITEMS = ['third']")
    order = [third, first, second]
    found = contributions("widgets", "ITEMS", among=order)
    assert [c.app for c in found] == order
    assert [c.value for c in found] == [["third"], ["first"], ["second"]]


def test_an_app_without_the_module_contributes_nothing(make_app: MakeApp):
    with_it = make_app(widgets="ITEMS = [1]")
    without = make_app(other="X = 1")
    assert [c.app for c in contributions("widgets", "ITEMS", among=[without, with_it])] == [with_it]


def test_a_module_whose_own_import_fails_is_an_error_not_an_absent_module(make_app: MakeApp):
    # The old loop caught ModuleNotFoundError and so dropped a module with a broken import.
    broken = make_app(widgets="import no_such_module_anywhere\nITEMS = [1]")
    with pytest.raises(ModuleNotFoundError) as raised:
        contributions("widgets", "ITEMS", among=[broken])
    assert raised.value.name == "no_such_module_anywhere"
    assert any(f"{broken}.widgets" in note for note in raised.value.__notes__)


def test_a_module_that_raises_while_loading_is_an_error(make_app: MakeApp):
    broken = make_app(widgets="ITEMS = [1 / 0]")
    with pytest.raises(ZeroDivisionError):
        contributions("widgets", "ITEMS", among=[broken])


def test_a_module_without_the_attribute_is_an_error(make_app: MakeApp):
    misnamed = make_app(widgets="ITEM = [1]")
    with pytest.raises(ImproperlyConfigured, match=f"{misnamed}.widgets .*ITEMS"):
        contributions("widgets", "ITEMS", among=[misnamed])


def test_the_apps_that_plug_in_are_ours_above_core_in_installed_apps_order():
    ours = [a for a in settings.INSTALLED_APPS if a.startswith("qnwmh.") and a != "qnwmh.core"]
    assert plugin_apps() == ours
