"""Leader training: staff of the city and bodies and managers read the sessions (a body's
admin the sessions its collectives are invited to); the organisers (here the city) remind and
cancel; only a collective's manager checks in; a certificate is printed for a passed leader
by those who see its invitation; coverage is for the staff of bodies."""

from typing import Any

from tests import factories_training as ft
from tests.matrix import LOGIN, Row, expect

READERS = expect(200, anonymous=LOGIN, reviewer=403)
STAFF = expect(200, anonymous=LOGIN, manager=403, reviewer=403)
ORGANISER_POST = expect(403, anonymous=LOGIN, city_admin=302, reviewer=404)


def _session(w: Any) -> dict[str, str]:
    return {"code": ft.matrix_session(w).code}


def _token(w: Any) -> dict[str, str]:
    return {"token": ft.matrix_session(w).checkin_token}


def _certificate(w: Any) -> dict[str, Any]:
    invitation = ft.matrix_passed(w)
    return {"code": invitation.session.code, "invitation_id": invitation.pk}


def _cycle(w: Any) -> dict[str, Any]:
    ft.creating_world(w)
    return {}


ROWS = [
    Row("training:sessions", READERS, permission="training.view"),
    Row(
        "training:sessions",
        READERS,
        query="?status=scheduled&cycle=ZZZ&q=%E5%8F%B7%E9%95%BF",
        label="filtered",
        permission="training.view",
    ),
    Row(
        "training:sessions", READERS, query="?export=xlsx", label="xlsx", permission="training.view"
    ),
    Row("training:session_create", STAFF, permission="training.organise"),
    Row("training:coverage", STAFF, kwargs=_cycle, permission="training.coverage"),
    Row(
        "training:coverage",
        STAFF,
        kwargs=_cycle,
        query="?export=xlsx",
        label="xlsx",
        permission="training.coverage",
    ),
    Row("training:session", READERS, kwargs=_session, permission="training.view"),
    Row(
        "training:remind",
        ORGANISER_POST,
        method="post",
        kwargs=_session,
        permission="training.manage",
    ),
    Row(
        "training:invite",
        ORGANISER_POST,
        method="post",
        kwargs=_session,
        permission="training.manage",
    ),
    Row(
        "training:cancel",
        ORGANISER_POST,
        method="post",
        kwargs=_session,
        data=lambda w: {"confirmed": "1"},
        permission="training.manage",
    ),
    Row(
        "training:checkin",
        expect(403, anonymous=LOGIN, manager=200),
        kwargs=_token,
        permission="training.check_in",
    ),
    Row(
        "training:checkin",
        expect(403, anonymous=LOGIN, manager=302),
        method="post",
        kwargs=_token,
        permission="training.check_in",
    ),
    Row(
        "training:certificate",
        expect(404, anonymous=LOGIN, city_admin=200, body_admin=200, manager=200),
        kwargs=_certificate,
        permission="training.certificate",
    ),
]
