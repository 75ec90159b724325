"""API matrix rows of exchange events, over the page matrix's events (tests.matrix.exchange):
the events invite the world's body, so the outsider finds none (404) and a reviewer is
refused (403); the city runs them, the body's admins and the manager register the world's
collective, either side of the mutual visit appraises (the outsider cannot speak for the
world's collective: 404)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from qnwmh.exchange.models import AppraisalItem
from tests.api.test_api_matrix import AUTH, ApiRow, expect
from tests.matrix import exchange as m

E = "/exchange/events/{code}"
READ = expect(200, anonymous=AUTH, reviewer=403)
SEE = expect(200, anonymous=AUTH, outsider=404, reviewer=403)
MANAGE = expect(403, anonymous=AUTH, city_admin=200, outsider=404)
SPEAK = expect(200, anonymous=AUTH, outsider=404, reviewer=403)


def _new(w: Any, role: str) -> dict[str, Any]:
    return {
        "kind": "meeting",
        "title": "经验交流会",
        "organiser": w.body.code,
        "held_on": timezone.localdate().isoformat(),
        "place": "会议室",
        "invited_bodies": [w.body.code],
    }


def _withdraw(w: Any) -> dict[str, Any]:
    return {"code": m._registered(w)["code"], "collective_code": w.collective.code}


def _scores(w: Any, role: str) -> dict[str, Any]:
    items = AppraisalItem.objects.filter(active=True)
    return {
        "by_collective": w.collective.code,
        "scores": [{"item": i.key, "points": 4, "comment": "好"} for i in items],
    }


ROWS = [
    ApiRow("get", "/exchange/events", READ),
    ApiRow(
        "post",
        "/exchange/events",
        expect(403, anonymous=AUTH, city_admin=201, body_admin=201),
        body=_new,
    ),
    ApiRow("get", E, SEE, params=m._open),
    ApiRow("post", E + "/move", MANAGE, params=m._open, body=lambda w, r: {"to": "held"}),
    ApiRow("post", E + "/cancel", MANAGE, params=m._open, body=lambda w, r: {"reason": "场地调整"}),
    ApiRow(
        "post",
        E + "/registrations",
        expect(201, anonymous=AUTH, outsider=404, reviewer=403),
        params=m._open,
        body=lambda w, r: {"collective": w.collective.code, "people": 2},
    ),
    ApiRow("post", E + "/registrations/{collective_code}/withdraw", SPEAK, params=_withdraw),
    ApiRow(
        "post",
        E + "/attendance",
        MANAGE,
        params=m._held,
        body=lambda w, r: {"attended": [w.collective.code]},
    ),
    ApiRow(
        "post",
        E + "/minutes",
        MANAGE,
        params=m._held,
        body=lambda w, r: {"minutes": "交流了做法。"},
    ),
    ApiRow(
        "post",
        E + "/appraisals",
        expect(201, anonymous=AUTH, outsider=404, reviewer=403),
        params=m._visit,
        body=_scores,
    ),
    ApiRow("get", "/exchange/appraisal-items", READ),
]
