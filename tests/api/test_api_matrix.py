"""The API authorization matrix: every route of /api/v1 × every role answers as written here.

A route in the OpenAPI schema without a row fails ``test_every_api_route_has_a_row``, so a
new endpoint cannot ship without saying who may call it. Each role calls with its own token;
"anonymous" sends none.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from qnwmh.api.v1 import api as ninja_api
from tests.api.helpers import BASE, Multipart, api_token, client_for
from tests.factories import PASSWORD
from tests.matrix import check_every_role, each_role_apart, shared_row_data
from tests.matrix import expect as _expect

AUTH = 401  # no token


def expect(default: int | None = None, **by_role: int) -> dict[str, int]:
    """As ``tests.matrix.expect``."""
    return _expect(default, **by_role)


@dataclass(frozen=True)
class ApiRow:
    method: str
    path: str  # as in the OpenAPI schema, relative to /api/v1
    expect: dict[str, int]
    params: Callable[[Any], dict[str, Any]] = lambda w: {}
    body: Callable[[Any, str], Any] = lambda w, role: None
    label: str = field(default="")
    # What a success answers (a route returning a file says its type); refusals are JSON.
    content_type: str = "application/json"

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.path}{' ' + self.label if self.label else ''}"


def _code(w: Any) -> dict[str, Any]:
    return {"code": w.collective.code}


def _member(w: Any) -> dict[str, Any]:
    return {"code": w.collective.code, "member_id": w.member.pk}


def _title(w: Any) -> dict[str, Any]:
    return {"code": w.collective.code, "title_code": w.title.code}


def _login(w: Any, role: str) -> dict[str, str]:
    username = "nobody" if role == "anonymous" else w.users[role].username
    return {"username": username, "password": PASSWORD}


def _new_collective(w: Any, role: str) -> dict[str, Any]:
    return {
        "name": "石岐街道新建青年集体",
        "work_unit": "石岐街道办事处",
        "body": w.body.code,
        "town": w.town.pk,
        "ownership": "party_government",
    }


def _new_member(w: Any, role: str) -> dict[str, Any]:
    return {"name": "新成员", "birth_date": "1998-05-01", "phone": "13900001111"}


def _award(w: Any, role: str) -> dict[str, Any]:
    return {
        "level": "provincial",
        "session_no": 22,
        "year": 2024,
        "awarded_on": datetime.date(2024, 12, 1).isoformat(),
    }


# Cycles and supervision: built on first use, once per world.


def _cycle(w: Any) -> Any:
    """An open cycle (quotas published) with a submitted registration of the body's
    collective, and the outsider body's list already submitted to the city."""
    if not hasattr(w, "_cycle"):
        from qnwmh.cycles.models import BodySubmission
        from tests import factories_cycles as fc

        w._cycle = fc.cycle()
        fc.quota(w._cycle, w.body, 3)
        fc.quota(w._cycle, w.other_body, 3)
        w._reg = fc.registration(w._cycle, w.collective)
        BodySubmission.objects.create(cycle=w._cycle, body=w.other_body, status="submitted")
    return w


def _cyc(w: Any) -> dict[str, Any]:
    return {"code": _cycle(w)._cycle.code}


def _reg(w: Any) -> dict[str, Any]:
    return {**_cyc(w), "reg_code": w._reg.code}


def _own_list(w: Any) -> dict[str, Any]:
    """The body's list, ready to submit: its one registration has been reviewed."""
    from qnwmh.cycles.models import Registration, RegistrationStatus

    params = {**_cyc(w), "body_id": w.body.pk}
    Registration.objects.filter(pk=w._reg.pk).update(status=RegistrationStatus.ACCEPTED)
    return params


def _other_list(w: Any) -> dict[str, Any]:
    return {**_cyc(w), "body_id": w.other_body.pk}


def _filing(w: Any, role: str) -> dict[str, Any]:
    """A registration for a second collective of the body (the first already has one)."""
    from tests import factories as f
    from tests import factories_cycles as fc

    collective = f.collective(w.body, name="石岐街道社区卫生服务中心青年突击队", members=8)
    return {"collective_code": collective.code, **fc.values()}


def _complaint(w: Any) -> dict[str, Any]:
    """A complaint about the body's collective: the outsider body's admin cannot open it."""
    if not hasattr(w, "_complaint"):
        from tests import supervision_builders as sb

        w._complaint = sb.complaint(w.collective)
    return {"code": w._complaint.code}


def _intake(w: Any, role: str) -> dict[str, Any]:
    return {
        "collective_code": w.collective.code,
        "service_code": "complaint.efficiency",
        "description": "同一件事要跑三次。",
    }


def _creating(w: Any) -> dict[str, Any]:
    """The collective registered in a cycle around today, with one logged open week."""
    if not hasattr(w, "_entry"):
        from tests import creation_helpers as ch

        cy = ch.cycle()
        ch.register(w.collective, cy)
        w._entry = ch.entry(w, cy)
    return {"code": w.collective.code, "entry_code": w._entry.code}


def _new_entry(w: Any, role: str) -> Multipart:
    from tests import creation_helpers as ch

    return Multipart(
        kind="job_drill",
        title="岗位练兵",
        occurred_on=str(datetime.date.today()),
        participants="8",
        files=ch.photos(1, seed=7)[0],
    )


def _photo(w: Any, role: str) -> Multipart:
    from tests import creation_helpers as ch

    return Multipart(files=ch.photos(1, seed=9)[0])


# Certification scoring (tests/scoring_helpers.py): the world's reviewer has an assignment;
# its role holds no API token yet, so every route refuses it like an anonymous caller.
def _scoring(w: Any) -> Any:
    if not hasattr(w, "_scoring"):
        from tests.scoring_helpers import setup

        w._scoring = setup(w)
    return w._scoring


def _sheet(w: Any) -> dict[str, Any]:
    return {"code": _scoring(w).mine.code, "score_set": "site"}


def _submitted_sheet(w: Any) -> dict[str, Any]:
    from qnwmh.certification.services import scoring
    from tests import factories as f
    from tests.scoring_helpers import scores

    s = _scoring(w)
    sheet = scoring.save_sheet(
        f.actor(s.third.user), assignment=s.thirds, score_set="site", scores=scores(), submit=True
    )
    return {"code": sheet.code}


def _scoring_round(w: Any) -> dict[str, Any]:
    return {"code": _scoring(w).round.code}


def _sheet_body(w: Any, role: str) -> dict[str, Any]:
    from tests.scoring_helpers import scores

    return {"scores": scores()}


CYCLE_STAFF = expect(404, anonymous=AUTH, city_admin=200, body_admin=200, outsider=200, manager=200)


# Knowledge test: a round's exam the world's manager may sit (its collective applies).


def _exam(w: Any) -> dict[str, Any]:
    if not hasattr(w, "_exam"):
        from tests import knowledge_builders as kb

        w._exam = kb.round_exam(w)
    return {"code": w._exam.code}


def _sitting(w: Any, *, submitted: bool = False) -> dict[str, Any]:
    from qnwmh.knowledge import services
    from tests import factories as f

    _exam(w)
    manager = f.actor(w.users["manager"])
    attempt = services.attempt_start(
        manager, exam=w._exam, collective=w.collective, member=w.member
    )
    if submitted:
        services.attempt_submit(manager, attempt=attempt)
    return {"code": attempt.code}


def _start(w: Any, role: str) -> dict[str, Any]:
    return {"collective_code": w.collective.code, "member_id": w.member.pk}


SITTING = expect(404, anonymous=AUTH, city_admin=200, manager=200)
TAKER = expect(404, anonymous=AUTH, city_admin=403, manager=200)

SEE = expect(404, anonymous=AUTH, city_admin=200, body_admin=200, manager=200)
CREATE_ENTRY = expect(404, anonymous=AUTH, city_admin=201, body_admin=201, manager=201)
SIGNED_IN = expect(200, anonymous=AUTH)
TITLES = expect(404, anonymous=AUTH, city_admin=201, body_admin=403, manager=403)

ROWS = [
    # A reviewer's role has no API use: no token for its password (400).
    ApiRow("post", "/auth/token", expect(200, anonymous=401), body=_login),
    ApiRow("get", "/auth/tokens", SIGNED_IN),
    # Someone else's token: out of scope except for city admins (and its owner).
    ApiRow(
        "post",
        "/auth/tokens/{code}/revoke",
        expect(404, anonymous=AUTH, city_admin=200, body_admin=200),
        params=lambda w: {"code": api_token(w.users["body_admin"], "other")[0].code},
    ),
    ApiRow("get", "/organisations", SIGNED_IN),
    ApiRow(
        "get",
        "/organisations/{code}",
        expect(404, anonymous=AUTH, city_admin=200, body_admin=200),
        params=lambda w: {"code": w.body.code},
    ),
    ApiRow("get", "/towns", SIGNED_IN),
    ApiRow("get", "/sectors", SIGNED_IN),
    ApiRow("get", "/collectives", expect(200, anonymous=AUTH, reviewer=403)),
    # The outsider may create collectives, but not under another body: a 400 with the reason.
    ApiRow(
        "post",
        "/collectives",
        expect(403, anonymous=AUTH, city_admin=201, body_admin=201, outsider=400),
        body=_new_collective,
    ),
    ApiRow("get", "/collectives/{code}", SEE, params=_code),
    ApiRow(
        "patch",
        "/collectives/{code}",
        SEE,
        params=_code,
        body=lambda w, r: {"pledges": "微笑服务，限时办结。"},
    ),
    ApiRow("get", "/collectives/{code}/members", SEE, params=_code),
    ApiRow(
        "post",
        "/collectives/{code}/members",
        expect(404, anonymous=AUTH, city_admin=201, body_admin=201, manager=201),
        params=_code,
        body=_new_member,
    ),
    ApiRow(
        "patch",
        "/collectives/{code}/members/{member_id}",
        SEE,
        params=_member,
        body=lambda w, r: {"post": "窗口受理"},
    ),
    ApiRow("delete", "/collectives/{code}/members/{member_id}", SEE, params=_member),
    ApiRow("get", "/collectives/{code}/titles", SEE, params=_code),
    ApiRow("post", "/collectives/{code}/titles", TITLES, params=_code, body=_award),
    ApiRow(
        "post",
        "/collectives/{code}/titles/{title_code}/end",
        expect(404, anonymous=AUTH, city_admin=200, body_admin=403, manager=403),
        params=_title,
        body=lambda w, r: {"reason": "复核不合格", "outcome": "revoked"},
    ),
    ApiRow("get", "/titles", SIGNED_IN),
    ApiRow("get", "/public/collectives", expect(200)),
    ApiRow("get", "/public/collectives/{code}", expect(200), params=_code),
    # Cycles: quotas and caps are for league staff.
    ApiRow("get", "/cycles", SIGNED_IN),
    ApiRow("get", "/cycles/{code}", CYCLE_STAFF, params=_cyc),
    ApiRow(
        "get",
        "/cycles/{code}/quotas",
        expect(403, anonymous=AUTH, city_admin=200, body_admin=200, outsider=200, reviewer=404),
        params=_cyc,
    ),
    ApiRow(
        "get",
        "/cycles/{code}/caps",
        expect(403, anonymous=AUTH, city_admin=200, body_admin=200, outsider=200, reviewer=404),
        params=_cyc,
    ),
    ApiRow("get", "/cycles/{code}/registrations", CYCLE_STAFF, params=_cyc),
    ApiRow("get", "/cycles/{code}/registrations/{reg_code}", SEE, params=_reg),
    ApiRow(
        "post",
        "/cycles/{code}/registrations",
        expect(404, anonymous=AUTH, city_admin=403, body_admin=201),
        params=_cyc,
        body=_filing,
    ),
    ApiRow(
        "post",
        "/cycles/{code}/registrations/{reg_code}/review",
        expect(404, anonymous=AUTH, city_admin=403, body_admin=200, manager=403),
        params=_reg,
        body=lambda w, r: {"action": "return", "reason": "请补充创建计划。"},
    ),
    ApiRow(
        "post",
        "/cycles/{code}/submissions/{body_id}/submit",
        expect(404, anonymous=AUTH, city_admin=403, body_admin=200),
        params=_own_list,
    ),
    ApiRow(
        "post",
        "/cycles/{code}/submissions/{body_id}/decide",
        expect(403, anonymous=AUTH, city_admin=200, reviewer=404),
        params=_other_list,
        body=lambda w, r: {"action": "return", "reason": "请补充材料。"},
    ),
    # Creation records: the collective's own people and league staff; others 404.
    ApiRow("get", "/knowledge/exams", expect(403, anonymous=AUTH, city_admin=200, manager=200)),
    ApiRow("get", "/knowledge/exams/{code}", SITTING, params=_exam),
    ApiRow(
        "post",
        "/knowledge/exams/{code}/attempts",
        expect(404, anonymous=AUTH, city_admin=403, manager=201),
        params=_exam,
        body=_start,
    ),
    ApiRow("get", "/knowledge/attempts/{code}", SITTING, params=_sitting),
    ApiRow(
        "post",
        "/knowledge/attempts/{code}/answers",
        TAKER,
        params=_sitting,
        body=lambda w, r: {"answers": []},
    ),
    ApiRow("post", "/knowledge/attempts/{code}/submit", TAKER, params=_sitting),
    ApiRow(
        "get",
        "/knowledge/attempts/{code}/result",
        SITTING,
        params=lambda w: _sitting(w, submitted=True),
    ),
    ApiRow("get", "/creation/{code}/entries", SEE, params=_creating),
    ApiRow("post", "/creation/{code}/entries", CREATE_ENTRY, params=_creating, body=_new_entry),
    ApiRow(
        "post",
        "/creation/{code}/entries/{entry_code}/evidence",
        CREATE_ENTRY,
        params=_creating,
        body=_photo,
    ),
    ApiRow("get", "/creation/{code}/plan", SEE, params=_creating),
    ApiRow("get", "/creation/{code}/compliance", SEE, params=_creating),
    ApiRow(
        "get",
        "/creation/compliance",
        expect(403, anonymous=AUTH, city_admin=200, body_admin=200, outsider=200),
        params=_creating,
    ),
    # Supervision intake: no token, whoever calls.
    ApiRow("get", "/supervision/services", expect(200)),
    ApiRow("post", "/supervision/requests", expect(201), body=_intake),
    ApiRow("get", "/supervision/requests/{code}", expect(200), params=_complaint),
    # The filer's answer needs the filer's secret: no token stands in for it.
    ApiRow(
        "post",
        "/supervision/requests/{code}/feedback",
        expect(403),
        params=_complaint,
        body=lambda w, r: {"secret": "NOTTHESECRET", "satisfied": True},
    ),
    # Handling: another body's complaint is not there (404).
    ApiRow(
        "get",
        "/supervision/staff/requests",
        expect(403, anonymous=AUTH, city_admin=200, body_admin=200, outsider=200),
    ),
    ApiRow(
        "get",
        "/supervision/staff/requests/{code}",
        expect(404, anonymous=AUTH, city_admin=200, body_admin=200),
        params=_complaint,
    ),
    ApiRow(
        "post",
        "/supervision/staff/requests/{code}/actions",
        expect(404, anonymous=AUTH, city_admin=200, body_admin=200),
        params=_complaint,
        body=lambda w, r: {"action": "acknowledge"},
    ),
    ApiRow("get", "/certification/scoring/assignments", SIGNED_IN),
    ApiRow(
        "get",
        "/certification/scoring/assignments/{code}/sheets/{score_set}",
        expect(404, anonymous=AUTH, reviewer=200),
        params=_sheet,
    ),
    ApiRow(
        "put",
        "/certification/scoring/assignments/{code}/sheets/{score_set}",
        expect(404, anonymous=AUTH, reviewer=200),
        params=_sheet,
        body=_sheet_body,
    ),
    ApiRow(
        "post",
        "/certification/scoring/assignments/{code}/sheets/{score_set}/submit",
        expect(404, anonymous=AUTH, reviewer=200),
        params=_sheet,
        body=_sheet_body,
    ),
    ApiRow(
        "post",
        "/certification/scoring/sheets/{code}/reopen",
        expect(404, anonymous=AUTH, city_admin=200),
        params=_submitted_sheet,
        body=lambda w, r: {"reason": "请复核"},
    ),
    ApiRow(
        "get",
        "/certification/scoring/rounds/{code}/results",
        expect(403, anonymous=AUTH, city_admin=200, body_admin=200, outsider=200),
        params=_scoring_round,
    ),
    ApiRow(
        "get",
        "/certification/scoring/rounds/{code}/defence-sessions",
        expect(403, anonymous=AUTH, city_admin=200),
        params=_scoring_round,
    ),
]

# Each part of certification keeps its rows in its own module.
from tests.api.rows_certification_applications import ROWS as _CERT_APPLICATIONS  # noqa: E402

ROWS += _CERT_APPLICATIONS

# Awards: each part keeps its rows in its own module.
from tests.api.rows_awards_decision import ROWS as _AWARDS_DECISION  # noqa: E402
from tests.api.rows_awards_nomination import ROWS as _AWARDS_NOMINATION  # noqa: E402
from tests.api.rows_awards_notice import ROWS as _AWARDS_NOTICE  # noqa: E402
from tests.api.rows_awards_ranking import ROWS as _AWARDS_RANKING  # noqa: E402

ROWS += _AWARDS_RANKING + _AWARDS_NOTICE + _AWARDS_DECISION + _AWARDS_NOMINATION

# Oversight: each part keeps its rows in its own module.
from tests.api.rows_oversight_review import ROWS as _OV_REVIEW  # noqa: E402
from tests.api.rows_oversight_sanctions import ROWS as _OV_SANCTIONS  # noqa: E402
from tests.api.rows_oversight_spotcheck import ROWS as _OV_SPOTCHECK  # noqa: E402
from tests.api.rows_oversight_standard import ROWS as _OV_STANDARD  # noqa: E402

ROWS += _OV_STANDARD + _OV_REVIEW + _OV_SPOTCHECK + _OV_SANCTIONS

# The network around the titles (issue 16): one module per app.
from tests.api.rows_consultation import ROWS as _CONSULTATION  # noqa: E402
from tests.api.rows_exchange import ROWS as _EXCHANGE  # noqa: E402
from tests.api.rows_partnerships import ROWS as _PARTNERSHIPS  # noqa: E402
from tests.api.rows_recognition import ROWS as _RECOGNITION  # noqa: E402
from tests.api.rows_training import ROWS as _TRAINING  # noqa: E402

ROWS += _TRAINING + _EXCHANGE + _PARTNERSHIPS + _CONSULTATION + _RECOGNITION

# Dashboards (issue 17).
from tests.api.rows_dashboards import ROWS as _DASHBOARDS  # noqa: E402

ROWS += _DASHBOARDS


# Certification, reviewers part: city staff run the pool and the draw; an assignment or an
# application that is not the caller's is not found; the reviewer's own role has no token yet
# (401).


def _cert_round(w: Any) -> Any:
    if not hasattr(w, "_cr"):
        from qnwmh.certification.models import Panel
        from tests import factories_certification as fcert

        w._cr = fcert.cert_round()
        w._cr_area = fcert.area([w.town, w.other_town])
        w._cr_app = fcert.application(w._cr, w.collective, status="recommended", area_=w._cr_area)
        w._cr_pool = [fcert.reviewer(areas=[w._cr_area]) for _ in range(3)]
        panel = Panel.objects.create(round=w._cr, area=w._cr_area)
        panel.members.set(w._cr_pool)
    return w


def fcert_assignment(app: Any, reviewer: Any) -> Any:
    from tests import factories_certification as fcert

    return fcert.assignment(app, reviewer, status="invited")


def _cr(w: Any) -> dict[str, Any]:
    return {"code": _cert_round(w)._cr.code}


CITY_ONLY = expect(403, anonymous=AUTH, city_admin=200)
NOT_THEIRS = expect(404, anonymous=AUTH)

ROWS += [
    # Lists answer everyone signed in, each within their scope (the pool: city staff only).
    ApiRow("get", "/certification/areas", expect(200, anonymous=AUTH)),
    ApiRow("get", "/certification/reviewers", expect(200, anonymous=AUTH)),
    ApiRow("get", "/certification/conflicts", expect(200, anonymous=AUTH)),
    ApiRow("get", "/certification/rounds/{code}/panels", CITY_ONLY, params=_cr),
    ApiRow("get", "/certification/rounds/{code}/draws", CITY_ONLY, params=_cr),
    ApiRow(
        "post",
        "/certification/rounds/{code}/draws",
        expect(403, anonymous=AUTH, city_admin=201),
        params=_cr,
        body=lambda w, r: {"area": w._cr_area.code, "seed": 11},
    ),
    ApiRow("get", "/certification/rounds/{code}/assignments", CITY_ONLY, params=_cr),
    ApiRow(
        "post",
        "/certification/rounds/{code}/assignments",
        expect(403, anonymous=AUTH, city_admin=201),
        params=_cr,
        body=lambda w, r: {"application": w._cr_app.code, "reviewer": w._cr_pool[0].code},
    ),
    ApiRow(
        "post",
        "/certification/assignments/{code}/cancel",
        CITY_ONLY,
        params=lambda w: {"code": fcert_assignment(_cert_round(w)._cr_app, w._cr_pool[1]).code},
        body=lambda w, r: {"reason": "调整评审组"},
    ),
    ApiRow("get", "/certification/review/assignments", expect(200, anonymous=AUTH)),
    ApiRow(
        "post",
        "/certification/review/assignments/{code}/accept",
        NOT_THEIRS,
        params=lambda w: {"code": "NOSUCHCODE"},
    ),
    ApiRow(
        "post",
        "/certification/review/assignments/{code}/decline",
        NOT_THEIRS,
        params=lambda w: {"code": "NOSUCHCODE"},
        body=lambda w, r: {"reason": "出差"},
    ),
    ApiRow(
        "post",
        "/certification/review/applications/{code}/conflict",
        NOT_THEIRS,
        params=lambda w: {"code": "NOSUCHCODE"},
        body=lambda w, r: {"reason": "亲属"},
    ),
]


def schema_routes() -> set[tuple[str, str]]:
    # The API's own prefix (as /api/v1/openapi.json): a "/api/v1" without its trailing slash
    # loses the slash before routers nested under an empty prefix (certification's parts).
    paths = ninja_api.get_openapi_schema()["paths"]
    return {
        (method, path.removeprefix(BASE))
        for path, operations in paths.items()
        for method in operations
    }


def test_every_api_route_has_a_row() -> None:
    covered = {(row.method, row.path) for row in ROWS}
    assert sorted(schema_routes() - covered) == []


def test_api_rows_name_real_routes() -> None:
    assert sorted({(row.method, row.path) for row in ROWS} - schema_routes()) == []


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_api_matrix(world: Any, row: ApiRow) -> None:
    """Every role on this route, each apart; one failure lists every role that differs."""

    def call(role: str) -> list[str]:
        with each_role_apart(prepared) as w:
            client = client_for(w, role)
            path = row.path.format(**row.params(w))
            response = client.request(row.method, path, row.body(w, role))
            if response.status_code != row.expect[role]:
                return [
                    f"{response.status_code} {response.content[:300]!r}, "
                    f"expected {row.expect[role]}"
                ]
            wanted = row.content_type if response.status_code < 400 else "application/json"
            if not response["Content-Type"].startswith(wanted):
                return [f"Content-Type {response['Content-Type']}"]
            if response.status_code >= 400:
                # Every refusal explains itself in Chinese (the default language).
                detail = response.json()["detail"]
                if not any("\u4e00" <= ch <= "\u9fff" for ch in detail):
                    return [f"detail not in Chinese: {detail!r}"]
            return []

    with shared_row_data(world, row.params) as prepared:
        check_every_role(row.id, call)
