"""Supervision: league staff see complaints routed to their bodies; the outsider body and
everyone else get 404 on a complaint (they cannot know it exists). Public pages answer everyone."""

from tests import supervision_builders as sb
from tests.matrix import LOGIN, Row, expect

STAFF = expect(403, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=200)
ONE = expect(404, anonymous=LOGIN, city_admin=200, body_admin=200)
ALL = expect(200)


def _complaint(w):
    return {"code": sb.complaint(w.collective).code}


def _photo(w):
    c = sb.complaint(w.collective)
    return {"code": c.code, "photo_id": sb.photo(c).pk}


_SECRET = "MATRIXSECRET"


def _replied(w):
    c = sb.complaint(w.collective, status="replied", findings="属实", reply="已整改")
    sb.with_secret(c, _SECRET)
    return {"tracking_code": c.code}


ROWS = [
    Row("supervision:list", STAFF, permission="supervision.view_list"),
    Row(
        "supervision:list",
        STAFF,
        query="?state=overdue&town=1&category=attitude",
        label="filtered",
        permission="supervision.view_list",
    ),
    Row("supervision:enter", STAFF, permission="supervision.enter"),
    Row("supervision:figures", STAFF, permission="supervision.view_list"),
    Row("supervision:export", STAFF, permission="supervision.view_list"),
    Row(
        "supervision:list",
        STAFF,
        query="?year=2026&ack=on_time&finish=late",
        label="on time",
        permission="supervision.view_list",
    ),
    Row("supervision:ratings", STAFF, permission="supervision.view_list"),
    Row(
        "supervision:ratings",
        STAFF,
        query="?year=2026&month=3&stars=5&town=1",
        label="filtered",
        permission="supervision.view_list",
    ),
    Row(
        "supervision:holidays",
        expect(403, anonymous=LOGIN, city_admin=200),
        permission="supervision.manage_holidays",
    ),
    Row(
        "supervision:holiday_deactivate",
        expect(403, anonymous=LOGIN, city_admin=302),
        method="post",
        kwargs=lambda w: {"pk": sb.holiday().pk},
        permission="supervision.manage_holidays",
    ),
    Row(
        "supervision:collective",
        expect(403, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=404),
        kwargs=lambda w: {"code": w.collective.code},
        permission="supervision.view_list",
    ),
    Row("supervision:detail", ONE, kwargs=_complaint, permission=None),
    # A body handler opening another body's complaint gets 404, before any permission check.
    Row(
        "supervision:act",
        expect(404, anonymous=LOGIN, city_admin=302, body_admin=302),
        method="post",
        kwargs=lambda w: {**_complaint(w), "action": "acknowledge"},
        permission=None,
    ),
    Row(
        "supervision:act",
        expect(404, anonymous=LOGIN, city_admin=302, body_admin=302),
        method="post",
        kwargs=lambda w: {**_complaint(w), "action": "hide"},
        data=lambda w: {"reason": "辱骂"},
        label="hide",
        permission=None,
    ),
    Row("supervision:photo", ONE, kwargs=_photo, permission=None),
    Row(
        "supervision_public:feedback",
        ALL,
        kwargs=lambda w: {"code": w.collective.code},
        permission=None,
    ),
    Row(
        "supervision_public:rate",
        expect(302),
        method="post",
        kwargs=lambda w: {"code": w.collective.code},
        data=lambda w: {"stars": 5},
        permission=None,
    ),
    Row("supervision_public:track_lookup", ALL, permission=None),
    Row(
        "supervision_public:track",
        ALL,
        kwargs=lambda w: {"tracking_code": sb.complaint(w.collective).code},
        permission=None,
    ),
    Row(
        "supervision_public:track_feedback",
        expect(302),
        method="post",
        kwargs=_replied,
        data=lambda w: {"satisfied": "no", "secret": _SECRET},
        permission=None,
    ),
    # The filer's secret, posted (never in the URL), opens the details; staff have no secret.
    Row(
        "supervision_public:track",
        ALL,
        method="post",
        kwargs=_replied,
        data=lambda w: {"secret": _SECRET},
        label="with secret",
        permission=None,
    ),
]
