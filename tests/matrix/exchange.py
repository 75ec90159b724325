"""Page matrix rows of exchange events. The events invite the world's body: the city and the
body's admins and the collective's manager see them, the outsider body does not (404), a
reviewer is refused the list (403) and finds no event (404). The city organises and runs them
(the body's admins read but may not run the city's: 403); the body's admins and the manager
register and withdraw the world's collective; a mutual visit between the world's collective
and the outsider's is appraised by either side (the outsider's form offers only its side, so
posting the other side's is a form error)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from qnwmh.exchange import services
from qnwmh.exchange.models import AppraisalItem
from tests import factories_exchange as fx
from tests.matrix import LOGIN, Row, expect

LIST = expect(403, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=200, manager=200)
ORGANISE = expect(403, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=200)
SEE = expect(404, anonymous=LOGIN, city_admin=200, body_admin=200, manager=200, reviewer=403)
MANAGE = expect(404, anonymous=LOGIN, city_admin=200, body_admin=403, manager=403)
MANAGE_ACTS = expect(404, anonymous=LOGIN, city_admin=302, body_admin=403, manager=403)
REGISTER = expect(404, anonymous=LOGIN, city_admin=200, body_admin=200, manager=200)
REGISTER_ACTS = expect(404, anonymous=LOGIN, city_admin=302, body_admin=302, manager=302)
APPRAISE = expect(404, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=200, manager=200)
APPRAISE_ACTS = expect(
    404, anonymous=LOGIN, city_admin=302, body_admin=302, outsider=400, manager=302
)


def _open(w: Any) -> dict[str, Any]:
    if not hasattr(w, "_ex_open"):
        w._ex_open = fx.event(w, status="open")
    return {"code": w._ex_open.code}


def _registered(w: Any) -> dict[str, Any]:
    if not hasattr(w, "_ex_registration"):
        e = fx.event(w, status="open", title="已报名的活动")
        w._ex_registration = services.register(fx.city(w), e, collective=w.collective)
    r = w._ex_registration
    return {"code": r.event.code, "pk": r.pk}


def _held(w: Any) -> dict[str, Any]:
    if not hasattr(w, "_ex_held"):
        e = fx.event(w, status="open", title="已举办的活动")
        services.register(fx.city(w), e, collective=w.collective)
        w._ex_held = services.event_hold(fx.city(w), e)
    return {"code": w._ex_held.code}


def _visit(w: Any) -> dict[str, Any]:
    if not hasattr(w, "_ex_visit"):
        w._ex_visit = fx.mutual_visit(w, status="held")
    return {"code": w._ex_visit.code}


def _new_event(w: Any) -> dict[str, Any]:
    return {
        "kind": "meeting",
        "title": "经验交流会",
        "organiser": w.body.pk,
        "held_on": timezone.localdate().isoformat(),
        "place": "会议室",
        "invited_bodies": [w.body.pk],
    }


def _appraisal(w: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"by_collective": w.collective.pk}
    for item in AppraisalItem.objects.filter(active=True):
        data[f"points_{item.key}"] = "4"
        data[f"comment_{item.key}"] = "好"
    return data


ROWS = [
    Row("exchange:list", LIST, permission="exchange.view_list"),
    Row(
        "exchange:list",
        LIST,
        query="?kind=exhibition&status=open&year=2026&q=展示",
        label="filtered",
        permission="exchange.view_list",
    ),
    Row(
        "exchange:list",
        LIST,
        query="?export=xlsx",
        label="export",
        permission="exchange.view_list",
    ),
    Row("exchange:new", ORGANISE, permission="exchange.organise"),
    Row(
        "exchange:new",
        expect(403, anonymous=LOGIN, city_admin=302, body_admin=302, outsider=404),
        method="post",
        data=_new_event,
        permission="exchange.organise",
    ),
    Row("exchange:detail", SEE, kwargs=_open, permission="exchange.view_list"),
    Row(
        "exchange:move",
        MANAGE_ACTS,
        kwargs=lambda w: {**_open(w), "to": "held"},
        method="post",
        data=lambda w: {"confirmed": "1"},
        permission="exchange.manage",
    ),
    Row("exchange:cancel", MANAGE, kwargs=_open, permission="exchange.manage"),
    Row(
        "exchange:cancel",
        MANAGE_ACTS,
        kwargs=_open,
        method="post",
        data=lambda w: {"reason": "场地调整"},
        permission="exchange.manage",
    ),
    Row("exchange:register", REGISTER, kwargs=_open, permission="exchange.register"),
    Row(
        "exchange:register",
        REGISTER_ACTS,
        kwargs=_open,
        method="post",
        data=lambda w: {"collective": w.collective.pk, "people": 2},
        permission="exchange.register",
    ),
    Row(
        "exchange:withdraw",
        REGISTER_ACTS,
        kwargs=_registered,
        method="post",
        data=lambda w: {"confirmed": "1"},
        permission="exchange.act_for",
    ),
    Row("exchange:attendance", MANAGE, kwargs=_held, permission="exchange.manage"),
    Row(
        "exchange:attendance",
        MANAGE_ACTS,
        kwargs=_held,
        method="post",
        data=lambda w: {"attended": [w.collective.pk]},
        permission="exchange.manage",
    ),
    Row("exchange:minutes", MANAGE, kwargs=_held, permission="exchange.manage"),
    Row(
        "exchange:minutes",
        MANAGE_ACTS,
        kwargs=_held,
        method="post",
        data=lambda w: {"minutes": "交流了做法。"},
        permission="exchange.manage",
    ),
    Row("exchange:appraise", APPRAISE, kwargs=_visit, permission="exchange.appraise"),
    Row(
        "exchange:appraise",
        APPRAISE_ACTS,
        kwargs=_visit,
        method="post",
        data=_appraisal,
        permission="exchange.appraise",
    ),
]
