"""API matrix rows of the training app: staff and managers read sessions (reviewers refused);
only a collective's manager checks in with the QR code's token; coverage is for the staff
of bodies."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from tests import factories_training as ft
from tests.api.test_api_matrix import AUTH, ApiRow, expect

READERS = expect(200, anonymous=AUTH, reviewer=403)
STAFF = expect(200, anonymous=AUTH, manager=403, reviewer=403)


def _session(w: Any) -> dict[str, Any]:
    return {"code": ft.matrix_session(w).code}


def _token(w: Any) -> dict[str, Any]:
    return {"token": ft.matrix_session(w).checkin_token}


ORGANISER = expect(403, anonymous=AUTH, city_admin=200)
ORGANISER_201 = expect(403, anonymous=AUTH, city_admin=201)


def _new_session(w: Any, role: str) -> dict[str, Any]:
    cycle = ft.creating_world(w)
    starts = timezone.now() + datetime.timedelta(days=2)
    return {
        "organiser": w.city.code,
        "cycle": cycle.code,
        "title": "号长轮训（第二期）",
        "place": "市青少年活动中心",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + datetime.timedelta(hours=2)).isoformat(),
    }


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
    # Only the organiser (here the city) sets, cancels and notifies for its sessions.
    ApiRow("post", "/training/sessions", ORGANISER_201, body=_new_session),
    ApiRow("post", "/training/sessions/{code}/cancel", ORGANISER, params=_session),
    ApiRow("post", "/training/sessions/{code}/remind", ORGANISER, params=_session),
    ApiRow("post", "/training/sessions/{code}/invite-more", ORGANISER, params=_session),
]
