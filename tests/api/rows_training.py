"""API matrix rows of the training app: staff and managers read sessions (reviewers refused);
only a collective's manager checks in with the QR code's token; coverage is for the staff
of bodies."""

from __future__ import annotations

from typing import Any

from tests import factories_training as ft
from tests.api.test_api_matrix import AUTH, ApiRow, expect

READERS = expect(200, anonymous=AUTH, reviewer=403)
STAFF = expect(200, anonymous=AUTH, manager=403, reviewer=403)


def _session(w: Any) -> dict[str, Any]:
    return {"code": ft.matrix_session(w).code}


def _token(w: Any) -> dict[str, Any]:
    return {"token": ft.matrix_session(w).checkin_token}


def _cycle(w: Any) -> dict[str, Any]:
    ft.creating_world(w)
    return {}


ROWS = [
    ApiRow("get", "/training/sessions", READERS, params=_session),
    ApiRow("get", "/training/sessions/{code}", READERS, params=_session),
    ApiRow("get", "/training/sessions/{code}/invitations", READERS, params=_session),
    ApiRow(
        "post",
        "/training/checkin/{token}",
        expect(403, anonymous=AUTH, manager=200),
        params=_token,
        body=lambda w, r: {},
    ),
    ApiRow("get", "/training/coverage", STAFF, params=_cycle),
]
