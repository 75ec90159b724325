"""The printable score sheet of one application and reviewer (both score sets), for the
offline path: the reviewer signs it at the session and the panel secretary types it in with
the scan. WeasyPrint with the Noto CJK fonts, as the creation dossier."""

from __future__ import annotations

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from qnwmh.audit.services import log_action
from qnwmh.certification.models import Assignment, ScoreSet, ScoreSheet
from qnwmh.certification.services.rubric import rubric_of
from qnwmh.core.actor import Actor
from qnwmh.core.pdf import html_to_pdf


def sheet_pdf(assignment: Assignment) -> bytes:
    sheets = {s.score_set: s for s in ScoreSheet.objects.filter(assignment=assignment)}
    rubric = rubric_of(assignment.application.round)
    sets = []
    for value, label in ScoreSet.choices:
        sheet = sheets.get(value)
        scores = sheet.scores if sheet else {}
        rows = [(c, scores.get(c.dimension, {})) for c in rubric.criteria]
        sets.append({"label": label, "rows": rows, "sheet": sheet})
    html = render_to_string(
        "certification/scoring/sheet_pdf.html",
        {
            "assignment": assignment,
            "app": assignment.application,
            "sets": sets,
            "rubric": rubric,
            "generated_at": timezone.localtime(),
        },
    )
    return html_to_pdf(html)


def sheet_pdf_response(actor: Actor, assignment: Assignment) -> HttpResponse:
    """One or two pages: built at once (never large), the print audited."""
    pdf = sheet_pdf(assignment)
    log_action(actor, assignment, "certification.sheet.printed")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="score-sheet-{assignment.code}.pdf"'
    return response
