"""API matrix rows of consultations: an open consultation sent to the world's two bodies with
one comment by the body, built on first use. The city reads everything and disposes; each
body reads it and answers for itself only; managers and reviewers are refused the list and
reach none."""

from __future__ import annotations

from typing import Any

from tests.api.test_api_matrix import AUTH, ApiRow, expect


def _setup(w: Any) -> Any:
    if not hasattr(w, "_api_cons"):
        from qnwmh.consultation import services
        from tests import factories as f
        from tests import factories_consultation as fc

        w._api_cons = fc.opened(w)
        w._api_cons_draft = fc.draft(w)
        [w._api_cons_comment] = services.reply(
            f.actor(w.users["body_admin"]),
            respondent=w._api_cons.respondents.get(organisation=w.body),
            comments={w._api_cons.sections.first().pk: "建议补充"},
        )
    return w


def _c(w: Any) -> dict[str, Any]:
    return {"code": _setup(w)._api_cons.code}


def _draft(w: Any) -> dict[str, Any]:
    return {"code": _setup(w)._api_cons_draft.code}


def _mine(w: Any) -> dict[str, Any]:
    return {**_c(w), "body_code": w.body.code}


def _comment(w: Any) -> dict[str, Any]:
    return {**_c(w), "comment_id": w._api_cons_comment.pk}


C = "/consultation/consultations/{code}"
SEE = expect(200, anonymous=AUTH, manager=404, reviewer=404)
CITY = expect(403, anonymous=AUTH, city_admin=200, manager=404, reviewer=404)

CITY_ACTS = CITY
CITY_DRAFT = expect(404, anonymous=AUTH, city_admin=200)

ROWS: list[ApiRow] = [
    ApiRow(
        "post",
        "/consultation/consultations",
        expect(403, anonymous=AUTH, city_admin=201),
        body=lambda w, r: {
            "title": "新的征求意见",
            "text": "一、总则\n正文\n二、附则\n正文",
            "deadline": "2099-01-01T12:00:00+08:00",
        },
    ),
    ApiRow(
        "post",
        C + "/open",
        CITY_DRAFT,
        params=_draft,
        body=lambda w, r: {"bodies": [w.body.code]},
    ),
    ApiRow("post", C + "/remind", CITY_ACTS, params=_c),
    ApiRow("post", C + "/close", CITY_ACTS, params=_c),
    ApiRow(
        "post",
        C + "/publish",
        expect(403, anonymous=AUTH, city_admin=400, manager=404, reviewer=404),
        params=_c,
        body=lambda w, r: {"final_text": "定稿"},
        label="still open",
    ),
    ApiRow(
        "get", "/consultation/consultations", expect(200, anonymous=AUTH, manager=403, reviewer=403)
    ),
    ApiRow("get", C, SEE, params=_c),
    ApiRow(
        "post",
        C + "/replies/{body_code}",
        expect(404, anonymous=AUTH, body_admin=200),
        params=_mine,
        body=lambda w, r: {"comments": [{"section": 2, "text": "再补充"}]},
    ),
    ApiRow("get", C + "/summary", CITY, params=_c),
    ApiRow(
        "post",
        C + "/comments/{comment_id}/disposition",
        CITY,
        params=_comment,
        body=lambda w, r: {"disposition": "adopted", "reason": "采纳"},
    ),
]
