"""REST endpoints of consultation (``/api/v1/consultation/...``), calling the same selectors and
services as the pages: the list, one consultation with its sections (read by a body's admin,
it marks their body's row opened), a body's reply (comments by section position, or 无意见),
the summary, and a comment's disposition. A broken rule answers 400 with its Chinese message,
a refusal 403, anything outside the caller's scope 404."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from qnwmh.consultation import services
from qnwmh.consultation.models import Comment, Consultation, Respondent, RespondentStatus
from qnwmh.consultation.selectors import (
    comment_detail,
    consultation_detail,
    consultation_list,
    own_comments_of,
    respondent_detail,
    respondents_for,
    sections_of,
    summary,
)
from qnwmh.core.apischema import CodeStr, IdInt, Line, Text, api_actor, errors
from qnwmh.core.errors import DomainError
from qnwmh.core.permissions import require
from qnwmh.orgs.models import Organisation

router = Router(tags=["consultation"])

C = "/consultations/{code}"

if TYPE_CHECKING:
    DispositionStr = str
    ConsultationStatusStr = str
else:
    DispositionStr = Literal["adopted", "partly", "not_adopted"]
    ConsultationStatusStr = Literal["", "draft", "open", "closed", "published"]


class ConsultationSummaryOut(Schema):
    code: CodeStr
    title: str
    status: str
    deadline: datetime.datetime
    respondents: int
    replied: int


class ConsultationSectionOut(Schema):
    position: int
    level: int
    number: str
    heading: str
    body: str


class ConsultationCommentOut(Schema):
    id: int
    section: int
    body: str
    text: str
    late: bool
    created_at: datetime.datetime
    disposition: str
    reason: str


class ConsultationRespondentOut(Schema):
    body_code: CodeStr
    body: str
    status: str
    opened_at: datetime.datetime | None
    replied_at: datetime.datetime | None
    comments: list[ConsultationCommentOut]


class ConsultationOut(Schema):
    code: CodeStr
    title: str
    note: str
    status: str
    deadline: datetime.datetime
    allow_public: bool
    sections: list[ConsultationSectionOut]
    # The roster rows the caller answers for (a body's admins: their bodies').
    mine: list[ConsultationRespondentOut]


class ConsultationSectionCountOut(Schema):
    position: int
    comments: int
    late: int
    adopted: int
    partly: int
    not_adopted: int
    pending: int


class ConsultationReportOut(Schema):
    code: CodeStr
    statuses: dict[str, int]
    comments: int
    sections: list[ConsultationSectionCountOut]
    roster: list[ConsultationRespondentOut]


class ConsultationCommentIn(Schema):
    section: int = Field(ge=1, le=1000, description="the section's position")
    text: Text = Field(min_length=1, max_length=5000)


class ConsultationReplyIn(Schema):
    comments: list[ConsultationCommentIn] = Field(default_factory=list, max_length=300)
    # The sections without a comment have 无意见; with no comment at all this is the
    # explicit 无意见 reply on the whole draft.
    rest_no_comment: bool = False


class ConsultationIn(Schema):
    title: Line = Field(min_length=1, max_length=200)
    # The draft's full text, split on its own headings ("一、", "（一）").
    text: Text = Field(min_length=1, max_length=200_000)
    deadline: datetime.datetime
    note: Text = Field(default="", max_length=5000)
    allow_public: bool = False


class ConsultationOpenIn(Schema):
    # The roster's body codes; empty: every active managing body.
    bodies: list[CodeStr] = Field(default_factory=list, max_length=1000)


class ConsultationPublishIn(Schema):
    final_text: Text = Field(min_length=1, max_length=200_000)


class ConsultationRemindedOut(Schema):
    reminded: int


class ConsultationDisposeIn(Schema):
    disposition: DispositionStr
    reason: Text = Field(default="", max_length=5000)


def _comment_out(cm: Comment) -> dict[str, Any]:
    return {
        "id": cm.pk,
        "section": cm.section.position,
        "body": cm.respondent.organisation.name if cm.respondent_id else "",  # type: ignore[union-attr]
        "text": cm.text,
        "late": cm.late,
        "created_at": cm.created_at,
        "disposition": cm.disposition,
        "reason": cm.reason,
    }


def _respondent_out(r: Respondent, comments: list[Comment]) -> dict[str, Any]:
    for cm in comments:
        cm.respondent = r
    return {
        "body_code": r.organisation.code,
        "body": r.organisation.name,
        "status": r.status,
        "opened_at": r.opened_at,
        "replied_at": r.replied_at,
        "comments": [_comment_out(cm) for cm in comments],
    }


def _consultation_out(request: HttpRequest, c: Consultation) -> dict[str, Any]:
    actor = api_actor(request)
    # The rows of the bodies the actor answers for (not those of the bodies below them).
    mine = respondents_for(actor, c) if actor.is_body_admin else []
    comments = own_comments_of(mine)
    return {
        "code": c.code,
        "title": c.title,
        "note": c.note,
        "status": c.status,
        "deadline": c.deadline,
        "allow_public": c.allow_public,
        "sections": [
            {
                "position": s.position,
                "level": s.level,
                "number": s.number,
                "heading": s.heading,
                "body": s.body,
            }
            for s in sections_of(c)
        ],
        "mine": [_respondent_out(r, comments[r.pk]) for r in mine],
    }


@router.get("/consultations", response={200: list[ConsultationSummaryOut], **errors(403)})
def list_consultations(
    request: HttpRequest, status: ConsultationStatusStr = ""
) -> list[dict[str, Any]]:
    actor = api_actor(request)
    require(actor, "consultation.view")
    return [
        {
            "code": c.code,
            "title": c.title,
            "status": c.status,
            "deadline": c.deadline,
            "respondents": c.respondent_count,  # type: ignore[attr-defined]
            "replied": c.replied_count,  # type: ignore[attr-defined]
        }
        for c in consultation_list(actor, status=status)[:200]
    ]


@router.get(C, response={200: ConsultationOut, **errors(403, 404)})
def get_consultation(request: HttpRequest, code: CodeStr) -> dict[str, Any]:
    actor = api_actor(request)
    c = consultation_detail(actor, code)
    require(actor, "consultation.view")
    if actor.is_body_admin and c.status == "open":
        # Only the rows the actor answers for (not those of the bodies below it).
        for r in respondents_for(actor, c):
            if r.status == RespondentStatus.NOT_OPENED:  # no savepoint per opened row
                services.mark_opened(actor, respondent=r)
    return _consultation_out(request, c)


@router.post(C + "/replies/{body_code}", response={200: ConsultationOut, **errors(400, 403, 404)})
def reply(
    request: HttpRequest, code: CodeStr, body_code: CodeStr, payload: ConsultationReplyIn
) -> dict[str, Any]:
    actor = api_actor(request)
    r = respondent_detail(actor, code, body_code)
    by_position = {s.position: s.pk for s in sections_of(r.consultation)}
    missing = [cm.section for cm in payload.comments if cm.section not in by_position]
    if missing:
        raise DomainError(_no_section(missing[0]))
    comments: dict[int, str] = {}
    for cm in payload.comments:
        sid = by_position[cm.section]
        comments[sid] = "\n".join(t for t in (comments.get(sid, ""), cm.text) if t)
    services.reply(actor, respondent=r, comments=comments, rest_no_comment=payload.rest_no_comment)
    return _consultation_out(request, r.consultation)


def _no_section(position: int) -> str:
    from django.utils.translation import gettext as _

    return _("草案没有第 %(n)s 节。") % {"n": position}


@router.get(C + "/summary", response={200: ConsultationReportOut, **errors(403, 404)})
def get_summary(request: HttpRequest, code: CodeStr) -> dict[str, Any]:
    actor = api_actor(request)
    c = consultation_detail(actor, code)
    require(actor, "consultation.summary", c)
    s = summary(c)
    own: dict[int, list[Comment]] = {}
    for x in s.sections:
        for cm in x.comments:
            if cm.respondent_id:
                own.setdefault(cm.respondent_id, []).append(cm)
    return {
        "code": c.code,
        "statuses": s.status_counts,
        "comments": s.comment_count,
        "sections": [
            {
                "position": x.section.position,
                "comments": x.count,
                "late": x.late,
                "adopted": x.adopted,
                "partly": x.partly,
                "not_adopted": x.not_adopted,
                "pending": x.pending,
            }
            for x in s.sections
        ],
        "roster": [_respondent_out(r, own.get(r.pk, [])) for r in s.respondents],
    }


@router.post(
    C + "/comments/{comment_id}/disposition",
    response={200: ConsultationCommentOut, **errors(400, 403, 404)},
)
def dispose(
    request: HttpRequest, code: CodeStr, comment_id: IdInt, payload: ConsultationDisposeIn
) -> dict[str, Any]:
    actor = api_actor(request)
    comment = comment_detail(actor, code, comment_id)
    services.dispose(actor, comment=comment, disposition=payload.disposition, reason=payload.reason)
    return _comment_out(comment)


@router.post("/consultations", response={201: ConsultationOut, **errors(400, 403)})
def create_consultation(request: HttpRequest, payload: ConsultationIn) -> Status:
    actor = api_actor(request)
    require(actor, "consultation.manage")
    c = services.create(actor, **payload.dict())
    return Status(201, _consultation_out(request, c))


@router.post(C + "/open", response={200: ConsultationOut, **errors(400, 403, 404)})
def open_consultation(
    request: HttpRequest, code: CodeStr, payload: ConsultationOpenIn
) -> dict[str, Any]:
    actor = api_actor(request)
    c = consultation_detail(actor, code)
    bodies = None
    if payload.bodies:
        bodies = list(Organisation.objects.bodies().filter(active=True, code__in=payload.bodies))
        if len(bodies) != len(set(payload.bodies)):
            raise DomainError(_unknown_body())
    services.open_consultation(actor, consultation=c, bodies=bodies)
    return _consultation_out(request, consultation_detail(actor, code))


def _unknown_body() -> str:
    from django.utils.translation import gettext as _

    return _("征求对象中有不存在或已停用的组织管理机构。")


@router.post(C + "/remind", response={200: ConsultationRemindedOut, **errors(400, 403, 404)})
def remind(request: HttpRequest, code: CodeStr) -> dict[str, int]:
    actor = api_actor(request)
    return {"reminded": services.remind(actor, consultation=consultation_detail(actor, code))}


@router.post(C + "/close", response={200: ConsultationOut, **errors(400, 403, 404)})
def close_consultation(request: HttpRequest, code: CodeStr) -> dict[str, Any]:
    actor = api_actor(request)
    c = services.close(actor, consultation=consultation_detail(actor, code))
    return _consultation_out(request, c)


@router.post(C + "/publish", response={200: ConsultationOut, **errors(400, 403, 404)})
def publish_consultation(
    request: HttpRequest, code: CodeStr, payload: ConsultationPublishIn
) -> dict[str, Any]:
    actor = api_actor(request)
    c = services.publish(
        actor, consultation=consultation_detail(actor, code), final_text=payload.final_text
    )
    return _consultation_out(request, c)
