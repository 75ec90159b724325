"""The phone the browser tests hold, and the check that a page fits it without sideways
scrolling."""

from __future__ import annotations

from typing import Any

WIDTH = 390
PHONE: dict[str, Any] = {
    "viewport": {"width": WIDTH, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "zh-CN",
}


def page_width(page: Any) -> int:
    """The scroll width of the document in view, once it has loaded.

    A click on a link returns once the next document is committed, when it may have no
    element to measure yet (`documentElement` was null in CI); its load event comes after."""
    page.wait_for_load_state("load")
    return int(page.evaluate("document.documentElement.scrollWidth"))


def assert_fits(page: Any, width: int = WIDTH) -> None:
    wide = page_width(page)
    assert wide <= width, f"{page.url} is {wide}px wide on a {width}px screen"
