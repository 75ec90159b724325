"""Spot checks (抽检) and the visits (明察暗访) they lead to.

``draw_year`` draws a year's sample once: the population is every active city title not
exempt from the city's re-review (an exempt title answers to the provincial or national
level that holds it); the random part follows ``oversight.draw`` with a stored seed, and the
active city titles of collectives with a complaint upheld that year are added on top. One
visit per sampled title is created, awaiting its plan. Nobody is told at the draw: a visit may
still be made covert when it is planned.

A visit is planned (date, covert or announced), recorded (date, inspectors, a checklist, a
summary, the result, photos) — revisable until closed — and closed. Covert visits stay out of
the collective managers' sight (lists, pages and notices) until closed.
"""

from __future__ import annotations

import datetime
import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qnwmh.audit.services import log_action, snapshot
from qnwmh.awards.selectors.nomination import exempt_from_city_review
from qnwmh.collectives.models import HIGHER_LEVELS, Level, Title, TitleStatus
from qnwmh.core.actor import Actor
from qnwmh.core.errors import DomainError
from qnwmh.core.locking import lock
from qnwmh.core.permissions import require
from qnwmh.core.validation import check_text
from qnwmh.evidence.services import store_uploads
from qnwmh.oversight import draw as sampling
from qnwmh.oversight.models import (
    VISIT_TRANSITIONS,
    SpotCheck,
    Visit,
    VisitReason,
    VisitResult,
    VisitStatus,
)
from qnwmh.programme.models import ProgrammeRules
from qnwmh.supervision.models import Complaint

VISIT_PURPOSE = "oversight.visit"
MAX_FILES = 9
SEED_PATTERN = re.compile(r"^[0-9A-Za-z_-]{1,64}$")

# What an inspector checks on a visit (the findings store one row per item).
CHECKLIST: list[tuple[str, Any]] = [
    ("sign", gettext_lazy("青年文明号牌匾、标识规范悬挂")),
    ("pledges", gettext_lazy("服务承诺、监督电话公开")),
    ("service", gettext_lazy("服务态度与窗口形象")),
    ("records", gettext_lazy("创建台账、日志与实际相符")),
    ("activities", gettext_lazy("创建活动开展情况")),
]
CHECKLIST_KEYS = [key for key, _label in CHECKLIST]


# The population -----------------------------------------------------------------------------


def population(year: int) -> tuple[list[sampling.Unit], list[int], dict[int, str]]:
    """(the units drawn from, the titles that must be checked, the exempt titles with their
    reason) — three queries plus the exemption's two, whatever the size."""
    rows = list(
        Title.objects.filter(level=Level.CITY, status=TitleStatus.ACTIVE).values_list(
            "id",
            "collective__town_id",
            "collective__sector_id",
            "collective__ownership",
            "collective_id",
        )
    )
    # Only a collective that also holds a higher title can be exempt: ask about those alone
    # rather than send every id of a 100,000-title city to the exemption's query.
    higher = set(
        Title.objects.filter(level__in=HIGHER_LEVELS, status=TitleStatus.ACTIVE).values_list(
            "collective_id", flat=True
        )
    )
    exempt = exempt_from_city_review([r[0] for r in rows if r[4] in higher])
    units = [sampling.Unit(*r[:4]) for r in rows if r[0] not in exempt]
    upheld = sorted(
        Title.objects.filter(
            level=Level.CITY,
            status=TitleStatus.ACTIVE,
            collective__in=Complaint.objects.filter(upheld=True, received_at__year=year).values(
                "collective_id"
            ),
        ).values_list("id", flat=True)
    )
    return units, upheld, exempt


# The draw -----------------------------------------------------------------------------------


def _check_seed(seed: str) -> str:
    seed = (seed or "").strip()
    if not SEED_PATTERN.match(seed):
        raise DomainError(_("随机种子须为 1–64 位字母、数字、下划线或连字符。"), field="seed")
    return seed


def _check_pct(pct: int) -> int:
    if not 1 <= pct <= 100:
        raise DomainError(_("抽检比例须在 1% 到 100% 之间。"), field="pct")
    return pct


@transaction.atomic
def draw_year(
    actor: Actor,
    *,
    year: int,
    pct: int | None = None,
    seed: str | None = None,
    note: str = "",
) -> SpotCheck:
    """Draw ``year``'s spot check. One per year: a second draw would let the sample be chosen
    by redrawing until it suits, which the published seed is there to rule out."""
    require(actor, "oversight.manage")
    rules = lock(ProgrammeRules, ProgrammeRules.current().pk)  # one draw at a time
    if SpotCheck.objects.filter(year=year).exists():
        raise DomainError(_("%(year)s 年度已经抽检过，每年只抽一次。") % {"year": year})
    this_year = timezone.localdate().year
    if not this_year - 1 <= year <= this_year:
        raise DomainError(_("只能为今年或上一年度抽检。"), field="year")
    pct = _check_pct(rules.spot_check_pct if pct is None else pct)
    seed = _check_seed(secrets.token_hex(8) if seed is None else seed)
    check_text(note, field="note")
    units, upheld, _exempt = population(year)
    if not units and not upheld:
        raise DomainError(_("没有可抽检的有效市级称号。"))
    drawn = sampling.draw(units, pct, seed)
    extra = sampling.with_required(drawn, upheld)
    check = SpotCheck.objects.create(
        year=year,
        pct=pct,
        seed=seed,
        population=sampling.as_rows(units),
        drawn=drawn,
        upheld=extra,
        note=note.strip(),
        drawn_by=actor.clerk,
    )
    _create_visits(check, drawn, extra)
    log_action(
        actor,
        check,
        "oversight.spot_check.drawn",
        after={"year": year, "pct": pct, "seed": seed},
        data={"population": len(units), "drawn": len(drawn), "upheld": len(extra)},
    )
    return check


def _create_visits(check: SpotCheck, drawn: Sequence[int], upheld: Sequence[int]) -> None:
    collective_of = dict(
        Title.objects.filter(id__in=[*drawn, *upheld]).values_list("id", "collective_id")
    )
    reasons = [(i, VisitReason.RANDOM) for i in drawn] + [
        (i, VisitReason.UPHELD_COMPLAINT) for i in upheld
    ]
    Visit.objects.bulk_create(
        (
            Visit(
                spot_check=check,
                title_id=title_id,
                collective_id=collective_of[title_id],
                reason=reason,
            )
            for title_id, reason in reasons
        ),
        batch_size=2000,
    )


def redraw(spot_check: SpotCheck, seed: str) -> list[int]:
    """The random sample the stored population gives with ``seed`` (the public check)."""
    seed = _check_seed(seed)
    return sampling.draw(sampling.units_from(spot_check.population), spot_check.pct, seed)


# Visits -------------------------------------------------------------------------------------


@transaction.atomic
def adhoc(
    actor: Actor,
    *,
    title: Title,
    planned_on: datetime.date | None = None,
    covert: bool = False,
    note: str = "",
) -> Visit:
    """A visit to ``title`` outside a draw (a lead from elsewhere), planned at once."""
    require(actor, "oversight.inspect", title.collective)
    title = lock(Title, title.pk)
    if title.status != TitleStatus.ACTIVE:
        raise DomainError(_("只能走访有效的称号。"), field="title")
    check_text(note, field="note")
    visit = Visit.objects.create(
        title=title,
        collective=title.collective,
        reason=VisitReason.OTHER,
        covert=covert,
        planned_on=_planned_date(planned_on),
    )
    log_action(
        actor,
        visit,
        "oversight.visit.created",
        after=snapshot(visit),
        data={"note": note.strip()} if note.strip() else None,
    )
    if not covert:
        transaction.on_commit(lambda: _tell(visit, "oversight.visit.planned"))
    return visit


def _planned_date(planned_on: datetime.date | None) -> datetime.date | None:
    if planned_on is not None and planned_on < timezone.localdate():
        raise DomainError(_("计划日期不能早于今天。"), field="planned_on")
    return planned_on


@transaction.atomic
def plan(actor: Actor, visit: Visit, *, planned_on: datetime.date, covert: bool) -> Visit:
    """Set (or change) the date of a visit not yet made, and whether it is covert. The
    managers of an announced visit are told its date."""
    require(actor, "oversight.inspect", visit.collective)
    visit = lock(Visit, visit.pk)
    if visit.status != VisitStatus.PLANNED:
        raise DomainError(_("走访已经记录，不能再修改计划。"))
    before = snapshot(visit)
    visit.planned_on = _planned_date(planned_on)
    visit.covert = covert
    visit.save(update_fields=["planned_on", "covert"])
    log_action(actor, visit, "oversight.visit.planned", before=before, after=snapshot(visit))
    if not covert:
        transaction.on_commit(lambda: _tell(visit, "oversight.visit.planned"))
    return visit


def _findings(findings: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The checklist as stored: every item once, ``ok`` true or false, a note up to 500."""
    given = {str(f.get("item")): f for f in findings}
    unknown = set(given) - set(CHECKLIST_KEYS)
    if unknown:
        raise DomainError(_("检查项目无效。"), field="findings")
    out = []
    for key, label in CHECKLIST:
        row = given.get(key)
        if row is None:
            raise DomainError(
                _("请对每个检查项目作出判断：%(item)s") % {"item": label}, field="findings"
            )
        note = str(row.get("note") or "").strip()[:500]
        check_text(note, field="findings")
        out.append({"item": key, "ok": bool(row.get("ok")), "note": note})
    return out


@transaction.atomic
def record(
    actor: Actor,
    visit: Visit,
    *,
    visited_on: datetime.date,
    inspectors: str,
    findings: Iterable[Mapping[str, Any]],
    summary: str,
    result: str,
    evidence: Sequence[Any] = (),
) -> Visit:
    """Record what the visit found; a recorded visit may be corrected until it is closed (new
    photos are added to the ones kept)."""
    require(actor, "oversight.inspect", visit.collective)
    visit = lock(Visit, visit.pk)
    VISIT_TRANSITIONS.check(visit, VisitStatus.RECORDED)
    if result not in VisitResult.values:
        raise DomainError(_("请选择检查结论。"), field="result")
    if visited_on > timezone.localdate():
        raise DomainError(_("走访日期不能晚于今天。"), field="visited_on")
    inspectors = (inspectors or "").strip()
    if not inspectors:
        raise DomainError(_("请填写检查人员。"), field="inspectors")
    check_text(inspectors, field="inspectors")
    summary = (summary or "").strip()
    if result == VisitResult.FAILED and not summary:
        raise DomainError(_("检查不合格时须写明发现的问题。"), field="summary")
    check_text(summary, field="summary")
    rows = _findings(findings)
    before = snapshot(visit)
    VISIT_TRANSITIONS.move(visit, VisitStatus.RECORDED)
    visit.visited_on, visit.inspectors, visit.findings = visited_on, inspectors[:300], rows
    visit.summary, visit.result = summary, result
    visit.recorded_by, visit.recorded_at = actor.clerk, timezone.now()
    visit.save()
    stored = _store_files(actor, visit, evidence)
    log_action(
        actor,
        visit,
        "oversight.visit.recorded",
        before=before,
        after=snapshot(visit),
        data={"files": len(stored)},
    )
    return visit


def _store_files(actor: Actor, visit: Visit, uploads: Sequence[Any]) -> list[Any]:
    """The visit's photos, counted with those it already has."""
    if len(uploads) + visit.evidence.count() > MAX_FILES:
        raise DomainError(_("最多上传 %(n)s 个文件。") % {"n": MAX_FILES}, field="evidence")
    stored = store_uploads(
        actor, uploads, collective=visit.collective, purpose=VISIT_PURPOSE, field="evidence"
    )
    if stored:
        visit.evidence.add(*stored)
    return stored


@transaction.atomic
def close(actor: Actor, visit: Visit) -> Visit:
    """Close a recorded visit: its record is final, and the collective's managers are told
    its result (a covert visit becomes visible to them now)."""
    require(actor, "oversight.inspect", visit.collective)
    visit = lock(Visit, visit.pk)
    before = snapshot(visit)
    VISIT_TRANSITIONS.move(visit, VisitStatus.CLOSED)
    visit.closed_by, visit.closed_at = actor.clerk, timezone.now()
    visit.save(update_fields=["status", "closed_by", "closed_at"])
    log_action(actor, visit, "oversight.visit.closed", before=before, after=snapshot(visit))
    transaction.on_commit(lambda: _tell(visit, "oversight.visit.closed"))
    return visit


def _tell(visit: Visit, code: str) -> None:
    from django.urls import reverse

    from qnwmh.notices.services import body_admins, collective_managers, notify

    c = visit.collective
    params: dict[str, Any] = {
        "c": c.name,
        "date": visit.planned_on.isoformat() if visit.planned_on else "",
        "result": VisitResult(visit.result).label if visit.result else "",
    }
    recipients = list(collective_managers(c.id))
    if code == "oversight.visit.closed":
        recipients += body_admins(c.body_id)
    notify(
        recipients,
        code=code,
        params=params,
        link=reverse("oversight:visit", args=[visit.code]),
    )
