"""Reads over consultations. The city (the drafting team) sees every one; a body's admins see
those sent to their body (or a body under it) once they are open; nobody else reaches one in
the back office. The public sees published ones, and open ones that take public comments."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from qnwmh.consultation.models import (
    Comment,
    Consultation,
    Disposition,
    Respondent,
    RespondentStatus,
    Section,
    Status,
)
from qnwmh.core.actor import Actor


def consultations_visible_to(actor: Actor) -> QuerySet[Consultation]:
    if actor.is_city_admin:
        return Consultation.objects.all()
    if actor.is_body_admin:
        asked = Respondent.objects.filter(organisation_id__in=actor.body_ids).values(
            "consultation_id"
        )
        return Consultation.objects.exclude(status=Status.DRAFT).filter(id__in=asked)
    return Consultation.objects.none()


def consultation_list(actor: Actor, *, status: str = "") -> QuerySet[Consultation]:
    qs = consultations_visible_to(actor)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id").annotate(
        respondent_count=Count("respondents", distinct=True),
        replied_count=Count(
            "respondents",
            filter=Q(
                respondents__status__in=[RespondentStatus.COMMENTED, RespondentStatus.NO_COMMENT]
            ),
            distinct=True,
        ),
    )


def consultation_detail(actor: Actor, code: str) -> Consultation:
    return get_object_or_404(consultations_visible_to(actor), code=code)


def sections_of(consultation: Consultation) -> list[Section]:
    return list(consultation.sections.order_by("position"))


def respondents_for(actor: Actor, consultation: Consultation) -> list[Respondent]:
    """The roster rows this actor answers for: those of the bodies it holds a grant on, not
    of the bodies under them (``consultation.reply``), so reading the draft marks opened only
    the rows it may answer."""
    return list(
        consultation.respondents.filter(organisation_id__in=actor.own_body_ids).select_related(
            "organisation"
        )
    )


def respondent_detail(actor: Actor, code: str, org_code: str) -> Respondent:
    """One roster row, for the actor answering it (404 for anyone else's)."""
    consultation = consultation_detail(actor, code)
    respondent = get_object_or_404(
        consultation.respondents.select_related("organisation").filter(
            organisation_id__in=actor.body_ids
        ),
        organisation__code=org_code,
    )
    respondent.consultation = consultation
    return respondent


def comments_of(consultation: Consultation) -> QuerySet[Comment]:
    return consultation.comments.select_related("section", "respondent__organisation")


def comment_detail(actor: Actor, code: str, comment_id: int) -> Comment:
    consultation = consultation_detail(actor, code)
    comment = get_object_or_404(comments_of(consultation), pk=comment_id)
    comment.consultation = consultation
    return comment


def own_comments(respondent: Respondent) -> QuerySet[Comment]:
    return respondent.comments.select_related("section").order_by("section__position", "id")


def own_comments_of(respondents: list[Respondent]) -> dict[int, list[Comment]]:
    """Each roster row's comments (by the row's id), in one query for all of them."""
    by_row: dict[int, list[Comment]] = {r.pk: [] for r in respondents}
    rows = (
        Comment.objects.filter(respondent__in=respondents)
        .select_related("section")
        .order_by("section__position", "id")
    )
    for comment in rows:
        by_row[comment.respondent_id].append(comment)  # type: ignore[index]
    return by_row


@dataclass
class SectionSummary:
    section: Section
    comments: list[Comment] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.comments)

    @property
    def late(self) -> int:
        return sum(c.late for c in self.comments)

    def disposed(self, value: str) -> int:
        return sum(c.disposition == value for c in self.comments)

    @property
    def adopted(self) -> int:
        return self.disposed(Disposition.ADOPTED)

    @property
    def partly(self) -> int:
        return self.disposed(Disposition.PARTLY)

    @property
    def not_adopted(self) -> int:
        return self.disposed(Disposition.NOT_ADOPTED)

    @property
    def pending(self) -> int:
        return self.disposed("")


@dataclass
class Summary:
    """Comments by section and the roster's statuses, read in three queries."""

    consultation: Consultation
    sections: list[SectionSummary]
    respondents: list[Respondent]
    status_counts: dict[str, int]

    @property
    def comment_count(self) -> int:
        return sum(s.count for s in self.sections)

    @property
    def public_count(self) -> int:
        return sum(c.is_public for s in self.sections for c in s.comments)


def summary(consultation: Consultation) -> Summary:
    by_section = {s.pk: SectionSummary(s) for s in sections_of(consultation)}
    for c in comments_of(consultation).order_by("section__position", "created_at", "id"):
        by_section[c.section_id].comments.append(c)
    respondents = list(consultation.respondents.select_related("organisation"))
    counts = Counter(r.status for r in respondents)
    return Summary(
        consultation=consultation,
        sections=list(by_section.values()),
        respondents=respondents,
        status_counts={value: counts.get(value, 0) for value, _label in RespondentStatus.choices},
    )


def public_consultations() -> QuerySet[Consultation]:
    return Consultation.objects.filter(
        Q(status=Status.PUBLISHED) | Q(status=Status.OPEN, allow_public=True)
    ).order_by("-published_at", "-opened_at", "-id")


def public_detail(code: str) -> Consultation:
    return get_object_or_404(public_consultations(), code=code)


def open_to_public(code: str) -> Consultation:
    return get_object_or_404(
        Consultation.objects.filter(status=Status.OPEN, allow_public=True), code=code
    )


def awaiting_reply(actor: Actor) -> QuerySet[Respondent]:
    """Roster rows of open consultations the actor's bodies have not answered yet (the rows
    it answers for: ``respondents_for``)."""
    return Respondent.objects.filter(
        organisation_id__in=actor.own_body_ids,
        consultation__status=Status.OPEN,
        status__in=[RespondentStatus.NOT_OPENED, RespondentStatus.OPENED],
    )
