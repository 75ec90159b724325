"""The dossier (推报材料包) of one nomination, as a zip for the province:

- ``创建计划.pdf`` — the registration's plan fields and the latest creation plan of the cycle
  that earned the city title;
- ``创建台帐.pdf`` — the creation ledger of that cycle (``creation.ledger.dossier_pdf``);
- ``佐证材料清单.xlsx`` — the evidence index: file names, kinds, dates, sizes and hashes;
- ``评审得分.xlsx`` — the cycle's application scores, test result and shortlist place, if any;
- ``证书.pdf`` — the title's current certificate, if one was issued;
- ``说明.txt`` — what the package holds and what it lacks (a title from before the platform
  has no cycle, ledger or scores here).

A dossier whose ledger is longer than ``PDF_INLINE_ITEMS`` entries is built by the worker, as
the creation ledger's own dossier is (``qnwmh.core.background``).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qnwmh.audit.services import log_action
from qnwmh.awards.documents.certificates import certificate_pdf
from qnwmh.awards.models import Certificate, Nomination, ShortlistEntry
from qnwmh.certification.models import Application, ApplicationStatus
from qnwmh.collectives.models import Title
from qnwmh.core.actor import Actor
from qnwmh.core.background import inline_or_background
from qnwmh.core.labels import choice_label
from qnwmh.core.pdf import html_to_pdf
from qnwmh.core.xlsx import spooled_workbook
from qnwmh.creation.ledger import build_ledger, dossier_pdf
from qnwmh.creation.models import CreationPlan, LogEntry
from qnwmh.cycles.models import Cycle, Registration
from qnwmh.knowledge.selectors import results_for


def title_cycle(title: Title) -> Cycle | None:
    """The cycle that earned a city title (same 届次), if it ran on the platform."""
    return Cycle.objects.filter(session_no=title.session_no).first()


def dossier_response(actor: Actor, nomination: Nomination, *, base_url: str) -> HttpResponseBase:
    cycle = title_cycle(nomination.title)
    size = (
        LogEntry.objects.filter(collective_id=nomination.collective_id, cycle=cycle).count()
        if cycle
        else 0
    )
    return inline_or_background(
        actor,
        size=size,
        limit=settings.PDF_INLINE_ITEMS,
        label=_("推报材料 %(name)s") % {"name": nomination.collective.name},
        run=dossier_file,
        nomination=nomination,
        base_url=base_url,
    )


def dossier_file(actor: Actor, nomination: Nomination, base_url: str) -> HttpResponse:
    built = build_dossier(nomination, base_url=base_url)
    log_action(actor, nomination, "awards.nomination.dossier_exported", data={"files": built.names})
    response = HttpResponse(built.data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="nomination-{nomination.code}.zip"'
    response["Cache-Control"] = "no-store, private"
    return response


@dataclass
class Built:
    data: bytes
    names: list[str] = field(default_factory=list)


def build_dossier(nomination: Nomination, *, base_url: str) -> Built:
    """In Chinese whoever asks: it is the package the province reads."""
    with translation.override("zh-hans"):
        return _build(nomination, base_url=base_url)


def _build(nomination: Nomination, *, base_url: str) -> Built:
    n = nomination
    collective = n.collective
    cycle = title_cycle(n.title)
    files: dict[str, bytes] = {}
    missing: list[str] = []
    if cycle is None:
        missing.append(_("该称号所属届次不在平台上，无创建计划、台帐和评审得分。"))
    else:
        registration = Registration.objects.filter(cycle=cycle, collective=collective).first()
        plan_row = CreationPlan.objects.filter(collective=collective, cycle=cycle).first()
        plan = plan_row.versions.order_by("-number").first() if plan_row else None
        if registration or plan:
            files["创建计划.pdf"] = _plan_pdf(n, cycle, registration, plan)
        else:
            missing.append(_("无报备和创建计划。"))
        files["创建台帐.pdf"] = dossier_pdf(build_ledger(collective, cycle))
        files["佐证材料清单.xlsx"] = _xlsx(
            _("佐证材料清单"), _evidence_header(), _evidence_rows(collective.pk, cycle)
        )
        scores = _score_rows(collective.pk, cycle)
        if scores:
            files["评审得分.xlsx"] = _xlsx(_("评审得分"), _score_header(), scores)
        else:
            missing.append(_("该届次无评选认定申报得分。"))
    certificate = Certificate.objects.filter(title=n.title, superseded_at__isnull=True).first()
    if certificate is not None:
        files["证书.pdf"] = certificate_pdf(certificate, base_url=base_url)
    else:
        missing.append(_("该称号尚无证书。"))
    files = {"说明.txt": _readme(n, list(files), missing).encode(), **files}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return Built(out.getvalue(), list(files))


def _readme(n: Nomination, names: list[str], missing: list[str]) -> str:
    t = n.title
    session = _("第 %(n)s 届") % {"n": t.session_no}
    rows = [
        (_("推报批次"), n.round.name),
        (_("集体"), f"{n.collective.name}（{n.collective.body.name}）"),
        (_("市级称号"), f"{session}，{t.stars}★，{t.awarded_on:%Y-%m-%d}"),
        (_("推报排序"), str(n.position)),
        (_("推荐意见"), n.recommendation),
    ]
    lines = [f"{label}：{value}" for label, value in rows]
    lines += ["", _("材料") + "：", *[f"- {name}" for name in names]]
    if missing:
        lines += ["", _("说明") + "：", *[f"- {m}" for m in missing]]
    lines += ["", _("生成时间") + "：" + f"{timezone.localtime():%Y-%m-%d %H:%M}"]
    return "\n".join(lines) + "\n"


def _plan_pdf(n: Nomination, cycle: Cycle, registration: Any, plan: Any) -> bytes:
    html = render_to_string(
        "awards/nomination/plan_pdf.html",
        {"n": n, "cycle": cycle, "registration": registration, "plan": plan},
    )
    return html_to_pdf(html)


def _xlsx(name: str, header: list[str], rows: Iterable[list[Any]]) -> bytes:
    fh, _counts = spooled_workbook([(name, header, rows)])
    with fh:
        return fh.read()


def _evidence_header() -> list[str]:
    return [
        str(_("文件名")),
        str(_("类型")),
        str(_("所属记录")),
        str(_("记录日期")),
        str(_("上传时间")),
        str(_("拍摄时间")),
        str(_("大小（字节）")),
        str(_("原文件 SHA-256")),
        str(_("存储文件 SHA-256")),
    ]


def _evidence_rows(collective_id: int, cycle: Cycle) -> list[list[Any]]:
    entries = (
        LogEntry.objects.filter(collective_id=collective_id, cycle=cycle)
        .prefetch_related("attachments")
        .order_by("occurred_on", "id")
    )
    return [
        [
            ev.download_name,
            choice_label(ev, "kind"),
            entry.title,
            entry.occurred_on,
            timezone.localtime(ev.uploaded_at),
            timezone.localtime(ev.captured_at) if ev.captured_at else None,
            ev.size,
            ev.sha256,
            ev.stored_sha256,
        ]
        for entry in entries
        for ev in entry.attachments.all()
    ]


def _score_header() -> list[str]:
    return [
        str(_("申报编号")),
        str(_("状态")),
        str(_("现场考核得分")),
        str(_("集中答辩得分")),
        str(_("综合得分")),
        str(_("知识测试得分")),
        str(_("知识测试")),
        str(_("最终得分")),
        str(_("本单位排名")),
        str(_("全市排名")),
    ]


def _score_rows(collective_id: int, cycle: Cycle) -> list[list[Any]]:
    apps = list(
        Application.objects.filter(collective_id=collective_id, round__cycle=cycle)
        .exclude(status=ApplicationStatus.DRAFT)
        .select_related("round__exam")
        .order_by("id")
    )
    rows = []
    for a in apps:
        result = getattr(a, "result", None)
        entry = ShortlistEntry.objects.filter(application=a).first()
        test = (
            results_for(a.round.exam, [collective_id]).get(collective_id) if a.round.exam else None
        )
        rows.append(
            [
                a.code,
                choice_label(a, "status"),
                result.site_score if result else None,
                result.defence_score if result else None,
                result.combined if result else None,
                test.best_score if test else None,
                ""
                if test is None or not test.attempts
                else (_("通过") if test.passed else _("未通过")),
                entry.final_score if entry else None,
                entry.body_position if entry else None,
                entry.city_position if entry else None,
            ]
        )
    return rows
