"""The hook through which later stages add sections to a collective's pages."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from qnwmh.core import panels as panels_module
from qnwmh.core.panels import OFFICE_COLLECTIVE, PUBLIC_COLLECTIVE, Panel, Probed, panels
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
    panels_module._sources.cache_clear()
    panels_module._compiled_probes.cache_clear()  # gathered once per process
    try:
        assert panels(OFFICE_COLLECTIVE, object(), object()) == [first, second]
        assert panels(PUBLIC_COLLECTIVE, object()) == [second]
    finally:
        panels_module._sources.cache_clear()
    panels_module._compiled_probes.cache_clear()


def test_a_probed_panel_is_built_only_when_its_probe_says_it_has_rows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The page's loader sets each probe on the collective; a false one gives ``empty``
    (no query), a true one or a collective loaded without probes the built panels."""
    full, blank = Panel("full.html", {}), Panel("blank.html", {})
    source = Probed(lambda actor, c: [full], lambda: None, lambda actor, c: [blank])
    contributed = [Contribution("qnwmh.one", {OFFICE_COLLECTIVE: source})]
    monkeypatch.setattr(panels_module, "contributions", lambda module, attribute: contributed)
    panels_module._sources.cache_clear()
    panels_module._compiled_probes.cache_clear()
    try:
        name = panels_module._probe_name(OFFICE_COLLECTIVE, 0)
        assert panels(OFFICE_COLLECTIVE, object(), SimpleNamespace(**{name: False})) == [blank]
        assert panels(OFFICE_COLLECTIVE, object(), SimpleNamespace(**{name: True})) == [full]
        assert panels(OFFICE_COLLECTIVE, object(), SimpleNamespace()) == [full]
    finally:
        panels_module._sources.cache_clear()
    panels_module._compiled_probes.cache_clear()
