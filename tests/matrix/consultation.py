"""Page matrix rows of consultations: a draft, an open consultation sent to the world's two
bodies (taking public comments) with one comment by the body, and a published one, built on
first use. The city runs them; each body reads those sent to it and answers for itself only;
managers and reviewers reach none; the public pages answer everyone."""

from __future__ import annotations

from typing import Any

from tests.matrix import LOGIN, Row, expect


def _setup(w: Any) -> Any:
    if not hasattr(w, "_pg_cons"):
        from qnwmh.consultation import services
        from tests import factories as f
        from tests import factories_consultation as fc

        city = f.actor(w.users["city_admin"])
        w._pg_cons_draft = fc.draft(w)
        w._pg_cons = fc.opened(w, allow_public=True)
        respondent = w._pg_cons.respondents.get(organisation=w.body)
        [w._pg_cons_comment] = services.reply(
            f.actor(w.users["body_admin"]),
            respondent=respondent,
            comments={w._pg_cons.sections.first().pk: "建议补充"},
        )
        published = fc.opened(w)
        services.close(city, consultation=published)
        services.publish(city, consultation=published, final_text="定稿")
        w._pg_cons_published = published
    return w


def C(w: Any) -> dict[str, Any]:
    return {"code": _setup(w)._pg_cons.code}


def D(w: Any) -> dict[str, Any]:
    return {"code": _setup(w)._pg_cons_draft.code}


def P(w: Any) -> dict[str, Any]:
    return {"code": _setup(w)._pg_cons_published.code}


def MINE(w: Any) -> dict[str, Any]:
    return {**C(w), "org_code": w.body.code}


def COMMENT(w: Any) -> dict[str, Any]:
    return {**C(w), "comment_id": w._pg_cons_comment.pk}


def _reply(w: Any) -> dict[str, Any]:
    return {f"s{_setup(w)._pg_cons.sections.last().pk}": "再补充一条", "rest_no_comment": "on"}


def _new(w: Any) -> dict[str, Any]:
    return {
        "title": "新的征求意见",
        "deadline": "2099-01-01T12:00",
        "text": "一、总则\n正文\n二、附则\n正文",
    }


def _public_comment(w: Any) -> dict[str, Any]:
    return {"section": _setup(w)._pg_cons.sections.first().pk, "text": "公众意见"}


V, M, S = "consultation.view", "consultation.manage", "consultation.summary"
READ = expect(200, anonymous=LOGIN, manager=403, reviewer=403)
CITY_PAGE = expect(403, anonymous=LOGIN, city_admin=200)
CITY_POST = expect(403, anonymous=LOGIN, city_admin=302)
SEE = expect(200, anonymous=LOGIN, manager=404, reviewer=404)
CITY_ON_IT = expect(403, anonymous=LOGIN, city_admin=200, manager=404, reviewer=404)
CITY_ACTS = expect(403, anonymous=LOGIN, city_admin=302, manager=404, reviewer=404)
# A draft is the city's alone: the bodies do not see it before it is sent.
CITY_DRAFT = expect(404, anonymous=LOGIN, city_admin=302)
# Only the body's own admins reach its roster row.
OWN_ROW = expect(404, anonymous=LOGIN, body_admin=200)
OWN_ROW_POST = expect(404, anonymous=LOGIN, body_admin=302)
OK = {"confirmed": "1"}

ROWS = [
    Row("consultation:list", READ, permission=V),
    Row("consultation:list", READ, query="?status=open&page=2", label="filtered", permission=V),
    Row("consultation:create", CITY_PAGE, permission=M),
    Row("consultation:create", CITY_POST, method="post", data=_new, permission=M),
    Row("consultation:detail", SEE, kwargs=C, permission=V),
    Row(
        "consultation:detail",
        expect(404, anonymous=LOGIN, city_admin=200),
        kwargs=D,
        label="draft",
        permission=V,
    ),
    Row("consultation:open", expect(404, anonymous=LOGIN, city_admin=200), kwargs=D, permission=M),
    Row(
        "consultation:open",
        CITY_DRAFT,
        kwargs=D,
        method="post",
        data=lambda w: {"bodies": [w.body.pk, w.other_body.pk]},
        permission=M,
    ),
    Row("consultation:edit", CITY_ON_IT, kwargs=C, permission=M),
    Row(
        "consultation:edit",
        CITY_ACTS,
        kwargs=C,
        method="post",
        data=lambda w: {"title": "改名", "deadline": "2099-02-01T12:00"},
        permission=M,
    ),
    Row("consultation:close", CITY_ACTS, kwargs=C, method="post", data=lambda w: OK, permission=M),
    Row("consultation:remind", CITY_ACTS, kwargs=C, method="post", permission=M),
    Row("consultation:publish", CITY_ON_IT, kwargs=C, permission=M),
    Row(
        "consultation:publish",
        CITY_ON_IT,
        kwargs=C,
        method="post",
        data=lambda w: {"final_text": "定稿"},
        label="still open: form error",
        permission=M,
    ),
    Row("consultation:summary", CITY_ON_IT, kwargs=C, permission=S),
    Row("consultation:summary_xlsx", CITY_ON_IT, kwargs=C, permission=S),
    Row("consultation:summary_pdf", CITY_ON_IT, kwargs=C, permission=S),
    Row(
        "consultation:dispose",
        CITY_ACTS,
        kwargs=COMMENT,
        method="post",
        data=lambda w: {"disposition": "adopted", "reason": "采纳"},
        permission="consultation.dispose",
    ),
    Row("consultation:reply", OWN_ROW, kwargs=MINE, permission="consultation.reply"),
    Row(
        "consultation:reply",
        OWN_ROW_POST,
        kwargs=MINE,
        method="post",
        data=_reply,
        permission="consultation.reply",
    ),
    Row(
        "consultation:no_comment",
        OWN_ROW_POST,
        kwargs=MINE,
        method="post",
        permission="consultation.reply",
    ),
    Row("consultation_public:list", expect(200), permission=None),
    Row("consultation_public:detail", expect(200), kwargs=P, permission=None),
    Row("consultation_public:detail", expect(200), kwargs=C, label="open", permission=None),
    Row(
        "consultation_public:detail",
        expect(404),
        kwargs=D,
        label="draft",
        permission=None,
    ),
    Row(
        "consultation_public:comment",
        expect(302),
        kwargs=C,
        method="post",
        data=_public_comment,
        permission=None,
    ),
]
