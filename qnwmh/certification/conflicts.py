"""Conflicts of interest between reviewers and applications (回避).

Automatic conflicts are computed, never stored, from what the reviewer and the application
say about themselves; declared ones are ``ConflictDeclaration`` rows. A reviewer conflicts
with an application when:

- the reviewer belongs to the application's managing body or to a body above it;
- the reviewer's employer is the collective's work unit (compared after normalising; see
  ``same_unit``);
- the rules' ``conflict_same_town`` is on and the reviewer works in the application's town;
- the reviewer declared a conflict with the collective (not withdrawn).

Everything here reads a few queries for a whole pool × a whole area, then decides in Python.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from qnwmh.certification.models import Application, ConflictDeclaration, Reviewer


class ConflictReason(models.TextChoices):
    SAME_BODY = "same_body", _("同属组织管理机构")
    SAME_EMPLOYER = "same_employer", _("与集体同一单位")
    SAME_TOWN = "same_town", _("与集体同一镇区")
    DECLARED = "declared", _("本人申明回避")


# A shorter name inside a longer one counts as the same unit only from this length: "中山市"
# is inside most work units of the city, "中山市人民医院" is a unit.
MIN_UNIT_CHARS = 4


def unit_key(name: str) -> str:
    """A work unit's name for comparison: full-width folded (NFKC), case folded, without
    spaces or punctuation (“中山市 人民医院（本部）” and “中山市人民医院本部” compare equal)."""
    folded = unicodedata.normalize("NFKC", name or "").casefold()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] in "LN")


def same_unit(a: str, b: str) -> bool:
    """The same unit, or one unit inside the other (a department of a hospital and the
    hospital): a reviewer from either is not independent."""
    ka, kb = unit_key(a), unit_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    shorter, longer = sorted((ka, kb), key=len)
    return len(shorter) >= MIN_UNIT_CHARS and shorter in longer


@dataclass(frozen=True)
class ReviewerFacts:
    id: int
    body_path: str | None
    employer: str
    town_ids: frozenset[int]
    declared: frozenset[int]  # collective ids


@dataclass(frozen=True)
class ApplicationFacts:
    id: int
    collective_id: int
    body_path: str
    work_unit: str
    town_id: int


def reasons_between(rv: ReviewerFacts, app: ApplicationFacts, *, same_town: bool) -> list[str]:
    out = []
    if rv.body_path and app.body_path.startswith(rv.body_path):
        out.append(ConflictReason.SAME_BODY.value)
    if same_unit(rv.employer, app.work_unit):
        out.append(ConflictReason.SAME_EMPLOYER.value)
    if same_town and app.town_id in rv.town_ids:
        out.append(ConflictReason.SAME_TOWN.value)
    if app.collective_id in rv.declared:
        out.append(ConflictReason.DECLARED.value)
    return out


def reviewer_facts(reviewers: Iterable[Reviewer]) -> list[ReviewerFacts]:
    """Two queries for any number of reviewers (their bodies and their live declarations)."""
    rows = list(Reviewer.objects.filter(pk__in=[r.pk for r in reviewers]).select_related("body"))
    declared: dict[int, set[int]] = {r.pk: set() for r in rows}
    for rid, cid in ConflictDeclaration.objects.filter(
        reviewer__in=rows, withdrawn_at__isnull=True
    ).values_list("reviewer_id", "collective_id"):
        declared[rid].add(cid)
    return [
        ReviewerFacts(
            id=r.pk,
            body_path=r.body.path if r.body else None,
            employer=r.employer,
            town_ids=frozenset(t for t in (r.town_id, r.body.town_id if r.body else None) if t),
            declared=frozenset(declared[r.pk]),
        )
        for r in rows
    ]


def application_facts(applications: Iterable[Application]) -> list[ApplicationFacts]:
    """One query for any number of applications."""
    ids = [a.pk for a in applications]
    return [
        ApplicationFacts(
            id=row["id"],
            collective_id=row["collective_id"],
            body_path=row["body__path"],
            work_unit=row["collective__work_unit"],
            town_id=row["town_id"],
        )
        for row in Application.objects.filter(pk__in=ids).values(
            "id", "collective_id", "body__path", "collective__work_unit", "town_id"
        )
    ]


def _same_town_rule(applications: Iterable[Application]) -> bool:
    for app in applications:
        return bool(app.round.cycle.rule("conflict_same_town"))
    return False


def conflict_map(
    reviewers: Iterable[Reviewer], applications: Iterable[Application]
) -> dict[tuple[int, int], list[str]]:
    """{(reviewer id, application id): reasons} for every conflicted pair (applications of
    one round)."""
    apps = list(applications)
    same_town = _same_town_rule(apps)
    rfacts, afacts = reviewer_facts(reviewers), application_facts(apps)
    out = {}
    for rv in rfacts:
        for app in afacts:
            reasons = reasons_between(rv, app, same_town=same_town)
            if reasons:
                out[(rv.id, app.id)] = reasons
    return out


def conflicts_between(reviewer: Reviewer, application: Application) -> list[str]:
    """Why this reviewer may not review this application (empty: no conflict)."""
    return conflict_map([reviewer], [application]).get((reviewer.pk, application.pk), [])


def reason_labels(reasons: Iterable[str]) -> list[str]:
    return [str(ConflictReason(r).label) for r in reasons]
