"""Page matrix rows of recognition, on the world's collective. The city and the bodies record
rewards (another body's collective answers 404); bodies write stories, the city approves,
returns, publishes and withdraws them; the collective's managers read; reviewers have no part.
The public pages answer everyone."""

from __future__ import annotations

from typing import Any

from qnwmh.recognition.models import StoryStatus
from tests import factories_recognition as fr
from tests.matrix import LOGIN, Row, expect

READ = expect(403, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=200, manager=200)
OWN = expect(403, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=404, manager=200)
RECORD_PAGE = expect(403, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=200)
RECORD = expect(403, anonymous=LOGIN, city_admin=302, body_admin=302, outsider=404)
# A body withdraws what a body recorded, never what the city recorded.
WITHDRAW_REWARD = expect(404, anonymous=LOGIN, city_admin=302, body_admin=403, manager=403)
WITHDRAW_BODY_REWARD = expect(404, anonymous=LOGIN, city_admin=302, body_admin=302, manager=403)
WRITE_PAGE = expect(403, anonymous=LOGIN, body_admin=200, outsider=200)
WRITE = expect(403, anonymous=LOGIN, body_admin=302, outsider=404)
# A draft is the body's own: the collective's managers do not see it yet.
DRAFT_EDIT = expect(404, anonymous=LOGIN, city_admin=403, body_admin=200)
DRAFT_SUBMIT = expect(404, anonymous=LOGIN, city_admin=403, body_admin=302)
DECIDE = expect(404, anonymous=LOGIN, city_admin=302, body_admin=403, manager=403)
EVERYONE = expect(200)


def _reward(w: Any) -> dict[str, Any]:
    if not hasattr(w, "_reward"):
        w._reward = fr.reward(w.collective, w.users["city_admin"])
    return {"code": w._reward.code}


def _body_reward(w: Any) -> dict[str, Any]:
    if not hasattr(w, "_body_reward"):
        w._body_reward = fr.reward(w.collective, w.users["body_admin"])
    return {"code": w._body_reward.code}


def _story(status: str) -> Any:
    def build(w: Any) -> dict[str, Any]:
        key = f"_story_{status}"
        if not hasattr(w, key):
            setattr(w, key, fr.story(w.collective, w.users["body_admin"], status=status))
        return {"code": getattr(w, key).code}

    return build


def _reward_data(w: Any) -> dict[str, Any]:
    return {
        "collective": w.collective.pk,
        "kind": "material",
        "name": "服务之星奖励",
        "basis": "年度群众评议第一。",
        "decision_number": "石团〔2026〕8号",
        "decided_on": "2026-03-01",
        "decided_by_org": "共青团中山市石岐街道工作委员会",
        "amount": "2000",
    }


def _story_data(w: Any) -> dict[str, Any]:
    return {"collective": w.collective.pk, "heading": "暖心窗口", "text": "一、做法\n延时服务。"}


def _reason(w: Any) -> dict[str, Any]:
    return {"reason": "请补充服务数据。"}


def _photo(w: Any) -> dict[str, Any]:
    return {**_story(StoryStatus.PUBLISHED)(w), "photo": "ZZZZZZZZZZ"}


ROWS = [
    Row("recognition:rewards", READ, permission="recognition.view"),
    Row(
        "recognition:rewards",
        READ,
        query="?format=xlsx&kind=honorary",
        label="xlsx",
        permission="recognition.view",
    ),
    Row("recognition:reward_new", RECORD_PAGE, permission="recognition.record_reward"),
    Row(
        "recognition:reward_new",
        RECORD,
        method="post",
        data=_reward_data,
        permission="recognition.record_reward",
    ),
    Row("recognition:reward", OWN, kwargs=_reward, permission="recognition.view"),
    Row(
        "recognition:reward_withdraw",
        WITHDRAW_REWARD,
        method="post",
        kwargs=_reward,
        data=lambda w: {"reason": "文号登记错误。", "confirmed": "1"},
        permission="recognition.withdraw_reward",
    ),
    Row(
        "recognition:reward_withdraw",
        WITHDRAW_BODY_REWARD,
        method="post",
        kwargs=_body_reward,
        data=lambda w: {"reason": "文号登记错误。", "confirmed": "1"},
        label="recorded by a body",
        permission="recognition.withdraw_reward",
    ),
    Row("recognition:stories", READ, permission="recognition.view"),
    Row(
        "recognition:stories",
        READ,
        query="?format=xlsx&status=published",
        label="xlsx",
        permission="recognition.view",
    ),
    Row("recognition:story_new", WRITE_PAGE, permission="recognition.write_story"),
    Row(
        "recognition:story_new",
        WRITE,
        method="post",
        data=_story_data,
        permission="recognition.write_story",
    ),
    Row(
        "recognition:story",
        OWN,
        kwargs=_story(StoryStatus.SUBMITTED),
        permission="recognition.view",
    ),
    Row(
        "recognition:story_edit",
        DRAFT_EDIT,
        kwargs=_story(StoryStatus.DRAFT),
        permission="recognition.write_story",
    ),
    Row(
        "recognition:story_submit",
        DRAFT_SUBMIT,
        method="post",
        kwargs=_story(StoryStatus.DRAFT),
        permission="recognition.write_story",
    ),
    Row(
        "recognition:story_approve",
        DECIDE,
        method="post",
        kwargs=_story(StoryStatus.SUBMITTED),
        permission="recognition.decide_story",
    ),
    Row(
        "recognition:story_return",
        DECIDE,
        method="post",
        kwargs=_story(StoryStatus.SUBMITTED),
        data=_reason,
        permission="recognition.decide_story",
    ),
    Row(
        "recognition:story_publish",
        DECIDE,
        method="post",
        kwargs=_story(StoryStatus.APPROVED),
        permission="recognition.decide_story",
    ),
    Row(
        "recognition:story_withdraw",
        DECIDE,
        method="post",
        kwargs=_story(StoryStatus.PUBLISHED),
        data=lambda w: {**_reason(w), "confirmed": "1"},
        permission="recognition.decide_story",
    ),
    Row("recognition_public:stories", EVERYONE, permission=None),
    Row(
        "recognition_public:story",
        EVERYONE,
        kwargs=_story(StoryStatus.PUBLISHED),
        permission=None,
    ),
    Row(
        "recognition_public:story",
        expect(404),
        kwargs=_story(StoryStatus.APPROVED),
        label="not published",
        permission=None,
    ),
    Row(
        "recognition_public:photo",
        expect(404),
        kwargs=_photo,
        label="not its photo",
        permission=None,
    ),
]
