"""API matrix rows of the recognition app, on the world's collective: the city and the bodies
record rewards (another body's collective answers 404); bodies write stories, the city decides
on them; the collective's managers read; published stories are public."""

from __future__ import annotations

from typing import Any

from tests.api.test_api_matrix import AUTH, ApiRow, expect

READ = expect(403, anonymous=AUTH, city_admin=200, body_admin=200, outsider=200, manager=200)
OWN = expect(403, anonymous=AUTH, city_admin=200, body_admin=200, outsider=404, manager=200)
DECIDE = expect(404, anonymous=AUTH, city_admin=200, body_admin=403, manager=403)
EVERYONE = expect(200)


def _reward(w: Any) -> dict[str, Any]:
    from tests import factories_recognition as fr

    if not hasattr(w, "_reward"):
        w._reward = fr.reward(w.collective, w.users["city_admin"])
    return {"code": w._reward.code}


def _body_reward(w: Any) -> dict[str, Any]:
    from tests import factories_recognition as fr

    if not hasattr(w, "_body_reward"):
        w._body_reward = fr.reward(w.collective, w.users["body_admin"])
    return {"code": w._body_reward.code}


def _story(status: str) -> Any:
    def build(w: Any) -> dict[str, Any]:
        from tests import factories_recognition as fr

        key = f"_story_{status}"
        if not hasattr(w, key):
            setattr(w, key, fr.story(w.collective, w.users["body_admin"], status=status))
        return {"code": getattr(w, key).code}

    return build


def _new_reward(w: Any, role: str) -> dict[str, Any]:
    return {
        "collective_code": w.collective.code,
        "title_code": w.title.code,
        "kind": "material",
        "name": "服务之星奖励",
        "basis": "年度群众评议第一。",
        "decision_number": "石团〔2026〕8号",
        "decided_on": "2026-03-01",
        "decided_by_org": "共青团中山市石岐街道工作委员会",
        "amount": "2000.00",
    }


def _reason(w: Any, role: str) -> dict[str, Any]:
    return {"reason": "请补充服务数据。"}


ROWS = [
    ApiRow("get", "/recognition/rewards", READ),
    ApiRow(
        "post",
        "/recognition/rewards",
        expect(403, anonymous=AUTH, city_admin=201, body_admin=201, outsider=404),
        body=_new_reward,
    ),
    ApiRow("get", "/recognition/rewards/{code}", OWN, params=_reward),
    ApiRow(
        "post",
        "/recognition/rewards/{code}/withdraw",
        # A body may not undo what the city recorded.
        expect(404, anonymous=AUTH, city_admin=200, body_admin=403, manager=403),
        params=_reward,
        body=lambda w, r: {"reason": "文号登记错误。"},
    ),
    ApiRow(
        "post",
        "/recognition/rewards/{code}/withdraw",
        expect(404, anonymous=AUTH, city_admin=200, body_admin=200, manager=403),
        params=_body_reward,
        body=lambda w, r: {"reason": "文号登记错误。"},
        label="recorded by a body",
    ),
    ApiRow("get", "/recognition/stories", READ),
    ApiRow(
        "post",
        "/recognition/stories",
        expect(403, anonymous=AUTH, body_admin=201, outsider=404),
        body=lambda w, r: {
            "collective_code": w.collective.code,
            "heading": "暖心窗口",
            "text": "延时服务。",
        },
    ),
    ApiRow("get", "/recognition/stories/{code}", OWN, params=_story("submitted")),
    ApiRow(
        "patch",
        "/recognition/stories/{code}",
        expect(404, anonymous=AUTH, city_admin=403, body_admin=200),
        params=_story("draft"),
        body=lambda w, r: {"heading": "午间不打烊"},
    ),
    ApiRow(
        "post",
        "/recognition/stories/{code}/submit",
        expect(404, anonymous=AUTH, city_admin=403, body_admin=200),
        params=_story("draft"),
    ),
    ApiRow("post", "/recognition/stories/{code}/approve", DECIDE, params=_story("submitted")),
    ApiRow(
        "post",
        "/recognition/stories/{code}/return",
        DECIDE,
        params=_story("submitted"),
        body=_reason,
    ),
    ApiRow("post", "/recognition/stories/{code}/publish", DECIDE, params=_story("approved")),
    # Publishing what the city has not approved: refused, nothing changed.
    ApiRow(
        "post",
        "/recognition/stories/{code}/publish",
        expect(404, anonymous=AUTH, city_admin=400, body_admin=403),
        params=_story("draft"),
        label="not approved",
    ),
    ApiRow(
        "post",
        "/recognition/stories/{code}/withdraw",
        DECIDE,
        params=_story("published"),
        body=_reason,
    ),
    ApiRow("get", "/recognition/public/stories", EVERYONE),
    ApiRow("get", "/recognition/public/stories/{code}", EVERYONE, params=_story("published")),
    ApiRow(
        "get",
        "/recognition/public/stories/{code}",
        expect(404),
        params=_story("approved"),
        label="not published",
    ),
]
