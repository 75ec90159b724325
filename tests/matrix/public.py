"""The public site answers everyone, logged in or not; notice boards are back office: a
collective's board follows the collectives scope (404 outside it), the bulk download is for
league staff."""

from typing import Any

from tests.matrix import LOGIN, Row, expect

CODE = {"kwargs": lambda w: {"code": w.collective.code}}
EVERYONE = expect(200)

ROWS = [
    Row("public:index", EVERYONE, permission=None),
    Row(
        "public:index",
        EVERYONE,
        query="?q=石岐&level=city&stars=1",
        label="search",
        permission=None,
    ),
    Row("public:collective", EVERYONE, **CODE, permission=None),
    Row(
        "public:collective",
        expect(200),
        label="creating, never titled",
        kwargs=lambda w: {"code": w.other_collective.code},
        permission=None,
    ),
    Row("public:photo", expect(404), label="no photo", **CODE, permission=None),
    Row("public:qr_svg", EVERYONE, **CODE, permission=None),
    Row("public:qr_png", EVERYONE, **CODE, permission=None),
    Row("public:verify", EVERYONE, permission=None),
    Row("public:verify", expect(302), query="?code=abc-def", label="redirect", permission=None),
    Row("public:verify_code", EVERYONE, **CODE, permission=None),
    Row(
        "public:verify_code",
        expect(404),
        kwargs=lambda w: {"code": "ZZZZZZZZZZ"},
        label="unknown",
        permission=None,
    ),
    Row(
        "boards:collective",
        expect(404, anonymous=LOGIN, city_admin=200, body_admin=200, manager=200),
        **CODE,
        permission="public.print_board",
    ),
    Row(
        "boards:bulk",
        expect(403, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=200),
        permission="public.print_boards_in_bulk",
    ),
    Row(
        "boards:bulk",
        expect(403, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=200),
        query="?download=1&titled_only=on",
        label="download",
        permission="public.print_boards_in_bulk",
    ),
    Row(
        "public:visit_book",
        EVERYONE,
        kwargs=lambda w: {"entry": _open_week(w).code},
        permission=None,
    ),
    Row(
        "public:visit_book",
        expect(404),
        kwargs=lambda w: {"entry": "ZZZZZZZZZZ"},
        label="no such open week",
        permission=None,
    ),
    Row(
        "public:visit_booked",
        expect(404),
        kwargs=lambda w: {"code": "ZZZZZZZZZZ"},
        label="not this browser's booking",
        permission=None,
    ),
    Row("visits:list", expect(200, anonymous=LOGIN, reviewer=403), permission="public.view_visits"),
]


def _open_week(w: Any) -> Any:
    from tests.creation_helpers import setup

    return setup(w)["entry"]
