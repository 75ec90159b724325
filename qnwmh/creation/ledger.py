"""The ledger (台帐): the same log entries organised by category, with a completeness mark
per category, plus the dossier built from it (PDF with WeasyPrint, zip of the evidence).
A dossier of more than ``PDF_INLINE_ITEMS`` entries is built by the worker and kept for
download (``qnwmh.core.background``)."""

from __future__ import annotations

import base64
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from qnwmh.collectives.models import Collective
from qnwmh.core.actor import Actor
from qnwmh.core.background import counted, inline_or_background
from qnwmh.core.pdf import html_to_pdf
from qnwmh.creation.models import (
    CATEGORY_OF_KIND,
    CreationPlan,
    EntryKind,
    LedgerCategory,
    LogEntry,
    PlanVersion,
)
from qnwmh.creation.selectors import Compliance, collective_compliance
from qnwmh.cycles.models import Cycle

OPTIONAL = {LedgerCategory.HONOURS}


@dataclass
class Section:
    category: str
    label: str | Promise
    entries: list[LogEntry] = field(default_factory=list)
    status: str = "missing"  # complete | missing | optional

    @property
    def with_evidence(self) -> int:
        return sum(1 for e in self.entries if e.evidence_count)


@dataclass
class Ledger:
    collective: Collective
    cycle: Cycle
    plan: PlanVersion | None
    sections: list[Section]
    compliance: Compliance

    @property
    def complete(self) -> int:
        return sum(1 for s in self.sections if s.status != "missing")


def build_ledger(collective: Collective, cycle: Cycle) -> Ledger:
    plan_row = CreationPlan.objects.filter(collective=collective, cycle=cycle).first()
    plan = plan_row.versions.order_by("-number").first() if plan_row else None
    entries = list(
        LogEntry.objects.filter(collective=collective, cycle=cycle)
        .prefetch_related("attachments")
        .order_by("occurred_on", "id")
    )
    compliance = collective_compliance(collective, cycle)
    sections = {c: Section(c, label) for c, label in LedgerCategory.choices}
    for entry in entries:
        sections[CATEGORY_OF_KIND[EntryKind(entry.kind)]].entries.append(entry)
    sections[LedgerCategory.PLAN].status = "complete" if plan else "missing"
    for category, section in sections.items():
        if category == LedgerCategory.PLAN:
            continue
        if category == LedgerCategory.ACTIVITIES:
            done = (
                compliance.required_ok or not compliance.registered
            ) and not compliance.missing_months
            section.status = "complete" if done and section.entries else "missing"
        elif category == LedgerCategory.TRAINING:
            section.status = "complete" if section.with_evidence else "missing"
        elif category in OPTIONAL:
            section.status = "complete" if section.entries else "optional"
        else:
            section.status = "complete" if section.entries else "missing"
    return Ledger(collective, cycle, plan, list(sections.values()), compliance)


def _thumb_uri(evidence: Any) -> str:
    if not evidence.thumbnail_name:
        return ""
    try:
        with default_storage.open(evidence.thumbnail_name, "rb") as fh:
            return "data:image/jpeg;base64," + base64.b64encode(fh.read()).decode()
    except OSError:
        return ""


def dossier_pdf(ledger: Ledger) -> bytes:
    """The ledger as a printable Chinese PDF (Noto CJK via fontconfig), photos as thumbnails."""
    entries = (entry for section in ledger.sections for entry in section.entries)
    for entry in counted(entries):  # counted: a build in the background shows its progress
        for ev in entry.attachments.all():  # the prefetched instances the template reads
            ev.thumb_uri = _thumb_uri(ev) if ev.is_image else ""  # type: ignore[attr-defined]
    html = render_to_string(
        "creation/dossier_pdf.html",
        {
            "ledger": ledger,
            "generated_at": timezone.localtime(),
        },
    )
    return html_to_pdf(html)


def dossier_response(actor: Actor, collective: Collective, cycle: Cycle) -> HttpResponseBase:
    """The dossier PDF now, or, past ``PDF_INLINE_ITEMS`` entries, built in the background."""
    size = LogEntry.objects.filter(collective=collective, cycle=cycle).count()
    return inline_or_background(
        actor,
        size=size,
        limit=settings.PDF_INLINE_ITEMS,
        label=_("台帐 %(name)s") % {"name": collective.name},
        run=dossier_file,
        collective=collective,
        cycle=cycle,
    )


def dossier_file(actor: Actor, collective: Collective, cycle: Cycle) -> HttpResponse:
    pdf = dossier_pdf(build_ledger(collective, cycle))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="ledger-{collective.code}.pdf"'
    return response


def _safe(part: str) -> str:
    return re.sub(r'[\x00-\x1f<>:"/\\|?*]+', "_", part).strip(" .")[:60] or "_"


def dossier_zip(ledger: Ledger) -> io.BytesIO:
    """The dossier PDF plus every evidence file, in folders by category and entry."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("台帐.pdf", dossier_pdf(ledger))
        for section in ledger.sections:
            for entry in section.entries:
                folder = (
                    f"{_safe(str(section.label))}/{entry.occurred_on:%Y-%m-%d}_{_safe(entry.title)}"
                )
                for ev in entry.attachments.all():
                    try:
                        with default_storage.open(ev.storage_name, "rb") as fh:
                            archive.writestr(
                                f"{folder}/{ev.code}_{_safe(ev.download_name)}", fh.read()
                            )
                    except OSError:
                        continue
    out.seek(0)
    return out


def category_label(category: str) -> str:
    return str(dict(LedgerCategory.choices)[category])
