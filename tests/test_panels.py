"""The hook through which later stages add sections to a collective's pages."""

from __future__ import annotations

import pytest

from qnwmh.core import panels as panels_module
from qnwmh.core.panels import OFFICE_COLLECTIVE, PUBLIC_COLLECTIVE, Panel, panels
from qnwmh.core.plugins import Contribution


def test_an_unknown_page_is_an_error() -> None:
    with pytest.raises(KeyError):
        panels("collective.nowhere")


def test_panels_come_from_every_contributing_app_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    first = Panel("a.html", {"n": 1})
    second = Panel("b.html", {"n": 2})
    contributed = [
        Contribution("qnwmh.one", {OFFICE_COLLECTIVE: lambda actor, c: [first]}),
        Contribution("qnwmh.two", {PUBLIC_COLLECTIVE: lambda c: [second]}),
        Contribution("qnwmh.three", {OFFICE_COLLECTIVE: lambda actor, c: [second]}),
    ]
    monkeypatch.setattr(panels_module, "contributions", lambda module, attribute: contributed)
    assert panels(OFFICE_COLLECTIVE, object(), object()) == [first, second]
    assert panels(PUBLIC_COLLECTIVE, object()) == [second]
