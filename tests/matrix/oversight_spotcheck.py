"""Page matrix rows of the oversight spotcheck part: city staff draw; the city and the body
of the visited collective plan, record and close visits (another body: 404); managers see
their own visits (an announced one here) but act on none; reviewers are refused. The public
reproduction page and the population answer everyone."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from qnwmh.oversight.models import SpotCheck, Visit, VisitReason, VisitStatus
from qnwmh.oversight.services.spotcheck import CHECKLIST_KEYS
from tests.matrix import LOGIN, Row, expect

READ = expect(403, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=200)
CITY = expect(403, anonymous=LOGIN, city_admin=200)
INSPECT = expect(404, anonymous=LOGIN, city_admin=200, body_admin=200, manager=403)
INSPECT_ACTS = expect(404, anonymous=LOGIN, city_admin=302, body_admin=302, manager=403)
TITLE = expect(404, anonymous=LOGIN, city_admin=200, body_admin=200)
ALL = expect(200)


def _check(w: Any) -> SpotCheck:
    check = SpotCheck.objects.create(
        year=timezone.localdate().year,
        pct=20,
        seed="matrix",
        population=[[w.title.id, w.town.id, None, w.collective.ownership]],
        drawn=[w.title.id],
        drawn_by=w.users["city_admin"],
    )
    return check


def _check_code(w: Any) -> dict[str, Any]:
    return {"code": _check(w).code}


def _visit(w: Any, status: str = VisitStatus.PLANNED) -> dict[str, Any]:
    v = Visit.objects.create(
        spot_check=_check(w),
        title=w.title,
        collective=w.collective,
        reason=VisitReason.RANDOM,
        status=status,
        result="passed" if status != VisitStatus.PLANNED else "",
    )
    return {"code": v.code}


def _recorded(w: Any) -> dict[str, Any]:
    return _visit(w, VisitStatus.RECORDED)


def _record_data(w: Any) -> dict[str, Any]:
    data = {
        "visited_on": timezone.localdate().isoformat(),
        "inspectors": "张三",
        "result": "passed",
    }
    data.update({f"ok_{key}": "1" for key in CHECKLIST_KEYS})
    return data


def _plan_data(w: Any) -> dict[str, Any]:
    return {"planned_on": timezone.localdate().isoformat()}


ROWS = [
    Row("oversight:spot_checks", READ, permission="oversight.view"),
    Row("oversight:spot_check_draw", CITY, permission="oversight.manage"),
    Row(
        "oversight:spot_check_draw",
        expect(403, anonymous=LOGIN, city_admin=302),
        method="post",
        data=lambda w: {"year": timezone.localdate().year, "pct": 20, "seed": "m1"},
        permission="oversight.manage",
    ),
    Row("oversight:spot_check", READ, kwargs=_check_code, permission="oversight.view"),
    Row("oversight:visits", READ, permission="oversight.view"),
    Row(
        "oversight:visits",
        READ,
        query="?export=xlsx",
        label="export",
        permission="oversight.view",
    ),
    Row(
        "oversight:visit_new",
        TITLE,
        kwargs=lambda w: {"title_code": w.title.code},
        permission="oversight.inspect",
    ),
    Row(
        "oversight:visit_new",
        expect(404, anonymous=LOGIN, city_admin=302, body_admin=302),
        method="post",
        kwargs=lambda w: {"title_code": w.title.code},
        data=_plan_data,
        permission="oversight.inspect",
    ),
    Row(
        "oversight:visit",
        expect(404, anonymous=LOGIN, city_admin=200, body_admin=200, manager=200, reviewer=403),
        kwargs=_visit,
        permission="oversight.see_visit",
    ),
    Row("oversight:visit_plan", INSPECT, kwargs=_visit, permission="oversight.inspect"),
    Row(
        "oversight:visit_plan",
        INSPECT_ACTS,
        method="post",
        kwargs=_visit,
        data=_plan_data,
        permission="oversight.inspect",
    ),
    Row("oversight:visit_record", INSPECT, kwargs=_visit, permission="oversight.inspect"),
    Row(
        "oversight:visit_record",
        INSPECT_ACTS,
        method="post",
        kwargs=_visit,
        data=_record_data,
        permission="oversight.inspect",
    ),
    Row(
        "oversight:visit_close",
        INSPECT_ACTS,
        method="post",
        kwargs=_recorded,
        data=lambda w: {"confirmed": "1"},
        permission="oversight.inspect",
    ),
    Row(
        "oversight:my_visits",
        expect(403, anonymous=LOGIN, manager=200),
        permission="oversight.own_visits",
    ),
    Row("oversight_public:spot_check", ALL, kwargs=_check_code, permission=None),
    Row(
        "oversight_public:spot_check",
        ALL,
        kwargs=_check_code,
        query="?seed=matrix",
        label="redraw",
        permission=None,
    ),
    Row("oversight_public:spot_check_population", ALL, kwargs=_check_code, permission=None),
]
